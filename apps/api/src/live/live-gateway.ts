/**
 * The socket.io side of the live layer: a plain socket.io Server on the app's HTTP server (path
 * `/socket.io`, namespace `/live`; see live-protocol.ts for the contract). No Nest here — it is
 * attached in main.ts after `app.listen` and closed before the app.
 *
 * How a change reaches a member: the ChangeLogTail publishes each logged change to the process's
 * ChangeFeed; the sockets in a room that see the same changes (same organisation, kind and roles)
 * share one channel (libs/live/src/room-channels.ts), which filters each change once through the
 * room registry (room and visibility) and hands it to its members as the feed publishes. `after`
 * (replay from the change log, then live, no gap, no duplicate) and slow-consumer handling stay
 * per member. The members hand their changes to one CoalescedBroadcast, which sends each
 * change once per turn of the event loop to every socket that took it (`nsp.to([socket ids])`):
 * socket.io encodes it once and keeps it once for recovery, where an emit per socket encoded and
 * kept it once per member; and each socket's changes of the turn leave in one write (inOneWrite).
 *
 * Changes are sent as a broadcast to the sockets' own rooms (`nsp.to(socket.id)`), not with
 * `socket.emit`, because only broadcasts are kept by the adapter for connection state recovery:
 * a change in flight when the connection dropped is then delivered by socket.io on recovery, and
 * the socket's feed subscriptions resume after the last change sent (kept in `socket.data`, which
 * recovery restores). With REDIS_URL the Redis streams adapter keeps both across instances;
 * without, a bounded in-memory store does (bounded-recovery.ts). Either way a client whose packets
 * are no longer kept is not recovered and joins again with `after`.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Namespace, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Pool } from 'pg';
import { TokenError, type TokenVerifier, type VerifiedIdentity } from '@kyogi/auth/token-verifier';
import type { SessionRevocations } from '@kyogi/live/revocations';
import type { ChangeFeed } from '@kyogi/live/change-feed';
import { originAllowed } from '@kyogi/live/origin';
import { PresenceUpdates, peopleIn } from '@kyogi/live/presence';
import type { JoinRefusal, ParsedRoom, RoomRegistry } from '@kyogi/live/rooms';
import { RoomChannels, type Membership } from '@kyogi/live/room-channels';
import { CoalescedBroadcast } from '@kyogi/live/coalesced-broadcast';
import { formatPosition, parsePosition, type Position } from '@kyogi/event-store/port';
import { changeLogHead } from '@kyogi/read-models/change-log';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import { boundedRecoveryAdapter } from './bounded-recovery';
import { clientAddress, RATE_LIMITED_MESSAGE, type RateLimits } from '../security/rate-limits';
import {
  LIVE_NAMESPACE,
  LIVE_PATH,
  type ClientToServerEvents,
  type JoinAck,
  type LeaveAck,
  type LiveSocketData,
  type ServerToClientEvents,
} from './live-protocol';

type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;
type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;

export interface LiveGatewayOptions {
  readonly feed: ChangeFeed;
  readonly verifier: TokenVerifier;
  readonly rooms: RoomRegistry;
  /** Browser origins allowed to connect (config.allowedOrigins); requests without an Origin are not from a browser and pass. */
  readonly allowedOrigins: readonly string[];
  /** The position of the last change already logged when the gateway starts ('start' when none). */
  readonly head: () => Promise<string>;
  /** Set → the Redis streams adapter (cross-instance rooms, presence and connection state recovery). */
  readonly redis?: { readonly url: string; readonly keyPrefix: string } | null;
  readonly clock?: () => Date;
  readonly log?: (message: string) => void;
  /** Ends a socket's session when its roles change or its organisation is deactivated. */
  readonly revocations?: SessionRevocations;
  /** Packets waiting to be written to one socket before it is told to resync (default 1000). */
  readonly backlogLimit?: number;
  /** Rooms one socket may be in at once (default 100). */
  readonly maxRoomsPerSocket?: number;
  /** How long socket.io keeps a dropped connection's state for recovery (default 2 minutes). */
  readonly maxDisconnectionMs?: number;
  /** Connections and joins count against the person's and the address's rate limits (security/rate-limits.ts). */
  readonly rateLimits?: RateLimits;
  /** Reverse proxies whose X-Forwarded-For gives the client's address (config TRUST_PROXY_HOPS). */
  readonly trustProxyHops?: number;
  /** Packets kept for connection state recovery without Redis (default 10,000; bounded-recovery.ts). */
  readonly recoveryPacketLimit?: number;
  /** At least this long between two presence publications of one room (default 1 s): each goes to everyone in it. */
  readonly presenceIntervalMs?: number;
}

