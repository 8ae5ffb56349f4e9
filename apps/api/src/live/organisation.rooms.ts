/**
 * The organisations context's live rooms:
 * - `organisation:<id>` — every change of one organisation (members added, roles changed, …);
 * - `prefecture:<code>` — every change of the prefecture `<code>` (01–47) and of its municipalities,
 *   for the prefecture's coordinators and anyone else who follows a whole prefecture.
 * Both carry what `organisation.read` allows to read (see libs/auth/src/permissions.ts).
 */
import { authorise } from '@kyogi/auth/permissions';
import type { RoomKind } from '@kyogi/live/rooms';

/** Municipality codes (six digits) and slugs or ULIDs of the other kinds (see the organisations decider). */
const ORGANISATION_ID = /^(?:[a-z0-9-]{2,64}|[0-7][0-9A-HJKMNP-TV-Z]{25})$/;
const PREFECTURE_CODE = /^(?:0[1-9]|[1-3][0-9]|4[0-7])$/;

export const organisationRoom: RoomKind = {
  kind: 'organisation',
  id: ORGANISATION_ID,
  description: 'an organisation id: a 全国地方公共団体コード like 011002, or a slug like digital-agency',
  canJoin: (actor) => authorise('organisation.read', actor),
  idsOf: (change) => (change.entity === 'organisation' ? [change.id] : []),
};

export const prefectureRoom: RoomKind = {
  kind: 'prefecture',
  id: PREFECTURE_CODE,
  description: 'a two-digit prefecture code, 01 to 47',
  canJoin: (actor) => authorise('organisation.read', actor),
  idsOf: (change) => (change.entity === 'organisation' ? [change.scope.prefectureCode] : []),
};

export const ORGANISATION_ROOMS: readonly RoomKind[] = [organisationRoom, prefectureRoom];
