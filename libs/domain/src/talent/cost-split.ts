import { assertNever, DomainError } from '../shared/decider';
import { isEntityId } from '../specs/input-rules';

/**
 * How the annual cost of a shared hire (人材シェアリング) is split among its participants, and how
 * much of each share 特別交付税 covers. Pure integer arithmetic on yen (bigint inside, so
 * cost × population never loses precision); no floating point anywhere.
 *
 * Rules:
 * - 'equal': every participant weighs 1;
 * - 'population': each weighs its population figure, supplied with the terms;
 * - 'allotted_days': each weighs the days per month of work allotted to it.
 *
 * Rounding (largest remainder, Hamilton): participant i's exact quota is total × wᵢ / W. Each
 * gets ⌊quota⌋, then the yen left over (fewer than the number of participants) go one each to
 * the largest remainders; equal remainders go in participant order (earlier in the terms'
 * list first). So the shares add up exactly to the total and each is within 1 yen of its quota.
 *
 * Subsidy: the subsidy total is ⌊total × subsidyPercent / 100⌋ — rounded down, so it never
 * exceeds its percentage of the cost — and is split in proportion to the shares by the same
 * largest-remainder rule. Each subsidised part is therefore at most the share it belongs to
 * (its quota is a fraction ≤ 1 of a whole number), the parts add up exactly to the subsidy
 * total, and the net shares (share − subsidy) add up exactly to total − subsidy total.
 *
 * Hence: a heavier participant never pays a smaller share; a larger share never gets a smaller
 * subsidised part; under 'equal' the shares differ by at most 1 yen, the earliest paying it.
 */

export const SPLIT_RULES = ['equal', 'population', 'allotted_days'] as const;
export type SplitRule = (typeof SPLIT_RULES)[number];
export const isSplitRule = (value: unknown): value is SplitRule => typeof value === 'string' && (SPLIT_RULES as readonly string[]).includes(value);

/** 特別交付税 covers half of the personnel cost, also for joint hires. */
export const DEFAULT_SUBSIDY_PERCENT = 50;
/** No single specialist costs more than 10億円 a year: a larger figure is a typo (an extra 0). */
export const MAX_ANNUAL_COST_YEN = 1_000_000_000;
/** Above the largest prefecture (東京都, ≈14M) with room; a larger figure is a typo. */
export const MAX_POPULATION = 50_000_000;
/** Days of one person's work in a month. */
export const MAX_DAYS_PER_MONTH = 31;
/** Hokkaido has 179 municipalities; an arrangement or a calculation covers at most this many. */
export const MAX_SPLIT_PARTICIPANTS = 200;

export interface SplitParticipant {
  readonly organisationId: string;
  /** Required (a positive integer) for the 'population' rule; otherwise null or informational. */
  readonly population: number | null;
  /** Required (1-31) for the 'allotted_days' rule; otherwise null or 0-31. */
  readonly daysPerMonth: number | null;
}

export interface SplitInput {
  /** Whole yen, 1 to MAX_ANNUAL_COST_YEN. */
  readonly annualCostYen: number;
  /** Integer percentage 0-100 of the cost that 特別交付税 covers. */
  readonly subsidyPercent: number;
  readonly splitRule: SplitRule;
  /** In order: the order breaks ties between equal remainders. */
  readonly participants: readonly SplitParticipant[];
}

export interface CostShare {
  readonly organisationId: string;
  /** The weight the rule gave it: 1, its population or its days per month. */
  readonly weight: number;
  /** Its part of the annual cost, before the subsidy. */
  readonly shareYen: number;
  /** The part of its share that 特別交付税 covers. */
  readonly subsidyYen: number;
  /** What it pays itself: shareYen − subsidyYen. */
  readonly netYen: number;
}

export interface CostTable {
  readonly splitRule: SplitRule;
  readonly annualCostYen: number;
  readonly subsidyPercent: number;
  readonly subsidyTotalYen: number;
  readonly netTotalYen: number;
  /** In participant order. */
  readonly shares: readonly CostShare[];
}

/**
 * Splits `total` in proportion to `weights` (≥ 0, not all 0) by largest remainder, ties in
 * index order. Throws on invalid input: callers validate first (splitCost).
 */
