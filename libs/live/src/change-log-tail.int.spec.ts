import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { Projector } from '@kyogi/read-models/projector';
import { CHANGES_CHANNEL, COMMIT_WITHOUT_CHANGES, recordChanges, type LoggedChange } from '@kyogi/read-models/change-log';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import { createTestDatabase, embeddedServerUrl } from '../../../test/support/databases';
import { listenTo } from '../../../test/support/notifications';
import { ChangeFeed } from './change-feed';
import { ChangeLogTail } from './change-log-tail';

jest.setTimeout(60_000);

let db: { url: string; drop(): Promise<void> };
let pool: Pool;
/** Reads of the change log by the tail (`… WHERE seq > $1 …`). */
let reads = 0;
let tail: ChangeLogTail | undefined;

const pos = (n: number) => `${n.toString(16).padStart(16, '0')}.${n.toString(16).padStart(16, '0')}`;
let next = 1;
const changes = (count: number): ReadModelChange[] =>
  Array.from({ length: count }, () => {
    const n = next++;
    return { entity: 'organisation', id: `org-${n}`, change: 'OrganisationRegistered', position: pos(n), scope: { prefectureCode: '13' } };
  });

/** Writes changes to the log in a transaction of their own, as the projector does (NOTIFY included); returns them as logged. */
async function commit(written: ReadModelChange[], options: { rollback?: boolean } = {}): Promise<LoggedChange[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const logged = await recordChanges(client, written);
    await client.query(options.rollback ? 'ROLLBACK' : 'COMMIT');
    return logged;
  } finally {
    client.release();
  }
}

/** Writes changes to the log with no NOTIFY: only a hand-over (or a poll) can tell the tail. */
async function logQuietly(written: ReadModelChange[]): Promise<LoggedChange[]> {
  const { rows } = await pool.query<{ seq: string }>(
    `INSERT INTO read_models.changes (commit_position, prepare_position, entity, entity_id, change, scope)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[]) RETURNING seq`,
    [
      written.map((c) => BigInt(`0x${c.position.slice(0, 16)}`).toString()),
      written.map((c) => BigInt(`0x${c.position.slice(17)}`).toString()),
      written.map((c) => c.entity),
      written.map((c) => c.id),
      written.map((c) => c.change),
      written.map((c) => JSON.stringify(c.scope)),
    ],
  );
  return written.map((c, i) => ({ ...c, seq: BigInt(rows[i].seq) }));
}

function startTail(): { feed: ChangeFeed; got: LoggedChange[]; tail: Promise<ChangeLogTail> } {
  const feed = new ChangeFeed();
  const got: LoggedChange[] = [];
  feed.listen(
    () => true,
    (c) => got.push(c),
    () => undefined,
  );
  // No polling within a test: only a NOTIFY or a hand-over moves it.
  const started = new ChangeLogTail(pool, db.url, feed, { pollMs: 60_000 });
  return {
    feed,
    got,
    tail: started.start().then(() => (tail = started)),
  };
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Long enough for a NOTIFY to arrive and for a read it set off to finish. */
const quietly = () => new Promise((r) => setTimeout(r, 300));

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'change_log_tail');
  pool = new Pool({ connectionString: db.url, max: 4 });
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('WHERE seq > $1')) reads++;
    return query(...args);
  };
  // The projector's migration: checkpoints, the change log and its horizon.
  const store = await PostgresEventStore.connect({ connectionString: db.url });
  try {
    await new Projector({ store, pool, projections: [] }).migrate();
  } finally {
    await store.close();
  }
});

