import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@kyogi/event-store/port';

/** What changed in a read model, published to live clients only after the commit. */
export interface ReadModelChange {
  /** The kind of entity, also the live room prefix: `organisation`, `proposal`, … */
  readonly entity: string;
  readonly id: string;
  /** The event type that caused it. */
  readonly change: string;
  /** Global position (formatted) of that event: a client that re-queries sees at least this. */
  readonly position: string;
  /** Extra routing keys for subscriptions (e.g. the prefecture of a municipality). */
  readonly scope: Readonly<Record<string, string | null>>;
}

/**
 * Work a projection defers to the end of the projector's transaction, so that a batch of events
 * costs a few multi-row statements instead of a round trip per event (a rebuild replays a
 * million events). Deferred work is written before the checkpoints, in the same transaction: the
 * read model and its checkpoint still move together, and a rollback drops it with the rest.
 *
 * A projection that defers writes must see its own pending state before the database: it keeps
 * what it wrote in the pending state and reads the database only for what is not there, and it
 * calls `flush` before any immediate statement on the tables it defers. Tables another projection
 * reads inside `apply` are never deferred (the reader would not see the rows).
 */
export interface ProjectionBatch {
  /** The rows buffered under `key` in this transaction; `write` sends them (once, at its end, if there are any). */
  rows<T>(key: string, write: (db: PoolClient, rows: readonly T[]) => Promise<void>): T[];
  /**
   * This transaction's pending state under `key`, made by `create` on first use; `write` sends it
   * at the end of the transaction or at `flush(key)`, whichever comes first.
   */
  pending<T>(key: string, create: () => T, write: (db: PoolClient, state: T) => Promise<void>): T;
  /** Writes the pending state under `key` now and forgets it (the next `pending` starts afresh). */
  flush(key: string): Promise<void>;
  /**
   * Whether the projection named `projection` is being replayed from the start of the log into
   * the empty tables it had when the projector started, and has not caught up yet (a rebuild, a
   * first start). Each event is applied once, so a row keyed by an event it applies now is new:
   * such rows may go in with COPY, without ON CONFLICT.
   */
  rebuilding(projection: string): boolean;
}

/**
 * For an `apply` called without the projector's batch (a direct call): `fn` gets a batch of its
 * own, and whatever it deferred is written before `withBatch` returns.
 */
export async function withBatch<R>(db: PoolClient, batch: ProjectionBatch | undefined, fn: (batch: ProjectionBatch) => Promise<R>): Promise<R> {
  if (batch) return fn(batch);
  const own = transactionBatch(db, NOT_REBUILDING);
  const result = await fn(own);
  await own.flushAll();
  return result;
}

const NOT_REBUILDING: ReadonlySet<string> = new Set();

/**
 * The projector's batch for one transaction on `db`; `flushAll` writes every pending state in the
 * order it was first used. `rebuilding`: the projections being replayed from the start into empty tables.
 */
export function transactionBatch(db: PoolClient, rebuilding: ReadonlySet<string>): ProjectionBatch & { flushAll(): Promise<void> } {
  const pending = new Map<string, { readonly state: unknown; readonly write: (db: PoolClient, state: unknown) => Promise<void> }>();
  const batch = {
    pending<T>(key: string, create: () => T, write: (db: PoolClient, state: T) => Promise<void>): T {
      let entry = pending.get(key);
      if (!entry) {
        entry = { state: create(), write: write as (db: PoolClient, state: unknown) => Promise<void> };
        pending.set(key, entry);
      }
      return entry.state as T;
    },
    rows<T>(key: string, write: (db: PoolClient, rows: readonly T[]) => Promise<void>): T[] {
      return batch.pending<T[]>(
        key,
        () => [],
        async (client, rows) => {
          if (rows.length) await write(client, rows);
        },
      );
    },
    async flush(key: string): Promise<void> {
      const entry = pending.get(key);
      if (!entry) return;
      pending.delete(key);
      await entry.write(db, entry.state);
    },
    rebuilding(projection: string): boolean {
      return rebuilding.has(projection);
    },
    async flushAll(): Promise<void> {
      for (const key of [...pending.keys()]) await batch.flush(key);
    },
  };
  return batch;
}

/** A named constraint of a table (schema-qualified). */
export interface DeferredConstraint {
  readonly table: string;
  readonly name: string;
}

/**
 * A projection into SQL tables. `apply` runs inside the projector's transaction, together with
 * the checkpoint update, so a read model is never ahead of or behind its checkpoint.
 */
export interface Projection {
  readonly name: string;
  /** Bump when the tables change shape: the projector then drops them and rebuilds this projection from the log. */
  readonly version: number;
  /** Tables it owns, emptied by a rebuild, dropped when the version changes. */
  readonly tables: readonly string[];
  /** Creates its tables idempotently. */
  migrate(db: PoolClient): Promise<void>;
  /**
   * Secondary indexes (names, schema-qualified) cheaper to build once than row by row: the
   * projector drops them before it replays this projection from the start of the log into empty
   * tables, and runs `migrate` again (which must create them) once that replay reached the head,
   * before it reports caught up. Only indexes that `apply` does not need.
   */
  readonly deferredIndexes?: readonly string[];
  /**
   * Constraints checked cheaper once than row by row (a foreign key checks each row's parent; a
   * primary key maintains its index): dropped and added back like `deferredIndexes`, so `migrate`
   * must add them when they are missing (`addConstraintsIfMissing`). Only constraints that no
   * statement of `apply` needs while the projection is `rebuilding` (no ON CONFLICT on that key),
   * and never a key another table's foreign key references.
   */
  readonly deferredConstraints?: readonly DeferredConstraint[];
  /**
   * Applies one event; returns the changes to announce. Events it does not know are ignored.
   * `batch`, given by the projector, lets it defer rows to the end of the transaction; without
   * it (a direct call) everything is written at once.
   */
  apply(event: RecordedEvent, db: PoolClient, batch?: ProjectionBatch): Promise<readonly ReadModelChange[]>;
}
