/**
 * Unit tests of the EventStoreDB adapter's own logic (hash chain, revision handling, idempotency,
 * paging, subscription bookkeeping), driven by `EsdbClientTestDouble`: a hand-written in-memory
 * stand-in for the few EventStoreDBClient methods the adapter calls. It is a test double, NOT
 * EventStoreDB: it follows the client's types and the server behaviour the adapter relies on
 * (exact expected revisions, StreamNotFoundError on a missing stream, $all positions, exclusive
 * subscription start), nothing more. The real server is exercised by eventstoredb.int.spec.ts.
 */
import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import {
  AccessDeniedError,
  EventStoreDBClient,
  NotLeaderError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  convertToCommandError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type AppendToStreamOptions,
  type EventData,
  type Position as EsdbPosition,
  type ReadAllOptions as EsdbReadAllOptions,
  type ReadStreamOptions as EsdbReadStreamOptions,
  type SubscribeToAllOptions,
} from '@eventstore/db-client';
import { eventHash, verifyStreamChain } from '../hash-chain';
import {
  DuplicateEventIdError,
  InvalidStreamNameError,
  START,
  WrongExpectedRevisionError,
  comparePositions,
  type EventToAppend,
  type RecordedEvent,
} from '../port';
import {
  EventStoreDbEventStore,
  SubscriptionEndedError,
  backoffDelay,
  isTransientEsdbError,
  toClientConnectionString,
  type EsdbClient,
} from './eventstoredb.event-store';
import { toEsdbEventData } from './eventstoredb.mapping';

// ---- the test double ------------------------------------------------------------------------------

type StoredRecord = NonNullable<AllStreamResolvedEvent['event']>;
type AppendInterceptor = (stream: string, events: EventData[]) => void;

/** In-memory test double of the EventStoreDBClient subset the adapter uses. Not EventStoreDB. */
class EsdbClientTestDouble {
  readonly appendCalls: { stream: string; expectedRevision: AppendExpectedRevision | undefined; ids: string[] }[] = [];
  readonly readAllCalls: EsdbReadAllOptions[] = [];
  readonly readStreamCalls: EsdbReadStreamOptions[] = [];
  disposed = false;
  /** When set, subscriptions emit 'caughtUp' after their historical events (as newer servers do). */
  emitCaughtUp = false;
  /** Event ids that subscriptions never deliver. */
  readonly hideFromSubscriptions = new Set<string>();

  private readonly log: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly live = new Set<{ out: PassThrough; regex?: RegExp }>();
  private nextLogPosition = 1000n;
  private interceptors: { once: boolean; run: AppendInterceptor }[] = [];

  /** Runs `run` inside the next append (or every append), before its revision check: another writer getting in first. */
  intercept(run: AppendInterceptor, { once = true } = {}): void {
    this.interceptors.push({ once, run });
  }

