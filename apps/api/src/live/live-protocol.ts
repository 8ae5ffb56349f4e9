/**
 * The socket.io contract of the `/live` namespace (path `/socket.io`), for the web client.
 *
 * Connect with `io('<origin>/live', { auth: { token } })`. A refused connection gets a
 * `connect_error` whose message is `UNAUTHENTICATED` and whose `data.code` says why
 * (TOKEN_MISSING, TOKEN_EXPIRED, TOKEN_INVALID, …); a browser page from an origin not in
 * ALLOWED_ORIGINS is refused before that (HTTP 403). Beyond the rate limit, connections get
 * `connect_error` with message `RATE_LIMITED` and `data: { code: 'RATE_LIMITED', retryAfterSeconds }`,
 * and joins an ack with that code.
 *
 * Client → server:
 * - `join`  `{ room: 'organisation:011002', after?: '<position>' }`, ack `JoinAck`. With `after`,
 *   the changes logged after that position are replayed first, then live ones follow: no gap, no
 *   duplicate. The ack's `position` is where the subscription starts: pass it (or the position of
 *   the last change seen, whichever is later) as `after` when joining again after a reconnect.
 * - `leave` `{ room }`, ack `{ ok: true }`.
 *
 * Server → client:
 * - `change`           `RoomChange` — re-query with `waitFor: position` to see it.
 * - `presence`         `{ room, people }` — everyone looking at the room now, once per person.
 * - `resync-required`  `{ room, code: 'RESYNC_REQUIRED', message }` — this client fell too far
 *   behind, or missed more than a join with `after` replays; the server disconnects it.
 *   Re-query, then reconnect and join again.
 * - `session-expired`  `{ code, message }` — the token ran out (TOKEN_EXPIRED), or no longer says
 *   the truth: the person's roles changed (ROLES_CHANGED) or the organisation was deactivated
 *   (ORGANISATION_DEACTIVATED); the server disconnects. Sign in again.
 * - `left`             `{ room, code, message }` — the server took this client out of a room
 *   (after a connection was recovered with a token that may no longer read it).
 *
 * After a short disconnection socket.io recovers the connection (`socket.recovered`): its rooms
 * are kept and what it missed is delivered, nothing to do. Otherwise the client joins its rooms
 * again with `after`. Events that socket.io may replay on recovery (`change`, `presence`) carry
 * socket.io's offset as an extra, last argument: handlers should read only the first.
 */
import type { RevocationReason } from '@kyogi/live/revocations';

import type { RoomChange, JoinRefusal } from '@kyogi/live/rooms';
import type { PresentPerson, RoomPresence } from '@kyogi/live/presence';

export const LIVE_NAMESPACE = '/live';
export const LIVE_PATH = '/socket.io';

export type JoinAck = { readonly ok: true; readonly room: string; readonly position: string } | JoinRefusal | RateLimited;

/** A join beyond the rate limit (RATE_LIMIT_* settings): retry after `retryAfterSeconds`. */
export interface RateLimited {
  readonly ok: false;
  readonly code: 'RATE_LIMITED';
  readonly message: string;
  readonly retryAfterSeconds: number;
}
export type LeaveAck = { readonly ok: true } | JoinRefusal;

export interface ResyncRequired {
  readonly room: string | null;
  readonly code: 'RESYNC_REQUIRED';
  readonly message: string;
}

export interface SessionExpired {
  readonly code: 'TOKEN_EXPIRED' | RevocationReason;
  readonly message: string;
}

export interface LeftRoom {
  readonly room: string;
  readonly code: 'FORBIDDEN';
  readonly message: string;
}

export interface ClientToServerEvents {
  join(request: unknown, ack?: (answer: JoinAck) => void): void;
  leave(request: unknown, ack?: (answer: LeaveAck) => void): void;
}

export interface ServerToClientEvents {
  change(change: RoomChange): void;
  presence(presence: RoomPresence): void;
  'resync-required'(notice: ResyncRequired): void;
  'session-expired'(notice: SessionExpired): void;
  left(notice: LeftRoom): void;
}

/**
 * What socket.io keeps with a socket: serialisable, because connection state recovery stores it
 * (in Redis with the streams adapter) and gives it back to the recovered socket.
 */
export interface LiveSocketData {
  person?: PresentPerson;
  /** Joined rooms → the position of the last change sent to this socket for it (or where it started). */
  rooms?: Record<string, string>;
}