export function largestRemainder(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((acc, w) => acc + w, 0n);
  if (total < 0n || sum <= 0n || weights.some((w) => w < 0n)) throw new RangeError('largestRemainder needs total ≥ 0 and weights ≥ 0 with a positive sum');
  const parts = weights.map((w) => (total * w) / sum);
  const remainders = weights.map((w) => (total * w) % sum);
  let left = total - parts.reduce((acc, p) => acc + p, 0n);
  const ranked = weights.map((_, i) => i).sort((a, b) => (remainders[a] === remainders[b] ? a - b : remainders[a] > remainders[b] ? -1 : 1));
  // left < number of participants, and at least `left` remainders are positive, so a zero weight never gets a yen.
  for (const i of ranked) {
    if (left === 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts;
}

const isWholeNumber = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** The weight of participant `p` under `rule`, or the error naming the field at fault. */
function weightOf(rule: SplitRule, p: SplitParticipant, at: string): number | DomainError {
  const { population, daysPerMonth } = p;
  if (population !== null && population !== undefined && (!isWholeNumber(population) || population < 1 || population > MAX_POPULATION))
    return new DomainError(
      'INVALID_POPULATION',
      `${at}: a population is a whole number from 1 to ${MAX_POPULATION}; got ${JSON.stringify(population)}.`,
      `${at}.population`,
    );
  if (daysPerMonth !== null && daysPerMonth !== undefined && (!isWholeNumber(daysPerMonth) || daysPerMonth < 0 || daysPerMonth > MAX_DAYS_PER_MONTH))
    return new DomainError(
      'INVALID_DAYS_PER_MONTH',
      `${at}: days per month are a whole number from 0 to ${MAX_DAYS_PER_MONTH}; got ${JSON.stringify(daysPerMonth)}.`,
      `${at}.daysPerMonth`,
    );
  switch (rule) {
    case 'equal':
      return 1;
    case 'population':
      if (population === null || population === undefined)
        return new DomainError('MISSING_POPULATION', `${at}: the population rule needs every participant's population figure.`, `${at}.population`);
      return population;
    case 'allotted_days':
      if (daysPerMonth === null || daysPerMonth === undefined)
        return new DomainError('MISSING_DAYS_PER_MONTH', `${at}: the allotted-days rule needs every participant's days per month.`, `${at}.daysPerMonth`);
      // A participant with no days would pay nothing under this rule: it is not sharing the hire.
      if (daysPerMonth === 0)
        return new DomainError(
          'INVALID_DAYS_PER_MONTH',
          `${at}: under the allotted-days rule every participant has at least 1 day a month.`,
          `${at}.daysPerMonth`,
        );
      return daysPerMonth;
    default:
      return assertNever(rule);
  }
}

/** Validates the input and computes the cost table; a DomainError names the field at fault. */
export function splitCost(input: SplitInput): CostTable | DomainError {
  const { annualCostYen, subsidyPercent, splitRule, participants } = input;
  if (!isSplitRule(splitRule))
    return new DomainError('INVALID_SPLIT_RULE', `The split rule is ${SPLIT_RULES.join(', ')}; got ${JSON.stringify(splitRule)}.`, 'splitRule');
  if (!isWholeNumber(subsidyPercent) || subsidyPercent < 0 || subsidyPercent > 100)
    return new DomainError(
      'INVALID_SUBSIDY_PERCENT',
      `The subsidy share is a whole percentage 0-100; got ${JSON.stringify(subsidyPercent)}.`,
      'subsidyPercent',
    );
  if (!isWholeNumber(annualCostYen) || annualCostYen < 1)
    return new DomainError('INVALID_ANNUAL_COST', `The annual cost is a positive whole number of yen; got ${JSON.stringify(annualCostYen)}.`, 'annualCostYen');
  if (annualCostYen > MAX_ANNUAL_COST_YEN)
    return new DomainError('ANNUAL_COST_TOO_LARGE', `The annual cost is at most ${MAX_ANNUAL_COST_YEN} yen; got ${annualCostYen}.`, 'annualCostYen');
  if (!Array.isArray(participants) || participants.length === 0)
    return new DomainError('NO_PARTICIPANTS', 'The cost is split among at least one participant.', 'participants');
  if (participants.length > MAX_SPLIT_PARTICIPANTS)
    return new DomainError('TOO_MANY_PARTICIPANTS', `The cost is split among at most ${MAX_SPLIT_PARTICIPANTS} participants.`, 'participants');
  const seen = new Map<string, number>();
  const weights: number[] = [];
  for (const [i, participant] of participants.entries()) {
    const at = `participants[${i}]`;
    const p = (participant ?? {}) as SplitParticipant;
    if (!isEntityId(p.organisationId))
      return new DomainError('INVALID_ORGANISATION_ID', `${at}: ${JSON.stringify(p.organisationId)} is not an organisation id.`, `${at}.organisationId`);
    const same = seen.get(p.organisationId);
    if (same !== undefined)
      return new DomainError('DUPLICATE_PARTICIPANT', `${at}: ${p.organisationId} repeats participants[${same}].`, `${at}.organisationId`);
    seen.set(p.organisationId, i);
    const weight = weightOf(splitRule, p, at);
    if (weight instanceof DomainError) return weight;
    weights.push(weight);
  }
  const total = BigInt(annualCostYen);
  const shares = largestRemainder(
    total,
    weights.map((w) => BigInt(w)),
  );
  const subsidyTotal = (total * BigInt(subsidyPercent)) / 100n;
  // Weighted by the shares themselves (their sum is the total, ≥ 1), so no part exceeds its share.
  const subsidies = largestRemainder(subsidyTotal, shares);
  return {
    splitRule,
    annualCostYen,
    subsidyPercent,
    subsidyTotalYen: Number(subsidyTotal),
    netTotalYen: Number(total - subsidyTotal),
    shares: participants.map((p, i) => ({
      organisationId: p.organisationId,
      weight: weights[i],
      shareYen: Number(shares[i]),
      subsidyYen: Number(subsidies[i]),
      netYen: Number(shares[i] - subsidies[i]),
    })),
  };
}
