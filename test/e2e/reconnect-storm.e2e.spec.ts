/**
 * Issue #9 item 12: N socket.io clients in one room lose their connections at the same moment and
 * come back at the same moment, while a writer keeps changing the room. The server must stay up,
 * its memory bounded, and every client must end with every change exactly once, in order.
 *
 * N is KYOGI_RECONNECT_CLIENTS (default 1,000, for CI); the full storm is
 *   ulimit -n 20000 && KYOGI_RECONNECT_CLIENTS=10000 npx jest --selectProjects e2e -- test/e2e/reconnect-storm.e2e.spec.ts
 * (after `npm run build`; see docs/operations.md). Every client is one socket in this process and
 * one in the app's, so both need N file descriptors and then some: checked first, with a clear error.
 *
 * A client comes back as the web client does: socket.io's connection state recovery when the
 * server still has its session (then it is in its rooms and gets what it missed without asking),
 * otherwise a new connection that joins again with `after` = the position of the last change seen.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

const CLIENTS = clientCount(process.env.KYOGI_RECONNECT_CLIENTS);
// The test took 15 s with 1,000 clients and 42 s with 10,000 on a 2-core machine; 60 ms a client on top of 3 minutes for a loaded one.
jest.setTimeout(180_000 + CLIENTS * 60);

const WRITER = 'staff@vill.hinohara.example.jp'; // 檜原村: member, approver, admin
const HINOHARA = '133078';
const ROOM = `organisation:${HINOHARA}`;
const run = randomBytes(4).toString('hex');
/** Pause between two of the writer's changes: the room changes about 5 times a second, each change going to all N clients. */
const WRITER_PAUSE_MS = 200;

/**
 * Without KYOGI_RECONNECT_CLIENTS: 1,000, or as many as this shell's open-file limit allows (each
 * client is a socket here and one in the app, plus 500 for everything else) — so that `npm test`
 * runs on a machine whose limit is the usual 1,024, saying so. CI raises the limit (.ci/run).
 */
function clientCount(value: string | undefined): number {
  if (value === undefined || value.trim() === '') {
    const fits = Math.max(100, Math.min(1000, openFileLimit('self') - 500));
    if (fits < 1000) console.info(`reconnect storm: ${fits} clients, not 1,000 — the open-file limit (ulimit -n) is ${openFileLimit('self')}`);
    return fits;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 50_000) {
    throw new Error(`KYOGI_RECONNECT_CLIENTS must be a whole number from 1 to 50000, got ${JSON.stringify(value)}`);
  }
  return n;
}

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
let token: string;
const clients: StormClient[] = [];
let stopWriter: (() => Promise<void>) | undefined;
let stopSampler: (() => void) | undefined;

beforeAll(async () => {
  // File descriptors beyond the sockets: the app's PostgreSQL pool, logs, node's own; this process's Jest workers.
  const needed = CLIENTS + 500;
  const ours = openFileLimit('self');
  if (ours < needed) {
    throw new Error(
      `${CLIENTS} clients need ${needed} open files in the test process, but its limit (ulimit -n) is ${ours}: raise it (ulimit -n ${needed}) or lower KYOGI_RECONNECT_CLIENTS`,
    );
  }
  database = await createTestDatabase(embeddedServerUrl(), 'storm');
  // Every client connects and joins as one person from one address: the per-person and
  // per-address limits (RATE_LIMIT_*, counted per connection and per join) would refuse them, as
  // they should refuse a real storm from one person; here they are off, as for the benchmarks.
  app = await startApp({ databaseUrl: database.url, seedDemo: true, env: { RATE_LIMIT_USER_POINTS: '0', RATE_LIMIT_IP_POINTS: '0' } });
  const theirs = openFileLimit(app.process.pid!);
  if (theirs < needed) {
    throw new Error(
      `${CLIENTS} clients need ${needed} open files in the app (a child of this process), but its limit (ulimit -n) is ${theirs}: raise it in the shell that runs jest`,
    );
  }
  token = await demoLogin(app.url, WRITER);
});

afterAll(async () => {
  stopSampler?.();
  await stopWriter?.().catch(() => undefined);
  for (const client of clients.splice(0)) client.socket.close();
  await stopAllApps();
  await database?.drop();
});

// ---------------------------------------------------------------------------------------------

/** The soft "Max open files" of a process. */
function openFileLimit(pid: number | 'self'): number {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
}

/** The app's resident memory in MB (VmRSS). */
function appRssMb(): number {
  const line = readFileSync(`/proc/${app.process.pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for the app (pid ${app.process.pid}): has it exited?`);
  return Number(/(\d+)/.exec(line)![1]) / 1024;
}

/** Samples the app's RSS every 100 ms; `peak` is the highest seen. */
function rssSampler() {
  let peak = appRssMb();
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, appRssMb());
    } catch {
      // the app is gone: the checks after the storm say so
    }
  }, 100);
  return {
    get peak() {
      return Math.max(peak, appRssMb());
    },
    stop: () => clearInterval(timer),
  };
}

