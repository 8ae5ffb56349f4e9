import fc from 'fast-check';
import { DomainError, isDomainError } from '../shared/decider';
import {
  CostTable,
  largestRemainder,
  MAX_ANNUAL_COST_YEN,
  MAX_DAYS_PER_MONTH,
  MAX_POPULATION,
  SplitInput,
  SplitParticipant,
  SplitRule,
  splitCost,
} from './cost-split';

const town = (organisationId: string, population: number | null = null, daysPerMonth: number | null = null): SplitParticipant => ({
  organisationId,
  population,
  daysPerMonth,
});
// Four small towns of 北海道 sharing one CIO補佐官 (the seed: 4 × 5M yen = one 20M yen specialist).
const FOUR_TOWNS = [town('014231', 3_000, 8), town('014249', 8_000, 4), town('014257', 12_000, 4), town('014265', 27_000, 4)];

function table(input: Partial<SplitInput>): CostTable {
  const result = splitCost({ annualCostYen: 20_000_000, subsidyPercent: 50, splitRule: 'equal', participants: FOUR_TOWNS, ...input });
  if (isDomainError(result)) throw new Error(`${result.code}: ${result.message}`);
  return result;
}
const column = (t: CostTable, key: 'shareYen' | 'subsidyYen' | 'netYen') => t.shares.map((s) => s[key]);
const failure = (input: Partial<SplitInput>) => {
  const result = splitCost({ annualCostYen: 20_000_000, subsidyPercent: 50, splitRule: 'equal', participants: FOUR_TOWNS, ...input });
  return isDomainError(result) ? { code: result.code, field: result.field } : result;
};