interface SocketState {
  readonly identity: VerifiedIdentity;
  /** The socket's membership of each room it joined. */
  readonly memberships: Map<string, Membership>;
  closing: boolean;
  expiryTimer?: NodeJS.Timeout;
  /** Stops watching for a revocation of this session. */
  unwatch?: () => void;
  /** The rooms the socket was in when it started to disconnect (for presence). */
  leftRooms: string[];
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** `next(error)` in a socket.io middleware: the client gets `connect_error` with this message and data, never a stack. */
function unauthenticated(code: string): Error & { data: { code: string } } {
  const error = new Error('UNAUTHENTICATED') as Error & { data: { code: string } };
  error.data = { code };
  error.stack = undefined;
  return error;
}

/** `next(error)` for a connection beyond the rate limit. */
function rateLimited(retryAfterSeconds: number): Error & { data: { code: string; retryAfterSeconds: number } } {
  const error = new Error('RATE_LIMITED') as Error & { data: { code: string; retryAfterSeconds: number } };
  error.data = { code: 'RATE_LIMITED', retryAfterSeconds };
  error.stack = undefined;
  return error;
}

const badRequest = (message: string): JoinRefusal => ({ ok: false, code: 'BAD_REQUEST', message });

export class LiveGateway {
  private readonly identities = new WeakMap<LiveSocket, VerifiedIdentity>();
  private readonly states = new Map<string, SocketState>();
  private readonly presence: PresenceUpdates;
  /** Every member's changes, sent once per change to all the sockets that took it. */
  private readonly changes: CoalescedBroadcast;
  private readonly channels: RoomChannels;
  private readonly log: (message: string) => void;
  private readonly clock: () => Date;
  private readonly backlogLimit: number;
  private readonly maxRooms: number;
  /** The position of the last change the feed published: a subscription made now gets everything after it. */
  private watermark: string | undefined;
  private readonly watermarkSubscription: AsyncIterator<ReadModelChange>;
  private closed = false;

  private constructor(
    private readonly io: LiveServer,
    private readonly nsp: LiveNamespace,
    private readonly options: LiveGatewayOptions,
    private readonly redisClose: (() => Promise<void>) | undefined,
  ) {
    this.log = options.log ?? (() => undefined);
    this.clock = options.clock ?? (() => new Date());
    this.backlogLimit = options.backlogLimit ?? 1000;
    this.maxRooms = options.maxRoomsPerSocket ?? 100;
    this.changes = new CoalescedBroadcast({
      send: (socketIds, change) => this.nsp.to(socketIds as string[]).emit('change', change),
      around: (socketIds, sendAll) =>
        inOneWrite(
          [...socketIds].map((id) => this.nsp.sockets.get(id)),
          sendAll,
        ),
    });
    this.channels = new RoomChannels(options.feed, options.rooms);
    this.watermarkSubscription = options.feed.subscribe((change) => {
      this.watermark = change.position;
      return false;
    });
    this.presence = new PresenceUpdates({
      compute: async (room) => peopleIn((await this.nsp.in(room).fetchSockets()).map((socket) => socket.data.person)),
      publish: (presence) => this.nsp.to(presence.room).emit('presence', presence),
      onError: (room, error) => this.log(`presence of ${room} could not be computed: ${(error as Error).message}`),
      minIntervalMs: options.presenceIntervalMs ?? 1000,
    });
    nsp.use((socket, next) => {
      this.authenticate(socket)
        .then(() => this.rateLimit(socket))
        .then(
          (retryAfterSeconds) => next(retryAfterSeconds === null ? undefined : rateLimited(retryAfterSeconds)),
          (code: string) => next(unauthenticated(code)),
        );
    });
    nsp.on('connection', (socket) => this.onConnection(socket));
  }

