/**
 * Every kind of live room the api offers. A context that adds rooms (specs, proposals,
 * consultations, talent) defines its RoomKinds beside its code and adds them here — one line —
 * and says in libs/live/src/visibility.ts who may see its changes (unknown entities reach nobody).
 */
import { RoomRegistry } from '@kyogi/live/rooms';
import { maySee } from '@kyogi/live/visibility';
import { ORGANISATION_ROOMS } from './organisation.rooms';

export function liveRooms(): RoomRegistry {
  const registry = new RoomRegistry({ visibleTo: maySee });
  for (const kind of ORGANISATION_ROOMS) registry.register(kind);
  return registry;
}
