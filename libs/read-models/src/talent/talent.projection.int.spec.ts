import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import type { Actor, Decider, DomainCommand, DomainEvent } from '@kyogi/domain/shared/decider';
import { talentArrangementDecider, type TalentArrangementState } from '@kyogi/domain/talent/arrangements.decider';
import type { OrganisationLookup, TalentArrangementCommand, TermsInput } from '@kyogi/domain/talent/arrangements.commands';
import { talentPoolDecider } from '@kyogi/domain/talent/pools.decider';
import type { ArrangementLookup, TalentPoolCommand } from '@kyogi/domain/talent/pools.commands';
import { Projector } from '../projector';
import type { ReadModelChange } from '../projection';
import { actor, Deliberation } from '../testing/deliberation.test-kit';
import { talentProjection } from './talent.projection';
import { createTestDatabase, embeddedServerUrl } from '../../../../test/support/databases';

jest.setTimeout(60_000);

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
let pool: Pool;
let projector: Projector;
let kit: Deliberation;
const published: ReadModelChange[] = [];

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'talentproj');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  pool = new Pool({ connectionString: db.url, max: 4 });
  projector = new Projector({ store, pool, projections: [talentProjection], publish: (changes) => published.push(...changes), log: () => undefined });
  await projector.start();
  await projector.caughtUp;
  kit = new Deliberation(store, projector);
});

afterAll(async () => {
  await projector?.stop();
  await pool?.end();
  await store?.close();
  await db?.drop();
});

// Four towns of 北海道 share one CIO補佐官 (the seed's 4 × 5M yen); town A proposes and employs.
const [A, B, C, D] = ['016381', '016390', '016403', '016411'];
const TOWNS = [A, B, C, D];
const HOKKAIDO = '010006';
const coordinatorOf = (id: string) => actor(`p-${id}-coord`, id, 'municipality', ['member', 'coordinator']);
const approverOf = (id: string) => actor(`p-${id}-approver`, id, 'municipality', ['approver']);
const memberOf = (id: string) => actor(`p-${id}-member`, id, 'municipality', ['member']);
const HOKKAIDO_COORDINATOR = actor('p-hokkaido-coord', HOKKAIDO, 'prefecture', ['coordinator']);
const LOOKUP: OrganisationLookup[] = [
  ...TOWNS.map((organisationId) => ({ organisationId, kind: 'municipality' as const, prefectureCode: '01', active: true })),
  { organisationId: HOKKAIDO, kind: 'prefecture', prefectureCode: '01', active: true },
];
const termsInput = (ids: readonly string[] = TOWNS, overrides: Partial<TermsInput> = {}): TermsInput => ({
  startDate: '2025-04-01',
  endDate: '2026-03-31',
  annualCostYen: 20_000_000,
  hostOrganisationId: A,
  participants: ids.map((organisationId) => ({ organisationId, population: null, daysPerMonth: 5 })),
  splitRule: 'equal',
  subsidyPercent: null,
  ...overrides,
});

const run = (id: string, command: Omit<TalentArrangementCommand, 'metadata'>, by: Actor) => kit.execute(talentArrangementDecider, id, command, by);
const runPool = (command: Omit<TalentPoolCommand, 'metadata'>, by: Actor = HOKKAIDO_COORDINATOR) => kit.execute(talentPoolDecider, 'HP1', command, by);
const consentAll = async (id: string, ids: readonly string[], termsVersion: number) => {
  for (const organisationId of ids)
    await run(id, { type: 'ConsentToTalentTerms', data: { arrangementId: id, organisationId, termsVersion } }, approverOf(organisationId));
};

