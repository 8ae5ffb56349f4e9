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
 * Writes a projection defers to the end of the projector's transaction, so that the rows of a
 * whole batch of events go in one statement instead of one round trip per event (a rebuild
 * replays a million events). They are written before the checkpoints, in the same transaction:
 * the read model and its checkpoint still move together. Only for rows that no `apply` reads
 * back within the batch (they are not in the table until the end).
 */
export interface ProjectionBatch {
  /** The rows buffered under `key` in this transaction; `write` sends them (once, at its end, if there are any). */
  rows<T>(key: string, write: (db: PoolClient, rows: readonly T[]) => Promise<void>): T[];
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
   * Applies one event; returns the changes to announce. Events it does not know are ignored.
   * `batch`, given by the projector, lets it defer rows to the end of the transaction; without
   * it (a direct call) everything is written at once.
   */
  apply(event: RecordedEvent, db: PoolClient, batch?: ProjectionBatch): Promise<readonly ReadModelChange[]>;
}