  async appendToStream(stream: string, events: EventData | EventData[], options: AppendToStreamOptions = {}): Promise<EsdbAppendResult> {
    const list = Array.isArray(events) ? events : [events];
    this.appendCalls.push({ stream, expectedRevision: options.expectedRevision, ids: list.map((e) => e.id) });
    const interceptors = this.interceptors;
    this.interceptors = interceptors.filter((i) => !i.once);
    for (const interceptor of interceptors) interceptor.run(stream, list);

    const expected = options.expectedRevision ?? 'any';
    const current = this.currentRevision(stream);
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === 'no_stream') ||
      (expected === 'stream_exists' && current !== 'no_stream') ||
      (typeof expected === 'bigint' && current === expected);
    if (!ok) throw new WrongExpectedVersionError(undefined, { streamName: stream, expected, current });
    const stored = this.store(stream, list);
    const first = stored[0]!.position;
    const last = stored[stored.length - 1]!.position;
    // A response position that is not the last event's own position, so the tests show which one
    // the adapter reports.
    return { success: true, nextExpectedRevision: stored[stored.length - 1]!.revision, position: { commit: last.commit, prepare: first.prepare } };
  }

  /** Writes events without any revision check (another writer, or test set-up). */
  store(stream: string, events: EventData[]): StoredRecord[] {
    const records = this.streams.get(stream) ?? [];
    this.streams.set(stream, records);
    const stored = events.map((event) => {
      const position = { commit: this.nextLogPosition, prepare: this.nextLogPosition };
      this.nextLogPosition += 100n;
      const record = {
        streamId: stream,
        id: event.id,
        isJson: event.contentType === 'application/json',
        revision: BigInt(records.length),
        type: event.type,
        created: new Date(),
        // through JSON, as the server stores and returns them
        data: event.contentType === 'application/json' ? JSON.parse(JSON.stringify(event.data)) : event.data,
        metadata: event.metadata === undefined ? undefined : JSON.parse(JSON.stringify(event.metadata)),
        position,
      } as StoredRecord;
      records.push(record);
      this.log.push(record);
      return record;
    });
    for (const subscriber of this.live) for (const record of stored) this.push(subscriber, record);
    return stored;
  }

  /** A system event (e.g. `$statsCollected`) or any event not written through the adapter. */
  storeRaw(stream: string, type: string, metadata?: Record<string, unknown>): StoredRecord {
    return this.store(stream, [{ id: randomUUID(), contentType: 'application/json', type, data: {}, metadata } as EventData])[0]!;
  }

  readStream(stream: string, options: EsdbReadStreamOptions = {}): Readable & { cancel(): Promise<void> } {
    this.readStreamCalls.push(options);
    const records = this.streams.get(stream);
    if (!records) {
      const failing = new Readable({
        objectMode: true,
        read() {
          this.destroy(new StreamNotFoundError(undefined, stream));
        },
      });
      return Object.assign(failing, { cancel: async () => undefined });
    }
    const { direction = 'forwards', fromRevision = 'start', maxCount = Number.MAX_SAFE_INTEGER } = options;
    const ordered = direction === 'forwards' ? records : [...records].reverse();
    const from =
      fromRevision === 'start'
        ? direction === 'forwards'
          ? 0n
          : -1n
        : fromRevision === 'end'
          ? direction === 'forwards'
            ? BigInt(records.length)
            : BigInt(records.length - 1)
          : fromRevision;
    const selected = ordered
      .filter((r) => (direction === 'forwards' ? r.revision >= from : r.revision <= from))
      .slice(0, Number(maxCount))
      .map((event) => ({ event }));
    return Object.assign(Readable.from(selected, { objectMode: true }), { cancel: async () => undefined });
  }

  readAll(options: EsdbReadAllOptions = {}): Readable & { cancel(): Promise<void> } {
    this.readAllCalls.push(options);
    const { direction = 'forwards', fromPosition = direction === 'forwards' ? 'start' : 'end', maxCount = Number.MAX_SAFE_INTEGER } = options;
    let selected: StoredRecord[];
    if (direction === 'forwards') {
      // inclusive of the starting position
      selected = fromPosition === 'start' ? this.log : fromPosition === 'end' ? [] : this.log.filter((r) => cmp(r.position, fromPosition) >= 0);
    } else {
      // backwards: before the starting position
      const before = fromPosition === 'end' ? this.log : fromPosition === 'start' ? [] : this.log.filter((r) => cmp(r.position, fromPosition) < 0);
      selected = [...before].reverse();
    }
    const page = selected.slice(0, Number(maxCount)).map((event) => ({ event, commitPosition: event.position.commit }));
    return Object.assign(Readable.from(page, { objectMode: true }), { cancel: async () => undefined });
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): PassThrough & { unsubscribe(): Promise<void> } {
    const out = new PassThrough({ objectMode: true });
    const regex = options.filter && 'regex' in options.filter ? new RegExp(options.filter.regex) : undefined;
    const subscriber = { out, regex };
    const from = options.fromPosition ?? 'start';
    const history = from === 'start' ? this.log : from === 'end' ? [] : this.log.filter((r) => cmp(r.position, from) > 0); // exclusive
    for (const record of history) this.push(subscriber, record);
    if (this.emitCaughtUp) setImmediate(() => out.emit('caughtUp'));
    this.live.add(subscriber);
    return Object.assign(out, {
      unsubscribe: async () => {
        this.live.delete(subscriber);
      },
    });
  }

  /** Breaks every open subscription, as a dropped connection would. */
  failSubscriptions(error: Error): void {
    for (const subscriber of this.live) subscriber.out.destroy(error);
    this.live.clear();
  }

  /** Ends every open subscription without an error, as a node stepping down may. */
  endSubscriptions(): void {
    for (const subscriber of this.live) subscriber.out.end();
    this.live.clear();
  }

  get openSubscriptions(): number {
    return this.live.size;
  }

  readonly dispose = async (): Promise<void> => {
    this.disposed = true;
  };

  rawEvents(stream: string): StoredRecord[] {
    return this.streams.get(stream) ?? [];
  }

  private currentRevision(stream: string): bigint | 'no_stream' {
    const records = this.streams.get(stream);
    return records && records.length > 0 ? BigInt(records.length - 1) : 'no_stream';
  }

  private push(subscriber: { out: PassThrough; regex?: RegExp }, record: StoredRecord): void {
    if (subscriber.regex && !subscriber.regex.test(record.type)) return;
    if (this.hideFromSubscriptions.has(record.id)) return;
    subscriber.out.write({ event: record, commitPosition: record.position.commit });
  }
}

