/**
 * The socket.io namespace `/live` as the web client sees it, on the built app: who may connect
 * (token, Origin), rooms and what reaches them (and what does not), presence, a slow or expired
 * client, and a client that comes back after missing 100 changes — by `after` on a new socket and
 * by socket.io's connection state recovery. With Redis (REDIS_URL, or a redis-server started
 * here) two instances share rooms, presence and recovery.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import WebSocket from 'ws';
import { EmbeddedIssuer } from '@kyogi/auth/embedded-issuer';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, freePort, gqlData, makeDataDir, startApp, stopAllApps, type AppProcess } from '../support/app-process';

// jest.config.js's testTimeout does not reach the e2e project (see organisations.e2e.spec.ts).
jest.setTimeout(120_000);

const ADMIN = 'admin@digital.example.jp'; // デジタル庁: national admin and coordinator
const HINOHARA_STAFF = 'staff@vill.hinohara.example.jp'; // 檜原村: member, approver, admin
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp'; // 札幌市: member
const AUDITOR = 'auditor@observer.example.jp'; // viewer
const HINOHARA = '133078';
const SAPPORO = '011002';
const ALLOWED_ORIGIN = 'http://localhost:3000'; // in the default ALLOWED_ORIGINS
const run = randomBytes(4).toString('hex');

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
const tokens: Record<string, string> = {};
const sockets: Socket[] = [];

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'live');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  for (const email of [ADMIN, HINOHARA_STAFF, SAPPORO_STAFF, AUDITOR]) tokens[email] = await demoLogin(app.url, email);
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await stopAllApps();
  await database?.drop();
});

// ---------------------------------------------------------------------------------------------
// A socket.io client that records everything it receives.

interface RoomChange {
  room: string;
  entity: string;
  id: string;
  change: string;
  position: string;
}
interface Person {
  personId: string;
  displayName: string;
  organisationId: string;
}
interface Presence {
  room: string;
  people: Person[];
}
type JoinAck = { ok: true; room: string; position: string } | { ok: false; code: string; message: string };

interface LiveClient {
  readonly socket: Socket;
  readonly changes: RoomChange[];
  readonly presence: Presence[];
  /** Every event other than change and presence, with its payload, in order. */
  readonly notices: { event: string; payload: unknown }[];
  readonly disconnects: string[];
}

function live(token: string | undefined, options: Partial<ManagerOptions & SocketOptions> = {}, url: string = app.url): LiveClient {
  const socket = io(`${url}/live`, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    forceNew: true, // one connection per client, as in separate browser tabs
    reconnection: false, // reconnects are the tests' to make
    ...options,
  });
  sockets.push(socket);
  const client: LiveClient = { socket, changes: [], presence: [], notices: [], disconnects: [] };
  socket.on('change', (change: RoomChange) => client.changes.push(change));
  socket.on('presence', (presence: Presence) => client.presence.push(presence));
  socket.onAny((event: string, payload: unknown) => {
    if (event !== 'change' && event !== 'presence') client.notices.push({ event, payload });
  });
  socket.on('disconnect', (reason) => client.disconnects.push(reason));
  return client;
}

/** Resolves on connect; rejects with the connect_error. */
function connected(client: LiveClient): Promise<void> {
  return new Promise((resolve, reject) => {
    if (client.socket.connected) return resolve();
    client.socket.once('connect', () => resolve());
    client.socket.once('connect_error', reject);
  });
}

async function connectError(client: LiveClient): Promise<Error & { data?: unknown; description?: unknown }> {
  try {
    await connected(client);
  } catch (error) {
    return error as Error & { data?: unknown };
  }
  throw new Error('the connection was accepted');
}

