/**
 * Outcome rules of a consultation (round): pure functions on integers, no floating point.
 *
 * Boundary semantics (all comparisons by cross-multiplication, computed with bigint):
 * - Participation: an organisation participates when it has an official stance of any kind
 *   (approve, object, abstain or block). Stances of organisations outside the electorate are
 *   ignored entirely.
 * - Quorum is met when `participatingWeight × 100 ≥ quorumPercent × totalWeight` — exactly at the
 *   quorum counts as met. Quorum 0 is always met; so is any quorum over an electorate whose total
 *   weight is 0 (0 ≥ 0) — but such a round cannot pass, see the threshold.
 * - Threshold is met when `basis > 0` and `approveWeight × 100 ≥ thresholdPercent × basis` —
 *   exactly at the threshold counts as met; an empty basis (nobody approved or objected, e.g. all
 *   abstain, or only zero-weight organisations answered) never meets it. The basis is
 *   - 'approve_of_approve_and_object': approve + object + block weight (a block is an objection;
 *     abstentions do not count), or
 *   - 'approve_of_all_cast': approve + object + abstain + block weight (abstentions count against).
 * - Blocked when blocks veto (`blockVetoes`) and at least one organisation in the electorate has
 *   an official block — whatever its weight, a zero-weight block vetoes too.
 * - Passed when quorum met, threshold met and not blocked.
 *
 * Weights are integers ≥ 0: 1 each for one-organisation-one-vote, or the population figure
 * supplied for the round. The totals stay exact JavaScript numbers (the electorate's total weight
 * is validated to be a safe integer), so a Tally serialises to JSON as it is and can be stored in
 * the ConsultationClosed event.
 */

export const STANCES = ['approve', 'object', 'abstain', 'block'] as const;
export type Stance = (typeof STANCES)[number];
export const isStance = (value: unknown): value is Stance => typeof value === 'string' && (STANCES as readonly string[]).includes(value);

export const THRESHOLD_BASES = ['approve_of_approve_and_object', 'approve_of_all_cast'] as const;
export type ThresholdBasis = (typeof THRESHOLD_BASES)[number];

export interface ElectorateMember {
  readonly organisationId: string;
  /** An integer ≥ 0: 1 for one-organisation-one-vote, or the population figure for the round. */
  readonly weight: number;
}

export interface OutcomeRules {
  /** % of the electorate's total weight that must take any stance; integer 0-100. */
  readonly quorumPercent: number;
  /** % of approving weight in the basis; integer 1-100. */
  readonly thresholdPercent: number;
  readonly thresholdBasis: ThresholdBasis;
  /** Whether a single block vetoes the proposal. */
  readonly blockVetoes: boolean;
}

export type PerStance = { readonly [S in Stance]: number };

export interface Tally {
  /** Sum of the weights of the organisations holding each official stance. */
  readonly weights: PerStance;
  /** Number of organisations holding each official stance (zero-weight ones included). */
  readonly counts: PerStance;
  /** Weight of the organisations with any official stance. */
  readonly participatingWeight: number;
  /** Number of organisations with any official stance. */
  readonly participatingCount: number;
  /** Weight of the whole electorate. */
  readonly totalWeight: number;
  /** Number of organisations in the electorate. */
  readonly electorateCount: number;
}

export interface Outcome {
  readonly quorumMet: boolean;
  readonly thresholdMet: boolean;
  readonly blocked: boolean;
  readonly passed: boolean;
}

const zero = (): { -readonly [S in Stance]: number } => ({ approve: 0, object: 0, abstain: 0, block: 0 });

/** The tally before any stance. */
export function emptyTally(electorate: readonly ElectorateMember[]): Tally {
  return {
    weights: zero(),
    counts: zero(),
    participatingWeight: 0,
    participatingCount: 0,
    totalWeight: electorate.reduce((sum, member) => sum + member.weight, 0),
    electorateCount: electorate.length,
  };
}

/**
 * The tally of the official stances (organisationId → stance). Stances of organisations outside
 * the electorate are ignored.
 */