function cmp(a: EsdbPosition, b: EsdbPosition): number {
  return comparePositions(a, b);
}

// ---- fixtures -------------------------------------------------------------------------------------

function anEvent(type = 'ThingHappened', data: Record<string, unknown> = {}): EventToAppend {
  return {
    id: randomUUID(),
    type,
    data: { text: '協議', ...data },
    metadata: {
      actor: { personId: 'person-1', organisationId: '011002', roles: ['member'] },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: '2026-11-22T09:00:00.000Z',
      schemaVersion: 1,
    },
  };
}
const events = (n: number) => Array.from({ length: n }, () => anEvent());
const ids = (list: readonly { id: string }[]) => list.map((e) => e.id);

/** What another (well-behaved) Kyogi writer would store next in `stream`. */
function otherWritersEvent(double: EsdbClientTestDouble, stream: string): EventData {
  const previous = double.rawEvents(stream).at(-1);
  const previousHash = previous ? (previous.metadata as { kyogiChain: { hash: string } }).kyogiChain.hash : null;
  const event = anEvent('SomethingElse');
  const revision = BigInt(double.rawEvents(stream).length);
  const hash = eventHash({ ...event, streamName: stream, revision, previousHash });
  return toEsdbEventData(event, { hash, previousHash });
}

function setUp(options?: ConstructorParameters<typeof EventStoreDbEventStore>[1]) {
  const double = new EsdbClientTestDouble();
  const store = new EventStoreDbEventStore(double as unknown as EsdbClient, options);
  return { double, store };
}

// ---- tests ----------------------------------------------------------------------------------------

