import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { mandateDecider } from '@kyogi/domain/mandates/mandates.decider';
import type { MandateCommand } from '@kyogi/domain/mandates/mandates.commands';
import type { Actor } from '@kyogi/domain/shared/decider';
import { Projector } from '../projector';
import type { ReadModelChange } from '../projection';
import { actor, Deliberation } from '../testing/deliberation.test-kit';
import { mandatesProjection } from './mandates.projection';
import { createTestDatabase, embeddedServerUrl } from '../../../../test/support/databases';

jest.setTimeout(30_000);

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
let pool: Pool;
let projector: Projector;
let kit: Deliberation;
const published: ReadModelChange[] = [];

// 檜原村 (133078) mandates 東京都 (130001).
const HINOHARA_APPROVER = actor('p-hinohara-approver', '133078', 'municipality', ['admin', 'approver']);

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'mandproj');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  pool = new Pool({ connectionString: db.url, max: 4 });
  projector = new Projector({ store, pool, projections: [mandatesProjection], publish: (changes) => published.push(...changes), log: () => undefined });
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

const run = (id: string, command: Omit<MandateCommand, 'metadata'>, by: Actor = HINOHARA_APPROVER) => kit.execute(mandateDecider, id, command, by);

async function mandate(id: string) {
  const { rows } = await pool.query(
    `SELECT mandate_id, grantor_organisation_id, grantee_organisation_id, scope_kind, consultation_id, domain, expires_at, revoked, revoked_reason,
            granted_at, granted_by_person_id, version, position
     FROM read_models.mandates WHERE mandate_id = $1`,
    [id],
  );
  return rows[0];
}

/** The DraftStance lookup as the consultations context reads it: a valid mandate of `grantee` for the consultation at `at`. */
async function validMandates(grantee: string, consultationId: string, domain: string | null, at: string) {
  const { rows } = await pool.query<{ mandate_id: string }>(
    `SELECT mandate_id FROM read_models.mandates
     WHERE grantee_organisation_id = $1 AND NOT revoked AND $4::timestamptz < expires_at
       AND ((scope_kind = 'consultation' AND consultation_id = $2) OR (scope_kind = 'domain' AND domain = $3))
     ORDER BY mandate_id`,
    [grantee, consultationId, domain, at],
  );
  return rows.map((r) => r.mandate_id);
}

describe('the mandates read model', () => {
  it('keeps a granted mandate with its scope, expiry and grantor, and announces it to both organisations', async () => {
    const { now } = await run('M-1', {
      type: 'GrantMandate',
      data: {
        mandateId: 'M-1',
        grantorOrganisationId: '133078',
        granteeOrganisationId: '130001',
        scope: { kind: 'domain', domain: 'juminkiroku' },
        expiresAt: '2025-06-30T23:59:59+09:00',
      },
    });
    expect(await mandate('M-1')).toStrictEqual({
      mandate_id: 'M-1',
      grantor_organisation_id: '133078',
      grantee_organisation_id: '130001',
      scope_kind: 'domain',
      consultation_id: null,
      domain: 'juminkiroku',
      expires_at: new Date('2025-06-30T14:59:59.000Z'),
      revoked: false,
      revoked_reason: null,
      granted_at: now,
      granted_by_person_id: 'p-hinohara-approver',
      version: '0',
      position: expect.any(String),
    });
    expect(published.at(-1)).toStrictEqual({
      entity: 'mandate',
      id: 'M-1',
      change: 'MandateGranted',
      position: expect.any(String),
      scope: { grantorOrganisationId: '133078', granteeOrganisationId: '130001' },
    });
  });

  it('keeps a consultation scope', async () => {
    await run('M-2', {
      type: 'GrantMandate',
      data: {
        mandateId: 'M-2',
        grantorOrganisationId: '133078',
        granteeOrganisationId: '130001',
        scope: { kind: 'consultation', consultationId: 'K-1' },
        expiresAt: '2025-05-01T00:00:00Z',
      },
    });
    expect(await mandate('M-2')).toMatchObject({ scope_kind: 'consultation', consultation_id: 'K-1', domain: null });
  });

  it('answers the DraftStance lookup by scope and strictly before the expiry', async () => {
    expect(await validMandates('130001', 'K-1', 'juminkiroku', '2025-04-30T00:00:00Z')).toEqual(['M-1', 'M-2']);
    expect(await validMandates('130001', 'K-2', 'juminkiroku', '2025-04-30T00:00:00Z')).toEqual(['M-1']);
    expect(await validMandates('130001', 'K-1', 'koseki', '2025-05-01T00:00:00Z')).toEqual([]);
    expect(await validMandates('130001', 'K-2', 'juminkiroku', '2025-06-30T14:59:58.999Z')).toEqual(['M-1']);
    expect(await validMandates('130001', 'K-2', 'juminkiroku', '2025-06-30T14:59:59Z')).toEqual([]);
    expect(await validMandates('133078', 'K-1', 'juminkiroku', '2025-04-30T00:00:00Z')).toEqual([]);
  });

  it('marks a revoked mandate with its reason, keeps the rest, and stops its use', async () => {
    const before = await mandate('M-1');
    await run('M-1', { type: 'RevokeMandate', data: { mandateId: 'M-1', reason: '自ら回答するため' } });
    const after = await mandate('M-1');
    expect(after).toStrictEqual({ ...before, revoked: true, revoked_reason: '自ら回答するため', version: '1', position: expect.any(String) });
    expect(after.position > before.position).toBe(true);
    expect(published.at(-1)).toMatchObject({ entity: 'mandate', id: 'M-1', change: 'MandateRevoked', scope: { grantorOrganisationId: '133078' } });
    expect(await validMandates('130001', 'K-2', 'juminkiroku', '2025-04-30T00:00:00Z')).toEqual([]);
  });

  it('rebuilds to the same rows', async () => {
    const { rows: before } = await pool.query('SELECT * FROM read_models.mandates ORDER BY mandate_id');
    await projector.stop();
    projector = new Projector({ store, pool, projections: [mandatesProjection], log: () => undefined });
    await projector.reset();
    expect((await pool.query('SELECT * FROM read_models.mandates')).rows).toEqual([]);
    await projector.start();
    await projector.caughtUp;
    const { rows: after } = await pool.query('SELECT * FROM read_models.mandates ORDER BY mandate_id');
    expect(after).toStrictEqual(before);
  });
});
