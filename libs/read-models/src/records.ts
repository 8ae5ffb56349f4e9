import { finished } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DeferredConstraint } from './projection';

/** A column of a multi-row statement: its name and its SQL type. */
export type Column = readonly [name: string, type: string];

type Row = Readonly<Record<string, unknown>>;

/**
 * Many rows as one relation: `unnest($1::type[], $2::type[], …) AS alias(columns)`, an array
 * parameter per column (PostgreSQL turns them back into typed rows; cheaper than one JSON
 * document). Values are read by column name; a missing one is NULL; a jsonb value is sent as JSON.
 */
export function rowsOf(columns: readonly Column[], rows: readonly Row[], alias: string): { sql: string; params: unknown[] } {
  return {
    sql: `unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) AS ${alias}(${columns.map(([name]) => name).join(', ')})`,
    params: columns.map(([name, type]) =>
      rows.map((row) => {
        const value = row[name];
        if (value === undefined || value === null) return null;
        return type === 'jsonb' ? JSON.stringify(value) : value;
      }),
    ),
  };
}

/** Inserts many rows in one statement; `tail` follows the SELECT (e.g. an ON CONFLICT clause). */
export async function insertRecords(db: PoolClient, table: string, columns: readonly Column[], rows: readonly Row[], tail = ''): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([name]) => name).join(', ');
  const { sql, params } = rowsOf(columns, rows, 'r');
  await db.query(`INSERT INTO ${table} (${names}) SELECT ${names} FROM ${sql} ${tail}`, params);
}

/** Runs `statement` (an UPDATE … FROM or DELETE … USING) over many rows given as the relation `alias`; nothing when there are none. */
export async function withRows(
  db: PoolClient,
  columns: readonly Column[],
  rows: readonly Row[],
  alias: string,
  statement: (relation: string) => string,
): Promise<void> {
  if (rows.length === 0) return;
  const { sql, params } = rowsOf(columns, rows, alias);
  await db.query(statement(sql), params);
}

/** The characters COPY's text format gives a meaning to, and how a value spells them. */
const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;

/** One value as a field of COPY's text format: NULL is `\N`, an empty string stays empty; jsonb as JSON. */
export function copyField(value: unknown, type: string): string {
  if (value === undefined || value === null) return '\\N';
  let text: string;
  if (type === 'jsonb' || type === 'json') text = JSON.stringify(value);
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'boolean') text = value ? 't' : 'f';
  // Arrays and other objects outside JSON: no column written with COPY needs them yet.
  else if (typeof value === 'object') throw new TypeError(`COPY: no text form for an object in a ${type} column`);
  else text = String(value as string | number | bigint);
  return COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIALS, (c) => COPY_ESCAPES[c]) : text;
}

/** Rows as COPY's text format: a line per row, fields in `columns` order, tab-separated. */
export function copyText(columns: readonly Column[], rows: readonly Row[]): string {
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) text += (i ? '\t' : '') + copyField(row[columns[i][0]], columns[i][1]);
    text += '\n';
  }
  return text;
}

/** Fewer rows than this go in one INSERT: one round trip (a live batch) against COPY's two. */
export const COPY_MIN_ROWS = 100;

/** Inserts rows that cannot exist yet (no ON CONFLICT): with COPY when there are many (a rebuild, a burst), else one INSERT. */
export async function insertNewRecords(db: PoolClient, table: string, columns: readonly Column[], rows: readonly Row[]): Promise<void> {
  if (rows.length >= COPY_MIN_ROWS) await copyRecords(db, table, columns, rows);
  else await insertRecords(db, table, columns, rows);
}

/**
 * Inserts many new rows with COPY … FROM STDIN: PostgreSQL parses a COPY row for less than an
 * INSERT … SELECT FROM unnest() row. No ON CONFLICT: a row that exists fails the COPY, as a plain
 * INSERT would. Two round trips instead of one: for large batches (see `insertNewRecords`).
 */
export async function copyRecords(db: PoolClient, table: string, columns: readonly Column[], rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const stream = db.query(copyFrom(`COPY ${table} (${columns.map(([name]) => name).join(', ')}) FROM STDIN`));
  stream.end(copyText(columns, rows));
  await finished(stream);
}

/** A deferrable constraint and how ALTER TABLE … ADD CONSTRAINT spells it. */
export interface ConstraintDefinition extends DeferredConstraint {
  /** What follows `ADD CONSTRAINT name`, e.g. `PRIMARY KEY (id)`. */
  readonly definition: string;
}

/**
 * Adds each constraint the table does not have (PostgreSQL has no ADD CONSTRAINT IF NOT EXISTS):
 * how `migrate` keeps a constraint the projector may drop for a rebuild (`Projection.deferredConstraints`).
 * Adding one checks every row, once.
 */
export async function addConstraintsIfMissing(db: PoolClient, constraints: readonly ConstraintDefinition[]): Promise<void> {
  for (const { table, name, definition } of constraints) {
    const { rows } = await db.query<{ present: boolean }>(
      'SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = $1::regclass AND conname = $2) AS present',
      [table, name],
    );
    if (!rows[0].present) await db.query(`ALTER TABLE ${table} ADD CONSTRAINT ${name} ${definition}`);
  }
}