describe('splitCost', () => {
  describe('the four-towns example: 20,000,000 yen, equal split, 50% subsidy', () => {
    it('gives each town 5,000,000 yen, of which 2,500,000 is subsidised', () => {
      expect(table({})).toStrictEqual<CostTable>({
        splitRule: 'equal',
        annualCostYen: 20_000_000,
        subsidyPercent: 50,
        subsidyTotalYen: 10_000_000,
        netTotalYen: 10_000_000,
        shares: FOUR_TOWNS.map((t) => ({ organisationId: t.organisationId, weight: 1, shareYen: 5_000_000, subsidyYen: 2_500_000, netYen: 2_500_000 })),
      });
    });

    it('with one town gone, gives the indivisible yen to the earlier towns, in participant order', () => {
      const t = table({ participants: FOUR_TOWNS.slice(0, 3) });
      expect(column(t, 'shareYen')).toEqual([6_666_667, 6_666_667, 6_666_666]);
      // 10,000,000 split by those shares: quotas 3,333,333.5 / 3,333,333.5 / 3,333,333 → the first tie wins the yen.
      expect(column(t, 'subsidyYen')).toEqual([3_333_334, 3_333_333, 3_333_333]);
      expect(column(t, 'netYen')).toEqual([3_333_333, 3_333_334, 3_333_333]);
    });
  });

  it('splits by population exactly', () => {
    const t = table({ splitRule: 'population' });
    expect(column(t, 'shareYen')).toEqual([1_200_000, 3_200_000, 4_800_000, 10_800_000]);
    expect(t.shares.map((s) => s.weight)).toEqual([3_000, 8_000, 12_000, 27_000]);
    expect(column(t, 'subsidyYen')).toEqual([600_000, 1_600_000, 2_400_000, 5_400_000]);
  });

  it('splits by allotted days', () => {
    expect(column(table({ splitRule: 'allotted_days' }), 'shareYen')).toEqual([8_000_000, 4_000_000, 4_000_000, 4_000_000]);
  });

  it('rounds the subsidy total down: it never exceeds its percentage of the cost', () => {
    const t = table({ annualCostYen: 20_000_001 });
    expect(t.subsidyTotalYen).toBe(10_000_000);
    expect(t.netTotalYen).toBe(10_000_001);
    expect(table({ annualCostYen: 1, subsidyPercent: 99 }).subsidyTotalYen).toBe(0);
  });

  it('at 0% nobody is subsidised and at 100% everything is', () => {
    expect(column(table({ subsidyPercent: 0 }), 'subsidyYen')).toEqual([0, 0, 0, 0]);
    const all = table({ annualCostYen: 20_000_003, subsidyPercent: 100, splitRule: 'population' });
    expect(column(all, 'subsidyYen')).toEqual(column(all, 'shareYen'));
    expect(column(all, 'netYen')).toEqual([0, 0, 0, 0]);
  });

  it('stays exact where floating point does not: the largest cost over the largest populations', () => {
    // 999,999,999 × 49,999,999 ≈ 5 × 10^16 > 2^53: a float product would be off.
    const t = table({
      annualCostYen: MAX_ANNUAL_COST_YEN - 1,
      splitRule: 'population',
      participants: [town('a', MAX_POPULATION - 1), town('b', 1), town('c', 3)],
    });
    expect(column(t, 'shareYen')).toEqual([999_999_919, 20, 60]);
    expect(column(t, 'shareYen').reduce((a, b) => a + b)).toBe(MAX_ANNUAL_COST_YEN - 1);
  });

  it('accepts 0 days under the rules that do not weigh days (they are informational there)', () => {
    const t = table({ participants: [town('a', null, 0), town('b', null, 10)] });
    expect(column(t, 'shareYen')).toEqual([10_000_000, 10_000_000]);
  });

  it.each<[string, Partial<SplitInput>, string, string]>([
    ['an unknown rule', { splitRule: 'by_area' as SplitRule }, 'INVALID_SPLIT_RULE', 'splitRule'],
    ['a fractional subsidy', { subsidyPercent: 50.5 }, 'INVALID_SUBSIDY_PERCENT', 'subsidyPercent'],
    ['a subsidy over 100%', { subsidyPercent: 101 }, 'INVALID_SUBSIDY_PERCENT', 'subsidyPercent'],
    ['a negative subsidy', { subsidyPercent: -1 }, 'INVALID_SUBSIDY_PERCENT', 'subsidyPercent'],
    ['a cost with sen', { annualCostYen: 20_000_000.5 }, 'INVALID_ANNUAL_COST', 'annualCostYen'],
    ['a cost of 0', { annualCostYen: 0 }, 'INVALID_ANNUAL_COST', 'annualCostYen'],
    ['a negative cost', { annualCostYen: -5 }, 'INVALID_ANNUAL_COST', 'annualCostYen'],
    ['a cost as text', { annualCostYen: '20000000' as unknown as number }, 'INVALID_ANNUAL_COST', 'annualCostYen'],
    ['a cost beyond the bound', { annualCostYen: MAX_ANNUAL_COST_YEN + 1 }, 'ANNUAL_COST_TOO_LARGE', 'annualCostYen'],
    ['no participants', { participants: [] }, 'NO_PARTICIPANTS', 'participants'],
    ['a bad id', { participants: [town('a b')] }, 'INVALID_ORGANISATION_ID', 'participants[0].organisationId'],
    ['a participant twice', { participants: [town('a'), town('b'), town('a')] }, 'DUPLICATE_PARTICIPANT', 'participants[2].organisationId'],
    ['a missing population', { splitRule: 'population', participants: [town('a', 5), town('b')] }, 'MISSING_POPULATION', 'participants[1].population'],
    ['a zero population', { splitRule: 'population', participants: [town('a', 0)] }, 'INVALID_POPULATION', 'participants[0].population'],
    ['a negative population', { splitRule: 'population', participants: [town('a', 10), town('b', -10)] }, 'INVALID_POPULATION', 'participants[1].population'],
    ['a fractional population', { participants: [town('a', 10.5)] }, 'INVALID_POPULATION', 'participants[0].population'],
    ['missing days', { splitRule: 'allotted_days', participants: [town('a', null, 2), town('b')] }, 'MISSING_DAYS_PER_MONTH', 'participants[1].daysPerMonth'],
    [
      'zero days under the days rule',
      { splitRule: 'allotted_days', participants: [town('a', null, 0)] },
      'INVALID_DAYS_PER_MONTH',
      'participants[0].daysPerMonth',
    ],
    ['more days than a month', { participants: [town('a', null, MAX_DAYS_PER_MONTH + 1)] }, 'INVALID_DAYS_PER_MONTH', 'participants[0].daysPerMonth'],
  ])('refuses %s', (_, input, code, field) => {
    expect(failure(input)).toStrictEqual({ code, field });
  });

  it('refuses too many participants', () => {
    const many = Array.from({ length: 201 }, (_, i) => town(`t${i}`));
    expect((splitCost({ annualCostYen: 1_000, subsidyPercent: 50, splitRule: 'equal', participants: many }) as DomainError).code).toBe('TOO_MANY_PARTICIPANTS');
  });
});

