/**
 * The EventStore port on EventStoreDB (gRPC client `@eventstore/db-client` 6.x, server 22.10 or later).
 *
 * Hash chain
 *   EventStoreDB knows nothing of our hash chain, so the adapter keeps it: before an append it reads
 *   the stream's last event (backwards), takes its revision and hash, computes each new event's
 *   `previousHash`/`hash` with `eventHash` for the revisions the events will get, and stores both in
 *   the event's ESDB metadata under `kyogiChain` (see eventstoredb.mapping.ts). The append is then
 *   sent with the exact revision that was read — also for 'any' and 'stream_exists' — so it only
 *   succeeds if nobody wrote in between, and the revisions hashed are the revisions stored. An
 *   'any' / 'stream_exists' append that loses that race is read and tried again (a few times), since
 *   its caller did not ask for a particular revision. The returned position is read back from the
 *   stored last event (one more read), so it equals the position every read reports.
 *
 * Idempotency (event ids derive from command ids, so the same ids mean the same append)
 *   Before appending, the adapter reads back what is already there:
 *   1. the stream's last N events (N = events in the append; the same read that gives the chain
 *      head): if their ids are the append's ids, in order, it is a retry after success and the
 *      original result is returned from the stored events, without writing;
 *   2. for an exact expected revision (a bigint or 'no_stream') that the stream has moved past, the
 *      N events right after that revision: same ids → the original result; some of them →
 *      DuplicateEventIdError; none → WrongExpectedRevisionError;
 *   3. if some of the ids appear among the last N events without being a retry of (1), the whole
 *      stream is scanned once: the ids found together and in order → the original result, otherwise
 *      DuplicateEventIdError.
 *   Two identical appends racing between the read and the write: EventStoreDB's own check (same
 *   ids at the same expected revision succeed without a second write) or, if the loser gets a
 *   wrong-expected-version instead, one more look with (1)/(2) returns the winner's result.
 *   Not covered: ids stored earlier in the stream than the last N events when the append is 'any',
 *   'stream_exists' or names the current revision (they would be stored again), and the same ids in
 *   another stream; EventStoreDB has no unique index over event ids.
 *
 * Reads map only events this adapter wrote: readAll and headPosition skip system events (`$` types
 * or streams) and events without the `kyogiChain` metadata, so headPosition is the position of the
 * last event readAll would return. readStream of a stream holding foreign events throws
 * EsdbMappingError. Stream names are checked with assertStreamName on reads too.
 *
 * Subscriptions catch up from an exclusive position with the `excludeSystemEvents` filter and
 * deliver one event at a time through the subscription's async iterator.
 *
 * In a cluster (ADR 0017)
 *   The client does not resubscribe by itself: when the leader changes or a node goes away, the
 *   subscription's stream fails (NotLeaderError, UnavailableError, …) or just ends. The adapter
 *   then subscribes again, after a back-off, from the position of the last event it handled, so
 *   nothing is skipped or handled twice; only errors that say "try again" (isTransientEsdbError)
 *   do this, a bounded number of times in a row (reset by every event received), and an error of
 *   the handler itself never does. Past that, `done` rejects and the caller (the Projector)
 *   restarts from its checkpoint. Appends that fail with such an error are retried the same way:
 *   safe, because an append is idempotent by event ids (above) — a retry after a lost answer
 *   finds its events stored and returns the original result.
 */
