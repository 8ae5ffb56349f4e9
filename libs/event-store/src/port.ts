/**
 * The event store port. Every adapter (embedded PostgreSQL, external PostgreSQL, EventStoreDB)
 * implements it and passes the one contract suite in contract/.
 */

/** Expected revision of a stream before an append. Revisions start at 0 for the first event. */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | bigint;

/**
 * A place in the global order. Two numbers, as in EventStoreDB: for PostgreSQL `commit` is the
 * appending transaction's id and `prepare` the row's sequence number, and the global order is
 * (commit, prepare). `START` is before every event.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}
export const START: Position = Object.freeze({ commit: -1n, prepare: -1n });

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** A position as one opaque string for clients (`<commit>.<prepare>`, both zero-padded hex so strings sort like positions). */
export function formatPosition(p: Position): string {
  if (p.commit < 0n) return 'start';
  return `${p.commit.toString(16).padStart(16, '0')}.${p.prepare.toString(16).padStart(16, '0')}`;
}

export function parsePosition(text: string): Position {
  if (text === 'start') return START;
  const match = /^([0-9a-f]{16})\.([0-9a-f]{16})$/.exec(text);
  if (!match) throw new InvalidPositionError(text);
  return { commit: BigInt(`0x${match[1]}`), prepare: BigInt(`0x${match[2]}`) };
}

/** Who did it and why: stored with every event. */
export interface EventMetadata {
  readonly actor: {
    readonly personId: string;
    readonly organisationId: string;
    readonly roles: readonly string[];
  };
  readonly correlationId: string;
  readonly causationId: string;
  /** ISO-8601 time the command was decided, from the injected clock. */
  readonly occurredAt: string;
  readonly schemaVersion: number;
}

/** An event to append. `id` is a UUID derived from the command id so that a retry is idempotent. */
export interface EventToAppend {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  readonly position: Position;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
  /** SHA-256 (hex) over the canonical content and `previousHash`; see hash-chain.ts. */
  readonly hash: string;
  /** The hash of the event before it in its stream, or null for revision 0. */
  readonly previousHash: string | null;
  /** When the store recorded it. */
  readonly recordedAt: Date;
}

export interface AppendResult {
  /** The revision of the last event now in the stream: pass it as the next expected revision. */
  readonly nextExpectedRevision: bigint;
  /** The position of the last appended event. */
  readonly position: Position;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Start at this revision (inclusive). Default: the first (forwards) or the last (backwards). */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events after this position (exclusive). Default: START. */
  readonly after?: Position;
  readonly maxCount?: number;
}

export interface SubscriptionHandler {
  /** Called once per event, in global order; the next is not delivered until it resolves. */
  (event: RecordedEvent): Promise<void>;
}

export interface Subscription {
  /** Stops delivery; resolves once no handler call is running. */
  stop(): Promise<void>;
  /** Resolves when the subscription stops because of an error (rejects with it) or `stop()`. */
  readonly done: Promise<void>;
}

export interface SubscribeOptions {
  /** Deliver events after this position (exclusive), e.g. the stored checkpoint. */
  readonly after: Position;
  /** Called when the catch-up has reached the head that was current when it started. */
  readonly onCaughtUp?: () => void;
}

export interface EventStore {
  /** Which adapter this is, for logs and the contract suite's report. */
  readonly name: string;
  appendToStream(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream; an empty list when the stream does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of all streams in global order after a position. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The position of the last event in the global order (START when there is none). */
  headPosition(): Promise<Position>;
  /**
   * The position of the event `count` events before the last one in the global order (0: the
   * head itself); START when the log holds `count` events or fewer.
   */
  positionBeforeHead(count: number): Promise<Position>;
  /** Catch up from `after`, then stay live, delivering each event once and in order. */
  subscribeToAll(handler: SubscriptionHandler, options: SubscribeOptions): Subscription;
  close(): Promise<void>;
}

// ---- typed errors -------------------------------------------------------------------------

export class EventStoreError extends Error {}

export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_REVISION' as const;
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** The stream's revision when the append was tried; 'no_stream' when it does not exist. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** Some, but not all, of an append's event ids are already stored: not a retry of one append. */
export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT_ID' as const;
  constructor(
    readonly streamName: string,
    readonly eventIds: readonly string[],
  ) {
    super(`Stream ${streamName}: event ids already stored by another append: ${eventIds.join(', ')}`);
    this.name = 'DuplicateEventIdError';
  }
}

export class InvalidPositionError extends EventStoreError {
  readonly code = 'INVALID_POSITION' as const;
  constructor(readonly text: string) {
    super(`Not a position: ${JSON.stringify(text)} (expected "start" or "<16 hex>.<16 hex>")`);
    this.name = 'InvalidPositionError';
  }
}

export class InvalidStreamNameError extends EventStoreError {
  readonly code = 'INVALID_STREAM_NAME' as const;
  constructor(readonly streamName: string) {
    super(`Not a stream name: ${JSON.stringify(streamName)} (expected "<Category>-<id>", no "$" at the start)`);
    this.name = 'InvalidStreamNameError';
  }
}

const STREAM_NAME = /^[A-Z][A-Za-z0-9]*-[A-Za-z0-9_.:-]{1,200}$/;
export function assertStreamName(name: string): void {
  if (!isStreamName(name)) throw new InvalidStreamNameError(name);
}

/** Whether `name` is `<Category>-<id>` with an id of 1–200 of A–Z a–z 0–9 _ . : - */
export function isStreamName(name: string): boolean {
  return STREAM_NAME.test(name);
}
