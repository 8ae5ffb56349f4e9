import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { Actor } from '@kyogi/domain/shared/decider';
import { specDecider } from '@kyogi/domain/specs/specs.decider';
import type { PublishSpecVersionData, SpecCommand } from '@kyogi/domain/specs/specs.commands';
import type { Requirement } from '@kyogi/domain/specs/specs.events';
import { JUMIN_KIROKU_REQUIREMENTS } from '@kyogi/domain/specs-import/jumin-kiroku.sample';
import { Projector } from '../projector';
import { Deliberation } from '../testing/deliberation.test-kit';
import type { ReadModelChange } from '../projection';
import { specsProjection } from './specs.projection';
import { createTestDatabase, embeddedServerUrl } from '../../../../test/support/databases';

jest.setTimeout(60_000);

const daCoordinator: Actor = { personId: 'p-da', organisationId: 'digital-agency', organisationKind: 'national', roles: ['coordinator'] };
const micAdmin: Actor = { personId: 'p-mic', organisationId: 'mic', organisationKind: 'national', roles: ['admin'] };

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
let pool: Pool;
let projector: Projector;
const published: ReadModelChange[] = [];
const logs: string[] = [];

/** Load → decide → append with the real decider, then wait for the projector (the shared test kit). */
let kit: Deliberation | undefined; // one clock for the whole file: each command a minute after the last
const execute = (command: Omit<SpecCommand, 'metadata'>, actor: Actor = daCoordinator) =>
  (kit ??= new Deliberation(store, projector)).execute(specDecider, command.data.specId, command, actor);

const publish = (data: Partial<PublishSpecVersionData> & Pick<PublishSpecVersionData, 'specId' | 'version' | 'requirements'>, actor?: Actor) =>
  execute({ type: 'PublishSpecVersion', data: { incorporatedProposalIds: [], incorporatedProposals: {}, ...data } }, actor);

async function spec(specId: string) {
  const { rows } = await pool.query(
    `SELECT spec_id, title, domain, owner_organisation_id, latest_version, version_count, created_at, updated_at, version::text AS version, position
       FROM read_models.specs WHERE spec_id = $1`,
    [specId],
  );
  return rows[0];
}

async function versions(specId: string) {
  const { rows } = await pool.query(
    `SELECT spec_id, version, ordinal, published_at, requirement_count, incorporated_proposal_ids, position
       FROM read_models.spec_versions WHERE spec_id = $1 ORDER BY ordinal`,
    [specId],
  );
  return rows;
}

async function requirements(specId: string, version: string) {
  const { rows } = await pool.query(
    'SELECT requirement_id, title, text, category, ordinal FROM read_models.requirements WHERE spec_id = $1 AND version = $2 ORDER BY ordinal',
    [specId, version],
  );
  return rows;
}

const asRows = (list: readonly Requirement[]) =>
  list.map((r, i) => ({ requirement_id: r.requirementId, title: r.title, text: r.text, category: r.category, ordinal: i + 1 }));

async function dump(): Promise<unknown[]> {
  const tables = [
    'read_models.specs ORDER BY spec_id',
    'read_models.spec_versions ORDER BY spec_id, ordinal',
    'read_models.requirements ORDER BY spec_id, version, ordinal',
  ];
  const out: unknown[] = [];
  for (const t of tables) out.push((await pool.query(`SELECT * FROM ${t}`)).rows);
  return out;
}

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'specproj');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  pool = new Pool({ connectionString: db.url, max: 4 });
  projector = new Projector({ store, pool, projections: [specsProjection], publish: (changes) => published.push(...changes), log: (m) => logs.push(m) });
  await projector.start();
  await projector.caughtUp;
});

afterAll(async () => {
  await projector?.stop();
  await pool?.end();
  await store?.close();
  await db?.drop();
});