function join(client: LiveClient, room: unknown, after?: string): Promise<JoinAck> {
  return client.socket.timeout(10_000).emitWithAck('join', after === undefined ? { room } : { room, after });
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const quiet = (ms = 300) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// GraphQL.

let added = 0;
/** Adds a member (as 檜原村's admin for 檜原村, as the national admin elsewhere); returns the position written. */
async function addMember(
  organisationId = HINOHARA,
  target: AppProcess = app,
  token = tokens[organisationId === HINOHARA ? HINOHARA_STAFF : ADMIN],
): Promise<string> {
  added += 1;
  const { addMember: payload } = await gqlData(
    target.url,
    'mutation ($input: AddMemberInput!) { addMember(input: $input) { position errors { code message } } }',
    {
      input: {
        commandId: randomUUID(),
        organisationId,
        displayName: `ライブ ${added}`,
        email: `live-${added}-${run}@example.jp`,
        roles: ['MEMBER'],
      },
    },
    token,
  );
  expect(payload.errors).toEqual([]);
  return payload.position;
}

async function registerVendor(id: string): Promise<string> {
  const { registerOrganisation } = await gqlData(
    app.url,
    'mutation ($input: RegisterOrganisationInput!) { registerOrganisation(input: $input) { position errors { code } } }',
    { input: { commandId: randomUUID(), id, kind: 'VENDOR', name: `ライブ試験ベンダー ${id}` } },
    tokens[ADMIN],
  );
  expect(registerOrganisation.errors).toEqual([]);
  return registerOrganisation.position;
}

/** A token from the app's own embedded issuer (its key is in DATA_DIR) with the claims a test needs. */
async function tokenFor(claims: { roles: ('viewer' | 'member' | 'admin')[]; ttlSeconds?: number; personId?: string }): Promise<string> {
  const issuer = await EmbeddedIssuer.create({
    nodeEnv: 'test',
    keyFile: path.join(app.dataDir, 'keys', 'embedded-issuer.private.jwk.json'),
    ttlSeconds: claims.ttlSeconds ?? 600,
  });
  return issuer.issue({
    personId: claims.personId ?? `e2e-${randomUUID()}`,
    displayName: '試験 利用者',
    organisationId: HINOHARA,
    organisationKind: 'municipality',
    roles: claims.roles,
  });
}

// ---------------------------------------------------------------------------------------------

describe('connecting', () => {
  it('refuses a client without a token, or with a garbage token, as UNAUTHENTICATED with a code', async () => {
    const none = await connectError(live(undefined));
    expect(none.message).toBe('UNAUTHENTICATED');
    expect(none.data).toEqual({ code: 'TOKEN_MISSING' });

    const garbage = await connectError(live('garbage'));
    expect(garbage.message).toBe('UNAUTHENTICATED');
    expect(garbage.data).toEqual({ code: 'TOKEN_INVALID' });
  });

  it('refuses an expired token', async () => {
    const token = await tokenFor({ roles: ['viewer'], ttlSeconds: 1 });
    await quiet(2100); // exp has whole seconds
    expect((await connectError(live(token))).data).toEqual({ code: 'TOKEN_EXPIRED' });
  });

  it('puts nothing but the message and the code on the wire (no stack)', async () => {
    // Speak engine.io/socket.io by hand to see the exact packet.
    const ws = new WebSocket(`${app.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(data.toString()));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send('40/live,{"token":"garbage"}');
    await until(() => frames.some((f) => f.startsWith('44/live,')), 'the CONNECT_ERROR packet');
    ws.close();
    expect(frames.find((f) => f.startsWith('44/live,'))).toBe('44/live,{"message":"UNAUTHENTICATED","data":{"code":"TOKEN_INVALID"}}');
  });

  it('refuses a browser from another origin, over WebSocket and over polling, and accepts an allowed one', async () => {
    for (const transports of [['websocket'], ['polling']]) {
      const refused = await connectError(live(tokens[AUDITOR], { transports, extraHeaders: { origin: 'https://evil.example' } }));
      expect(refused.message).toMatch(/websocket error|xhr poll error/);
      const allowed = live(tokens[AUDITOR], { transports, extraHeaders: { origin: ALLOWED_ORIGIN } });
      await connected(allowed);
      expect(allowed.socket.connected).toBe(true);
      // The platform's own page, on a port ALLOWED_ORIGINS does not name: same origin, let in.
      const ownPage = live(tokens[AUDITOR], { transports, extraHeaders: { origin: app.url } });
      await connected(ownPage);
      expect(ownPage.socket.connected).toBe(true);
    }
  });

  it('answers CORS for an allowed origin only, and 403 to another', async () => {
    const handshake = (origin: string) => fetch(`${app.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    const allowed = await handshake(ALLOWED_ORIGIN);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const refused = await handshake('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('rooms', () => {
  it("delivers 檜原村's change, with its position, to a member of 檜原村 in its room; waitFor that position sees it", async () => {
    const staff = live(tokens[HINOHARA_STAFF]);
    await connected(staff);
    const ack = await join(staff, `organisation:${HINOHARA}`);
    expect(ack).toEqual({ ok: true, room: `organisation:${HINOHARA}`, position: expect.stringMatching(/^[0-9a-f]{16}\.[0-9a-f]{16}$/) });

    const email = `live-waitfor-${run}@vill.hinohara.example.jp`;
    const { addMember: payload } = await gqlData(
      app.url,
      'mutation ($input: AddMemberInput!) { addMember(input: $input) { position errors { code } } }',
      { input: { commandId: randomUUID(), organisationId: HINOHARA, displayName: '生中継 花子', email, roles: ['VIEWER'] } },
      tokens[HINOHARA_STAFF],
    );
    await until(() => staff.changes.length === 1, 'the change');
    expect(staff.changes[0]).toEqual({
      room: `organisation:${HINOHARA}`,
      entity: 'organisation',
      id: HINOHARA,
      change: 'MemberAdded',
      position: payload.position,
    });
    if (!ack.ok) throw new Error('join refused');
    expect(payload.position > ack.position).toBe(true); // positions sort as strings

    const { organisation } = await gqlData(
      app.url,
      'query ($id: ID, $at: Position) { organisation(id: $id, waitFor: $at) { members { email } } }',
      { id: HINOHARA, at: staff.changes[0].position },
      tokens[HINOHARA_STAFF],
    );
    expect(organisation.members).toContainEqual({ email });
  });

  it('delivers nothing for a room the client did not join, nor after it left one', async () => {
    const admin = live(tokens[ADMIN]);
    await connected(admin);
    expect(await join(admin, `organisation:${SAPPORO}`)).toMatchObject({ ok: true });
    expect(await join(admin, 'prefecture:13')).toMatchObject({ ok: true });

    const hinohara = await addMember(HINOHARA);
    const sapporo = await addMember(SAPPORO);
    await until(() => admin.changes.some((c) => c.position === sapporo), 'the 札幌市 change');
    // 檜原村 (東京都, 13) reaches the prefecture room but not 札幌市's room.
    expect(admin.changes.map((c) => [c.room, c.id, c.position])).toEqual([
      ['prefecture:13', HINOHARA, hinohara],
      [`organisation:${SAPPORO}`, SAPPORO, sapporo],
    ]);

    expect(await admin.socket.timeout(10_000).emitWithAck('leave', { room: 'prefecture:13' })).toEqual({ ok: true });
    await addMember(HINOHARA);
    const sentinel = await addMember(SAPPORO);
    await until(() => admin.changes.some((c) => c.position === sentinel), 'the second 札幌市 change');
    await quiet();
    expect(admin.changes.slice(2).map((c) => c.room)).toEqual([`organisation:${SAPPORO}`]);
  });

  it("tells an auditor and another town nothing about 檜原村's members (personal data), but about a public registration", async () => {
    const vendor = `live-vendor-${run}`;
    const outsiders = [live(tokens[AUDITOR]), live(tokens[SAPPORO_STAFF])];
    const insider = live(tokens[HINOHARA_STAFF]);
    for (const client of [...outsiders, insider]) {
      await connected(client);
      expect(await join(client, `organisation:${HINOHARA}`)).toMatchObject({ ok: true });
      expect(await join(client, `organisation:${vendor}`)).toMatchObject({ ok: true }); // may be joined before it exists
    }
    const member = await addMember(HINOHARA);
    const registered = await registerVendor(vendor);
    for (const client of [...outsiders, insider]) await until(() => client.changes.some((c) => c.position === registered), 'the registration');
    await quiet();
    for (const client of outsiders) {
      expect(client.changes).toEqual([
        { room: `organisation:${vendor}`, entity: 'organisation', id: vendor, change: 'OrganisationRegistered', position: registered },
      ]);
    }
    expect(insider.changes.map((c) => c.position)).toEqual([member, registered]);
  });

  it('answers a join it refuses with a code and a message', async () => {
    const auditor = live(tokens[AUDITOR]);
    await connected(auditor);
    expect(await join(auditor, 'nosuchkind:c-1')).toEqual({
      ok: false,
      code: 'UNKNOWN_ROOM',
      // Every registered kind is listed; contexts add theirs (spec, proposal, …).
      message: expect.stringMatching(/^there are no "nosuchkind" rooms \(known kinds: ([a-z-]+, )*organisation, prefecture(, [a-z-]+)*\)$/),
    });
    expect(await join(auditor, 'organisation:../admin')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await join(auditor, 'prefecture:48')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await join(auditor, 42)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await join(auditor, `organisation:${HINOHARA}`, 'yesterday')).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringContaining('after'),
    });
    expect(await auditor.socket.timeout(10_000).emitWithAck('join', 'organisation:133078')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });

    // A signed-in person without any Kyogi role may connect, but read nothing.
    const roleless = live(await tokenFor({ roles: [] }));
    await connected(roleless);
    expect(await join(roleless, `organisation:${HINOHARA}`)).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'organisation.read requires at least one Kyogi role (viewer is enough)',
    });
    expect(auditor.socket.connected && roleless.socket.connected).toBe(true);
  });
});

describe('presence', () => {
  it('shows everyone looking at a room, once per person whatever their tabs, and drops those who leave', async () => {
    const room = `organisation:${HINOHARA}`;
    const staff = live(tokens[HINOHARA_STAFF]);
    const auditorTab1 = live(tokens[AUDITOR]);
    const auditorTab2 = live(tokens[AUDITOR]);
    for (const client of [staff, auditorTab1, auditorTab2]) {
      await connected(client);
      expect(await join(client, room)).toMatchObject({ ok: true });
    }
    const everyone = [
      { personId: 'demo-auditor', displayName: '監査 七海', organisationId: 'observer-example' },
      { personId: 'demo-hinohara', displayName: expect.any(String), organisationId: HINOHARA },
    ];
    const latest = (client: LiveClient) => client.presence.filter((p) => p.room === room).at(-1)?.people;
    await until(() => latest(staff)?.length === 2 && latest(auditorTab1)?.length === 2, 'presence of both people');
    expect(latest(staff)).toEqual(expect.arrayContaining(everyone));
    expect(latest(staff)).toHaveLength(2);

    auditorTab1.socket.disconnect(); // one tab closed: the auditor is still there
    await quiet(500);
    expect(latest(staff)).toHaveLength(2);
    auditorTab2.socket.disconnect();
    await until(() => latest(staff)?.length === 1, 'presence without the auditor');
    expect(latest(staff)).toEqual([expect.objectContaining({ organisationId: HINOHARA })]);
  });
});

describe('a client that was away', () => {
  /** Joins 檜原村's room and waits for one change: the position a client would remember. */
  async function joinedWithOneChange(client: LiveClient): Promise<string> {
    await connected(client);
    expect(await join(client, `organisation:${HINOHARA}`)).toMatchObject({ ok: true });
    const position = await addMember();
    await until(() => client.changes.length === 1, 'the first change');
    expect(client.changes[0].position).toBe(position);
    return position;
  }

  async function hundredChanges(): Promise<{ positions: string[]; ms: number }> {
    const started = Date.now();
    const positions: string[] = [];
    for (let i = 0; i < 100; i++) positions.push(await addMember());
    return { positions, ms: Date.now() - started };
  }

  it('gets exactly the 100 changes it missed, once each and in order, when it joins again with after on a new socket; then live ones', async () => {
    const before = live(tokens[HINOHARA_STAFF]);
    const last = await joinedWithOneChange(before);
    before.socket.disconnect();

    const missed = await hundredChanges();

    const again = live(tokens[HINOHARA_STAFF]);
    await connected(again);
    expect(again.socket.recovered).toBe(false);
    const started = Date.now();
    expect(await join(again, `organisation:${HINOHARA}`, last)).toEqual({ ok: true, room: `organisation:${HINOHARA}`, position: last });
    await until(() => again.changes.length >= 100, '100 replayed changes');
    const replayMs = Date.now() - started;
    const liveOne = await addMember();
    await until(() => again.changes.length >= 101, 'the live change');
    await quiet();

    expect(again.changes.map((c) => c.position)).toEqual([...missed.positions, liveOne]);
    expect(before.changes).toHaveLength(1);
    console.info(`[e2e figures] socket.io join with after: 100 missed changes replayed in ${replayMs} ms (100 mutations took ${missed.ms} ms)`);
  });

  it("gets them from socket.io's connection state recovery when the connection only dropped", async () => {
    const client = live(tokens[HINOHARA_STAFF]);
    await joinedWithOneChange(client);
    const id = client.socket.id;

    client.socket.io.engine.close(); // the transport drops (not a disconnect() by the client)
    await until(() => client.disconnects.length === 1, 'the disconnection');
    expect(client.disconnects).toEqual(['forced close']);

    const missed = await hundredChanges();

    const started = Date.now();
    client.socket.connect();
    await connected(client);
    expect(client.socket.recovered).toBe(true);
    expect(client.socket.id).toBe(id);
    await until(() => client.changes.length >= 101, '100 recovered changes');
    const recoveryMs = Date.now() - started;
    const liveOne = await addMember();
    await until(() => client.changes.length >= 102, 'the live change');
    await quiet();

    expect(client.changes.slice(1).map((c) => c.position)).toEqual([...missed.positions, liveOne]);
    console.info(`[e2e figures] socket.io connection state recovery: 100 missed changes delivered in ${recoveryMs} ms`);
  });
});

describe('a token that expires', () => {
  it('is told session-expired and disconnected when its token runs out', async () => {
    const client = live(await tokenFor({ roles: ['member'], ttlSeconds: 3 }));
    await connected(client);
    expect(await join(client, `organisation:${HINOHARA}`)).toMatchObject({ ok: true });
    await until(() => client.disconnects.length === 1, 'the disconnection', 10_000);
    expect(client.notices).toEqual([
      { event: 'session-expired', payload: { code: 'TOKEN_EXPIRED', message: 'The token has expired: reconnect with a new one' } },
    ]);
    expect(client.disconnects).toEqual(['io server disconnect']);
  });
});

// ---------------------------------------------------------------------------------------------
// Two instances on one PostgreSQL and one Redis.

describe('with Redis, across two instances', () => {
  let redisUrl: string | undefined = process.env.REDIS_URL;
  let redisServer: ChildProcess | undefined;
  let a: AppProcess;
  let b: AppProcess;
  let shared: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    if (!redisUrl) {
      const binary = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find(existsSync);
      if (!binary) return;
      const port = await freePort();
      redisServer = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      redisUrl = `redis://127.0.0.1:${port}`;
      await until(() => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG', 'redis-server', 10_000);
    }
    shared = await createTestDatabase(embeddedServerUrl(), 'live2');
    a = await startApp({ databaseUrl: shared.url, env: { REDIS_URL: redisUrl } });
    // One issuer for both, as one OIDC provider would be: B gets A's embedded key.
    const keys = (dir: string) => path.join(dir, 'keys', 'embedded-issuer.private.jwk.json');
    const bDir = makeDataDir('live-b');
    mkdirSync(path.dirname(keys(bDir)), { recursive: true, mode: 0o700 });
    copyFileSync(keys(a.dataDir), keys(bDir));
    b = await startApp({ dataDir: bDir, databaseUrl: shared.url, env: { REDIS_URL: redisUrl } });
    tokens.hinoharaOnA = await demoLogin(a.url, HINOHARA_STAFF);
    tokens.auditorOnB = await demoLogin(b.url, AUDITOR);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await shared?.drop();
    redisServer?.kill('SIGTERM');
  });

  const requireRedis = () => {
    if (redisUrl) return true;
    if (process.env.CI === 'true') throw new Error('CI=true but there is no Redis (REDIS_URL) for the cross-instance tests');
    console.log('SKIPPED live cross-instance tests: no REDIS_URL and no redis-server here');
    return false;
  };

  it('shows presence across instances and delivers a change made through B to a client on A', async () => {
    if (!requireRedis()) return;
    const room = `organisation:${HINOHARA}`;
    const onA = live(tokens.hinoharaOnA, {}, a.url);
    const onB = live(tokens.auditorOnB, {}, b.url);
    for (const client of [onA, onB]) {
      await connected(client);
      expect(await join(client, room)).toMatchObject({ ok: true });
    }
    const ids = (client: LiveClient) => (client.presence.filter((p) => p.room === room).at(-1)?.people ?? []).map((p) => p.personId);
    await until(() => ids(onA).length === 2 && ids(onB).length === 2, 'presence across instances');
    expect(ids(onA).sort()).toEqual(['demo-auditor', 'demo-hinohara']);

    const position = await addMember(HINOHARA, b, tokens.hinoharaOnA);
    await until(() => onA.changes.some((c) => c.position === position), 'the change on A');
    expect(onA.changes.filter((c) => c.position === position)).toHaveLength(1);
  });

  it('recovers a dropped connection on the other instance, with what it missed', async () => {
    if (!requireRedis()) return;
    const client = live(tokens.hinoharaOnA, {}, a.url);
    await connected(client);
    expect(await join(client, `organisation:${HINOHARA}`)).toMatchObject({ ok: true });
    const first = await addMember(HINOHARA, a, tokens.hinoharaOnA);
    await until(() => client.changes.length === 1, 'the first change');
    expect(client.changes[0].position).toBe(first);

    client.socket.io.engine.close();
    await until(() => client.disconnects.length === 1, 'the disconnection');
    const missed: string[] = [];
    for (let i = 0; i < 20; i++) missed.push(await addMember(HINOHARA, b, tokens.hinoharaOnA));

    // As a load balancer would: the next connection lands on B.
    (client.socket.io as unknown as { uri: string }).uri = b.url;
    client.socket.connect();
    await connected(client);
    expect(client.socket.recovered).toBe(true);
    await until(() => client.changes.length >= 21, 'the missed changes');
    await quiet();
    expect(client.changes.slice(1).map((c) => c.position)).toEqual(missed);
  });
});
