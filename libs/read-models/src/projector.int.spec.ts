import { randomUUID } from 'node:crypto';
import { Client, Pool, type PoolClient } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { comparePositions, formatPosition, START, type EventToAppend, type Position, type RecordedEvent } from '@kyogi/event-store/port';
import { Projector, ProjectionTimeoutError } from './projector';
import type { Projection, ReadModelChange } from './projection';
import { addConstraintsIfMissing } from './records';
import { organisationsProjection } from './organisations/organisations.projection';
import { CHANGES_CHANNEL, COMMIT_WITHOUT_CHANGES, changesAfterSeq, type LoggedChange } from './change-log';
import { createTestDatabase, embeddedServerUrl } from '../../../test/support/databases';
import { listenTo } from '../../../test/support/notifications';

jest.setTimeout(60_000);

// ---- a small test projection: a counter plus a log of every application ---------------------

interface CounterProjection extends Projection {
  /** How often `apply` was entered for the event with this seq (including failed attempts). */
  readonly attempts: Map<number, number>;
  /** While set, `apply` throws on the event with this seq, after writing its rows. */
  failOnSeq: number | undefined;
}

/**
 * Counts the events of streams `<category>-…` in `<schema>.counter` and logs each application
 * in `<schema>.applied` (no unique key, so a second application of an event shows as a duplicate).
 */
