import { randomUUID } from 'node:crypto';
import { verifyStreamChain } from '../hash-chain';
import {
  START,
  comparePositions,
  WrongExpectedRevisionError,
  DuplicateEventIdError,
  InvalidStreamNameError,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
  type Position,
} from '../port';

/**
 * The one contract every EventStore adapter passes. An adapter's int spec calls
 * `describeEventStoreContract` with a factory that gives a store on a fresh, empty database.
 */
export interface ContractFixture {
  readonly store: EventStore;
  cleanup(): Promise<void>;
  /**
   * Starts an append in a transaction that stays open until `commit` (stores with concurrent
   * writers only; EventStoreDB's log has a single writer, so it cannot have late commits).
   */
  beginSlowAppend?(stream: string, events: EventToAppend[]): Promise<{ commit(): Promise<void> }>;
  /** Changes one stored event's data behind the store's back, as an attacker with SQL access could. */
  tamper?(stream: string, revision: bigint, data: Record<string, unknown>): Promise<void>;
}

let counter = 0;
export function anEvent(type = 'ThingHappened', data: Record<string, unknown> = {}): EventToAppend {
  counter += 1;
  return {
    id: randomUUID(),
    type,
    data: { n: counter, text: '住民記録システム標準仕様書 第4.0版', ...data },
    metadata: {
      actor: { personId: 'person-1', organisationId: '011002', roles: ['member'] },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: new Date(Date.UTC(2026, 10, 22, 9, 0, 0)).toISOString(),
      schemaVersion: 1,
    },
  };
}

const events = (n: number, type?: string) => Array.from({ length: n }, () => anEvent(type));