async function arrangement(id: string) {
  const { rows } = await pool.query(
    `SELECT arrangement_id, role, skills, proposer_organisation_id, proposer_kind, phase, terms_version, start_date::text, end_date::text, annual_cost_yen,
            host_organisation_id, split_rule, subsidy_percent, subsidy_total_yen, net_total_yen, agreed_terms_version, prefecture_codes, selected_candidate_id,
            ended_early, end_reason
       FROM read_models.talent_arrangements WHERE arrangement_id = $1`,
    [id],
  );
  return rows[0];
}
async function costTable(id: string) {
  const { rows } = await pool.query(
    `SELECT organisation_id, share_yen, subsidy_yen, net_yen, answer FROM read_models.talent_participants WHERE arrangement_id = $1 ORDER BY ordinal`,
    [id],
  );
  return rows;
}
async function versions(id: string) {
  const { rows } = await pool.query(
    `SELECT terms_version, changes, joined_organisation_ids, left_organisation_ids, voided_consents, reason, created_by_organisation_id,
            agreed_at IS NOT NULL AS agreed, jsonb_array_length(terms->'participants') AS participants,
            (SELECT array_agg((s.share->>'shareYen')::bigint ORDER BY s.n) FROM jsonb_array_elements(cost_table->'shares') WITH ORDINALITY AS s (share, n)) AS shares
       FROM read_models.talent_terms_versions WHERE arrangement_id = $1 ORDER BY terms_version`,
    [id],
  );
  return rows;
}
async function consentsOf(id: string) {
  const { rows } = await pool.query<{ terms_version: number; organisation_id: string; answer: string }>(
    'SELECT terms_version, organisation_id, answer FROM read_models.talent_consents WHERE arrangement_id = $1 ORDER BY terms_version, organisation_id',
    [id],
  );
  return rows.map((r) => `${r.terms_version}:${r.organisation_id}:${r.answer}`);
}
const ids = (rows: { arrangement_id: string }[]) => rows.map((r) => r.arrangement_id);