function counterProjection(schema: string, category: string): CounterProjection {
  const attempts = new Map<number, number>();
  const projection: CounterProjection = {
    name: `counter_${schema}`,
    version: 1,
    tables: [`${schema}.counter`, `${schema}.applied`],
    attempts,
    failOnSeq: undefined,
    async migrate(db: PoolClient) {
      await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema};
        CREATE TABLE IF NOT EXISTS ${schema}.counter (id int PRIMARY KEY, n bigint NOT NULL);
        CREATE TABLE IF NOT EXISTS ${schema}.applied (event_id uuid NOT NULL, stream_name text NOT NULL, revision bigint NOT NULL, seq int NOT NULL,
          commit_position bigint NOT NULL, prepare_position bigint NOT NULL)`);
    },
    async apply(event: RecordedEvent, db: PoolClient): Promise<readonly ReadModelChange[]> {
      if (!event.streamName.startsWith(`${category}-`)) return [];
      const seq = Number(event.data.seq);
      attempts.set(seq, (attempts.get(seq) ?? 0) + 1);
      await db.query(`INSERT INTO ${schema}.applied VALUES ($1, $2, $3, $4, $5, $6)`, [
        event.id,
        event.streamName,
        event.revision.toString(),
        seq,
        event.position.commit.toString(),
        event.position.prepare.toString(),
      ]);
      await db.query(`INSERT INTO ${schema}.counter (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = ${schema}.counter.n + 1`);
      if (projection.failOnSeq === seq) throw new Error(`test projection: refusing event seq ${seq}`);
      return [{ entity: 'counter', id: event.id, change: event.type, position: formatPosition(event.position), scope: { stream: event.streamName } }];
    },
  };
  return projection;
}

const counterEvent = (seq: number): EventToAppend => ({
  id: randomUUID(),
  type: 'Counted',
  data: { seq },
  metadata: {
    actor: { personId: 'tester', organisationId: 'digital-agency', roles: ['admin'] },
    correlationId: 'c',
    causationId: 'c',
    occurredAt: '2025-04-01T00:00:00.000Z',
    schemaVersion: 1,
  },
});

// ---- one database for the file; each test uses its own schema, projection name and stream category ----

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
let pool: Pool;
const running: Projector[] = [];

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'projector');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  pool = new Pool({ connectionString: db.url, max: 5 });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

afterAll(async () => {
  await pool?.end();
  await store?.close();
  await db?.drop();
});

function projector(options: Partial<ConstructorParameters<typeof Projector>[0]> & { projections: Projection[] }): Projector {
  const p = new Projector({ store, pool, ...options });
  running.push(p);
  return p;
}

/** Appends `count` counter events (seq from `firstSeq`) to one stream, `perAppend` per transaction. */
async function appendCounted(stream: string, firstSeq: number, count: number, perAppend = 1): Promise<Position> {
  let last: Position = START;
  for (let i = 0; i < count; i += perAppend) {
    const events = Array.from({ length: Math.min(perAppend, count - i) }, (_, k) => counterEvent(firstSeq + i + k));
    last = (await store.appendToStream(stream, events, 'any')).position;
  }
  return last;
}

async function checkpointOf(name: string): Promise<Position | null> {
  const { rows } = await pool.query<{ commit_position: string; prepare_position: string }>(
    'SELECT commit_position, prepare_position FROM read_models.checkpoints WHERE projection = $1',
    [name],
  );
  return rows.length ? { commit: BigInt(rows[0].commit_position), prepare: BigInt(rows[0].prepare_position) } : null;
}

async function counterOf(schema: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT n FROM ${schema}.counter WHERE id = 1`);
  return rows.length ? Number(rows[0].n) : 0;
}

/** Applications per event id: a value above 1 is an event applied twice. */
async function appliedOf(schema: string): Promise<{ ids: string[]; duplicates: string[]; seqs: number[]; last: Position | null }> {
  const { rows } = await pool.query<{ event_id: string; times: string; seq: number; commit_position: string; prepare_position: string }>(
    `SELECT event_id, count(*) AS times, min(seq) AS seq, max(commit_position) AS commit_position, max(prepare_position) AS prepare_position
       FROM ${schema}.applied GROUP BY event_id ORDER BY max(commit_position), max(prepare_position)`,
  );
  const lastRow = rows[rows.length - 1];
  return {
    ids: rows.map((r) => r.event_id),
    duplicates: rows.filter((r) => Number(r.times) > 1).map((r) => r.event_id),
    seqs: rows.map((r) => r.seq).sort((a, b) => a - b),
    last: lastRow ? { commit: BigInt(lastRow.commit_position), prepare: BigInt(lastRow.prepare_position) } : null,
  };
}

async function eventsOf(category: string): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (
    let batch = await store.readAll({ maxCount: 500 });
    batch.length;
    batch = await store.readAll({ after: batch[batch.length - 1].position, maxCount: 500 })
  ) {
    all.push(...batch);
  }
  return all.filter((e) => e.streamName.startsWith(`${category}-`));
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the tests ------------------------------------------------------------------------------

describe('Projector on PostgreSQL', () => {
  it('catches up on events appended before start, then applies live events; read model and checkpoint agree', async () => {
    const counter = counterProjection('catchup', 'CatchUp');
    await appendCounted('CatchUp-a', 1, 5); // five transactions
    await appendCounted('CatchUp-b', 6, 4, 4); // one transaction of four
    const headBefore = await store.headPosition();

    const p = projector({ projections: [counter] });
    await p.start();
    await p.caughtUp;

    // caughtUp only resolves once the catch-up is committed.
    expect(await counterOf('catchup')).toBe(9);
    expect(await checkpointOf(counter.name)).toEqual(headBefore);
    expect(comparePositions(p.currentPosition, headBefore)).toBe(0);

    const live = await appendCounted('CatchUp-a', 10, 3);
    await p.waitFor(live);
    expect(await counterOf('catchup')).toBe(12);

    const applied = await appliedOf('catchup');
    const stored = await eventsOf('CatchUp');
    expect(applied.ids).toEqual(stored.map((e) => e.id)); // each once, in global order
    expect(applied.duplicates).toEqual([]);
    expect(applied.seqs).toEqual([...Array(12).keys()].map((i) => i + 1));
    // The checkpoint row is the position of the last applied event.
    expect(await checkpointOf(counter.name)).toEqual(live);
    expect(applied.last).toEqual(live);
    expect(p.healthy).toBe(true);
  });

  it('commits the checkpoint with the read model: a failed batch leaves neither behind, and after the fix the projector restarts by itself and applies each event once', async () => {
    const counter = counterProjection('failing', 'Failing');
    const total = 30;
    await appendCounted('Failing-a', 1, 10, 10);
    await appendCounted('Failing-a', 11, 10, 10);
    await appendCounted('Failing-a', 21, 10, 10);
    const head = await store.headPosition();
    const logs: string[] = [];
    const published: ReadModelChange[] = [];
    counter.failOnSeq = 13;

    const p = projector({ projections: [counter], log: (m) => logs.push(m), publish: (changes) => published.push(...changes) });
    await p.start();
    await until(() => logs.length > 0, 5_000, 'the projection to fail');
    expect(counter.attempts.get(13)).toBe(1);
    expect(p.healthy).toBe(false);
    expect(logs[0]).toContain('refusing event seq 13');

    // Let the failed attempt's rollback finish, then look: the read model holds exactly the events up to the checkpoint.
    await sleep(100);
    const stored = await eventsOf('Failing');
    const checkpoint = await checkpointOf(counter.name);
    const committed = checkpoint ? stored.filter((e) => comparePositions(e.position, checkpoint) <= 0) : [];
    const applied = await appliedOf('failing');
    expect(applied.ids).toEqual(committed.map((e) => e.id));
    expect(applied.duplicates).toEqual([]);
    expect(Math.max(0, ...applied.seqs)).toBeLessThan(13); // nothing of the failed event nor after it
    expect(await counterOf('failing')).toBe(committed.length);
    if (checkpoint) expect(applied.last).toEqual(checkpoint);
    // Nothing was announced beyond what was committed.
    expect(published.map((c) => c.id)).toEqual(committed.map((e) => e.id));

    // Fix the projection: the projector resumes by itself (after ~1 s) from the checkpoint.
    counter.failOnSeq = undefined;
    await p.waitFor(head, 5_000);
    expect(counter.attempts.get(13)).toBeGreaterThanOrEqual(2); // retried, not skipped
    expect(await counterOf('failing')).toBe(total);
    const after = await appliedOf('failing');
    expect(after.duplicates).toEqual([]);
    expect(after.ids).toEqual(stored.map((e) => e.id));
    expect(await checkpointOf(counter.name)).toEqual(head);
    expect(published.map((c) => c.id)).toEqual(stored.map((e) => e.id)); // each change announced once
    expect(p.healthy).toBe(true);
    await p.caughtUp; // the catch-up that the failure interrupted is reported once the restart caught up
  });

  it('a new Projector on the same database resumes from the stored checkpoint without re-applying', async () => {
    const counter = counterProjection('resume', 'Resume');
    await appendCounted('Resume-a', 1, 20, 5);
    const first = projector({ projections: [counter] });
    await first.start();
    await first.caughtUp;
    expect(await counterOf('resume')).toBe(20);
    await first.stop();
    const checkpoint = await checkpointOf(counter.name);

    const second = projector({ projections: [counter] });
    await second.start();
    await second.caughtUp;
    expect(second.currentPosition).toEqual(checkpoint);
    await sleep(200); // give a wrong re-delivery the time to show
    expect(await counterOf('resume')).toBe(20);
    expect(counter.attempts.get(1)).toBe(1);

    const live = await appendCounted('Resume-a', 21, 5);
    await second.waitFor(live);
    expect(await counterOf('resume')).toBe(25);
    const applied = await appliedOf('resume');
    expect(applied.duplicates).toEqual([]);
    expect(applied.seqs).toEqual([...Array(25).keys()].map((i) => i + 1));
    expect([...counter.attempts.values()].every((n) => n === 1)).toBe(true);
    expect(await checkpointOf(counter.name)).toEqual(live);
  });

  it('waitFor resolves once the position is applied and rejects with READ_MODEL_TIMEOUT for a position never reached', async () => {
    const counter = counterProjection('waiting', 'Waiting');
    const p = projector({ projections: [counter] });
    await p.start();
    await p.caughtUp;

    const position = await appendCounted('Waiting-a', 1, 1);
    await p.waitFor(position);
    expect(comparePositions(p.currentPosition, position)).toBeGreaterThanOrEqual(0);
    expect(await counterOf('waiting')).toBe(1); // visible to any reader by then
    await expect(p.waitFor(position, 1)).resolves.toBeUndefined(); // already there: no wait

    const never: Position = { commit: position.commit + 1_000_000n, prepare: position.prepare + 1_000_000n };
    const started = Date.now();
    const waiting = p.waitFor(never, 150);
    await expect(waiting).rejects.toBeInstanceOf(ProjectionTimeoutError);
    await expect(waiting).rejects.toMatchObject({ code: 'READ_MODEL_TIMEOUT', message: expect.stringContaining(formatPosition(never)) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('publishes only after the commit: a separate connection already sees the change', async () => {
    const counter = counterProjection('publishing', 'Publishing');
    const observer = new Client({ connectionString: db.url });
    await observer.connect();
    const checks: Promise<{ changes: number; visible: number; positionReached: boolean }>[] = [];
    let p: Projector | undefined = undefined;
    p = projector({
      projections: [counter],
      publish: (changes) => {
        const ids = changes.map((c) => c.id);
        // Synchronously: the projector already counts these positions as committed.
        const positionReached = changes.every((c) => formatPosition(p!.currentPosition) >= c.position);
        checks.push(
          observer
            .query<{ n: string }>('SELECT count(*) AS n FROM publishing.applied WHERE event_id = ANY($1::uuid[])', [ids])
            .then((r) => ({ changes: ids.length, visible: Number(r.rows[0].n), positionReached })),
        );
      },
    });
    try {
      await appendCounted('Publishing-a', 1, 3, 3); // caught up as one batch
      await p.start();
      await p.caughtUp;
      const last = await appendCounted('Publishing-a', 4, 4); // live, one by one
      await p.waitFor(last);
      const results = await Promise.all(checks);
      expect(results.reduce((n, r) => n + r.changes, 0)).toBe(7);
      for (const r of results) expect(r).toEqual({ changes: r.changes, visible: r.changes, positionReached: true });
    } finally {
      await observer.end();
    }
  });

  it('hands over what it wrote to the change log after each commit, with its seq, as the log holds it', async () => {
    const counter = counterProjection('handing', 'Handing');
    const handed: LoggedChange[] = [];
    const p = projector({ projections: [counter], logged: (changes) => handed.push(...changes) });
    await p.start();
    await p.caughtUp;
    const last = await appendCounted('Handing-a', 1, 3); // live, one by one
    await p.waitFor(last);
    const ids = handed.map((c) => c.id);
    const { changes: inLog } = await changesAfterSeq(pool, handed[0].seq - 1n, 100);
    expect(handed).toHaveLength(3);
    expect(inLog.filter((c) => ids.includes(c.id))).toEqual(handed);
  });

  it('announces every commit: the last seq logged, or COMMIT_WITHOUT_CHANGES when it logged none; onCommit runs before waitFor resolves', async () => {
    const counter = counterProjection('announcing', 'Announcing');
    const order: string[] = [];
    const p = projector({ projections: [counter], onCommit: (position) => order.push(`commit ${formatPosition(position)}`) });
    await p.start();
    await p.caughtUp;
    const { payloads, stop } = await listenTo(db.url, CHANGES_CHANNEL);
    try {
      // Another category: the projection applies the event and reports no change.
      const quiet = await appendCounted('Unannounced-a', 1, 1);
      await p.waitFor(quiet).then(() => order.push(`waited ${formatPosition(quiet)}`));
      expect(order.slice(-2)).toEqual([`commit ${formatPosition(quiet)}`, `waited ${formatPosition(quiet)}`]);
      await until(() => payloads.length === 1, 5000, 'the announcement of the commit without changes');
      expect(payloads).toEqual([COMMIT_WITHOUT_CHANGES]);
      const counted = await appendCounted('Announcing-a', 1, 1);
      await p.waitFor(counted);
      await until(() => payloads.length === 2, 5000, 'the announcement of the commit with a change');
      expect(payloads[1]).toMatch(/^[0-9]+$/);
    } finally {
      await stop();
    }
  });

  it('reset() and a second start rebuild the same read models from zero (~2,000 events in batches of at most 2,000)', async () => {
    const counter = counterProjection('rebuild', 'Rebuild');
    // 1,000 counter events in 10 appends …
    for (let s = 0; s < 10; s++) await appendCounted(`Rebuild-${s}`, s * 100 + 1, 100, 100);
    // … and 1,000 organisation events: 10 vendors with 99 members each.
    const at = (i: number) => new Date(Date.UTC(2025, 3, 1, 0, 0, i)).toISOString();
    for (let o = 0; o < 10; o++) {
      const organisationId = `rebuild-vendor-${o}`;
      const metadata = (i: number) => ({ ...counterEvent(0).metadata, occurredAt: at(i) });
      const events: EventToAppend[] = [
        {
          id: randomUUID(),
          type: 'OrganisationRegistered',
          data: {
            organisationId,
            kind: 'vendor',
            name: `ベンダー${o}`,
            nameKana: null,
            code: null,
            prefectureCode: null,
            parentId: null,
            active: true,
            population: null,
          },
          metadata: metadata(0),
        },
        ...Array.from({ length: 99 }, (_, m) => ({
          id: randomUUID(),
          type: 'MemberAdded',
          data: { organisationId, personId: `p-${o}-${m}`, displayName: `職員 ${m}`, email: `p${m}@v${o}.example.jp`, roles: m % 3 ? ['member'] : ['admin'] },
          metadata: metadata(m + 1),
        })),
      ];
      await store.appendToStream(`Organisation-${organisationId}`, events, 'no_stream');
    }
    const head = await store.headPosition();
    const allEvents = await allEventCount(); // every event in this database, earlier tests' too

    const progress: number[] = [];
    const p = projector({ projections: [counter, organisationsProjection], onProgress: (_, applied) => progress.push(applied) });
    const buildStarted = performance.now();
    await p.start();
    await p.waitFor(head, 30_000);
    const buildMs = performance.now() - buildStarted;
    const before = await dump();
    expect(before.counter).toEqual([{ id: 1, n: '1000' }]);
    expect(before.organisations).toHaveLength(10);
    expect(before.members).toHaveLength(990);
    expect(before.organisations.every((o) => o.member_count === 99)).toBe(true);
    const buildCommits = progress.length;

    await p.stop();
    await p.reset();
    // Empty, checkpoints gone.
    expect(await counterOf('rebuild')).toBe(0);
    expect((await pool.query('SELECT 1 FROM read_models.organisations')).rowCount).toBe(0);
    expect(await checkpointOf(counter.name)).toBeNull();
    expect(await checkpointOf(organisationsProjection.name)).toBeNull();

    const appliedBeforeRebuild = progress[progress.length - 1]; // onProgress counts over the projector's life
    progress.length = 0;
    const rebuildStarted = performance.now();
    await p.start();
    await p.waitFor(head, 30_000);
    const rebuildMs = performance.now() - rebuildStarted;
    const after = await dump();
    expect(after).toEqual(before);
    expect((await appliedOf('rebuild')).duplicates).toEqual([]);
    expect(await checkpointOf(counter.name)).toEqual(head);
    expect(await checkpointOf(organisationsProjection.name)).toEqual(head);

    // Batches: every commit holds at most 2,000 events (a catch-up), and all events were applied.
    const sizes = progress.map((n, i) => n - (i ? progress[i - 1] : appliedBeforeRebuild));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2000);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(allEvents);
    console.info(
      `[int figures] projector rebuild: ${allEvents} events in ${rebuildMs.toFixed(0)} ms = ${Math.round((allEvents / rebuildMs) * 1000)} events/s ` +
        `(${sizes.length} commits, mean ${(allEvents / sizes.length).toFixed(1)} events/commit, max ${Math.max(...sizes)}); ` +
        `first build ${buildMs.toFixed(0)} ms (${buildCommits} commits)`,
    );
  });

  it('commits a catch-up in large batches (up to 2,000 events per transaction), not one transaction per event', async () => {
    const counter = counterProjection('batching', 'Batching');
    for (let s = 0; s < 4; s++) await appendCounted(`Batching-${s}`, s * 500 + 1, 500, 500);
    const head = await store.headPosition();
    const total = await allEventCount();
    const commits: number[] = [];
    const p = projector({ projections: [counter], onProgress: (_, applied) => commits.push(applied) });
    const started = performance.now();
    await p.start();
    await p.waitFor(head, 30_000);
    const ms = performance.now() - started;
    expect(await counterOf('batching')).toBe(2000);
    const sizes = commits.map((n, i) => n - (i ? commits[i - 1] : 0));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
    console.info(
      `[int figures] projector catch-up batching: ${total} events (2000 applied by the projection) in ${sizes.length} commits ` +
        `(mean ${(total / sizes.length).toFixed(1)}, max ${Math.max(...sizes)}), ${ms.toFixed(0)} ms = ${Math.round((total / ms) * 1000)} events/s`,
    );
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2000);
    // "a rebuild commits in large batches" (projector.ts): the subscription reads ahead, up to 2,000 per transaction.
    expect(sizes.length).toBeLessThanOrEqual(Math.ceil(total / 100));
  });

  it('writes the rows a projection defers (ProjectionBatch) once per transaction, with the checkpoint: none survive a failed batch, none are doubled after the restart', async () => {
    const writes: number[] = [];
    let failOnSeq: number | undefined = 700;
    const deferring: Projection = {
      name: 'deferring',
      version: 1,
      tables: ['deferring.rows'],
      async migrate(db: PoolClient) {
        await db.query('CREATE SCHEMA IF NOT EXISTS deferring; CREATE TABLE IF NOT EXISTS deferring.rows (event_id uuid NOT NULL, seq int NOT NULL)');
      },
      async apply(event: RecordedEvent, db: PoolClient, batch) {
        if (!event.streamName.startsWith('Deferring-')) return [];
        const seq = Number(event.data.seq);
        if (failOnSeq === seq) throw new Error(`deferring projection: refusing event seq ${seq}`);
        const row = [event.id, seq] as const;
        const write = async (client: PoolClient, rows: readonly (readonly [string, number])[]) => {
          writes.push(rows.length);
          await client.query('INSERT INTO deferring.rows SELECT * FROM unnest($1::uuid[], $2::int[])', [rows.map((r) => r[0]), rows.map((r) => r[1])]);
        };
        if (batch) batch.rows('deferring', write).push(row);
        else await write(db, [row]);
        return [];
      },
    };
    await appendCounted('Deferring-a', 1, 500, 500);
    await appendCounted('Deferring-a', 501, 500, 500);
    const head = await store.headPosition();
    const logs: string[] = [];
    const p = projector({ projections: [deferring], log: (m) => logs.push(m) });
    await p.start();
    await until(() => logs.length > 0, 10_000, 'the projection to fail');
    await sleep(100); // the failed batch's rollback
    const rowsOf = async () =>
      (await pool.query<{ seq: number; n: string }>('SELECT seq, count(*) AS n FROM deferring.rows GROUP BY seq ORDER BY seq')).rows.map((r) => [
        r.seq,
        Number(r.n),
      ]);
    const checkpoint = await checkpointOf('deferring');
    const committed = (await eventsOf('Deferring')).filter((e) => checkpoint !== null && comparePositions(e.position, checkpoint) <= 0);
    // Exactly the events up to the checkpoint: the deferred rows of the failed batch went with its rollback.
    expect(await rowsOf()).toEqual(committed.map((e) => [Number(e.data.seq), 1]));
    expect(committed.length).toBeLessThan(700);

    failOnSeq = undefined;
    await p.waitFor(head, 10_000);
    expect(await rowsOf()).toEqual([...Array(1000).keys()].map((i) => [i + 1, 1]));
    // One statement per transaction, not one per event.
    expect(writes.length).toBeLessThanOrEqual(10);
    expect(writes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1000);
  });

  it('replays a projection from the start of the log without its deferred indexes and constraints and as rebuilding, builds them before it reports caught up, and keeps them on a resume', async () => {
    const seen: { seq: number; rebuilding: boolean; indexed: boolean }[] = [];
    let failOnSeq: number | undefined;
    // Both deferred objects, or neither: anything else is a half-built schema.
    const indexed = async (db: Pool | PoolClient) => {
      const { rows } = await db.query<{ index: boolean; key: boolean }>(
        `SELECT to_regclass('deferred.rows_by_seq') IS NOT NULL AS index,
                EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'deferred.rows'::regclass AND conname = 'rows_pkey') AS key`,
      );
      if (rows[0].index !== rows[0].key) throw new Error(`deferred index ${rows[0].index}, deferred key ${rows[0].key}`);
      return rows[0].index;
    };
    const deferred: Projection = {
      name: 'deferred',
      version: 1,
      tables: ['deferred.rows'],
      deferredIndexes: ['deferred.rows_by_seq'],
      deferredConstraints: [{ table: 'deferred.rows', name: 'rows_pkey' }],
      async migrate(db: PoolClient) {
        await db.query(`CREATE SCHEMA IF NOT EXISTS deferred; CREATE TABLE IF NOT EXISTS deferred.rows (seq int NOT NULL);
          CREATE INDEX IF NOT EXISTS rows_by_seq ON deferred.rows (seq DESC)`);
        await addConstraintsIfMissing(db, [{ table: 'deferred.rows', name: 'rows_pkey', definition: 'PRIMARY KEY (seq)' }]);
      },
      async apply(event: RecordedEvent, db: PoolClient, batch) {
        if (!event.streamName.startsWith('Deferred-')) return [];
        const seq = Number(event.data.seq);
        if (failOnSeq === seq) throw new Error(`deferred projection: refusing event seq ${seq}`);
        seen.push({ seq, rebuilding: batch?.rebuilding('deferred') ?? false, indexed: await indexed(db) });
        await db.query('INSERT INTO deferred.rows VALUES ($1)', [seq]);
        return [];
      },
    };
    await appendCounted('Deferred-a', 1, 5, 5);
    const first = projector({ projections: [deferred], log: () => undefined });
    await first.start();
    await first.caughtUp;
    // Built before caughtUp resolved; during the replay it was not there and the batch said so.
    expect(await indexed(pool)).toBe(true);
    expect(seen).toEqual([1, 2, 3, 4, 5].map((seq) => ({ seq, rebuilding: true, indexed: false })));

    // Live events after the catch-up: applied like any other, with the index.
    await first.waitFor(await appendCounted('Deferred-a', 6, 2, 2), 10_000);
    expect(seen.slice(5)).toEqual([6, 7].map((seq) => ({ seq, rebuilding: false, indexed: true })));
    await first.stop();

    // A resume from a checkpoint is no rebuild: the index stays.
    await appendCounted('Deferred-a', 8, 2, 2);
    const second = projector({ projections: [deferred], log: () => undefined });
    await second.start();
    await second.caughtUp;
    expect(seen.slice(7)).toEqual([8, 9].map((seq) => ({ seq, rebuilding: false, indexed: true })));
    await second.stop();

    // A rebuild that cannot catch up goes without the index; stopped, it leaves the index to the next start's migrate.
    await second.reset();
    failOnSeq = 3;
    const logs: string[] = [];
    const third = projector({ projections: [deferred], log: (m) => logs.push(m) });
    await third.start();
    await until(() => logs.length > 0, 10_000, 'the projection to fail');
    expect(await indexed(pool)).toBe(false);
    await third.stop();
    await projector({ projections: [deferred] }).migrate();
    expect(await indexed(pool)).toBe(true);
    // The key is back and holds (the failed batch left no rows).
    expect((await pool.query('SELECT seq FROM deferred.rows')).rows).toEqual([]);
    await pool.query('INSERT INTO deferred.rows VALUES (1)');
    await expect(pool.query('INSERT INTO deferred.rows VALUES (1)')).rejects.toThrow(/rows_pkey/);
  });
});

async function allEventCount(): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events');
  return Number(rows[0].n);
}

async function dump() {
  const q = async <T>(sql: string) => (await pool.query(sql)).rows as T[];
  return {
    counter: await q<{ id: number; n: string }>('SELECT id, n FROM rebuild.counter ORDER BY id'),
    applied: await q('SELECT event_id, stream_name, revision, seq, commit_position, prepare_position FROM rebuild.applied ORDER BY prepare_position'),
    organisations: await q<{ member_count: number }>('SELECT * FROM read_models.organisations ORDER BY id'),
    members: await q('SELECT * FROM read_models.organisation_members ORDER BY person_id'),
  };
}