import {
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  FORWARDS,
  NO_STREAM,
  START as ESDB_START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type Direction,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { eventHash } from '../hash-chain';
import {
  DuplicateEventIdError,
  START,
  WrongExpectedRevisionError,
  assertStreamName,
  comparePositions,
  formatPosition,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionHandler,
} from '../port';
import {
  fromEsdbCurrentRevision,
  fromEsdbPosition,
  fromEsdbWrongExpectedVersion,
  isKyogiEvent,
  isStreamNotFoundError,
  isValidEsdbPosition,
  isWrongExpectedVersionError,
  normaliseEventId,
  toEsdbEventData,
  toEsdbExpectedRevision,
  toEsdbPosition,
  toEsdbReadPosition,
  toRecordedEvent,
} from './eventstoredb.mapping';

/** The part of EventStoreDBClient this adapter uses (a real client satisfies it). */
export type EsdbClient = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'>;

export interface EventStoreDbEventStoreOptions {
  /** Tries for an 'any' / 'stream_exists' append that loses a race with another writer. Default 5. */
  readonly maxAppendAttempts?: number;
  /** Events per page when scanning $all (readAll, headPosition). Default 500; at least 2. */
  readonly readAllPageSize?: number;
  /** Resubscribing after a transient failure (leader change, node loss): attempts in a row and back-off. */
  readonly resubscribe?: { readonly maxAttempts?: number; readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /** Retries of an append that failed with a transient error. Default 3. */
  readonly transientAppendRetries?: number;
  readonly log?: (message: string) => void;
}

/**
 * Errors after which the same call may succeed if made again: the node is not the leader (any
 * more), is unreachable, or the call was cut off. Everything else (access denied, bad argument,
 * a deleted stream, …) would fail again the same way.
 */
export function isTransientEsdbError(error: unknown): boolean {
  return (
    error instanceof NotLeaderError ||
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError ||
    error instanceof UnknownError ||
    error instanceof SubscriptionEndedError
  );
}

/** The server ended the subscription without an error (e.g. the node stepped down). */
export class SubscriptionEndedError extends Error {
  constructor() {
    super('EventStoreDB subscription to $all ended unexpectedly');
    this.name = 'SubscriptionEndedError';
  }
}

/** Wraps what the subscription handler threw: never a reason to resubscribe. */
class HandlerFailure {
  constructor(readonly cause: unknown) {}
}

/** KurrentDB's scheme names: client 6.x parses only esdb:// and esdb+discover://, which mean the same. */
export function toClientConnectionString(connectionString: string): string {
  return connectionString.trim().replace(/^kurrentdb(\+discover)?:\/\//i, (_, discover: string | undefined) => `esdb${discover ?? ''}://`);
}

/** Exponential back-off with full jitter, capped. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export const EVENTSTOREDB_ADAPTER_NAME = 'eventstoredb';

type Inspection =
  | { readonly kind: 'stored'; readonly result: AppendResult }
  | { readonly kind: 'append'; readonly current: bigint | 'no_stream'; readonly headHash: string | null };

type WriteOutcome = { readonly kind: 'written'; readonly result: AppendResult } | { readonly kind: 'raced'; readonly actual: bigint | 'no_stream' };

interface ActiveSubscription {
  stop(): Promise<void>;
}

export class EventStoreDbEventStore implements EventStore {
  readonly name = EVENTSTOREDB_ADAPTER_NAME;
  private readonly maxAppendAttempts: number;
  private readonly readAllPageSize: number;
  private readonly subscriptions = new Set<ActiveSubscription>();
  private readonly resubscribe: { readonly maxAttempts: number; readonly initialDelayMs: number; readonly maxDelayMs: number };
  private readonly transientAppendRetries: number;
  private readonly log: (message: string) => void;

  /**
   * Connects with an EventStoreDB connection string, e.g. `esdb://localhost:2113?tls=false`, or a
   * cluster's: `esdb+discover://user:pass@esdb.example:2113?tls=true&nodePreference=leader`.
   */
  static connect(connectionString: string, options?: EventStoreDbEventStoreOptions): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(toClientConnectionString(connectionString)), options);
  }

  constructor(
    private readonly client: EsdbClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.maxAppendAttempts = Math.max(1, Math.floor(options.maxAppendAttempts ?? 5));
    this.readAllPageSize = Math.max(2, Math.floor(options.readAllPageSize ?? 500));
    this.resubscribe = {
      maxAttempts: Math.max(0, Math.floor(options.resubscribe?.maxAttempts ?? 10)),
      initialDelayMs: Math.max(0, options.resubscribe?.initialDelayMs ?? 200),
      maxDelayMs: Math.max(0, options.resubscribe?.maxDelayMs ?? 5000),
    };
    this.transientAppendRetries = Math.max(0, Math.floor(options.transientAppendRetries ?? 3));
    this.log = options.log ?? (() => undefined);
  }

  // ---- append ---------------------------------------------------------------------------------

  async appendToStream(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    assertStreamName(stream);
    toEsdbExpectedRevision(expected); // validates the expected revision
    if (events.length === 0) throw new TypeError(`appendToStream(${stream}): no events to append`);
    const ids = events.map((event) => normaliseEventId(event.id));
    const repeated = [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
    if (repeated.length > 0) throw new DuplicateEventIdError(stream, repeated);

    const attempts = expected === 'any' || expected === 'stream_exists' ? this.maxAppendAttempts : 1;
    let actual: bigint | 'no_stream' = 'no_stream';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      const outcome = await this.retryingTransient(`append to ${stream}`, async () => {
        const state = await this.inspect(stream, ids, expected);
        return state.kind === 'stored' ? ({ kind: 'written', result: state.result } as const) : this.write(stream, events, ids, state);
      });
      if (outcome.kind === 'written') return outcome.result;
      actual = outcome.actual;
    }
    // Lost the last race. It may have been lost to this very append (a concurrent retry of it):
    // look once more, which also gives the typed error with the revision found now.
    const state = await this.inspect(stream, ids, expected);
    if (state.kind === 'stored') return state.result;
    throw new WrongExpectedRevisionError(stream, expected, actual);
  }

  /** Runs `attempt` again after a transient error (a leader change, a node lost), with back-off. */
  private async retryingTransient<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (!isTransientEsdbError(error) || retry >= this.transientAppendRetries) throw error;
        const delay = backoffDelay(retry + 1, this.resubscribe.initialDelayMs, this.resubscribe.maxDelayMs);
        this.log(`EventStoreDB: ${what} failed (${describeError(error)}), retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /**
   * Reads what is stored and decides: these events are already stored (a retry: the original
   * result), or they may be appended after `head`, or the append fails with a typed error.
   */
  private async inspect(stream: string, ids: readonly string[], expected: ExpectedRevision): Promise<Inspection> {
    // The stream's last N events, newest first: the chain head, and enough to recognise a retry.
    const tail = (await this.readRaw(stream, { direction: BACKWARDS, fromRevision: END, maxCount: ids.length })).map(toRecordedEvent);
    const head = tail[0];
    const current: bigint | 'no_stream' = head ? head.revision : 'no_stream';

    // (1) A retry after success: the append's events are the stream's last events.
    const tailForwards = [...tail].reverse();
    if (sameIds(tailForwards, ids)) return { kind: 'stored', result: resultOf(tailForwards) };

    // (2) An exact expected revision the stream has moved past: the original append, or a conflict.
    if (current !== 'no_stream' && (expected === 'no_stream' || (typeof expected === 'bigint' && current > expected))) {
      const from = expected === 'no_stream' ? 0n : (expected as bigint) + 1n;
      const following = (await this.readRaw(stream, { direction: FORWARDS, fromRevision: from, maxCount: ids.length })).map(toRecordedEvent);
      if (sameIds(following, ids)) return { kind: 'stored', result: resultOf(following) };
      const overlap = overlappingIds(following, ids);
      if (overlap.length > 0) throw new DuplicateEventIdError(stream, overlap);
      if (overlappingIds(tail, ids).length === 0) throw new WrongExpectedRevisionError(stream, expected, current);
      return { kind: 'stored', result: await this.originalAppendOrDuplicate(stream, ids) };
    }
    if (typeof expected === 'bigint' && (current === 'no_stream' || current < expected)) {
      throw new WrongExpectedRevisionError(stream, expected, current);
    }
    if (expected === 'stream_exists' && current === 'no_stream') {
      throw new WrongExpectedRevisionError(stream, expected, current);
    }

    // (3) Some of the ids are already among the last events, but not as this append.
    if (overlappingIds(tail, ids).length > 0) {
      return { kind: 'stored', result: await this.originalAppendOrDuplicate(stream, ids) };
    }
    return { kind: 'append', current, headHash: head ? head.hash : null };
  }

  /** Appends after the head that was read, with exactly its revision, so the hashed revisions are the stored ones. */
  private async write(
    stream: string,
    events: readonly EventToAppend[],
    ids: readonly string[],
    state: { readonly current: bigint | 'no_stream'; readonly headHash: string | null },
  ): Promise<WriteOutcome> {
    const firstRevision = state.current === 'no_stream' ? 0n : state.current + 1n;
    let previousHash = state.headHash;
    const data = events.map((event, index) => {
      const hash = eventHash({
        id: ids[index]!,
        streamName: stream,
        revision: firstRevision + BigInt(index),
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        previousHash,
      });
      const esdbEvent = toEsdbEventData(event, { hash, previousHash });
      previousHash = hash;
      return esdbEvent;
    });
    const exact: AppendExpectedRevision = state.current === 'no_stream' ? NO_STREAM : state.current;

    let result: EsdbAppendResult;
    try {
      result = await this.client.appendToStream(stream, data, { expectedRevision: exact });
    } catch (error) {
      if (isWrongExpectedVersionError(error)) return { kind: 'raced', actual: fromEsdbWrongExpectedVersion(error).actual };
      throw error;
    }
    // success=false only with throwOnAppendFailure=false in the connection string: a wrong expected version.
    if (!result.success) return { kind: 'raced', actual: fromEsdbCurrentRevision(result.nextExpectedRevision) };

    // The position is read back from the stored event, so it is the position every read reports:
    // ESDB's append response gives the transaction's positions, which for a multi-event append need
    // not be the last event's. If the read gives no position (older servers), the response is used.
    const position = await this.positionAt(stream, result.nextExpectedRevision).catch((error: unknown) => {
      if (isValidEsdbPosition(result.position)) return fromEsdbPosition(result.position);
      throw error;
    });
    return { kind: 'written', result: { nextExpectedRevision: result.nextExpectedRevision, position } };
  }

  /** The rare path: scan the whole stream for the ids; together and in order → the original result. */
  private async originalAppendOrDuplicate(stream: string, ids: readonly string[]): Promise<AppendResult> {
    const all = (await this.readRaw(stream, { direction: FORWARDS, fromRevision: ESDB_START })).map(toRecordedEvent);
    const start = all.findIndex((event) => normaliseEventId(event.id) === ids[0]);
    if (start >= 0) {
      const run = all.slice(start, start + ids.length);
      if (sameIds(run, ids)) return resultOf(run);
    }
    throw new DuplicateEventIdError(stream, overlappingIds(all, ids));
  }

  private async positionAt(stream: string, revision: bigint): Promise<Position> {
    const [event] = await this.readRaw(stream, { direction: FORWARDS, fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`EventStoreDB: event ${revision} of ${stream} is not readable after its append`);
    return toRecordedEvent(event).position;
  }

  // ---- reads ----------------------------------------------------------------------------------

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamName(stream);
    const direction = options.direction === 'backwards' ? BACKWARDS : FORWARDS;
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const fromRevision: ReadRevision = options.fromRevision ?? (direction === BACKWARDS ? END : ESDB_START);
    const raw = await this.readRaw(stream, { direction, fromRevision, maxCount: options.maxCount });
    return raw.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? START;
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (limit <= 0) return events;
    for await (const resolved of this.scanAll(FORWARDS, toEsdbReadPosition(after))) {
      if (!isKyogiEvent(resolved)) continue;
      const event = toRecordedEvent(resolved);
      if (comparePositions(event.position, after) <= 0) continue; // `after` is exclusive
      events.push(event);
      if (events.length >= limit) break;
    }
    return events;
  }

  /** The position of the last event readAll would return (system and foreign events skipped), or START. */
  async headPosition(): Promise<Position> {
    for await (const resolved of this.scanAll(BACKWARDS, END)) {
      if (isKyogiEvent(resolved)) return toRecordedEvent(resolved).position;
    }
    return START;
  }

  /** Counted like readAll counts (system and foreign events skipped), reading $all backwards from the end. */
  async positionBeforeHead(count: number): Promise<Position> {
    let skip = Math.max(0, Math.floor(count));
    for await (const resolved of this.scanAll(BACKWARDS, END)) {
      if (!isKyogiEvent(resolved)) continue;
      if (skip === 0) return toRecordedEvent(resolved).position;
      skip--;
    }
    return START;
  }

  /** Stream read that maps a missing stream to no events. */
  private async readRaw(stream: string, options: { direction: Direction; fromRevision: ReadRevision; maxCount?: number }): Promise<ResolvedEvent[]> {
    const events: ResolvedEvent[] = [];
    try {
      const read = this.client.readStream(stream, {
        direction: options.direction,
        fromRevision: options.fromRevision,
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      });
      for await (const resolved of read) events.push(resolved);
    } catch (error) {
      if (isStreamNotFoundError(error)) return [];
      throw error;
    }
    return events;
  }

  /**
   * $all one page at a time (ESDB's readAll has no server-side filter in client 6.x). A page starts
   * at the previous page's last position; events at or beyond that boundary already seen are skipped,
   * whether or not the server includes the starting position.
   */
  private async *scanAll(direction: Direction, from: ReadPosition): AsyncGenerator<AllStreamResolvedEvent> {
    let cursor = from;
    let boundary: Position | undefined;
    for (;;) {
      const page: AllStreamResolvedEvent[] = [];
      for await (const resolved of this.client.readAll({ direction, fromPosition: cursor, maxCount: this.readAllPageSize })) {
        page.push(resolved);
      }
      let last: Position | undefined;
      for (const resolved of page) {
        const raw = resolved.event?.position;
        if (!isValidEsdbPosition(raw)) continue;
        const position = fromEsdbPosition(raw);
        last = position;
        if (boundary) {
          const order = comparePositions(position, boundary);
          if (direction === FORWARDS ? order <= 0 : order >= 0) continue;
        }
        yield resolved;
      }
      if (page.length < this.readAllPageSize || !last) return;
      if (boundary && comparePositions(last, boundary) === 0) return; // no progress: nothing more
      boundary = last;
      cursor = toEsdbPosition(last);
    }
  }

  // ---- subscription -----------------------------------------------------------------------------

  subscribeToAll(handler: SubscriptionHandler, options: SubscribeOptions): Subscription {
    let stopping = false;
    let esdb: AllStreamSubscription | undefined;
    let wakeUp: (() => void) | undefined;
    let caughtUp = false;
    const fireCaughtUp = (): void => {
      if (caughtUp || stopping || !options.onCaughtUp) return;
      caughtUp = true;
      options.onCaughtUp();
    };
    /** Where the next (re)subscription starts, exclusive: the last event handled (or skipped as foreign). */
    let resumeAfter = options.after;

    /** One server subscription, until it fails or ends; returns only when stopping. */
    const pass = async (head: Position | undefined, onEvent: () => void): Promise<void> => {
      const subscription = this.client.subscribeToAll({ fromPosition: toEsdbReadPosition(resumeAfter), filter: excludeSystemEvents() });
      esdb = subscription;
      // Newer servers also send "caught up" (the client emits caughtUp): then fire once nothing is pending.
      let busy = false;
      let serverCaughtUp = false;
      const onServerCaughtUp = (): void => {
        serverCaughtUp = true;
        if (!busy && subscription.readableLength === 0) fireCaughtUp();
      };
      subscription.on('caughtUp', onServerCaughtUp);
      try {
        for await (const resolved of subscription) {
          if (stopping) break;
          onEvent();
          busy = true;
          const raw = resolved.event?.position;
          if (isKyogiEvent(resolved)) {
            const event = toRecordedEvent(resolved);
            if (comparePositions(event.position, resumeAfter) > 0) {
              try {
                await handler(event);
              } catch (error) {
                throw new HandlerFailure(error);
              }
              resumeAfter = event.position;
            }
          } else if (isValidEsdbPosition(raw) && comparePositions(fromEsdbPosition(raw), resumeAfter) > 0) {
            resumeAfter = fromEsdbPosition(raw); // nothing to handle: do not read it again after a resubscription
          }
          busy = false;
          if (stopping) break;
          if (head && isValidEsdbPosition(raw) && comparePositions(fromEsdbPosition(raw), head) >= 0) fireCaughtUp();
          else if (serverCaughtUp && subscription.readableLength === 0) fireCaughtUp();
        }
      } catch (error) {
        if (stopping) return;
        throw error;
      } finally {
        subscription.removeListener('caughtUp', onServerCaughtUp);
        subscription.on('error', () => undefined); // late errors after the loop must not crash the process
        if (!stopping) void subscription.unsubscribe().catch(() => undefined);
      }
      if (!stopping) throw new SubscriptionEndedError();
    };

    const run = async (): Promise<void> => {
      // The head that is current now; onCaughtUp fires once the event at it has been handled.
      const head = options.onCaughtUp ? await this.headPosition() : undefined;
      if (head && comparePositions(head, options.after) <= 0) fireCaughtUp();
      let failures = 0;
      while (!stopping) {
        try {
          await pass(head, () => (failures = 0));
          return;
        } catch (error) {
          if (error instanceof HandlerFailure) throw error.cause;
          if (stopping) return;
          if (!isTransientEsdbError(error) || failures >= this.resubscribe.maxAttempts) throw error;
          failures += 1;
          const delay = backoffDelay(failures, this.resubscribe.initialDelayMs, this.resubscribe.maxDelayMs);
          this.log(
            `EventStoreDB: the subscription to $all dropped (${describeError(error)}); resubscribing after ${formatPosition(resumeAfter)} in ${delay} ms (attempt ${failures} of ${this.resubscribe.maxAttempts})`,
          );
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delay);
            wakeUp = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wakeUp = undefined;
        }
      }
    };

    const done = run();
    done.catch(() => undefined); // observed through `done`; not an unhandled rejection if nobody awaits it
    const active: ActiveSubscription = {
      stop: async () => {
        stopping = true;
        wakeUp?.();
        if (esdb) {
          await esdb.unsubscribe().catch(() => undefined);
          esdb.destroy();
        }
        await done.catch(() => undefined);
        this.subscriptions.delete(active);
      },
    };
    this.subscriptions.add(active);
    done.then(
      () => this.subscriptions.delete(active),
      () => this.subscriptions.delete(active),
    );
    return { stop: active.stop, done };
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }
}

// ---- helpers ------------------------------------------------------------------------------------

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
}

function sameIds(events: readonly RecordedEvent[], ids: readonly string[]): boolean {
  return events.length === ids.length && events.every((event, index) => normaliseEventId(event.id) === ids[index]);
}

function overlappingIds(events: readonly RecordedEvent[], ids: readonly string[]): string[] {
  const stored = new Set(events.map((event) => normaliseEventId(event.id)));
  return ids.filter((id) => stored.has(id));
}

/** The result of an append whose events are `events` (forwards): its last event's revision and position. */
function resultOf(events: readonly RecordedEvent[]): AppendResult {
  const last = events[events.length - 1]!;
  return { nextExpectedRevision: last.revision, position: last.position };
}