/** Collects what a subscription delivers, and resolves once a predicate holds. */
function collector() {
  const received: RecordedEvent[] = [];
  const waiters: { until: (r: RecordedEvent[]) => boolean; resolve: () => void }[] = [];
  return {
    received,
    handler: async (e: RecordedEvent) => {
      received.push(e);
      for (const w of [...waiters]) if (w.until(received)) w.resolve();
    },
    until(predicate: (r: RecordedEvent[]) => boolean, timeoutMs = 10_000): Promise<void> {
      if (predicate(received)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; received ${received.length} events`)), timeoutMs);
        waiters.push({ until: predicate, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

export function describeEventStoreContract(adapterName: string, factory: () => Promise<ContractFixture>, _options?: unknown): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let fixture: ContractFixture;
    let store: EventStore;
    const figures: string[] = [];
    const stream = (category = 'Thing') => `${category}-${randomUUID()}`;

    beforeAll(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterAll(async () => {
      if (figures.length) console.info(`[contract ${adapterName}] ${figures.join('; ')}`);
      await fixture?.cleanup();
    });

    describe('append and read a stream', () => {
      it('appends to a new stream with no_stream and reads the events back in order, with revisions from 0', async () => {
        const s = stream();
        const batch = events(3);
        const result = await store.appendToStream(s, batch, 'no_stream');
        expect(result.nextExpectedRevision).toBe(2n);
        const read = await store.readStream(s);
        expect(read.map((e) => e.id)).toEqual(batch.map((e) => e.id));
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(read[0].data).toEqual(batch[0].data);
        expect(read[0].metadata).toEqual(batch[0].metadata);
        expect(read[0].streamName).toBe(s);
        expect(read[0].recordedAt).toBeInstanceOf(Date);
        expect(comparePositions(read[2].position, result.position)).toBe(0);
      });

      it('reads forwards from a revision, backwards, and with a max count', async () => {
        const s = stream();
        await store.appendToStream(s, events(5), 'no_stream');
        expect((await store.readStream(s, { fromRevision: 2n })).map((e) => e.revision)).toEqual([2n, 3n, 4n]);
        expect((await store.readStream(s, { direction: 'backwards' })).map((e) => e.revision)).toEqual([4n, 3n, 2n, 1n, 0n]);
        expect((await store.readStream(s, { direction: 'backwards', fromRevision: 3n, maxCount: 2 })).map((e) => e.revision)).toEqual([3n, 2n]);
        expect((await store.readStream(s, { fromRevision: 1n, maxCount: 2 })).map((e) => e.revision)).toEqual([1n, 2n]);
      });

      it('reads an empty list from a stream that does not exist', async () => {
        expect(await store.readStream(stream())).toEqual([]);
      });

      it('rejects a stream name without a category', async () => {
        await expect(store.appendToStream('no category', events(1), 'any')).rejects.toBeInstanceOf(InvalidStreamNameError);
      });
    });

    describe('expected revisions', () => {
      it('fails a wrong exact revision with a typed error that carries the actual revision', async () => {
        const s = stream();
        await store.appendToStream(s, events(2), 'no_stream');
        const error = await store.appendToStream(s, events(1), 0n).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamName: s, expected: 0n, actual: 1n });
        expect(await store.readStream(s)).toHaveLength(2);
      });

      it('fails no_stream on an existing stream, and stream_exists on a missing one', async () => {
        const s = stream();
        await store.appendToStream(s, events(1), 'no_stream');
        await expect(store.appendToStream(s, events(1), 'no_stream')).rejects.toMatchObject({ actual: 0n });
        const missing = stream();
        await expect(store.appendToStream(missing, events(1), 'stream_exists')).rejects.toMatchObject({ actual: 'no_stream' });
        expect(await store.readStream(missing)).toEqual([]);
      });

      it('appends with any and stream_exists, and with the exact revision it was given', async () => {
        const s = stream();
        expect((await store.appendToStream(s, events(1), 'any')).nextExpectedRevision).toBe(0n);
        expect((await store.appendToStream(s, events(1), 'stream_exists')).nextExpectedRevision).toBe(1n);
        expect((await store.appendToStream(s, events(2), 1n)).nextExpectedRevision).toBe(3n);
      });

      it('lets exactly one of 50 appends racing at the same expected revision succeed', async () => {
        const s = stream();
        await store.appendToStream(s, events(1), 'no_stream');
        const started = Date.now();
        const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => store.appendToStream(s, events(1), 0n)));
        const elapsed = Date.now() - started;
        const ok = outcomes.filter((o) => o.status === 'fulfilled');
        const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(ok).toHaveLength(1);
        expect(failed).toHaveLength(49);
        for (const f of failed) {
          expect(f.reason).toBeInstanceOf(WrongExpectedRevisionError);
          expect((f.reason as WrongExpectedRevisionError).actual).toBe(1n);
        }
        expect(await store.readStream(s)).toHaveLength(2);
        figures.push(`50 racing appends: 1 ok, 49 WrongExpectedRevision in ${elapsed} ms`);
      });
    });

    describe('idempotent retries', () => {
      it('stores nothing twice when an append is retried with the same event ids at the same expected revision', async () => {
        const s = stream();
        await store.appendToStream(s, events(1), 'no_stream');
        const batch = events(2);
        const first = await store.appendToStream(s, batch, 0n);
        const retry = await store.appendToStream(s, batch, 0n);
        expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(comparePositions(retry.position, first.position)).toBe(0);
        const read = await store.readStream(s);
        expect(read.map((e) => e.id)).toEqual([read[0].id, ...batch.map((e) => e.id)]);
      });

      it('stores a retry of the first append of a stream once', async () => {
        const s = stream();
        const batch = events(1);
        const outcomes = await Promise.allSettled([store.appendToStream(s, batch, 'no_stream'), store.appendToStream(s, batch, 'no_stream')]);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
        expect(await store.readStream(s)).toHaveLength(1);
      });

      it('refuses an append that reuses only some ids of another append', async () => {
        const s = stream();
        const batch = events(2);
        await store.appendToStream(s, batch, 'no_stream');
        await expect(store.appendToStream(s, [batch[1], anEvent()], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(s)).toHaveLength(2);
      });
    });

    describe('reading all in global order', () => {
      it('reads every stream interleaved in the order appended, after a position, page by page', async () => {
        const head = await store.headPosition();
        const a = stream('Alpha');
        const b = stream('Beta');
        const appended: string[] = [];
        for (let i = 0; i < 4; i++) {
          const ea = anEvent();
          const eb = anEvent();
          await store.appendToStream(a, [ea], 'any');
          await store.appendToStream(b, [eb], 'any');
          appended.push(ea.id, eb.id);
        }
        const page1 = await store.readAll({ after: head, maxCount: 5 });
        const page2 = await store.readAll({ after: page1[page1.length - 1].position, maxCount: 5 });
        expect([...page1, ...page2].map((e) => e.id)).toEqual(appended);
        for (let i = 1; i < page1.length; i++) expect(comparePositions(page1[i - 1].position, page1[i].position)).toBe(-1);
        expect(comparePositions(await store.headPosition(), page2[page2.length - 1].position)).toBe(0);
      });

      it('gives the position of the event n events before the head, and START past the first event', async () => {
        const s = stream();
        await store.appendToStream(s, events(4), 'no_stream');
        const appended = await store.readStream(s);
        expect(comparePositions(await store.positionBeforeHead(0), appended[3].position)).toBe(0);
        expect(comparePositions(await store.positionBeforeHead(1), appended[2].position)).toBe(0);
        expect(comparePositions(await store.positionBeforeHead(3), appended[0].position)).toBe(0);
        const all = await store.readAll({ maxCount: 100_000 });
        expect(comparePositions(await store.positionBeforeHead(all.length - 1), all[0].position)).toBe(0);
        expect(await store.positionBeforeHead(all.length)).toEqual(START);
      });
    });

    describe('subscribing to all', () => {
      it('catches up from a position, then delivers live events, once each and in order', async () => {
        const head = await store.headPosition();
        const s = stream();
        const before = events(3);
        await store.appendToStream(s, before, 'no_stream');
        const c = collector();
        let caughtUpAt = -1;
        const sub = store.subscribeToAll(c.handler, { after: head, onCaughtUp: () => (caughtUpAt = c.received.length) });
        await c.until((r) => r.length >= 3);
        const live = events(2);
        await store.appendToStream(s, live, 2n);
        await c.until((r) => r.length >= 5);
        await sub.stop();
        expect(c.received.map((e) => e.id)).toEqual([...before, ...live].map((e) => e.id));
        expect(caughtUpAt).toBe(3);
      });

      it('resumes from a stored checkpoint after a restart without loss or repeats', async () => {
        const head = await store.headPosition();
        const s = stream();
        const all = events(6);
        await store.appendToStream(s, all.slice(0, 3), 'no_stream');
        let checkpoint: Position = head;
        const first = collector();
        const sub1 = store.subscribeToAll(
          async (e) => {
            await first.handler(e);
            checkpoint = e.position;
          },
          { after: head },
        );
        await first.until((r) => r.length >= 3);
        await sub1.stop();
        await store.appendToStream(s, all.slice(3), 2n);
        const second = collector();
        const sub2 = store.subscribeToAll(second.handler, { after: checkpoint });
        await second.until((r) => r.length >= 3);
        await new Promise((r) => setTimeout(r, 200)); // nothing more may arrive
        await sub2.stop();
        expect([...first.received, ...second.received].map((e) => e.id)).toEqual(all.map((e) => e.id));
      });

      it('never skips an event that an earlier-started transaction commits after a later one', async () => {
        if (!fixture.beginSlowAppend) {
          console.info(`[contract ${adapterName}] late-commit case not applicable: the store's log has a single writer`);
          expect(fixture.beginSlowAppend).toBeUndefined();
          return;
        }
        const head = await store.headPosition();
        const c = collector();
        const sub = store.subscribeToAll(c.handler, { after: head });
        const slowEvent = anEvent('SlowThing');
        const slow = await fixture.beginSlowAppend(stream('Slow'), [slowEvent]); // transaction open, not committed
        const fastEvent = anEvent('FastThing');
        await store.appendToStream(stream('Fast'), [fastEvent], 'no_stream'); // commits first
        await new Promise((r) => setTimeout(r, 300)); // the subscriber polls meanwhile
        expect(c.received.map((e) => e.id)).not.toContain(fastEvent.id); // held back, not skipped past
        await slow.commit();
        await c.until((r) => r.length >= 2);
        await sub.stop();
        expect(c.received.map((e) => e.id)).toEqual([slowEvent.id, fastEvent.id]);
      });

      it('delivers every event of many concurrent appenders exactly once', async () => {
        const head = await store.headPosition();
        const c = collector();
        const sub = store.subscribeToAll(c.handler, { after: head });
        const started = Date.now();
        const appended = await Promise.all(
          Array.from({ length: 20 }, async () => {
            const s = stream('Busy');
            const ids: string[] = [];
            for (let i = 0; i < 10; i++) {
              const e = anEvent();
              await store.appendToStream(s, [e], i === 0 ? 'no_stream' : BigInt(i - 1));
              ids.push(e.id);
            }
            return ids;
          }),
        );
        await c.until((r) => r.length >= 200, 30_000);
        const elapsed = Date.now() - started;
        await new Promise((r) => setTimeout(r, 200));
        await sub.stop();
        const ids = c.received.map((e) => e.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.sort()).toEqual(appended.flat().sort());
        figures.push(`200 appends from 20 concurrent writers delivered to a subscriber in ${elapsed} ms`);
      });
    });

    describe('the hash chain', () => {
      it('links every event to the one before it in its stream and verifies OK', async () => {
        const s = stream();
        await store.appendToStream(s, events(2), 'no_stream');
        await store.appendToStream(s, events(2), 1n);
        const read = await store.readStream(s);
        expect(read[0].previousHash).toBeNull();
        for (let i = 1; i < read.length; i++) expect(read[i].previousHash).toBe(read[i - 1].hash);
        expect(read.every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
        expect(verifyStreamChain(read)).toBeNull();
      });

      it('names the first event whose stored content no longer matches its hash', async () => {
        if (!fixture.tamper) {
          console.info(`[contract ${adapterName}] tamper case not applicable: stored events cannot be changed in place`);
          expect(fixture.tamper).toBeUndefined();
          return;
        }
        const s = stream();
        await store.appendToStream(s, events(4), 'no_stream');
        await fixture.tamper(s, 2n, { n: -1, text: '改ざん' });
        const broken = verifyStreamChain(await store.readStream(s));
        expect(broken).toMatchObject({ reason: 'content', event: { streamName: s, revision: 2n } });
      });
    });

    it('reports START as the head of an empty store and compares positions totally', async () => {
      expect(comparePositions(START, await store.headPosition())).toBeLessThanOrEqual(0);
    });
  });
}
