/**
 * The specs context's live room: `spec:<specId>` — every change of one spec (created, a version
 * published), for anyone reading it. Specs are public to every signed-in role (`spec.read`, see
 * libs/auth/src/permissions.ts); that is who may join.
 */
import { authorise } from '@kyogi/auth/permissions';
import type { RoomKind } from '@kyogi/live/rooms';

/** A spec id is a slug (see isSpecId in libs/domain/src/specs/input-rules.ts). */
const SPEC_ID = /^[a-z0-9-]{2,64}$/;

export const specRoom: RoomKind = {
  kind: 'spec',
  id: SPEC_ID,
  description: 'a spec id, a slug like juminkiroku',
  canJoin: (actor) => authorise('spec.read', actor),
  idsOf: (change) => (change.entity === 'spec' ? [change.id] : []),
};

export const SPEC_ROOMS: readonly RoomKind[] = [specRoom];