describe('largestRemainder', () => {
  it('refuses what the callers must have validated', () => {
    expect(() => largestRemainder(10n, [0n, 0n])).toThrow(RangeError);
    expect(() => largestRemainder(-1n, [1n])).toThrow(RangeError);
    expect(() => largestRemainder(10n, [2n, -1n])).toThrow(RangeError);
  });
  it('never gives a yen to a zero weight', () => {
    expect(largestRemainder(2n, [1n, 0n, 1n, 1n])).toEqual([1n, 0n, 1n, 0n]);
  });
});

// Properties ---------------------------------------------------------------------------------

const RULES: readonly SplitRule[] = ['equal', 'population', 'allotted_days'];
// Small weights and small totals make ties and leftovers frequent; large ones exercise exactness.
const populationArb = fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: MAX_POPULATION }));
const totalArb = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: MAX_ANNUAL_COST_YEN }));
const inputArb: fc.Arbitrary<SplitInput> = fc
  .record({
    annualCostYen: totalArb,
    subsidyPercent: fc.oneof(fc.constant(50), fc.integer({ min: 0, max: 100 })),
    splitRule: fc.constantFrom(...RULES),
    weights: fc.array(fc.tuple(populationArb, fc.integer({ min: 1, max: MAX_DAYS_PER_MONTH })), { minLength: 1, maxLength: 24 }),
  })
  .map(({ weights, ...rest }) => ({ ...rest, participants: weights.map(([population, days], i) => town(`o${i}`, population, days)) }));

