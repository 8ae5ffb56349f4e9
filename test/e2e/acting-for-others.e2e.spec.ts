/**
 * Issue #9, items 1–3, from the outside: the built app with the demo seed, on a fresh database.
 * 札幌市 (011002) and 檜原村 (133078) are the electorate of one round.
 * 1. 札幌市's people try to draft, approve and withdraw for 檜原村: refused, nothing recorded in the
 *    event log, every attempt in the security log (which a national admin reads).
 * 2. Two sessions of 札幌市 cast at once: one official stance, never two.
 * 3. A command retried after its answer was lost (the client gave up waiting): applied once.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gql, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(180_000);

const ADMIN = 'admin@digital.example.jp';
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp'; // member of 札幌市
const SAPPORO_APPROVER = 'approver@city.sapporo.example.jp'; // member, approver of 札幌市
const HINOHARA = 'staff@vill.hinohara.example.jp'; // member, approver, admin of 檜原村
const SAPPORO = '011002';
const HINOHARA_ID = '133078';

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
const tokens: Record<string, string> = {};
let consultationId: string;
let hinoharaProposal: string;

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'actingforothers');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  for (const email of [ADMIN, SAPPORO_STAFF, SAPPORO_APPROVER, HINOHARA]) tokens[email] = await demoLogin(app.url, email);
});

afterAll(async () => {
  await stopAllApps();
  await database?.drop();
});

async function sql<T extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const db = new Client({ connectionString: database.url });
  await db.connect();
  try {
    return (await db.query<T>(text, values)).rows;
  } finally {
    await db.end();
  }
}

const eventCount = async (): Promise<number> => Number((await sql<{ n: string }>('SELECT count(*) AS n FROM event_store.events'))[0].n);

type Errors = { code: string; field: string | null; message: string }[];

async function mutate(name: string, inputType: string, input: Record<string, unknown>, token: string, selection = ''): Promise<any> {
  const data = await gqlData(
    app.url,
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selection} position errors { code field message } } }`,
    { input },
    token,
  );
  return data[name];
}

const draftStance = (input: Record<string, unknown>, email: string) =>
  mutate('draftStance', 'DraftStanceInput', { consultationId, stance: 'APPROVE', ...input }, tokens[email], 'draftId');
const approveStance = (input: Record<string, unknown>, email: string) =>
  mutate('approveStance', 'ApproveStanceInput', { consultationId, ...input }, tokens[email]);

type Cast = { organisationId: string; draftId: string; stance: string; reason: string | null };

/** Each organisation's official stance, from the StanceCast events in the store. */
async function officialStances(): Promise<Cast[]> {
  const rows = await sql<{ data: Cast }>(`SELECT data FROM event_store.events WHERE stream_name = $1 AND event_type = 'StanceCast' ORDER BY stream_revision`, [
    `Consultation-${consultationId}`,
  ]);
  // The official stance of each organisation is its last cast (a later one replaces the earlier).
  const latest = new Map<string, Cast>();
  for (const row of rows) latest.set(row.data.organisationId, row.data);
  return [...latest.values()];
}

describe('a round over 札幌市 and 檜原村', () => {
  it('is opened by デジタル庁 on a submitted proposal', async () => {
    const changes = [{ kind: 'MODIFY', requirementId: '2.1.3', after: '旧氏の記載の有無を選択できること。', reason: '旧氏の記載を選べるようにするため' }];
    const drafted = await mutate(
      'draftProposal',
      'DraftProposalInput',
      { specId: 'juminkiroku', specVersion: '4.0', title: '旧氏の記載', changes },
      tokens[ADMIN],
      'proposal { id }',
    );
    expect(drafted.errors).toEqual([]);
    const proposalId = drafted.proposal.id;
    // Selecting the proposal reads the write back, so the opening's lookup sees it submitted.
    const submitted = await mutate('submitProposal', 'SubmitProposalInput', { proposalId }, tokens[ADMIN], 'proposal { status }');
    expect(submitted).toMatchObject({ errors: [], proposal: { status: 'SUBMITTED' } });
    const opened = await mutate(
      'openConsultation',
      'OpenConsultationInput',
      {
        proposalId,
        electorate: { organisations: [SAPPORO, HINOHARA_ID] },
        quorumPercent: 50,
        thresholdPercent: 50,
        thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT',
        blockVetoes: false,
        resultsHidden: false,
        closesAt: new Date(Date.now() + 30 * 60_000).toISOString(),
      },
      tokens[ADMIN],
      'consultationId',
    );
    expect(opened.errors).toEqual([]);
    consultationId = opened.consultationId;

    // 檜原村's own proposal, submitted, for the withdrawal attempt below.
    const own = await mutate(
      'draftProposal',
      'DraftProposalInput',
      { specId: 'juminkiroku', specVersion: '4.0', title: '檜原村の修文案', changes },
      tokens[HINOHARA],
      'proposal { id }',
    );
    hinoharaProposal = own.proposal.id;
    const own2 = await mutate('submitProposal', 'SubmitProposalInput', { proposalId: hinoharaProposal }, tokens[HINOHARA], 'proposal { status }');
    expect(own2).toMatchObject({ errors: [], proposal: { status: 'SUBMITTED' } });
  });
});

