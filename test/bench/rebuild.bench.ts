/**
 * (3) Rebuild: the platform's read models (apps/api/src/platform/projections.ts) replayed from
 * zero by the Projector (libs/read-models/src/projector.ts) over a log of 1,000,000 events
 * (event-log.ts), against the ceiling: a plain read of the same log through the store's
 * `readAll`, in the batches the projector's subscription reads, in the same round, alternating.
 * Each rebuild round starts from an empty `read_models` schema (dropped, then migrated by the
 * projector as the app does) and ends when the projector has committed the head; the read
 * models are then counted against the log, so a rebuild that loses or doubles work fails.
 */
import { PostgresEventStore } from '../../libs/event-store/src/postgres/postgres.event-store';
import { START, type Position } from '../../libs/event-store/src/port';
import { Projector } from '../../libs/read-models/src/projector';
import { PROJECTIONS } from '../../apps/api/src/platform/projections';
import { now, quietPool, type BenchContext, type Benchmark } from './harness';
import { pairedRatioValues, ratePerSecond } from './stats';
import { sharedEventLog, type EventLogShape } from './event-log';

const NAME = 'rebuild';
/** What the store's subscription reads at a time (postgres.event-store.ts). */
const READ_BATCH = 500;
const SIDES = ['rebuild', 'readAll'] as const;
type Side = (typeof SIDES)[number];

export function rebuildEvents(context: BenchContext): number {
  return context.size('events', 1_000_000, 100_000);
}

async function readEverything(url: string): Promise<number> {
  const store = await PostgresEventStore.connect({ connectionString: url, poolSize: 2, applicationName: 'bench-rebuild-read' });
  try {
    let after: Position = START;
    let count = 0;
    for (;;) {
      const batch = await store.readAll({ after, maxCount: READ_BATCH });
      if (batch.length === 0) return count;
      count += batch.length;
      after = batch[batch.length - 1].position;
    }
  } finally {
    await store.close();
  }
}

/** Counts in the read models that must equal the log's. */
async function checkReadModels(url: string, shape: EventLogShape): Promise<void> {
  const pool = quietPool({ connectionString: url, max: 1 });
  try {
    const { rows } = await pool.query<Record<string, string>>(`SELECT
      (SELECT count(*) FROM read_models.organisations) AS organisations,
      (SELECT count(*) FROM read_models.proposals WHERE status = 'submitted') AS proposals,
      (SELECT count(*) FROM read_models.proposal_revisions) AS revisions,
      (SELECT count(*) FROM read_models.comments) AS comments,
      (SELECT count(*) FROM read_models.consultation_stances) AS stances,
      (SELECT count(*) FROM read_models.activity) AS activity`);
    const expected: Record<string, number> = {
      organisations: shape.organisations,
      proposals: shape.proposals,
      revisions: shape.proposals * 2,
      comments: shape.comments,
      stances: shape.stances,
      activity: shape.events,
    };
    const wrong = Object.entries(expected).filter(([k, v]) => Number(rows[0][k]) !== v);
    if (wrong.length) throw new Error(`the rebuilt read models do not match the log: ${wrong.map(([k, v]) => `${k} ${rows[0][k]} ≠ ${v}`).join(', ')}`);
  } finally {
    await pool.end();
  }
}

async function rebuildEverything(url: string, shape: EventLogShape): Promise<number> {
  const pool = quietPool({ connectionString: url, max: 4, application_name: 'bench-rebuild' });
  await pool.query('DROP SCHEMA IF EXISTS read_models CASCADE');
  const store = await PostgresEventStore.connect({ connectionString: url, poolSize: 2, applicationName: 'bench-rebuild-store' });
  const projector = new Projector({ store, pool, projections: PROJECTIONS });
  try {
    const started = now();
    await projector.start();
    await projector.caughtUp;
    const elapsed = now() - started;
    await projector.stop();
    await checkReadModels(url, shape);
    return elapsed;
  } finally {
    await projector.stop();
    await store.close();
    await pool.end();
  }
}

/**
 * Leaves the log's read models built to its head (the last rebuild round does, when the rebuild
 * benchmark ran first). True when it had to build them.
 */
export async function ensureReadModels(url: string, shape: EventLogShape, progress: (line: string) => void): Promise<boolean> {
  const pool = quietPool({ connectionString: url, max: 1 });
  let built: number;
  try {
    // Two statements: a missing table fails the planning of a statement that names it, whatever its CASE says.
    const { rows: exists } = await pool.query<{ table: string | null }>(`SELECT to_regclass('read_models.checkpoints')::text AS table`);
    if (exists[0].table === null) built = 0;
    else {
      const { rows } = await pool.query<{ built: string }>(
        `SELECT count(*) AS built FROM read_models.checkpoints c
          WHERE (c.commit_position, c.prepare_position) =
                (SELECT transaction_id::text::bigint, global_position FROM event_store.events ORDER BY transaction_id DESC, global_position DESC LIMIT 1)`,
      );
      built = Number(rows[0].built);
    }
  } finally {
    await pool.end();
  }
  if (built === PROJECTIONS.length) return false;
  progress(`building the read models of the log (${shape.events.toLocaleString('en-US')} events)`);
  await rebuildEverything(url, shape);
  return true;
}

export const rebuild: Benchmark = {
  name: NAME,
  title: 'rebuild: every read model replayed from zero by the Projector, against a plain readAll of the same log',
  async run(context: BenchContext): Promise<void> {
    const server = await context.embeddedServer();
    const log = await sharedEventLog(server.url, rebuildEvents(context), (line) => context.progress(line));
    const { shape } = log;
    // A full round replays a million events (minutes): three measured rounds at most.
    const results = await context.rounds(
      `rebuild of ${shape.events.toLocaleString('en-US')} events`,
      SIDES,
      async (side: Side) => {
        if (side === 'readAll') {
          const started = now();
          const count = await readEverything(log.url);
          const elapsed = now() - started;
          if (count !== shape.events) throw new Error(`readAll read ${count} events, the log has ${shape.events}`);
          return ratePerSecond(count, elapsed);
        }
        return ratePerSecond(shape.events, await rebuildEverything(log.url, shape));
      },
      3,
    );
    const caseName = `${shape.events.toLocaleString('en-US')} events, embedded PG`;
    context.figure(NAME, caseName, 'rebuild events/s', 'events/s', results.rebuild);
    context.figure(NAME, caseName, 'readAll events/s (ceiling)', 'events/s', results.readAll);
    context.figure(NAME, caseName, 'rebuild ÷ readAll (same round)', '×', pairedRatioValues(results.rebuild, results.readAll), { atLeast: 0.25 });
    context.note(
      NAME,
      `log: ${shape.organisations} organisations, ${shape.proposals} proposals (drafted, revised, submitted), ${shape.comments} comments, ` +
        `${shape.reactions} reactions, ${shape.consultations} consultations with ${shape.stances} stances (drafted and cast); ` +
        `${(shape.bytes / 2 ** 20).toFixed(0)} MiB of JSON, written in ${(log.generatedInMs / 1000).toFixed(0)} s`,
    );
  },
};
