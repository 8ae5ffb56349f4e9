import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { formatPosition } from '@kyogi/event-store/port';
import { mandateDecider } from '@kyogi/domain/mandates/mandates.decider';
import type { MandateCommand } from '@kyogi/domain/mandates/mandates.commands';
import { proposalDecider } from '@kyogi/domain/proposals/proposals.decider';
import { proposalBaseOf } from '@kyogi/domain/proposals/proposals.decider';
import type { ProposalCommand } from '@kyogi/domain/proposals/proposals.commands';
import type { SpecState } from '@kyogi/domain/specs/specs.decider';
import { Projector } from '../projector';
import { actor, Deliberation, SAPPORO_APPROVER, SAPPORO_MEMBER, HAKODATE_MEMBER } from '../testing/deliberation.test-kit';
import { activityPage, activityProjection } from './activity.projection';
import { createTestDatabase, embeddedServerUrl } from '../../../../test/support/databases';

jest.setTimeout(30_000);

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
let pool: Pool;
let projector: Projector;
let kit: Deliberation;
let spec: SpecState;

const HINOHARA_APPROVER = actor('p-hinohara-approver', '133078', 'municipality', ['admin', 'approver']);

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'actproj');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  pool = new Pool({ connectionString: db.url, max: 4 });
  projector = new Projector({ store, pool, projections: [activityProjection], log: () => undefined });
  await projector.start();
  await projector.caughtUp;
  kit = new Deliberation(store, projector);
  spec = await kit.publishJuminKiroku(); // two events by デジタル庁
});

afterAll(async () => {
  await projector?.stop();
  await pool?.end();
  await store?.close();
  await db?.drop();
});

const draft = (proposalId: string, by = SAPPORO_MEMBER) =>
  kit.execute(
    proposalDecider,
    proposalId,
    {
      type: 'DraftProposal',
      data: {
        proposalId,
        specId: 'juminkiroku',
        version: '4.0',
        title: '旧氏の記載',
        changes: [{ changeId: 'c1', kind: 'modify', requirementId: '2.1.3', after: '旧氏を記載できること。', reason: '旧氏の併記のため' }],
        base: proposalBaseOf(spec, '4.0'),
      },
    } as Omit<ProposalCommand, 'metadata'>,
    by,
  );

const grant = (mandateId: string) =>
  kit.execute(
    mandateDecider,
    mandateId,
    {
      type: 'GrantMandate',
      data: {
        mandateId,
        grantorOrganisationId: '133078',
        granteeOrganisationId: '130001',
        scope: { kind: 'domain', domain: 'juminkiroku' },
        expiresAt: '2026-03-31T15:00:00Z',
      },
    } as Omit<MandateCommand, 'metadata'>,
    HINOHARA_APPROVER,
  );

describe('the activity read model', () => {
  it('indexes every event under the organisation that acted, with its stream, revision, type, position and time', async () => {
    const drafted = await draft('P-1');
    const submitted = await kit.execute(proposalDecider, 'P-1', { type: 'SubmitProposal', data: { proposalId: 'P-1' } }, SAPPORO_APPROVER);
    await draft('P-2', HAKODATE_MEMBER);
    const granted = await grant('M-1');

    const sapporo = await activityPage(pool, '011002', { before: null, limit: 10, types: null });
    expect(sapporo).toEqual([
      {
        organisationId: '011002',
        personId: 'p-sapporo-approver',
        streamName: 'Proposal-P-1',
        revision: 1n,
        type: 'ProposalSubmitted',
        position: formatPosition(submitted.position),
        occurredAt: submitted.now,
      },
      {
        organisationId: '011002',
        personId: 'p-sapporo-member',
        streamName: 'Proposal-P-1',
        revision: 0n,
        type: 'ProposalDrafted',
        position: formatPosition(drafted.position),
        occurredAt: drafted.now,
      },
    ]);
    expect((await activityPage(pool, '012025', { before: null, limit: 10, types: null })).map((r) => r.streamName)).toEqual(['Proposal-P-2']);
    expect(await activityPage(pool, '133078', { before: null, limit: 10, types: null })).toEqual([
      expect.objectContaining({ streamName: 'Mandate-M-1', revision: 0n, type: 'MandateGranted', position: formatPosition(granted.position) }),
    ]);
    expect((await activityPage(pool, 'digital-agency', { before: null, limit: 10, types: null })).map((r) => `${r.streamName}@${r.revision}`)).toEqual([
      'Spec-juminkiroku@1',
      'Spec-juminkiroku@0',
    ]);
    expect(await activityPage(pool, '130001', { before: null, limit: 10, types: null })).toEqual([]); // the grantee did nothing itself
  });

  it('pages newest first, strictly before a position, and filters by event type', async () => {
    for (let i = 3; i <= 7; i++) await draft(`P-${i}`);
    const all = await activityPage(pool, '011002', { before: null, limit: 100, types: null });
    expect(all.map((r) => `${r.streamName}@${r.revision}`)).toEqual([
      'Proposal-P-7@0',
      'Proposal-P-6@0',
      'Proposal-P-5@0',
      'Proposal-P-4@0',
      'Proposal-P-3@0',
      'Proposal-P-1@1',
      'Proposal-P-1@0',
    ]);
    const first = await activityPage(pool, '011002', { before: null, limit: 3, types: null });
    const second = await activityPage(pool, '011002', { before: first.at(-1)!.position, limit: 3, types: null });
    const third = await activityPage(pool, '011002', { before: second.at(-1)!.position, limit: 3, types: null });
    expect([...first, ...second, ...third]).toEqual(all);
    expect(third).toHaveLength(1);
    expect((await activityPage(pool, '011002', { before: null, limit: 10, types: ['ProposalSubmitted'] })).map((r) => r.streamName)).toEqual(['Proposal-P-1']);
    expect(await activityPage(pool, '011002', { before: null, limit: 10, types: ['StanceCast'] })).toEqual([]);
  });

  it('ignores an event without an acting organisation and never indexes one twice', async () => {
    await store.appendToStream(
      'Seed-marker',
      [
        {
          id: '2b0f2b4e-1d0c-4a47-9d8f-000000000001',
          type: 'Marked',
          data: {},
          metadata: {
            actor: { personId: 'system', organisationId: '', roles: [] },
            correlationId: 'c',
            causationId: 'c',
            occurredAt: new Date().toISOString(),
            schemaVersion: 1,
          },
        },
      ],
      'no_stream',
    );
    const head = await store.headPosition();
    await projector.waitFor(head, 5_000);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM read_models.activity WHERE stream_name = 'Seed-marker'`);
    expect(rows[0].n).toBe(0);
    const { rows: dup } = await pool.query(`SELECT stream_name, revision FROM read_models.activity GROUP BY 1, 2 HAVING count(*) > 1`);
    expect(dup).toEqual([]);
  });

  it('rebuilds to the same rows', async () => {
    const { rows: before } = await pool.query('SELECT * FROM read_models.activity ORDER BY position');
    expect(before).toHaveLength(11);
    await projector.stop();
    projector = new Projector({ store, pool, projections: [activityProjection], log: () => undefined });
    await projector.reset();
    expect((await pool.query('SELECT * FROM read_models.activity')).rows).toEqual([]);
    await projector.start();
    await projector.caughtUp;
    const { rows: after } = await pool.query('SELECT * FROM read_models.activity ORDER BY position');
    expect(after).toStrictEqual(before);
  });
});