describe('1. acting for another organisation', () => {
  let hinoharaDraft: string;

  it('is refused for drafting, approving and withdrawing, and records nothing in the event log', async () => {
    hinoharaDraft = (await draftStance({ stance: 'OBJECT', reason: '庁内調整中' }, HINOHARA)).draftId;
    const before = await eventCount();

    const asHinohara = await draftStance({ organisationId: HINOHARA_ID, stance: 'APPROVE' }, SAPPORO_STAFF);
    expect(asHinohara.errors).toEqual([{ code: 'FORBIDDEN', field: 'organisationId', message: expect.stringContaining(HINOHARA_ID) }]);
    expect(asHinohara.position).toBeNull();
    const approveTheirs = await approveStance({ draftId: hinoharaDraft }, SAPPORO_APPROVER);
    expect(approveTheirs.errors.map((e: Errors[number]) => e.code)).toEqual(['FORBIDDEN']);
    const withdrawTheirs = await mutate(
      'withdrawProposal',
      'WithdrawProposalInput',
      { proposalId: hinoharaProposal, reason: '取り下げ' },
      tokens[SAPPORO_APPROVER],
    );
    expect(withdrawTheirs.errors.map((e: Errors[number]) => e.code)).toEqual(['FORBIDDEN']);
    // The same attempts without asking for `errors`: still refused (and still logged below).
    const quiet = await gql(
      app.url,
      'mutation ($input: DraftStanceInput!) { draftStance(input: $input) { draftId } }',
      {
        input: { consultationId, organisationId: HINOHARA_ID, stance: 'BLOCK' },
      },
      tokens[SAPPORO_STAFF],
    );
    expect(quiet.data).toEqual({ draftStance: { draftId: null } });

    expect(await eventCount()).toBe(before);
    expect(await officialStances()).toEqual([]);
    // 檜原村's own approver can still approve its draft: nothing of it was touched.
    expect((await approveStance({ draftId: hinoharaDraft }, HINOHARA)).errors).toEqual([]);
    expect(await officialStances()).toEqual([expect.objectContaining({ organisationId: HINOHARA_ID, draftId: hinoharaDraft, reason: '庁内調整中' })]);
  });

  it('is in the security log with who, what and for whom — for national admins only', async () => {
    const QUERY = `query ($org: ID) { securityRefusals(first: 20, organisationId: $org) { entries { personId organisationId roles operation field targetOrganisationId code message clientAddress } hasNextPage } }`;
    const refused = await gql(app.url, QUERY, {}, tokens[SAPPORO_APPROVER]);
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    // Named by the input: the two drafts for 檜原村.
    const { securityRefusals } = await gqlData(app.url, QUERY, { org: HINOHARA_ID }, tokens[ADMIN]);
    expect(securityRefusals.entries).toEqual([
      expect.objectContaining({
        operation: 'Mutation.draftStance',
        organisationId: SAPPORO,
        targetOrganisationId: HINOHARA_ID,
        field: 'organisationId',
        roles: ['member'],
      }),
      expect.objectContaining({
        operation: 'Mutation.draftStance',
        organisationId: SAPPORO,
        targetOrganisationId: HINOHARA_ID,
        field: 'organisationId',
        roles: ['member'],
      }),
    ]);
    expect(securityRefusals.entries[0].clientAddress).toMatch(/127\.0\.0\.1|::1/);
    // By the organisation that tried, newest first: every attempt, and the refused read of the log itself.
    const bySapporo = (await gqlData(app.url, QUERY, { org: SAPPORO }, tokens[ADMIN])).securityRefusals.entries as { operation: string; code: string }[];
    expect(bySapporo.map((e) => e.operation)).toEqual([
      'Query.securityRefusals',
      'Mutation.draftStance',
      'Mutation.withdrawProposal',
      'Mutation.approveStance',
      'Mutation.draftStance',
    ]);
    expect(bySapporo.every((e) => e.code === 'FORBIDDEN')).toBe(true);
  });
});