export function tally(electorate: readonly ElectorateMember[], stances: ReadonlyMap<string, Stance>): Tally {
  const weights = zero();
  const counts = zero();
  let participatingWeight = 0;
  let participatingCount = 0;
  for (const { organisationId, weight } of electorate) {
    const stance = stances.get(organisationId);
    if (stance === undefined) continue;
    weights[stance] += weight;
    counts[stance] += 1;
    participatingWeight += weight;
    participatingCount += 1;
  }
  return { ...emptyTally(electorate), weights, counts, participatingWeight, participatingCount };
}

/**
 * One stance change of one organisation of weight `weight`, applied to a running tally:
 * `previous` null → a new stance; both set → a change of mind (also to the same stance);
 * `next` null → the stance withdrawn. The caller skips organisations outside the electorate.
 */
export function applyStanceChange(current: Tally, weight: number, previous: Stance | null, next: Stance | null): Tally {
  const weights = { ...current.weights };
  const counts = { ...current.counts };
  let { participatingWeight, participatingCount } = current;
  if (previous !== null) {
    weights[previous] -= weight;
    counts[previous] -= 1;
    participatingWeight -= weight;
    participatingCount -= 1;
  }
  if (next !== null) {
    weights[next] += weight;
    counts[next] += 1;
    participatingWeight += weight;
    participatingCount += 1;
  }
  return { ...current, weights, counts, participatingWeight, participatingCount };
}

/** `participating × 100 ≥ quorumPercent × total`: exactly at the quorum is met. */
export const quorumMet = (participatingWeight: number, totalWeight: number, quorumPercent: number): boolean =>
  BigInt(participatingWeight) * 100n >= BigInt(quorumPercent) * BigInt(totalWeight);

/** The weight the threshold is a percentage of. */
export function thresholdBasisWeight(t: Tally, basis: ThresholdBasis): number {
  const { approve, object, abstain, block } = t.weights;
  return basis === 'approve_of_all_cast' ? approve + object + abstain + block : approve + object + block;
}

/** `basis > 0 and approve × 100 ≥ thresholdPercent × basis`: exactly at the threshold is met. */
export const thresholdMet = (approveWeight: number, basisWeight: number, thresholdPercent: number): boolean =>
  basisWeight > 0 && BigInt(approveWeight) * 100n >= BigInt(thresholdPercent) * BigInt(basisWeight);

export function outcomeOf(t: Tally, rules: OutcomeRules): Outcome {
  const quorum = quorumMet(t.participatingWeight, t.totalWeight, rules.quorumPercent);
  const threshold = thresholdMet(t.weights.approve, thresholdBasisWeight(t, rules.thresholdBasis), rules.thresholdPercent);
  const blocked = rules.blockVetoes && t.counts.block > 0;
  return { quorumMet: quorum, thresholdMet: threshold, blocked, passed: quorum && threshold && !blocked };
}

/** Why the rules are invalid (field and message), or null. */
export function invalidOutcomeRule(rules: OutcomeRules): { readonly code: string; readonly field: string; readonly message: string } | null {
  const { quorumPercent, thresholdPercent, thresholdBasis, blockVetoes } = rules;
  if (!Number.isInteger(quorumPercent) || quorumPercent < 0 || quorumPercent > 100)
    return { code: 'INVALID_QUORUM', field: 'quorumPercent', message: `The quorum is an integer percentage 0-100; got ${JSON.stringify(quorumPercent)}.` };
  if (!Number.isInteger(thresholdPercent) || thresholdPercent < 1 || thresholdPercent > 100)
    return {
      code: 'INVALID_THRESHOLD',
      field: 'thresholdPercent',
      message: `The threshold is an integer percentage 1-100; got ${JSON.stringify(thresholdPercent)}.`,
    };
  if (!(THRESHOLD_BASES as readonly unknown[]).includes(thresholdBasis))
    return {
      code: 'INVALID_THRESHOLD_BASIS',
      field: 'thresholdBasis',
      message: `The threshold basis is ${THRESHOLD_BASES.join(' or ')}; got ${JSON.stringify(thresholdBasis)}.`,
    };
  if (typeof blockVetoes !== 'boolean') return { code: 'INVALID_BLOCK_VETOES', field: 'blockVetoes', message: 'blockVetoes is true or false.' };
  return null;
}
