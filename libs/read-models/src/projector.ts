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
import type { Projection, ProjectionBatch, ReadModelChange } from './projection';
import { changeLogHead, migrateChangeLog, recordChanges } from './change-log';

const MAX_BATCH = 500;

export interface ProjectorOptions {
  readonly store: EventStore;
  readonly pool: Pool;
  readonly projections: readonly Projection[];
  /** Called after each commit with what changed. */
  readonly publish?: (changes: readonly ReadModelChange[]) => void;
  readonly log?: (message: string) => void;
  /** Called as events are applied (for progress bars). */
  readonly onProgress?: (position: Position, applied: number) => void;
}

/** The projector's open transaction: what it applied so far, and the rows the projections deferred to its end. */
interface Transaction {
  readonly client: PoolClient;
  readonly changes: ReadModelChange[];
  count: number;
  last: Position;
  readonly deferred: Map<string, { readonly rows: unknown[]; readonly write: (db: PoolClient, rows: readonly unknown[]) => Promise<void> }>;
  readonly batch: ProjectionBatch;
}

function openTransaction(client: PoolClient, last: Position): Transaction {
  const deferred: Transaction['deferred'] = new Map();
  const batch: ProjectionBatch = {
    rows<T>(key: string, write: (db: PoolClient, rows: readonly T[]) => Promise<void>): T[] {
      let entry = deferred.get(key);
      if (!entry) {
        entry = { rows: [], write: write as (db: PoolClient, rows: readonly unknown[]) => Promise<void> };
        deferred.set(key, entry);
      }
      return entry.rows as T[];
    },
  };
  return { client, changes: [], count: 0, last, deferred, batch };
}

export class ProjectionTimeoutError extends Error {
  readonly code = 'READ_MODEL_TIMEOUT' as const;
  constructor(position: Position, ms: number) {
    super(`The read models did not reach position ${formatPosition(position)} within ${ms} ms`);
  }
}

/**
 * Feeds the projections from the event store's subscription. Events are applied in
 * transactions of up to MAX_BATCH, each committing the read models with their checkpoints;
 * a batch ends when the subscription has nothing more ready, so live events commit at once and
 * a rebuild commits in large batches.
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
  private stopped = false;
  private running = false;
  /** Changes up to here are already in the change log (after a rebuild they are not logged again). */
  private logHead: Position | null = null;
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

  async migrate(): Promise<void> {
    const client = await this.options.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(7420012)');
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
    } finally {
      await client.query('SELECT pg_advisory_unlock(7420012)').catch(() => undefined);
      client.release();
    }
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
    this.logHead = await changeLogHead(this.options.pool);
    const head = await this.options.store.headPosition();
    if (comparePositions(this.position, head) >= 0) this.markCaughtUp();
    this.subscribe(head);
  }

  private subscribe(head: Position): void {
    this.subscription = this.options.store.subscribeToAll((event) => this.enqueue(event), {
      after: this.position,
      onCaughtUp: () => {
        // Commit what the catch-up applied before saying so.
        this.enqueueFlush().then(
          () => {
            if (comparePositions(this.position, head) >= 0) this.markCaughtUp();
          },
          () => undefined, // the subscription's own failure path restarts it
        );
      },
    });
    this.subscription.done.catch((error: unknown) => this.onFailure(error));
  }

  private onFailure(error: unknown): void {
    if (this.stopped) return;
    this.failure = error;
    this.options.log?.(`projector stopped on an error, restarting from the checkpoint in 1 s: ${error instanceof Error ? error.message : String(error)}`);
    // The failed apply/flush left the queue rejected; without this every later enqueue rejects at once and the restart never applies anything.
    this.queue = this.queue.catch(() => undefined);
    void this.rollback();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopped) return;
      void this.loadCheckpoints()
        .then(async () => this.subscribe(await this.options.store.headPosition()))
        .catch((e: unknown) => this.onFailure(e));
    }, 1000);
  }

  private enqueue(event: RecordedEvent): Promise<void> {
    this.pending++;
    this.queue = this.queue.then(() => this.apply(event)).finally(() => void this.pending--);
    return this.queue;
  }

  private enqueueFlush(): Promise<void> {
    this.queue = this.queue.then(() => this.flush());
    return this.queue;
  }

  private async apply(event: RecordedEvent): Promise<void> {
    if (!this.tx) {
      const client = await this.options.pool.connect();
      try {
        await client.query('BEGIN');
      } catch (error) {
        client.release();
        throw error;
      }
      this.tx = openTransaction(client, this.position);
    }
    const tx = this.tx;
    for (const projection of this.options.projections) {
      const checkpoint = this.checkpoints.get(projection.name) ?? START;
      if (comparePositions(event.position, checkpoint) <= 0) continue; // already in this read model
      tx.changes.push(...(await projection.apply(event, tx.client, tx.batch)));
    }
    tx.count += 1;
    tx.last = event.position;
    if (tx.count >= MAX_BATCH) {
      await this.flush();
    } else if (!this.flushTimer) {
      // Commit once the subscription stops handing over events synchronously (end of its batch).
      this.flushTimer = setImmediate(() => {
        this.flushTimer = undefined;
        if (this.pending > 0) return; // the next event is being applied: it re-arms the timer when done
        void this.enqueueFlush().catch(() => undefined);
      });
    }
  }

  private async flush(): Promise<void> {
    const tx = this.tx;
    if (!tx) return;
    this.tx = undefined;
    try {
      for (const { rows, write } of tx.deferred.values()) if (rows.length) await write(tx.client, rows);
      const advanced = this.options.projections.filter((p) => comparePositions(tx.last, this.checkpoints.get(p.name) ?? START) > 0);
      await tx.client.query(
        `INSERT INTO read_models.checkpoints (projection, version, commit_position, prepare_position, updated_at)
         SELECT name, version, $3, $4, now() FROM unnest($1::text[], $2::int[]) AS p(name, version)
         ON CONFLICT (projection) DO UPDATE SET version = excluded.version, commit_position = excluded.commit_position,
           prepare_position = excluded.prepare_position, updated_at = now()`,
        [advanced.map((p) => p.name), advanced.map((p) => p.version), tx.last.commit.toString(), tx.last.prepare.toString()],
      );
      const logHead = this.logHead;
      await recordChanges(tx.client, logHead ? tx.changes.filter((c) => comparePositions(parsePosition(c.position), logHead) > 0) : tx.changes);
      await tx.client.query('COMMIT');
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
