import { WEIGHTINGS } from '../consultations/consultations.events';
import { invalidOutcomeRule, Outcome } from '../consultations/tally';
import { Actor, assertNever, Decider, Decision, DomainError, Role } from '../shared/decider';
import { cleanLabel, isEntityId, isSpecId } from '../specs/input-rules';
import { ChooseLadder, LadderCommand, RecordNationalDecision, RecordStageClosed, RecordStageOpened } from './ladders.commands';
import { LADDER_CATEGORY, LadderDecision, LadderEvent, PopulationFigure, RoundOutcome, RoundRules, StageDefinition } from './ladders.events';

/**
 * One stream per ratification ladder: a proposal's decision path as numbered stages, e.g.
 * (1) one round per prefecture for its municipalities → (2) a round of the 47 prefectures →
 * (3) the national owner's decision, citing stage 2's outcome with a rationale.
 *
 *   unchosen ──choose──▶ running ──open 1──▶ … ──close n──▶ (open n+1 …) ──decide──▶ decided
 *
 * - choose: a coordinator or admin of the spec owner, for a submitted proposal, when the first
 *   stage opens. Stages: at least one round, then exactly one 'national_decision', last;
 * - open stage n: only when stage n-1 has closed (stage 1 right after choosing); the same
 *   consultations again decide nothing;
 * - close stage n: once opened, with the outcome of every one of its consultations, all closed;
 *   closing again with the same outcomes decides nothing;
 * - decide: only when the last round has closed, citing exactly its recorded outcomes.
 *
 * Every step is taken by a coordinator or admin of the owner organisation (the API records the
 * stage events on behalf of whoever opened or closed the consultations).
 */

interface StageProgress {
  readonly definition: StageDefinition;
  readonly consultationIds: readonly string[] | null;
  readonly outcomes: readonly RoundOutcome[] | null;
}

interface LadderFacts {
  readonly ladderId: string;
  readonly proposalId: string;
  readonly ownerOrganisationId: string;
  /** stages[n - 1] is stage n; the last one is the national decision. */
  readonly stages: readonly StageProgress[];
}

export interface RunningLadder extends LadderFacts {
  readonly status: 'running';
}
export interface DecidedLadder extends LadderFacts {
  readonly status: 'decided';
  readonly decision: LadderDecision;
  readonly rationale: string;
}
export type LadderState = { readonly status: 'unchosen' } | RunningLadder | DecidedLadder;

const RUNNING_ROLES: readonly Role[] = ['coordinator', 'admin'];
const MAX_RATIONALE = 10_000;
const MAX_STAGES = 10;
const PREFECTURE_CODE = /^(0[1-9]|[1-3]\d|4[0-7])000\d$/;
/** A round lasts at least a second (tests) and at most a year. */
export const MAX_ROUND_SECONDS = 366 * 24 * 3600;
const MAX_POPULATION_FIGURES = 5000;

const isOwnerCoordinator = (actor: Actor, ownerOrganisationId: string): boolean =>
  actor.organisationId === ownerOrganisationId && actor.roles.some((role) => RUNNING_ROLES.includes(role));

/** How many consultations a round stage has. */
const roundsIn = (definition: StageDefinition): number =>
  definition.kind === 'prefectural_rounds' ? definition.prefectureCodes.length : definition.kind === 'prefectures_round' ? 1 : 0;

/** The number of the stage that may open next, or null when every round has opened. */
export function nextStageToOpen(state: LadderState): number | null {
  if (state.status === 'unchosen') return null;
  const index = state.stages.findIndex((stage) => stage.definition.kind !== 'national_decision' && stage.consultationIds === null);
  if (index < 0) return null;
  return index === 0 || state.stages[index - 1].outcomes !== null ? index + 1 : null;
}

