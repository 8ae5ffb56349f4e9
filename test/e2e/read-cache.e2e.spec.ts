/**
 * The read cache (apps/api/src/graphql/read-cache.ts, ADR 0020) on two api instances sharing
 * one PostgreSQL: `a` holds the projector lease, `b` hears of commits only through the change
 * log's notifications. A repeated query is answered from the cache; a write through either
 * instance is seen by the next query on both, without `waitFor`; one viewer's answer never
 * reaches another.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, draftDemoProposal, gqlData, makeDataDir, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(120_000);

const ADMIN = 'admin@digital.example.jp';
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp';
const run = randomBytes(4).toString('hex');

let a: AppProcess;
let b: AppProcess;
let database: { url: string; drop(): Promise<void> };
let admin: string;
let staff: string;

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'readcache');
  const dataDir = makeDataDir('readcache');
  const shared = { databaseUrl: database.url, dataDir, env: { REDIS_URL: process.env.REDIS_URL } };
  a = await startApp(shared); // first: takes the projector lease
  b = await startApp(shared);
  [admin, staff] = await Promise.all([demoLogin(a.url, ADMIN), demoLogin(a.url, SAPPORO_STAFF)]);
});

afterAll(async () => {
  await stopAllApps();
  await database?.drop();
});

interface Answer<T> {
  readonly data: T;
  /** `hit`, `miss`, or null when the query is not cacheable. */
  readonly cache: string | null;
}

async function ask<T>(app: AppProcess, query: string, variables: Record<string, unknown>, token: string): Promise<Answer<T>> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (response.status !== 200 || body.errors?.length) throw new Error(`${response.status}: ${JSON.stringify(body)}`);
  return { data: body.data as T, cache: response.headers.get('x-kyogi-read-cache') };
}

/**
 * Asks until the answer comes from the cache: background commits (the demo seed, the schedulers)
 * drop the cache at any time, so a repeat is a hit only when no commit landed in between.
 */
async function askUntilHit<T>(app: AppProcess, query: string, variables: Record<string, unknown>, token: string): Promise<Answer<T>> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const answer = await ask<T>(app, query, variables, token);
    if (answer.cache === 'hit') return answer;
    expect(answer.cache).toBe('miss');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no answer came from the read cache in 50 attempts');
}

const PAGE = `query ($id: ID!) { proposal(id: $id) { id title status comments { id body } } }`;
type Page = { proposal: { id: string; title: string; status: string; comments: { id: string; body: string }[] } | null };

const draftProposal = (title: string) => draftDemoProposal(a.url, admin, title);

/** Asks until `seen` holds, without waitFor: the cache must let a committed write through within the deadline. */
async function eventually(app: AppProcess, id: string, token: string, seen: (page: Page) => boolean): Promise<Page> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { data } = await ask<Page>(app, PAGE, { id }, token);
    if (seen(data)) return data;
    if (Date.now() > deadline) throw new Error(`still not seen after 10 s: ${JSON.stringify(data)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('answers a repeated query from the cache, on the instance that projects and on the one that does not', async () => {
  const { id, position } = await draftProposal(`キャッシュ確認 ${run} 1`);
  for (const app of [a, b]) {
    const first = await ask<Page>(app, `query ($id: ID!, $at: Position) { proposal(id: $id, waitFor: $at) { id title } }`, { id, at: position }, admin);
    expect(first.data.proposal?.title).toBe(`キャッシュ確認 ${run} 1`);
    const again = await askUntilHit<Page>(app, `query ($id: ID!, $at: Position) { proposal(id: $id, waitFor: $at) { id title } }`, { id, at: position }, admin);
    expect(again).toEqual({ data: first.data, cache: 'hit' });
    expect(first.cache).toBe('miss');
  }
});

it('lets every write through to the next queries of both instances, without waitFor', async () => {
  const { id } = await draftProposal(`キャッシュ確認 ${run} 2`);
  const submit = await gqlData(
    a.url,
    'mutation ($input: SubmitProposalInput!) { submitProposal(input: $input) { position errors { code message } } }',
    { input: { proposalId: id } },
    admin,
  );
  expect(submit.submitProposal.errors).toEqual([]);
  // Both instances cache the submitted page first.
  for (const app of [a, b]) {
    await eventually(app, id, admin, (page) => page.proposal?.status === 'SUBMITTED');
    expect((await askUntilHit<Page>(app, PAGE, { id }, admin)).data.proposal?.status).toBe('SUBMITTED');
  }
  // A comment posted through b (which does not project) is seen by both, each answer executed anew.
  const body = `キャッシュの後の意見 ${run}`;
  const posted = await gqlData(
    b.url,
    'mutation ($input: PostCommentInput!) { postComment(input: $input) { comment { id } errors { code message } } }',
    { input: { commandId: randomUUID(), proposalId: id, anchor: { kind: 'REQUIREMENT', requirementId: '2.1.3' }, parentCommentId: null, body } },
    staff,
  );
  expect(posted.postComment.errors).toEqual([]);
  for (const app of [a, b]) {
    const page = await eventually(app, id, admin, (p) => (p.proposal?.comments ?? []).some((c) => c.body === body));
    expect(page.proposal!.comments.map((c) => c.id)).toContain(posted.postComment.comment.id);
  }
});

it('keeps each viewer to their own answer: another organisation’s draft stays hidden after its author’s answer was cached', async () => {
  const { id, position } = await draftProposal(`キャッシュ確認 ${run} 3`);
  const query = `query ($id: ID!, $at: Position) { proposal(id: $id, waitFor: $at) { id title status } }`;
  for (const app of [a, b]) {
    const own = await ask<Page>(app, query, { id, at: position }, admin);
    expect(own.data.proposal?.status).toBe('DRAFTED');
    expect((await askUntilHit<Page>(app, query, { id, at: position }, admin)).data).toEqual(own.data);
    // Asked right after the author's answer was served from the cache: the other organisation still sees nothing.
    const other = await ask<Page>(app, query, { id, at: position }, staff);
    expect(other.data).toEqual({ proposal: null });
  }
});
