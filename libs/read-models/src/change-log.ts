import type { PoolClient, Pool } from 'pg';
import { START, comparePositions, formatPosition, parsePosition, type Position } from '@kyogi/event-store/port';
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
 * At most this many missed changes are replayed to a client that resumes (ChangeFeed's default
 * `replayLimit`); one that missed more re-queries. So a change with this many logged after it
 * can never be replayed again, which is what lets a long catch-up leave old changes unlogged.
 */
export const CHANGE_REPLAY_LIMIT = 10_000;

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
    CREATE TABLE IF NOT EXISTS read_models.change_log_horizon (
      singleton        boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      commit_position  bigint NOT NULL,
      prepare_position bigint NOT NULL,
      updated_at       timestamptz NOT NULL DEFAULT now()
    );
  `);
  // The log's horizon: every change after this position is in the log; a resume from before it
  // would be a partial replay. A new row starts at START, or, when the log is empty while read
  // models already exist, at their newest checkpoint (their changes were never logged here).
  await db.query(`
    INSERT INTO read_models.change_log_horizon (commit_position, prepare_position)
    SELECT coalesce(max(c.commit_position), -1), coalesce(max(c.prepare_position), -1)
      FROM (SELECT commit_position, prepare_position FROM read_models.checkpoints
             WHERE NOT EXISTS (SELECT 1 FROM read_models.changes)
             ORDER BY commit_position DESC, prepare_position DESC LIMIT 1) c
    ON CONFLICT (singleton) DO NOTHING`);
}

/**
 * Moves the horizon forward to `position` (never back), inside the projector's transaction that
 * leaves the changes up to it unlogged: readers never see the gap without the horizon that covers it.
 */
export async function advanceChangeLogHorizon(db: PoolClient, position: Position): Promise<void> {
  await db.query(
    `UPDATE read_models.change_log_horizon SET commit_position = $1, prepare_position = $2, updated_at = now()
      WHERE (commit_position, prepare_position) < ($1::bigint, $2::bigint)`,
    [position.commit.toString(), position.prepare.toString()],
  );
}

export async function changeLogHorizon(db: Pool | PoolClient): Promise<Position> {
  const { rows } = await db.query<{ commit_position: string; prepare_position: string }>(
    'SELECT commit_position, prepare_position FROM read_models.change_log_horizon',
  );
  return rows.length ? { commit: BigInt(rows[0].commit_position), prepare: BigInt(rows[0].prepare_position) } : START;
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

/** A change joined to the horizon row; `seq` is null on the one row of nulls when no change matched. */
type HorizonRow = Omit<ChangeRow, 'seq'> & { horizon_commit: string; horizon_prepare: string; seq: string | null };

/**
 * The horizon with the changes `where` selects, read in one statement (one snapshot): a reader
 * that sees changes logged after a gap also sees the horizon that covers it. The horizon row
 * always exists once migrated; the changes come back as rows joined to it (none: one row of nulls).
 */
async function readWithHorizon(db: Pool, where: string, params: unknown[], limit: number): Promise<{ horizon: Position; changes: LoggedChange[] }> {
  const { rows } = await db.query<HorizonRow>(
    `SELECT h.commit_position AS horizon_commit, h.prepare_position AS horizon_prepare,
            c.seq, c.commit_position, c.prepare_position, c.entity, c.entity_id, c.change, c.scope
       FROM read_models.change_log_horizon h
       LEFT JOIN LATERAL (
         SELECT seq, commit_position, prepare_position, entity, entity_id, change, scope FROM read_models.changes
          WHERE ${where} ORDER BY seq LIMIT $${params.length + 1}) c ON true`,
    [...params, limit],
  );
  if (!rows.length) throw new Error('read_models.change_log_horizon has no row: the projector migrates it (Projector.migrate)');
  return {
    horizon: { commit: BigInt(rows[0].horizon_commit), prepare: BigInt(rows[0].horizon_prepare) },
    changes: rows.filter((row): row is HorizonRow & { seq: string } => row.seq !== null).map(toLogged),
  };
}

/** What a resume from a position gets: the changes logged after it, or, from before the horizon, the horizon (the client must resync). */
export type ChangeHistory = { readonly ok: true; readonly changes: readonly LoggedChange[] } | { readonly ok: false; readonly horizon: Position };

/** Changes logged after a position (exclusive), oldest first; none when the log is not complete after it. */
export async function changesAfterPosition(db: Pool, after: Position, limit: number): Promise<ChangeHistory> {
  const { horizon, changes } = await readWithHorizon(
    db,
    // Nothing is read for a position before the horizon: the answer is the horizon alone.
    '(commit_position, prepare_position) > ($1::bigint, $2::bigint) AND (h.commit_position, h.prepare_position) <= ($1::bigint, $2::bigint)',
    [after.commit.toString(), after.prepare.toString()],
    limit,
  );
  return comparePositions(after, horizon) < 0 ? { ok: false, horizon } : { ok: true, changes };
}

/** Changes logged after a sequence number (exclusive), oldest first, with the horizon as it stood when they were read. */
export async function changesAfterSeq(db: Pool, after: bigint, limit: number): Promise<{ horizon: Position; changes: LoggedChange[] }> {
  return readWithHorizon(db, 'seq > $1', [after.toString()], limit);
}

export async function lastSeq(db: Pool): Promise<bigint> {
  const { rows } = await db.query<{ seq: string | null }>('SELECT max(seq)::text AS seq FROM read_models.changes');
  return BigInt(rows[0].seq ?? '0');
}
