import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { ladderDecider } from '@kyogi/domain/ladders/ladders.decider';
import type { LadderCommand } from '@kyogi/domain/ladders/ladders.commands';
import type { RoundRules, StageDefinition } from '@kyogi/domain/ladders/ladders.events';
import type { Outcome } from '@kyogi/domain/consultations/tally';
import { Projector } from '../projector';
import type { ReadModelChange } from '../projection';
import { DA_COORDINATOR, Deliberation } from '../testing/deliberation.test-kit';
import { laddersProjection } from './ladders.projection';
import { createTestDatabase, embeddedServerUrl } from '../../../../test/support/databases';

jest.setTimeout(30_000);

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
let pool: Pool;
let projector: Projector;
let kit: Deliberation;
const published: ReadModelChange[] = [];

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'ladderproj');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  pool = new Pool({ connectionString: db.url, max: 4 });
  projector = new Projector({ store, pool, projections: [laddersProjection], publish: (changes) => published.push(...changes), log: () => undefined });
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

const run = (command: Omit<LadderCommand, 'metadata'>) => kit.execute(ladderDecider, 'P-1', command, DA_COORDINATOR);

const rules: RoundRules = {
  weighting: 'population',
  populations: [{ organisationId: '310000', population: 535_000 }],
  quorumPercent: 50,
  thresholdPercent: 60,
  thresholdBasis: 'approve_of_approve_and_object',
  blockVetoes: true,
  resultsHidden: true,
  durationSeconds: 86_400,
};
const stages: StageDefinition[] = [
  { kind: 'prefectural_rounds', prefectureCodes: ['310000', '370002'], rules },
  { kind: 'prefectures_round', rules: { ...rules, resultsHidden: false } },
  { kind: 'national_decision' },
];
const passed: Outcome = { quorumMet: true, thresholdMet: true, blocked: false, passed: true };
const blocked: Outcome = { quorumMet: true, thresholdMet: true, blocked: true, passed: false };

async function ladder() {
  const { rows } = await pool.query(
    'SELECT ladder_id, proposal_id, spec_id, proposal_revision, owner_organisation_id, status, stage_count, current_stage, decision, rationale, cited_stage FROM read_models.ladders',
  );
  const stageRows = await pool.query(
    'SELECT stage, kind, prefecture_codes, rules, consultation_ids, outcomes, opened_at IS NOT NULL AS opened, closed_at IS NOT NULL AS closed FROM read_models.ladder_stages ORDER BY stage',
  );
  return { ...rows[0], stages: stageRows.rows };
}

describe('the ladders projection', () => {
  it('follows a ladder from its choice through every stage to the national decision', async () => {
    await run({
      type: 'ChooseLadder',
      data: {
        ladderId: 'P-1',
        proposalId: 'P-1',
        stages,
        specId: 'juminkiroku',
        proposalRevision: 2,
        specOwnerOrganisationId: 'digital-agency',
        proposalSubmitted: true,
      },
    });
    let seen = await ladder();
    expect(seen).toMatchObject({
      ladder_id: 'P-1',
      proposal_revision: 2,
      owner_organisation_id: 'digital-agency',
      status: 'running',
      stage_count: 3,
      current_stage: 1,
    });
    expect(seen.stages.map((s: any) => [s.stage, s.kind, s.prefecture_codes, s.opened, s.closed])).toEqual([
      [1, 'prefectural_rounds', ['310000', '370002'], false, false],
      [2, 'prefectures_round', null, false, false],
      [3, 'national_decision', null, false, false],
    ]);
    expect(seen.stages[0].rules).toEqual(rules);
    expect(seen.stages[2].rules).toBeNull();

    await run({ type: 'RecordStageOpened', data: { ladderId: 'P-1', stage: 1, consultationIds: ['C-31', 'C-37'] } });
    seen = await ladder();
    expect(seen.current_stage).toBe(1);
    expect(seen.stages[0]).toMatchObject({ consultation_ids: ['C-31', 'C-37'], opened: true, closed: false });

    const stage1 = [
      { consultationId: 'C-31', closed: true, outcome: passed },
      { consultationId: 'C-37', closed: true, outcome: blocked },
    ];
    await run({ type: 'RecordStageClosed', data: { ladderId: 'P-1', stage: 1, results: stage1 } });
    seen = await ladder();
    expect(seen.current_stage).toBe(2); // the next to open
    expect(seen.stages[0]).toMatchObject({ closed: true, outcomes: stage1.map(({ consultationId, outcome }) => ({ consultationId, outcome })) });

    await run({ type: 'RecordStageOpened', data: { ladderId: 'P-1', stage: 2, consultationIds: ['C-47'] } });
    await run({ type: 'RecordStageClosed', data: { ladderId: 'P-1', stage: 2, results: [{ consultationId: 'C-47', closed: true, outcome: passed }] } });
    seen = await ladder();
    expect(seen.current_stage).toBe(3); // the national decision waits

    const cited = [{ consultationId: 'C-47', outcome: passed }];
    await run({
      type: 'RecordNationalDecision',
      data: { ladderId: 'P-1', decision: 'accept', rationale: '可決されたため', citedStage: 2, citedOutcomes: cited },
    });
    seen = await ladder();
    expect(seen).toMatchObject({ status: 'decided', current_stage: null, decision: 'accept', rationale: '可決されたため', cited_stage: 2 });
    expect(seen.stages[2]).toMatchObject({ outcomes: cited, opened: true, closed: true });

    expect(published.map((c) => `${c.entity}:${c.id}:${c.change}:${c.scope.proposalId}`)).toEqual([
      'ladder:P-1:LadderChosen:P-1',
      'ladder:P-1:LadderStageOpened:P-1',
      'ladder:P-1:LadderStageClosed:P-1',
      'ladder:P-1:LadderStageOpened:P-1',
      'ladder:P-1:LadderStageClosed:P-1',
      'ladder:P-1:LadderDecided:P-1',
    ]);
  });

  it('rebuilds to the same rows from the log', async () => {
    const before = await ladder();
    await projector.stop();
    projector = new Projector({ store, pool, projections: [laddersProjection], log: () => undefined });
    await projector.reset();
    expect((await pool.query('SELECT * FROM read_models.ladders')).rows).toEqual([]);
    await projector.start();
    await projector.caughtUp;
    expect(await ladder()).toStrictEqual(before);
  });
});
