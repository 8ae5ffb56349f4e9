/**
 * (4) Fan-out: 1,788 socket.io clients in one consultation's room (`/live`, `join`
 * `consultation:<id>`) and 200 graphql-ws subscribers (half `consultationChanged`, half
 * `tallyChanged`) watch while 1,000 stances arrive through the command path (draftStance then
 * approveStance by each municipality's own approver, GraphQL over HTTP), one started every 50 ms
 * (`--rate`, default 20 stances/s) whatever the app answers. Latency is from commit to receipt at
 * each client: from the StanceCast event's recorded time (`recorded_at`, PostgreSQL's
 * clock_timestamp() as the row is written, just before its commit) to the moment the client's
 * handler runs, both on this machine's clock.
 *
 * Why a set rate: latency is a figure of a load the server sustains. Until 2026-11-23 the stances
 * came from 16 connections, each casting its next stance when the last was answered: that load
 * always saturates the api's one event loop (about 95 % busy in a CPU profile), and the latency
 * measured is then mostly the wait behind the queued commands, not the fan-out. `--rate 0` still
 * runs that closed loop (the hot-consultation benchmark measures the command path's capacity).
 *
 * Against a bare socket.io server (bare-socketio-server.ts, its own process, no auth, no
 * database) with as many socket.io clients (1,788 + 200) in one room, sending as many payloads of
 * the size of the api's `change` at the moments the api's last round committed its stances (their
 * `recorded_at`, replayed from the first: the same arrivals, bursts and all), latency from its
 * send to receipt. Same rounds, alternating; the target is the api's p99 within 2× the bare one's,
 * i.e. bare p99 ÷ api p99 ≥ 0.5. Every client must receive every stance, on both sides, or the
 * benchmark fails.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { createTestDatabase } from '../support/databases';
import { demoLogin, startApp, stopAllApps, type AppProcess } from '../support/app-process';
import { formatPosition } from '../../libs/event-store/src/port';
import { BENCH_APP_ENV, pool, startPeerServer, type BenchContext, type Benchmark } from './harness';
import { pairedRatioValues, percentile } from './stats';
import { castStance, GraphQLConnections, municipalities, openConsultation, stanceTakers } from './hot-consultation.bench';

const NAME = 'fanout';
const ADMIN = 'admin@digital.example.jp';
/** Who watches: a signed-in role may read consultations (consultation.read). */
const WATCHER = 'auditor@observer.example.jp';
const COMMAND_CONNECTIONS = 16;
/** Sockets connecting or joining at once. */
const CONNECT_CONCURRENCY = 64;
/** How long every client may take to receive the last stance after it was sent. */
const DELIVERY_TIMEOUT_MS = 120_000;
const SIDES = ['kyogi', 'bare'] as const;
/** Stances started per second by default (1,000 in 50 s): about 70 % of what the command path answers at full size on 2 cores. */
const DEFAULT_RATE = 20;
type Side = (typeof SIDES)[number];

/**
 * The wall clock, as PostgreSQL's clock_timestamp() and the bare server read it. Not
 * `performance.timeOrigin + performance.now()`: each process fixes its own origin, a few ms apart
 * (the bare side's p50 came out negative with it).
 */
const epochMs = (): number => Date.now();

interface RoundResult {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly socketIoP99Ms: number;
  readonly graphqlWsP99Ms: number | null;
  readonly stancesPerSecond: number;
}

/** Receipts per client, keyed by what identifies the message (the api's position, the bare server's sequence). */
class Receipts {
  readonly byClient: Map<string, number>[] = [];
  add(client: number, key: string, at: number): void {
    (this.byClient[client] ??= new Map()).set(key, at);
  }
  complete(clients: number, expected: number): boolean {
    for (let c = 0; c < clients; c++) if ((this.byClient[c]?.size ?? 0) < expected) return false;
    return true;
  }
  received(clients: number): number {
    let n = 0;
    for (let c = 0; c < clients; c++) n += this.byClient[c]?.size ?? 0;
    return n;
  }
}