describe('2. two sessions of one organisation casting at once', () => {
  it('ends with one official stance of 札幌市, never two', async () => {
    // Two sessions each: a member drafts, an approver approves, all four at the same time.
    const [staffA, staffB, approverA, approverB] = await Promise.all([
      demoLogin(app.url, SAPPORO_STAFF),
      demoLogin(app.url, SAPPORO_STAFF),
      demoLogin(app.url, SAPPORO_APPROVER),
      demoLogin(app.url, SAPPORO_APPROVER),
    ]);
    const castIn = async (drafter: string, approver: string, stance: string) => {
      const drafted = await mutate('draftStance', 'DraftStanceInput', { consultationId, stance }, drafter, 'draftId');
      expect(drafted.errors).toEqual([]);
      const approved = await mutate('approveStance', 'ApproveStanceInput', { consultationId, draftId: drafted.draftId }, approver);
      return { draftId: drafted.draftId as string, errors: approved.errors as Errors, position: approved.position as string | null };
    };
    const outcomes = await Promise.all([castIn(staffA, approverA, 'APPROVE'), castIn(staffB, approverB, 'ABSTAIN')]);
    // Each approval either became the official stance (the later replacing the earlier) or was refused: never a second official stance.
    for (const outcome of outcomes) expect(outcome.errors.every((e) => e.code !== 'INTERNAL')).toBe(true);
    const sapporo = (await officialStances()).filter((s) => s.organisationId === SAPPORO);
    expect(sapporo).toHaveLength(1);
    expect(outcomes.filter((o) => o.errors.length === 0).map((o) => o.draftId)).toContain(sapporo[0].draftId);
    // The read model, once it has every approval's write: the same one official stance.
    let consultation: { stances: { organisationId: string; draftId: string }[] } = { stances: [] };
    for (const position of outcomes.map((o) => o.position).filter(Boolean))
      ({ consultation } = await gqlData(
        app.url,
        'query ($id: ID!, $p: Position) { consultation(id: $id, waitFor: $p) { stances { organisationId draftId } } }',
        { id: consultationId, p: position },
        tokens[ADMIN],
      ));
    const listed = (consultation.stances as { organisationId: string; draftId: string }[]).filter((s) => s.organisationId === SAPPORO);
    expect(listed).toEqual([{ organisationId: SAPPORO, draftId: sapporo[0].draftId }]);
  });
});

describe('3. a command retried after its answer was lost', () => {
  it('is applied once: the retry answers as the first time and records nothing more', async () => {
    const commandId = randomUUID();
    const input = { commandId, consultationId, stance: 'OBJECT', reason: '再送の確認' };
    const body = JSON.stringify({
      query: 'mutation ($input: DraftStanceInput!) { draftStance(input: $input) { draftId position errors { code } } }',
      variables: { input },
    });
    // The client gives up before the answer comes (a timeout); the server carries on.
    const gaveUp = new AbortController();
    const first = fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[SAPPORO_STAFF]}` },
      body,
      signal: gaveUp.signal,
    }).catch((error: Error) => error);
    setImmediate(() => gaveUp.abort());
    expect(((await first) as Error).name).toBe('AbortError');

    const retries = await Promise.all([1, 2, 3].map(() => draftStance(input, SAPPORO_STAFF)));
    expect(retries.map((r) => r.errors)).toEqual([[], [], []]);
    expect(new Set(retries.map((r) => r.draftId)).size).toBe(1);
    const drafted = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM event_store.events WHERE stream_name = $1 AND event_type = 'StanceDrafted' AND data->>'draftId' = $2`,
      [`Consultation-${consultationId}`, retries[0].draftId],
    );
    expect(Number(drafted[0].n)).toBe(1);

    // The approval retried the same way is cast once.
    const approval = { commandId: randomUUID(), draftId: retries[0].draftId };
    const approvals = await Promise.all([1, 2].map(() => approveStance(approval, SAPPORO_APPROVER)));
    expect(approvals.map((a) => a.errors)).toEqual([[], []]);
    const cast = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM event_store.events WHERE stream_name = $1 AND event_type = 'StanceCast' AND data->>'draftId' = $2`,
      [`Consultation-${consultationId}`, retries[0].draftId],
    );
    expect(Number(cast[0].n)).toBe(1);
  });
});
