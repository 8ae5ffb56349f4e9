import { Weighting } from '../consultations/consultations.events';
import { Outcome, OutcomeRules } from '../consultations/tally';
import { DomainEvent, streamName } from '../shared/decider';

export const LADDER_CATEGORY = 'Ladder';

/** `Ladder-<ladderId>`. */
export const ladderStreamName = (ladderId: string): string => streamName(LADDER_CATEGORY, ladderId);

export interface PopulationFigure {
  readonly organisationId: string;
  readonly population: number;
}

/** How every round of a stage is run; fixed when the ladder is chosen, so later stages open by themselves. */
export interface RoundRules extends OutcomeRules {
  readonly weighting: Weighting;
  /** With 'population' weighting, a figure for every organisation that may be in the stage's electorates; null with 'equal'. */
  readonly populations: readonly PopulationFigure[] | null;
  readonly resultsHidden: boolean;
  /** Each round of the stage closes this many seconds after the stage opens. */
  readonly durationSeconds: number;
}

/**
 * One stage of a ratification ladder:
 * - 'prefectural_rounds': one round per prefecture, for its municipalities (one consultation per code);
 * - 'prefectures_round': one round of the 47 prefectures (one consultation);
 * - 'national_decision': the spec owner's decision, always the last stage and the only one of its kind.
 */
export type StageDefinition =
  | { readonly kind: 'prefectural_rounds'; readonly prefectureCodes: readonly string[]; readonly rules: RoundRules }
  | { readonly kind: 'prefectures_round'; readonly rules: RoundRules }
  | { readonly kind: 'national_decision' };
export type StageKind = StageDefinition['kind'];
export const STAGE_KINDS: readonly StageKind[] = ['prefectural_rounds', 'prefectures_round', 'national_decision'];

/** The recorded outcome of one consultation (round) of a stage, as in its ConsultationClosed event. */
export interface RoundOutcome {
  readonly consultationId: string;
  readonly outcome: Outcome;
}

export interface LadderChosenData {
  readonly ladderId: string;
  readonly proposalId: string;
  readonly specId: string;
  /** The proposal revision put to the ladder: the national decision accepts or rejects this one. */
  readonly proposalRevision: number;
  /** The spec's owner: its coordinators and admins run the ladder and make the national decision. */
  readonly ownerOrganisationId: string;
  /** Numbered 1, 2, … in this order. */
  readonly stages: readonly StageDefinition[];
  readonly chosenByPersonId: string;
  readonly chosenAt: string;
}
export type LadderChosen = DomainEvent<'LadderChosen', LadderChosenData>;

export interface LadderStageOpenedData {
  readonly ladderId: string;
  /** 1-based. */
  readonly stage: number;
  /** For prefectural_rounds in the order of prefectureCodes; one id for prefectures_round. */
  readonly consultationIds: readonly string[];
  readonly openedAt: string;
}
export type LadderStageOpened = DomainEvent<'LadderStageOpened', LadderStageOpenedData>;

export interface LadderStageClosedData {
  readonly ladderId: string;
  readonly stage: number;
  /** One per consultation of the stage, in the order they were opened. */
  readonly outcomes: readonly RoundOutcome[];
  readonly closedAt: string;
}
export type LadderStageClosed = DomainEvent<'LadderStageClosed', LadderStageClosedData>;

export type LadderDecision = 'accept' | 'reject';

export interface LadderDecidedData {
  readonly ladderId: string;
  readonly proposalId: string;
  readonly decision: LadderDecision;
  readonly rationale: string;
  /** The stage cited: the last round, the one before the national decision. */
  readonly citedStage: number;
  /** Its outcomes exactly as recorded in LadderStageClosed. */
  readonly citedOutcomes: readonly RoundOutcome[];
  readonly decidedByPersonId: string;
  readonly decidedAt: string;
}
export type LadderDecided = DomainEvent<'LadderDecided', LadderDecidedData>;

export type LadderEvent = LadderChosen | LadderStageOpened | LadderStageClosed | LadderDecided;