describe('the talent read model', () => {
  it('keeps a proposed arrangement: four towns at 5,000,000 yen each, 2,500,000 of it 特別交付税', async () => {
    await run(
      'TA1',
      {
        type: 'ProposeTalentArrangement',
        data: { arrangementId: 'TA1', role: 'CIO補佐官', skills: ['自治体システム標準化'], terms: termsInput(), organisations: LOOKUP },
      },
      coordinatorOf(A),
    );
    expect(await arrangement('TA1')).toStrictEqual({
      arrangement_id: 'TA1',
      role: 'CIO補佐官',
      skills: ['自治体システム標準化'],
      proposer_organisation_id: A,
      proposer_kind: 'municipality',
      phase: 'problems',
      terms_version: 1,
      start_date: '2025-04-01',
      end_date: '2026-03-31',
      annual_cost_yen: '20000000',
      host_organisation_id: A,
      split_rule: 'equal',
      subsidy_percent: 50,
      subsidy_total_yen: '10000000',
      net_total_yen: '10000000',
      agreed_terms_version: null,
      prefecture_codes: ['01'],
      selected_candidate_id: null,
      ended_early: null,
      end_reason: null,
    });
    expect(await costTable('TA1')).toStrictEqual(
      TOWNS.map((organisation_id) => ({ organisation_id, share_yen: '5000000', subsidy_yen: '2500000', net_yen: '2500000', answer: null })),
    );
    expect(await versions('TA1')).toStrictEqual([
      {
        terms_version: 1,
        changes: [],
        joined_organisation_ids: [],
        left_organisation_ids: [],
        voided_consents: [],
        reason: null,
        created_by_organisation_id: A,
        agreed: false,
        participants: 4,
        shares: ['5000000', '5000000', '5000000', '5000000'],
      },
    ]);
  });

  it('records each answer on the participant and per version, and the agreement', async () => {
    await run(
      'TA1',
      { type: 'DeclineTalentTerms', data: { arrangementId: 'TA1', organisationId: C, termsVersion: 1, reason: '議会の承認待ち' } },
      approverOf(C),
    );
    expect((await costTable('TA1')).map((p) => p.answer)).toEqual([null, null, 'declined', null]);
    await consentAll('TA1', TOWNS, 1);
    expect((await costTable('TA1')).map((p) => p.answer)).toEqual(['consented', 'consented', 'consented', 'consented']);
    expect(await consentsOf('TA1')).toEqual(TOWNS.map((id) => `1:${id}:consented`));
    expect(await arrangement('TA1')).toMatchObject({ terms_version: 1, agreed_terms_version: 1 });
    expect((await versions('TA1'))[0].agreed).toBe(true);
  });

  it('replaces the participants when a town leaves: three shares, answers pending, the consents to version 1 kept as history', async () => {
    await run('TA1', { type: 'LeaveTalentArrangement', data: { arrangementId: 'TA1', organisationId: D, reason: '単独で採用できたため' } }, approverOf(D));
    expect(await costTable('TA1')).toStrictEqual([
      { organisation_id: A, share_yen: '6666667', subsidy_yen: '3333334', net_yen: '3333333', answer: null },
      { organisation_id: B, share_yen: '6666667', subsidy_yen: '3333333', net_yen: '3333334', answer: null },
      { organisation_id: C, share_yen: '6666666', subsidy_yen: '3333333', net_yen: '3333333', answer: null },
    ]);
    expect(await arrangement('TA1')).toMatchObject({ terms_version: 2, agreed_terms_version: 1, annual_cost_yen: '20000000' });
    expect(await consentsOf('TA1')).toEqual(TOWNS.map((id) => `1:${id}:consented`));
  });

  it('brings the town back in version 3 at 5,000,000 yen each; the history tells what changed, who changed it and why', async () => {
    await consentAll('TA1', [A, B], 2);
    await run(
      'TA1',
      { type: 'ChangeTalentTerms', data: { arrangementId: 'TA1', terms: termsInput(), reason: 'D町が再参加', organisations: LOOKUP } },
      coordinatorOf(A),
    );
    await consentAll('TA1', TOWNS, 3);
    expect((await costTable('TA1')).map((p) => [p.organisation_id, p.share_yen, p.answer])).toEqual(TOWNS.map((id) => [id, '5000000', 'consented']));
    expect(await arrangement('TA1')).toMatchObject({ terms_version: 3, agreed_terms_version: 3 });
    expect((await versions('TA1')).slice(1)).toStrictEqual([
      {
        terms_version: 2,
        changes: ['participants'],
        joined_organisation_ids: [],
        left_organisation_ids: [D],
        voided_consents: TOWNS,
        reason: '単独で採用できたため',
        created_by_organisation_id: D,
        agreed: false,
        participants: 3,
        shares: ['6666667', '6666667', '6666666'],
      },
      {
        terms_version: 3,
        changes: ['participants'],
        joined_organisation_ids: [D],
        left_organisation_ids: [],
        voided_consents: [A, B],
        reason: 'D町が再参加',
        created_by_organisation_id: A,
        agreed: true,
        participants: 4,
        shares: ['5000000', '5000000', '5000000', '5000000'],
      },
    ]);
    expect(await consentsOf('TA1')).toEqual([
      ...TOWNS.map((id) => `1:${id}:consented`),
      `2:${A}:consented`,
      `2:${B}:consented`,
      ...TOWNS.map((id) => `3:${id}:consented`),
    ]);
  });

  it('answers the list queries: by participant, by phase, by prefecture', async () => {
    // A second arrangement, proposed and hosted by 北海道 for two of the towns.
    await run(
      'TA2',
      {
        type: 'ProposeTalentArrangement',
        data: {
          arrangementId: 'TA2',
          role: 'DX推進アドバイザー',
          skills: ['業務改革'],
          terms: termsInput([B, C], {
            hostOrganisationId: HOKKAIDO,
            annualCostYen: 9_000_001,
            participants: [B, C].map((organisationId) => ({ organisationId, population: null, daysPerMonth: 10 })),
          }),
          organisations: LOOKUP,
        },
      },
      HOKKAIDO_COORDINATOR,
    );
    const byParticipant = async (organisationId: string) =>
      ids(
        (
          await pool.query(
            `SELECT a.arrangement_id FROM read_models.talent_arrangements a JOIN read_models.talent_participants p USING (arrangement_id)
              WHERE p.organisation_id = $1 ORDER BY a.proposed_position`,
            [organisationId],
          )
        ).rows,
      );
    expect(await byParticipant(B)).toEqual(['TA1', 'TA2']);
    expect(await byParticipant(D)).toEqual(['TA1']);
    expect(await byParticipant(HOKKAIDO)).toEqual([]);
    const byPrefecture = async (code: string) =>
      ids(
        (await pool.query('SELECT arrangement_id FROM read_models.talent_arrangements WHERE prefecture_codes @> ARRAY[$1] ORDER BY proposed_position', [code]))
          .rows,
      );
    expect(await byPrefecture('01')).toEqual(['TA1', 'TA2']);
    expect(await byPrefecture('13')).toEqual([]);
    const byPhase = async (phase: string) =>
      ids((await pool.query('SELECT arrangement_id FROM read_models.talent_arrangements WHERE phase = $1 ORDER BY proposed_position', [phase])).rows);
    expect(await byPhase('problems')).toEqual(['TA1', 'TA2']);
    expect(await arrangement('TA2')).toMatchObject({
      proposer_kind: 'prefecture',
      host_organisation_id: HOKKAIDO,
      subsidy_total_yen: '4500000',
      net_total_yen: '4500001',
    });
  });

  it('follows the guidebook steps: problems, requirements, candidates, checklist, activation and end', async () => {
    for (const town of TOWNS)
      await run(
        'TA1',
        { type: 'ListTalentProblems', data: { arrangementId: 'TA1', organisationId: town, problems: [{ problemId: `P-${town}`, text: `${town}の課題` }] } },
        memberOf(town),
      );
    await run(
      'TA1',
      { type: 'ListTalentProblems', data: { arrangementId: 'TA1', organisationId: B, problems: [{ problemId: `P-${B}-2`, text: '書き直した課題' }] } },
      memberOf(B),
    );
    const problems = await pool.query(
      'SELECT problem_id, organisation_id, text FROM read_models.talent_problems WHERE arrangement_id = $1 ORDER BY problem_id',
      ['TA1'],
    );
    expect(problems.rows.map((r) => r.problem_id)).toEqual([`P-${A}`, `P-${B}-2`, `P-${C}`, `P-${D}`]);

    const requirements = [{ requirementId: 'R1', text: 'ガバメントクラウド移行の経験', problemIds: [`P-${A}`, `P-${B}-2`] }];
    await run('TA1', { type: 'DefineTalentRequirements', data: { arrangementId: 'TA1', requirements } }, coordinatorOf(A));
    expect(await arrangement('TA1')).toMatchObject({ phase: 'requirements' });
    expect((await pool.query('SELECT requirements FROM read_models.talent_arrangements WHERE arrangement_id = $1', ['TA1'])).rows[0].requirements).toEqual(
      requirements,
    );

    await run('TA1', { type: 'OpenTalentSelection', data: { arrangementId: 'TA1' } }, coordinatorOf(A));
    await run(
      'TA1',
      { type: 'AddTalentCandidate', data: { arrangementId: 'TA1', candidateId: 'K1', name: '山田 花子', reference: '応募-2025-003' } },
      coordinatorOf(A),
    );
    await run(
      'TA1',
      { type: 'AddTalentCandidate', data: { arrangementId: 'TA1', candidateId: 'K2', name: '佐藤 一郎', reference: '応募-2025-007' } },
      coordinatorOf(A),
    );
    await run('TA1', { type: 'SelectTalentCandidate', data: { arrangementId: 'TA1', candidateId: 'K1' } }, coordinatorOf(A));
    const candidates = await pool.query(
      'SELECT candidate_id, name, reference, selected FROM read_models.talent_candidates WHERE arrangement_id = $1 ORDER BY candidate_id',
      ['TA1'],
    );
    expect(candidates.rows).toEqual([
      { candidate_id: 'K1', name: '山田 花子', reference: '応募-2025-003', selected: true },
      { candidate_id: 'K2', name: '佐藤 一郎', reference: '応募-2025-007', selected: false },
    ]);
    expect(await arrangement('TA1')).toMatchObject({ phase: 'onboarding', selected_candidate_id: 'K1' });

    const items = [
      { itemId: 'badge', label: '庁舎入館証の発行' },
      { itemId: 'account', label: 'アカウント発行' },
    ];
    await run('TA1', { type: 'SetOnboardingChecklist', data: { arrangementId: 'TA1', items } }, coordinatorOf(A));
    await run('TA1', { type: 'CompleteChecklistItem', data: { arrangementId: 'TA1', itemId: 'badge' } }, memberOf(A));
    // Reset with 'badge' kept: it stays done; 'account' goes, 'plan' comes.
    await run(
      'TA1',
      { type: 'SetOnboardingChecklist', data: { arrangementId: 'TA1', items: [items[0], { itemId: 'plan', label: '業務計画書' }] } },
      coordinatorOf(A),
    );
    const checklist = async () =>
      (await pool.query('SELECT item_id, ordinal, done FROM read_models.talent_checklist WHERE arrangement_id = $1 ORDER BY ordinal', ['TA1'])).rows;
    expect(await checklist()).toEqual([
      { item_id: 'badge', ordinal: 0, done: true },
      { item_id: 'plan', ordinal: 1, done: false },
    ]);
    await run('TA1', { type: 'CompleteChecklistItem', data: { arrangementId: 'TA1', itemId: 'plan' } }, memberOf(A));
    await run('TA1', { type: 'ActivateTalentArrangement', data: { arrangementId: 'TA1' } }, coordinatorOf(A));
    expect(await arrangement('TA1')).toMatchObject({ phase: 'active' });
    await run('TA1', { type: 'EndTalentArrangement', data: { arrangementId: 'TA1', reason: '本人の退職' } }, coordinatorOf(A));
    expect(await arrangement('TA1')).toMatchObject({ phase: 'ended', ended_early: true, end_reason: '本人の退職' });
  });

  it('keeps a prefecture’s pool, its people and their dispatches as in force', async () => {
    await runPool({ type: 'OpenTalentPool', data: { poolId: 'HP1', name: '北海道デジタル人材プール' } });
    await runPool({
      type: 'AddPoolPerson',
      data: { poolId: 'HP1', poolPersonId: 'pp1', name: '鈴木 次郎', reference: '道職員-0042', capacityDaysPerMonth: 20 },
    });
    const { state } = await kit.state(talentArrangementDecider as unknown as Decider<TalentArrangementState, DomainCommand, DomainEvent>, 'TA2');
    if (state.phase === 'unproposed') throw new Error('TA2 is not proposed');
    const lookup: ArrangementLookup = {
      arrangementId: 'TA2',
      phase: state.phase,
      hostOrganisationId: state.terms.hostOrganisationId,
      startDate: state.terms.startDate,
      endDate: state.terms.endDate,
      participants: state.terms.participants,
    };
    const base = { poolId: 'HP1', poolPersonId: 'pp1', arrangementId: 'TA2', daysPerMonth: 10, arrangement: lookup };
    await runPool({ type: 'DispatchPoolPerson', data: { ...base, dispatchId: 'DS1', organisationId: B, startDate: '2025-04-01', endDate: '2026-03-31' } });
    await runPool({ type: 'DispatchPoolPerson', data: { ...base, dispatchId: 'DS2', organisationId: C, startDate: '2025-04-01', endDate: '2025-09-30' } });
    await runPool({ type: 'EndPoolDispatch', data: { poolId: 'HP1', dispatchId: 'DS2', endDate: '2025-06-30', reason: 'C町の体制が整ったため' } });
    await runPool({ type: 'ChangePoolPersonCapacity', data: { poolId: 'HP1', poolPersonId: 'pp1', capacityDaysPerMonth: 22 } });
    expect((await pool.query('SELECT pool_id, name, prefecture_organisation_id FROM read_models.talent_pools')).rows).toEqual([
      { pool_id: 'HP1', name: '北海道デジタル人材プール', prefecture_organisation_id: HOKKAIDO },
    ]);
    expect((await pool.query('SELECT pool_person_id, capacity_days_per_month FROM read_models.talent_pool_people')).rows).toEqual([
      { pool_person_id: 'pp1', capacity_days_per_month: 22 },
    ]);
    const dispatches = await pool.query(
      `SELECT dispatch_id, organisation_id, days_per_month, start_date::text, end_date::text, planned_end_date::text, end_reason
         FROM read_models.talent_dispatches ORDER BY dispatch_id`,
    );
    expect(dispatches.rows).toEqual([
      {
        dispatch_id: 'DS1',
        organisation_id: B,
        days_per_month: 10,
        start_date: '2025-04-01',
        end_date: '2026-03-31',
        planned_end_date: '2026-03-31',
        end_reason: null,
      },
      {
        dispatch_id: 'DS2',
        organisation_id: C,
        days_per_month: 10,
        start_date: '2025-04-01',
        end_date: '2025-06-30',
        planned_end_date: '2025-09-30',
        end_reason: 'C町の体制が整ったため',
      },
    ]);
    // What the person is committed to on a day, as an API would ask it.
    const loadOn = async (date: string) =>
      Number(
        (
          await pool.query(
            `SELECT coalesce(sum(days_per_month), 0) AS days FROM read_models.talent_dispatches WHERE pool_id = 'HP1' AND pool_person_id = 'pp1' AND $1::date BETWEEN start_date AND end_date`,
            [date],
          )
        ).rows[0].days,
      );
    expect(await loadOn('2025-06-30')).toBe(20);
    expect(await loadOn('2025-07-01')).toBe(10);
  });

  it('announces every change with its routing scope, and never a name', () => {
    const arrangementChanges = published.filter((c) => c.entity === 'talentArrangement');
    expect(arrangementChanges.filter((c) => c.id === 'TA1').map((c) => c.change)).toContain('TalentTermsAgreed');
    expect(arrangementChanges.find((c) => c.change === 'TalentTermsChanged' && c.scope.termsVersion === '2')).toMatchObject({
      id: 'TA1',
      scope: { phase: 'problems', proposerOrganisationId: A, hostOrganisationId: A, organisationId: D },
    });
    expect(arrangementChanges.find((c) => c.change === 'TalentTermsDeclined')?.scope.organisationId).toBe(C);
    expect(published.filter((c) => c.entity === 'talentPool').map((c) => [c.change, c.scope.organisationId])).toEqual([
      ['TalentPoolOpened', null],
      ['PoolPersonAdded', null],
      ['PoolPersonDispatched', B],
      ['PoolPersonDispatched', C],
      ['PoolDispatchEnded', C],
      ['PoolPersonCapacityChanged', null],
    ]);
    const everything = JSON.stringify(published);
    for (const name of ['山田 花子', '佐藤 一郎', '鈴木 次郎']) expect(everything).not.toContain(name);
  });

  it('rebuilds to the same rows', async () => {
    const snapshot = async () => {
      const result: Record<string, unknown[]> = {};
      // Sorted whole rows: no table's first columns are unique in every one of them.
      for (const table of talentProjection.tables) result[table] = (await pool.query(`SELECT * FROM ${table}`)).rows.map((row) => JSON.stringify(row)).sort();
      return result;
    };
    const before = await snapshot();
    expect(Object.values(before).every((rows) => rows.length > 0)).toBe(true);
    await projector.stop();
    projector = new Projector({ store, pool, projections: [talentProjection], log: () => undefined });
    await projector.reset();
    expect((await pool.query('SELECT count(*)::int AS n FROM read_models.talent_arrangements')).rows[0].n).toBe(0);
    await projector.start();
    await projector.caughtUp;
    expect(await snapshot()).toStrictEqual(before);
  });
});