/** Starts `work(i)` for i in 0..count-1 at i × intervalMs after the start, without waiting for earlier ones; resolves when all are done. */
async function startEvery(count: number, intervalMs: number, work: (index: number) => Promise<void>): Promise<void> {
  const started = performance.now();
  const running: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = started + i * intervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    running.push(work(i));
  }
  await Promise.all(running);
}

async function waitFor(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function connectSocket(baseUrl: string, token: string | undefined): Promise<Socket> {
  const socket = io(`${baseUrl}/live`, { auth: token ? { token } : {}, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(new Error(`socket.io connection to ${baseUrl} refused: ${error.message}`)));
  });
}

async function connectSockets(baseUrl: string, token: string | undefined, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  await pool(count, CONNECT_CONCURRENCY, async (i) => {
    sockets[i] = await connectSocket(baseUrl, token);
  });
  return sockets;
}

async function joinAll(sockets: readonly Socket[], room: string): Promise<void> {
  await pool(sockets.length, CONNECT_CONCURRENCY, async (i) => {
    const ack = (await sockets[i].timeout(60_000).emitWithAck('join', { room })) as { ok: boolean; code?: string; message?: string };
    if (!ack.ok) throw new Error(`join ${room} refused: ${ack.code} ${ack.message}`);
  });
}

/** StanceCast positions of a consultation → recorded time (ms since the epoch). */
async function recordedTimes(databaseUrl: string, consultationId: string): Promise<Map<string, number>> {
  const client = new PgClient({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ commit: string; prepare: string; at: number }>(
      `SELECT transaction_id::text AS commit, global_position::text AS prepare, extract(epoch FROM recorded_at)::float8 * 1000 AS at
         FROM event_store.events WHERE stream_name = $1 AND event_type = 'StanceCast'`,
      [`Consultation-${consultationId}`],
    );
    return new Map(rows.map((r) => [formatPosition({ commit: BigInt(r.commit), prepare: BigInt(r.prepare) }), Number(r.at)]));
  } finally {
    await client.end();
  }
}

/** A graphql-ws failure: GraphQL errors, an Error, or the socket's CloseEvent (code and reason). */
function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  const close = error as { code?: number; reason?: string };
  if (typeof close?.code === 'number') return `connection closed with ${close.code} ${close.reason ?? ''}`.trim();
  return JSON.stringify(error);
}

const latenciesOf = (receipts: Receipts, from: number, to: number, origin: (key: string) => number): number[] => {
  const latencies: number[] = [];
  for (let c = from; c < to; c++) for (const [key, at] of receipts.byClient[c] ?? []) latencies.push(at - origin(key));
  return latencies;
};

