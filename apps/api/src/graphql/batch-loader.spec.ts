import { BatchLoader, requestLoader } from './batch-loader';

/** A loader over a fixed table that records every call of `loadMany`. */
function recorded(table: Record<string, string>) {
  const calls: string[][] = [];
  const loader = new BatchLoader<string, string>(async (keys) => {
    calls.push([...keys]);
    return new Map(keys.filter((k) => k in table).map((k) => [k, table[k]]));
  });
  return { loader, calls };
}

/** Lets a few microtasks pass, as Nest's resolver pipeline does before calling a resolver. */
const afterAwaits = async (n: number) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

describe('BatchLoader', () => {
  it('loads the keys asked for in the same turn of the event loop with one call, even after some awaits, and answers each', async () => {
    const { loader, calls } = recorded({ a: 'A', b: 'B', c: 'C' });
    const answers = await Promise.all([
      loader.load('a'),
      afterAwaits(3).then(() => loader.load('b')),
      afterAwaits(10).then(() => loader.load('c')),
      loader.load('missing'),
    ]);
    expect(answers).toEqual(['A', 'B', 'C', null]);
    expect(calls).toEqual([['a', 'missing', 'b', 'c']]); // in the order they were asked for
  });

  it('asks for a key once per loader: a repeated key shares the answer, a later turn loads only new keys', async () => {
    const { loader, calls } = recorded({ a: 'A', b: 'B' });
    expect(await Promise.all([loader.load('a'), loader.load('a')])).toEqual(['A', 'A']);
    expect(await Promise.all([loader.load('a'), loader.load('b')])).toEqual(['A', 'B']);
    expect(calls).toEqual([['a'], ['b']]);
  });

  it('rejects every key of a failed batch and does not keep the failure: the next load tries again', async () => {
    let fail = true;
    const loader = new BatchLoader<string, string>(async (keys) => {
      if (fail) throw new Error('read model unavailable');
      return new Map(keys.map((k) => [k, k.toUpperCase()]));
    });
    const results = await Promise.allSettled([loader.load('a'), loader.load('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('read model unavailable'));
    fail = false;
    expect(await loader.load('a')).toBe('A');
  });
});

describe('requestLoader', () => {
  it('gives one loader per request context and name, so answers are never shared between requests', async () => {
    const calls: string[][] = [];
    const loadMany = async (keys: readonly string[]) => {
      calls.push([...keys]);
      return new Map(keys.map((k) => [k, `${k}@${calls.length}`]));
    };
    const first = {};
    const second = {};
    expect(requestLoader(first, 'organisation', loadMany)).toBe(requestLoader(first, 'organisation', loadMany));
    expect(requestLoader(first, 'organisation', loadMany)).not.toBe(requestLoader(first, 'member', loadMany));
    expect(requestLoader(first, 'organisation', loadMany)).not.toBe(requestLoader(second, 'organisation', loadMany));
    const a1 = await requestLoader(first, 'organisation', loadMany).load('x');
    const a2 = await requestLoader(second, 'organisation', loadMany).load('x');
    expect([a1, a2]).toEqual(['x@1', 'x@2']);
  });
});
