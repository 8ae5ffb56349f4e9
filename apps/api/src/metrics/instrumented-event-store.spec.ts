import { START, WrongExpectedRevisionError, type EventStore } from '@kyogi/event-store/port';
import { instrumentEventStore } from './instrumented-event-store';
import { KyogiMetrics } from './metrics';

class FakeStore implements EventStore {
  readonly name = 'fake';
  readonly pool = { marker: 'the adapter’s own property' };
  next: 'ok' | 'conflict' | 'boom' = 'ok';
  closed = false;
  async appendToStream(stream: string, ..._rest: unknown[]) {
    if (this.next === 'conflict') throw new WrongExpectedRevisionError(stream, 0n, 1n);
    if (this.next === 'boom') throw new Error('connection reset');
    return { nextExpectedRevision: 0n, position: START };
  }
  async readStream() {
    return [];
  }
  async readAll() {
    return [];
  }
  async headPosition() {
    return START;
  }
  async positionBeforeHead() {
    return START;
  }
  subscribeToAll(): never {
    throw new Error('not used');
  }
  async close() {
    this.closed = true; // `this` must be the real store
  }
}

const event = { id: '00000000-0000-4000-8000-000000000001', type: 'Tested', data: {}, metadata: {} as never };

describe('instrumentEventStore', () => {
  it('records each append with its outcome and duration, and rethrows', async () => {
    const metrics = new KyogiMetrics();
    const recorded: unknown[] = [];
    jest.spyOn(metrics, 'recordAppend').mockImplementation((...args) => void recorded.push(args));
    const inner = new FakeStore();
    let clock = 0n;
    const store = instrumentEventStore(inner, metrics, () => (clock += 5_000_000n)); // +5 ms per reading
    await store.appendToStream('Test-1', [event, event], 'any');
    inner.next = 'conflict';
    await expect(store.appendToStream('Test-1', [event], 0n)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    inner.next = 'boom';
    await expect(store.appendToStream('Test-1', [event], 'any')).rejects.toThrow('connection reset');
    expect(recorded).toEqual([
      ['ok', 2, 0.005],
      ['conflict', 1, 0.005],
      ['error', 1, 0.005],
    ]);
  });

  it('is still the adapter: instanceof, its properties, and its other methods bound to it', async () => {
    const inner = new FakeStore();
    const store = instrumentEventStore(inner, new KyogiMetrics());
    expect(store).toBeInstanceOf(FakeStore);
    expect(store.name).toBe('fake');
    expect(store.pool).toBe(inner.pool);
    const { close } = store;
    await close();
    expect(inner.closed).toBe(true);
  });
});
