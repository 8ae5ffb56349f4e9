import { alternatingOrder, median, pairedRatioValues, pairedRatios, percentile, ratePerSecond, summarize } from './stats';

describe('percentile (linear interpolation between closest ranks)', () => {
  it('gives the minimum at p0, the maximum at p100 and the middle value at p50 of an odd count', () => {
    const values = [7, 1, 3, 9, 5];
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 100)).toBe(9);
    expect(percentile(values, 50)).toBe(5);
  });

  it('interpolates between the two closest ranks', () => {
    // ranks 0..3 over [10, 20, 30, 40]: p50 sits at rank 1.5, p90 at rank 2.7
    expect(percentile([40, 10, 30, 20], 50)).toBe(25);
    expect(percentile([40, 10, 30, 20], 90)).toBeCloseTo(37, 10);
  });

  it('gives p99 of 1..100 as 99.01 (rank 98.01), not the maximum', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBeCloseTo(99.01, 10);
    expect(percentile(values, 1)).toBeCloseTo(1.99, 10);
  });

  it('is the value itself for a single value, at any p', () => {
    expect(percentile([42], 0)).toBe(42);
    expect(percentile([42], 99)).toBe(42);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses no values, a p outside 0..100 and values that are not finite', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], 100.5)).toThrow(RangeError);
    expect(() => percentile([1, Number.NaN], 50)).toThrow(RangeError);
    expect(() => percentile([1, Number.POSITIVE_INFINITY], 50)).toThrow(RangeError);
  });
});

describe('median and summarize', () => {
  it('takes the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('summarizes runs as median, min, max and count', () => {
    expect(summarize([12, 10, 30, 11, 13])).toEqual({ median: 12, min: 10, max: 30, n: 5 });
    expect(summarize([5])).toEqual({ median: 5, min: 5, max: 5, n: 1 });
    expect(() => summarize([])).toThrow(RangeError);
  });
});

describe('ratePerSecond', () => {
  it('turns a count in milliseconds into a rate per second', () => {
    expect(ratePerSecond(500, 250)).toBe(2000);
    expect(ratePerSecond(1, 1000)).toBe(1);
  });

  it('refuses a duration that is zero or negative', () => {
    expect(() => ratePerSecond(10, 0)).toThrow(RangeError);
    expect(() => ratePerSecond(10, -5)).toThrow(RangeError);
  });
});

describe('pairedRatios', () => {
  it('divides run by run, then summarizes: not the ratio of the two medians', () => {
    // Run 2 is a slow moment for both sides: its ratio is still 2.
    const a = [200, 100, 210];
    const b = [100, 50, 100];
    expect(pairedRatioValues(a, b)).toEqual([2, 2, 2.1]);
    expect(pairedRatios(a, b)).toEqual({ median: 2, min: 2, max: 2.1, n: 3 });
    // Not the ratio of the medians: 120 / 100 = 1.2, while the runs' ratios are 2, 3 and 1.2.
    const c = [100, 300, 120];
    const d = [50, 100, 100];
    expect(median(c) / median(d)).toBe(1.2);
    expect(pairedRatios(c, d)).toEqual({ median: 2, min: 1.2, max: 3, n: 3 });
  });

  it('refuses sides of different lengths and a zero denominator', () => {
    expect(() => pairedRatios([1, 2], [1])).toThrow(RangeError);
    expect(() => pairedRatios([1], [0])).toThrow(/run 1/);
    expect(() => pairedRatioValues([1, 2], [1, 0])).toThrow(/run 2/);
  });
});

describe('alternatingOrder', () => {
  it('alternates two sides: AB, BA, AB', () => {
    expect([0, 1, 2].map((round) => alternatingOrder(['A', 'B'], round).join(''))).toEqual(['AB', 'BA', 'AB']);
  });

  it('rotates three sides so that each runs first once every three rounds', () => {
    const firsts = [0, 1, 2].map((round) => alternatingOrder(['A', 'B', 'C'], round)[0]);
    expect(firsts.sort()).toEqual(['A', 'B', 'C']);
    expect(alternatingOrder(['A', 'B', 'C'], 1)).toEqual(['B', 'C', 'A']);
    expect(alternatingOrder(['A', 'B', 'C'], 4)).toEqual(['B', 'C', 'A']);
  });

  it('keeps every side exactly once, for one side and none', () => {
    expect(alternatingOrder(['A'], 7)).toEqual(['A']);
    expect(alternatingOrder([], 3)).toEqual([]);
  });
});
