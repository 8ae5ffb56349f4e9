import { START, type EventStore, type Position, type RecordedEvent } from '@kyogi/event-store/port';
import { LAG_COUNT_CAP, projectionLag } from './projection-lag';

const at = (commit: number): Position => ({ commit: BigInt(commit), prepare: BigInt(commit) });

function storeWith(events: { commit: number; recordedAt: Date }[]): EventStore {
  const recorded = events.map((e) => ({ position: at(e.commit), recordedAt: e.recordedAt }) as RecordedEvent);
  return {
    headPosition: async () => recorded.at(-1)?.position ?? START,
    readAll: async ({ after = START, maxCount = Infinity } = {}) => recorded.filter((e) => e.position.commit > after.commit).slice(0, maxCount),
  } as EventStore;
}

describe('projectionLag', () => {
  const now = new Date('2026-11-22T10:00:10Z');

  it('is zero when the read models are at the head', async () => {
    const store = storeWith([{ commit: 1, recordedAt: new Date('2026-11-22T10:00:00Z') }]);
    expect(await projectionLag(store, at(1), now)).toEqual({ events: 0, seconds: 0 });
    expect(await projectionLag(storeWith([]), START, now)).toEqual({ events: 0, seconds: 0 });
  });

  it('counts the events behind and ages the oldest of them', async () => {
    const store = storeWith([
      { commit: 1, recordedAt: new Date('2026-11-22T10:00:00Z') },
      { commit: 2, recordedAt: new Date('2026-11-22T10:00:04Z') },
      { commit: 3, recordedAt: new Date('2026-11-22T10:00:09Z') },
    ]);
    expect(await projectionLag(store, at(1), now)).toEqual({ events: 2, seconds: 6 });
    expect(await projectionLag(store, START, now)).toEqual({ events: 3, seconds: 10 });
  });

  it('stops counting at the cap', async () => {
    const many = Array.from({ length: LAG_COUNT_CAP + 50 }, (_, i) => ({ commit: i + 1, recordedAt: new Date('2026-11-22T09:00:00Z') }));
    expect(await projectionLag(storeWith(many), START, now)).toEqual({ events: LAG_COUNT_CAP, seconds: 3610 });
  });
});
