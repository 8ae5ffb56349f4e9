/**
 * (5) Read: the proposal page — the proposal with its revisions and comment threads, and the
 * tally of its consultation — as one GraphQL document, by autocannon with 50 connections against
 * the app, and against a bare @apollo/server answering the same document from memory
 * (bare-apollo-server.ts) in alternating rounds. The bare server is what GraphQL over HTTP costs
 * on this machine with no database, no auth, no framework: the ceiling of the app's read path.
 * The app answers a repeated page from its read cache (ADR 0020) while nothing is written; the
 * same app with the cache off (READ_CACHE_MAX_MB=0, a second process on the same database) runs
 * in the same rounds, so the executed path is measured beside it.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { createTestDatabase } from '../support/databases';
import { demoLogin, gqlData, makeDataDir, startApp, stopAllApps, type AppProcess } from '../support/app-process';
import { BENCH_APP_ENV, startPeerServer, type BenchContext, type Benchmark } from './harness';
import { pairedRatioValues } from './stats';

const NAME = 'read';
const CONNECTIONS = 50;
const ADMIN = 'admin@digital.example.jp';
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp';
const SAPPORO_APPROVER = 'approver@city.sapporo.example.jp';

export const PROPOSAL_PAGE = `query ProposalPage($id: ID!) {
  proposal(id: $id) {
    id title status specId specVersion currentRevision submittedAt draftedAt updatedAt
    authorOrganisation { id name }
    changes { changeId kind requirementId requirementTitle before after reason }
    revisions { revision title revisedAt changes { changeId kind requirementId after reason } }
    comments {
      id body edition status postedAt authorDisplayName authorOrganisation { id name }
      anchor { kind changeId requirementId }
      reactions { agree disagree }
      replies { id body edition status postedAt authorDisplayName authorOrganisation { id name } reactions { agree disagree } }
    }
  }
  consultations(proposalId: $id, first: 5) {
    totalCount
    edges { node { id status closesAt electorateCount tally { counts { approve object abstain block } participatingCount electorateCount } } }
  }
}`;

const ok = <T extends { errors: unknown[] }>(name: string, payload: T): T => {
  if (payload.errors.length) throw new Error(`${name}: ${JSON.stringify(payload.errors)}`);
  return payload;
};

/** A submitted proposal with 3 revisions, 8 comment threads of 3 replies, and an open consultation with one stance. */
export async function proposalPage(url: string): Promise<string> {
  const [admin, staff, approver] = await Promise.all([ADMIN, SAPPORO_STAFF, SAPPORO_APPROVER].map((email) => demoLogin(url, email)));
  const changes = (revision: number) =>
    ['1.1.1', '1.2.1', '2.1.3', '2.1.4'].map((requirementId, i) => ({
      kind: 'MODIFY',
      requirementId,
      after: `第${revision}版の修文案 ${i + 1}：住民票の記載事項について、旧氏の記載の有無を選択できること。`,
      reason: `地方公共団体からの意見を踏まえ、記載の選択を可能にするため（改訂 ${revision}）`,
    }));
  const drafted = ok(
    'draftProposal',
    (
      await gqlData(
        url,
        'mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id } errors { code message } } }',
        { input: { commandId: randomUUID(), specId: 'juminkiroku', specVersion: '4.0', title: '旧氏の記載の選択（読み取り測定）', changes: changes(1) } },
        admin,
      )
    ).draftProposal,
  );
  const proposalId: string = drafted.proposal.id;
  for (const revision of [2, 3]) {
    ok(
      'reviseProposal',
      (
        await gqlData(
          url,
          'mutation ($input: ReviseProposalInput!) { reviseProposal(input: $input) { proposal { id } errors { code message } } }',
          { input: { commandId: randomUUID(), proposalId, title: `旧氏の記載の選択（改訂 ${revision}）`, changes: changes(revision) } },
          admin,
        )
      ).reviseProposal,
    );
  }
  ok(
    'submitProposal',
    (
      await gqlData(
        url,
        'mutation ($input: SubmitProposalInput!) { submitProposal(input: $input) { proposal { status } errors { code message } } }',
        { input: { proposalId } },
        admin,
      )
    ).submitProposal,
  );
  const post = async (token: string, body: string, parentCommentId: string | null) =>
    ok(
      'postComment',
      (
        await gqlData(
          url,
          'mutation ($input: PostCommentInput!) { postComment(input: $input) { comment { id } errors { code message } } }',
          { input: { commandId: randomUUID(), proposalId, anchor: { kind: 'REQUIREMENT', requirementId: '2.1.3' }, parentCommentId, body } },
          token,
        )
      ).postComment,
    ).comment.id as string;
  for (let thread = 0; thread < 8; thread++) {
    const top = await post(staff, `札幌市の意見 ${thread + 1}：旧氏の記載を選択制とする場合、証明書の様式も合わせて見直す必要があります。`, null);
    for (let reply = 0; reply < 3; reply++) await post(reply % 2 ? staff : admin, `返信 ${reply + 1}：ご指摘の点は次の改訂で検討します。`, top);
  }
  const opened = ok(
    'openConsultation',
    (
      await gqlData(
        url,
        'mutation ($input: OpenConsultationInput!) { openConsultation(input: $input) { consultationId errors { code message } } }',
        {
          input: {
            commandId: randomUUID(),
            proposalId,
            electorate: { rule: 'ALL_MUNICIPALITIES_OF_PREFECTURE', prefectureCode: '01' },
            quorumPercent: 50,
            thresholdPercent: 50,
            thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT',
            blockVetoes: false,
            resultsHidden: false,
            closesAt: new Date(Date.now() + 6 * 3600_000).toISOString(),
          },
        },
        admin,
      )
    ).openConsultation,
  );
  const consultationId = opened.consultationId as string;
  const draft = ok(
    'draftStance',
    (
      await gqlData(
        url,
        'mutation ($input: DraftStanceInput!) { draftStance(input: $input) { draftId errors { code message } } }',
        { input: { commandId: randomUUID(), consultationId, stance: 'APPROVE' } },
        staff,
      )
    ).draftStance,
  );
  ok(
    'approveStance',
    (
      await gqlData(
        url,
        'mutation ($input: ApproveStanceInput!) { approveStance(input: $input) { consultation { id } errors { code message } } }',
        { input: { commandId: randomUUID(), consultationId, draftId: draft.draftId } },
        approver,
      )
    ).approveStance,
  );
  return proposalId;
}

