import type { Pool, PoolClient } from 'pg';
import {
  START,
  comparePositions,
  formatPosition,
  parsePosition,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '@kyogi/event-store/port';
import { NON_APPENDING_APPLICATION_NAME } from '@kyogi/event-store/postgres/postgres.event-store';
import { transactionBatch, type Projection, type ReadModelChange } from './projection';
import {
  CHANGES_CHANNEL,
  CHANGE_REPLAY_LIMIT,
  COMMIT_WITHOUT_CHANGES,
  advanceChangeLogHorizon,
  changeLogHead,
  migrateChangeLog,
  recordChanges,
  type LoggedChange,
} from './change-log';

const MAX_BATCH = 500;
/** Until the projector first reaches the head it started with (a rebuild, a cold start), larger transactions: fewer fixed costs per event. */
const CATCH_UP_BATCH = 2000;
/**
 * Events the subscription may hand over before the projector has applied them. As many as a
 * catch-up transaction holds: with fewer, the queue runs dry between reads and the catch-up
 * commits half-full transactions, and each commit has a fixed cost (a dozen statements).
 */
const READ_AHEAD = CATCH_UP_BATCH;

export interface ProjectorOptions {
  readonly store: EventStore;
  readonly pool: Pool;
  readonly projections: readonly Projection[];
  /** Called after each commit with what changed. */
  readonly publish?: (changes: readonly ReadModelChange[]) => void;
  /** Called right after each commit, before anyone waiting for its position is told (the read cache is dropped here). */
  readonly onCommit?: (position: Position) => void;
  /** Called after a commit that moved the change log's horizon (for this process's ChangeLogTail: its live subscribers must resync), before `logged`. */
  readonly horizonMoved?: (horizon: Position) => void;
  /** Called after each commit with what it wrote to the change log, with their `seq` (for this process's ChangeLogTail.handOver). */
  readonly logged?: (changes: readonly LoggedChange[]) => void;
  readonly log?: (message: string) => void;
  /** Called as events are applied (for progress bars). */
  readonly onProgress?: (position: Position, applied: number) => void;
  /** Events per transaction at most (500 live, 2,000 while catching up); 1 commits every event on its own, as a quiet live system does. */
  readonly maxBatch?: number;
  /**
   * The changes of the last this-many events before the head seen at start are always logged;
   * a catch-up from further back leaves the older ones out of the change log (see `planChangeLog`).
   * Default: CHANGE_REPLAY_LIMIT.
   */
  readonly changeLogWindow?: number;
}

/** The projector's open transaction: what it applied so far, and the work the projections deferred to its end. */
interface Transaction {
  readonly client: PoolClient;
  readonly changes: ReadModelChange[];
  count: number;
  last: Position;
  readonly batch: ReturnType<typeof transactionBatch>;
}

function openTransaction(client: PoolClient, last: Position, rebuilding: ReadonlySet<string>): Transaction {
  return { client, changes: [], count: 0, last, batch: transactionBatch(client, rebuilding) };
}

/** Serialises schema changes across processes (migrations, dropping and building deferred indexes). */
const SCHEMA_LOCK = 7420012;

export class ProjectionTimeoutError extends Error {
  readonly code = 'READ_MODEL_TIMEOUT' as const;
  constructor(position: Position, ms: number) {
    super(`The read models did not reach position ${formatPosition(position)} within ${ms} ms`);
  }
}

/**
 * Feeds the projections from the event store's subscription. Events are applied in
 * transactions of up to MAX_BATCH (CATCH_UP_BATCH until the first catch-up is done), each
 * committing the read models with their checkpoints; a batch ends when the subscription has
 * nothing more ready, so live events commit at once and a rebuild commits in large batches.
 */
export class Projector {
  private subscription: Subscription | undefined;
  private checkpoints = new Map<string, Position>();
  private position: Position = START;
  private applied = 0;
  private waiters: { position: Position; resolve: () => void }[] = [];
  private tx: Transaction | undefined;
  private flushTimer: NodeJS.Immediate | undefined;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private failure: unknown;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Which subscription is current: a failure bumps it, so the failed one's late deliveries and reports are ignored. */
  private generation = 0;
  private stopped = false;
  private running = false;
  /** Changes at or before this position are not logged: already in the log (after a rebuild), or too old to be replayed. */
  private logAfter: Position = START;
  /** The change log's new horizon, written with the first commit of a catch-up that leaves changes unlogged. */
  private horizonToRecord: Position | null = null;
  /** Projections replayed from the start of the log into empty tables until the first catch-up (ProjectionBatch.rebuilding). */
  private readonly rebuilding = new Set<string>();
  private caughtUpResolve!: () => void;
  /** Resolves once the projections have reached the head that was current when `start` was called. */
  readonly caughtUp: Promise<void> = new Promise((resolve) => (this.caughtUpResolve = resolve));
  private reachedStartHead = false;

  /** Whether the projections have reached the head that was current when they (last) started. */
  get isCaughtUp(): boolean {
    return this.reachedStartHead;
  }

  private markCaughtUp(): void {
    this.reachedStartHead = true;
    this.caughtUpResolve();
  }

  constructor(private readonly options: ProjectorOptions) {}

  get currentPosition(): Position {
    return this.position;
  }

  /** Runs `fn` on a connection of its own, holding the schema lock. */
  private async withSchemaLock(fn: (client: PoolClient) => Promise<void>): Promise<void> {
    const client = await this.options.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
      await fn(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]).catch(() => undefined);
      client.release();
    }
  }

  async migrate(): Promise<void> {
    await this.withSchemaLock(async (client) => {
      await client.query('CREATE SCHEMA IF NOT EXISTS read_models');
      await client.query(`CREATE TABLE IF NOT EXISTS read_models.checkpoints (
        projection text PRIMARY KEY, version integer NOT NULL, commit_position bigint NOT NULL, prepare_position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ projection: string; version: number }>('SELECT projection, version FROM read_models.checkpoints');
      const stored = new Map(rows.map((r) => [r.projection, r.version]));
      await migrateChangeLog(client);
      for (const projection of this.options.projections) {
        const version = stored.get(projection.name);
        if (version !== undefined && version !== projection.version) {
          // Its tables changed shape: drop them and replay this projection from the start.
          this.options.log?.(`read model ${projection.name}: version ${version} → ${projection.version}, rebuilding it from the log`);
          if (projection.tables.length) await client.query(`DROP TABLE IF EXISTS ${projection.tables.join(', ')} CASCADE`);
          await client.query('DELETE FROM read_models.checkpoints WHERE projection = $1', [projection.name]);
        }
        await projection.migrate(client);
      }
    });
  }

  async loadCheckpoints(): Promise<void> {
    const { rows } = await this.options.pool.query<{ projection: string; commit_position: string; prepare_position: string }>(
      'SELECT projection, commit_position, prepare_position FROM read_models.checkpoints',
    );
    const stored = new Map(rows.map((r) => [r.projection, { commit: BigInt(r.commit_position), prepare: BigInt(r.prepare_position) }]));
    this.checkpoints = new Map(this.options.projections.map((p) => [p.name, stored.get(p.name) ?? START]));
    const all = [...this.checkpoints.values()];
    this.position = all.length ? all.reduce((min, p) => (comparePositions(p, min) < 0 ? p : min)) : START;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.running = true;
    this.reachedStartHead = false;
    await this.migrate();
    await this.loadCheckpoints();
    await this.planChangeLog();
    const head = await this.options.store.headPosition();
    this.rebuilding.clear();
    if (comparePositions(this.position, head) >= 0) this.markCaughtUp();
    else await this.startRebuild();
    this.subscribe(head);
  }

  /**
   * Before a catch-up: the projections that start from the start of the log with empty tables
   * (a rebuild, a first start, a new version) are replayed as `rebuilding`, and their deferred
   * indexes are dropped, to be built once at the end (`finishRebuild`). A process that stops
   * before then gets them back from `migrate` at its next start.
   */
  private async startRebuild(): Promise<void> {
    const fromStart = this.options.projections.filter((p) => comparePositions(this.checkpoints.get(p.name) ?? START, START) === 0);
    await this.withSchemaLock(async (client) => {
      for (const projection of fromStart) {
        // The checkpoint moves with the rows, so these tables are empty; checked anyway, as COPY of a row that exists would wedge the projector.
        if (projection.tables.length) {
          const { rows } = await client.query<{ empty: boolean }>(
            `SELECT ${projection.tables.map((t) => `NOT EXISTS (SELECT FROM ${t})`).join(' AND ')} AS empty`,
          );
          if (!rows[0].empty) continue;
        }
        this.rebuilding.add(projection.name);
        if (projection.deferredIndexes?.length) await client.query(`DROP INDEX IF EXISTS ${projection.deferredIndexes.join(', ')}`);
        for (const { table, name } of projection.deferredConstraints ?? []) await client.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${name}`);
      }
    });
  }

  /** Once a catch-up reached the head: the rebuilt projections' deferred indexes and constraints are built (by their `migrate`), and they are applied like the others from then on. */
  private async finishRebuild(): Promise<void> {
    if (this.rebuilding.size === 0) return;
    await this.flush(); // nothing open: the batch of a transaction reads `rebuilding`
    const rebuilt = this.options.projections.filter((p) => this.rebuilding.has(p.name) && (p.deferredIndexes?.length || p.deferredConstraints?.length));
    if (rebuilt.length) {
      const started = Date.now();
      await this.withSchemaLock(async (client) => {
        for (const projection of rebuilt) await projection.migrate(client);
      });
      this.options.log?.(`read models rebuilt from the start: their deferred indexes and constraints built in ${Date.now() - started} ms`);
    }
    this.rebuilding.clear();
  }

  /**
   * Which changes this run logs. Changes up to the log's head are there already (a rebuild that
   * kept the log). Of the rest, a catch-up logs only those of the last `changeLogWindow` events
   * before the head: a client resuming from before them would miss more changes than are ever
   * replayed (CHANGE_REPLAY_LIMIT) and re-query anyway, so logging them is pure cost (a rebuild
   * from an empty schema would write a million). The horizon moves to the cutoff, so a resume from
   * before it is told to resync instead of getting a partial replay. An instance that restarts a
   * few hundred events behind is inside the window: it logs everything, and clients replay.
   */
  private async planChangeLog(): Promise<void> {
    const logHead = (await changeLogHead(this.options.pool)) ?? START;
    const cutoff = await this.options.store.positionBeforeHead(this.options.changeLogWindow ?? CHANGE_REPLAY_LIMIT);
    const skipsUnlogged = comparePositions(cutoff, logHead) > 0 && comparePositions(cutoff, this.position) > 0;
    this.logAfter = comparePositions(cutoff, logHead) > 0 ? cutoff : logHead;
    this.horizonToRecord = skipsUnlogged ? cutoff : null;
    if (skipsUnlogged) this.options.log?.(`change log: catching up from far behind, changes up to ${formatPosition(cutoff)} are not logged`);
  }

  private subscribe(head: Position): void {
    const generation = ++this.generation;
    this.subscription = this.options.store.subscribeToAll((event) => this.enqueue(event, generation), {
      after: this.position,
      onCaughtUp: () => {
        if (generation !== this.generation) return;
        // Commit what the catch-up applied, and build what a rebuild deferred, before saying so.
        this.enqueueTask(async () => {
          await this.flush();
          if (comparePositions(this.position, head) < 0) return;
          await this.finishRebuild();
          this.markCaughtUp();
        }).catch((error: unknown) => this.onFailure(error, generation));
      },
    });
    this.subscription.done.catch((error: unknown) => this.onFailure(error, generation));
  }

  /** Restarts from the checkpoints after a failed apply, flush or read; once per subscription, however many of its paths report it. */
  private onFailure(error: unknown, generation: number): void {
    if (this.stopped || generation !== this.generation) return;
    this.generation++; // events the failed subscription still delivers are dropped (see enqueue)
    this.failure = error;
    this.options.log?.(`projector stopped on an error, restarting from the checkpoint in 1 s: ${error instanceof Error ? error.message : String(error)}`);
    void this.subscription?.stop().catch(() => undefined);
    // The failed apply/flush left the queue rejected; without this every later enqueue rejects at once and the restart never applies anything.
    this.queue = this.queue.catch(() => undefined);
    void this.rollback();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopped) return;
      const restart = this.generation;
      void this.loadCheckpoints()
        .then(async () => this.subscribe(await this.options.store.headPosition()))
        .catch((e: unknown) => this.onFailure(e, restart));
    }, 1000);
  }

  /**
   * Queues an event. The subscription may read ahead while the queue is applied (its next read
   * overlaps PostgreSQL's work on this batch): only when READ_AHEAD events wait does it wait too.
   */
  private enqueue(event: RecordedEvent, generation: number): Promise<void> {
    // After a failure the subscription is being stopped; what it still delivers is applied again after the restart.
    if (generation !== this.generation) return Promise.resolve();
    this.pending++;
    const applied = this.queue.then(() => this.apply(event));
    this.queue = applied.finally(() => void this.pending--);
    if (this.pending >= READ_AHEAD) return this.queue;
    applied.catch((error: unknown) => this.onFailure(error, generation));
    return Promise.resolve();
  }

  private enqueueTask(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task);
    return this.queue;
  }

  private enqueueFlush(): Promise<void> {
    return this.enqueueTask(() => this.flush());
  }

  private async apply(event: RecordedEvent): Promise<void> {
    if (!this.tx) {
      const client = await this.options.pool.connect();
      try {
        // Read models are derived from the log: a commit lost in a server crash is applied again from the checkpoint, which
        // moved back with it, so the projector need not wait for its WAL flush (one fsync per batch less). It never
        // appends events, and says so: the event store's readers need not wait for this transaction to end (ADR 0003).
        await client.query(`BEGIN; SET LOCAL synchronous_commit = off; SET LOCAL application_name = '${NON_APPENDING_APPLICATION_NAME}'`);
      } catch (error) {
        client.release();
        throw error;
      }
      this.tx = openTransaction(client, this.position, this.rebuilding);
    }
    const tx = this.tx;
    for (const projection of this.options.projections) {
      const checkpoint = this.checkpoints.get(projection.name) ?? START;
      if (comparePositions(event.position, checkpoint) <= 0) continue; // already in this read model
      tx.changes.push(...(await projection.apply(event, tx.client, tx.batch)));
    }
    tx.count += 1;
    tx.last = event.position;
    if (tx.count >= (this.options.maxBatch ?? (this.reachedStartHead ? MAX_BATCH : CATCH_UP_BATCH))) {
      await this.flush();
    } else if (!this.flushTimer) {
      // Commit once the subscription stops handing over events synchronously (end of its batch).
      this.flushTimer = setImmediate(() => {
        this.flushTimer = undefined;
        if (this.pending > 0) return; // the next event is being applied: it re-arms the timer when done
        const generation = this.generation;
        void this.enqueueFlush().catch((error: unknown) => this.onFailure(error, generation));
      });
    }
  }

  private async flush(): Promise<void> {
    const tx = this.tx;
    if (!tx) return;
    this.tx = undefined;
    let logged: LoggedChange[];
    let movedHorizon: Position | null = null;
    try {
      await tx.batch.flushAll();
      const advanced = this.options.projections.filter((p) => comparePositions(tx.last, this.checkpoints.get(p.name) ?? START) > 0);
      const logAfter = this.logAfter;
      const toLog = comparePositions(tx.last, logAfter) > 0 ? tx.changes.filter((c) => comparePositions(parsePosition(c.position), logAfter) > 0) : [];
      // Every commit is announced: recordChanges announces the last `seq` it logged, and a commit
      // that logs nothing (an activity row has no change) announces COMMIT_WITHOUT_CHANGES, so
      // that other processes still drop their read caches (ADR 0020).
      await tx.client.query(
        `WITH saved AS (
           INSERT INTO read_models.checkpoints (projection, version, commit_position, prepare_position, updated_at)
           SELECT name, version, $3, $4, now() FROM unnest($1::text[], $2::int[]) AS p(name, version)
           ON CONFLICT (projection) DO UPDATE SET version = excluded.version, commit_position = excluded.commit_position,
             prepare_position = excluded.prepare_position, updated_at = now())
         SELECT CASE WHEN $5 THEN pg_notify('${CHANGES_CHANNEL}', '${COMMIT_WITHOUT_CHANGES}') END`,
        [advanced.map((p) => p.name), advanced.map((p) => p.version), tx.last.commit.toString(), tx.last.prepare.toString(), toLog.length === 0],
      );
      const horizon = this.horizonToRecord;
      if (horizon) await advanceChangeLogHorizon(tx.client, horizon);
      logged = await recordChanges(tx.client, toLog);
      await tx.client.query('COMMIT');
      if (horizon) {
        this.horizonToRecord = null;
        movedHorizon = horizon;
      }
    } catch (error) {
      await tx.client.query('ROLLBACK').catch(() => undefined);
      tx.client.release();
      throw error;
    }
    tx.client.release();
    for (const name of this.checkpoints.keys()) {
      if (comparePositions(tx.last, this.checkpoints.get(name)!) > 0) this.checkpoints.set(name, tx.last);
    }
    this.position = tx.last;
    this.applied += tx.count;
    this.failure = undefined;
    this.options.onCommit?.(tx.last);
    if (movedHorizon) this.options.horizonMoved?.(movedHorizon);
    if (logged.length) this.options.logged?.(logged);
    if (tx.changes.length) this.options.publish?.(tx.changes);
    this.options.onProgress?.(this.position, this.applied);
    this.waiters = this.waiters.filter((w) => (comparePositions(this.position, w.position) >= 0 ? (w.resolve(), false) : true));
  }

  private async rollback(): Promise<void> {
    const tx = this.tx;
    this.tx = undefined;
    if (!tx) return;
    await tx.client.query('ROLLBACK').catch(() => undefined);
    tx.client.release();
  }

  /**
   * Read-your-writes: resolves when every read model has committed `position`. In a process
   * that does not run the projections (scaled-out api), it polls their stored checkpoints.
   */
  waitFor(position: Position, timeoutMs = 10_000): Promise<void> {
    if (comparePositions(this.position, position) >= 0) return Promise.resolve();
    if (!this.running) return this.pollCheckpoints(position, timeoutMs);
    return new Promise((resolve, reject) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new ProjectionTimeoutError(position, timeoutMs));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private async pollCheckpoints(position: Position, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      await this.loadCheckpoints();
      if (comparePositions(this.position, position) >= 0) return;
      if (Date.now() + delay > deadline) throw new ProjectionTimeoutError(position, timeoutMs);
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  /** Whether the last attempt failed (for /health/ready). */
  get healthy(): boolean {
    return this.failure === undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.subscription?.stop();
    if (this.flushTimer) {
      clearImmediate(this.flushTimer);
      this.flushTimer = undefined;
    }
    await this.enqueueFlush().catch(() => undefined);
    await this.rollback();
  }

  /** Empties every read model and its checkpoint, in one transaction. Run with the projector stopped. */
  async reset(): Promise<void> {
    await this.migrate();
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      for (const projection of this.options.projections) {
        if (projection.tables.length) await client.query(`TRUNCATE ${projection.tables.join(', ')}`);
      }
      await client.query('DELETE FROM read_models.checkpoints WHERE projection = ANY($1::text[])', [this.options.projections.map((p) => p.name)]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
