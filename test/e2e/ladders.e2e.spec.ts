/**
 * A ratification ladder from the outside: the built app on a fresh database with the demo seed.
 * デジタル庁 chooses a three-stage ladder for a submitted proposal — (1) one round per prefecture
 * for the municipalities of 鳥取県, 香川県 and 福井県, (2) a hidden round of the 47 prefectures
 * weighted by population, (3) デジタル庁's national decision. Every municipality but one per
 * prefecture answers in parallel, drafted and approved (決裁) by its own people; 鳥取市 mandates
 * 鳥取県 to cast its stance, then revokes the mandate; one town changes its stance. The rounds
 * close by themselves, stage 2 opens by itself, all 47 prefectures answer, stage 2 closes, and the
 * national decision — citing stage 2's outcome — accepts the proposal. Then every tally and
 * outcome shown by the API is checked against the events in the store.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { consultationDecider } from '@kyogi/domain/consultations/consultations.decider';
import { consultationStreamName, type ConsultationEvent } from '@kyogi/domain/consultations/consultations.events';
import { outcomeOf, tally, type Stance } from '@kyogi/domain/consultations/tally';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(180_000);

const ADMIN = 'admin@digital.example.jp'; // デジタル庁: admin, coordinator — the spec's owner
const MIC = 'secretariat@mic.example.jp'; // 総務省: coordinator, not the owner
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp';
const run = randomBytes(4).toString('hex');
const PREFECTURE_CODES = ['31', '37', '18']; // 鳥取県, 香川県, 福井県
const STAGE1_RULES = { quorumPercent: 50, thresholdPercent: 60, thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT', blockVetoes: true } as const;
const STAGE2_RULES = { quorumPercent: 50, thresholdPercent: 50, thresholdBasis: 'APPROVE_OF_ALL_CAST', blockVetoes: false } as const;
const lower = <T extends Record<string, unknown>>(rules: T) => ({ ...rules, thresholdBasis: String(rules.thresholdBasis).toLowerCase() }) as never;

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
const tokens: Record<string, string> = {};
/** prefecture code (2 digits) → the prefecture's organisation id. */
const prefectureIds = new Map<string, string>();
/** prefecture code → its active municipalities, by code. */
const municipalities = new Map<string, string[]>();
let prefectures: string[];
const population = (i: number) => 500_000 + i * 97_331;

interface Payload {
  errors: { code: string; message: string; field: string | null }[];
  position: string | null;
  [key: string]: any;
}