function validRules(input: unknown, at: string): RoundRules | DomainError {
  const invalid = (message: string, field: string) => new DomainError('INVALID_STAGES', `${at}: ${message}`, `${at}.rules.${field}`);
  if (typeof input !== 'object' || input === null) return new DomainError('INVALID_STAGES', `${at}: a round stage needs its rules.`, `${at}.rules`);
  const rules = input as Record<string, unknown>;
  const outcomeRule = invalidOutcomeRule(rules as never);
  if (outcomeRule) return new DomainError(outcomeRule.code, `${at}: ${outcomeRule.message}`, `${at}.rules.${outcomeRule.field}`);
  const { weighting, populations, resultsHidden, durationSeconds } = rules;
  if (!(WEIGHTINGS as readonly unknown[]).includes(weighting)) return invalid(`weighting is ${WEIGHTINGS.join(' or ')}.`, 'weighting');
  let figures: PopulationFigure[] | null = null;
  if (weighting === 'population') {
    if (!Array.isArray(populations) || populations.length === 0 || populations.length > MAX_POPULATION_FIGURES)
      return invalid(`population weighting needs 1 to ${MAX_POPULATION_FIGURES} population figures.`, 'populations');
    figures = [];
    const seen = new Set<string>();
    for (const [i, figure] of (populations as unknown[]).entries()) {
      const { organisationId, population } = (figure ?? {}) as Record<string, unknown>;
      if (!isEntityId(organisationId) || seen.has(organisationId))
        return invalid(`populations[${i}] names no organisation, or one named before.`, `populations[${i}]`);
      if (typeof population !== 'number' || !Number.isSafeInteger(population) || population < 0)
        return invalid(`populations[${i}]: a population is an integer ≥ 0.`, `populations[${i}].population`);
      seen.add(organisationId);
      figures.push({ organisationId, population });
    }
  } else if (populations !== null && populations !== undefined) {
    return invalid('population figures go with population weighting only.', 'populations');
  }
  if (typeof resultsHidden !== 'boolean') return invalid('resultsHidden is true or false.', 'resultsHidden');
  if (typeof durationSeconds !== 'number' || !Number.isInteger(durationSeconds) || durationSeconds < 1 || durationSeconds > MAX_ROUND_SECONDS)
    return invalid(`durationSeconds is an integer from 1 to ${MAX_ROUND_SECONDS}.`, 'durationSeconds');
  return {
    weighting: weighting as RoundRules['weighting'],
    populations: figures,
    quorumPercent: rules.quorumPercent as number,
    thresholdPercent: rules.thresholdPercent as number,
    thresholdBasis: rules.thresholdBasis as RoundRules['thresholdBasis'],
    blockVetoes: rules.blockVetoes as boolean,
    resultsHidden,
    durationSeconds,
  };
}

function validStages(input: unknown): readonly StageDefinition[] | DomainError {
  const invalid = (message: string, at = 'stages') => new DomainError('INVALID_STAGES', message, at);
  if (!Array.isArray(input) || input.length < 2 || input.length > MAX_STAGES)
    return invalid(`A ladder has 2 to ${MAX_STAGES} stages: at least one round, then the national decision.`);
  const stages: StageDefinition[] = [];
  for (const [i, item] of input.entries()) {
    const at = `stages[${i}]`;
    const last = i === input.length - 1;
    const { kind, prefectureCodes, rules: rulesInput } = (item ?? {}) as Record<string, unknown>;
    if (kind === 'national_decision') {
      if (!last) return invalid(`${at}: the national decision is the last stage only.`, at);
      stages.push({ kind });
    } else if (last) {
      return invalid(`${at}: the last stage is the national decision.`, at);
    } else if (kind === 'prefectures_round') {
      const rules = validRules(rulesInput, at);
      if (rules instanceof DomainError) return rules;
      stages.push({ kind, rules });
    } else if (kind === 'prefectural_rounds') {
      if (!Array.isArray(prefectureCodes) || prefectureCodes.length === 0 || prefectureCodes.length > 47)
        return invalid(`${at}: prefectural rounds name 1 to 47 prefecture codes.`, `${at}.prefectureCodes`);
      const codes = prefectureCodes as unknown[];
      if (!codes.every((code): code is string => typeof code === 'string' && PREFECTURE_CODE.test(code)))
        return invalid(`${at}: prefecture codes are 6-digit local government codes such as 130001.`, `${at}.prefectureCodes`);
      if (new Set(codes).size !== codes.length) return invalid(`${at}: a prefecture is named twice.`, `${at}.prefectureCodes`);
      const rules = validRules(rulesInput, at);
      if (rules instanceof DomainError) return rules;
      stages.push({ kind, prefectureCodes: [...codes], rules });
    } else {
      return invalid(`${at}: kind is prefectural_rounds, prefectures_round or national_decision; got ${JSON.stringify(kind)}.`, `${at}.kind`);
    }
  }
  return stages;
}