afterEach(async () => {
  await tail?.stop();
  tail = undefined;
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('recordChanges', () => {
  it('returns the changes as logged, with their seq, and announces the last seq', async () => {
    const { payloads, stop } = await listenTo(db.url, CHANGES_CHANNEL);
    try {
      const written = changes(3);
      const logged = await commit(written);
      expect(logged.map(({ seq: _seq, ...change }) => change)).toEqual(written);
      expect(logged.map((c) => c.seq - logged[0].seq)).toEqual([0n, 1n, 2n]);
      await eventually(() => payloads.length > 0, 'the NOTIFY');
      expect(payloads).toEqual([logged[2].seq.toString()]);
    } finally {
      await stop();
    }
  });
});

describe('ChangeLogTail', () => {
  it("publishes what this process's projector hands over without reading it back, once", async () => {
    const { got, tail: started } = startTail();
    const live = await started;
    const readsBefore = reads;
    const logged = await logQuietly(changes(2));
    live.handOver(logged);
    expect(got).toEqual(logged);
    // The NOTIFY of that commit announces nothing it has not got: no read.
    await pool.query(`SELECT pg_notify('${CHANGES_CHANNEL}', $1)`, [logged[1].seq.toString()]);
    await quietly();
    expect([reads, got.length]).toEqual([readsBefore, 2]);
    // One that announces more than it has makes it read.
    await pool.query(`SELECT pg_notify('${CHANGES_CHANNEL}', $1)`, [(logged[1].seq + 1n).toString()]);
    await eventually(() => reads === readsBefore + 1, 'a read');
    live.handOver(logged);
    expect(got).toEqual(logged);
  });

  it('reads the log for a commit nobody handed over (another instance runs the projector)', async () => {
    const { got, tail: started } = startTail();
    await started;
    const logged = await commit(changes(2));
    await eventually(() => got.length === 2, 'the changes of the other commit');
    expect(got).toEqual(logged);
  });

  it('reads the log instead when a hand-over does not follow on what it published, with no gap and no duplicate', async () => {
    const { got, tail: started } = startTail();
    const live = await started;
    const unseen = await logQuietly(changes(1)); // committed, but neither announced nor handed over
    const after = await logQuietly(changes(2));
    live.handOver(after);
    await eventually(() => got.length === 3, 'the change before the hand-over');
    expect(got).toEqual([...unseen, ...after]);
  });

  it('reads the log when a rolled-back batch left a hole in the numbering', async () => {
    const { got, tail: started } = startTail();
    const live = await started;
    const first = await logQuietly(changes(1));
    live.handOver(first);
    await commit(changes(2), { rollback: true }); // uses up two seq values
    const after = await logQuietly(changes(2));
    expect(after[0].seq).toBe(first[0].seq + 3n);
    live.handOver(after);
    await eventually(() => got.length === 3, 'the changes after the hole');
    await quietly();
    expect(got).toEqual([...first, ...after]);
  });

  it('tells of every announced commit, one without changes too (without reading the log for it), and of the LISTEN connection', async () => {
    const feed = new ChangeFeed();
    const events: string[] = [];
    const started = new ChangeLogTail(pool, db.url, feed, {
      pollMs: 60_000,
      onCommitAnnounced: () => events.push('commit'),
      onListening: (listening) => events.push(listening ? 'listening' : 'deaf'),
    });
    await started.start();
    tail = started;
    expect(events).toEqual(['listening']);
    const readsBefore = reads;
    await pool.query(`SELECT pg_notify('${CHANGES_CHANNEL}', '${COMMIT_WITHOUT_CHANGES}')`);
    await eventually(() => events.length === 2, 'the announcement of a commit without changes');
    await quietly();
    expect(reads).toBe(readsBefore);
    await commit(changes(1));
    await eventually(() => events.length === 3, 'the announcement of a commit with changes');
    expect(events).toEqual(['listening', 'commit', 'commit']);
    // The LISTEN connection is killed: the tail says it cannot hear, then listens again at its next turn.
    await pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'kyogi-change-log-tail' AND datname = current_database()`,
    );
    await eventually(() => events.includes('deaf'), 'the lost LISTEN connection');
  });

  it('drops a hand-over of what it already read from the log', async () => {
    const { got, tail: started } = startTail();
    const live = await started;
    const logged = await commit(changes(2));
    await eventually(() => got.length === 2, 'the changes read after the NOTIFY');
    live.handOver(logged);
    expect(got).toEqual(logged);
  });
});
