/**
 * /metrics on the built app: after a few mutations, with a socket.io and a graphql-ws client
 * connected, the scrape shows the appends, the GraphQL operations, the connected clients, the
 * fan-out latency of the changes that reached the live layer, the projection lag on the instance
 * running the projections, and the process metrics. Without the token (and from outside the
 * allowed networks) it is refused.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, draftDemoProposal, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(120_000);

const TOKEN = 'metrics-e2e-token-0123456789abcdef0123';
const STAFF = 'staff@city.sapporo.example.jp';
let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
let socket: Socket | undefined;
let wsClient: Client | undefined;

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'metrics');
  // Loopback is not in the allowed networks here, so the token is what lets the test in.
  app = await startApp({ databaseUrl: database.url, env: { METRICS_TOKEN: TOKEN, METRICS_ALLOW_FROM: '192.0.2.0/24' } });
});

afterAll(async () => {
  socket?.disconnect();
  await wsClient?.dispose();
  await stopAllApps();
  await database?.drop();
});

async function scrape(token: string | null = TOKEN): Promise<{ status: number; text: string; contentType: string | null }> {
  const response = await fetch(`${app.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') };
}

/** The value of `name{labels}` in a scrape, labels in any order. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

async function until(check: (text: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  let text = '';
  while (Date.now() < deadline) {
    text = (await scrape()).text;
    if (check(text)) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${what} never showed in /metrics:\n${text
      .split('\n')
      .filter((l) => l.startsWith('kyogi_'))
      .join('\n')}`,
  );
}

it('refuses a scrape without the token, from outside the allowed networks', async () => {
  const refused = await scrape(null);
  expect(refused.status).toBe(401);
  expect(refused.text).not.toContain('kyogi_');
  expect((await scrape('wrong-token-wrong-token-wrong-token-00')).status).toBe(401);
});

it('serves appends, operations, clients, fan-out latency, projection lag and process metrics after a few mutations', async () => {
  const before = (await scrape()).text;
  const appendsBefore = value(before, 'kyogi_event_store_appends_total', { outcome: 'ok' }) ?? 0;
  const fanoutBefore = value(before, 'kyogi_live_fanout_latency_seconds_count') ?? 0;

  const token = await demoLogin(app.url, STAFF);
  socket = io(`${app.url}/live`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket!.once('connect', () => resolve());
    socket!.once('connect_error', reject);
  });
  wsClient = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
  });
  await new Promise<void>((resolve) => wsClient!.on('connected', () => resolve()));

  for (const title of ['旧氏の併記', '外字の扱い']) await draftDemoProposal(app.url, token, title);
  // A refused mutation counts as rejected, not ok.
  const refused = await gqlData(
    app.url,
    'mutation ($input: SubmitProposalInput!) { submitProposal(input: $input) { errors { code } } }',
    { input: { proposalId: 'Proposal-does-not-exist' } },
    token,
  );
  expect(refused.submitProposal.errors.length).toBeGreaterThan(0);

  // The drafts' changes reach the live layer after the projector commits them.
  const text = await until((t) => (value(t, 'kyogi_live_fanout_latency_seconds_count') ?? 0) >= fanoutBefore + 2, 'the fan-out of the two drafts');
  const { contentType } = await scrape();
  expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);

  expect(value(text, 'kyogi_event_store_appends_total', { outcome: 'ok' })).toBeGreaterThanOrEqual(appendsBefore + 2);
  expect(value(text, 'kyogi_event_store_append_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(appendsBefore + 2);
  expect(value(text, 'kyogi_graphql_operations_total', { operation_type: 'mutation', outcome: 'ok' })).toBeGreaterThanOrEqual(3); // demoLogin + 2 drafts
  expect(value(text, 'kyogi_graphql_operations_total', { operation_type: 'mutation', outcome: 'rejected' })).toBe(1);
  expect(value(text, 'kyogi_live_connected_clients', { transport: 'socket.io' })).toBe(1);
  expect(value(text, 'kyogi_live_connected_clients', { transport: 'graphql-ws' })).toBe(1);
  expect(value(text, 'kyogi_live_fanout_latency_seconds_sum')).toBeGreaterThan(0);
  expect(value(text, 'kyogi_projector_active', { process: 'api' })).toBe(1); // the single instance holds the lease
  expect(value(text, 'kyogi_projection_lag_events')).toBeGreaterThanOrEqual(0);
  expect(value(text, 'kyogi_projection_lag_seconds')).toBeGreaterThanOrEqual(0);
  expect(value(text, 'kyogi_http_requests_total', { method: 'POST', status_class: '2xx' })).toBeGreaterThanOrEqual(4);
  expect(value(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  expect(value(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);

  // Clients that leave are no longer counted.
  socket.disconnect();
  await wsClient.dispose();
  wsClient = undefined;
  const after = await until(
    (t) =>
      value(t, 'kyogi_live_connected_clients', { transport: 'socket.io' }) === 0 && value(t, 'kyogi_live_connected_clients', { transport: 'graphql-ws' }) === 0,
    'the disconnects',
  );
  expect(value(after, 'kyogi_live_connected_clients', { transport: 'graphql-ws' })).toBe(0);
});
