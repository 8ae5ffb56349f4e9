/**
 * The gateway in-process, on a plain HTTP server with an in-memory change log: what the e2e tests
 * cannot provoke on the real app within seconds — a client too slow to read, a replay longer than
 * the feed allows — and that close() leaves Nest's HTTP server to Nest.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { TokenError, type TokenVerifier, type VerifiedIdentity } from '@kyogi/auth/token-verifier';
import { comparePositions, parsePosition, type Position } from '@kyogi/event-store/port';
import { ChangeFeed } from '@kyogi/live/change-feed';
import type { LoggedChange } from '@kyogi/read-models/change-log';
import { LiveGateway } from './live-gateway';
import { liveRooms } from './live-rooms';

const HINOHARA = '133078';
const pos = (n: number) => `${n.toString(16).padStart(16, '0')}.${n.toString(16).padStart(16, '0')}`;
const registered = (n: number): LoggedChange => ({
  seq: BigInt(n),
  entity: 'organisation',
  id: HINOHARA,
  change: 'OrganisationRegistered',
  position: pos(n),
  scope: { prefectureCode: '13' },
});

const identity: VerifiedIdentity = {
  actor: { personId: 'demo-hinohara', organisationId: HINOHARA, organisationKind: 'municipality', roles: ['member'] },
  displayName: '檜原 一郎',
  expiresAt: new Date(Date.now() + 3_600_000),
};
const verifier: TokenVerifier = {
  verify: async (token) => {
    if (token === 'good') return identity;
    throw new TokenError('TOKEN_INVALID');
  },
};

let server: HttpServer;
let gateway: LiveGateway;
let feed: ChangeFeed;
let log: LoggedChange[];
const clients: Socket[] = [];

beforeEach(async () => {
  log = [];
  feed = new ChangeFeed({
    history: async (after: Position, limit: number) => ({
      ok: true,
      changes: log.filter((c) => comparePositions(parsePosition(c.position), after) > 0).slice(0, limit),
    }),
    replayLimit: 5,
  });
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway = await LiveGateway.attach(server, {
    feed,
    verifier,
    rooms: liveRooms(),
    allowedOrigins: ['http://localhost:3000'],
    head: async () => 'start',
    backlogLimit: 5,
  });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await gateway.close();
  await new Promise((resolve) => server.close(resolve));
});

async function joined(room: string, after?: string) {
  const socket = io(`http://127.0.0.1:${(server.address() as AddressInfo).port}/live`, {
    auth: { token: 'good' },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  clients.push(socket);
  const seen = { changes: [] as { position: string }[], notices: [] as unknown[], disconnected: [] as string[] };
  socket.on('change', (change: { position: string }) => seen.changes.push(change));
  socket.on('resync-required', (notice: unknown) => seen.notices.push(notice));
  socket.on('disconnect', (reason) => seen.disconnected.push(reason));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
  expect(await socket.timeout(5000).emitWithAck('join', after ? { room, after } : { room })).toMatchObject({ ok: true });
  return { socket, seen };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

it('tells a client that cannot keep up to resync and disconnects it, without queueing more for it', async () => {
  const { seen } = await joined(`organisation:${HINOHARA}`);
  expect(feed.subscriberCount).toBe(2); // the gateway's watermark and this client's room

  // A burst of 50, pumped within one turn of the event loop: the socket cannot write them all,
  // engine.io queues them, and past 5 waiting packets the client must resync.
  feed.publish(Array.from({ length: 50 }, (_, i) => registered(i + 1)));
  await until(() => seen.disconnected.length === 1, 'the disconnection');
  expect(seen.notices).toEqual([
    {
      room: `organisation:${HINOHARA}`,
      code: 'RESYNC_REQUIRED',
      message: 'more than 5 messages waited to be sent to this client: re-query and subscribe again',
    },
  ]);
  expect(seen.disconnected).toEqual(['io server disconnect']);
  expect(seen.changes.length).toBeLessThanOrEqual(7); // one on the wire, then at most the bound + 1 queued — not 50
  expect(seen.changes.map((c) => c.position)).toEqual(Array.from({ length: seen.changes.length }, (_, i) => pos(i + 1)));
  expect(feed.subscriberCount).toBe(1);
  expect(gateway.connections).toBe(0);
});

it('tells a client that missed more than the feed replays to resync', async () => {
  log = Array.from({ length: 8 }, (_, i) => registered(i + 1));
  const { seen } = await joined(`organisation:${HINOHARA}`, pos(1)); // 7 missed, 5 replayed at most
  await until(() => seen.disconnected.length === 1, 'the disconnection');
  expect(seen.notices).toEqual([
    { room: `organisation:${HINOHARA}`, code: 'RESYNC_REQUIRED', message: 'more than 5 changes were missed: re-query and subscribe again' },
  ]);
  expect(seen.changes).toEqual([]);
  expect(feed.subscriberCount).toBe(1);
});

it('replays what a client missed before live changes when it joins with after', async () => {
  log = Array.from({ length: 4 }, (_, i) => registered(i + 1));
  const { seen } = await joined(`organisation:${HINOHARA}`, pos(1));
  await until(() => seen.changes.length === 3, 'the replay');
  feed.publish([registered(4), registered(5)]); // 4 was in the replay already
  await until(() => seen.changes.length === 4, 'the live change');
  await new Promise((r) => setTimeout(r, 50));
  expect(seen.changes.map((c) => c.position)).toEqual([pos(2), pos(3), pos(4), pos(5)]);
});

it('closes every connection as a server shutdown (clients may reconnect elsewhere) and leaves the HTTP server to its owner', async () => {
  const { seen } = await joined(`organisation:${HINOHARA}`);
  await gateway.close();
  await until(() => seen.disconnected.length === 1, 'the disconnection');
  expect(seen.disconnected).toEqual(['transport close']);
  expect(server.listening).toBe(true);
  expect(feed.subscriberCount).toBe(0);
});
