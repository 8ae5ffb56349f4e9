import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { comparePositions, formatPosition, START, type Position, type RecordedEvent } from '@kyogi/event-store/port';
import { Projector } from './projector';
import type { Projection, ReadModelChange } from './projection';
import { changeLogHorizon, changesAfterPosition, changesAfterSeq } from './change-log';
import { createTestDatabase, embeddedServerUrl } from '../../../test/support/databases';

jest.setTimeout(60_000);

/** One change per event of a `Tick-…` stream, and a row per event in `ticks.seen`. */
const ticks: Projection = {
  name: 'ticks',
  version: 1,
  tables: ['ticks.seen'],
  async migrate(db: PoolClient) {
    await db.query('CREATE SCHEMA IF NOT EXISTS ticks; CREATE TABLE IF NOT EXISTS ticks.seen (event_id uuid PRIMARY KEY)');
  },
  async apply(event: RecordedEvent, db: PoolClient): Promise<readonly ReadModelChange[]> {
    await db.query('INSERT INTO ticks.seen VALUES ($1)', [event.id]);
    return [{ entity: 'tick', id: event.id, change: event.type, position: formatPosition(event.position), scope: {} }];
  },
};

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
let pool: Pool;

beforeEach(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'changelog');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  pool = new Pool({ connectionString: db.url, max: 4 });
});

afterEach(async () => {
  await pool.end();
  await store.close();
  await db.drop();
});

/** Appends `count` events, one transaction each; their positions in order. */
async function tick(count: number): Promise<Position[]> {
  const positions: Position[] = [];
  for (let i = 0; i < count; i++) {
    const event = {
      id: randomUUID(),
      type: 'Ticked',
      data: {},
      metadata: {
        actor: { personId: 'tester', organisationId: 'digital-agency', roles: [] },
        correlationId: 'c',
        causationId: 'c',
        occurredAt: '2025-04-01T00:00:00.000Z',
        schemaVersion: 1,
      },
    };
    positions.push((await store.appendToStream('Tick-1', [event], 'any')).position);
  }
  return positions;
}

/** Runs a projector until it has caught up with the head, then stops it. */
async function project(options: { changeLogWindow: number; reset?: boolean }): Promise<void> {
  const projector = new Projector({ store, pool, projections: [ticks], changeLogWindow: options.changeLogWindow });
  if (options.reset) await projector.reset();
  try {
    await projector.start();
    await projector.caughtUp;
  } finally {
    await projector.stop();
  }
}

async function loggedPositions(): Promise<string[]> {
  const { changes } = await changesAfterSeq(pool, 0n, 1000);
  return changes.map((c) => c.position);
}

describe('change log: what a catch-up logs, and its horizon', () => {
  it('a catch-up from further back than the window logs only the last window of events, and moves the horizon to the cutoff', async () => {
    const events = await tick(30);
    await project({ changeLogWindow: 10 });

    expect(await loggedPositions()).toEqual(events.slice(20).map(formatPosition));
    const horizon = await changeLogHorizon(pool);
    expect(horizon).toEqual(events[19]); // the event 10 before the head: its change and all before are not logged
    expect(await pool.query('SELECT count(*)::int AS n FROM ticks.seen')).toMatchObject({ rows: [{ n: 30 }] }); // the read model has them all

    // A resume from before the horizon gets the horizon, not the tail of the log; from the horizon on, everything.
    expect(await changesAfterPosition(pool, events[5], 100)).toEqual({ ok: false, horizon });
    expect(await changesAfterPosition(pool, START, 100)).toEqual({ ok: false, horizon });
    const fromHorizon = await changesAfterPosition(pool, events[19], 100);
    expect(fromHorizon.ok && fromHorizon.changes.map((c) => c.position)).toEqual(events.slice(20).map(formatPosition));
  });

  it('a log within the window is logged whole, and the horizon stays at START', async () => {
    const events = await tick(10);
    await project({ changeLogWindow: 10 });
    expect(await loggedPositions()).toEqual(events.map(formatPosition));
    expect(await changeLogHorizon(pool)).toEqual(START);
    const all = await changesAfterPosition(pool, START, 100);
    expect(all.ok && all.changes).toHaveLength(10);
  });

  it('a restart a few events behind logs them all, so a client resuming from before the restart is replayed, not resynced', async () => {
    const events = await tick(30);
    await project({ changeLogWindow: 10 });
    const horizon = await changeLogHorizon(pool);
    const more = await tick(4);
    await project({ changeLogWindow: 10 });

    expect(await changeLogHorizon(pool)).toEqual(horizon);
    const resumed = await changesAfterPosition(pool, events[29], 100);
    expect(resumed.ok && resumed.changes.map((c) => c.position)).toEqual(more.map(formatPosition));
    expect(await loggedPositions()).toEqual([...events.slice(20), ...more].map(formatPosition));
  });

  it('a rebuild that keeps the log logs nothing again and leaves the horizon where it was', async () => {
    const events = await tick(30);
    await project({ changeLogWindow: 10 });
    const horizon = await changeLogHorizon(pool);
    await project({ changeLogWindow: 10, reset: true });
    expect(await changeLogHorizon(pool)).toEqual(horizon);
    expect(await loggedPositions()).toEqual(events.slice(20).map(formatPosition));
  });

  it('an empty log beside read models that are already built starts at their newest checkpoint, not at START', async () => {
    const events = await tick(5);
    await project({ changeLogWindow: 10 });
    // As if the log had been emptied (or had come after the read models): nothing in it says what it lacks.
    await pool.query('TRUNCATE read_models.changes; DROP TABLE read_models.change_log_horizon');
    await new Projector({ store, pool, projections: [ticks] }).migrate();
    expect(await changeLogHorizon(pool)).toEqual(events[4]);
    expect(await changesAfterPosition(pool, events[2], 100)).toEqual({ ok: false, horizon: events[4] });
  });

  it('the horizon only moves forward', async () => {
    const events = await tick(30);
    await project({ changeLogWindow: 10 });
    // A second catch-up from far behind with a wider window (its cutoff is earlier) does not move the horizon back.
    await pool.query('DELETE FROM read_models.checkpoints; TRUNCATE ticks.seen, read_models.changes');
    await project({ changeLogWindow: 20 });
    expect(comparePositions(await changeLogHorizon(pool), events[19])).toBe(0);
  });
});
