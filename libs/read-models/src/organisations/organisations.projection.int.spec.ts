import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { Actor, Role } from '@kyogi/domain/shared/decider';
import { organisationDecider } from '@kyogi/domain/organisations/organisations.decider';
import type { OrganisationCommand, RegisterOrganisationData } from '@kyogi/domain/organisations/organisations.commands';
import { organisationStreamName } from '@kyogi/domain/organisations/organisations.events';
import { Projector } from '../projector';
import { Deliberation } from '../testing/deliberation.test-kit';
import type { ReadModelChange } from '../projection';
import { organisationsProjection } from './organisations.projection';
import { createTestDatabase, embeddedServerUrl } from '../../../../test/support/databases';

jest.setTimeout(30_000);

const system: Actor = { personId: 'system', organisationId: 'digital-agency', organisationKind: 'national', roles: ['admin'] };

const hokkaido: RegisterOrganisationData = {
  organisationId: '010006',
  kind: 'prefecture',
  name: '北海道',
  nameKana: 'ほっかいどう',
  code: '010006',
  prefectureCode: '01',
  parentId: null,
  active: true,
  population: 5_140_000,
};
const sapporo: RegisterOrganisationData = {
  organisationId: '011002',
  kind: 'municipality',
  name: '札幌市',
  nameKana: 'さっぽろし',
  code: '011002',
  prefectureCode: '01',
  parentId: '010006',
  active: true,
  population: 1_960_000,
};

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
let pool: Pool;
let projector: Projector;
const published: ReadModelChange[] = [];
const logs: string[] = [];

/** Load → decide → append with the real decider, then wait for the projector (the shared test kit). */
let kit: Deliberation | undefined; // one clock for the whole file: each command a minute after the last
const execute = (command: Omit<OrganisationCommand, 'metadata'>, actor: Actor = system) =>
  (kit ??= new Deliberation(store, projector)).execute(organisationDecider, command.data.organisationId, command, actor);

const addMember = (organisationId: string, personId: string, roles: Role[], displayName = `職員 ${personId}`) =>
  execute({ type: 'AddMember', data: { organisationId, personId, displayName, email: `${personId}@example.lg.jp`, roles } });

async function organisation(id: string) {
  const { rows } = await pool.query(
    `SELECT id, kind, name, name_kana, code, prefecture_code, parent_id, active, population, member_count, deactivation_reason,
            registered_at, updated_at, version::text AS version, position
       FROM read_models.organisations WHERE id = $1`,
    [id],
  );
  return rows[0];
}

async function members(organisationId: string) {
  const { rows } = await pool.query(
    'SELECT person_id, organisation_id, display_name, email, roles, added_at, updated_at FROM read_models.organisation_members WHERE organisation_id = $1 ORDER BY person_id',
    [organisationId],
  );
  return rows;
}

async function lastEventOf(organisationId: string): Promise<RecordedEvent> {
  const [last] = await store.readStream(organisationStreamName(organisationId), { direction: 'backwards', maxCount: 1 });
  return last;
}

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'orgproj');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  pool = new Pool({ connectionString: db.url, max: 4 });
  projector = new Projector({
    store,
    pool,
    projections: [organisationsProjection],
    publish: (changes) => published.push(...changes),
    log: (m) => logs.push(m),
  });
  await projector.start();
  await projector.caughtUp;
});

afterAll(async () => {
  await projector?.stop();
  await pool?.end();
  await store?.close();
  await db?.drop();
});

