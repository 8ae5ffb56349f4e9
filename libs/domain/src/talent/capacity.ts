/**
 * A pool person's capacity in days per month, taken by dispatches that each run over a date
 * range. Dispatches that do not overlap in time do not compete: a person can work 10 days a
 * month for town A from April to September and 10 for town B from October, with capacity 10.
 *
 * The load on a date is the sum of daysPerMonth of the dispatches covering it (both ends
 * included). A new dispatch fits when, on every date of its range, the load plus its days stays
 * within the capacity. Integers only; dates are `YYYY-MM-DD` strings, compared as strings.
 */

export interface Allocation {
  readonly startDate: string;
  readonly endDate: string;
  readonly daysPerMonth: number;
}

/**
 * The largest load on any date of [from, to]. The load only rises where a dispatch starts, so
 * the peak is at `from` or at a start inside the range: checking those dates is exact.
 */
export function peakLoad(allocations: readonly Allocation[], from: string, to: string): number {
  const overlapping = allocations.filter((a) => a.startDate <= to && a.endDate >= from);
  const dates = [from, ...overlapping.map((a) => a.startDate).filter((d) => d > from)];
  let peak = 0;
  for (const date of dates) {
    const load = overlapping.reduce((sum, a) => (a.startDate <= date && date <= a.endDate ? sum + a.daysPerMonth : sum), 0);
    if (load > peak) peak = load;
  }
  return peak;
}

/** Whether `candidate` fits beside `allocations` within `capacity` on every date of its range. */
export const fitsCapacity = (allocations: readonly Allocation[], candidate: Allocation, capacity: number): boolean =>
  peakLoad(allocations, candidate.startDate, candidate.endDate) + candidate.daysPerMonth <= capacity;
