/**
 * The organisations slice from the outside: the built app as a child process on a fresh
 * database of the shared embedded PostgreSQL (DATABASE_URL, so no embedded server of its own),
 * seeded with every local government, driven over HTTP and graphql-ws.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gql, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

const ADMIN = 'admin@digital.example.jp'; // デジタル庁, national admin
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp'; // 札幌市 member
const HINOHARA_ADMIN = 'staff@vill.hinohara.example.jp'; // 檜原村 admin
const AUDITOR = 'auditor@observer.example.jp'; // viewer
const HINOHARA = '133078';
const SAPPORO = '011002';

// jest.config.js sets testTimeout on the e2e project, but Jest reads testTimeout only from the
// global config, so it has no effect there.
jest.setTimeout(120_000);

const run = randomBytes(4).toString('hex'); // keeps names and e-mails of this run apart

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'e2e');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  for (const email of [ADMIN, SAPPORO_STAFF, HINOHARA_ADMIN, AUDITOR]) tokens[email] = await demoLogin(app.url, email);
});

afterAll(async () => {
  await stopAllApps();
  await database?.drop();
});

const ORGANISATION_FIELDS = 'id kind name code prefectureCode active memberCount version';

async function organisation(id: string, token = tokens[ADMIN]) {
  const data = await gqlData(app.url, `query ($id: ID) { organisation(id: $id) { ${ORGANISATION_FIELDS} members { personId email roles } } }`, { id }, token);
  return data.organisation;
}

async function totalCount(args: string, token = tokens[AUDITOR]): Promise<number> {
  const data = await gqlData(app.url, `{ organisations(${args}) { totalCount } }`, undefined, token);
  return data.organisations.totalCount;
}

async function readModelPosition(): Promise<string> {
  return (await gqlData(app.url, '{ serverInfo { readModelPosition } }', undefined, tokens[AUDITOR])).serverInfo.readModelPosition;
}

const REGISTER = `mutation ($input: RegisterOrganisationInput!) {
  registerOrganisation(input: $input) { organisation { ${ORGANISATION_FIELDS} } position errors { code message field } }
}`;
const ADD_MEMBER = `mutation ($input: AddMemberInput!) {
  addMember(input: $input) { member { personId displayName email roles organisation { id memberCount } } position errors { code message field } }
}`;

describe('the seed', () => {
  it('has the 47 prefectures and 1,741 active municipalities (1,747 with the inactive Northern Territories villages)', async () => {
    expect(await totalCount('kind: PREFECTURE')).toBe(47);
    expect(await totalCount('kind: MUNICIPALITY')).toBe(1741);
    expect(await totalCount('kind: MUNICIPALITY, includeInactive: true')).toBe(1747);
  });

  it('finds 札幌市 by its code 011002, in 北海道', async () => {
    const data = await gqlData(
      app.url,
      '{ organisation(code: "011002") { id kind name code prefectureCode active prefecture { id kind name code } } }',
      undefined,
      tokens[AUDITOR],
    );
    expect(data.organisation).toEqual({
      id: SAPPORO,
      kind: 'MUNICIPALITY',
      name: '札幌市',
      code: SAPPORO,
      prefectureCode: '01',
      active: true,
      prefecture: { id: '010006', kind: 'PREFECTURE', name: '北海道', code: '010006' },
    });
  });

  it('pages through all 1,741 municipalities, 200 at a time, each once and in code order', async () => {
    const query = `query ($after: String) { organisations(kind: MUNICIPALITY, first: 200, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id code kind } } } }`;
    const codes: string[] = [];
    const ids = new Set<string>();
    const pageSizes: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const { organisations }: { organisations: any } = await gqlData(app.url, query, { after }, tokens[AUDITOR]);
      expect(organisations.totalCount).toBe(1741);
      pageSizes.push(organisations.edges.length);
      for (const { node } of organisations.edges) {
        expect(node.kind).toBe('MUNICIPALITY');
        ids.add(node.id);
        codes.push(node.code);
      }
      if (!organisations.pageInfo.hasNextPage) break;
      expect(organisations.pageInfo.endCursor).toBe(organisations.edges.at(-1).cursor);
      after = organisations.pageInfo.endCursor;
    }
    expect(pageSizes).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 141]);
    expect(ids.size).toBe(1741);
    expect(codes).toHaveLength(1741);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(1741);

    const tooBig = await gql(app.url, '{ organisations(first: 201) { totalCount } }', undefined, tokens[AUDITOR]);
    expect(tooBig.errors?.[0].extensions?.code).toBe('INVALID_PAGE_SIZE');
    const badCursor = await gql(app.url, '{ organisations(after: "not-a-cursor") { totalCount } }', undefined, tokens[AUDITOR]);
    expect(badCursor.errors?.[0].extensions?.code).toBe('INVALID_CURSOR');
  });
});

describe('authentication', () => {
  it('shows a demo user who they are', async () => {
    const { me } = await gqlData(app.url, '{ me { personId displayName roles organisation { id name kind } } }', undefined, tokens[HINOHARA_ADMIN]);
    expect(me).toEqual({
      personId: 'demo-hinohara',
      displayName: '檜原 五郎',
      roles: ['MEMBER', 'APPROVER', 'ADMIN'],
      organisation: { id: HINOHARA, name: '檜原村', kind: 'MUNICIPALITY' },
    });
  });

  it('refuses queries and mutations without a valid token with UNAUTHENTICATED', async () => {
    const valid = tokens[ADMIN].split('.');
    const other = tokens[AUDITOR].split('.');
    const forged = [valid[0], other[1], valid[2]].join('.'); // the auditor's claims under the admin's signature
    for (const token of [undefined, 'garbage', forged]) {
      const query = await gql(app.url, '{ organisations(kind: PREFECTURE) { totalCount } }', undefined, token);
      expect(query.data ?? null).toBeNull();
      expect(query.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      const me = await gql(app.url, '{ me { personId } }', undefined, token);
      expect(me.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect(me.data?.me ?? null).toBeNull();
      const mutation = await gql(app.url, REGISTER, { input: { kind: 'VENDOR', id: `anon-${run}`, name: `匿名 ${run}` } }, token);
      expect(mutation.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    }
    expect(await totalCount(`kind: VENDOR, search: "匿名 ${run}"`)).toBe(0);
  });

  it('gives no demo login for an unknown e-mail', async () => {
    const { demoLogin: payload } = await gqlData(app.url, 'mutation { demoLogin(email: "nobody@example.jp") { token errors { code field } } }');
    expect(payload).toEqual({ token: null, errors: [{ code: 'UNKNOWN_DEMO_USER', field: 'email' }] });
  });
});

describe('registerOrganisation', () => {
  it('registers a vendor for a national admin and answers with the organisation already readable', async () => {
    const input = { commandId: randomUUID(), id: `e2e-vendor-${run}`, kind: 'VENDOR', name: `株式会社E2Eシステム ${run}` };
    const first = (await gqlData(app.url, REGISTER, { input }, tokens[ADMIN])).registerOrganisation;
    expect(first.errors).toEqual([]);
    expect(first.position).toEqual(expect.any(String));
    expect(first.organisation).toMatchObject({
      id: input.id,
      kind: 'VENDOR',
      name: input.name,
      code: null,
      prefectureCode: null,
      active: true,
      memberCount: 0,
      version: 0,
    });

    // A retry with the same commandId: the same answer, nothing registered twice.
    const again = (await gqlData(app.url, REGISTER, { input }, tokens[ADMIN])).registerOrganisation;
    expect(again).toEqual(first);
    expect(await totalCount(`kind: VENDOR, search: "${input.name}"`)).toBe(1);

    // A new command for the same id is a conflict, reported as such.
    const duplicate = (await gqlData(app.url, REGISTER, { input: { ...input, commandId: randomUUID() } }, tokens[ADMIN])).registerOrganisation;
    expect(duplicate).toMatchObject({ organisation: null, position: null, errors: [{ code: 'ORGANISATION_ALREADY_REGISTERED', field: 'organisationId' }] });
    expect(await totalCount(`kind: VENDOR, search: "${input.name}"`)).toBe(1);
  });

  // The schema: commandId "makes a retry idempotent: the same commandId never registers twice".
  // Without an id the app makes one up for a vendor, and a retry must not make up a second one.
  it('answers a retry with the same commandId, but no id, like the first time (the app makes up the id)', async () => {
    const input = { commandId: randomUUID(), kind: 'VENDOR', name: `ID自動採番ベンダー ${run}` };
    const first = await gql(app.url, REGISTER, { input }, tokens[ADMIN]);
    expect(first.errors).toBeUndefined();
    expect(first.data.registerOrganisation.errors).toEqual([]);
    const again = await gql(app.url, REGISTER, { input }, tokens[ADMIN]);
    expect(again.errors).toBeUndefined();
    expect(again.data?.registerOrganisation).toEqual(first.data.registerOrganisation);
    expect(await totalCount(`kind: VENDOR, search: "${input.name}"`)).toBe(1);
  });

  it('refuses a municipality code with a wrong check digit and stores nothing', async () => {
    const before = { municipalities: await totalCount('kind: MUNICIPALITY, includeInactive: true'), position: await readModelPosition() };
    // 札幌市 is 011002: 01100 → check digit 2.
    const input = { commandId: randomUUID(), kind: 'MUNICIPALITY', name: `誤検査数字市 ${run}`, code: '011003' };
    const payload = (await gqlData(app.url, REGISTER, { input }, tokens[ADMIN])).registerOrganisation;
    expect(payload.organisation).toBeNull();
    expect(payload.position).toBeNull();
    expect(payload.errors).toEqual([{ code: 'INVALID_LOCAL_GOV_CODE', field: 'code', message: expect.stringContaining('011003') }]);

    expect((await gqlData(app.url, '{ organisation(code: "011003") { id } }', undefined, tokens[AUDITOR])).organisation).toBeNull();
    expect(await totalCount('kind: MUNICIPALITY, includeInactive: true')).toBe(before.municipalities);
    expect(await totalCount(`search: "${input.name}", includeInactive: true`)).toBe(0);
    expect(await readModelPosition()).toBe(before.position);
  });

  it('is FORBIDDEN, in the payload, for a member of 札幌市', async () => {
    const input = { commandId: randomUUID(), id: `e2e-forbidden-${run}`, kind: 'VENDOR', name: `札幌市が登録したベンダー ${run}` };
    const payload = (await gqlData(app.url, REGISTER, { input }, tokens[SAPPORO_STAFF])).registerOrganisation;
    expect(payload).toMatchObject({ organisation: null, position: null, errors: [{ code: 'FORBIDDEN' }] });
    expect(await organisation(input.id)).toBeNull();
  });
});

describe('addMember', () => {
  it("lets 檜原村's admin add a member to 檜原村, who can then sign in with the new roles", async () => {
    const before = await organisation(HINOHARA);
    const email = `e2e-${run}@vill.hinohara.example.jp`;
    const input = { commandId: randomUUID(), organisationId: HINOHARA, displayName: '檜原 新人', email, roles: ['APPROVER', 'MEMBER'] };
    const payload = (await gqlData(app.url, ADD_MEMBER, { input }, tokens[HINOHARA_ADMIN])).addMember;
    expect(payload.errors).toEqual([]);
    expect(payload.position).toEqual(expect.any(String));
    expect(payload.member).toMatchObject({
      displayName: '檜原 新人',
      email,
      roles: ['MEMBER', 'APPROVER'],
      organisation: { id: HINOHARA, memberCount: before.memberCount + 1 },
    });

    const token = await demoLogin(app.url, email);
    const { me } = await gqlData(app.url, '{ me { personId displayName roles organisation { id name } } }', undefined, token);
    expect(me).toEqual({
      personId: payload.member.personId,
      displayName: '檜原 新人',
      roles: ['MEMBER', 'APPROVER'],
      organisation: { id: HINOHARA, name: '檜原村' },
    });
  });

  it("is FORBIDDEN for 檜原村's admin on 札幌市, and adds no one", async () => {
    const before = await organisation(SAPPORO);
    const email = `e2e-intruder-${run}@city.sapporo.example.jp`;
    const input = { commandId: randomUUID(), organisationId: SAPPORO, displayName: '越境 太郎', email, roles: ['ADMIN'] };
    const payload = (await gqlData(app.url, ADD_MEMBER, { input }, tokens[HINOHARA_ADMIN])).addMember;
    expect(payload).toMatchObject({ member: null, position: null, errors: [{ code: 'FORBIDDEN' }] });
    const after = await organisation(SAPPORO);
    expect(after.memberCount).toBe(before.memberCount);
    expect(after.members.map((m: { email: string }) => m.email)).not.toContain(email);
    const login = await gqlData(app.url, 'mutation ($email: String!) { demoLogin(email: $email) { token errors { code } } }', { email });
    expect(login.demoLogin).toEqual({ token: null, errors: [{ code: 'UNKNOWN_DEMO_USER' }] });
  });
});

describe('read your writes', () => {
  it('a query with waitFor: <position of a mutation> sees the new state', async () => {
    const before = await organisation(HINOHARA);
    const email = `e2e-waitfor-${run}@vill.hinohara.example.jp`;
    // Ask for the position only: the payload's member field would itself wait for the read model.
    const { addMember } = await gqlData(
      app.url,
      'mutation ($input: AddMemberInput!) { addMember(input: $input) { position errors { code } } }',
      { input: { commandId: randomUUID(), organisationId: HINOHARA, displayName: '待機 花子', email, roles: ['VIEWER'] } },
      tokens[ADMIN],
    );
    expect(addMember.errors).toEqual([]);
    const { organisation: after } = await gqlData(
      app.url,
      'query ($id: ID, $at: Position) { organisation(id: $id, waitFor: $at) { memberCount version members { email roles } } }',
      { id: HINOHARA, at: addMember.position },
      tokens[ADMIN],
    );
    expect(after.memberCount).toBe(before.memberCount + 1);
    expect(after.version).toBe(before.version + 1);
    expect(after.members).toContainEqual({ email, roles: ['VIEWER'] });

    const list = await gqlData(
      app.url,
      'query ($at: Position) { organisations(kind: MUNICIPALITY, search: "檜原村", waitFor: $at) { edges { node { id memberCount } } } }',
      { at: addMember.position },
      tokens[AUDITOR],
    );
    expect(list.organisations.edges).toEqual([{ node: { id: HINOHARA, memberCount: before.memberCount + 1 } }]);

    const bad = await gql(app.url, 'query ($at: Position) { organisation(id: "133078", waitFor: $at) { id } }', { at: 'yesterday' }, tokens[AUDITOR], {
      allowNon200: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

// ---------------------------------------------------------------------------------------------
// Subscriptions over graphql-ws.

interface Subscription<T> {
  readonly events: T[];
  readonly errors: unknown[];
  next(predicate: (event: T) => boolean, timeoutMs?: number): Promise<T>;
}

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

function wsClient(token: string | undefined, closed?: (event: { code: number; reason: string }) => void): Client {
  const client = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : undefined,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: { closed: (event) => closed?.(event as { code: number; reason: string }) },
  });
  clients.push(client);
  return client;
}

function subscribe<T>(client: Client, query: string, variables?: Record<string, unknown>): Subscription<T> {
  const events: T[] = [];
  const errors: unknown[] = [];
  const listeners = new Set<() => void>();
  client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(result.errors);
        if (result.data) events.push(result.data as T);
        for (const l of listeners) l();
      },
      error: (error) => {
        errors.push(error);
        for (const l of listeners) l();
      },
      complete: () => undefined,
    },
  );
  return {
    events,
    errors,
    next: (predicate, timeoutMs = 10_000) =>
      new Promise<T>((resolve, reject) => {
        const check = () => {
          const found = events.find(predicate);
          if (found) {
            cleanup();
            resolve(found);
          } else if (errors.length) {
            cleanup();
            reject(new Error(`subscription failed: ${JSON.stringify(errors)}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
  };
}

interface Change {
  organisationChanged: {
    organisationId: string;
    change: string;
    position: string;
    organisation: { id: string; prefectureCode: string | null; memberCount: number } | null;
  };
}
const CHANGES = `subscription ($prefectureCode: String) { organisationChanged(prefectureCode: $prefectureCode) {
  organisationId change position organisation { id prefectureCode memberCount } } }`;

describe('organisationChanged', () => {
  async function addMemberAsAdmin(organisationId: string, label: string) {
    const input = { commandId: randomUUID(), organisationId, displayName: `購読 ${label}`, email: `e2e-sub-${label}-${run}@example.jp`, roles: ['MEMBER'] };
    const { addMember } = await gqlData(app.url, ADD_MEMBER, { input }, tokens[ADMIN]);
    expect(addMember.errors).toEqual([]);
    return addMember as { position: string; member: { organisation: { memberCount: number } } };
  }

  it('delivers a change in 東京都 (13) to a subscriber of prefecture 13, and none from 北海道', async () => {
    const client = wsClient(tokens[ADMIN]);
    const tokyo = subscribe<Change>(client, CHANGES, { prefectureCode: '13' });
    const everything = subscribe<Change>(client, CHANGES, {});

    // graphql-ws does not acknowledge a subscribe: write until the unfiltered subscription
    // (sent after the one for 13, on the same socket) sees a change, so both are in place.
    let sentinel: string | undefined;
    for (let i = 0; i < 50 && !sentinel; i++) {
      const { position } = await addMemberAsAdmin(SAPPORO, `warmup${i}`);
      sentinel = await everything
        .next((e) => e.organisationChanged.position === position, 200)
        .then(() => position)
        .catch(() => undefined);
    }
    expect(sentinel).toBeDefined();

    const before = await organisation(HINOHARA);
    const hokkaido = await addMemberAsAdmin(SAPPORO, 'hokkaido');
    const tokyoChange = await addMemberAsAdmin(HINOHARA, 'tokyo');
    const received = await tokyo.next((e) => e.organisationChanged.position === tokyoChange.position);
    expect(received.organisationChanged).toEqual({
      organisationId: HINOHARA,
      change: 'MemberAdded',
      position: tokyoChange.position,
      organisation: { id: HINOHARA, prefectureCode: '13', memberCount: before.memberCount + 1 },
    });
    // The unfiltered subscription saw the 北海道 change, in order, before the 東京都 one …
    await everything.next((e) => e.organisationChanged.position === tokyoChange.position);
    const seen = everything.events.map((e) => e.organisationChanged.position);
    expect(seen.indexOf(hokkaido.position)).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf(hokkaido.position)).toBeLessThan(seen.indexOf(tokyoChange.position));
    // … the one for 13 only 東京都's.
    const secondTokyo = await addMemberAsAdmin(HINOHARA, 'tokyo2');
    await tokyo.next((e) => e.organisationChanged.position === secondTokyo.position);
    expect(tokyo.events.map((e) => e.organisationChanged.organisationId)).toEqual([HINOHARA, HINOHARA]);
    expect(tokyo.events.every((e) => e.organisationChanged.organisation?.prefectureCode === '13')).toBe(true);
    expect(tokyo.errors).toEqual([]);
  });

  it('tells a client only what it may read: member changes (personal data) reach neither an auditor nor another town', async () => {
    const auditor = subscribe<Change>(wsClient(tokens[AUDITOR]), CHANGES, {});
    const sapporo = subscribe<Change>(wsClient(tokens[SAPPORO_STAFF]), CHANGES, {});
    const hinohara = subscribe<Change>(wsClient(tokens[HINOHARA_ADMIN]), CHANGES, {});
    // A public change (a registration) proves all three subscriptions are in place …
    let registered: string | undefined;
    for (let i = 0; i < 50 && !registered; i++) {
      const input = { commandId: randomUUID(), id: `e2e-visibility-${i}-${run}`, kind: 'OBSERVER', name: `可視性 ${i} ${run}` };
      const { registerOrganisation } = await gqlData(app.url, REGISTER, { input }, tokens[ADMIN]);
      const position = registerOrganisation.position as string;
      const everyone = [auditor, sapporo, hinohara].map((s) => s.next((e) => e.organisationChanged.position === position, 300));
      registered = await Promise.all(everyone)
        .then(() => position)
        .catch(() => undefined);
    }
    expect(registered).toBeDefined();
    // … then a member change in 檜原村 reaches 檜原村 only.
    const { position } = await addMemberAsAdmin(HINOHARA, 'private');
    await hinohara.next((e) => e.organisationChanged.position === position);
    await new Promise((r) => setTimeout(r, 500));
    for (const other of [auditor, sapporo]) {
      expect(other.events.map((e) => e.organisationChanged.position)).not.toContain(position);
      expect(other.events.every((e) => e.organisationChanged.change === 'OrganisationRegistered')).toBe(true);
    }
    // The same personal data is refused to a query too.
    const refused = await gql(app.url, 'query ($id: ID) { organisation(id: $id) { id members { email } } }', { id: HINOHARA }, tokens[AUDITOR]);
    expect(refused.data?.organisation).toEqual({ id: HINOHARA, members: null });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('closes a socket that brings no token, or a bad one, with 4403', async () => {
    for (const token of [undefined, 'garbage']) {
      const closed = new Promise<{ code: number; reason: string }>((resolve) => wsClient(token, resolve));
      const client = clients.at(-1)!;
      const subscription = subscribe<Change>(client, CHANGES, {});
      let timer: NodeJS.Timeout | undefined;
      const event = await Promise.race([closed, new Promise<null>((r) => (timer = setTimeout(() => r(null), 10_000)))]);
      clearTimeout(timer);
      expect(event?.code).toBe(4403);
      await expect(subscription.next(() => true, 5_000)).rejects.toThrow(/subscription failed/);
      expect(subscription.events).toEqual([]);
    }
  });
});

describe('health', () => {
  it('is live and ready, with its checks', async () => {
    const live = await fetch(`${app.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { eventStore: 'ok', startup: 'ok', projections: 'caught up' },
      readModelPosition: expect.stringMatching(/^[0-9a-f]{16}\.[0-9a-f]{16}$/),
    });
  });
});
