/**
 * The talent-sharing context's live room: `talent-arrangement:<id>` — every change of one
 * arrangement (proposed, each terms version, consent and decline, agreed, each guidebook step,
 * activated, ended). Every signed-in role may join (`talent.read`: arrangements are public-sector
 * records); a candidate's addition reaches the organisers only — any role of the proposer or the
 * host — decided per change on its scope (talentChangeVisibleTo in libs/live/src/visibility.ts).
 * The kind is `talent-arrangement` (room kinds are lower-case letters and '-'), for the
 * `talentArrangement` entity of the change feed.
 */
import { authorise } from '@kyogi/auth/permissions';
import type { RoomKind } from '@kyogi/live/rooms';

/** Arrangement ids: a ULID, a UUID or a slug (the decider's isEntityId). */
const ARRANGEMENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const talentArrangementRoom: RoomKind = {
  kind: 'talent-arrangement',
  id: ARRANGEMENT_ID,
  description: 'a talent-sharing arrangement id (a ULID such as 01JQ7Z8K3M4N5P6Q7R8S9T0V1W)',
  canJoin: (actor) => authorise('talent.read', actor),
  idsOf: (change) => (change.entity === 'talentArrangement' ? [change.id] : []),
};

export const TALENT_ROOMS: readonly RoomKind[] = [talentArrangementRoom];
