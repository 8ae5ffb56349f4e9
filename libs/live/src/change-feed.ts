import { formatPosition, type Position } from '@kyogi/event-store/port';
import { CHANGE_REPLAY_LIMIT, type ChangeHistory, type LoggedChange } from '@kyogi/read-models/change-log';

export class ResyncRequiredError extends Error {
  readonly code = 'RESYNC_REQUIRED' as const;
  constructor(reason: string) {
    super(`${reason}: re-query and subscribe again`);
    this.name = 'ResyncRequiredError';
  }
}

export interface ChangeFeedOptions {
  /** Changes a subscriber may have waiting before it is told to resync (per subscriber). */
  readonly bufferLimit?: number;
  /** Reads the change log after a position, for subscribers that resume (`after`); refuses a position before the log's horizon. */
  readonly history?: (after: Position, limit: number) => Promise<ChangeHistory>;
  /** At most this many missed changes are replayed; more means: resync. */
  readonly replayLimit?: number;
}

export interface SubscribeOptions {
  /** Resume: first replay what was logged after this position, then go live, with no gap and no duplicate. */
  readonly after?: Position | null;
}

/**
 * Change notifications for the live clients of this process (GraphQL subscriptions and
 * socket.io rooms alike), fed in log order by the ChangeLogTail. Each subscriber has a bounded
 * buffer: one that falls too far behind ends with ResyncRequiredError instead of growing the
 * server's memory.
 */
export class ChangeFeed {
  private readonly subscribers = new Map<(change: LoggedChange) => void, (error: unknown) => void>();
  private readonly bufferLimit: number;
  private readonly replayLimit: number;

  constructor(private readonly options: ChangeFeedOptions = {}) {
    this.bufferLimit = options.bufferLimit ?? 1000;
    this.replayLimit = options.replayLimit ?? CHANGE_REPLAY_LIMIT;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  publish(changes: readonly LoggedChange[]): void {
    for (const change of changes) for (const deliver of this.subscribers.keys()) deliver(change);
  }

  /**
   * Ends every current subscription with ResyncRequiredError: the log has a gap they would not
   * see (a catch-up from far behind left changes unlogged, ChangeLogTail noticed the horizon move).
   */
  resyncAll(reason: string): void {
    for (const fail of [...this.subscribers.values()]) fail(new ResyncRequiredError(reason));
  }

  /**
   * A listener with no buffer of its own: `deliver` runs inside `publish`, in log order, for each
   * matching change, so a change published after `listen` returns reaches it and none before.
   * For a consumer that hands each change on at once and bounds what waits on its side (the room
   * channels, room-channels.ts); `deliver` must not throw. `resync` is told when every
   * subscriber must resync (resyncAll). Returns what stops it.
   */
  listen(matches: (change: LoggedChange) => boolean, deliver: (change: LoggedChange) => void, resync: (reason: string) => void): () => void {
    const listener = (change: LoggedChange) => {
      if (matches(change)) deliver(change);
    };
    this.subscribers.set(listener, (error) => resync(error instanceof Error ? error.message : String(error)));
    return () => void this.subscribers.delete(listener);
  }

  /** What was logged after `after`, read from the change log, oldest first; more than the replay limit: ResyncRequiredError. */
  async missedSince(after: Position): Promise<LoggedChange[]> {
    const history = this.options.history;
    if (!history) throw new Error('this feed has no change log to replay from');
    const read = await history(after, this.replayLimit + 1);
    // A log that is not complete after `after` would replay only part of what was missed.
    if (!read.ok) throw new ResyncRequiredError(`the change log is complete only after ${formatPosition(read.horizon)}, not ${formatPosition(after)}`);
    const missed = read.changes;
    if (missed.length > this.replayLimit) throw new ResyncRequiredError(`more than ${this.replayLimit} changes were missed`);
    return [...missed];
  }

  subscribe(matches: (change: LoggedChange) => boolean, options: SubscribeOptions = {}): AsyncIterableIterator<LoggedChange> {
    const buffer: LoggedChange[] = [];
    let pending: { resolve: (r: IteratorResult<LoggedChange>) => void; reject: (e: unknown) => void } | undefined;
    let failure: unknown;
    let ended = false;
    // While the history is read, live changes wait here; afterwards only those newer than the history pass.
    let replaying: LoggedChange[] | null = options.after ? [] : null;
    // The tail may publish a change after the replay already read it from the log: skip those.
    let replayedUpTo = 0n;

    const fail = (error: unknown) => {
      failure = error;
      buffer.length = 0;
      this.subscribers.delete(deliver);
      if (pending) {
        const p = pending;
        pending = undefined;
        end();
        p.reject(error);
      }
    };
    const push = (change: LoggedChange) => {
      if (pending) {
        const p = pending;
        pending = undefined;
        p.resolve({ value: change, done: false });
      } else if (buffer.length >= this.bufferLimit) {
        fail(new ResyncRequiredError(`more than ${this.bufferLimit} changes waited for this client`));
      } else {
        buffer.push(change);
      }
    };
    const deliver = (change: LoggedChange) => {
      if (ended || failure || !matches(change)) return;
      if (replaying) {
        if (replaying.length >= this.bufferLimit) fail(new ResyncRequiredError(`more than ${this.bufferLimit} changes arrived during the replay`));
        else replaying.push(change);
        return;
      }
      if (change.seq <= replayedUpTo) return;
      push(change);
    };
    this.subscribers.set(deliver, fail);

    if (options.after) {
      const after = options.after;
      void (async () => {
        const missed = await this.missedSince(after);
        let lastSeq = 0n;
        for (const change of missed) {
          lastSeq = change.seq;
          if (!ended && !failure && matches(change)) push(change);
        }
        const live = replaying ?? [];
        replayedUpTo = lastSeq;
        replaying = null;
        for (const change of live) if (change.seq > lastSeq && !ended && !failure) push(change);
      })().catch(fail);
    }

    const end = () => {
      ended = true;
      this.subscribers.delete(deliver);
      buffer.length = 0;
      pending?.resolve({ value: undefined, done: true });
      pending = undefined;
    };
    const iterator: AsyncIterableIterator<LoggedChange> = {
      next: () => {
        if (buffer.length) return Promise.resolve({ value: buffer.shift()!, done: false });
        if (failure) {
          const error = failure;
          end();
          return Promise.reject(error);
        }
        if (ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => (pending = { resolve, reject }));
      },
      return: () => {
        end();
        return Promise.resolve({ value: undefined, done: true });
      },
      throw: (error: unknown) => {
        end();
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}
