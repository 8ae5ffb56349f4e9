/**
 * (2) Hot consultation: every active municipality (1,741) casts its stance on one consultation at
 * once, through the command path as a client would — GraphQL over HTTP, 64 keep-alive
 * connections — each by its own people: draftStance by a member, approveStance (決裁) by an
 * approver of the municipality. All stances go to one stream, so this is the worst case of
 * optimistic concurrency: one hot stream.
 *
 * The app is the built one (`npm run build`), started as a child process with the demo seed on a
 * fresh database of the embedded PostgreSQL (test/support/app-process.ts). A round opens a new
 * consultation over the municipalities, fires the stances, then checks that every one was
 * recorded exactly once: StanceCast events in the store, one per municipality, and the tally's
 * participatingCount. A round with a missing or doubled stance fails the benchmark.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { Client } from 'pg';
import { createTestDatabase } from '../support/databases';
import { demoLogin, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';
import { BENCH_APP_ENV, now, pool, type BenchContext, type Benchmark } from './harness';
import { percentile, ratePerSecond } from './stats';

const NAME = 'hot-consultation';
const ADMIN = 'admin@digital.example.jp'; // デジタル庁: admin and coordinator
const CONNECTIONS = 64;
/** Municipalities in a warm-up round (it warms the app's code paths, not its data). */
const WARMUP_MUNICIPALITIES = 100;
/** A round of all 1,741 municipalities takes minutes: at most this many measured rounds. */
const MAX_RUNS = 3;
/** PostgreSQL reports a backend's counters within 10 s of it going idle (PGSTAT_IDLE_INTERVAL). */
const STATS_FLUSH_MS = 11_000;

interface RoundResult {
  readonly stancesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly rolledBack: number;
}