describe('specsProjection driven by specDecider events', () => {
  let createdAt: Date;

  it('creates a spec: one row, no version yet, revision 0; one change for the spec, with no scope', async () => {
    const created = await execute({
      type: 'CreateSpec',
      data: { specId: 'juminkiroku', title: ' 住民記録システム標準仕様書 ', domain: '住民記録', ownerOrganisationId: 'digital-agency' },
    });
    createdAt = created.now;
    expect(await spec('juminkiroku')).toEqual({
      spec_id: 'juminkiroku',
      title: '住民記録システム標準仕様書',
      domain: '住民記録',
      owner_organisation_id: 'digital-agency',
      latest_version: null,
      version_count: 0,
      created_at: created.now,
      updated_at: created.now,
      version: '0',
      position: formatPosition(created.position),
    });
    expect(await versions('juminkiroku')).toEqual([]);
    expect(published).toEqual([{ entity: 'spec', id: 'juminkiroku', change: 'SpecCreated', position: formatPosition(created.position), scope: {} }]);
  });

  it('publishes version 4.0: the version row and every requirement in document order (not sorted), the spec points at it', async () => {
    published.length = 0;
    // Document order on purpose not sorted by id: 9.9.1 first.
    const inDocumentOrder = [JUMIN_KIROKU_REQUIREMENTS.at(-1)!, ...JUMIN_KIROKU_REQUIREMENTS.slice(0, -1)];
    const v4 = await publish({ specId: 'juminkiroku', version: '4.0', requirements: inDocumentOrder });

    expect(await spec('juminkiroku')).toMatchObject({
      latest_version: '4.0',
      version_count: 1,
      created_at: createdAt,
      updated_at: v4.now,
      version: '1',
      position: formatPosition(v4.position),
    });
    expect(await versions('juminkiroku')).toEqual([
      {
        spec_id: 'juminkiroku',
        version: '4.0',
        ordinal: 1,
        published_at: v4.now,
        requirement_count: JUMIN_KIROKU_REQUIREMENTS.length,
        incorporated_proposal_ids: [],
        position: formatPosition(v4.position),
      },
    ]);
    const rows = await requirements('juminkiroku', '4.0');
    expect(rows).toEqual(asRows(inDocumentOrder));
    expect(rows[0]).toMatchObject({ requirement_id: '9.9.1', category: '実装不可', ordinal: 1 });
    // Text is kept as written: line breaks and blank lines inside a requirement survive.
    expect(rows.find((r) => r.requirement_id === '1.2.4')!.text).toBe(
      '誤記等を発見した場合、職権により住民票の記載事項を修正できること。\n\n修正前の記載内容は、履歴として保持すること。',
    );
    expect(published).toEqual([{ entity: 'spec', id: 'juminkiroku', change: 'SpecVersionPublished', position: formatPosition(v4.position), scope: {} }]);
  });

  it('publishes 4.1 with its incorporated proposals beside 4.0, which stays as it was', async () => {
    published.length = 0;
    const before = await requirements('juminkiroku', '4.0');
    const changed = JUMIN_KIROKU_REQUIREMENTS.slice(0, 3).map((r, i) => (i === 1 ? { ...r, text: `${r.text}\n（第4.1版で修正）` } : r));
    const v41 = await publish({
      specId: 'juminkiroku',
      version: '4.1',
      requirements: changed,
      incorporatedProposalIds: ['01JQ7Z0000000000000000PRP1', 'prop-2'],
      incorporatedProposals: {
        '01JQ7Z0000000000000000PRP1': { specId: 'juminkiroku', accepted: true },
        'prop-2': { specId: 'juminkiroku', accepted: true },
      },
    });

    expect(await spec('juminkiroku')).toMatchObject({ latest_version: '4.1', version_count: 2, version: '2', position: formatPosition(v41.position) });
    expect((await versions('juminkiroku')).map((v) => [v.version, v.ordinal, v.requirement_count, v.incorporated_proposal_ids])).toEqual([
      ['4.0', 1, JUMIN_KIROKU_REQUIREMENTS.length, []],
      ['4.1', 2, 3, ['01JQ7Z0000000000000000PRP1', 'prop-2']],
    ]);
    expect(await requirements('juminkiroku', '4.1')).toEqual(asRows(changed));
    expect(await requirements('juminkiroku', '4.0')).toEqual(before);
    expect(published).toEqual([{ entity: 'spec', id: 'juminkiroku', change: 'SpecVersionPublished', position: formatPosition(v41.position), scope: {} }]);
  });

  it('orders versions by publication, which is numeric order: 4.10 after 4.9', async () => {
    await execute(
      { type: 'CreateSpec', data: { specId: 'kojin-juminzei', title: '個人住民税システム標準仕様書', domain: '税務', ownerOrganisationId: 'mic' } },
      micAdmin,
    );
    const one: Requirement[] = [{ requirementId: '1.1', title: '課税', text: '課税できること。', category: '実装必須' }];
    for (const version of ['4.9', '4.10']) await publish({ specId: 'kojin-juminzei', version, requirements: one }, micAdmin);
    expect((await versions('kojin-juminzei')).map((v) => v.version)).toEqual(['4.9', '4.10']);
    expect(await spec('kojin-juminzei')).toMatchObject({ owner_organisation_id: 'mic', latest_version: '4.10', version_count: 2 });
    expect((await spec('juminkiroku')).latest_version).toBe('4.1'); // another spec's stream
  });

  it('writes a version of 5,000 requirements (the largest the decider accepts) in one event', async () => {
    const many: Requirement[] = Array.from({ length: 5000 }, (_, i) => ({
      requirementId: `${Math.floor(i / 100) + 1}.${(i % 100) + 1}`,
      title: `要件 ${i + 1}`,
      text: `第${i + 1}の要件の本文。`.repeat(20),
      category: i % 3 === 0 ? '標準オプション' : '実装必須',
    }));
    const started = Date.now();
    await publish({ specId: 'juminkiroku', version: '5.0', requirements: many });
    const ms = Date.now() - started;
    const rows = await requirements('juminkiroku', '5.0');
    expect(rows).toHaveLength(5000);
    expect(rows.at(-1)).toEqual({ requirement_id: '50.100', title: '要件 5000', text: many[4999].text, category: '実装必須', ordinal: 5000 });
    expect((await versions('juminkiroku')).at(-1)).toMatchObject({ version: '5.0', ordinal: 3, requirement_count: 5000 });
    expect(ms).toBeLessThan(10_000);
    process.stdout.write(`specs projection: a 5,000-requirement version appended and projected in ${ms} ms\n`);
  });

  it('ignores events of other streams', async () => {
    const foreign: RecordedEvent = {
      id: randomUUID(),
      streamName: 'Organisation-digital-agency',
      revision: 0n,
      position: { commit: 1n, prepare: 1n },
      type: 'SpecCreated', // a same-named type elsewhere must not be mistaken for a spec's
      data: { specId: 'intruder', title: 'x', domain: 'x', ownerOrganisationId: 'x' },
      metadata: {
        actor: { personId: 'p', organisationId: 'o', roles: [] },
        correlationId: 'c',
        causationId: 'c',
        occurredAt: new Date().toISOString(),
        schemaVersion: 1,
      },
      hash: '',
      previousHash: null,
      recordedAt: new Date(),
    };
    const client = await pool.connect();
    try {
      expect(await specsProjection.apply(foreign, client)).toEqual([]);
    } finally {
      client.release();
    }
    expect(await spec('intruder')).toBeUndefined();
  });

  it('rebuilds from the log into exactly the same rows, and the projector never failed', async () => {
    const before = await dump();
    await projector.stop();
    const rebuilding = new Projector({ store, pool, projections: [specsProjection] });
    await rebuilding.reset();
    expect(await dump()).toEqual([[], [], []]);
    await rebuilding.start();
    await rebuilding.caughtUp;
    await rebuilding.stop();
    expect(await dump()).toEqual(before);
    expect(logs).toEqual([]);
  });
});
