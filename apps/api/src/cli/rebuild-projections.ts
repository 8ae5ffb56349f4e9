import { ConfigError, loadConfig } from '../config/config';
import { Projector } from '@kyogi/read-models/projector';
import { Platform, PROJECTIONS } from '../platform/platform';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { progressBar } from './progress-bar';

/**
 * `npm run projections:rebuild`: empties every read model and its checkpoint, then replays the
 * whole event log into them. Run it with the app stopped (on the embedded store the DATA_DIR
 * lock refuses to run beside the app).
 */
async function main(): Promise<void> {
  const config = { ...loadConfig(process.env), runProjections: false };
  const platform = await Platform.start(config, { log: (m) => process.stderr.write(`${m}\n`) });
  try {
    const total =
      platform.store instanceof PostgresEventStore
        ? Number((await platform.store.pool.query<{ count: string }>('SELECT count(*) FROM event_store.events')).rows[0].count)
        : null;
    const bar = progressBar('rebuilding read models', total);
    let applied = 0;
    const rebuilding = new Projector({
      store: platform.store,
      pool: platform.pool,
      projections: PROJECTIONS,
      onProgress: (_position, count) => bar.update((applied = count)),
    });
    await rebuilding.reset();
    await rebuilding.start();
    await rebuilding.caughtUp;
    await rebuilding.stop();
    bar.finish(applied);
  } finally {
    await platform.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`projections:rebuild: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