interface StormClient {
  readonly socket: Socket;
  /** The position of every change received, in order of arrival. */
  readonly positions: string[];
  /** Events other than change and presence (resync-required, session-expired, left). */
  readonly notices: string[];
  disconnects: number;
}

function stormClient(): StormClient {
  const socket = io(`${app.url}/live`, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false, // the storm's reconnects are the test's to make, all at once
    autoConnect: false,
  });
  const client: StormClient = { socket, positions: [], notices: [], disconnects: 0 };
  socket.on('change', (change: { room: string; position: string }) => {
    if (change.room === ROOM) client.positions.push(change.position);
  });
  socket.onAny((event: string) => {
    if (event !== 'change' && event !== 'presence') client.notices.push(event);
  });
  socket.on('disconnect', () => (client.disconnects += 1));
  clients.push(client);
  return client;
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    const onError = (error: Error) => {
      socket.off('connect', onConnect);
      reject(new Error(`${phase}: a client could not connect: ${error.message} ${JSON.stringify((error as { data?: unknown }).data ?? null)}`));
    };
    const onConnect = () => {
      socket.off('connect_error', onError);
      resolve();
    };
    socket.once('connect', onConnect);
    socket.once('connect_error', onError);
    socket.connect();
  });
}

/**
 * Connects again as socket.io-client's own reconnection would: a handshake that the server has not
 * answered within the client's timeout (20 s), or a WebSocket that could not be opened (one of
 * 10,000 opened in the same instant on loopback occasionally is), is tried again after a
 * randomised delay. Returns the number of retries.
 */
async function reconnect(socket: Socket): Promise<number> {
  for (let retries = 0; ; retries++) {
    try {
      await connected(socket);
      return retries;
    } catch (error) {
      // A refusal by the app (UNAUTHENTICATED, RATE_LIMITED) is final; a transport that failed is not.
      if (retries >= 5 || !/could not connect: (timeout|websocket error)/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 1000));
    }
  }
}

async function join(client: StormClient, after: string): Promise<void> {
  const ack = await client.socket.timeout(60_000).emitWithAck('join', { room: ROOM, after });
  if (!ack.ok) throw new Error(`join ${ROOM} was refused: ${JSON.stringify(ack)}`);
}

/** Runs `task` for each item, at most `width` at a time. */
async function inBatches<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

async function until(condition: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the test is doing, for the messages of a failure. */
let phase = 'starting';
/** Progress on stderr when KYOGI_RECONNECT_PROGRESS is set, for the long runs. */
const progress = (message: string) => {
  if (process.env.KYOGI_RECONNECT_PROGRESS)
    process.stderr.write(`[reconnect storm ${new Date().toISOString()}] ${message}; app RSS ${appRssMb().toFixed(0)} MB\n`);
};
let added = 0;
async function addMember(): Promise<string> {
  added += 1;
  const { addMember: payload } = await gqlData(
    app.url,
    'mutation ($input: AddMemberInput!) { addMember(input: $input) { position errors { code message } } }',
    {
      input: {
        commandId: randomUUID(),
        organisationId: HINOHARA,
        displayName: `再接続 ${added}`,
        email: `storm-${added}-${run}@example.jp`,
        roles: ['MEMBER'],
      },
    },
    token,
  );
  if (payload.errors.length) throw new Error(`addMember failed: ${JSON.stringify(payload.errors)}`);
  return payload.position;
}

/** Changes the room until stopped; `written` grows as each mutation is acknowledged. */
function writer() {
  const written: string[] = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      written.push(await addMember());
      await new Promise((r) => setTimeout(r, WRITER_PAUSE_MS));
    }
  })();
  return {
    written,
    /** Resolves once `count` more changes than now have been written. */
    async more(count: number) {
      const target = written.length + count;
      await until(
        () => written.length >= target,
        () => `${count} more changes from the writer`,
        60_000,
      );
    },
    async stop() {
      stopped = true;
      await done;
    },
  };
}

async function ready(): Promise<number> {
  return (await fetch(`${app.url}/health/ready`)).status;
}

// ---------------------------------------------------------------------------------------------

