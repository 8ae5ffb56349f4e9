import type { Pool, PoolClient } from 'pg';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { Projection, ProjectionBatch, ReadModelChange } from '../projection';
import { addConstraintsIfMissing, copyRecords, insertRecords, type Column, type ConstraintDefinition } from '../records';

const NAME = 'activity';
const KEY: ConstraintDefinition = { table: 'read_models.activity', name: 'activity_pkey', definition: 'PRIMARY KEY (stream_name, revision)' };

/**
 * What each organisation did, across every stream: one row per event, keyed by the acting
 * organisation (`metadata.actor.organisationId`), for the audit's activity feed
 * (`organisationActivity`, apps/api/src/audit/history). An index, not a copy: the feed pages these
 * rows newest first by global position and then reads the events themselves (stream + revision)
 * from the event store for their summaries, hashes and access rules.
 *
 * Every event is indexed, whatever its stream (the feed decides what a caller may see), so no
 * event type added later is missed. Nothing is announced to live clients.
 */
export const activityProjection: Projection = {
  name: NAME,
  version: 1,
  tables: ['read_models.activity'],
  // Only the feed reads it: built once at the end of a rebuild instead of row by row (a row per event).
  deferredIndexes: ['read_models.activity_by_organisation'],
  // Its key only turns a replayed event into a no-op (ON CONFLICT), and a rebuild writes every row once with COPY.
  deferredConstraints: [KEY],

  async migrate(db: PoolClient): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS read_models.activity (
        organisation_id text NOT NULL,
        person_id       text NOT NULL,
        stream_name     text NOT NULL,
        revision        bigint NOT NULL,
        event_type      text NOT NULL,
        -- formatPosition(): fixed-width hex, so its byte order (COLLATE "C") is the global order.
        position        text COLLATE "C" NOT NULL,
        occurred_at     timestamptz NOT NULL
      );
      CREATE INDEX IF NOT EXISTS activity_by_organisation ON read_models.activity (organisation_id, position DESC);
    `);
    await addConstraintsIfMissing(db, [KEY]);
  },

  async apply(recorded: RecordedEvent, db: PoolClient, batch?: ProjectionBatch): Promise<readonly ReadModelChange[]> {
    const actor = recorded.metadata?.actor;
    const organisationId = typeof actor?.organisationId === 'string' ? actor.organisationId : '';
    if (organisationId === '') return [];
    const occurredAt = Number.isNaN(Date.parse(recorded.metadata.occurredAt)) ? recorded.recordedAt.toISOString() : recorded.metadata.occurredAt;
    const row: Row = {
      organisation_id: organisationId,
      person_id: String(actor.personId ?? ''),
      stream_name: recorded.streamName,
      revision: recorded.revision.toString(),
      event_type: recorded.type,
      position: formatPosition(recorded.position),
      occurred_at: occurredAt,
    };
    // One row per event of every stream: in a batch (a rebuild, a burst) they go in one statement at the end of the projector's
    // transaction; in a rebuild with COPY, as every row is new (keyed by its event).
    if (batch) batch.rows('activity', batch.rebuilding(NAME) ? copyRows : insertRows).push(row);
    else await insertRows(db, [row]);
    return [];
  },
};

const COLUMNS: readonly Column[] = [
  ['organisation_id', 'text'],
  ['person_id', 'text'],
  ['stream_name', 'text'],
  ['revision', 'bigint'],
  ['event_type', 'text'],
  ['position', 'text'],
  ['occurred_at', 'timestamptz'],
];
type Row = Readonly<Record<(typeof COLUMNS)[number][0], string>>;

async function insertRows(db: PoolClient, rows: readonly Row[]): Promise<void> {
  await insertRecords(db, 'read_models.activity', COLUMNS, rows, 'ON CONFLICT (stream_name, revision) DO NOTHING');
}

async function copyRows(db: PoolClient, rows: readonly Row[]): Promise<void> {
  await copyRecords(db, 'read_models.activity', COLUMNS, rows);
}

/** One row of the feed. */
export interface ActivityRow {
  readonly organisationId: string;
  readonly personId: string;
  readonly streamName: string;
  readonly revision: bigint;
  readonly type: string;
  readonly position: string;
  readonly occurredAt: Date;
}

/**
 * One organisation's rows, newest first: at most `limit`, strictly before the position `before`
 * (a formatted position, the previous page's last) when given; optionally only some event types.
 */
export async function activityPage(
  db: Pool | PoolClient,
  organisationId: string,
  options: { readonly before: string | null; readonly limit: number; readonly types: readonly string[] | null },
): Promise<ActivityRow[]> {
  const { rows } = await db.query<{
    organisation_id: string;
    person_id: string;
    stream_name: string;
    revision: string;
    event_type: string;
    position: string;
    occurred_at: Date;
  }>(
    `SELECT organisation_id, person_id, stream_name, revision, event_type, position, occurred_at FROM read_models.activity
      WHERE organisation_id = $1 AND ($2::text IS NULL OR position < $2) AND ($3::text[] IS NULL OR event_type = ANY($3))
      ORDER BY position DESC LIMIT $4`,
    [organisationId, options.before, options.types, options.limit],
  );
  return rows.map((r) => ({
    organisationId: r.organisation_id,
    personId: r.person_id,
    streamName: r.stream_name,
    revision: BigInt(r.revision),
    type: r.event_type,
    position: r.position,
    occurredAt: r.occurred_at,
  }));
}
