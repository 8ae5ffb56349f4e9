import type { ReadModelChange } from '@kyogi/read-models/projection';

export class SlowConsumerError extends Error {
  readonly code = 'RESYNC_REQUIRED' as const;
  constructor(limit: number) {
    super(`More than ${limit} changes waited for this client: re-query and subscribe again`);
  }
}

/**
 * Change notifications from the projector (published after the read model committed) to the
 * live clients of this process. Each subscriber has a bounded buffer: one that falls too far
 * behind is ended with SlowConsumerError instead of growing the server's memory.
 */
export class ChangeFeed {
  private readonly subscribers = new Set<(change: ReadModelChange) => void>();

  constructor(private readonly bufferLimit = 1000) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  publish(changes: readonly ReadModelChange[]): void {
    for (const change of changes) for (const deliver of this.subscribers) deliver(change);
  }

  /** An async iterator of the changes that match, for GraphQL subscriptions. */
  subscribe(matches: (change: ReadModelChange) => boolean): AsyncIterableIterator<ReadModelChange> {
    const buffer: ReadModelChange[] = [];
    let pending: { resolve: (r: IteratorResult<ReadModelChange>) => void; reject: (e: unknown) => void } | undefined;
    let failure: unknown;
    let ended = false;
    const deliver = (change: ReadModelChange) => {
      if (ended || !matches(change)) return;
      if (pending) {
        const p = pending;
        pending = undefined;
        p.resolve({ value: change, done: false });
      } else if (buffer.length >= this.bufferLimit) {
        failure = new SlowConsumerError(this.bufferLimit);
        buffer.length = 0;
        this.subscribers.delete(deliver);
      } else {
        buffer.push(change);
      }
    };
    this.subscribers.add(deliver);
    const end = () => {
      ended = true;
      this.subscribers.delete(deliver);
      buffer.length = 0;
      pending?.resolve({ value: undefined, done: true });
      pending = undefined;
    };
    const iterator: AsyncIterableIterator<ReadModelChange> = {
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