const ok = (input: SplitInput): CostTable => {
  const result = splitCost(input);
  if (isDomainError(result)) throw new Error(`${result.code}: ${result.message}`);
  return result;
};
const big = (n: number) => BigInt(n);
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe('split properties', () => {
  it('the shares add up exactly to the cost, the subsidised parts to the subsidy total, the net parts to the rest', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const t = ok(input);
        expect(sum(column(t, 'shareYen'))).toBe(input.annualCostYen);
        expect(t.subsidyTotalYen).toBe(Number((big(input.annualCostYen) * big(input.subsidyPercent)) / 100n));
        expect(sum(column(t, 'subsidyYen'))).toBe(t.subsidyTotalYen);
        expect(sum(column(t, 'netYen'))).toBe(t.netTotalYen);
        expect(t.netTotalYen).toBe(input.annualCostYen - t.subsidyTotalYen);
        for (const s of t.shares) {
          expect(Number.isSafeInteger(s.shareYen) && Number.isSafeInteger(s.subsidyYen) && Number.isSafeInteger(s.netYen)).toBe(true);
          expect(s.subsidyYen).toBeGreaterThanOrEqual(0);
          expect(s.subsidyYen).toBeLessThanOrEqual(s.shareYen);
          expect(s.netYen).toBe(s.shareYen - s.subsidyYen);
        }
      }),
    );
  });

  it('every share is within 1 yen of its exact quota, every subsidised part within 1 yen of its quota of the subsidy', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const t = ok(input);
        const total = big(input.annualCostYen);
        const weightSum = big(sum(t.shares.map((s) => s.weight)));
        for (const s of t.shares) {
          // |share − total × w / W| < 1  ⇔  |share × W − total × w| < W
          const deviation = big(s.shareYen) * weightSum - total * big(s.weight);
          expect(deviation < weightSum && -deviation < weightSum).toBe(true);
          const subsidyDeviation = big(s.subsidyYen) * total - big(t.subsidyTotalYen) * big(s.shareYen);
          expect(subsidyDeviation < total && -subsidyDeviation < total).toBe(true);
        }
      }),
    );
  });

  it('is largest remainder: every participant given an extra yen has a larger remainder, or an equal one and comes earlier', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const t = ok(input);
        const total = big(input.annualCostYen);
        const weightSum = big(sum(t.shares.map((s) => s.weight)));
        const facts = t.shares.map((s, i) => ({
          i,
          remainder: (total * big(s.weight)) % weightSum,
          extra: big(s.shareYen) - (total * big(s.weight)) / weightSum,
        }));
        for (const f of facts) expect(f.extra === 0n || f.extra === 1n).toBe(true);
        for (const winner of facts.filter((f) => f.extra === 1n))
          for (const loser of facts.filter((f) => f.extra === 0n))
            expect(winner.remainder > loser.remainder || (winner.remainder === loser.remainder && winner.i < loser.i)).toBe(true);
      }),
    );
  });

  it('is monotonic: a heavier participant never pays a smaller share, a larger share never gets less subsidy', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const t = ok(input);
        for (const a of t.shares)
          for (const b of t.shares) {
            if (a.weight > b.weight) {
              expect(a.shareYen).toBeGreaterThanOrEqual(b.shareYen);
              // Equal shares can part by the one yen of a subsidy tie (weights 1,2,1 of 2 yen: shares 1,1,0), never more.
              expect(a.subsidyYen).toBeGreaterThanOrEqual(b.subsidyYen - 1);
              expect(a.netYen).toBeGreaterThanOrEqual(b.netYen - 1);
            }
            if (a.shareYen > b.shareYen) expect(a.subsidyYen).toBeGreaterThanOrEqual(b.subsidyYen);
            if (a.weight === b.weight) expect(Math.abs(a.shareYen - b.shareYen)).toBeLessThanOrEqual(1);
          }
      }),
    );
  });

  it('example of that tie: weights 1, 2, 1 sharing 2 yen', () => {
    const t = ok({ annualCostYen: 2, subsidyPercent: 50, splitRule: 'population', participants: [town('a', 1), town('b', 2), town('c', 1)] });
    expect(column(t, 'shareYen')).toEqual([1, 1, 0]);
    expect(column(t, 'subsidyYen')).toEqual([1, 0, 0]);
  });

  it('does not depend on participant order, except where remainders tie', () => {
    fc.assert(
      fc.property(
        inputArb.chain((input) => fc.tuple(fc.constant(input), fc.shuffledSubarray([...input.participants], { minLength: input.participants.length }))),
        ([input, shuffled]) => {
          const original = ok(input);
          const reordered = ok({ ...input, participants: shuffled });
          const byId = new Map(reordered.shares.map((s) => [s.organisationId, s]));
          const total = big(input.annualCostYen);
          const weightSum = big(sum(original.shares.map((s) => s.weight)));
          const remainder = (w: number) => (total * big(w)) % weightSum;
          const subsidyRemainder = (share: number) => (big(original.subsidyTotalYen) * big(share)) % total;
          const unique = <T>(values: readonly T[], value: T) => values.filter((v) => v === value).length === 1;
          const remainders = original.shares.map((s) => remainder(s.weight));
          const subsidyRemainders = original.shares.map((s) => subsidyRemainder(s.shareYen));
          // Same shares per participant: then the subsidy stage sees the same weights in another order.
          const sharesUnchanged = original.shares.every((s) => byId.get(s.organisationId)!.shareYen === s.shareYen);
          for (const [i, s] of original.shares.entries()) {
            const other = byId.get(s.organisationId)!;
            // A participant whose remainder no one else has is ranked the same in any order.
            if (unique(remainders, remainders[i])) expect(other.shareYen).toBe(s.shareYen);
            if (sharesUnchanged && unique(subsidyRemainders, subsidyRemainders[i])) expect(other.subsidyYen).toBe(s.subsidyYen);
          }
        },
      ),
    );
  });

  it('under the equal rule, shares differ by at most 1 yen and the extra yen go to the earliest participants', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const shares = column(ok({ ...input, splitRule: 'equal' }), 'shareYen');
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeLessThanOrEqual(shares[i - 1]);
      }),
    );
  });
});
