/**
 * The arithmetic of the benchmarks, kept apart so that it is unit-tested (stats.spec.ts):
 * percentiles of latencies, the median / min / max of repeated runs, and ratios of two sides
 * measured in the same run.
 */

/** Median / min / max of a figure over the measured runs (warm-up excluded). */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many runs. */
  readonly n: number;
}

function sorted(values: readonly number[]): number[] {
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
  return [...values].sort((a, b) => a - b);
}

/**
 * The p-th percentile (0 ≤ p ≤ 100) by linear interpolation between closest ranks (the method
 * of numpy's default and of Excel's PERCENTILE.INC): p0 is the minimum, p100 the maximum, p50
 * the median.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, not ${p}`);
  const s = sorted(values);
  const rank = (p / 100) * (s.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return s[low] + (s[high] - s[low]) * (rank - low);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('summary of no values');
  const s = sorted(values);
  return { median: median(s), min: s[0], max: s[s.length - 1], n: s.length };
}

/** Operations per second: `count` operations in `ms` milliseconds. */
export function ratePerSecond(count: number, ms: number): number {
  if (!(ms > 0)) throw new RangeError(`a rate needs a positive duration, not ${ms} ms`);
  return (count * 1000) / ms;
}

/**
 * The ratios `a[i] / b[i]` of two sides measured in the same round i. Pairing by round (not
 * dividing the two medians) is the point: a slow moment of the machine hits both sides of a
 * round, so it cancels out of that round's ratio.
 */
export function pairedRatioValues(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new RangeError(`paired ratios need as many values on each side (${a.length} ≠ ${b.length})`);
  return a.map((x, i) => {
    if (b[i] === 0) throw new RangeError(`ratio over zero in run ${i + 1}`);
    return x / b[i];
  });
}

/** The paired ratios, summarized. */
export function pairedRatios(a: readonly number[], b: readonly number[]): Summary {
  return summarize(pairedRatioValues(a, b));
}

/**
 * The order in which `sides` run in round `round`: rotated by one each round, so that over the
 * rounds every side runs first (on a cold cache, after an idle moment) as often as the others.
 * With two sides: AB, BA, AB …
 */
export function alternatingOrder<T>(sides: readonly T[], round: number): T[] {
  if (sides.length === 0) return [];
  const shift = ((round % sides.length) + sides.length) % sides.length;
  return [...sides.slice(shift), ...sides.slice(0, shift)];
}
