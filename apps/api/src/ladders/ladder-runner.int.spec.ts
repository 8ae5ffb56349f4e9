/**
 * The ladder runner and scheduler on a real store and real read models, with a clock the test
 * moves: two runners on separate connections racing to open a stage record it once; the closing
 * scheduler closes the due rounds, the ladder scheduler then closes the stage and opens the next
 * by itself; the national decision is applied to the proposal once, however often it is ticked.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import type { Actor } from '@kyogi/domain/shared/decider';
import { organisationDecider } from '@kyogi/domain/organisations/organisations.decider';
import type { RegisterOrganisationData } from '@kyogi/domain/organisations/organisations.commands';
import { consultationDecider } from '@kyogi/domain/consultations/consultations.decider';
import { consultationStreamName } from '@kyogi/domain/consultations/consultations.events';
import { ladderDecider } from '@kyogi/domain/ladders/ladders.decider';
import { ladderStreamName, type RoundRules } from '@kyogi/domain/ladders/ladders.events';
import { proposalStreamName } from '@kyogi/domain/proposals/proposals.events';
import { Projector } from '@kyogi/read-models/projector';
import { organisationsProjection } from '@kyogi/read-models/organisations/organisations.projection';
import { proposalsProjection } from '@kyogi/read-models/proposals/proposals.projection';
import { consultationsProjection } from '@kyogi/read-models/consultations/consultations.projection';
import { laddersProjection } from '@kyogi/read-models/ladders/ladders.projection';
import { decideAndAppend } from '../command-handling/decide-and-append';
import { ClosingScheduler } from '../consultations/closing-scheduler';
import { LadderRunner, roundConsultationId } from './ladder-runner';
import { LadderScheduler } from './ladder-scheduler';
import { createTestDatabase, embeddedServerUrl } from '../../../../test/support/databases';

jest.setTimeout(60_000);

const system: Actor = { personId: 'system', organisationId: 'digital-agency', organisationKind: 'national', roles: ['admin'] };
const coordinator: Actor = { personId: 'p-da-coordinator', organisationId: 'digital-agency', organisationKind: 'national', roles: ['coordinator'] };
const voter = (organisationId: string, kind: Actor['organisationKind'] = 'municipality'): Actor => ({
  personId: `p-${organisationId}`,
  organisationId,
  organisationKind: kind,
  roles: ['member', 'approver'],
});

const org = (organisationId: string, kind: 'national' | 'prefecture' | 'municipality', name: string, parentId: string | null): RegisterOrganisationData => ({
  organisationId,
  kind,
  name,
  nameKana: null,
  code: kind === 'national' ? null : organisationId,
  prefectureCode: kind === 'national' ? null : organisationId.slice(0, 2),
  parentId,
  active: true,
  population: null,
});
const ORGANISATIONS = [
  org('digital-agency', 'national', 'デジタル庁', null),
  org('310000', 'prefecture', '鳥取県', null),
  org('312011', 'municipality', '鳥取市', '310000'),
  org('312029', 'municipality', '米子市', '310000'),
  org('312037', 'municipality', '倉吉市', '310000'),
  org('370002', 'prefecture', '香川県', null),
  org('372013', 'municipality', '高松市', '370002'),
  org('372021', 'municipality', '丸亀市', '370002'),
];

const rules: RoundRules = {
  weighting: 'equal',
  populations: null,
  quorumPercent: 50,
  thresholdPercent: 50,
  thresholdBasis: 'approve_of_approve_and_object',
  blockVetoes: true,
  resultsHidden: false,
  durationSeconds: 3600,
};

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
let otherStore: PostgresEventStore;
let pool: Pool;
let projector: Projector;
let now = new Date('2025-06-02T00:00:00.000Z');
const clock = () => now;
const log: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'ladderrun');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  otherStore = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  pool = new Pool({ connectionString: db.url, max: 4 });
  projector = new Projector({
    store,
    pool,
    projections: [organisationsProjection, proposalsProjection, consultationsProjection, laddersProjection],
    log: () => undefined,
  });
  await projector.start();
  for (const data of ORGANISATIONS) {
    const outcome = await decideAndAppend(store, organisationDecider, data.organisationId, {
      type: 'RegisterOrganisation',
      data,
      metadata: { commandId: randomUUID(), now, actor: system },
    });
    if (!outcome.ok) throw new Error(`${data.organisationId}: ${outcome.error.code} ${outcome.error.message}`);
  }
  // A submitted proposal, as its events (the runner reads its status from its stream).
  const meta = {
    actor: { personId: 'p-da-coordinator', organisationId: 'digital-agency', roles: ['coordinator'] },
    correlationId: 'fixture',
    causationId: 'fixture',
    occurredAt: now.toISOString(),
    schemaVersion: 1,
  };
  const appended = await store.appendToStream(
    proposalStreamName('P-1'),
    [
      {
        id: randomUUID(),
        type: 'ProposalDrafted',
        data: {
          proposalId: 'P-1',
          specId: 'juminkiroku',
          version: '4.0',
          title: '旧氏の記載の選択',
          changes: [
            {
              changeId: 'c1',
              kind: 'modify',
              requirementId: '2.1.3',
              requirementTitle: '旧氏',
              before: '旧氏を記載すること。',
              after: '旧氏の記載の有無を選択できること。',
              reason: '選択制のため',
            },
          ],
          authorPersonId: 'p-da-coordinator',
          authorOrganisationId: 'digital-agency',
        },
        metadata: meta,
      },
      { id: randomUUID(), type: 'ProposalSubmitted', data: { proposalId: 'P-1', revision: 1 }, metadata: meta },
    ],
    'no_stream',
  );
  const chosen = await decideAndAppend(store, ladderDecider, 'P-1', {
    type: 'ChooseLadder',
    data: {
      ladderId: 'P-1',
      proposalId: 'P-1',
      specId: 'juminkiroku',
      proposalRevision: 1,
      specOwnerOrganisationId: 'digital-agency',
      proposalSubmitted: true,
      stages: [
        { kind: 'prefectural_rounds', prefectureCodes: ['310000', '370002'], rules },
        { kind: 'prefectures_round', rules },
        { kind: 'national_decision' },
      ],
    },
    metadata: { commandId: randomUUID(), now, actor: coordinator },
  });
  if (!chosen.ok) throw new Error(chosen.error.message);
  await projector.waitFor(chosen.position ?? appended.position, 10_000);
});

afterAll(async () => {
  await projector?.stop();
  await pool?.end();
  await otherStore?.close();
  await store?.close();
  await db?.drop();
});

const types = async (stream: string) => (await store.readStream(stream)).map((e) => e.type);
/**
 * Waits until the read models show what the schedulers read (the projector runs beside the test;
 * a position read from the store could be behind while another transaction is open).
 */