describe('EventStoreDbEventStore with an in-memory test double of the client (not EventStoreDB)', () => {
  describe('hash chain', () => {
    it('chains across two appends: the second append links to the first one', async () => {
      const { double, store } = setUp();
      const s = 'Proposal-1';
      const [e1] = events(1);
      const batch = events(2);
      await store.appendToStream(s, [e1!], 'no_stream');
      await store.appendToStream(s, batch, 0n);

      const read = await store.readStream(s);
      expect(ids(read)).toEqual(ids([e1!, ...batch]));
      expect(read[0]!.previousHash).toBeNull();
      expect(read[1]!.previousHash).toBe(read[0]!.hash);
      expect(read[2]!.previousHash).toBe(read[1]!.hash);
      expect(new Set(read.map((e) => e.hash)).size).toBe(3);
      expect(verifyStreamChain(read)).toBeNull();
      // stored in the ESDB metadata next to ours, and nothing else added to ours
      expect(double.rawEvents(s)[1]!.metadata).toEqual({ ...batch[0]!.metadata, kyogiChain: { hash: read[1]!.hash, previousHash: read[0]!.hash } });
      expect(read[1]!.metadata).toEqual(batch[0]!.metadata);
    });

    it('hashes the lower-cased id that EventStoreDB hands back, so the chain verifies', async () => {
      const { store } = setUp();
      const event = { ...anEvent(), id: randomUUID().toUpperCase() };
      await store.appendToStream('Proposal-1', [event], 'no_stream');
      const [read] = await store.readStream('Proposal-1');
      expect(read!.id).toBe(event.id.toLowerCase());
      expect(verifyStreamChain([read!])).toBeNull();
    });
  });

  describe('expected revisions', () => {
    it("sends 'any' and 'stream_exists' as the exact revision it read", async () => {
      const { double, store } = setUp();
      await store.appendToStream('Proposal-1', events(1), 'any');
      await store.appendToStream('Proposal-1', events(2), 'any');
      await store.appendToStream('Proposal-1', events(1), 'stream_exists');
      await store.appendToStream('Proposal-1', events(1), 3n);
      expect(double.appendCalls.map((c) => c.expectedRevision)).toEqual(['no_stream', 0n, 2n, 3n]);
    });

    it("fails 'stream_exists' on a missing stream with actual 'no_stream', without writing", async () => {
      const { double, store } = setUp();
      const error = await store.appendToStream('Proposal-1', events(1), 'stream_exists').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamName: 'Proposal-1', expected: 'stream_exists', actual: 'no_stream' });
      expect(double.appendCalls).toHaveLength(0);
    });

    it('fails a stale exact revision with the actual revision, without writing', async () => {
      const { double, store } = setUp();
      await store.appendToStream('Proposal-1', events(2), 'no_stream');
      await expect(store.appendToStream('Proposal-1', events(1), 0n)).rejects.toMatchObject({ expected: 0n, actual: 1n });
      await expect(store.appendToStream('Proposal-1', events(1), 5n)).rejects.toMatchObject({ expected: 5n, actual: 1n });
      await expect(store.appendToStream('Proposal-1', events(1), 'no_stream')).rejects.toMatchObject({ expected: 'no_stream', actual: 1n });
      await expect(store.appendToStream('Proposal-2', events(1), 0n)).rejects.toMatchObject({ expected: 0n, actual: 'no_stream' });
      expect(double.appendCalls).toHaveLength(1);
    });

    it("maps the client's WrongExpectedVersionError (another writer got in first) to the typed error", async () => {
      const { double, store } = setUp();
      await store.appendToStream('Proposal-1', events(1), 'no_stream');
      double.intercept((stream) => double.store(stream, [otherWritersEvent(double, stream)]));
      const error = await store.appendToStream('Proposal-1', events(1), 0n).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamName: 'Proposal-1', expected: 0n, actual: 1n });
      expect(double.rawEvents('Proposal-1')).toHaveLength(2);
    });

    it("maps a lost race on a new stream to actual revision 0n for 'no_stream'", async () => {
      const { double, store } = setUp();
      double.intercept((stream) => double.store(stream, [otherWritersEvent(double, stream)]));
      await expect(store.appendToStream('Proposal-1', events(1), 'no_stream')).rejects.toMatchObject({ expected: 'no_stream', actual: 0n });
    });

    it("retries an 'any' append that lost a race, and the chain stays unbroken", async () => {
      const { double, store } = setUp();
      await store.appendToStream('Proposal-1', events(1), 'no_stream');
      double.intercept((stream) => double.store(stream, [otherWritersEvent(double, stream)]));
      const mine = events(2);
      const result = await store.appendToStream('Proposal-1', mine, 'any');
      expect(result.nextExpectedRevision).toBe(3n);
      expect(double.appendCalls.slice(1).map((c) => c.expectedRevision)).toEqual([0n, 1n]);
      const read = await store.readStream('Proposal-1');
      expect(ids(read.slice(2))).toEqual(ids(mine));
      expect(verifyStreamChain(read)).toBeNull();
    });

    it("gives up on 'any' after maxAppendAttempts lost races", async () => {
      const { double, store } = setUp({ maxAppendAttempts: 3 });
      await store.appendToStream('Proposal-1', events(1), 'no_stream');
      double.intercept((stream) => double.store(stream, [otherWritersEvent(double, stream)]), { once: false });
      const error = await store.appendToStream('Proposal-1', events(1), 'any').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ expected: 'any', actual: 3n });
      expect(double.appendCalls).toHaveLength(1 + 3);
    });

    it('rejects invalid stream names and empty appends before touching the client', async () => {
      const { double, store } = setUp();
      await expect(store.appendToStream('no category', events(1), 'any')).rejects.toBeInstanceOf(InvalidStreamNameError);
      await expect(store.appendToStream('$all-1', events(1), 'any')).rejects.toBeInstanceOf(InvalidStreamNameError);
      await expect(store.readStream('no category')).rejects.toBeInstanceOf(InvalidStreamNameError);
      await expect(store.appendToStream('Proposal-1', [], 'any')).rejects.toThrow(TypeError);
      expect(double.appendCalls).toHaveLength(0);
    });
  });

  describe('append results and idempotency', () => {
    it("reports the stored last event's position, not the append response's", async () => {
      const { store } = setUp();
      const result = await store.appendToStream('Proposal-1', events(3), 'no_stream');
      const read = await store.readStream('Proposal-1');
      expect(result.nextExpectedRevision).toBe(2n);
      expect(result.position).toEqual(read[2]!.position);
    });

    it('returns the original result for a retry after success, without a second write', async () => {
      const { double, store } = setUp();
      await store.appendToStream('Proposal-1', events(1), 'no_stream');
      const batch = events(2);
      const first = await store.appendToStream('Proposal-1', batch, 0n);
      const retry = await store.appendToStream('Proposal-1', batch, 0n);
      const readsBefore = double.readStreamCalls.length;
      const retryAny = await store.appendToStream('Proposal-1', batch, 'any');
      // recognised from the one backwards read of the stream's last events
      expect(double.readStreamCalls.slice(readsBefore)).toEqual([{ direction: 'backwards', fromRevision: 'end', maxCount: 2 }]);
      expect(retry).toEqual(first);
      expect(retryAny).toEqual(first);
      expect(double.appendCalls).toHaveLength(2);
      expect(await store.readStream('Proposal-1')).toHaveLength(3);
    });

    it('returns the original result for a retry with a stale exact revision after later appends', async () => {
      const { double, store } = setUp();
      const batch = events(2);
      const first = await store.appendToStream('Proposal-1', batch, 'no_stream');
      await store.appendToStream('Proposal-1', events(3), 1n);
      expect(await store.appendToStream('Proposal-1', batch, 'no_stream')).toEqual(first);
      expect(double.appendCalls).toHaveLength(2);
    });

    it("returns the original result for an 'any' retry that later appends moved off the end", async () => {
      const { double, store } = setUp();
      const batch = events(2);
      const first = await store.appendToStream('Proposal-1', batch, 'any');
      await store.appendToStream('Proposal-1', events(1), 'any');
      expect(await store.appendToStream('Proposal-1', batch, 'any')).toEqual(first);
      expect(double.appendCalls).toHaveLength(2);
    });

    it('returns the original result when a concurrent retry of the same append wins the race', async () => {
      const { double, store } = setUp();
      const batch = events(2);
      double.intercept((stream, data) => double.store(stream, data)); // the other retry writes first
      const result = await store.appendToStream('Proposal-1', batch, 'no_stream');
      const read = await store.readStream('Proposal-1');
      expect(read).toHaveLength(2);
      expect(result).toEqual({ nextExpectedRevision: 1n, position: read[1]!.position });
    });

    it('refuses an append that reuses only some ids of another append', async () => {
      const { double, store } = setUp();
      const batch = events(2);
      await store.appendToStream('Proposal-1', batch, 'no_stream');
      const error = await store.appendToStream('Proposal-1', [batch[1]!, anEvent()], 'any').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateEventIdError);
      expect(error).toMatchObject({ eventIds: [batch[1]!.id] });
      await expect(store.appendToStream('Proposal-1', [batch[0]!, anEvent()], 'no_stream')).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(double.appendCalls).toHaveLength(1);
    });

    it('refuses an append that repeats an id within itself', async () => {
      const { store } = setUp();
      const event = anEvent();
      await expect(store.appendToStream('Proposal-1', [event, event], 'no_stream')).rejects.toBeInstanceOf(DuplicateEventIdError);
    });
  });

  describe('reads', () => {
    it('reads a missing stream as no events', async () => {
      const { store } = setUp();
      expect(await store.readStream('Proposal-404')).toEqual([]);
    });

    it('reads forwards, backwards, from a revision and with a max count', async () => {
      const { store } = setUp();
      await store.appendToStream('Proposal-1', events(5), 'no_stream');
      const revisions = (list: RecordedEvent[]) => list.map((e) => e.revision);
      expect(revisions(await store.readStream('Proposal-1', { fromRevision: 2n }))).toEqual([2n, 3n, 4n]);
      expect(revisions(await store.readStream('Proposal-1', { direction: 'backwards' }))).toEqual([4n, 3n, 2n, 1n, 0n]);
      expect(revisions(await store.readStream('Proposal-1', { direction: 'backwards', fromRevision: 3n, maxCount: 2 }))).toEqual([3n, 2n]);
      expect(revisions(await store.readStream('Proposal-1', { maxCount: 0 }))).toEqual([]);
    });

    it('reads all after a position (exclusive), skipping system and foreign events, page by page', async () => {
      const { double, store } = setUp({ readAllPageSize: 2 });
      double.storeRaw('$stats-127.0.0.1:2113', '$statsCollected');
      const a = events(2);
      await store.appendToStream('Alpha-1', a, 'no_stream');
      double.storeRaw('$$Alpha-1', '$metadata');
      double.storeRaw('Legacy-1', 'LegacyThing', { notOurs: true });
      const b = events(3);
      await store.appendToStream('Beta-1', b, 'no_stream');

      const all = await store.readAll();
      expect(ids(all)).toEqual(ids([...a, ...b]));
      for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBe(-1);
      expect(double.readAllCalls.length).toBeGreaterThan(3); // several pages of 2

      const afterSecond = await store.readAll({ after: all[1]!.position, maxCount: 2 });
      expect(ids(afterSecond)).toEqual(ids(b.slice(0, 2)));
      expect(await store.readAll({ after: all[4]!.position })).toEqual([]);
      expect(await store.readAll({ maxCount: 0 })).toEqual([]);
    });

    it('reports START as the head of an empty store, and the last Kyogi event otherwise', async () => {
      const { double, store } = setUp({ readAllPageSize: 2 });
      expect(await store.headPosition()).toEqual(START);
      double.storeRaw('$stats-127.0.0.1:2113', '$statsCollected');
      expect(await store.headPosition()).toEqual(START);
      const result = await store.appendToStream('Proposal-1', events(2), 'no_stream');
      for (let i = 0; i < 3; i++) double.storeRaw('$stats-127.0.0.1:2113', '$statsCollected');
      expect(await store.headPosition()).toEqual(result.position);
    });

    it('counts back from the head over Kyogi events only, across pages, and gives START past the first', async () => {
      const { double, store } = setUp({ readAllPageSize: 2 });
      expect(await store.positionBeforeHead(0)).toEqual(START);
      await store.appendToStream('Alpha-1', events(2), 'no_stream');
      double.storeRaw('$stats-127.0.0.1:2113', '$statsCollected');
      double.storeRaw('Legacy-1', 'LegacyThing', { notOurs: true });
      await store.appendToStream('Beta-1', events(2), 'no_stream');
      double.storeRaw('$stats-127.0.0.1:2113', '$statsCollected');
      const all = await store.readAll();
      expect(await store.positionBeforeHead(0)).toEqual(all[3]!.position);
      expect(await store.positionBeforeHead(1)).toEqual(all[2]!.position);
      expect(await store.positionBeforeHead(2)).toEqual(all[1]!.position); // the foreign and system events between are not counted
      expect(await store.positionBeforeHead(3)).toEqual(all[0]!.position);
      expect(await store.positionBeforeHead(4)).toEqual(START);
    });
  });

  describe('subscribeToAll', () => {
    const until = async (predicate: () => boolean, timeoutMs = 2000): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 2));
      }
    };

    it('catches up after a position (exclusive), one event at a time, fires onCaughtUp once, then goes live', async () => {
      const { double, store } = setUp();
      const early = events(2);
      await store.appendToStream('Proposal-1', early, 'no_stream');
      const checkpoint = await store.headPosition();
      const backlog = events(3);
      await store.appendToStream('Proposal-1', backlog, 1n);
      double.storeRaw('$stats-127.0.0.1:2113', '$statsCollected');
      double.storeRaw('Legacy-1', 'LegacyThing');

      const received: RecordedEvent[] = [];
      let running = 0;
      let overlapped = false;
      const caughtUpAt: number[] = [];
      const subscription = store.subscribeToAll(
        async (event) => {
          running += 1;
          if (running > 1) overlapped = true;
          await new Promise((r) => setTimeout(r, 3));
          received.push(event);
          running -= 1;
        },
        { after: checkpoint, onCaughtUp: () => caughtUpAt.push(received.length) },
      );
      await until(() => received.length >= 3);
      const live = events(2);
      await store.appendToStream('Proposal-1', live, 4n);
      await until(() => received.length >= 5);
      await subscription.stop();
      await expect(subscription.done).resolves.toBeUndefined();

      expect(ids(received)).toEqual(ids([...backlog, ...live]));
      expect(overlapped).toBe(false);
      expect(caughtUpAt).toEqual([3]);
      expect(double.openSubscriptions).toBe(0);
    });

    it('fires onCaughtUp at once when nothing is after the position', async () => {
      const { store } = setUp();
      await store.appendToStream('Proposal-1', events(2), 'no_stream');
      const head = await store.headPosition();
      let caughtUp = 0;
      const subscription = store.subscribeToAll(async () => undefined, { after: head, onCaughtUp: () => (caughtUp += 1) });
      await until(() => caughtUp > 0);
      await subscription.stop();
      expect(caughtUp).toBe(1);
    });

    it("uses the server's caughtUp signal when the head event is never delivered", async () => {
      const { double, store } = setUp();
      double.emitCaughtUp = true;
      const [first, second] = events(2);
      await store.appendToStream('Proposal-1', [first!, second!], 'no_stream');
      double.hideFromSubscriptions.add(second!.id); // e.g. deleted between the head read and the catch-up
      let caughtUp = 0;
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll(async (e) => void received.push(e), { after: START, onCaughtUp: () => (caughtUp += 1) });
      await until(() => caughtUp > 0);
      await subscription.stop();
      expect(caughtUp).toBe(1);
      expect(ids(received)).toEqual([first!.id]);
    });

    it('rejects done when the handler fails, and stops delivering', async () => {
      const { double, store } = setUp();
      await store.appendToStream('Proposal-1', events(3), 'no_stream');
      let calls = 0;
      const subscription = store.subscribeToAll(
        async () => {
          calls += 1;
          throw new Error('projection failed');
        },
        { after: START },
      );
      await expect(subscription.done).rejects.toThrow('projection failed');
      expect(calls).toBe(1);
      expect(double.openSubscriptions).toBe(0);
      await subscription.stop(); // harmless afterwards
    });

    it('rejects done when the subscription breaks with an error that is not transient (no resubscription)', async () => {
      const { double, store } = setUp();
      const subscription = store.subscribeToAll(async () => undefined, { after: START });
      await until(() => double.openSubscriptions === 1);
      double.failSubscriptions(new Error('connection lost'));
      await expect(subscription.done).rejects.toThrow('connection lost');
    });

    it('close() stops open subscriptions and disposes the client', async () => {
      const { double, store } = setUp();
      const subscription = store.subscribeToAll(async () => undefined, { after: START });
      await until(() => double.openSubscriptions === 1);
      await store.close();
      await expect(subscription.done).resolves.toBeUndefined();
      expect(double.openSubscriptions).toBe(0);
      expect(double.disposed).toBe(true);
    });
  });
});

