import fc from 'fast-check';
import {
  applyStanceChange,
  ElectorateMember,
  emptyTally,
  invalidOutcomeRule,
  OutcomeRules,
  outcomeOf,
  quorumMet,
  Stance,
  STANCES,
  tally,
  Tally,
  thresholdMet,
} from './tally';

const equal = (ids: readonly string[]): ElectorateMember[] => ids.map((organisationId) => ({ organisationId, weight: 1 }));
const ten = equal(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
const stances = (entries: Record<string, Stance>): ReadonlyMap<string, Stance> => new Map(Object.entries(entries));
const rules = (r: Partial<OutcomeRules> = {}): OutcomeRules => ({
  quorumPercent: 50,
  thresholdPercent: 50,
  thresholdBasis: 'approve_of_approve_and_object',
  blockVetoes: true,
  ...r,
});
/** The first n organisations of `ten` take `stance`. */
const firstN = (n: number, stance: Stance, rest: Record<string, Stance> = {}) =>
  new Map<string, Stance>([...ten.slice(0, n).map((m): [string, Stance] => [m.organisationId, stance]), ...Object.entries(rest)]);

describe('tally', () => {
  it('sums weights and counts per stance, participation and the total', () => {
    const electorate: ElectorateMember[] = [
      { organisationId: 'sapporo', weight: 1_970_000 },
      { organisationId: 'hakodate', weight: 250_000 },
      { organisationId: 'otaru', weight: 110_000 },
      { organisationId: 'yubari', weight: 7_000 },
    ];
    expect(tally(electorate, stances({ sapporo: 'approve', hakodate: 'object', yubari: 'approve' }))).toStrictEqual<Tally>({
      weights: { approve: 1_977_000, object: 250_000, abstain: 0, block: 0 },
      counts: { approve: 2, object: 1, abstain: 0, block: 0 },
      participatingWeight: 2_227_000,
      participatingCount: 3,
      totalWeight: 2_337_000,
      electorateCount: 4,
    });
  });

  it('ignores stances of organisations outside the electorate', () => {
    expect(tally(equal(['a', 'b']), stances({ a: 'approve', outsider: 'block' }))).toStrictEqual(tally(equal(['a', 'b']), stances({ a: 'approve' })));
  });

  it('is the empty tally when nobody answered', () => {
    expect(tally(ten, new Map())).toStrictEqual(emptyTally(ten));
  });
});

describe('outcome', () => {
  describe('quorum (the Loomio bug: a quorum check that always passes)', () => {
    it.each([
      [4, false],
      [5, true],
      [6, true],
    ])('50%% of 10: %i answering → met %s', (n, met) => {
      expect(outcomeOf(tally(ten, firstN(n, 'abstain')), rules()).quorumMet).toBe(met);
    });

    it('is not met by nobody, unless the quorum is 0', () => {
      expect(outcomeOf(tally(ten, new Map()), rules({ quorumPercent: 1 })).quorumMet).toBe(false);
      expect(outcomeOf(tally(ten, new Map()), rules({ quorumPercent: 0 })).quorumMet).toBe(true);
    });

    it('100% needs everyone', () => {
      expect(outcomeOf(tally(ten, firstN(9, 'approve')), rules({ quorumPercent: 100 })).quorumMet).toBe(false);
      expect(outcomeOf(tally(ten, firstN(10, 'approve')), rules({ quorumPercent: 100 })).quorumMet).toBe(true);
    });

    it('counts weight, not organisations, and is exact where floating point is not (1/3 of 3 = 33.33…%)', () => {
      const electorate = [
        { organisationId: 'big', weight: 9_000_000 },
        { organisationId: 'small', weight: 1 },
      ];
      expect(outcomeOf(tally(electorate, stances({ small: 'approve' })), rules({ quorumPercent: 1 })).quorumMet).toBe(false);
      expect(outcomeOf(tally(electorate, stances({ big: 'object' })), rules({ quorumPercent: 99 })).quorumMet).toBe(true);
      expect(quorumMet(1, 3, 33)).toBe(true);
      expect(quorumMet(1, 3, 34)).toBe(false);
      expect(quorumMet(33, 100, 33)).toBe(true);
      expect(quorumMet(32, 100, 33)).toBe(false);
    });

    it('stays exact at the largest weights', () => {
      const total = Number.MAX_SAFE_INTEGER; // 2^53 - 1, odd
      expect(quorumMet((total - 1) / 2, total, 50)).toBe(false);
      expect(quorumMet((total + 1) / 2, total, 50)).toBe(true);
    });
  });

  describe('threshold', () => {
    it.each([
      ['below', 4, false],
      ['at', 5, true],
      ['above', 6, true],
    ])('50%% of approve+object, %s it (%i of 10 approve, the rest object) → met %s', (_, approving, met) => {
      const final = firstN(approving, 'approve');
      for (const m of ten) if (!final.has(m.organisationId)) final.set(m.organisationId, 'object');
      expect(outcomeOf(tally(ten, final), rules()).thresholdMet).toBe(met);
    });

    it('2/3 boundary: 2 of 3 meets 66% and 67% is not met', () => {
      expect(thresholdMet(2, 3, 66)).toBe(true);
      expect(thresholdMet(2, 3, 67)).toBe(false);
      expect(thresholdMet(67, 100, 67)).toBe(true);
    });

    it('ignores abstentions in approve_of_approve_and_object, counts them in approve_of_all_cast', () => {
      const final = stances({ a: 'approve', b: 'approve', c: 'object', d: 'abstain', e: 'abstain' });
      expect(outcomeOf(tally(ten, final), rules({ quorumPercent: 0, thresholdPercent: 60 })).thresholdMet).toBe(true);
      expect(outcomeOf(tally(ten, final), rules({ quorumPercent: 0, thresholdPercent: 60, thresholdBasis: 'approve_of_all_cast' })).thresholdMet).toBe(false);
      expect(outcomeOf(tally(ten, final), rules({ quorumPercent: 0, thresholdPercent: 40, thresholdBasis: 'approve_of_all_cast' })).thresholdMet).toBe(true);
    });

    it('counts a block as an objection in the basis, also when blocks do not veto', () => {
      const final = stances({ a: 'approve', b: 'block' });
      expect(outcomeOf(tally(ten, final), rules({ quorumPercent: 0, thresholdPercent: 51, blockVetoes: false })).thresholdMet).toBe(false);
      expect(outcomeOf(tally(ten, final), rules({ quorumPercent: 0, thresholdPercent: 50, blockVetoes: false }))).toStrictEqual({
        quorumMet: true,
        thresholdMet: true,
        blocked: false,
        passed: true,
      });
    });

    it('is never met on an empty basis: all abstain', () => {
      expect(outcomeOf(tally(ten, firstN(10, 'abstain')), rules())).toStrictEqual({ quorumMet: true, thresholdMet: false, blocked: false, passed: false });
      expect(outcomeOf(tally(ten, firstN(10, 'abstain')), rules({ thresholdBasis: 'approve_of_all_cast' })).thresholdMet).toBe(false);
    });

    it('100% means unanimity of the basis', () => {
      expect(outcomeOf(tally(ten, firstN(10, 'approve')), rules({ thresholdPercent: 100 })).passed).toBe(true);
      expect(outcomeOf(tally(ten, firstN(9, 'approve', { j: 'object' })), rules({ thresholdPercent: 100 })).passed).toBe(false);
    });
  });

  describe('blocks', () => {
    it('a single block vetoes an otherwise passing round when blocks veto', () => {
      const final = firstN(9, 'approve', { j: 'block' });
      expect(outcomeOf(tally(ten, final), rules())).toStrictEqual({ quorumMet: true, thresholdMet: true, blocked: true, passed: false });
      expect(outcomeOf(tally(ten, final), rules({ blockVetoes: false }))).toStrictEqual({ quorumMet: true, thresholdMet: true, blocked: false, passed: true });
    });

    it('a zero-weight block vetoes too', () => {
      const electorate = [
        { organisationId: 'a', weight: 100 },
        { organisationId: 'z', weight: 0 },
      ];
      expect(outcomeOf(tally(electorate, stances({ a: 'approve', z: 'block' })), rules()).blocked).toBe(true);
    });

    it('a block from outside the electorate does not', () => {
      expect(outcomeOf(tally(ten, firstN(10, 'approve', { outsider: 'block' })), rules()).blocked).toBe(false);
    });
  });

  describe('zero-weight electorates', () => {
    const zeroes = ten.map((m) => ({ ...m, weight: 0 }));
    it('meet any quorum (0 ≥ 0) but never the threshold, so never pass', () => {
      expect(outcomeOf(tally(zeroes, firstN(10, 'approve')), rules({ quorumPercent: 100 }))).toStrictEqual({
        quorumMet: true,
        thresholdMet: false,
        blocked: false,
        passed: false,
      });
      expect(outcomeOf(tally(zeroes, new Map()), rules({ quorumPercent: 100 })).passed).toBe(false);
    });
    it('still count organisations', () => {
      expect(tally(zeroes, firstN(3, 'approve')).counts.approve).toBe(3);
    });
  });

  it('passes only when all three hold', () => {
    expect(outcomeOf(tally(ten, firstN(6, 'approve')), rules()).passed).toBe(true);
    expect(outcomeOf(tally(ten, firstN(4, 'approve')), rules()).passed).toBe(false); // quorum
    expect(outcomeOf(tally(ten, firstN(2, 'approve', { c: 'object', d: 'object', e: 'object', f: 'object' })), rules()).passed).toBe(false); // threshold
  });

  it('validates the rules', () => {
    expect(invalidOutcomeRule(rules())).toBeNull();
    expect(invalidOutcomeRule(rules({ quorumPercent: 0, thresholdPercent: 100 }))).toBeNull();
    expect(invalidOutcomeRule(rules({ quorumPercent: -1 }))).toMatchObject({ code: 'INVALID_QUORUM', field: 'quorumPercent' });
    expect(invalidOutcomeRule(rules({ quorumPercent: 101 }))).toMatchObject({ code: 'INVALID_QUORUM' });
    expect(invalidOutcomeRule(rules({ quorumPercent: 50.5 }))).toMatchObject({ code: 'INVALID_QUORUM' });
    expect(invalidOutcomeRule(rules({ thresholdPercent: 0 }))).toMatchObject({ code: 'INVALID_THRESHOLD', field: 'thresholdPercent' });
    expect(invalidOutcomeRule(rules({ thresholdPercent: 101 }))).toMatchObject({ code: 'INVALID_THRESHOLD' });
    expect(invalidOutcomeRule(rules({ thresholdBasis: 'majority' as never }))).toMatchObject({ code: 'INVALID_THRESHOLD_BASIS', field: 'thresholdBasis' });
    expect(invalidOutcomeRule(rules({ blockVetoes: 'yes' as never }))).toMatchObject({ code: 'INVALID_BLOCK_VETOES', field: 'blockVetoes' });
  });
});

// Properties
const electorateArb = fc
  .uniqueArray(fc.constantFrom(...'abcdefghijklmnop'.split('')), { minLength: 1, maxLength: 16 })
  .chain((ids) =>
    fc.tuple(
      fc.constant(ids),
      fc.oneof(fc.constant<'equal'>('equal'), fc.constant<'population'>('population')),
      fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4_000_000 })), { minLength: ids.length, maxLength: ids.length }),
    ),
  )
  .map(([ids, weighting, weights]): ElectorateMember[] => ids.map((organisationId, i) => ({ organisationId, weight: weighting === 'equal' ? 1 : weights[i] })));