it(`${CLIENTS} clients dropped and reconnected at once get every change exactly once, in order; the server stays up with bounded memory`, async () => {
  const baseline = await addMember();
  const rssBefore = appRssMb();

  // Connecting is not the storm: in batches, every client joins after the same baseline.
  for (let i = 0; i < CLIENTS; i++) stormClient();
  phase = 'connecting and joining (in batches of 200)';
  const connectStarted = Date.now();
  await inBatches(clients, 200, async (client) => {
    await connected(client.socket);
    await join(client, baseline);
  });
  const connectMs = Date.now() - connectStarted;
  const sampler = rssSampler();
  stopSampler = sampler.stop;
  const rssJoined = appRssMb();
  progress(`${CLIENTS} joined in ${connectMs} ms`);
  const write = writer();
  stopWriter = write.stop;

  // Every client has seen a change (so it has a socket.io offset to recover from).
  await write.more(2);
  const beforeDrop = write.written.at(-1)!;
  await until(
    () => clients.every((c) => c.positions.includes(beforeDrop)),
    () => `every client to see ${beforeDrop} (${clients.filter((c) => c.positions.includes(beforeDrop)).length} of ${CLIENTS} did)`,
    60_000 + CLIENTS * 10,
  );

  // The storm: every transport closes at once (a network blip, a load balancer restart), the
  // room keeps changing, and every client comes back at once.
  phase = 'dropping every connection';
  for (const client of clients) client.socket.io.engine.close();
  await until(
    () => clients.every((c) => c.disconnects === 1),
    () => `every client to see its disconnection (${clients.filter((c) => c.disconnects === 1).length} of ${CLIENTS})`,
    30_000,
  );
  await write.more(3);
  progress('all dropped');

  phase = 'reconnecting all at once';
  const stormStarted = Date.now();
  let recovered = 0;
  let rejoined = 0;
  let retries = 0;
  await Promise.all(
    clients.map(async (client) => {
      retries += await reconnect(client.socket);
      if (client.socket.recovered) {
        recovered += 1;
        return;
      }
      rejoined += 1;
      await join(client, client.positions.at(-1)!);
    }),
  );
  const reconnectMs = Date.now() - stormStarted;
  progress(`all reconnected in ${reconnectMs} ms: ${recovered} recovered, ${rejoined} joined again, ${retries} retries`);
  const writtenAtReconnect = write.written.at(-1)!;
  await until(
    () => clients.every((c) => c.positions.includes(writtenAtReconnect)),
    () => `every client to catch up to ${writtenAtReconnect} (${clients.filter((c) => c.positions.includes(writtenAtReconnect)).length} of ${CLIENTS} did)`,
    60_000 + CLIENTS * 20,
  );
  const caughtUpMs = Date.now() - stormStarted;
  phase = 'live after the storm';

  // Live again: a few more changes after the storm, then the writer stops.
  await write.more(3);
  await write.stop();
  const last = write.written.at(-1)!;
  await until(
    () => clients.every((c) => c.positions.includes(last)),
    () => `every client to get the last change ${last} (${clients.filter((c) => c.positions.includes(last)).length} of ${CLIENTS} did)`,
    60_000 + CLIENTS * 10,
  );
  await new Promise((r) => setTimeout(r, 500)); // anything duplicated would arrive now
  sampler.stop();
  const rssPeak = sampler.peak;

  // The server stayed up and answers.
  expect(app.process.exitCode).toBeNull();
  expect(await ready()).toBe(200);

  // Every client: every change written after the baseline, once each, in order, nothing else.
  const expected = write.written;
  const wrong = clients.filter((c) => c.positions.length !== expected.length || c.positions.some((p, i) => p !== expected[i]));
  const notices = clients.flatMap((c) => c.notices);
  console.info(
    `[e2e figures] reconnect storm, ${CLIENTS} clients: connect+join ${connectMs} ms; all reconnected in ${reconnectMs} ms ` +
      `(${recovered} recovered by socket.io, ${rejoined} joined again with after; ${retries} connections retried after a timeout or a failed WebSocket); all caught up ${caughtUpMs} ms after the reconnect began; ` +
      `${expected.length} changes × ${CLIENTS} clients = ${expected.length * CLIENTS} deliveries expected, ${clients.reduce((n, c) => n + c.positions.length, 0)} received; ` +
      `${wrong.length} clients with a gap, duplicate or disorder; app RSS ${rssBefore.toFixed(0)} MB before, ${rssJoined.toFixed(0)} MB joined, peak ${rssPeak.toFixed(0)} MB`,
  );
  expect(notices).toEqual([]);
  expect(wrong.map((c) => ({ id: c.socket.id, received: c.positions.length, first: c.positions.slice(0, 3) }))).toEqual([]);
  expect(clients.every((c) => c.disconnects === 1)).toBe(true);

  // Memory: bounded per client, not by the number of changes or of reconnects.
  const bound = rssBefore + PEAK_MB_FIXED + (CLIENTS * PEAK_KB_PER_CLIENT) / 1024;
  expect({ peakMb: Math.round(rssPeak), boundMb: Math.round(bound), within: rssPeak <= bound }).toEqual({
    peakMb: Math.round(rssPeak),
    boundMb: Math.round(bound),
    within: true,
  });
});

/*
 * The memory bound, from measured runs on loopback (2 cores, Node 20): a joined client costs the
 * app about 17 KB (10,000 clients: 166 MB before, 340 MB joined); during the storm each also has
 * a dropped socket whose session socket.io keeps, a new one, its feed subscription and replay,
 * and buffers — 74 KB a client at the peak (905 MB with 10,000; 243 MB from 169 MB with 1,000).
 * 100 KB a client plus 150 MB for the app's own growth (GraphQL, the projector, V8 leaving
 * garbage for later) leaves room for a slower machine's garbage collector, and fails when
 * something grows with the number of changes times clients (socket.io's unbounded recovery store
 * grows by one packet per change per client) or leaks per reconnect.
 */
const PEAK_MB_FIXED = 150;
const PEAK_KB_PER_CLIENT = 100;
