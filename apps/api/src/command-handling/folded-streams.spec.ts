import type { Decider } from '@kyogi/domain/shared/decider';
import type { EventStore, ReadStreamOptions, RecordedEvent } from '@kyogi/event-store/port';
import { FoldedStreams } from './folded-streams';

type Added = { type: 'Added'; data: { n: number } };
const sum: Decider<number, never, Added> = {
  category: 'Counter',
  decide: () => [],
  evolve: (total, event) => total + event.data.n,
  initialState: () => 0,
};
const product: Decider<number, never, Added> = { ...sum, evolve: (total, event) => total * event.data.n, initialState: () => 1 };

/** An append-only log of one or more streams, recording every read asked of it. */
class LogStore {
  readonly streams = new Map<string, RecordedEvent[]>();
  readonly reads: { stream: string; fromRevision?: bigint }[] = [];

  add(stream: string, ...ns: number[]): void {
    const events = this.streams.get(stream) ?? [];
    for (const n of ns) {
      const revision = BigInt(events.length);
      events.push({
        id: `${stream}-${revision}`,
        streamName: stream,
        revision,
        type: 'Added',
        data: { n },
        position: { commit: 1n, prepare: 1n },
      } as unknown as RecordedEvent);
    }
    this.streams.set(stream, events);
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.reads.push({ stream, ...(options.fromRevision !== undefined ? { fromRevision: options.fromRevision } : {}) });
    return (this.streams.get(stream) ?? []).filter((e) => options.fromRevision === undefined || e.revision >= options.fromRevision);
  }
}

describe('folded streams', () => {
  it('reads a stream whole once, then only what was recorded since — by this process or another', async () => {
    const log = new LogStore();
    const store = log as unknown as EventStore;
    const streams = new FoldedStreams();
    log.add('Counter-1', 1, 2, 3);
    expect((await streams.load(store, sum, 'Counter-1')).state).toBe(6);
    log.add('Counter-1', 10); // e.g. another api instance
    const folded = await streams.load(store, sum, 'Counter-1');
    expect(folded.state).toBe(16);
    expect(folded.events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
    expect(folded.indexOf.get('Counter-1-3')).toBe(3);
    expect((await streams.load(store, sum, 'Counter-1')).state).toBe(16); // nothing new
    expect(log.reads).toEqual([{ stream: 'Counter-1' }, { stream: 'Counter-1', fromRevision: 3n }, { stream: 'Counter-1', fromRevision: 4n }]);
  });

  it('keeps one fold per decider, and forgets the least recently used streams', async () => {
    const log = new LogStore();
    const store = log as unknown as EventStore;
    const streams = new FoldedStreams(2);
    log.add('Counter-1', 2, 3);
    log.add('Counter-2', 5);
    log.add('Counter-3', 7);
    expect((await streams.load(store, sum, 'Counter-1')).state).toBe(5);
    expect((await streams.load(store, product, 'Counter-1')).state).toBe(6); // another decider folds afresh
    await streams.load(store, sum, 'Counter-2');
    await streams.load(store, sum, 'Counter-3'); // Counter-1 is now the least recent of three: forgotten
    log.reads.length = 0;
    expect((await streams.load(store, sum, 'Counter-1')).state).toBe(5);
    expect(log.reads).toEqual([{ stream: 'Counter-1' }]);
  });

  it('answers an empty stream with the initial state', async () => {
    const folded = await new FoldedStreams().load(new LogStore() as unknown as EventStore, sum, 'Counter-9');
    expect(folded).toEqual({ events: [], indexOf: new Map(), state: 0 });
  });
});
