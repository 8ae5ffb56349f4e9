/**
 * GraphQL subscriptions over graphql-ws as a client that loses its connection sees them: the
 * Origin check, and a resume with `after` that replays exactly what was missed from the change
 * log before going live.
 */
import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(120_000);

const HINOHARA_ADMIN = 'staff@vill.hinohara.example.jp';
const HINOHARA = '133078';
const run = randomBytes(4).toString('hex');

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
const tokens: Record<string, string> = {};
const clients: Client[] = [];

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'live');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  for (const email of [HINOHARA_ADMIN]) tokens[email] = await demoLogin(app.url, email);
});

afterAll(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await stopAllApps();
  await database?.drop();
});

/** A WebSocket that sends a browser's Origin header. */
const withOrigin = (origin: string) =>
  class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { origin } });
    }
  };

function client(token: string, webSocketImpl: unknown = WebSocket, closed?: (code: number) => void): Client {
  const c = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: { closed: (event) => closed?.((event as { code: number }).code) },
  });
  clients.push(c);
  return c;
}

interface Change {
  organisationChanged: { organisationId: string; change: string; position: string };
}

function collect(c: Client, variables: Record<string, unknown>) {
  const events: Change['organisationChanged'][] = [];
  const errors: unknown[] = [];
  c.subscribe<Change>(
    { query: 'subscription ($id: ID, $after: Position) { organisationChanged(id: $id, after: $after) { organisationId change position } }', variables },
    { next: (r) => (r.data ? events.push(r.data.organisationChanged) : errors.push(r.errors)), error: (e) => errors.push(e), complete: () => undefined },
  );
  const until = async (count: number, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (events.length < count && !errors.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (errors.length) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
    if (events.length < count) throw new Error(`got ${events.length} of ${count} changes`);
  };
  return { events, until };
}

let added = 0;
async function addMember(): Promise<string> {
  added += 1;
  const data = await gqlData(
    app.url,
    'mutation ($input: AddMemberInput!) { addMember(input: $input) { position errors { code message } } }',
    { input: { organisationId: HINOHARA, displayName: `職員 ${added}`, email: `m${added}.${run}@vill.hinohara.example.jp`, roles: ['MEMBER'] } },
    tokens[HINOHARA_ADMIN],
  );
  expect(data.addMember.errors).toEqual([]);
  return data.addMember.position;
}

it('refuses a browser connection from an origin that is not allowed (4403) and accepts an allowed one', async () => {
  const refused = new Promise<number>((resolve) => client(tokens[HINOHARA_ADMIN], withOrigin('https://evil.example'), resolve));
  expect(await refused).toBe(4403);

  const allowed = collect(client(tokens[HINOHARA_ADMIN], withOrigin('http://localhost:3000')), { id: HINOHARA });
  await new Promise((r) => setTimeout(r, 300)); // graphql-ws does not acknowledge a subscribe
  await addMember();
  await allowed.until(1);
  expect(allowed.events[0]).toMatchObject({ organisationId: HINOHARA, change: 'MemberAdded' });
});

it('replays exactly the 100 changes a client missed while disconnected, then goes live', async () => {
  const first = client(tokens[HINOHARA_ADMIN]);
  const before = collect(first, { id: HINOHARA });
  await new Promise((r) => setTimeout(r, 300));
  const lastSeenPosition = await addMember();
  await before.until(1);
  expect(before.events.at(-1)!.position).toBe(lastSeenPosition);
  await first.dispose(); // the connection drops

  const missed: string[] = [];
  for (let i = 0; i < 100; i += 10) missed.push(...(await Promise.all(Array.from({ length: 10 }, () => addMember()))));

  const started = Date.now();
  const resumed = collect(client(tokens[HINOHARA_ADMIN]), { id: HINOHARA, after: lastSeenPosition });
  await resumed.until(100);
  const replayMs = Date.now() - started;
  const live = await addMember();
  await resumed.until(101);
  await new Promise((r) => setTimeout(r, 300)); // nothing more may come

  const positions = resumed.events.map((e) => e.position);
  expect(positions).toHaveLength(101);
  expect(new Set(positions).size).toBe(101);
  expect([...positions].sort()).toEqual(positions); // positions sort as strings in log order
  expect(new Set(positions.slice(0, 100))).toEqual(new Set(missed));
  expect(positions[100]).toBe(live);
  console.info(`[e2e figures] graphql-ws resume: 100 missed changes replayed in ${replayMs} ms`);
});

it("ends a person's live connections (graphql-ws 4403, socket.io session-expired) when an admin changes their roles", async () => {
  const email = `revoked.${run}@vill.hinohara.example.jp`;
  const added = await gqlData(
    app.url,
    'mutation ($input: AddMemberInput!) { addMember(input: $input) { member { personId } errors { code } } }',
    { input: { organisationId: HINOHARA, displayName: '失効 花子', email, roles: ['MEMBER'] } },
    tokens[HINOHARA_ADMIN],
  );
  expect(added.addMember.errors).toEqual([]);
  const personId = added.addMember.member.personId as string;
  const memberToken = await demoLogin(app.url, email);

  let closedWith: number | undefined;
  const ws = collect(
    client(memberToken, WebSocket, (code) => (closedWith = code)),
    { id: HINOHARA },
  );
  const socket = io(`${app.url}/live`, { auth: { token: memberToken }, transports: ['websocket'], forceNew: true, reconnection: false });
  const notices: { code: string }[] = [];
  socket.on('session-expired', (notice: { code: string }) => notices.push(notice));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  await new Promise((r) => setTimeout(r, 300)); // graphql-ws does not acknowledge a subscribe
  await addMember(); // both connections are live
  await ws.until(1);

  const changed = await gqlData(
    app.url,
    'mutation ($input: ChangeMemberRolesInput!) { changeMemberRoles(input: $input) { member { roles } errors { code } } }',
    { input: { organisationId: HINOHARA, personId, roles: ['VIEWER'] } },
    tokens[HINOHARA_ADMIN],
  );
  expect(changed.changeMemberRoles).toEqual({ member: { roles: ['VIEWER'] }, errors: [] });

  const deadline = Date.now() + 10_000;
  while ((closedWith === undefined || socket.connected) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  socket.close();
  expect(closedWith).toBe(4403);
  expect(notices).toEqual([expect.objectContaining({ code: 'ROLES_CHANGED' })]);
  // A colleague's connection is not touched.
  const colleague = collect(client(tokens[HINOHARA_ADMIN]), { id: HINOHARA });
  await new Promise((r) => setTimeout(r, 300));
  await addMember();
  await colleague.until(1);
});
