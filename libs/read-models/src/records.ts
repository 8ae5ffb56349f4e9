import type { PoolClient } from 'pg';

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