// Compared field by field: outcomes read back from jsonb have their keys in another order.
const sameOutcome = (a: Outcome, b: Outcome): boolean =>
  a.quorumMet === b.quorumMet && a.thresholdMet === b.thresholdMet && a.blocked === b.blocked && a.passed === b.passed;
const sameOutcomes = (a: readonly RoundOutcome[], b: readonly RoundOutcome[]): boolean =>
  a.length === b.length && a.every((x, i) => x.consultationId === b[i].consultationId && sameOutcome(x.outcome, b[i].outcome));
const sameIds = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id, i) => id === b[i]);

function assertSameLadder(state: LadderFacts, ladderId: string): void {
  if (state.ladderId !== ladderId) throw new Error(`Command for ladder ${ladderId} decided against the stream of ${state.ladderId}`);
}

const notFound = (ladderId: string) => new DomainError('LADDER_NOT_FOUND', `Ladder ${ladderId} does not exist.`, 'ladderId');
const forbidden = (state: LadderFacts) =>
  new DomainError('FORBIDDEN', `Only a coordinator or admin of ${state.ownerOrganisationId} runs ladder ${state.ladderId}.`);
const decided = (state: DecidedLadder) => new DomainError('LADDER_DECIDED', `Ladder ${state.ladderId} was decided already (${state.decision}).`);

/** The running ladder and the round stage numbered `stage`, or the first problem. */
function roundStage(command: RecordStageOpened | RecordStageClosed, state: LadderState): { ladder: RunningLadder; progress: StageProgress } | DomainError {
  const { data, metadata } = command;
  if (state.status === 'unchosen') return notFound(data.ladderId);
  assertSameLadder(state, data.ladderId);
  if (!isOwnerCoordinator(metadata.actor, state.ownerOrganisationId)) return forbidden(state);
  if (state.status === 'decided') return decided(state);
  if (!Number.isInteger(data.stage) || data.stage < 1 || data.stage > state.stages.length)
    return new DomainError('STAGE_NOT_FOUND', `Ladder ${state.ladderId} has stages 1 to ${state.stages.length}; got ${data.stage}.`, 'stage');
  const progress = state.stages[data.stage - 1];
  if (progress.definition.kind === 'national_decision')
    return new DomainError('NOT_A_ROUND', `Stage ${data.stage} is the national decision; record it with RecordNationalDecision.`, 'stage');
  return { ladder: state, progress };
}

function choose(command: ChooseLadder, state: LadderState): Decision<LadderEvent> {
  const { data, metadata } = command;
  const { actor, now } = metadata;
  if (!isOwnerCoordinator(actor, data.specOwnerOrganisationId))
    return new DomainError('FORBIDDEN', `Only a coordinator or admin of ${data.specOwnerOrganisationId}, the spec's owner, chooses a ladder.`);
  if (state.status !== 'unchosen') return new DomainError('LADDER_ALREADY_EXISTS', `Ladder ${state.ladderId} exists already.`, 'ladderId');
  if (!isEntityId(data.ladderId)) return new DomainError('INVALID_LADDER_ID', `${JSON.stringify(data.ladderId)} is not a ladder id.`, 'ladderId');
  if (!isEntityId(data.proposalId)) return new DomainError('INVALID_PROPOSAL_ID', `${JSON.stringify(data.proposalId)} is not a proposal id.`, 'proposalId');
  if (!isSpecId(data.specId)) return new DomainError('INVALID_SPEC_ID', `${JSON.stringify(data.specId)} is not a spec id.`, 'specId');
  if (!Number.isSafeInteger(data.proposalRevision) || data.proposalRevision < 1)
    return new DomainError('INVALID_REVISION', `proposalRevision is an integer ≥ 1; got ${JSON.stringify(data.proposalRevision)}.`, 'proposalRevision');
  if (!data.proposalSubmitted) return new DomainError('PROPOSAL_NOT_SUBMITTED', `Proposal ${data.proposalId} is not submitted.`, 'proposalId');
  const stages = validStages(data.stages);
  if (stages instanceof DomainError) return stages;
  return [
    {
      type: 'LadderChosen',
      data: {
        ladderId: data.ladderId,
        proposalId: data.proposalId,
        specId: data.specId,
        proposalRevision: data.proposalRevision,
        ownerOrganisationId: data.specOwnerOrganisationId,
        stages,
        chosenByPersonId: actor.personId,
        chosenAt: now.toISOString(),
      },
    },
  ];
}

