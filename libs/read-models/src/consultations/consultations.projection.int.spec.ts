import fc from 'fast-check';
import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { consultationDecider } from '@kyogi/domain/consultations/consultations.decider';
import type { ConsultationCommand } from '@kyogi/domain/consultations/consultations.commands';
import { outcomeOf, STANCES, tally, type Stance, type Tally } from '@kyogi/domain/consultations/tally';
import { Projector } from '../projector';
import type { ReadModelChange } from '../projection';
import { organisationsProjection } from '../organisations/organisations.projection';
import { consultationsProjection } from './consultations.projection';
import { actor, DA_COORDINATOR, Deliberation } from '../testing/deliberation.test-kit';
import { createTestDatabase, embeddedServerUrl } from '../../../../test/support/databases';

jest.setTimeout(120_000);

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
let pool: Pool;
let projector: Projector;
let kit: Deliberation;
const published: ReadModelChange[] = [];

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'consproj');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  pool = new Pool({ connectionString: db.url, max: 4 });
  projector = new Projector({
    store,
    pool,
    projections: [organisationsProjection, consultationsProjection],
    publish: (changes) => published.push(...changes),
    log: () => undefined,
  });
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

const ORGS = ['311006', '312011', '312029', '312037', '312045', '313025'];
const approverOf = (organisationId: string) => actor(`p-${organisationId}`, organisationId, 'municipality', ['member', 'approver']);
let rounds = 0;
let drafts = 0;

async function run<C extends ConsultationCommand>(id: string, command: Omit<C, 'metadata'>, by = DA_COORDINATOR) {
  return kit.execute(consultationDecider, id, command as Omit<ConsultationCommand, 'metadata'>, by);
}

async function open(id: string, weights: readonly number[], resultsHidden: boolean) {
  await run(id, {
    type: 'OpenConsultation',
    data: {
      consultationId: id,
      proposalId: 'P-1',
      specId: 'juminkiroku',
      electorate: ORGS.map((organisationId, i) => ({ organisationId, weight: weights[i] })),
      weighting: 'population',
      quorumPercent: 50,
      thresholdPercent: 60,
      thresholdBasis: 'approve_of_approve_and_object',
      blockVetoes: true,
      closesAt: '2031-01-01T00:00:00.000Z',
      resultsHidden,
      stage: { ladderId: null, stage: null },
      proposalSubmitted: true,
    },
  });
}

async function cast(id: string, organisationId: string, stance: Stance) {
  const draftId = `d-${++drafts}`;
  const reason = stance === 'object' || stance === 'block' ? '理由あり' : null;
  const by = approverOf(organisationId);
  await run(id, { type: 'DraftStance', data: { consultationId: id, draftId, organisationId, stance, reason, mandate: null } }, by);
  return run(id, { type: 'ApproveStance', data: { consultationId: id, draftId, mandate: null } }, by);
}

async function readModel(id: string) {
  const c = await pool.query<{ tally: Tally; status: string; final_tally: Tally | null; outcome: unknown }>(
    'SELECT tally, status, final_tally, outcome FROM read_models.consultations WHERE consultation_id = $1',
    [id],
  );
  const e = await pool.query<{ organisation_id: string; stance: Stance | null; weight: string }>(
    'SELECT organisation_id, stance, weight FROM read_models.consultation_electorate WHERE consultation_id = $1 ORDER BY ordinal',
    [id],
  );
  const h = await pool.query<{ n: string }>('SELECT count(*) AS n FROM read_models.consultation_stances WHERE consultation_id = $1', [id]);
  return { ...c.rows[0], electorate: e.rows, history: Number(h.rows[0].n) };
}

describe('the consultations projection', () => {
  it('keeps an incremental tally equal to the tally of the final stances, after any sequence of stances and changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: ORGS.length, maxLength: ORGS.length }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: ORGS.length - 1 }), fc.constantFrom(...STANCES)), { maxLength: 14 }),
        fc.boolean(),
        async (weights, sequence, hidden) => {
          const id = `K-${++rounds}`;
          await open(id, weights, hidden);
          const finals = new Map<string, Stance>();
          for (const [i, stance] of sequence) {
            await cast(id, ORGS[i], stance);
            finals.set(ORGS[i], stance);
          }
          const electorate = ORGS.map((organisationId, i) => ({ organisationId, weight: weights[i] }));
          const expected = tally(electorate, finals);
          const before = await readModel(id);
          expect(before.tally).toEqual(expected);
          expect(before.history).toBe(sequence.length);
          expect(before.electorate.map((e) => e.stance)).toEqual(ORGS.map((o) => finals.get(o) ?? null));

          await run(id, { type: 'CloseConsultation', data: { consultationId: id, reason: '試験のため早期終了' } });
          const after = await readModel(id);
          expect(after.status).toBe('closed');
          expect(after.final_tally).toEqual(expected);
          expect(after.outcome).toEqual(
            outcomeOf(expected, { quorumPercent: 50, thresholdPercent: 60, thresholdBasis: 'approve_of_approve_and_object', blockVetoes: true }),
          );
        },
      ),
      { numRuns: 12 },
    );
  });

  it('announces no numbers for a hidden round until it closes, and a draft with none, naming its organisations', () => {
    const changes = published.filter((c) => c.entity === 'consultation');
    expect(changes.length).toBeGreaterThan(0);
    const drafts = changes.filter((c) => c.change === 'StanceDrafted');
    expect(drafts.length).toBeGreaterThan(0);
    for (const c of drafts) {
      // Each organisation drafted for itself here: the drafting organisation is the one the draft is for.
      expect(c.scope).toEqual({ status: 'open', tally: null, organisationId: expect.any(String), draftingOrganisationId: c.scope.organisationId });
      expect(ORGS).toContain(c.scope.organisationId);
    }
    for (const c of changes) {
      if (c.change === 'StanceDrafted') continue;
      if (c.scope.resultsHidden === 'true' && c.scope.status !== 'closed') expect(c.scope.tally).toBeNull();
      else expect(typeof c.scope.tally).toBe('string');
    }
  });
});