  /** Attaches the `/live` namespace to the app's HTTP server. */
  static async attach(httpServer: HttpServer, options: LiveGatewayOptions): Promise<LiveGateway> {
    let adapter: ReturnType<typeof createAdapter> | undefined;
    let redisClose: (() => Promise<void>) | undefined;
    if (options.redis) {
      const client = createClient({
        url: options.redis.url,
        socket: { connectTimeout: 5000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
      });
      client.on('error', (error: Error) => options.log?.(`live: Redis: ${error.message}`));
      await withTimeout(client.connect(), 10_000, 'live: Redis (REDIS_URL) did not answer within 10 s');
      const prefix = options.redis.keyPrefix;
      adapter = createAdapter(client, {
        streamName: `${prefix}:socket.io`,
        channelPrefix: `${prefix}:socket.io`,
        sessionKeyPrefix: `${prefix}:socket.io:session:`,
      });
      redisClose = async () => {
        await client.close().catch(() => undefined);
      };
    }

    const allowed = options.allowedOrigins;
    const io: LiveServer = new Server(httpServer, {
      path: LIVE_PATH,
      serveClient: false,
      // Client messages are small (join, leave); anything bigger is refused by engine.io.
      maxHttpBufferSize: 64 * 1024,
      cors: { origin: [...allowed], credentials: true, methods: ['GET', 'POST'] },
      // Every handshake (polling or WebSocket): a browser page from another origin is refused with 403.
      allowRequest: (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => {
        const ok = originAllowed(request.headers.origin, allowed, request.headers.host);
        callback(ok ? null : 'origin not allowed', ok);
      },
      connectionStateRecovery: {
        maxDisconnectionDuration: options.maxDisconnectionMs ?? 2 * 60_000,
        // The token is verified again on a recovered connection, too.
        skipMiddlewares: false,
      },
      // Without Redis, socket.io's in-memory store of packets for recovery, bounded (see bounded-recovery.ts).
      adapter: adapter ?? boundedRecoveryAdapter(options.recoveryPacketLimit),
    });
    // Nothing lives in the main namespace.
    io.of('/').use((_socket, next) => next(Object.assign(new Error('NOT_FOUND'), { data: { code: 'NOT_FOUND' }, stack: undefined })));
    const gateway = new LiveGateway(io, io.of(LIVE_NAMESPACE), options, redisClose);
    await gateway.start();
    return gateway;
  }

  private async start(): Promise<void> {
    const head = await this.options.head();
    this.watermark ??= head; // unless the feed published something meanwhile
  }

  /** Sockets connected to this instance. */
  get connections(): number {
    return this.nsp.sockets.size;
  }

  // ---------------------------------------------------------------------------------------------
  // Connecting.

  private async authenticate(socket: LiveSocket): Promise<void> {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.trim() === '') throw 'TOKEN_MISSING';
    let identity: VerifiedIdentity;
    try {
      identity = await this.options.verifier.verify(token);
    } catch (error) {
      throw error instanceof TokenError ? error.code : 'TOKEN_INVALID';
    }
    if (identity.expiresAt.getTime() <= this.clock().getTime()) throw 'TOKEN_EXPIRED';
    const { actor, displayName } = identity;
    // A recovered session belongs to the person who opened it: another token starts afresh.
    if (socket.recovered && socket.data.person?.personId !== actor.personId) {
      for (const room of Object.keys(socket.data.rooms ?? {})) socket.leave(room);
      socket.data.rooms = {};
    }
    socket.data.person = { personId: actor.personId, displayName, organisationId: actor.organisationId };
    socket.data.rooms ??= {};
    this.identities.set(socket, identity);
  }

  /** Takes a point for a connection or a join; the seconds to wait when over the limit, else null. */
  private async rateLimit(socket: LiveSocket): Promise<number | null> {
    if (!this.options.rateLimits) return null;
    const verdict = await this.options.rateLimits.consume({
      address: clientAddress(socket.request, this.options.trustProxyHops ?? 0),
      personId: this.identities.get(socket)?.actor.personId ?? null,
    });
    return verdict.ok ? null : verdict.retryAfterSeconds;
  }

  private onConnection(socket: LiveSocket): void {
    const identity = this.identities.get(socket);
    if (!identity || this.closed) {
      socket.disconnect(true);
      return;
    }
    const state: SocketState = { identity, memberships: new Map(), closing: false, leftRooms: [] };
    this.states.set(socket.id, state);
    this.armExpiry(socket, state);
    state.unwatch = this.options.revocations?.watch(state.identity.actor, (reason) => {
      if (!socket.connected) return;
      socket.emit('session-expired', { code: reason, message: 'This session was revoked (roles changed or organisation deactivated): sign in again' });
      socket.disconnect(true);
    });

    socket.on('join', (request, ack) => {
      void this.join(socket, state, request, typeof ack === 'function' ? ack : () => undefined).catch((error: unknown) => {
        this.log(`live: join failed: ${(error as Error).message}`);
        if (typeof ack === 'function') ack({ ok: false, code: 'BAD_REQUEST', message: 'the room could not be joined; try again' });
      });
    });
    socket.on('leave', (request, ack) => this.leave(socket, state, request, typeof ack === 'function' ? ack : () => undefined));
    socket.on('disconnecting', () => {
      state.closing = true;
      clearTimeout(state.expiryTimer);
      state.unwatch?.();
      state.leftRooms = [...state.memberships.keys()];
      for (const membership of state.memberships.values()) membership.stop();
      state.memberships.clear();
    });
    socket.on('disconnect', () => {
      this.states.delete(socket.id);
      for (const room of state.leftRooms) this.presence.request(room);
    });

    if (socket.recovered) void this.resume(socket, state);
  }

  /** A recovered connection: socket.io gave back its rooms and delivered what was in flight; the feed resumes after the last change sent. */
  private async resume(socket: LiveSocket, state: SocketState): Promise<void> {
    const rooms = socket.data.rooms ?? {};
    for (const [room, position] of Object.entries(rooms)) {
      const verdict = await this.options.rooms.authoriseJoin(state.identity.actor, room);
      if (state.closing) return;
      if (!verdict.ok) {
        delete rooms[room];
        socket.leave(room);
        socket.emit('left', { room, code: 'FORBIDDEN', message: verdict.message });
        this.presence.request(room);
        continue;
      }
      this.subscribe(socket, state, verdict, parsePosition(position));
      this.presence.request(room);
    }
  }

  private armExpiry(socket: LiveSocket, state: SocketState): void {
    const left = state.identity.expiresAt.getTime() - this.clock().getTime();
    if (left <= 0) {
      this.expire(socket);
      return;
    }
    // Timers cap at about 24.8 days: a longer token re-arms.
    state.expiryTimer = setTimeout(() => this.armExpiry(socket, state), Math.min(left, MAX_TIMER_MS));
  }

  private expire(socket: LiveSocket): void {
    if (!socket.connected) return;
    socket.emit('session-expired', { code: 'TOKEN_EXPIRED', message: 'The token has expired: reconnect with a new one' });
    socket.disconnect(true);
  }

  // ---------------------------------------------------------------------------------------------
  // Rooms.

  private async join(socket: LiveSocket, state: SocketState, request: unknown, ack: (answer: JoinAck) => void): Promise<void> {
    const retryAfterSeconds = await this.rateLimit(socket);
    if (retryAfterSeconds !== null) return ack({ ok: false, code: 'RATE_LIMITED', message: RATE_LIMITED_MESSAGE, retryAfterSeconds });
    if (typeof request !== 'object' || request === null) return ack(badRequest('join takes { room, after? }'));
    const { room, after } = request as { room?: unknown; after?: unknown };
    let from: Position | undefined;
    if (after !== undefined && after !== null) {
      try {
        if (typeof after !== 'string') throw new TypeError();
        from = parsePosition(after);
      } catch {
        return ack(badRequest('after must be a position as given by a change or a mutation (<16 hex>.<16 hex>) or "start"'));
      }
    }
    if (state.identity.expiresAt.getTime() <= this.clock().getTime()) {
      ack({ ok: false, code: 'FORBIDDEN', message: 'The token has expired' });
      this.expire(socket);
      return;
    }
    const verdict = await this.options.rooms.authoriseJoin(state.identity.actor, room);
    if (!verdict.ok) return ack(verdict);
    if (state.closing || !socket.connected) return;
    if (!state.memberships.has(verdict.room) && state.memberships.size >= this.maxRooms) {
      return ack(badRequest(`a connection may be in at most ${this.maxRooms} rooms; leave one first`));
    }
    const position = this.subscribe(socket, state, verdict, from);
    await socket.join(verdict.room);
    ack({ ok: true, room: verdict.room, position });
    this.presence.request(verdict.room);
  }

  /** (Re)starts the socket's membership of a room; returns the position it starts after. */
  private subscribe(socket: LiveSocket, state: SocketState, room: ParsedRoom, after: Position | undefined): string {
    state.memberships.get(room.room)?.stop();
    // Read the watermark and join in the same tick: the feed publishes synchronously, so the
    // member gets exactly the changes after it.
    const start = after ? formatPosition(after) : (this.watermark ?? 'start');
    const positions = (socket.data.rooms ??= {});
    positions[room.room] = start;
    const membership = this.channels.join({
      room,
      actor: state.identity.actor,
      after,
      emit: (change, seq) => {
        this.changes.add(socket.id, seq, change);
        positions[room.room] = change.position;
      },
      // engine.io's queue of packets not yet handed to the transport (private in its typings, stable since 1.x), and ours
      backlog: () => (socket.conn as unknown as { writeBuffer: readonly unknown[] }).writeBuffer.length + this.changes.waiting(socket.id),
      backlogLimit: this.backlogLimit,
      open: () => socket.connected && !state.closing,
    });
    state.memberships.set(room.room, membership);
    void membership.ended.then((end) => {
      if (state.memberships.get(room.room) === membership) state.memberships.delete(room.room);
      if (end.reason === 'stopped' || state.closing || !socket.connected) return;
      let message: string;
      if (end.reason === 'resync') {
        message = end.message;
      } else {
        this.log(`live: the feed of ${room.room} failed for a client: ${(end.error as Error)?.message ?? String(end.error)}`);
        message = 'the changes of this room could not be read: re-query and subscribe again';
      }
      socket.emit('resync-required', { room: room.room, code: 'RESYNC_REQUIRED', message });
      socket.disconnect(true);
    });
    return start;
  }

  private leave(socket: LiveSocket, state: SocketState, request: unknown, ack: (answer: LeaveAck) => void): void {
    const room = typeof request === 'object' && request !== null ? (request as { room?: unknown }).room : undefined;
    if (typeof room !== 'string') return ack(badRequest('leave takes { room }'));
    const membership = state.memberships.get(room);
    if (!membership && !socket.rooms.has(room)) return ack({ ok: true });
    membership?.stop();
    state.memberships.delete(room);
    if (socket.data.rooms) delete socket.data.rooms[room];
    if (room !== socket.id) socket.leave(room);
    ack({ ok: true });
    this.presence.request(room);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Closes every connection as "server shutting down" — a reason socket.io's clients reconnect
   * after, and, with the Redis adapter, recover on another instance — then the adapter. The HTTP
   * server is Nest's: it is closed by `app.close()` afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.presence.close();
    await this.watermarkSubscription.return?.();
    (this.io as { httpServer?: unknown }).httpServer = undefined;
    await this.io.close();
    await this.redisClose?.();
  }
}

/** The engine.io and ws internals inOneWrite uses (private in their typings; stable in engine.io 6 and ws 8). */
interface EngineConnection {
  readonly transport?: { readonly name?: string; writable?: boolean; readonly socket?: { readonly _socket?: { cork(): void; uncork(): void } } };
  flush?: () => void;
}

/**
 * Runs `send` with the WebSocket transport of each of these sockets held, then gives each its
 * packets of the turn in one go, inside a cork: a socket's changes of one turn leave in one
 * system call (a write costs ~30 µs here, and with 2,000 sockets it was a third of the api's time).
 * A transport busy writing, or not a WebSocket, is left alone: engine.io queues as usual.
 */
function inOneWrite(sockets: readonly (LiveSocket | undefined)[], send: () => void): void {
  const held: { connection: EngineConnection; transport: NonNullable<EngineConnection['transport']> }[] = [];
  for (const socket of sockets) {
    const connection = socket?.conn as unknown as EngineConnection | undefined;
    const transport = connection?.transport;
    if (!connection || !transport || transport.name !== 'websocket' || !transport.writable || !transport.socket?._socket || !connection.flush) continue;
    transport.writable = false;
    held.push({ connection, transport });
  }
  try {
    send();
  } finally {
    for (const { connection, transport } of held) {
      const raw = transport.socket!._socket!;
      transport.writable = true;
      raw.cork();
      try {
        connection.flush!();
      } finally {
        raw.uncork();
      }
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/**
 * The Redis keys of one deployment: the instances that share a PostgreSQL database share their
 * rooms, and nothing else does (another deployment, or a test, on the same Redis).
 */
export async function redisKeyPrefix(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ db: string }>('SELECT current_database() AS db');
  let system = '';
  try {
    const result = await pool.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()');
    system = result.rows[0]?.id ?? '';
  } catch {
    // not allowed for this role: the database name alone
  }
  return `kyogi:${system ? `${system}:` : ''}${rows[0].db}`;
}

/** The position of the last logged change, for LiveGatewayOptions.head. */
export async function changeLogHeadPosition(pool: Pool): Promise<string> {
  const head = await changeLogHead(pool);
  return head ? formatPosition(head) : 'start';
}
