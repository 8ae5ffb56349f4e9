import fc from 'fast-check';
import { Allocation, fitsCapacity, peakLoad } from './capacity';

/** `2025-04-01` + n days. */
const day = (n: number): string => new Date(Date.UTC(2025, 3, 1 + n)).toISOString().slice(0, 10);
const allocation = (from: number, to: number, daysPerMonth: number): Allocation => ({ startDate: day(from), endDate: day(to), daysPerMonth });

/** The oracle: the load on every single day, by brute force. */
const loadOn = (allocations: readonly Allocation[], date: string) =>
  allocations.filter((a) => a.startDate <= date && date <= a.endDate).reduce((sum, a) => sum + a.daysPerMonth, 0);
const bruteForcePeak = (allocations: readonly Allocation[], from: number, to: number) => {
  let peak = 0;
  for (let n = from; n <= to; n++) peak = Math.max(peak, loadOn(allocations, day(n)));
  return peak;
};

const DAYS = Array.from({ length: 201 }, (_, n) => day(n));

const allocationArb = fc
  .tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 31 }))
  .map(([start, length, days]) => allocation(start, start + length, days));
const rangeArb = fc.tuple(fc.integer({ min: 0, max: 180 }), fc.integer({ min: 0, max: 90 })).map(([from, length]) => [from, from + length] as const);

describe('capacity', () => {
  it('adds up dispatches that overlap, not those that follow each other', () => {
    const halfYears = [allocation(0, 182, 10), allocation(183, 364, 10)];
    expect(peakLoad(halfYears, day(0), day(364))).toBe(10);
    expect(fitsCapacity(halfYears, allocation(0, 364, 5), 15)).toBe(true);
    expect(fitsCapacity(halfYears, allocation(0, 364, 6), 15)).toBe(false);
  });

  it('counts both end dates: a dispatch ending on the day another starts overlaps it', () => {
    expect(peakLoad([allocation(0, 10, 8), allocation(10, 20, 8)], day(0), day(20))).toBe(16);
    expect(peakLoad([allocation(0, 10, 8), allocation(11, 20, 8)], day(0), day(20))).toBe(8);
  });

  it('finds a peak that starts inside the range', () => {
    expect(peakLoad([allocation(0, 100, 4), allocation(50, 60, 9)], day(40), day(70))).toBe(13);
    expect(peakLoad([allocation(0, 100, 4), allocation(50, 60, 9)], day(61), day(70))).toBe(4);
    expect(peakLoad([], day(0), day(10))).toBe(0);
  });

  it('property: the peak equals the largest load of any single day of the range', () => {
    fc.assert(
      fc.property(fc.array(allocationArb, { maxLength: 12 }), rangeArb, (allocations, [from, to]) => {
        expect(peakLoad(allocations, day(from), day(to))).toBe(bruteForcePeak(allocations, from, to));
      }),
    );
  });

  it('property: accepting only what fits never over-allocates any day, and refuses only what would', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 31 }), fc.array(allocationArb, { maxLength: 20 }), (capacity, requests) => {
        const accepted: Allocation[] = [];
        for (const request of requests) {
          const fits = fitsCapacity(accepted, request, capacity);
          // The oracle: some day of the request's range would go over.
          let over = false;
          for (const d of DAYS) if (request.startDate <= d && d <= request.endDate && loadOn(accepted, d) + request.daysPerMonth > capacity) over = true;
          expect(fits).toBe(!over);
          if (fits) accepted.push(request);
        }
        expect(Math.max(0, ...DAYS.map((d) => loadOn(accepted, d)))).toBeLessThanOrEqual(capacity);
      }),
    );
  });
});
