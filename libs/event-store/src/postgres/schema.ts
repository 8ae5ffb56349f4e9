import type { Pool } from 'pg';

/**
 * The event store's tables. Applied at connect, idempotently, under an advisory lock so that
 * several processes starting at once do not race.
 */
const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE SCHEMA IF NOT EXISTS event_store;
      CREATE TABLE event_store.streams (
        stream_name text PRIMARY KEY,
        category    text NOT NULL,
        revision    bigint NOT NULL,
        head_hash   text
      );
      CREATE TABLE event_store.events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_name     text NOT NULL,
        stream_revision bigint NOT NULL,
        event_id        uuid NOT NULL UNIQUE,
        event_type      text NOT NULL,
        data            jsonb NOT NULL,
        metadata        jsonb NOT NULL,
        hash            text NOT NULL,
        previous_hash   text,
        recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (stream_name, stream_revision)
      );
      CREATE INDEX events_global_order ON event_store.events (transaction_id, global_position);
    `,
  },
];

const LOCK_KEY = 7_420_011; // arbitrary, fixed: "the event store schema"

export async function migrateEventStoreSchema(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query('CREATE SCHEMA IF NOT EXISTS event_store');
    await client.query('CREATE TABLE IF NOT EXISTS event_store.schema_version (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM event_store.schema_version');
    for (const migration of MIGRATIONS.filter((m) => m.version > rows[0].version)) {
      await client.query('BEGIN');
      await client.query(migration.sql);
      await client.query('INSERT INTO event_store.schema_version (version) VALUES ($1)', [migration.version]);
      await client.query('COMMIT');
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}
