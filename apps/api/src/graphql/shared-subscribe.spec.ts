import { GraphQLID, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { sharedSubscribe, type SharedSubscribeStats } from './shared-subscribe';

const HOOK = Symbol('hook');

interface Event {
  readonly id: string;
  readonly n: number;
}

/** Events published to every open source stream, as the ChangeFeed does: the same object to each. */
class Events {
  private readonly streams = new Set<{ push(event: Event): void; waiting: ((r: IteratorResult<Event>) => void)[]; queue: Event[] }>();
  returned = 0;

  stream(id: string): AsyncIterableIterator<Event> {
    const state = {
      waiting: [] as ((r: IteratorResult<Event>) => void)[],
      queue: [] as Event[],
      push(event: Event) {
        if (event.id !== id) return;
        const resolve = state.waiting.shift();
        if (resolve) resolve({ value: event, done: false });
        else state.queue.push(event);
      },
    };
    this.streams.add(state);
    const iterator: AsyncIterableIterator<Event> = {
      next: () => (state.queue.length ? Promise.resolve({ value: state.queue.shift()!, done: false }) : new Promise((resolve) => state.waiting.push(resolve))),
      return: () => {
        this.returned++;
        this.streams.delete(state);
        for (const resolve of state.waiting.splice(0)) resolve({ value: undefined, done: true });
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  publish(event: Event): void {
    for (const stream of this.streams) stream.push(event);
  }
}

function setUp() {
  const events = new Events();
  const calls = { n: 0 };
  const eventType = new GraphQLObjectType<Event, { person: string; [HOOK]?: () => number }>({
    name: 'Event',
    fields: {
      id: { type: new GraphQLNonNull(GraphQLID) },
      n: {
        type: new GraphQLNonNull(GraphQLInt),
        // Like Apollo's field instrumentation, it looks for a hook on the context first.
        resolve: (event, _args, context) => {
          const hook = context[HOOK];
          if (typeof hook === 'function') return hook();
          calls.n++;
          return event.n;
        },
      },
      /** Depends on who asks. */
      who: { type: GraphQLString, resolve: (_event, _args, context) => context.person },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        changed: {
          type: eventType,
          args: { id: { type: new GraphQLNonNull(GraphQLID) } },
          subscribe: (_root, args: { id: string }) => {
            if (args.id === 'refused') throw new Error('not allowed');
            return events.stream(args.id);
          },
          resolve: (event: Event) => event,
        },
      },
    }),
  });
  const stats: SharedSubscribeStats = { executions: 0, shared: 0 };
  const subscribe = sharedSubscribe(stats);
  const open = async (query: string, id: string, person: string) => {
    const result = await subscribe({ schema, document: parse(query), variableValues: { id }, contextValue: { person } });
    if (!(Symbol.asyncIterator in result)) throw new Error(JSON.stringify(result));
    return result;
  };
  return { events, calls, stats, subscribe, schema, open };
}

const NUMBERS = 'subscription ($id: ID!) { changed(id: $id) { id n } }';
const PERSONAL = 'subscription ($id: ID!) { changed(id: $id) { id n who } }';

const data = (result: IteratorResult<ExecutionResult>) => (result.value as ExecutionResult).data;

describe('sharedSubscribe', () => {
  it('executes an event once for every subscriber with the same document and variables, when no field reads who asks', async () => {
    const { events, calls, stats, open } = setUp();
    const a = await open(NUMBERS, 'c1', 'alice');
    const b = await open(NUMBERS, 'c1', 'bob');
    const next = [a.next(), b.next()];
    events.publish({ id: 'c1', n: 1 });
    const [ra, rb] = await Promise.all(next);
    expect(data(ra)).toEqual({ changed: { id: 'c1', n: 1 } });
    expect(data(rb)).toEqual(data(ra));
    expect([calls.n, stats.executions, stats.shared]).toEqual([1, 1, 1]);
  });

  it("executes it for each subscriber when a field reads the subscriber's context", async () => {
    const { events, calls, stats, open } = setUp();
    const a = await open(PERSONAL, 'c1', 'alice');
    const b = await open(PERSONAL, 'c1', 'bob');
    const next = [a.next(), b.next()];
    events.publish({ id: 'c1', n: 1 });
    const [ra, rb] = await Promise.all(next);
    expect(data(ra)).toEqual({ changed: { id: 'c1', n: 1, who: 'alice' } });
    expect(data(rb)).toEqual({ changed: { id: 'c1', n: 1, who: 'bob' } });
    expect([calls.n, stats.executions, stats.shared]).toEqual([2, 2, 0]);
  });

  it('shares when a field looks for what the context does not hold, unless the other context holds it', async () => {
    const { events, stats, schema, subscribe } = setUp();
    const open = async (contextValue: object) => {
      const result = await subscribe({ schema, document: parse(NUMBERS), variableValues: { id: 'c1' }, contextValue });
      if (!(Symbol.asyncIterator in result)) throw new Error(JSON.stringify(result));
      return result;
    };
    const a = await open({ person: 'alice' });
    const b = await open({ person: 'bob' });
    const hooked = await open({ person: 'carol', [HOOK]: () => 42 });
    const next = [a.next(), b.next(), hooked.next()];
    events.publish({ id: 'c1', n: 1 });
    expect((await Promise.all(next)).map(data)).toEqual([{ changed: { id: 'c1', n: 1 } }, { changed: { id: 'c1', n: 1 } }, { changed: { id: 'c1', n: 42 } }]);
    expect([stats.executions, stats.shared]).toEqual([2, 1]);
  });

  it('does not share between other variables, other documents, or other events', async () => {
    const { events, stats, open } = setUp();
    const one = await open(NUMBERS, 'c1', 'alice');
    const other = await open('subscription ($id: ID!) { changed(id: $id) { n } }', 'c1', 'alice');
    const elsewhere = await open(NUMBERS, 'c2', 'alice');
    const next = [one.next(), other.next(), elsewhere.next()];
    events.publish({ id: 'c1', n: 1 });
    events.publish({ id: 'c2', n: 2 });
    expect((await Promise.all(next)).map(data)).toEqual([{ changed: { id: 'c1', n: 1 } }, { changed: { n: 1 } }, { changed: { id: 'c2', n: 2 } }]);
    events.publish({ id: 'c1', n: 3 }); // an equal-looking event is another object: executed again
    expect(data(await one.next())).toEqual({ changed: { id: 'c1', n: 3 } });
    expect([stats.executions, stats.shared]).toEqual([4, 0]);
  });

  it('ends the source stream as soon as the subscriber leaves, even while it waits for an event', async () => {
    const { events, open } = setUp();
    const a = await open(NUMBERS, 'c1', 'alice');
    const waiting = a.next();
    await a.return();
    expect(events.returned).toBe(1);
    expect(await waiting).toEqual({ value: undefined, done: true });
  });

  it('answers with the errors when the subscription cannot start', async () => {
    const { subscribe, schema } = setUp();
    const result = await subscribe({ schema, document: parse(NUMBERS), variableValues: { id: 'refused' }, contextValue: { person: 'alice' } });
    expect(Symbol.asyncIterator in result).toBe(false);
    expect((result as ExecutionResult).errors?.map((e) => e.message)).toEqual(['not allowed']);
  });
});