function open(command: RecordStageOpened, state: LadderState): Decision<LadderEvent> {
  const { data, metadata } = command;
  const found = roundStage(command, state);
  if (found instanceof DomainError) return found;
  const { ladder, progress } = found;
  const ids = data.consultationIds;
  if (!Array.isArray(ids) || !ids.every((id) => isEntityId(id)) || new Set(ids).size !== ids.length)
    return new DomainError('INVALID_CONSULTATION_IDS', 'consultationIds are distinct consultation ids.', 'consultationIds');
  if (progress.consultationIds !== null) {
    if (sameIds(progress.consultationIds, ids)) return [];
    return new DomainError('STAGE_ALREADY_OPENED', `Stage ${data.stage} opened already with other consultations.`, 'stage');
  }
  if (nextStageToOpen(ladder) !== data.stage)
    return new DomainError('STAGE_OUT_OF_ORDER', `Stage ${data.stage} opens only when stage ${data.stage - 1} has closed.`, 'stage');
  const expected = roundsIn(progress.definition);
  if (ids.length !== expected)
    return new DomainError(
      'WRONG_ROUND_COUNT',
      `Stage ${data.stage} (${progress.definition.kind}) has ${expected} round(s); got ${ids.length}.`,
      'consultationIds',
    );
  return [
    { type: 'LadderStageOpened', data: { ladderId: ladder.ladderId, stage: data.stage, consultationIds: [...ids], openedAt: metadata.now.toISOString() } },
  ];
}

function close(command: RecordStageClosed, state: LadderState): Decision<LadderEvent> {
  const { data, metadata } = command;
  const found = roundStage(command, state);
  if (found instanceof DomainError) return found;
  const { ladder, progress } = found;
  if (progress.consultationIds === null) return new DomainError('STAGE_NOT_OPENED', `Stage ${data.stage} has not opened.`, 'stage');
  const byId = new Map((Array.isArray(data.results) ? data.results : []).map((result) => [result.consultationId, result]));
  const outcomes: RoundOutcome[] = [];
  for (const consultationId of progress.consultationIds) {
    const result = byId.get(consultationId);
    if (result === undefined) return new DomainError('MISSING_RESULT', `No result for consultation ${consultationId} of stage ${data.stage}.`, 'results');
    if (!result.closed || result.outcome === null)
      return new DomainError('CONSULTATION_NOT_CLOSED', `Consultation ${consultationId} of stage ${data.stage} has not closed.`, 'results');
    const { quorumMet, thresholdMet, blocked, passed } = result.outcome;
    outcomes.push({ consultationId, outcome: { quorumMet, thresholdMet, blocked, passed } });
  }
  if (byId.size !== outcomes.length) return new DomainError('UNKNOWN_RESULT', `A result names a consultation outside stage ${data.stage}.`, 'results');
  if (progress.outcomes !== null) {
    if (sameOutcomes(progress.outcomes, outcomes)) return [];
    return new DomainError('STAGE_ALREADY_CLOSED', `Stage ${data.stage} closed already with other outcomes.`, 'stage');
  }
  return [{ type: 'LadderStageClosed', data: { ladderId: ladder.ladderId, stage: data.stage, outcomes, closedAt: metadata.now.toISOString() } }];
}

