import { Client, type Pool } from 'pg';
import { CHANGES_CHANNEL, changesAfterSeq, lastSeq } from '@kyogi/read-models/change-log';
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
 */
export class ChangeLogTail {
  private listener: Client | undefined;
  private seq = 0n;
  private stopped = false;
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
    this.seq = await lastSeq(this.pool);
    await this.listen();
    this.loop = this.run();
  }

  get position(): bigint {
    return this.seq;
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.connectionString, application_name: 'kyogi-change-log-tail' });
    client.on('notification', () => {
      this.options.onCommitAnnounced?.();
      this.wake?.();
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

  private async run(): Promise<void> {
    const pollMs = this.options.pollMs ?? 500;
    while (!this.stopped) {
      try {
        const batch = await changesAfterSeq(this.pool, this.seq, BATCH);
        if (batch.length) {
          this.seq = batch[batch.length - 1].seq;
          this.feed.publish(batch);
          if (batch.length === BATCH) continue;
        }
        if (!this.listener && !this.stopped) await this.listen().catch(() => undefined);
      } catch (error) {
        this.options.log?.(`change log tail: ${(error as Error).message}`);
      }
      if (this.stopped) break;
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
