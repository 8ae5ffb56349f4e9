/**
 * Two api instances on one PostgreSQL: changes made through one reach live clients of the other,
 * and when the instance that runs the projections is SIGKILLed the other takes over without a
 * client of it missing a single change.
 */
import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gqlData, makeDataDir, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(120_000);

const HINOHARA_ADMIN = 'staff@vill.hinohara.example.jp';
const HINOHARA = '133078';
const run = randomBytes(4).toString('hex');

let a: AppProcess;
let b: AppProcess;
let database: { url: string; drop(): Promise<void> };
let token: string;
const clients: Client[] = [];

// Both instances share PostgreSQL, DATA_DIR (which then only holds the embedded issuer's key, so
// a token from one is good on the other) and, when the run has one (CI), Redis.
let dataDir: string;
const shared = () => ({ databaseUrl: database.url, dataDir, env: { REDIS_URL: process.env.REDIS_URL } });

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'multi');
  dataDir = makeDataDir('multi');
  a = await startApp(shared()); // first: takes the projector lease
  b = await startApp(shared());
  token = await demoLogin(a.url, HINOHARA_ADMIN);
});

afterAll(async () => {
  try {
    await Promise.allSettled(clients.splice(0).map((c) => c.dispose()));
  } finally {
    await stopAllApps();
    await database?.drop();
  }
});

async function ready(app: AppProcess): Promise<{ status: string; checks: Record<string, string> }> {
  const response = await fetch(`${app.url}/health/ready`);
  return (await response.json()) as { status: string; checks: Record<string, string> };
}

function subscribeOn(app: AppProcess) {
  const client = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
  });
  clients.push(client);
  const positions: string[] = [];
  const arrivals = new Map<string, number>();
  const errors: unknown[] = [];
  client.subscribe<{ organisationChanged: { position: string } }>(
    { query: 'subscription ($id: ID) { organisationChanged(id: $id) { position } }', variables: { id: HINOHARA } },
    {
      next: (r) => {
        if (!r.data) return void errors.push(r.errors);
        positions.push(r.data.organisationChanged.position);
        arrivals.set(r.data.organisationChanged.position, Date.now());
      },
      error: (e) => errors.push(e),
      complete: () => undefined,
    },
  );
  const waitFor = async (wanted: string[], timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (wanted.some((p) => !arrivals.has(p)) && !errors.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(errors).toEqual([]);
    expect(wanted.filter((p) => !arrivals.has(p))).toEqual([]);
  };
  return { positions, arrivals, waitFor };
}

let added = 0;
async function addMemberThrough(app: AppProcess): Promise<{ position: string; at: number }> {
  added += 1;
  const data = await gqlData(
    app.url,
    'mutation ($input: AddMemberInput!) { addMember(input: $input) { position errors { code message } } }',
    { input: { organisationId: HINOHARA, displayName: `二台 ${added}`, email: `multi${added}.${run}@vill.hinohara.example.jp`, roles: ['MEMBER'] } },
    token,
  );
  expect(data.addMember.errors).toEqual([]);
  return { position: data.addMember.position, at: Date.now() };
}

it('runs the projections on exactly one instance', async () => {
  expect((await ready(a)).checks.projections).toBe('caught up');
  expect((await ready(b)).checks.projections).toMatch(/^standby/);
  expect((await ready(b)).status).toBe('ready');
});

it('delivers a change made through one instance to a client of the other', async () => {
  const onA = subscribeOn(a);
  // graphql-ws does not acknowledge a subscribe: write until the first change arrives.
  let first: { position: string; at: number } | undefined;
  for (let i = 0; i < 50 && !first; i++) {
    const attempt = await addMemberThrough(b);
    await onA.waitFor([attempt.position], 300).then(
      () => (first = attempt),
      () => undefined,
    );
  }
  expect(first).toBeDefined();
  const latencies: number[] = [];
  for (let i = 0; i < 10; i++) {
    const change = await addMemberThrough(b);
    await onA.waitFor([change.position], 5_000);
    latencies.push(onA.arrivals.get(change.position)! - change.at);
  }
  latencies.sort((x, y) => x - y);
  console.info(`[e2e figures] change through B → client on A: median ${latencies[5]} ms, max ${latencies[9]} ms (10 changes)`);
  expect(latencies[9]).toBeLessThan(5_000);
});

it('loses no change for a client of the survivor when the projector holder is SIGKILLed', async () => {
  const onB = subscribeOn(b);
  let warm: string | undefined;
  for (let i = 0; i < 50 && !warm; i++) {
    const attempt = await addMemberThrough(b);
    await onB.waitFor([attempt.position], 300).then(
      () => (warm = attempt.position),
      () => undefined,
    );
  }
  expect(warm).toBeDefined();

  const acknowledged: string[] = [];
  let killedAt = 0;
  for (let i = 0; i < 60; i++) {
    acknowledged.push((await addMemberThrough(b)).position);
    if (i === 20) {
      killedAt = Date.now();
      await a.kill(); // the projector holder dies mid-stream
    }
  }
  await onB.waitFor(acknowledged, 30_000);
  const takeover = [...onB.arrivals.entries()].filter(([p]) => acknowledged.indexOf(p) > 20).map(([, t]) => t);
  const received = onB.positions.filter((p) => acknowledged.includes(p));
  expect(received).toEqual(acknowledged); // every one, once, in order
  expect((await ready(b)).checks.projections).toBe('caught up'); // B now runs them
  console.info(`[e2e figures] projector takeover: first change after the SIGKILL reached B's client ${Math.min(...takeover) - killedAt} ms after the kill`);
});