function decideNationally(command: RecordNationalDecision, state: LadderState): Decision<LadderEvent> {
  const { data, metadata } = command;
  const { actor, now } = metadata;
  if (state.status === 'unchosen') return notFound(data.ladderId);
  assertSameLadder(state, data.ladderId);
  if (!isOwnerCoordinator(actor, state.ownerOrganisationId)) return forbidden(state);
  if (state.status === 'decided') return decided(state);
  const lastRound = state.stages.length - 1;
  const recorded = state.stages[lastRound - 1].outcomes;
  if (recorded === null) return new DomainError('DECISION_TOO_EARLY', `The national decision comes after stage ${lastRound} has closed.`);
  if (data.decision !== 'accept' && data.decision !== 'reject')
    return new DomainError('INVALID_DECISION', `decision is accept or reject; got ${JSON.stringify(data.decision)}.`, 'decision');
  const rationale = cleanLabel(data.rationale, MAX_RATIONALE);
  if (rationale === null) return new DomainError('INVALID_RATIONALE', `A rationale is required, at most ${MAX_RATIONALE} characters.`, 'rationale');
  if (data.citedStage !== lastRound || !Array.isArray(data.citedOutcomes) || !sameOutcomes(recorded, data.citedOutcomes))
    return new DomainError('CITATION_MISMATCH', `The decision cites stage ${lastRound} and exactly its recorded outcomes.`, 'citedOutcomes');
  return [
    {
      type: 'LadderDecided',
      data: {
        ladderId: state.ladderId,
        proposalId: state.proposalId,
        decision: data.decision,
        rationale,
        citedStage: lastRound,
        citedOutcomes: recorded,
        decidedByPersonId: actor.personId,
        decidedAt: now.toISOString(),
      },
    },
  ];
}

const factsOf = ({ ladderId, proposalId, ownerOrganisationId, stages }: LadderFacts): LadderFacts => ({ ladderId, proposalId, ownerOrganisationId, stages });

function running(state: LadderState, event: LadderEvent): RunningLadder {
  if (state.status === 'unchosen') throw new Error(`${event.type} in a stream without LadderChosen`);
  if (state.status === 'decided') throw new Error(`${event.type} after ladder ${state.ladderId} was decided`);
  return state;
}

function withStage(state: RunningLadder, stage: number, change: Partial<StageProgress>): RunningLadder {
  return { ...state, stages: state.stages.map((progress, i) => (i === stage - 1 ? { ...progress, ...change } : progress)) };
}

export function evolve(state: LadderState, event: LadderEvent): LadderState {
  switch (event.type) {
    case 'LadderChosen': {
      if (state.status !== 'unchosen') throw new Error(`LadderChosen twice in ${state.ladderId}`);
      const { ladderId, proposalId, ownerOrganisationId, stages } = event.data;
      return {
        status: 'running',
        ladderId,
        proposalId,
        ownerOrganisationId,
        stages: stages.map((definition) => ({ definition, consultationIds: null, outcomes: null })),
      };
    }
    case 'LadderStageOpened': {
      const current = running(state, event);
      if (nextStageToOpen(current) !== event.data.stage) throw new Error(`LadderStageOpened out of order: stage ${event.data.stage} in ${current.ladderId}`);
      return withStage(current, event.data.stage, { consultationIds: event.data.consultationIds });
    }
    case 'LadderStageClosed': {
      const current = running(state, event);
      const progress = current.stages[event.data.stage - 1];
      if (progress?.consultationIds == null || progress.outcomes !== null)
        throw new Error(`LadderStageClosed for stage ${event.data.stage} that is not open in ${current.ladderId}`);
      return withStage(current, event.data.stage, { outcomes: event.data.outcomes });
    }
    case 'LadderDecided': {
      const current = running(state, event);
      if (current.stages[current.stages.length - 2].outcomes === null) throw new Error(`LadderDecided before the last round closed in ${current.ladderId}`);
      return { ...factsOf(current), status: 'decided', decision: event.data.decision, rationale: event.data.rationale };
    }
    default:
      return assertNever(event);
  }
}

export function decide(command: LadderCommand, state: LadderState): Decision<LadderEvent> {
  switch (command.type) {
    case 'ChooseLadder':
      return choose(command, state);
    case 'RecordStageOpened':
      return open(command, state);
    case 'RecordStageClosed':
      return close(command, state);
    case 'RecordNationalDecision':
      return decideNationally(command, state);
    default:
      return assertNever(command);
  }
}

export const initialState = (): LadderState => ({ status: 'unchosen' });

export const ladderDecider: Decider<LadderState, LadderCommand, LadderEvent> = {
  category: LADDER_CATEGORY,
  decide,
  evolve,
  initialState,
};