// Changes name organisations in and outside the electorate ('x', 'y'); null withdraws.
const changesArb = fc.array(fc.tuple(fc.constantFrom(...'abcdefghijklmnopxy'.split('')), fc.option(fc.constantFrom(...STANCES), { freq: 6 })), {
  maxLength: 80,
});
const rulesArb = fc.record<OutcomeRules>({
  quorumPercent: fc.integer({ min: 0, max: 100 }),
  thresholdPercent: fc.integer({ min: 1, max: 100 }),
  thresholdBasis: fc.constantFrom('approve_of_approve_and_object', 'approve_of_all_cast'),
  blockVetoes: fc.boolean(),
});

describe('tally properties', () => {
  it('the incremental tally after every change equals the tally of the final stances', () => {
    fc.assert(
      fc.property(electorateArb, changesArb, rulesArb, (electorate, changes, r) => {
        const weights = new Map(electorate.map((m) => [m.organisationId, m.weight]));
        const final = new Map<string, Stance>();
        let running = emptyTally(electorate);
        for (const [organisationId, next] of changes) {
          const weight = weights.get(organisationId);
          if (weight !== undefined) running = applyStanceChange(running, weight, final.get(organisationId) ?? null, next);
          if (next === null) final.delete(organisationId);
          else final.set(organisationId, next);
          expect(running).toStrictEqual(tally(electorate, final));
        }
        expect(outcomeOf(running, r)).toStrictEqual(outcomeOf(tally(electorate, final), r));
      }),
    );
  });

  it('the counts and weights add up, and the outcome agrees with a rational-number oracle', () => {
    fc.assert(
      fc.property(electorateArb, changesArb, rulesArb, (electorate, changes, r) => {
        const final = new Map<string, Stance>();
        for (const [id, s] of changes)
          if (s === null) final.delete(id);
          else final.set(id, s);
        const t = tally(electorate, final);
        const sum = (p: Tally['weights']) => STANCES.reduce((acc, s) => acc + p[s], 0);
        expect(sum(t.weights)).toBe(t.participatingWeight);
        expect(sum(t.counts)).toBe(t.participatingCount);
        expect(t.participatingWeight).toBeLessThanOrEqual(t.totalWeight);
        // Oracle: quorum and threshold as fractions compared by bigint cross-multiplication of the raw sums.
        const o = outcomeOf(t, r);
        const p = BigInt(t.participatingWeight),
          tot = BigInt(t.totalWeight),
          ap = BigInt(t.weights.approve);
        const basis = BigInt(t.weights.approve + t.weights.object + t.weights.block + (r.thresholdBasis === 'approve_of_all_cast' ? t.weights.abstain : 0));
        expect(o.quorumMet).toBe(p * 100n >= BigInt(r.quorumPercent) * tot);
        expect(o.thresholdMet).toBe(basis > 0n && ap * 100n >= BigInt(r.thresholdPercent) * basis);
        expect(o.blocked).toBe(r.blockVetoes && [...final].some(([id, s]) => s === 'block' && electorate.some((m) => m.organisationId === id)));
        expect(o.passed).toBe(o.quorumMet && o.thresholdMet && !o.blocked);
      }),
    );
  });

  it('is monotone: one more approval never turns a passing round into a failing one when blocks do not change', () => {
    fc.assert(
      fc.property(electorateArb, changesArb, rulesArb, (electorate, changes, r) => {
        const final = new Map<string, Stance>();
        for (const [id, s] of changes)
          if (s === null) final.delete(id);
          else final.set(id, s);
        const silent = electorate.find((m) => !final.has(m.organisationId));
        fc.pre(silent !== undefined);
        const before = outcomeOf(tally(electorate, final), r);
        const after = outcomeOf(tally(electorate, new Map([...final, [silent!.organisationId, 'approve' as Stance]])), r);
        if (before.passed) expect(after.passed).toBe(true);
      }),
    );
  });
});
