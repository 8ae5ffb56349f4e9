/**
 * Every kind of live room the api offers. A context that adds rooms (specs, proposals,
 * consultations, talent) defines its RoomKinds beside its code and adds them here — one line —
 * and says in libs/live/src/visibility.ts who may see its changes (unknown entities reach nobody).
 */
import type { Pool } from 'pg';
import { RoomRegistry } from '@kyogi/live/rooms';
import { maySee } from '@kyogi/live/visibility';
import { ORGANISATION_ROOMS } from './organisation.rooms';
import { SPEC_ROOMS } from './spec.rooms';
import { proposalRoom, proposalVisibilityFromReadModel } from './proposal.rooms';
import { CONSULTATION_ROOMS } from './consultation.rooms';
import { TALENT_ROOMS } from './talent.rooms';

export interface LiveRoomsOptions {
  /** The read models, for rooms whose joining depends on them (a proposal room: is it a draft of another organisation?). Without it those joins are refused. */
  readonly readDb?: Pick<Pool, 'query'>;
}

const noReadDb = (): Promise<never> => Promise.reject(new Error('no read-model database was given to liveRooms'));

export function liveRooms(options: LiveRoomsOptions = {}): RoomRegistry {
  const registry = new RoomRegistry({ visibleTo: maySee });
  for (const kind of ORGANISATION_ROOMS) registry.register(kind);
  for (const kind of SPEC_ROOMS) registry.register(kind);
  registry.register(proposalRoom(options.readDb ? proposalVisibilityFromReadModel(options.readDb) : noReadDb));
  for (const kind of CONSULTATION_ROOMS) registry.register(kind);
  for (const kind of TALENT_ROOMS) registry.register(kind);
  return registry;
}
