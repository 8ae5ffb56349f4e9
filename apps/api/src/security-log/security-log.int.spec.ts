import { Pool } from 'pg';
import { createTestDatabase, embeddedServerUrl } from '../../../../test/support/databases';
import { SecurityLog, type SecurityRefusal } from './security-log';

let db: { url: string; drop(): Promise<void> };
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'securitylog');
  pool = new Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const refusal = (i: number, overrides: Partial<SecurityRefusal> = {}): SecurityRefusal => ({
  at: new Date(Date.UTC(2026, 10, 22, 12, 0, i)),
  personId: 'staff-011002',
  organisationId: '011002',
  roles: ['member'],
  operation: 'Mutation.draftStance',
  field: 'organisationId',
  targetOrganisationId: '012025',
  code: 'FORBIDDEN',
  message: `011002 holds no valid mandate to draft for 012025 (${i})`,
  clientAddress: '127.0.0.1',
  ...overrides,
});

describe('the security log', () => {
  it('keeps every refusal, newest first, paged, and filtered by the organisation that tried or was named', async () => {
    const lines: string[] = [];
    const log = new SecurityLog(pool, (line) => lines.push(line));
    for (let i = 0; i < 5; i++) log.record(refusal(i));
    log.record(refusal(5, { organisationId: '133078', personId: 'staff-133078', targetOrganisationId: null, roles: [], operation: 'Query.auditCheckpoints' }));
    await log.flush();

    expect(lines[0]).toBe(
      'security: 011002/staff-011002 refused Mutation.draftStance for 012025 (organisationId): FORBIDDEN 011002 holds no valid mandate to draft for 012025 (0)',
    );
    const first = await log.list({ first: 4 });
    expect(first.entries.map((e) => e.at.getUTCSeconds())).toEqual([5, 4, 3, 2]);
    expect(first.entries[0]).toMatchObject({ organisationId: '133078', roles: [], operation: 'Query.auditCheckpoints', targetOrganisationId: null });
    expect(first.hasNextPage).toBe(true);
    const rest = await log.list({ first: 4, after: first.endCursor });
    expect(rest.entries.map((e) => e.message)).toEqual([refusal(1).message, refusal(0).message]);
    expect(rest.hasNextPage).toBe(false);
    expect(rest.entries[1]).toEqual({ ...refusal(0), id: expect.any(String) });

    const named = await log.list({ first: 10, organisationId: '012025' });
    expect(named.entries).toHaveLength(5);
    expect((await log.list({ first: 10, organisationId: '133078' })).entries.map((e) => e.operation)).toEqual(['Query.auditCheckpoints']);
  });

  it('keeps refusals queued while the database is unreachable, and writes them once it is back', async () => {
    const lines: string[] = [];
    const late = `${db.url}_late`; // a database that does not exist yet
    const latePool = new Pool({ connectionString: late, max: 1 });
    latePool.on('error', () => undefined);
    const log = new SecurityLog(latePool, (line) => lines.push(line));
    try {
      log.record(refusal(10));
      await log.flush();
      expect(lines.some((line) => /could not write 1 refusal\(s\), kept for the next try/.test(line))).toBe(true);
      await pool.query(`CREATE DATABASE ${late.slice(late.lastIndexOf('/') + 1)}`);
      log.record(refusal(11));
      await log.flush();
      expect((await log.list({ first: 10 })).entries.map((e) => e.message)).toEqual([refusal(11).message, refusal(10).message]);
    } finally {
      await latePool.end();
      await pool.query(`DROP DATABASE IF EXISTS ${late.slice(late.lastIndexOf('/') + 1)}`);
    }
  });
});