async function mutate(name: string, inputType: string, input: Record<string, unknown>, token: string, selection: string): Promise<Payload> {
  const data = await gqlData(
    app.url,
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { position errors { code message field } ${selection} } }`,
    { input },
    token,
  );
  return data[name];
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map((item, j) => work(item, i + j)));
}

/** A member and approver for an organisation, added by デジタル庁's admin (a national admin may), and their token. */
async function addVoter(organisationId: string): Promise<void> {
  const email = `ladder-${run}@${organisationId}.example.jp`;
  const payload = await mutate(
    'addMember',
    'AddMemberInput',
    { organisationId, displayName: `決裁 ${organisationId}`, email, roles: ['MEMBER', 'APPROVER'] },
    tokens[ADMIN],
    'member { personId }',
  );
  expect(payload.errors).toEqual([]);
  tokens[organisationId] = await demoLogin(app.url, email);
}

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'ladders');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  for (const email of [ADMIN, MIC, SAPPORO_STAFF]) tokens[email] = await demoLogin(app.url, email);
  const list = async (variables: Record<string, unknown>) =>
    (
      await gqlData(
        app.url,
        'query ($kind: OrganisationKind, $p: String) { organisations(kind: $kind, prefectureCode: $p, first: 200) { edges { node { id prefectureCode } } } }',
        variables,
        tokens[ADMIN],
      )
    ).organisations.edges.map((e: { node: { id: string; prefectureCode: string } }) => e.node);
  for (const p of await list({ kind: 'PREFECTURE' })) prefectureIds.set(p.prefectureCode, p.id);
  prefectures = [...prefectureIds.values()];
  expect(prefectures).toHaveLength(47);
  for (const code of PREFECTURE_CODES)
    municipalities.set(
      code,
      (await list({ kind: 'MUNICIPALITY', p: code })).map((m: { id: string }) => m.id),
    );
  await inBatches([...prefectures, ...PREFECTURE_CODES.flatMap((code) => municipalities.get(code)!)], 16, addVoter);
});

const clients: Client[] = [];
const ladderChanges: string[] = [];
const roundChanges: string[] = [];

/** A graphql-ws subscription as 札幌市's staff (any signed-in role sees ladders and rounds), collecting the change names. */
function watch(query: string, variables: Record<string, unknown>, into: string[], field: string): void {
  const client = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${tokens[SAPPORO_STAFF]}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
  });
  clients.push(client);
  client.subscribe<Record<string, { change: string }>>(
    { query, variables },
    { next: (r) => r.data && into.push(r.data[field].change), error: () => undefined, complete: () => undefined },
  );
}

afterAll(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await stopAllApps();
  await database?.drop();
});

const OUTCOME = 'outcome { quorumMet thresholdMet blocked passed }';
const TALLY =
  'tally { weights { approve object abstain block } counts { approve object abstain block } participatingWeight participatingCount totalWeight electorateCount }';
const LADDER = `id proposalId proposalRevision ownerOrganisationId status currentStage decision rationale citedStage decidedByPersonId
  stages { stage kind status prefectureIds openedAt closedAt rules { weighting quorumPercent thresholdPercent thresholdBasis blockVetoes resultsHidden durationSeconds }
           rounds { consultationId prefectureId ${OUTCOME} consultation { id status closesAt openedAt openedByPersonId electorateCount ladderId ladderStage ${TALLY} ${OUTCOME} } } }`;

const ladderOf = async (id: string, token = tokens[ADMIN]) =>
  (await gqlData(app.url, `query ($id: ID!) { ladder(id: $id) { ${LADDER} } }`, { id }, token)).ladder;

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stance(organisationId: string, consultationId: string, kind: Stance, token = tokens[organisationId], reason?: string) {
  const draft = await mutate(
    'draftStance',
    'DraftStanceInput',
    {
      commandId: randomUUID(),
      consultationId,
      organisationId,
      stance: kind.toUpperCase(),
      reason: reason ?? (kind === 'object' || kind === 'block' ? '運用上の支障があるため' : null),
    },
    token,
    'draftId',
  );
  expect(draft.errors).toEqual([]);
  const approved = await mutate('approveStance', 'ApproveStanceInput', { commandId: randomUUID(), consultationId, draftId: draft.draftId }, token, 'draftId');
  expect(approved.errors).toEqual([]);
  return approved.position as string;
}

let proposalId: string;
let submittedAt: string | null;
let ladder: any;
/** consultation id → organisation → final official stance. */
const finals = new Map<string, Map<string, Stance>>();
const populations = () => prefectures.map((organisationId, i) => ({ organisationId, population: population(i) }));

describe('a ratification ladder over 鳥取県, 香川県 and 福井県, the 47 prefectures and デジタル庁', () => {
  it('is chosen by デジタル庁 for a submitted proposal, and its first stage opens at once', async () => {
    const drafted = await mutate(
      'draftProposal',
      'DraftProposalInput',
      {
        commandId: randomUUID(),
        specId: 'juminkiroku',
        specVersion: '4.0',
        title: '旧氏の記載の選択（ラダー）',
        changes: [
          { kind: 'MODIFY', requirementId: '2.1.3', after: '旧氏の記載の有無を選択できること。', reason: '旧氏の記載の有無を選択できる必要があるため' },
        ],
      },
      tokens[ADMIN],
      'proposal { id }',
    );
    proposalId = drafted.proposal.id;
    const stages = (durations: [number, number], stage1: Record<string, unknown> = {}) => [
      {
        kind: 'PREFECTURAL_ROUNDS',
        prefectureIds: PREFECTURE_CODES.map((code) => prefectureIds.get(code)),
        rules: { ...STAGE1_RULES, resultsHidden: false, durationSeconds: durations[0], ...stage1 },
      },
      {
        kind: 'PREFECTURES_ROUND',
        rules: { ...STAGE2_RULES, weighting: 'POPULATION', populations: populations(), resultsHidden: true, durationSeconds: durations[1] },
      },
      { kind: 'NATIONAL_DECISION' },
    ];
    const choose = (input: Record<string, unknown>, email = ADMIN) =>
      mutate('chooseLadder', 'ChooseLadderInput', { commandId: randomUUID(), proposalId, ...input }, tokens[email], `ladderId ladder { ${LADDER} }`);

    expect((await choose({ stages: stages([60, 60]) })).errors.map((e) => e.code)).toEqual(['PROPOSAL_NOT_SUBMITTED']);
    const submitted = await mutate('submitProposal', 'SubmitProposalInput', { proposalId }, tokens[ADMIN], 'proposal { status currentRevision }');
    expect(submitted.proposal.status).toBe('SUBMITTED');
    // Every step of the ladder, from before it was chosen (the ladder's id is the proposal's).
    watch(
      'subscription ($id: ID!, $after: Position) { ladderChanged(id: $id, after: $after) { change ladderId } }',
      { id: proposalId, after: (submittedAt = submitted.position) },
      ladderChanges,
      'ladderChanged',
    );

    // Refused: not a national coordinator; not the spec's owner; a malformed ladder; missing population figures.
    expect((await choose({ stages: stages([60, 60]) }, SAPPORO_STAFF)).errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    expect((await choose({ stages: stages([60, 60]) }, MIC)).errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    const backwards = await choose({ stages: [{ kind: 'NATIONAL_DECISION' }, ...stages([60, 60]).slice(0, 2)] });
    expect(backwards.errors).toEqual([expect.objectContaining({ code: 'INVALID_STAGES', field: 'stages[0]' })]);
    const unweighed = await choose({ stages: stages([60, 60], { weighting: 'POPULATION', populations: populations() }) });
    expect(unweighed.errors).toEqual([expect.objectContaining({ code: 'POPULATION_REQUIRED', field: 'stages[0].rules.populations' })]);
    const tooShort = await choose({ stages: stages([0, 60]) });
    expect(tooShort.errors).toEqual([expect.objectContaining({ code: 'INVALID_STAGES', field: 'stages[0].rules.durationSeconds' })]);

    const chosen = await choose({ stages: stages([14, 10]) });
    expect(chosen.errors).toEqual([]);
    ladder = chosen.ladder;
    expect(chosen.ladderId).toBe(proposalId);
    expect(ladder).toMatchObject({
      id: proposalId,
      proposalId,
      proposalRevision: 1,
      ownerOrganisationId: 'digital-agency',
      status: 'RUNNING',
      currentStage: 1,
    });
    expect(ladder.stages.map((s: any) => `${s.stage}:${s.kind}:${s.status}`)).toEqual([
      '1:PREFECTURAL_ROUNDS:OPEN',
      '2:PREFECTURES_ROUND:PENDING',
      '3:NATIONAL_DECISION:PENDING',
    ]);
    expect(ladder.stages[1].rules).toMatchObject({ weighting: 'POPULATION', resultsHidden: true, durationSeconds: 10, thresholdBasis: 'APPROVE_OF_ALL_CAST' });
    const rounds = ladder.stages[0].rounds;
    expect(rounds.map((r: any) => r.prefectureId)).toEqual(PREFECTURE_CODES.map((code) => prefectureIds.get(code)));
    for (const [i, round] of rounds.entries()) {
      const electorate = municipalities.get(PREFECTURE_CODES[i])!;
      expect(round.outcome).toBeNull();
      expect(round.consultation).toMatchObject({
        status: 'OPEN',
        ladderId: proposalId,
        ladderStage: 1,
        electorateCount: electorate.length,
        openedByPersonId: 'demo-admin',
      });
      expect(Date.parse(round.consultation.closesAt) - Date.parse(round.consultation.openedAt)).toBe(14_000);
      finals.set(round.consultationId, new Map());
    }

    // One ladder per proposal; and the proposal is now decided only by the ladder.
    expect((await choose({ stages: stages([60, 60]) })).errors.map((e) => e.code)).toEqual(['LADDER_ALREADY_EXISTS']);
    const direct = await mutate('acceptProposal', 'DecideProposalInput', { proposalId, rationale: '直ちに採択' }, tokens[ADMIN], 'proposal { status }');
    expect(direct.errors.map((e) => e.code)).toEqual(['PROPOSAL_ON_LADDER']);
    const early = await mutate(
      'recordLadderDecision',
      'RecordLadderDecisionInput',
      { ladderId: proposalId, decision: 'ACCEPT', rationale: '早すぎる', citedStage: 2, citedOutcomes: [] },
      tokens[ADMIN],
      'ladderId',
    );
    expect(early.errors.map((e) => e.code)).toEqual(['DECISION_TOO_EARLY']);
  });

  it('takes every municipality’s stance in parallel, one under a mandate to its prefecture, one changed', async () => {
    const [tottori, kagawa, fukui] = ladder.stages[0].rounds.map((r: any) => r.consultationId);
    // 鳥取県: mostly approve (passes); 香川県: mostly object (fails the threshold); 福井県: approve but one block (vetoed).
    const plan: Record<string, (i: number) => Stance> = {
      [tottori]: (i) => (i % 4 === 3 ? 'object' : 'approve'),
      [kagawa]: (i) => (i % 3 === 0 ? 'approve' : 'object'),
      [fukui]: (i) => (i === 5 ? 'block' : i % 5 === 4 ? 'abstain' : 'approve'),
    };
    const tottoriCity = municipalities.get('31')![1];
    const tottoriPrefecture = prefectureIds.get('31')!;
    const started = Date.now();
    let count = 0;
    await Promise.all(
      PREFECTURE_CODES.flatMap((code, p) => {
        const consultationId = ladder.stages[0].rounds[p].consultationId;
        // The first municipality of each prefecture does not answer; 鳥取市 (the second of 鳥取県) answers through its prefecture.
        return municipalities
          .get(code)!
          .slice(1)
          .filter((organisationId) => organisationId !== tottoriCity)
          .map(async (organisationId, i) => {
            const kind = plan[consultationId](i);
            await stance(organisationId, consultationId, kind);
            finals.get(consultationId)!.set(organisationId, kind);
            count++;
          });
      }),
    );
    console.info(`[e2e figures] ladders: ${count} municipal stances drafted and approved in parallel over 3 rounds in ${Date.now() - started} ms`);

    // 鳥取市 mandates 鳥取県 for its round; 鳥取県 drafts and approves 鳥取市's stance.
    const granted = await mutate(
      'grantMandate',
      'GrantMandateInput',
      {
        commandId: randomUUID(),
        granteeOrganisationId: tottoriPrefecture,
        scope: { consultationId: tottori },
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
      tokens[tottoriCity],
      'mandate { id }',
    );
    expect(granted.errors).toEqual([]);
    const cast = await stance(tottoriCity, tottori, 'approve', tokens[tottoriPrefecture]);
    finals.get(tottori)!.set(tottoriCity, 'approve');
    const { consultation } = await gqlData(
      app.url,
      'query ($id: ID!, $w: Position) { consultation(id: $id, waitFor: $w) { stances { organisationId castByOrganisationId mandateId stance } } }',
      { id: tottori, w: cast },
      tokens[ADMIN],
    );
    expect(consultation.stances.find((s: any) => s.organisationId === tottoriCity)).toEqual({
      organisationId: tottoriCity,
      castByOrganisationId: tottoriPrefecture,
      mandateId: granted.mandate.id,
      stance: 'APPROVE',
    });
    // Revoked: no further use, but the stance cast under it stays.
    const revoked = await mutate(
      'revokeMandate',
      'RevokeMandateInput',
      { mandateId: granted.mandate.id, reason: '自ら回答するため' },
      tokens[tottoriCity],
      'mandate { revoked }',
    );
    expect(revoked.mandate.revoked).toBe(true);
    const refused = await mutate(
      'draftStance',
      'DraftStanceInput',
      { consultationId: tottori, organisationId: tottoriCity, stance: 'OBJECT', reason: '再考' },
      tokens[tottoriPrefecture],
      'draftId',
    );
    expect(refused.errors.map((e) => e.code)).toEqual(['FORBIDDEN']);

    // A change of stance in 香川県: an objector now approves.
    const changer = municipalities.get('37')![2];
    expect(finals.get(kagawa)!.get(changer)).toBe('object');
    await stance(changer, kagawa, 'approve');
    finals.get(kagawa)!.set(changer, 'approve');
  });

  it('closes the rounds at their closing time, then closes stage 1 and opens stage 2 by itself', async () => {
    const advanced = await until('stage 2 to open', async () => {
      const seen = await ladderOf(proposalId);
      return seen.currentStage === 2 && seen.stages[1].status === 'OPEN' && seen;
    });
    ladder = advanced;
    const closesAt = Date.parse(advanced.stages[0].rounds[0].consultation.closesAt);
    const stage1 = advanced.stages[0];
    expect(stage1.status).toBe('CLOSED');
    console.info(
      `[e2e figures] ladders: stage 1 closed ${Date.parse(stage1.closedAt) - closesAt} ms and stage 2 opened ${Date.parse(advanced.stages[1].openedAt) - closesAt} ms after the rounds' closing time`,
    );
    for (const [p, round] of stage1.rounds.entries()) {
      const electorate = municipalities.get(PREFECTURE_CODES[p])!.map((organisationId) => ({ organisationId, weight: 1 }));
      const expected = tally(electorate, finals.get(round.consultationId)!);
      expect(round.consultation.status).toBe('CLOSED');
      expect(round.consultation.tally).toEqual(expected);
      expect(round.outcome).toEqual(outcomeOf(expected, lower(STAGE1_RULES)));
      expect(round.consultation.outcome).toEqual(round.outcome);
    }
    expect(stage1.rounds.map((r: any) => r.outcome.passed)).toEqual([true, false, false]);
    expect(stage1.rounds[1].outcome).toMatchObject({ thresholdMet: false, blocked: false });
    expect(stage1.rounds[2].outcome).toMatchObject({ thresholdMet: true, blocked: true });

    const round2 = advanced.stages[1].rounds[0];
    expect(round2.consultation).toMatchObject({ status: 'OPEN', ladderStage: 2, electorateCount: 47, openedByPersonId: 'system', tally: null });
    expect(Date.parse(round2.consultation.closesAt) - Date.parse(round2.consultation.openedAt)).toBe(10_000);
    finals.set(round2.consultationId, new Map());
    watch(
      'subscription ($id: ID!, $after: Position) { consultationChanged(id: $id, after: $after) { change consultationId } }',
      { id: round2.consultationId, after: submittedAt },
      roundChanges,
      'consultationChanged',
    );

    // Each prefecture sees its municipalities' result from its own stage-2 round.
    const tottori = prefectureIds.get('31')!;
    const { consultation } = await gqlData(
      app.url,
      `query ($id: ID!) { consultation(id: $id) { ladder { stages { rounds { prefectureId ${OUTCOME} consultation { ${TALLY} } } } } } }`,
      { id: round2.consultationId },
      tokens[tottori],
    );
    const own = consultation.ladder.stages[0].rounds.find((r: any) => r.prefectureId === tottori);
    expect(own.outcome).toEqual(stage1.rounds[0].outcome);
    expect(own.consultation.tally).toEqual(stage1.rounds[0].consultation.tally);
  });

  it('takes the 47 prefectures’ stances, hidden and weighted by population, and closes stage 2 by itself', async () => {
    const consultationId = ladder.stages[1].rounds[0].consultationId;
    const kindOf = (i: number): Stance => (i % 6 === 5 ? 'object' : i % 11 === 10 ? 'abstain' : 'approve');
    await Promise.all(
      prefectures.map(async (organisationId, i) => {
        if (i === 46) return; // 沖縄県 does not answer
        await stance(organisationId, consultationId, kindOf(i));
        finals.get(consultationId)!.set(organisationId, kindOf(i));
      }),
    );
    const hidden = await gqlData(app.url, `query ($id: ID!) { consultation(id: $id) { status ${TALLY} } }`, { id: consultationId }, tokens[ADMIN]);
    expect(hidden.consultation).toEqual({ status: 'OPEN', tally: null });

    ladder = await until('stage 2 to close', async () => {
      const seen = await ladderOf(proposalId);
      return seen.currentStage === 3 && seen;
    });
    const stage2 = ladder.stages[1];
    expect(stage2.status).toBe('CLOSED');
    expect(ladder.stages[2].status).toBe('PENDING');
    const electorate = prefectures.map((organisationId, i) => ({ organisationId, weight: population(i) }));
    const expected = tally(electorate, finals.get(consultationId)!);
    expect(stage2.rounds[0].consultation.tally).toEqual(expected);
    expect(stage2.rounds[0].outcome).toEqual(outcomeOf(expected, lower(STAGE2_RULES)));
    expect(stage2.rounds[0].outcome.passed).toBe(true);
  });

  it('is decided by デジタル庁 citing stage 2’s outcome, which accepts the proposal', async () => {
    const round = ladder.stages[1].rounds[0];
    const cited = [{ consultationId: round.consultationId, ...round.outcome }];
    const decide = (input: Record<string, unknown>, email = ADMIN) =>
      mutate(
        'recordLadderDecision',
        'RecordLadderDecisionInput',
        {
          commandId: randomUUID(),
          ladderId: proposalId,
          decision: 'ACCEPT',
          rationale: '都道府県の協議で可決されたため',
          citedStage: 2,
          citedOutcomes: cited,
          ...input,
        },
        tokens[email],
        `ladderId ladder { ${LADDER} }`,
      );
    expect((await decide({}, MIC)).errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    expect((await decide({ citedOutcomes: [{ ...cited[0], passed: false }] })).errors).toEqual([expect.objectContaining({ code: 'CITATION_MISMATCH' })]);
    expect((await decide({ citedStage: 1 })).errors).toEqual([expect.objectContaining({ code: 'CITATION_MISMATCH' })]);
    expect((await decide({ rationale: '  ' })).errors).toEqual([expect.objectContaining({ code: 'INVALID_RATIONALE', field: 'rationale' })]);

    const decided = await decide({});
    expect(decided.errors).toEqual([]);
    expect(decided.ladder).toMatchObject({ status: 'DECIDED', currentStage: null, decision: 'ACCEPT', citedStage: 2, decidedByPersonId: 'demo-admin' });
    expect(decided.ladder.stages[2]).toMatchObject({ status: 'DECIDED', rounds: [{ consultationId: round.consultationId, outcome: round.outcome }] });
    const { proposal } = await gqlData(
      app.url,
      'query ($id: ID!, $w: Position) { proposal(id: $id, waitFor: $w) { status ladder { status decision } } }',
      { id: proposalId, w: decided.position },
      tokens[SAPPORO_STAFF],
    );
    expect(proposal).toEqual({ status: 'ACCEPTED', ladder: { status: 'DECIDED', decision: 'ACCEPT' } });
    expect((await decide({})).errors.map((e) => e.code)).toEqual(['LADDER_DECIDED']);

    // Live: every step of the ladder reached a subscriber, in order; and every change of the stage-2 round.
    await until('the live ladder changes', async () => ladderChanges.includes('LadderDecided'), 5_000);
    expect(ladderChanges).toEqual(['LadderChosen', 'LadderStageOpened', 'LadderStageClosed', 'LadderStageOpened', 'LadderStageClosed', 'LadderDecided']);
    expect(roundChanges).toEqual(['ConsultationOpened', ...Array(46).fill('StanceCast'), 'ConsultationClosed']);
  });

  it('shows tallies and outcomes that equal the ones rebuilt from the events in the store', async () => {
    const store = await PostgresEventStore.connect({ connectionString: database.url });
    try {
      const rounds = [...ladder.stages[0].rounds, ...ladder.stages[1].rounds];
      for (const round of rounds) {
        const recorded = await store.readStream(consultationStreamName(round.consultationId));
        const events = recorded.map((e) => ({ type: e.type, data: e.data }) as unknown as ConsultationEvent);
        const state = events.reduce(consultationDecider.evolve, consultationDecider.initialState());
        if (state.status !== 'closed') throw new Error(`round ${round.consultationId} is ${state.status} in the store`);
        const official = new Map([...state.official].map(([organisationId, s]) => [organisationId, s.stance]));
        expect(official).toEqual(finals.get(round.consultationId));
        const opened = events[0].type === 'ConsultationOpened' ? events[0].data : null;
        expect(state.closed.tally).toEqual(tally(opened!.electorate, official));
        expect(round.consultation.tally).toEqual(state.closed.tally);
        expect(round.outcome).toEqual(state.closed.outcome);
        // Every approval is one StanceCast (the change and the mandated one included), none twice.
        const casts = events.filter((e) => e.type === 'StanceCast');
        expect(new Set(casts.map((e) => (e.data as { draftId: string }).draftId)).size).toBe(casts.length);
      }
      const stage1Casts = (await Promise.all(ladder.stages[0].rounds.map((r: any) => store.readStream(consultationStreamName(r.consultationId)))))
        .flat()
        .filter((e) => e.type === 'StanceCast').length;
      const stage1Answers = ladder.stages[0].rounds.reduce((n: number, r: any) => n + finals.get(r.consultationId)!.size, 0);
      expect(stage1Casts).toBe(stage1Answers + 1); // + the change of stance in 香川県
    } finally {
      await store.close();
    }
  });
});
