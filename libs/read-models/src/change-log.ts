import type { PoolClient, Pool } from 'pg';
import { parsePosition, formatPosition, type Position } from '@kyogi/event-store/port';
import type { ReadModelChange } from './projection';
import { rowsOf, type Column } from './records';

/** A change as recorded in the change log: `seq` orders the log (one writer, the leader's projector). */
export interface LoggedChange extends ReadModelChange {
  readonly seq: bigint;
}

export const CHANGES_CHANNEL = 'kyogi_changes';
/** The payload on CHANGES_CHANNEL of a read-model commit that logged no change (otherwise the payload is the last `seq` logged). */
export const COMMIT_WITHOUT_CHANGES = 'commit';

/**
 * The change log: every change a projection reports, written in the same transaction as the
 * read model it describes. Live clients are fed from it (each api instance tails it), and a
 * client that reconnects is replayed from it — from PostgreSQL, never from a process's memory.
 */
export async function migrateChangeLog(db: PoolClient): Promise<void> {
  await db.query(`
    CREATE TABLE IF NOT EXISTS read_models.changes (
      seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      commit_position  bigint NOT NULL,
      prepare_position bigint NOT NULL,
      entity           text NOT NULL,
      entity_id        text NOT NULL,
      change           text NOT NULL,
      scope            jsonb NOT NULL,
      recorded_at      timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS changes_position ON read_models.changes (commit_position, prepare_position);
  `);
}

interface ChangeRow {
  seq: string;
  commit_position: string;
  prepare_position: string;
  entity: string;
  entity_id: string;
  change: string;
  scope: Record<string, string | null>;
}

const toLogged = (row: ChangeRow): LoggedChange => ({
  seq: BigInt(row.seq),
  entity: row.entity,
  id: row.entity_id,
  change: row.change,
  position: formatPosition({ commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) }),
  scope: row.scope,
});

const CHANGE_COLUMNS: readonly Column[] = [
  ['commit_position', 'bigint'],
  ['prepare_position', 'bigint'],
  ['entity', 'text'],
  ['entity_id', 'text'],
  ['change', 'text'],
  ['scope', 'jsonb'],
];

/**
 * Appends changes inside the projector's transaction; they are visible (and announced) at its
 * commit. Returns them as logged, with their `seq`, for the process's own tail (ChangeLogTail.
 * handOver). One statement: the insert, and the NOTIFY whose payload is the last `seq`, so that a
 * tail that already has it need not read the log.
 */
export async function recordChanges(db: PoolClient, changes: readonly ReadModelChange[]): Promise<LoggedChange[]> {
  if (!changes.length) return [];
  const names = CHANGE_COLUMNS.map(([name]) => name).join(', ');
  const { sql, params } = rowsOf(
    CHANGE_COLUMNS,
    changes.map((c) => {
      const { commit, prepare } = parsePosition(c.position);
      return { commit_position: commit.toString(), prepare_position: prepare.toString(), entity: c.entity, entity_id: c.id, change: c.change, scope: c.scope };
    }),
    'r',
  );
  const { rows } = await db.query<ChangeRow>(
    `WITH logged AS (INSERT INTO read_models.changes (${names}) SELECT ${names} FROM ${sql} RETURNING seq, ${names}),
          notified AS (SELECT pg_notify('${CHANGES_CHANNEL}', max(seq)::text) FROM logged)
     SELECT logged.* FROM logged, notified ORDER BY seq`,
    params,
  );
  return rows.map(toLogged);
}

/** The position of the last logged change (a rebuild does not log again what is already there). */
export async function changeLogHead(db: Pool | PoolClient): Promise<Position | null> {
  const { rows } = await db.query<{ commit_position: string; prepare_position: string }>(
    'SELECT commit_position, prepare_position FROM read_models.changes ORDER BY seq DESC LIMIT 1',
  );
  return rows.length ? { commit: BigInt(rows[0].commit_position), prepare: BigInt(rows[0].prepare_position) } : null;
}

const SELECT = 'SELECT seq, commit_position, prepare_position, entity, entity_id, change, scope FROM read_models.changes';

/** Changes logged after a position (exclusive), oldest first. */
export async function changesAfterPosition(db: Pool, after: Position, limit: number): Promise<LoggedChange[]> {
  const { rows } = await db.query<ChangeRow>(`${SELECT} WHERE (commit_position, prepare_position) > ($1::bigint, $2::bigint) ORDER BY seq LIMIT $3`, [
    after.commit.toString(),
    after.prepare.toString(),
    limit,
  ]);
  return rows.map(toLogged);
}

/** Changes logged after a sequence number (exclusive), oldest first. */
export async function changesAfterSeq(db: Pool, after: bigint, limit: number): Promise<LoggedChange[]> {
  const { rows } = await db.query<ChangeRow>(`${SELECT} WHERE seq > $1 ORDER BY seq LIMIT $2`, [after.toString(), limit]);
  return rows.map(toLogged);
}

export async function lastSeq(db: Pool): Promise<bigint> {
  const { rows } = await db.query<{ seq: string | null }>('SELECT max(seq)::text AS seq FROM read_models.changes');
  return BigInt(rows[0].seq ?? '0');
}
