/**
 * Issue #9, item 6: the read models rebuilt from zero while appends continue equal the ones the
 * running app kept up incrementally. The app (with its projector) serves a steady stream of
 * mutations from several people; meanwhile a second projector rebuilds every read model into
 * another database from the same event store, starting from position zero and catching up with
 * the live head. When the load stops and both have reached the head, every read-model table is
 * compared row by row (a digest of the sorted rows).
 */
import { randomUUID } from 'node:crypto';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';
import { readModelDigests, rebuildInto } from '../support/read-models';

jest.setTimeout(240_000);

const ADMIN = 'admin@digital.example.jp';
const WRITERS = ['approver@city.sapporo.example.jp', 'staff@vill.hinohara.example.jp', 'coordinator@pref.hokkaido.example.jp', 'secretariat@mic.example.jp'];
const LOAD_MS = Number(process.env.KYOGI_REBUILD_LOAD_MS ?? 6_000);

let app: AppProcess;
let live: { url: string; drop(): Promise<void> };
let rebuilt: { url: string; drop(): Promise<void> };

beforeAll(async () => {
  live = await createTestDatabase(embeddedServerUrl(), 'rebuildlive');
  rebuilt = await createTestDatabase(embeddedServerUrl(), 'rebuildzero');
  app = await startApp({ databaseUrl: live.url, seedDemo: true });
});

afterAll(async () => {
  await stopAllApps();
  await live?.drop();
  await rebuilt?.drop();
});

async function mutate(name: string, inputType: string, input: Record<string, unknown>, token: string, selection = ''): Promise<any> {
  const data = await gqlData(
    app.url,
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selection} position errors { code message } } }`,
    { input },
    token,
  );
  if (data[name].errors.length) throw new Error(`${name}: ${JSON.stringify(data[name].errors)}`);
  return data[name];
}

const CHANGE = { kind: 'MODIFY', requirementId: '2.1.3', after: '旧氏の記載の有無を選択できること。', reason: '旧氏を選べるようにするため' };

/** One writer's loop: a proposal drafted, revised, submitted, commented on, reacted to — until `until`. */
async function writerLoop(email: string, until: number): Promise<number> {
  const token = await demoLogin(app.url, email);
  let mutations = 0;
  for (let i = 0; Date.now() < until; i++) {
    const { proposal } = await mutate(
      'draftProposal',
      'DraftProposalInput',
      { specId: 'juminkiroku', specVersion: '4.0', title: `負荷 ${email} ${i}`, changes: [CHANGE] },
      token,
      'proposal { id }',
    );
    await mutate(
      'reviseProposal',
      'ReviseProposalInput',
      { proposalId: proposal.id, title: `負荷 ${email} ${i}（改）`, changes: [{ ...CHANGE, after: `旧氏の記載を選べること（${i}）。` }] },
      token,
    );
    await mutate('submitProposal', 'SubmitProposalInput', { proposalId: proposal.id }, token);
    const comment = await mutate(
      'postComment',
      'PostCommentInput',
      { commandId: randomUUID(), proposalId: proposal.id, anchor: { kind: 'CHANGE', changeId: '2_1_3' }, body: `コメント ${i}` },
      token,
      'comment { id }',
    );
    await mutate('reactToComment', 'ReactToCommentInput', { commentId: comment.comment.id, reaction: 'AGREE' }, token).catch(() => undefined);
    mutations += 5;
  }
  return mutations;
}

it('rebuilds, while appends continue, exactly the read models the app kept incrementally', async () => {
  const until = Date.now() + LOAD_MS;
  const load = Promise.all(WRITERS.map((email) => writerLoop(email, until)));
  // Start the rebuild once the load is under way: it replays the seed and chases the moving head.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const rebuild = await rebuildInto(live.url, rebuilt.url);
  try {
    const counts = await load;
    const total = counts.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(40);

    await rebuild.caughtUpTo();
    // The app's projector, up to the same head: a query that waits for it.
    const adminToken = await demoLogin(app.url, ADMIN);
    await gqlData(app.url, 'query ($p: Position) { proposals(first: 1, waitFor: $p) { totalCount } }', { p: await rebuild.head() }, adminToken);

    const [incremental, fromZero] = await Promise.all([readModelDigests(live.url), readModelDigests(rebuilt.url)]);
    expect(Object.keys(incremental).length).toBeGreaterThanOrEqual(10);
    expect(incremental.proposals.rows).toBeGreaterThanOrEqual(total / 5);
    expect(fromZero).toEqual(incremental);
    console.info(
      `[e2e figures] rebuild under load: ${total} mutations by ${WRITERS.length} writers over ${LOAD_MS} ms; ${Object.keys(incremental).length} read-model tables equal`,
    );
  } finally {
    await rebuild.stop();
  }
});
