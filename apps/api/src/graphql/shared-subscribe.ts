/**
 * graphql-ws's `subscribe`, executing each event once for all the subscribers who would get the
 * same result, instead of once per subscriber.
 *
 * Each subscriber keeps its own source stream (its resolver: its own feed subscription, filter,
 * visibility and `after`), exactly as graphql-js's `subscribe` makes it. What is shared is the
 * execution of the document for an event: subscribers with the same document, operation and
 * variables that receive the same event object (the ChangeFeed hands every subscriber the same
 * LoggedChange) get the same ExecutionResult — but only if executing it read nothing the
 * subscriber's context holds (who is asking): the first execution runs with its context watched,
 * and if any resolver read a property of it, every subscriber executes the event with its own
 * context, as before. A document whose fields depend on who asks is therefore never shared.
 * (Looking for a property the context does not have — Apollo's field instrumentation looks for
 * its hooks on every field — is not reading it, as long as the other context lacks it too.)
 *
 * 200 graphql-ws subscribers to one consultation cost 200 executions per stance before.
 */
import { createSourceEventStream, execute, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';

interface Shared {
  readonly result: Promise<ExecutionResult>;
  /** Whether the execution read anything its context holds: then it is the first subscriber's alone. */
  readonly readContext: Promise<boolean>;
  /** What it looked for in its context and did not find (Apollo's field instrumentation looks for its hooks): a context that has one of these executes on its own. */
  readonly missing: Set<PropertyKey>;
}

export interface SharedSubscribeStats {
  /** Executions run (one per event and shared group, plus one per subscriber whose document reads its context). */
  executions: number;
  /** Results handed to a subscriber without executing. */
  shared: number;
}

export function sharedSubscribe(stats: SharedSubscribeStats = { executions: 0, shared: 0 }) {
  /** Per event (the payload object every subscriber is handed), the executions made for it, by document, operation and variables. */
  const byEvent = new WeakMap<object, Map<string, Shared>>();
  const printed = new WeakMap<DocumentNode, string>();

  const keyOf = (args: ExecutionArgs): string => {
    let text = printed.get(args.document);
    if (text === undefined) printed.set(args.document, (text = print(args.document)));
    return JSON.stringify([text, args.operationName ?? null, args.variableValues ?? null]);
  };

  const own = async (args: ExecutionArgs, payload: unknown): Promise<ExecutionResult> => {
    stats.executions++;
    return execute({ ...args, rootValue: payload });
  };

  const executeFor = async (args: ExecutionArgs, key: string, payload: unknown): Promise<ExecutionResult> => {
    if (typeof payload !== 'object' || payload === null || typeof args.contextValue !== 'object' || args.contextValue === null) return own(args, payload);
    let executions = byEvent.get(payload);
    if (!executions) byEvent.set(payload, (executions = new Map()));
    const first = executions.get(key);
    if (first) {
      const context = args.contextValue;
      if ((await first.readContext) || [...first.missing].some((property) => property in context)) return own(args, payload);
      stats.shared++;
      return first.result;
    }
    let read = false;
    const missing = new Set<PropertyKey>();
    const look = (target: object, property: PropertyKey) => {
      if (property in target) read = true;
      else missing.add(property);
    };
    const watched = new Proxy(args.contextValue, {
      get(target, property, receiver) {
        look(target, property);
        return Reflect.get(target, property, receiver) as unknown;
      },
      has(target, property) {
        look(target, property);
        return Reflect.has(target, property);
      },
    });
    stats.executions++;
    const result = Promise.resolve(execute({ ...args, rootValue: payload, contextValue: watched }));
    executions.set(key, { result, readContext: result.then(() => read), missing });
    return result;
  };

  return async (args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult, void, void> | ExecutionResult> => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return source; // errors: the subscription could not start
    const key = keyOf(args);
    return mapEvents(source, (payload) => executeFor(args, key, payload));
  };
}

/** Maps a source stream like graphql-js does: `return` reaches the source at once, even while a `next` waits. */
function mapEvents<T, R>(source: AsyncIterable<T>, map: (value: T) => Promise<R>): AsyncGenerator<R, void, void> {
  const iterator = source[Symbol.asyncIterator]();
  const close = async () => {
    await iterator.return?.();
  };
  const mapped: AsyncGenerator<R, void, void> = {
    async next() {
      const next = await iterator.next();
      if (next.done) return { value: undefined, done: true };
      try {
        return { value: await map(next.value), done: false };
      } catch (error) {
        await close().catch(() => undefined);
        throw error;
      }
    },
    async return() {
      await close();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
    async [Symbol.asyncDispose]() {
      await close();
    },
  };
  return mapped;
}
