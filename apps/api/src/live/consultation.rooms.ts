/**
 * The consultations context's live room: `consultation:<id>` — every change of one consultation
 * (opened, each official stance cast, closed; a stance drafted). Every signed-in role may join
 * (`consultation.read`); a hidden round's changes carry no tally until it closes, and a draft
 * reaches only the drafting organisation and the one it is for (libs/live/src/visibility.ts).
 */
import { authorise } from '@kyogi/auth/permissions';
import type { RoomKind } from '@kyogi/live/rooms';

/** Consultation ids: a ULID, a UUID or a slug (the decider's isEntityId). */
const CONSULTATION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const consultationRoom: RoomKind = {
  kind: 'consultation',
  id: CONSULTATION_ID,
  description: 'a consultation id (a ULID such as 01JQ7Z8K3M4N5P6Q7R8S9T0V1W)',
  canJoin: (actor) => authorise('consultation.read', actor),
  idsOf: (change) => (change.entity === 'consultation' ? [change.id] : []),
};

export const CONSULTATION_ROOMS: readonly RoomKind[] = [consultationRoom];