export const fanout: Benchmark = {
  name: NAME,
  title: 'fan-out: socket.io clients and graphql-ws subscribers watching one consultation while stances arrive, against a bare socket.io broadcast',
  async run(context: BenchContext): Promise<void> {
    const clients = context.size('clients', 1788, 200);
    const subscribers = context.options.quick ? 20 : 200;
    const stances = context.size('stances', 1000, 100);
    /** Stances started per second, whatever the app answers (open loop); 0: as fast as COMMAND_CONNECTIONS are answered. */
    const rate = context.options.sizes.rate ?? DEFAULT_RATE;
    const server = await context.embeddedServer();
    const database = await createTestDatabase(server.url, 'bench_fanout');
    let app: AppProcess | undefined;
    let bare: { url: string; child: ChildProcess } | undefined;
    const sockets: Socket[] = [];
    const wsClients: WsClient[] = [];
    try {
      context.progress('starting the built app with the demo seed and the bare socket.io server');
      // Settled both ways: a bare server started beside an app that failed must still be stopped (finally, below).
      const [appStart, bareStart] = await Promise.allSettled([
        startApp({ databaseUrl: database.url, seedDemo: true, readyTimeoutMs: 300_000, env: BENCH_APP_ENV }),
        startPeerServer('bare-socketio-server.ts'),
      ]);
      if (bareStart.status === 'fulfilled') bare = bareStart.value;
      if (appStart.status === 'rejected') throw appStart.reason;
      if (bareStart.status === 'rejected') throw bareStart.reason;
      app = appStart.value;
      const bareServer = bareStart.value;
      const url = app.url;
      const adminToken = await demoLogin(url, ADMIN);
      const watcherToken = await demoLogin(url, WATCHER);
      const all = await municipalities(url, adminToken);
      if (all.length < stances) throw new Error(`--stances ${stances}: there are only ${all.length} municipalities to cast them`);
      const voters = all.slice(0, stances);
      context.progress(`adding a member-approver to each of ${stances} municipalities and signing them in`);
      const tokens = await stanceTakers(url, adminToken, voters);
      const graphql = new GraphQLConnections(url);

      const control = await connectSocket(bareServer.url, undefined);
      sockets.push(control);

      // A client the server drops (or that times out) would silently lower the count: say why instead.
      const dropped: string[] = [];
      const watch = (socket: Socket, side: string) => {
        socket.on('disconnect', (reason) => {
          if (reason !== 'io client disconnect') dropped.push(`${side}: ${reason}`);
        });
        socket.on('resync-required', (notice: { code: string; message: string }) => dropped.push(`${side}: ${notice.code} ${notice.message}`));
        socket.on('session-expired', (notice: { code: string; message: string }) => dropped.push(`${side}: ${notice.code} ${notice.message}`));
      };
      watch(control, 'bare control');
      const noDrops = () => {
        if (dropped.length) throw new Error(`${dropped.length} socket.io clients were disconnected, first: ${dropped[0]}`);
      };

      // Per round: who received what, when (index = client; the app's graphql-ws subscribers follow its sockets).
      let receipts = new Receipts();
      let currentRoom = '';
      let payloadBytes = 0;
      /** When the api's last round committed each stance, in ms after its first: the bare side sends at these offsets. */
      let appOffsetsMs: number[] | undefined;

      // Each side's clients are connected for its rounds only: ~2,000 idle sockets of the other side would share this
      // process's CPU with the measured ones (and, on a busy machine, miss their pings).
      const connectApp = async (): Promise<{ appSockets: Socket[]; ws: WsClient[] }> => {
        context.progress(`connecting ${clients} socket.io clients and ${subscribers} graphql-ws subscribers to the app`);
        const appSockets = await connectSockets(url, watcherToken, clients);
        sockets.push(...appSockets);
        appSockets.forEach((socket, c) => {
          watch(socket, 'app');
          socket.on('change', (change: { room: string; change: string; position: string }) => {
            if (change.room !== currentRoom || change.change !== 'StanceCast') return;
            receipts.add(c, change.position, epochMs());
            if (payloadBytes === 0) payloadBytes = Buffer.byteLength(JSON.stringify(change));
          });
        });
        const ws = Array.from({ length: subscribers }, () =>
          createClient({
            url: `${url.replace(/^http/, 'ws')}/graphql`,
            webSocketImpl: WebSocket,
            connectionParams: { authorization: `Bearer ${watcherToken}` },
            lazy: false,
            retryAttempts: 0,
            onNonLazyError: () => undefined,
          }),
        );
        wsClients.push(...ws);
        return { appSockets, ws };
      };
      const connectBare = async (): Promise<Socket[]> => {
        context.progress(`connecting ${clients + subscribers} socket.io clients to the bare server`);
        const bareSockets = await connectSockets(bareServer.url, undefined, clients + subscribers);
        sockets.push(...bareSockets);
        bareSockets.forEach((socket, c) => {
          watch(socket, 'bare');
          socket.on('change', (change: { room: string; position: string; sentAt: number }) => {
            if (change.room === currentRoom) receipts.add(c, change.position, epochMs() - change.sentAt);
          });
        });
        return bareSockets;
      };
      const disconnect = async (list: readonly Socket[], ws: readonly WsClient[] = []) => {
        for (const socket of list) socket.disconnect();
        await Promise.all(ws.map((c) => c.dispose()));
      };

      const runKyogi = async (): Promise<RoundResult> => {
        const { appSockets, ws: wsSubscribers } = await connectApp();
        try {
          return await castAndWatch(appSockets, wsSubscribers);
        } finally {
          await disconnect(appSockets, wsSubscribers);
        }
      };

      const castAndWatch = async (appSockets: readonly Socket[], wsSubscribers: readonly WsClient[]): Promise<RoundResult> => {
        const consultationId = await openConsultation(url, adminToken, voters);
        const room = `consultation:${consultationId}`;
        receipts = new Receipts();
        currentRoom = room;
        noDrops();
        await joinAll(appSockets, room).catch((error: Error) => {
          noDrops();
          throw error;
        });
        const unsubscribe: (() => void)[] = [];
        const errors: unknown[] = [];
        wsSubscribers.forEach((ws, s) => {
          const tally = s % 2 === 1;
          const field = tally ? 'tallyChanged' : 'consultationChanged';
          const query = tally
            ? 'subscription ($id: ID!) { tallyChanged(consultationId: $id) { consultationId change position tally { participatingCount } } }'
            : 'subscription ($id: ID!) { consultationChanged(id: $id) { consultationId change position } }';
          unsubscribe.push(
            ws.subscribe<Record<string, { change: string; position: string }>>(
              { query, variables: { id: consultationId } },
              {
                next: (result) => {
                  const event = result.data?.[field];
                  if (event?.change === 'StanceCast') receipts.add(clients + s, event.position, epochMs());
                  else if (result.errors) errors.push(result.errors);
                },
                error: (error) => errors.push(error),
                complete: () => undefined,
              },
            ),
          );
        });
        // graphql-ws does not acknowledge a subscribe: give the server a moment to register them all.
        await new Promise((resolve) => setTimeout(resolve, 1000 + subscribers * 5));
        const started = epochMs();
        const failures: string[] = [];
        const cast = async (i: number) => {
          const token = tokens.get(voters[i])!;
          try {
            await castStance(graphql, token, consultationId, i);
          } catch (error) {
            failures.push(`${voters[i]}: ${(error as Error).message}`);
          }
        };
        if (rate === 0) await pool(voters.length, COMMAND_CONNECTIONS, cast);
        else await startEvery(voters.length, 1000 / rate, cast);
        const elapsed = epochMs() - started;
        if (failures.length) throw new Error(`${failures.length} of ${voters.length} stances failed, e.g. ${failures.slice(0, 3).join('; ')}`);
        try {
          await waitFor(
            () => errors.length > 0 || receipts.complete(clients + subscribers, voters.length),
            DELIVERY_TIMEOUT_MS,
            () => `the app's clients received ${receipts.received(clients + subscribers)} of ${(clients + subscribers) * voters.length} stance changes`,
          );
          if (errors.length) throw new Error(`a graphql-ws subscription failed: ${describeError(errors[0])}`);
        } finally {
          for (const stop of unsubscribe) stop();
        }
        const recorded = await recordedTimes(database.url, consultationId);
        if (recorded.size !== voters.length) throw new Error(`the log holds ${recorded.size} StanceCast events for ${voters.length} stances`);
        const commits = [...recorded.values()].sort((a, b) => a - b);
        appOffsetsMs = commits.map((at) => at - commits[0]);
        const origin = (position: string) => {
          const at = recorded.get(position);
          if (at === undefined) throw new Error(`a client received position ${position}, which is no StanceCast of ${consultationId}`);
          return at;
        };
        const socketIo = latenciesOf(receipts, 0, clients, origin);
        const graphqlWs = latenciesOf(receipts, clients, clients + subscribers, origin);
        const every = socketIo.concat(graphqlWs);
        return {
          p50Ms: percentile(every, 50),
          p99Ms: percentile(every, 99),
          socketIoP99Ms: percentile(socketIo, 99),
          graphqlWsP99Ms: graphqlWs.length ? percentile(graphqlWs, 99) : null,
          stancesPerSecond: (voters.length * 1000) / elapsed,
        };
      };

      const runBare = async (round: number): Promise<RoundResult> => {
        if (appOffsetsMs === undefined || payloadBytes === 0) throw new Error('the bare side needs an api round first (its commit times and payload size)');
        const bareSockets = await connectBare();
        try {
          return await broadcastAndWatch(round, bareSockets, appOffsetsMs);
        } finally {
          await disconnect(bareSockets);
        }
      };

      const broadcastAndWatch = async (round: number, bareSockets: readonly Socket[], offsetsMs: readonly number[]): Promise<RoundResult> => {
        const room = `consultation:bare-${round}-${randomUUID()}`;
        receipts = new Receipts();
        currentRoom = room;
        noDrops();
        await joinAll(bareSockets, room).catch((error: Error) => {
          noDrops();
          throw error;
        });
        // The server acks after its last send: at the api's pace that alone may take minutes (1,000 stances at 10/s).
        const sendingMs = offsetsMs[offsetsMs.length - 1];
        const ack = (await control.timeout(sendingMs + DELIVERY_TIMEOUT_MS).emitWithAck('broadcast', { room, payloadBytes, offsetsMs })) as {
          ok: boolean;
          message?: string;
        };
        if (!ack.ok) throw new Error(`bare broadcast refused: ${ack.message}`);
        const total = clients + subscribers;
        await waitFor(
          () => receipts.complete(total, voters.length),
          DELIVERY_TIMEOUT_MS,
          () => `the bare server's clients received ${receipts.received(total)} of ${total * voters.length} payloads`,
        );
        // Receipts already hold the latency (receipt − send).
        const every = latenciesOf(receipts, 0, total, () => 0);
        return {
          p50Ms: percentile(every, 50),
          p99Ms: percentile(every, 99),
          socketIoP99Ms: percentile(every, 99),
          graphqlWsP99Ms: null,
          stancesPerSecond: (offsetsMs.length * 1000) / Math.max(1, sendingMs),
        };
      };

      // A round casts 1,000 stances and delivers ~2 million messages: three measured rounds at most.
      const results = await context.rounds(
        `${stances} stances to ${clients} + ${subscribers} clients`,
        SIDES,
        (side, round) => (side === 'kyogi' ? runKyogi() : runBare(round)),
        3,
      );
      const caseName = `${clients} socket.io + ${subscribers} graphql-ws clients, ${stances} stances${rate === 0 ? ', closed loop' : ` at ${rate}/s`}`;
      const of = (side: Side, key: 'p50Ms' | 'p99Ms' | 'socketIoP99Ms' | 'stancesPerSecond') => results[side].map((r) => r[key]);
      context.figure(NAME, caseName, 'kyogi p50 commit → receipt', 'ms', of('kyogi', 'p50Ms'));
      context.figure(NAME, caseName, 'kyogi p99 commit → receipt', 'ms', of('kyogi', 'p99Ms'));
      context.figure(NAME, caseName, 'kyogi p99, socket.io clients', 'ms', of('kyogi', 'socketIoP99Ms'));
      const graphqlWs = results.kyogi.map((r) => r.graphqlWsP99Ms).filter((v): v is number => v !== null);
      if (graphqlWs.length) context.figure(NAME, caseName, 'kyogi p99, graphql-ws subscribers', 'ms', graphqlWs);
      context.figure(NAME, caseName, 'bare socket.io p50 send → receipt (the api’s commit times)', 'ms', of('bare', 'p50Ms'));
      context.figure(NAME, caseName, 'bare socket.io p99 send → receipt (the api’s commit times)', 'ms', of('bare', 'p99Ms'));
      context.figure(NAME, caseName, 'stances/s through the command path', 'stances/s', of('kyogi', 'stancesPerSecond'));
      context.figure(
        NAME,
        caseName,
        'bare p99 ÷ kyogi p99 (same round; ≥ 0.5 is kyogi within 2×)',
        '×',
        pairedRatioValues(of('bare', 'p99Ms'), of('kyogi', 'p99Ms')),
        {
          atLeast: 0.5,
        },
      );
      context.note(
        NAME,
        `kyogi latency: StanceCast recorded_at (PostgreSQL clock_timestamp(), just before the commit) → the client's handler; bare: send → handler; ` +
          `bare payloads of ${payloadBytes} bytes (the api's socket.io change), sent at the api's previous round's commit times; ` +
          (rate === 0
            ? `${COMMAND_CONNECTIONS} command connections, each casting its next stance when the last is answered`
            : `one stance started every ${1000 / rate} ms (open loop)`),
      );
    } finally {
      for (const socket of sockets) socket.disconnect();
      await Promise.all(wsClients.map((c) => c.dispose()));
      bare?.child.kill('SIGTERM');
      await stopAllApps();
      await database.drop();
    }
  },
};