async function readModelShows(sql: string, params: unknown[] = []): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await pool.query<{ ok: boolean }>(sql, params)).rows[0]?.ok) {
    if (Date.now() > deadline) throw new Error(`the read models never showed: ${sql}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const roundsShown = (ids: readonly string[], status: 'open' | 'closed') =>
  readModelShows('SELECT count(*) = $2 AS ok FROM read_models.consultations WHERE consultation_id = ANY($1::text[]) AND status = $3', [
    ids,
    ids.length,
    status,
  ]);
const stageOpenedShown = (stage: number) =>
  readModelShows("SELECT opened_at IS NOT NULL AS ok FROM read_models.ladder_stages WHERE ladder_id = 'P-1' AND stage = $1", [stage]);

async function stance(consultationId: string, by: Actor, kind: string) {
  const draftId = randomUUID().replace(/-/g, '');
  for (const command of [
    {
      type: 'DraftStance',
      data: { consultationId, draftId, organisationId: by.organisationId, stance: kind, reason: kind === 'object' ? '負担が大きい' : null, mandate: null },
    },
    { type: 'ApproveStance', data: { consultationId, draftId, mandate: null } },
  ] as const) {
    const outcome = await decideAndAppend(store, consultationDecider, consultationId, {
      ...command,
      metadata: { commandId: randomUUID(), now, actor: by },
    } as never);
    if (!outcome.ok) throw new Error(`${command.type}: ${outcome.error.code} ${outcome.error.message}`);
  }
}

describe('the ladder runner', () => {
  it('opens stage 1 once when two runners on separate connections race for it', async () => {
    const runners = [new LadderRunner({ pool, store, clock }), new LadderRunner({ pool, store: otherStore, clock })];
    const outcomes = await Promise.all(runners.map((runner) => runner.advance('P-1', null)));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(await types(ladderStreamName('P-1'))).toEqual(['LadderChosen', 'LadderStageOpened']);
    for (const round of [1, 2]) expect(await types(consultationStreamName(roundConsultationId('P-1', 1, round)))).toEqual(['ConsultationOpened']);
    const opened = (await store.readStream(consultationStreamName(roundConsultationId('P-1', 1, 1))))[0].data as {
      electorate: unknown;
      closesAt: string;
      stage: unknown;
    };
    expect(opened.electorate).toEqual(['312011', '312029', '312037'].map((organisationId) => ({ organisationId, weight: 1 })));
    expect(opened.closesAt).toBe('2025-06-02T01:00:00.000Z');
    // Nothing more to do until the rounds close.
    expect(await runners[0].advance('P-1', null)).toEqual({ ok: true, position: null, steps: [] });
  });

  it('closes stage 1 and opens stage 2 by itself once the closing scheduler has closed the due rounds', async () => {
    const tottori = roundConsultationId('P-1', 1, 1);
    const kagawa = roundConsultationId('P-1', 1, 2);
    await stance(tottori, voter('312011'), 'approve');
    await stance(tottori, voter('312029'), 'approve');
    await stance(kagawa, voter('372013'), 'object');
    await roundsShown([tottori, kagawa], 'open');
    await stageOpenedShown(1);
    const runner = new LadderRunner({ pool, store, clock, log: (m) => log.push(m) });
    const ladders = new LadderScheduler({ pool, runner, clock, log: (m) => log.push(m) });
    await ladders.tick();
    expect(await types(ladderStreamName('P-1'))).toEqual(['LadderChosen', 'LadderStageOpened']); // the rounds are still open

    now = new Date('2025-06-02T01:00:00.500Z');
    await new ClosingScheduler({ pool, store, clock }).tick();
    await roundsShown([tottori, kagawa], 'closed');
    await ladders.tick();
    expect(await types(ladderStreamName('P-1'))).toEqual(['LadderChosen', 'LadderStageOpened', 'LadderStageClosed', 'LadderStageOpened']);
    const [, , closed, opened] = await store.readStream(ladderStreamName('P-1'));
    expect(closed.data).toMatchObject({
      stage: 1,
      outcomes: [
        { consultationId: tottori, outcome: { quorumMet: true, thresholdMet: true, blocked: false, passed: true } },
        { consultationId: kagawa, outcome: { quorumMet: true, thresholdMet: false, blocked: false, passed: false } },
      ],
    });
    const round2 = roundConsultationId('P-1', 2, 1);
    expect(opened.data).toMatchObject({ stage: 2, consultationIds: [round2] });
    const [round2Opened] = await store.readStream(consultationStreamName(round2));
    expect(round2Opened.data).toMatchObject({
      electorate: [
        { organisationId: '310000', weight: 1 },
        { organisationId: '370002', weight: 1 },
      ],
      openedByPersonId: 'system',
      openedByOrganisationId: 'digital-agency',
      closesAt: '2025-06-02T02:00:00.500Z',
      ladderId: 'P-1',
      stage: 2,
    });
    expect(log).toEqual(['ladder scheduler: ladder P-1: stage 1 closed', 'ladder scheduler: ladder P-1: stage 2 opened']);
  });

  it('applies the national decision to the proposal once, however often the scheduler passes', async () => {
    const round2 = roundConsultationId('P-1', 2, 1);
    await stance(round2, voter('310000', 'prefecture'), 'approve');
    await roundsShown([round2], 'open');
    now = new Date('2025-06-02T02:00:01.000Z');
    await new ClosingScheduler({ pool, store, clock }).tick();
    await roundsShown([round2], 'closed');
    await stageOpenedShown(2);
    const runner = new LadderRunner({ pool, store, clock });
    const ladders = new LadderScheduler({ pool, runner, clock });
    await ladders.tick();
    const [, , , , stage2Closed] = await store.readStream(ladderStreamName('P-1'));
    expect(stage2Closed.type).toBe('LadderStageClosed');

    const cited = (stage2Closed.data as { outcomes: unknown[] }).outcomes;
    const decided = await decideAndAppend(store, ladderDecider, 'P-1', {
      type: 'RecordNationalDecision',
      data: { ladderId: 'P-1', decision: 'accept', rationale: '都道府県の協議で可決', citedStage: 2, citedOutcomes: cited as never },
      metadata: { commandId: randomUUID(), now, actor: coordinator },
    });
    expect(decided.ok).toBe(true);
    await readModelShows("SELECT status = 'decided' AS ok FROM read_models.ladders WHERE ladder_id = 'P-1'");
    await ladders.tick();
    await readModelShows("SELECT status = 'accepted' AS ok FROM read_models.proposals WHERE proposal_id = 'P-1'");
    await ladders.tick();
    await runner.advance('P-1', null);
    expect(await types(proposalStreamName('P-1'))).toEqual(['ProposalDrafted', 'ProposalSubmitted', 'ProposalAccepted']);
    const accepted = (await store.readStream(proposalStreamName('P-1')))[2];
    expect(accepted.data).toEqual({ proposalId: 'P-1', revision: 1, rationale: '都道府県の協議で可決' });
    expect(accepted.metadata.actor).toMatchObject({ personId: 'system', organisationId: 'digital-agency' });
  });
});
