import { Pool, type PoolClient } from 'pg';
import { COPY_MIN_ROWS, addConstraintsIfMissing, copyRecords, insertNewRecords, insertRecords, type Column } from './records';
import { createTestDatabase, embeddedServerUrl } from '../../../test/support/databases';

jest.setTimeout(30_000);

let db: { url: string; drop(): Promise<void> };
let pool: Pool;
let client: PoolClient;

const COLUMNS: readonly Column[] = [
  ['id', 'integer'],
  ['body', 'text'],
  ['note', 'text'],
  ['flag', 'boolean'],
  ['big', 'bigint'],
  ['at', 'timestamptz'],
  ['doc', 'jsonb'],
];

/** Text COPY's format gives a meaning to, or that a naive writer would mangle. */
const AWKWARD = [
  'tab\there',
  'line\nbreak',
  'carriage\rreturn\r\n',
  'back\\slash \\N \\t \\\\',
  '\\.',
  '\\',
  '住民票の記載事項\t（旧氏）\n改行',
  ' leading and trailing ',
  '',
  '"quoted", \'single\'',
  'NULL',
  '\\N',
  'emoji 🗾 and \u0001 control',
];

const rowsOf = (from: number) =>
  AWKWARD.map((body, i) => ({
    id: from + i,
    body,
    note: i % 2 ? null : body,
    flag: i % 3 === 0 ? null : i % 3 === 1,
    big: (2n ** 62n + BigInt(i)).toString(),
    at: i % 2 ? new Date(Date.UTC(2026, 3, 1, 9, i)) : `2026-04-01T09:0${i % 10}:00.123Z`,
    doc: i % 4 === 0 ? null : { body, nested: [body, { q: '"\\\n\t' }], n: i, empty: '' },
  }));

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'records');
  pool = new Pool({ connectionString: db.url, max: 2 });
  client = await pool.connect();
  await client.query(`CREATE TABLE t (id integer PRIMARY KEY, body text NOT NULL, note text, flag boolean, big bigint, at timestamptz, doc jsonb)`);
});

afterAll(async () => {
  client?.release();
  await pool?.end();
  await db?.drop();
});

const stored = async (from: number, to: number) =>
  (await client.query('SELECT body, note, flag, big, at, doc FROM t WHERE id >= $1 AND id < $2 ORDER BY id', [from, to])).rows;

describe('COPY of new rows (records.ts)', () => {
  it('stores awkward text, NULL apart from the empty string, booleans, bigints, times and JSON exactly as the INSERT path does', async () => {
    await insertRecords(client, 't', COLUMNS, rowsOf(0));
    await copyRecords(client, 't', COLUMNS, rowsOf(100));
    const inserted = await stored(0, 100);
    const copied = await stored(100, 200);
    expect(copied).toEqual(inserted);
    expect(copied.map((r) => r.body)).toEqual(AWKWARD);
    expect(copied.map((r) => r.note)).toEqual(AWKWARD.map((body, i) => (i % 2 ? null : body)));
    expect(copied[8]).toMatchObject({ body: '', note: '' });
    expect(copied[9]).toMatchObject({ note: null });
    expect(copied[11]).toMatchObject({ body: '\\N', doc: { body: '\\N' } });
    expect(copied[1].doc).toEqual({ body: 'line\nbreak', nested: ['line\nbreak', { q: '"\\\n\t' }], n: 1, empty: '' });
    expect(copied[0].flag).toBeNull();
    expect(copied[1].flag).toBe(true);
    expect(copied[2].flag).toBe(false);
    expect(copied[3].big).toBe((2n ** 62n + 3n).toString());
  });

  it('fails on a row that exists, as a plain INSERT does, and leaves none of its rows', async () => {
    await client.query('BEGIN');
    try {
      await expect(copyRecords(client, 't', COLUMNS, [...rowsOf(300), ...rowsOf(100)])).rejects.toThrow(/duplicate key/);
    } finally {
      await client.query('ROLLBACK');
    }
    expect(await stored(300, 400)).toEqual([]);
    // The connection is usable afterwards.
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('insertNewRecords stores the same rows whether it sends one INSERT (a few) or COPY (many)', async () => {
    const many = Array.from({ length: Math.ceil(COPY_MIN_ROWS / AWKWARD.length) }, (_, k) => rowsOf(1000 + k * 100)).flat();
    expect(many.length).toBeGreaterThanOrEqual(COPY_MIN_ROWS);
    await insertNewRecords(client, 't', COLUMNS, many);
    await insertNewRecords(client, 't', COLUMNS, rowsOf(900));
    const expected = await stored(900, 1000);
    for (let k = 0; k * 100 + 1000 < 1000 + Math.ceil(COPY_MIN_ROWS / AWKWARD.length) * 100; k++) {
      expect(await stored(1000 + k * 100, 1100 + k * 100)).toEqual(expected);
    }
  });
});

describe('addConstraintsIfMissing (records.ts)', () => {
  const constraints = async () =>
    (
      await client.query<{ conname: string }>(
        `SELECT conname FROM pg_constraint WHERE conrelid = 'parent_child'::regclass AND contype IN ('p', 'f') ORDER BY conname`,
      )
    ).rows.map((r) => r.conname);

  it('adds a named constraint once, leaves it alone when present, and refuses rows that break it', async () => {
    await client.query(`CREATE TABLE parent (id integer PRIMARY KEY); CREATE TABLE parent_child (parent_id integer NOT NULL, n integer NOT NULL)`);
    await client.query('INSERT INTO parent VALUES (1); INSERT INTO parent_child VALUES (1, 1), (1, 2)');
    const key = { table: 'parent_child', name: 'parent_child_pkey', definition: 'PRIMARY KEY (parent_id, n)' };
    const parent = { table: 'parent_child', name: 'parent_child_parent_fkey', definition: 'FOREIGN KEY (parent_id) REFERENCES parent (id)' };
    await addConstraintsIfMissing(client, [key, parent]);
    expect(await constraints()).toEqual(['parent_child_parent_fkey', 'parent_child_pkey']);
    // Again (a second migrate): nothing changes, nothing fails.
    await addConstraintsIfMissing(client, [key, parent]);
    expect(await constraints()).toEqual(['parent_child_parent_fkey', 'parent_child_pkey']);
    await expect(client.query('INSERT INTO parent_child VALUES (2, 1)')).rejects.toThrow(/foreign key/);

    // Dropped (a rebuild), then a row that breaks it: adding it back checks every row and says which constraint failed.
    await client.query('ALTER TABLE parent_child DROP CONSTRAINT parent_child_parent_fkey');
    await client.query('INSERT INTO parent_child VALUES (2, 1)');
    await expect(addConstraintsIfMissing(client, [key, parent])).rejects.toThrow(/parent_child_parent_fkey/);
    expect(await constraints()).toEqual(['parent_child_pkey']);
  });
});
