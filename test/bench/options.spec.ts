import { parseOptions, UsageError } from './harness';

describe('the benchmark options', () => {
  it('take sizes as whole numbers of at least 1, by name', () => {
    expect(parseOptions(['fanout', '--stances', '300', '--clients', '50']).sizes).toEqual({ stances: 300, clients: 50 });
    expect(() => parseOptions(['--stances', '0'])).toThrow(new UsageError('--stances needs an integer ≥ 1, not 0'));
    expect(() => parseOptions(['--events', '1.5'])).toThrow(UsageError);
  });

  it('take a fan-out rate of 0 (the closed loop) or more stances per second', () => {
    expect(parseOptions(['fanout', '--rate', '0']).sizes).toEqual({ rate: 0 });
    expect(parseOptions(['fanout', '--rate', '25']).sizes).toEqual({ rate: 25 });
    expect(parseOptions(['fanout']).sizes).toEqual({});
    expect(() => parseOptions(['--rate', '-1'])).toThrow(new UsageError('--rate needs an integer ≥ 0, not -1'));
    expect(() => parseOptions(['--rate'])).toThrow(new UsageError('--rate needs an integer ≥ 0, not nothing'));
  });
});
