import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { formatPosition, type Position } from '@kyogi/event-store/port';
import { advanceChangeLogHorizon, recordChanges, type LoggedChange } from '@kyogi/read-models/change-log';
import { Projector } from '@kyogi/read-models/projector';
import { ChangeFeed, ResyncRequiredError } from './change-feed';
import { ChangeLogTail } from './change-log-tail';
import { createTestDatabase, embeddedServerUrl } from '../../../test/support/databases';

jest.setTimeout(30_000);

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
let pool: Pool;
let tail: ChangeLogTail | undefined;

beforeEach(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'tail');
  store = await PostgresEventStore.connect({ connectionString: db.url });
  pool = new Pool({ connectionString: db.url, max: 3 });
  await new Projector({ store, pool, projections: [] }).migrate();
});

afterEach(async () => {
  await tail?.stop();
  tail = undefined;
  await pool.end();
  await store.close();
  await db.drop();
});

const at = (n: number): Position => ({ commit: BigInt(n), prepare: BigInt(n) });

/** What the projector's transaction does: optionally move the horizon, then log changes (one per position). */
async function commit(positions: number[], horizon?: Position): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (horizon) await advanceChangeLogHorizon(client, horizon);
    await recordChanges(
      client,
      positions.map((n) => ({ entity: 'organisation', id: String(n), change: 'MemberAdded', position: formatPosition(at(n)), scope: {} })),
    );
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

async function next(it: AsyncIterator<LoggedChange>): Promise<string> {
  const result = await it.next();
  return result.value.id;
}

describe('ChangeLogTail', () => {
  it('feeds live subscribers in log order, and ends them with a resync when the horizon moves (a catch-up left changes unlogged)', async () => {
    const feed = new ChangeFeed();
    tail = new ChangeLogTail(pool, db.url, feed, { pollMs: 50 });
    await tail.start();
    const before = feed.subscribe(() => true);
    await commit([1, 2]);
    expect([await next(before), await next(before)]).toEqual(['1', '2']);

    // The changes up to 40 were not logged: `before` would silently miss them.
    await commit([41], at(40));
    await expect(before.next()).rejects.toBeInstanceOf(ResyncRequiredError);

    // A subscriber made after the move is fed as usual.
    const after = feed.subscribe(() => true);
    await commit([42]);
    expect(await next(after)).toBe('42');
  });

  it("resyncs live subscribers at once when this process's projector moved the horizon (its changes come by hand-over, not by a read)", async () => {
    const feed = new ChangeFeed();
    tail = new ChangeLogTail(pool, db.url, feed, { pollMs: 60_000 });
    await tail.start();
    const live = feed.subscribe(() => true);
    // What the projector's transaction does; the projector then tells its tail before handing over.
    await commit([41], at(40));
    tail.horizonIs(at(40));
    await expect(live.next()).rejects.toBeInstanceOf(ResyncRequiredError);
    // The same horizon read back with a later batch resyncs nobody again.
    const started = tail;
    while (started.position === 0n) await new Promise((r) => setTimeout(r, 10)); // the tail has read 41 (its NOTIFY)
    const after = feed.subscribe(() => true);
    await commit([42]);
    expect(await next(after)).toBe('42');
  });

  it('does not resync anyone when the horizon stays where it was', async () => {
    await commit([1], at(0)); // a horizon set before the tail started
    const feed = new ChangeFeed();
    tail = new ChangeLogTail(pool, db.url, feed, { pollMs: 50 });
    await tail.start();
    const live = feed.subscribe(() => true);
    await commit([2], at(0));
    await commit([3]);
    expect([await next(live), await next(live)]).toEqual(['2', '3']);
  });
});