/** POST /graphql on a fixed set of keep-alive connections. */
export class GraphQLConnections {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS, maxFreeSockets: CONNECTIONS });
  private readonly url: URL;

  constructor(baseUrl: string) {
    this.url = new URL('/graphql', baseUrl);
  }

  post<T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
    const body = JSON.stringify({ query, variables });
    return new Promise<T>((resolve, reject) => {
      const req = request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 500)}`));
            const parsed = JSON.parse(text) as { data?: T; errors?: unknown[] };
            if (parsed.errors?.length || !parsed.data) return reject(new Error(`GraphQL errors: ${JSON.stringify(parsed.errors).slice(0, 500)}`));
            resolve(parsed.data);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface StancePayload {
  draftId: string | null;
  position: string | null;
  errors: { code: string; message: string }[];
}
export const DRAFT = 'mutation ($input: DraftStanceInput!) { draftStance(input: $input) { draftId position errors { code message } } }';
export const APPROVE = 'mutation ($input: ApproveStanceInput!) { approveStance(input: $input) { draftId position errors { code message } } }';

/**
 * The `i`-th municipality's stance through the command path: draftStance, then approveStance by
 * the same person (every fourth objects, with a reason). Resolves with the approval's position.
 */
export async function castStance(graphql: GraphQLConnections, token: string, consultationId: string, i: number): Promise<string> {
  const { draftStance } = await graphql.post<{ draftStance: StancePayload }>(
    DRAFT,
    {
      input: {
        commandId: randomUUID(),
        consultationId,
        stance: i % 4 === 3 ? 'OBJECT' : 'APPROVE',
        reason: i % 4 === 3 ? '事務負担が大きいため' : null,
      },
    },
    token,
  );
  if (draftStance.errors.length || !draftStance.draftId) throw new Error(`draftStance: ${JSON.stringify(draftStance.errors)}`);
  const { approveStance } = await graphql.post<{ approveStance: StancePayload }>(
    APPROVE,
    { input: { commandId: randomUUID(), consultationId, draftId: draftStance.draftId } },
    token,
  );
  if (approveStance.errors.length || !approveStance.position) throw new Error(`approveStance: ${JSON.stringify(approveStance.errors)}`);
  return approveStance.position;
}

interface OrganisationPage {
  organisations: { totalCount: number; edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export async function municipalities(url: string, token: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: OrganisationPage = await gqlData<OrganisationPage>(
      url,
      'query ($after: String) { organisations(kind: MUNICIPALITY, first: 200, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }',
      { after },
      token,
    );
    const { organisations } = page;
    ids.push(...organisations.edges.map((e) => e.node.id));
    if (!organisations.pageInfo.hasNextPage) {
      if (ids.length !== organisations.totalCount) throw new Error(`listed ${ids.length} municipalities of ${organisations.totalCount}`);
      return ids;
    }
    after = organisations.pageInfo.endCursor;
  }
}

/** A member-and-approver per municipality, added by デジタル庁's admin, and their tokens. */
export async function stanceTakers(url: string, adminToken: string, organisationIds: readonly string[]): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  await pool(organisationIds.length, 16, async (i) => {
    const organisationId = organisationIds[i];
    const email = `bench-kessai-${organisationId}@${organisationId}.example.jp`;
    const { addMember } = await gqlData<{ addMember: { errors: { code: string }[] } }>(
      url,
      'mutation ($input: AddMemberInput!) { addMember(input: $input) { member { personId } errors { code message } } }',
      { input: { organisationId, displayName: `決裁 ${organisationId}`, email, roles: ['MEMBER', 'APPROVER'] } },
      adminToken,
    );
    if (addMember.errors.length) throw new Error(`addMember(${organisationId}): ${JSON.stringify(addMember.errors)}`);
    tokens.set(organisationId, await demoLogin(url, email));
  });
  return tokens;
}

/** A submitted proposal and an open, visible-tally consultation over `electorate`. */
export async function openConsultation(url: string, adminToken: string, electorate: readonly string[]): Promise<string> {
  const { draftProposal } = await gqlData<{ draftProposal: { proposal: { id: string } | null; errors: unknown[] } }>(
    url,
    'mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id } errors { code message } } }',
    {
      input: {
        commandId: randomUUID(),
        specId: 'juminkiroku',
        specVersion: '4.0',
        title: '旧氏の記載の選択（ベンチマーク）',
        changes: [{ kind: 'MODIFY', requirementId: '2.1.3', after: '旧氏の記載の有無を選択できること。', reason: '全市区町村の協議の性能測定' }],
      },
    },
    adminToken,
  );
  if (!draftProposal.proposal) throw new Error(`draftProposal: ${JSON.stringify(draftProposal.errors)}`);
  const proposalId = draftProposal.proposal.id;
  // `proposal` reads the write: openConsultation looks the proposal's status up in the read model.
  const { submitProposal } = await gqlData<{ submitProposal: { errors: unknown[] } }>(
    url,
    'mutation ($input: SubmitProposalInput!) { submitProposal(input: $input) { proposal { status } errors { code message } } }',
    { input: { proposalId } },
    adminToken,
  );
  if (submitProposal.errors.length) throw new Error(`submitProposal: ${JSON.stringify(submitProposal.errors)}`);
  const { openConsultation } = await gqlData<{ openConsultation: { consultationId: string | null; errors: unknown[] } }>(
    url,
    'mutation ($input: OpenConsultationInput!) { openConsultation(input: $input) { consultationId errors { code message } } }',
    {
      input: {
        commandId: randomUUID(),
        proposalId,
        electorate: { organisations: electorate },
        quorumPercent: 50,
        thresholdPercent: 50,
        thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT',
        blockVetoes: false,
        resultsHidden: false,
        closesAt: new Date(Date.now() + 6 * 3600_000).toISOString(),
      },
    },
    adminToken,
  );
  if (!openConsultation.consultationId) throw new Error(`openConsultation: ${JSON.stringify(openConsultation.errors)}`);
  return openConsultation.consultationId;
}

async function rolledBackTransactions(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

/** Every municipality's StanceCast exactly once, in the store and in the tally; throws otherwise. */
async function verify(app: AppProcess, databaseUrl: string, adminToken: string, consultationId: string, voters: readonly string[], lastPosition: string) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  let stored: { events: number; organisations: number; unexpected: number };
  try {
    const { rows } = await client.query<{ events: string; organisations: string; unexpected: string }>(
      `SELECT count(*) AS events, count(DISTINCT data->>'organisationId') AS organisations,
              count(*) FILTER (WHERE NOT (data->>'organisationId' = ANY($2::text[]))) AS unexpected
         FROM event_store.events WHERE event_type = 'StanceCast' AND data->>'consultationId' = $1`,
      [consultationId, voters],
    );
    stored = { events: Number(rows[0].events), organisations: Number(rows[0].organisations), unexpected: Number(rows[0].unexpected) };
  } finally {
    await client.end();
  }
  const { consultation } = await gqlData<{ consultation: { tally: { participatingCount: number; electorateCount: number } | null } }>(
    app.url,
    'query ($id: ID!, $waitFor: Position) { consultation(id: $id, waitFor: $waitFor) { tally { participatingCount electorateCount } } }',
    { id: consultationId, waitFor: lastPosition },
    adminToken,
  );
  const tally = consultation.tally;
  const n = voters.length;
  if (stored.events !== n || stored.organisations !== n || stored.unexpected !== 0 || tally?.participatingCount !== n || tally.electorateCount !== n) {
    throw new Error(
      `stances lost or doubled: ${n} cast; the store has ${stored.events} StanceCast events from ${stored.organisations} organisations (${stored.unexpected} unexpected); the tally counts ${tally?.participatingCount} of ${tally?.electorateCount}`,
    );
  }
  return { events: stored.events, participating: tally.participatingCount };
}

export const hotConsultation: Benchmark = {
  name: NAME,
  title: `hot consultation: every municipality casts a stance on one consultation at once (GraphQL over HTTP, ${CONNECTIONS} connections)`,
  async run(context: BenchContext): Promise<void> {
    const server = await context.embeddedServer();
    const database = await createTestDatabase(server.url, 'bench_hot');
    let app: AppProcess | undefined;
    try {
      context.progress('starting the built app (dist/apps/api/src/main.js) with the demo seed');
      app = await startApp({ databaseUrl: database.url, seedDemo: true, readyTimeoutMs: 300_000, env: BENCH_APP_ENV });
      const url = app.url;
      const adminToken = await demoLogin(url, ADMIN);
      const all = await municipalities(url, adminToken);
      const n = Math.min(all.length, context.size('municipalities', all.length, 100));
      const voters = all.slice(0, n);
      const warmVoters = all.slice(0, Math.min(n, WARMUP_MUNICIPALITIES));
      context.progress(`adding a member-approver to each of ${n} municipalities (of ${all.length}) and signing them in`);
      const tokens = await stanceTakers(url, adminToken, voters);
      const graphql = new GraphQLConnections(url);

      await new Promise((r) => setTimeout(r, STATS_FLUSH_MS));
      let rollbacks = await rolledBackTransactions(database.url);
      const recorded: string[] = [];
      try {
        const results = await context.rounds(
          `${n} stances`,
          ['stances'],
          async (_, __, warm): Promise<RoundResult> => {
            const electorate = warm ? warmVoters : voters;
            const consultationId = await openConsultation(url, adminToken, electorate);
            const latencies: number[] = [];
            const failures: string[] = [];
            let lastPosition = '';
            const started = now();
            await pool(electorate.length, CONNECTIONS, async (i) => {
              const organisationId = electorate[i];
              const token = tokens.get(organisationId)!;
              const t0 = now();
              try {
                const position = await castStance(graphql, token, consultationId, i);
                latencies.push(now() - t0);
                if (position > lastPosition) lastPosition = position; // positions sort as strings
              } catch (error) {
                failures.push(`${organisationId}: ${(error as Error).message}`);
              }
            });
            const elapsed = now() - started;
            if (failures.length) throw new Error(`${failures.length} of ${electorate.length} stances failed, e.g. ${failures.slice(0, 3).join('; ')}`);
            const check = await verify(app!, database.url, adminToken, consultationId, electorate, lastPosition);
            if (!warm) recorded.push(`${check.events}/${electorate.length}`);
            await new Promise((r) => setTimeout(r, STATS_FLUSH_MS));
            const after = await rolledBackTransactions(database.url);
            const rolledBack = after - rollbacks;
            rollbacks = after;
            return {
              stancesPerSecond: ratePerSecond(electorate.length, elapsed),
              p50Ms: percentile(latencies, 50),
              p99Ms: percentile(latencies, 99),
              rolledBack,
            };
          },
          MAX_RUNS,
        );
        const caseName = `embedded PG, ${n} municipalities, ${CONNECTIONS} connections`;
        const r = results.stances;
        context.figure(
          NAME,
          caseName,
          'stances/s (draft + approve each)',
          'stances/s',
          r.map((x) => x.stancesPerSecond),
        );
        context.figure(
          NAME,
          caseName,
          'p50 latency of a stance (2 mutations)',
          'ms',
          r.map((x) => x.p50Ms),
        );
        context.figure(
          NAME,
          caseName,
          'p99 latency of a stance (2 mutations)',
          'ms',
          r.map((x) => x.p99Ms),
        );
        context.figure(
          NAME,
          caseName,
          'rolled-back transactions (conflicts retried)',
          'count',
          r.map((x) => x.rolledBack),
        );
        context.note(
          NAME,
          `every round recorded each stance exactly once (StanceCast events / municipalities: ${recorded.join(', ')}; tally participatingCount equal); ` +
            `warm-up rounds used ${warmVoters.length} municipalities; conflicts are counted as rolled-back transactions of the database (pg_stat_database), ` +
            'since the api retries a wrong expected revision internally',
        );
      } finally {
        graphql.close();
      }
    } finally {
      await stopAllApps(); // the app, and its temporary DATA_DIR
      await database.drop();
    }
  },
};