describe('organisationsProjection driven by organisationDecider events', () => {
  let hokkaidoRegisteredAt: Date;
  let sapporoRegisteredAt: Date;

  it('registers a prefecture and a municipality: one row each, version 0, no members, changes scoped to the prefecture', async () => {
    const h = await execute({ type: 'RegisterOrganisation', data: hokkaido });
    const s = await execute({ type: 'RegisterOrganisation', data: sapporo });
    hokkaidoRegisteredAt = h.now;
    sapporoRegisteredAt = s.now;

    expect(await organisation('010006')).toEqual({
      id: '010006',
      kind: 'prefecture',
      name: '北海道',
      name_kana: 'ほっかいどう',
      code: '010006',
      prefecture_code: '01',
      parent_id: null,
      active: true,
      population: 5_140_000,
      member_count: 0,
      deactivation_reason: null,
      registered_at: h.now,
      updated_at: h.now,
      version: '0',
      position: formatPosition(h.position),
    });
    expect(await organisation('011002')).toMatchObject({
      id: '011002',
      kind: 'municipality',
      name: '札幌市',
      code: '011002',
      prefecture_code: '01',
      parent_id: '010006',
      active: true,
      member_count: 0,
      version: '0',
      registered_at: s.now,
      position: formatPosition(s.position),
    });
    expect(published).toEqual([
      { entity: 'organisation', id: '010006', change: 'OrganisationRegistered', position: formatPosition(h.position), scope: { prefectureCode: '01' } },
      { entity: 'organisation', id: '011002', change: 'OrganisationRegistered', position: formatPosition(s.position), scope: { prefectureCode: '01' } },
    ]);
  });

  it('adds members: member rows with normalised roles, member_count and version follow the stream', async () => {
    published.length = 0;
    const a = await addMember('011002', 'p-sapporo-1', ['member', 'admin']);
    const b = await addMember('011002', 'p-sapporo-2', ['approver', 'viewer']);
    const c = await addMember('011002', 'p-sapporo-3', ['member'], '  山田 花子  ');
    const d = await addMember('010006', 'p-hokkaido-1', ['coordinator']);

    expect(await organisation('011002')).toMatchObject({
      member_count: 3,
      version: '3',
      updated_at: c.now,
      registered_at: sapporoRegisteredAt,
      position: formatPosition(c.position),
    });
    expect(await organisation('010006')).toMatchObject({ member_count: 1, version: '1', updated_at: d.now, registered_at: hokkaidoRegisteredAt });
    expect(await members('011002')).toEqual([
      {
        person_id: 'p-sapporo-1',
        organisation_id: '011002',
        display_name: '職員 p-sapporo-1',
        email: 'p-sapporo-1@example.lg.jp',
        roles: ['member', 'admin'],
        added_at: a.now,
        updated_at: a.now,
      },
      {
        person_id: 'p-sapporo-2',
        organisation_id: '011002',
        display_name: '職員 p-sapporo-2',
        email: 'p-sapporo-2@example.lg.jp',
        roles: ['viewer', 'approver'],
        added_at: b.now,
        updated_at: b.now,
      },
      {
        person_id: 'p-sapporo-3',
        organisation_id: '011002',
        display_name: '山田 花子',
        email: 'p-sapporo-3@example.lg.jp',
        roles: ['member'],
        added_at: c.now,
        updated_at: c.now,
      },
    ]);
    expect(await members('010006')).toMatchObject([{ person_id: 'p-hokkaido-1', roles: ['coordinator'] }]);
    expect(published).toEqual([
      ...[a, b, c].map(({ position }, i) => ({
        entity: 'organisation',
        id: '011002',
        change: 'MemberAdded',
        position: formatPosition(position),
        scope: { prefectureCode: '01', personId: `p-sapporo-${i + 1}` },
      })),
      {
        entity: 'organisation',
        id: '010006',
        change: 'MemberAdded',
        position: formatPosition(d.position),
        scope: { prefectureCode: '01', personId: 'p-hokkaido-1' },
      },
    ]);
  });

  it('changes roles: the member row gets the new complete role set; member_count stays, version moves', async () => {
    published.length = 0;
    const changed = await execute({ type: 'ChangeMemberRoles', data: { organisationId: '011002', personId: 'p-sapporo-2', roles: ['admin', 'member'] } });

    const rows = await members('011002');
    expect(rows.find((m) => m.person_id === 'p-sapporo-2')).toMatchObject({ roles: ['member', 'admin'], updated_at: changed.now });
    expect(rows.find((m) => m.person_id === 'p-sapporo-2')!.added_at).not.toEqual(changed.now);
    expect(rows.find((m) => m.person_id === 'p-sapporo-1')).toMatchObject({ roles: ['member', 'admin'] }); // others untouched
    expect(await organisation('011002')).toMatchObject({ member_count: 3, version: '4', updated_at: changed.now, position: formatPosition(changed.position) });
    expect(published).toEqual([
      {
        entity: 'organisation',
        id: '011002',
        change: 'MemberRolesChanged',
        position: formatPosition(changed.position),
        scope: { prefectureCode: '01', personId: 'p-sapporo-2' },
      },
    ]);
  });

  it('deactivates: active false with the (trimmed) reason; other organisations untouched', async () => {
    published.length = 0;
    const before = await organisation('010006');
    const deactivated = await execute({ type: 'DeactivateOrganisation', data: { organisationId: '011002', reason: '  試験のため無効化  ' } });

    expect(await organisation('011002')).toMatchObject({
      active: false,
      deactivation_reason: '試験のため無効化',
      member_count: 3,
      version: '5',
      updated_at: deactivated.now,
      position: formatPosition(deactivated.position),
    });
    expect(await organisation('010006')).toEqual(before);
    expect(published).toEqual([
      {
        entity: 'organisation',
        id: '011002',
        change: 'OrganisationDeactivated',
        position: formatPosition(deactivated.position),
        scope: { prefectureCode: '01' },
      },
    ]);
  });

  it('version and position of every row are those of the last event in its stream', async () => {
    for (const id of ['010006', '011002']) {
      const last = await lastEventOf(id);
      expect(await organisation(id)).toMatchObject({ version: last.revision.toString(), position: formatPosition(last.position) });
    }
    const counts = await pool.query<{ organisation_id: string; n: number }>(
      'SELECT organisation_id, count(*)::int AS n FROM read_models.organisation_members GROUP BY organisation_id ORDER BY organisation_id',
    );
    const memberCounts = await pool.query<{ id: string; member_count: number }>('SELECT id, member_count FROM read_models.organisations ORDER BY id');
    expect(memberCounts.rows.map((r) => [r.id, r.member_count])).toEqual(counts.rows.map((r) => [r.organisation_id, r.n]));
  });

  // Last in the file: today it stops the projector for good.
  it('projects a person the decider lets join a second organisation (the read side must not wedge on an accepted event)', async () => {
    // The decider checks membership per organisation only, so this is accepted and recorded …
    const before = await organisation('010006');
    const result = await addMember('010006', 'p-sapporo-1', ['viewer']).then(
      () => 'projected',
      (error: Error) => error.message,
    );
    // … and the read model must show it, and keep projecting.
    expect({ result, projectorLog: logs }).toEqual({ result: 'projected', projectorLog: [] });
    expect(projector.healthy).toBe(true);
    expect(await organisation('010006')).toMatchObject({ member_count: before.member_count + 1 });
    const { rows } = await pool.query('SELECT organisation_id FROM read_models.organisation_members WHERE person_id = $1 ORDER BY organisation_id', [
      'p-sapporo-1',
    ]);
    expect(rows.map((r) => r.organisation_id)).toEqual(['010006', '011002']);
  });
});
