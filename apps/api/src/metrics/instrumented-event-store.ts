import { WrongExpectedRevisionError, type EventStore } from '@kyogi/event-store/port';
import type { KyogiMetrics } from './metrics';

/**
 * The event store with every append timed and counted. A wrapper in the app rather than a hook
 * in the adapters: both adapters are measured the same way and the library stays free of
 * prom-client. A Proxy, so that everything else — other methods (bound to the real store),
 * properties, `instanceof` — is the adapter's own.
 */
export function instrumentEventStore<S extends EventStore>(store: S, metrics: KyogiMetrics, now: () => bigint = process.hrtime.bigint): S {
  const appendToStream: EventStore['appendToStream'] = async (stream, events, expected) => {
    const started = now();
    const seconds = () => Number(now() - started) / 1e9;
    try {
      const result = await store.appendToStream(stream, events, expected);
      metrics.recordAppend('ok', events.length, seconds());
      return result;
    } catch (error) {
      metrics.recordAppend(error instanceof WrongExpectedRevisionError ? 'conflict' : 'error', events.length, seconds());
      throw error;
    }
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'appendToStream') return appendToStream;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
