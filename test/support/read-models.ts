import { createHash } from 'node:crypto';
import { Client, Pool } from 'pg';
import { formatPosition } from '@kyogi/event-store/port';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { Projector } from '@kyogi/read-models/projector';
import { PROJECTIONS } from '../../apps/api/src/platform/projections';

/**
 * What the read models hold, table by table, as a digest of every row (sorted): two databases
 * with equal digests hold the same read models. The projector's own bookkeeping (checkpoints,
 * the change log of live notifications and its horizon) is left out — it records when things were projected,
 * not what they are.
 */
export async function readModelDigests(databaseUrl: string): Promise<Record<string, { rows: number; digest: string }>> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows: tables } = await db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'read_models' AND table_type = 'BASE TABLE' AND table_name NOT IN ('checkpoints', 'changes', 'change_log_horizon')
        ORDER BY table_name`,
    );
    const digests: Record<string, { rows: number; digest: string }> = {};
    for (const { name } of tables) {
      const { rows } = await db.query<{ row: string }>(`SELECT t::text AS row FROM read_models.${db.escapeIdentifier(name)} t ORDER BY 1`);
      const hash = createHash('sha256');
      for (const { row } of rows) hash.update(row).update('\n');
      digests[name] = { rows: rows.length, digest: hash.digest('hex') };
    }
    return digests;
  } finally {
    await db.end();
  }
}

/**
 * Builds the read models from zero in `targetUrl` from the events of the store at `storeUrl`, as
 * `npm run projections:rebuild` does, and keeps going (the store may still be growing) until
 * `stop` is called; `caughtUpTo` waits until it has applied the store's head as it is then.
 */
export async function rebuildInto(storeUrl: string, targetUrl: string) {
  const store = await PostgresEventStore.connect({ connectionString: storeUrl, idlePollMs: 20 });
  const pool = new Pool({ connectionString: targetUrl, max: 4 });
  const projector = new Projector({ store, pool, projections: PROJECTIONS });
  await projector.migrate();
  await projector.start();
  return {
    projector,
    /** The store's head, as the `waitFor` argument of a query writes it. */
    async head(): Promise<string> {
      return formatPosition(await store.headPosition());
    },
    async caughtUpTo(timeoutMs = 120_000): Promise<void> {
      await projector.waitFor(await store.headPosition(), timeoutMs);
    },
    async stop(): Promise<void> {
      await projector.stop();
      await pool.end();
      await store.close();
    },
  };
}
