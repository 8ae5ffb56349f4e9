import type { Pool } from 'pg';
import type { ChangeFeed } from '@kyogi/live/change-feed';
import type { KyogiMetrics } from './metrics';

/**
 * Fan-out latency, commit → emit: each change the feed hands to this instance's live clients is
 * matched with the time its read-model transaction recorded it (read_models.changes.recorded_at,
 * the database clock; the app's clock is assumed NTP-synchronised with it). The feed calls
 * matchers synchronously as it publishes, so the time taken there is the hand-over time; the
 * recorded times are read afterwards, one query per batch, off the publishing path.
 */
export class FanoutLatency {
  private pending: { seq: bigint; at: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: AsyncIterator<unknown>;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: {
      readonly feed: ChangeFeed;
      readonly pool: Pool;
      readonly metrics: KyogiMetrics;
      readonly now?: () => number;
      readonly log?: (message: string) => void;
      /** How long handed-over changes are collected before their recorded times are read. Default 250 ms. */
      readonly batchMs?: number;
    },
  ) {
    const now = options.now ?? Date.now;
    this.subscription = options.feed.subscribe((change) => {
      this.pending.push({ seq: change.seq, at: now() });
      this.timer ??= setTimeout(() => this.flush(), options.batchMs ?? 250);
      return false; // observe only: nothing is buffered for this subscriber
    });
  }

  /** Reads the recorded times of the changes handed over so far and records their latencies. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0, 1000);
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      try {
        const { rows } = await this.options.pool.query<{ seq: string; recorded_ms: string }>(
          'SELECT seq, (extract(epoch FROM recorded_at) * 1000)::text AS recorded_ms FROM read_models.changes WHERE seq = ANY($1::bigint[])',
          [batch.map((b) => b.seq.toString())],
        );
        const recorded = new Map(rows.map((r) => [r.seq, Number(r.recorded_ms)]));
        for (const { seq, at } of batch) {
          const ms = recorded.get(seq.toString());
          if (ms !== undefined) this.options.metrics.recordFanout((at - ms) / 1000);
        }
      } catch (error) {
        this.options.log?.(`metrics: fan-out latency not recorded: ${(error as Error).message}`);
      }
    });
    if (this.pending.length > 0) this.timer = setTimeout(() => this.flush(), 0);
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    await this.subscription.return?.();
    await this.flushing;
  }
}
