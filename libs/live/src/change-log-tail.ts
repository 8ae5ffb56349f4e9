import { Client, type Pool } from 'pg';
import { comparePositions, formatPosition, START, type Position } from '@kyogi/event-store/port';
import { CHANGES_CHANNEL, COMMIT_WITHOUT_CHANGES, changeLogHorizon, changesAfterSeq, lastSeq, type LoggedChange } from '@kyogi/read-models/change-log';
import type { ChangeFeed } from './change-feed';

const BATCH = 500;

export interface ChangeLogTailOptions {
  readonly pollMs?: number;
  readonly log?: (m: string) => void;
  /** A projector (of any process) announced a read-model commit: called as the notification arrives, before the log is read. */
  readonly onCommitAnnounced?: () => void;
  /** Whether announcements can be heard: false when the LISTEN connection is lost, true once it listens (again). */
  readonly onListening?: (listening: boolean) => void;
}

/**
 * Every api instance tails the change log and hands what is new to its own ChangeFeed, in log
 * order. Woken by NOTIFY (sent by the projector's commit) and polling as a fallback, so changes
 * cross instances through PostgreSQL, and none is lost when a notification is.
 *
 * The instance that runs the projector is also handed each commit's changes directly
 * (`handOver`), which saves reading back what it just wrote; the NOTIFY names the last `seq`
 * committed, so the tail reads the log only for what it has not been handed.
 */
export class ChangeLogTail {
  private listener: Client | undefined;
  private seq = 0n;
  /** The highest `seq` a NOTIFY announced. */
  private announced = 0n;
  private started = false;
  /** The change log's horizon as last read: when it moves, the log has a gap that live subscribers cannot see. */
  private horizon: Position = START;
  private stopped = false;
  /** Asked to read while it was reading: read again instead of sleeping. */
  private woken = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly connectionString: string,
    private readonly feed: ChangeFeed,
    private readonly options: ChangeLogTailOptions = {},
  ) {}

  /** Starts after the changes already logged: clients that missed those resume with `after`. */
  async start(): Promise<void> {
    // The horizon before the seq: a gap made between the two reads shows as a move at the first poll (a resync too many, never one too few).
    this.horizon = await changeLogHorizon(this.pool);
    this.seq = await lastSeq(this.pool);
    this.started = true;
    await this.listen();
    this.loop = this.run();
  }

  /**
   * Changes this process's projector has just committed to the log. Published at once if they
   * follow what was published last with no `seq` missing in between; otherwise (a rolled-back
   * batch left a hole in the numbering, or the tail is behind) the log is read as usual.
   */
  handOver(changes: readonly LoggedChange[]): void {
    if (!this.started || this.stopped) return;
    const fresh = changes.filter((change) => change.seq > this.seq);
    if (!fresh.length) return;
    const follows = fresh.every((change, i) => change.seq === this.seq + BigInt(i) + 1n);
    if (!follows) {
      this.poke();
      return;
    }
    this.seq = fresh[fresh.length - 1].seq;
    try {
      this.feed.publish(fresh);
    } catch (error) {
      // Called from the projector after its commit: what failed here is the feed's, never the projector's.
      this.options.log?.(`change log tail: ${(error as Error).message}`);
    }
  }

  get position(): bigint {
    return this.seq;
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.connectionString, application_name: 'kyogi-change-log-tail' });
    client.on('notification', (message) => {
      this.options.onCommitAnnounced?.();
      this.onNotification(message.payload);
    });
    client.on('error', (error) => {
      this.options.log?.(`change log LISTEN connection lost (${error.message}); polling until it is back`);
      this.listener = undefined;
      this.options.onListening?.(false);
    });
    client.on('end', () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.options.onListening?.(false);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    this.listener = client;
    this.options.onListening?.(true);
  }

  private onNotification(payload: string | undefined): void {
    if (payload === COMMIT_WITHOUT_CHANGES) return; // nothing new in the log
    const seq = /^[0-9]{1,19}$/.test(payload ?? '') ? BigInt(payload!) : null;
    if (seq === null) {
      this.poke(); // announces nothing in particular: read
      return;
    }
    if (seq > this.announced) this.announced = seq;
    // The projector's commit reply, and with it the hand-over, often comes in the same turn as the NOTIFY: give it that turn.
    setImmediate(() => {
      if (this.announced > this.seq) this.poke();
    });
  }

  /**
   * The change log's horizon as read with a batch, or as this process's projector just moved it:
   * when it moves, changes were left out of the log (a catch-up from far behind), so every live
   * subscriber must resync before it is given anything after them.
   */
  horizonIs(horizon: Position): void {
    if (comparePositions(horizon, this.horizon) === 0) return;
    this.horizon = horizon;
    this.feed.resyncAll(`the change log skipped the changes up to ${formatPosition(horizon)} (a catch-up from far behind)`);
  }

  private poke(): void {
    this.woken = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    const pollMs = this.options.pollMs ?? 500;
    while (!this.stopped) {
      this.woken = false;
      try {
        const { horizon, changes: read } = await changesAfterSeq(this.pool, this.seq, BATCH);
        this.horizonIs(horizon);
        // What was handed over while the log was read is published already.
        const batch = read.filter((change) => change.seq > this.seq);
        if (batch.length) {
          this.seq = batch[batch.length - 1].seq;
          this.feed.publish(batch);
        }
        if (read.length === BATCH) continue;
        if (!this.listener && !this.stopped) await this.listen().catch(() => undefined);
      } catch (error) {
        this.options.log?.(`change log tail: ${(error as Error).message}`);
        this.woken = false; // wait before trying again
      }
      if (this.stopped) break;
      if (this.woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }
}