/** PostgreSQL reports a backend's counters within 10 s of it going idle (PGSTAT_IDLE_INTERVAL). */
const STATS_FLUSH_MS = 11_000;

/** Scans (sequential and by index) of the read-model tables so far, as PostgreSQL counts them. */
async function readModelScans(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0) AS n FROM pg_stat_user_tables WHERE schemaname = 'read_models'`,
    );
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

/**
 * Read-model table scans per proposal page: each query of a field resolver scans at least one
 * table, so an N+1 shows as a count that grows with the comments. Only the page reads the read
 * models meanwhile (the projector writes them when events arrive, and none do).
 */
async function scansPerPage(databaseUrl: string, url: string, token: string, proposalId: string): Promise<number> {
  const pages = 20;
  await new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_MS)); // what the set-up did is counted before
  const before = await readModelScans(databaseUrl);
  for (let i = 0; i < pages; i++) await gqlData(url, PROPOSAL_PAGE, { id: proposalId }, token);
  await new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_MS));
  return ((await readModelScans(databaseUrl)) - before) / pages;
}

/** The app's read-cache header for one proposal page: `hit`, `miss`, or null when it has no read cache. */
async function readCacheHeader(url: string, body: string, token: string): Promise<string | null> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  await response.text();
  return response.headers.get('x-kyogi-read-cache');
}

interface RoundResult {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
}

async function load(url: string, body: string, token: string, seconds: number): Promise<RoundResult> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  if (result.errors || result.timeouts || result.non2xx)
    throw new Error(`${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`);
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99 };
}

export const read: Benchmark = {
  name: NAME,
  title: `read: the proposal page with autocannon (${CONNECTIONS} connections) against a bare @apollo/server answering it from memory`,
  async run(context: BenchContext): Promise<void> {
    const server = await context.embeddedServer();
    const database = await createTestDatabase(server.url, 'bench_read');
    const scratch = mkdtempSync(path.join(tmpdir(), 'kyogi-bench-read-'));
    let app: AppProcess | undefined;
    let uncached: AppProcess | undefined;
    let bare: { url: string; child: ChildProcess } | undefined;
    try {
      context.progress('starting the built app with the demo seed and writing a proposal page');
      // One DATA_DIR for both apps: it holds the embedded issuer's key, so a token of one is good on the other.
      const dataDir = makeDataDir('bench-read');
      app = await startApp({ databaseUrl: database.url, dataDir, seedDemo: true, readyTimeoutMs: 300_000, env: BENCH_APP_ENV });
      const proposalId = await proposalPage(app.url);
      const token = await demoLogin(app.url, SAPPORO_STAFF);
      const answer = await gqlData<Record<string, unknown>>(app.url, PROPOSAL_PAGE, { id: proposalId }, token);
      // The same app with its read cache off, on the same database (it does not project: the first app holds the lease).
      uncached = await startApp({
        databaseUrl: database.url,
        dataDir,
        seedDemo: false,
        readyTimeoutMs: 300_000,
        env: { ...BENCH_APP_ENV, READ_CACHE_MAX_MB: '0' },
      });
      const fromUncached = await gqlData<Record<string, unknown>>(uncached.url, PROPOSAL_PAGE, { id: proposalId }, token);
      if (JSON.stringify(fromUncached) !== JSON.stringify(answer)) throw new Error('the app answers the proposal page differently with its read cache off');
      const body = JSON.stringify({ query: PROPOSAL_PAGE, variables: { id: proposalId } });
      if ((await readCacheHeader(app.url, body, token)) !== 'hit') throw new Error('the app did not answer a repeated proposal page from its read cache');
      if ((await readCacheHeader(uncached.url, body, token)) !== null) throw new Error('the app with READ_CACHE_MAX_MB=0 still reports a read cache');
      const answerFile = path.join(scratch, 'answer.json');
      writeFileSync(answerFile, JSON.stringify(answer));
      bare = await startPeerServer('bare-apollo-server.ts', [answerFile]);
      // Both answer the same document with the same data.
      const fromBare = await gqlData<Record<string, unknown>>(bare.url, PROPOSAL_PAGE, { id: proposalId });
      if (JSON.stringify(fromBare) !== JSON.stringify(answer)) throw new Error('the bare server does not answer the proposal page as the app does');

      // Executed pages only: the cached app would answer most of them without reading a table.
      context.progress('counting the read-model table scans of one proposal page (read cache off)');
      const scans = await scansPerPage(database.url, uncached.url, token, proposalId);

      const seconds = context.size('duration', 10, 3);
      const targets = { app: `${app.url}/graphql`, uncached: `${uncached.url}/graphql`, bare: `${bare.url}/graphql` };
      const results = await context.rounds(`proposal page, ${seconds} s per side`, ['app', 'uncached', 'bare'] as const, (side) =>
        load(targets[side], body, token, seconds),
      );
      const caseName = `proposal page, ${CONNECTIONS} connections, ${seconds} s`;
      const rate = (side: 'app' | 'uncached' | 'bare') => results[side].map((r) => r.requestsPerSecond);
      context.figure(NAME, caseName, 'kyogi app req/s', 'req/s', rate('app'));
      context.figure(NAME, caseName, 'kyogi app, read cache off, req/s', 'req/s', rate('uncached'));
      context.figure(NAME, caseName, 'bare @apollo/server req/s', 'req/s', rate('bare'));
      context.figure(
        NAME,
        caseName,
        'kyogi app p99 latency',
        'ms',
        results.app.map((r) => r.p99Ms),
      );
      context.figure(
        NAME,
        caseName,
        'kyogi app, read cache off, p99 latency',
        'ms',
        results.uncached.map((r) => r.p99Ms),
      );
      context.figure(
        NAME,
        caseName,
        'bare @apollo/server p99 latency',
        'ms',
        results.bare.map((r) => r.p99Ms),
      );
      context.figure(NAME, caseName, 'kyogi ÷ bare (req/s, same round)', '×', pairedRatioValues(rate('app'), rate('bare')), { atLeast: 0.7 });
      context.figure(NAME, caseName, 'kyogi, read cache off ÷ bare (req/s, same round)', '×', pairedRatioValues(rate('uncached'), rate('bare')));
      context.figure(NAME, caseName, 'read-model table scans per page (app, read cache off)', 'scans', [scans]);
      context.note(
        NAME,
        `answer of ${Buffer.byteLength(JSON.stringify(answer))} bytes: 3 revisions of 4 changes, 8 threads of 3 replies, a consultation's tally; ` +
          `the app answers repeated pages from its read cache (no write meanwhile), the app with READ_CACHE_MAX_MB=0 executes every one`,
      );
    } finally {
      bare?.child.kill('SIGTERM');
      await stopAllApps();
      await database.drop();
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