// ---- in a cluster: leader changes, lost nodes ------------------------------------------------------

/** A gRPC ServiceError as @grpc/grpc-js produces it, for the client's own convertToCommandError. */
function serviceError(code: number, details: string, metadata: Record<string, string> = {}) {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: { getMap: () => metadata } });
}
const notLeader = () =>
  convertToCommandError(
    serviceError(5, 'Leader info available', { exception: 'not-leader', 'leader-endpoint-host': 'esdb-2', 'leader-endpoint-port': '2113' }),
  );
const unavailable = () => convertToCommandError(serviceError(14, 'No connection established'));

describe('EventStoreDbEventStore in a cluster (test double; the client’s real error classes)', () => {
  const until = async (predicate: () => boolean, timeoutMs = 2000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  /** Records the options of every subscribeToAll the adapter makes. */
  function counting(double: EsdbClientTestDouble): SubscribeToAllOptions[] {
    const calls: SubscribeToAllOptions[] = [];
    const original = double.subscribeToAll.bind(double);
    double.subscribeToAll = (options?: SubscribeToAllOptions) => {
      calls.push(options ?? {});
      return original(options);
    };
    return calls;
  }
  const fast = { resubscribe: { initialDelayMs: 1, maxDelayMs: 5 } };

  it('classifies the client errors: leader changes, lost nodes and cut-off calls are transient, the rest not', () => {
    expect(notLeader()).toBeInstanceOf(NotLeaderError);
    expect(unavailable()).toBeInstanceOf(UnavailableError);
    expect(isTransientEsdbError(notLeader())).toBe(true);
    expect(isTransientEsdbError(unavailable())).toBe(true);
    expect(isTransientEsdbError(convertToCommandError(serviceError(4, 'Deadline Exceeded')))).toBe(true);
    expect(isTransientEsdbError(new SubscriptionEndedError())).toBe(true);
    expect(isTransientEsdbError(convertToCommandError(serviceError(16, 'Unauthenticated')))).toBe(false);
    expect(isTransientEsdbError(new AccessDeniedError())).toBe(false);
    expect(isTransientEsdbError(new StreamNotFoundError(undefined, 'Proposal-1'))).toBe(false);
    expect(isTransientEsdbError(new Error('projection failed'))).toBe(false);
  });

  it.each([
    ['a leader change (NotLeaderError)', notLeader],
    ['a lost node (UnavailableError)', unavailable],
  ])('resubscribes after %s from the last handled event: nothing skipped, nothing twice', async (_, failure) => {
    const log: string[] = [];
    const { double, store } = setUp({ ...fast, log: (m) => log.push(m) });
    const calls = counting(double);
    const first = events(3);
    await store.appendToStream('Proposal-1', first, 'no_stream');
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll(async (e) => void received.push(e), { after: START });
    await until(() => received.length === 3);

    double.failSubscriptions(failure() as Error);
    await until(() => double.openSubscriptions === 1);
    const later = events(2);
    await store.appendToStream('Proposal-1', later, 2n);
    await until(() => received.length === 5);
    await new Promise((r) => setTimeout(r, 20));

    expect(ids(received)).toEqual(ids([...first, ...later]));
    expect(calls).toHaveLength(2);
    expect(calls[1]!.fromPosition).toEqual({ commit: received[2]!.position.commit, prepare: received[2]!.position.prepare });
    expect(log).toEqual([
      expect.stringMatching(
        /^EventStoreDB: the subscription to \$all dropped \((NotLeaderError|UnavailableError): .*\); resubscribing after .* in \d+ ms \(attempt 1 of 10\)$/,
      ),
    ]);
    await subscription.stop();
  });

  it('resubscribes when the server just ends the subscription', async () => {
    const { double, store } = setUp(fast);
    const calls = counting(double);
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll(async (e) => void received.push(e), { after: START });
    await until(() => double.openSubscriptions === 1);
    double.endSubscriptions();
    await until(() => calls.length === 2 && double.openSubscriptions === 1);
    await store.appendToStream('Proposal-2', events(1), 'no_stream');
    await until(() => received.length === 1);
    await subscription.stop();
    await expect(subscription.done).resolves.toBeUndefined();
  });

  it('gives up after maxAttempts failures in a row, and done rejects with the last error', async () => {
    const { double, store } = setUp({ resubscribe: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 } });
    const calls = counting(double);
    const original = double.subscribeToAll;
    double.subscribeToAll = (options?: SubscribeToAllOptions) => {
      const out = original(options);
      setImmediate(() => out.destroy(unavailable() as Error)); // every subscription fails at once
      return out;
    };
    const subscription = store.subscribeToAll(async () => undefined, { after: START });
    await expect(subscription.done).rejects.toBeInstanceOf(UnavailableError);
    expect(calls).toHaveLength(4); // the first and three resubscriptions
  });

  it('never resubscribes after a non-transient error or an error of the handler itself', async () => {
    const denied = setUp(fast);
    const deniedCalls = counting(denied.double);
    const s1 = denied.store.subscribeToAll(async () => undefined, { after: START });
    await until(() => denied.double.openSubscriptions === 1);
    denied.double.failSubscriptions(new AccessDeniedError());
    await expect(s1.done).rejects.toBeInstanceOf(AccessDeniedError);
    expect(deniedCalls).toHaveLength(1);

    const failing = setUp(fast);
    const failingCalls = counting(failing.double);
    await failing.store.appendToStream('Proposal-3', events(1), 'no_stream');
    // Even an error that looks transient, when the handler throws it, is the handler's failure.
    const s2 = failing.store.subscribeToAll(
      async () => {
        throw unavailable();
      },
      { after: START },
    );
    await expect(s2.done).rejects.toBeInstanceOf(UnavailableError);
    expect(failingCalls).toHaveLength(1);
  });

  it('stops at once while waiting to resubscribe', async () => {
    const { double, store } = setUp({ resubscribe: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    const calls = counting(double);
    const subscription = store.subscribeToAll(async () => undefined, { after: START });
    await until(() => double.openSubscriptions === 1);
    double.failSubscriptions(unavailable() as Error);
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await subscription.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(subscription.done).resolves.toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('retries an append cut off by a leader change, and one whose answer was lost, storing the events once', async () => {
    const { double, store } = setUp(fast);
    const original = double.appendToStream.bind(double);
    // 1: the append reaches a follower that is no longer the leader.
    let failNext = true;
    double.appendToStream = async (...args: Parameters<typeof original>) => {
      if (failNext) {
        failNext = false;
        throw notLeader();
      }
      return original(...args);
    };
    const a = events(2);
    const first = await store.appendToStream('Proposal-4', a, 'no_stream');
    expect(ids(double.rawEvents('Proposal-4').map((r) => ({ id: r.id })))).toEqual(ids(a));

    // 2: the append is stored, but the connection drops before the answer.
    let loseAnswer = true;
    double.appendToStream = async (...args: Parameters<typeof original>) => {
      const result = await original(...args);
      if (loseAnswer) {
        loseAnswer = false;
        throw unavailable();
      }
      return result;
    };
    const b = events(1);
    const second = await store.appendToStream('Proposal-4', b, first.nextExpectedRevision);
    expect(second.nextExpectedRevision).toBe(2n);
    expect(double.rawEvents('Proposal-4')).toHaveLength(3);
  });

  it('gives up on an append after the configured retries, and never retries a non-transient error', async () => {
    const { double, store } = setUp({ ...fast, transientAppendRetries: 2 });
    let calls = 0;
    double.appendToStream = async () => {
      calls += 1;
      throw unavailable();
    };
    await expect(store.appendToStream('Proposal-5', events(1), 'no_stream')).rejects.toBeInstanceOf(UnavailableError);
    expect(calls).toBe(3);
    calls = 0;
    double.appendToStream = async () => {
      calls += 1;
      throw new AccessDeniedError();
    };
    await expect(store.appendToStream('Proposal-5', events(1), 'no_stream')).rejects.toBeInstanceOf(AccessDeniedError);
    expect(calls).toBe(1);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffDelay(n, 200, 5000, () => 1))).toEqual([200, 400, 800, 1600, 5000]);
    expect([1, 2, 10].map((n) => backoffDelay(n, 200, 5000, () => 0))).toEqual([100, 200, 2500]);
  });

  it('accepts cluster connection strings, KurrentDB scheme names included, without connecting', () => {
    expect(toClientConnectionString('kurrentdb+discover://kyogi:pw@cluster:2113?tls=true&nodePreference=leader')).toBe(
      'esdb+discover://kyogi:pw@cluster:2113?tls=true&nodePreference=leader',
    );
    expect(toClientConnectionString('kurrentdb://a:2113,b:2113')).toBe('esdb://a:2113,b:2113');
    expect(toClientConnectionString('esdb://a:2113')).toBe('esdb://a:2113');
    const client = EventStoreDBClient.connectionString(
      toClientConnectionString('kurrentdb+discover://kyogi:pw@esdb-1:2113,esdb-2:2113,esdb-3:2113?tls=true&nodePreference=leader&keepAliveInterval=10000'),
    );
    expect(client).toBeInstanceOf(EventStoreDBClient);
    void client.dispose();
  });
});
