import type { Pool } from 'pg';
import { ChangeFeed } from '@kyogi/live/change-feed';
import type { LoggedChange } from '@kyogi/read-models/change-log';
import { FanoutLatency } from './fanout-latency';
import { KyogiMetrics } from './metrics';

const change = (seq: number): LoggedChange => ({
  seq: BigInt(seq),
  entity: 'proposal',
  id: `p${seq}`,
  change: 'submitted',
  position: `${seq}/${seq}`,
  scope: {},
});

describe('FanoutLatency', () => {
  it('records, per change handed over, the time since its read-model transaction recorded it', async () => {
    const feed = new ChangeFeed();
    const metrics = new KyogiMetrics();
    const observed: number[] = [];
    jest.spyOn(metrics, 'recordFanout').mockImplementation((seconds) => void observed.push(seconds));
    const queries: unknown[][] = [];
    // recorded_at of seq 1 and 2 (ms since epoch); seq 3 is not in the log any more (never guessed).
    const pool = {
      query: async (_sql: string, params: unknown[]) => {
        queries.push(params);
        return {
          rows: [
            { seq: '1', recorded_ms: '1000' },
            { seq: '2', recorded_ms: '1500' },
          ],
        };
      },
    } as unknown as Pool;
    let now = 1040;
    const fanout = new FanoutLatency({ feed, pool, metrics, now: () => now, batchMs: 10_000 });
    feed.publish([change(1), change(2)]);
    now = 1600;
    feed.publish([change(3)]);
    await fanout.flush();
    expect(queries).toEqual([[['1', '2', '3']]]); // one query for the batch
    expect(observed).toEqual([0.04, -0.46]); // seq 2 was handed over at 1040, 460 ms before its recorded time: skew shows, recordFanout clamps it
    await fanout.stop();
    feed.publish([change(4)]);
    await fanout.flush();
    expect(queries).toHaveLength(1); // stopped: no longer observing
  });
});
