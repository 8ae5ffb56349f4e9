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
  /** Applies one event; returns the changes to announce. Events it does not know are ignored. */
  apply(event: RecordedEvent, db: PoolClient): Promise<readonly ReadModelChange[]>;
}
