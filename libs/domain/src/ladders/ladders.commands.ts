import { Outcome } from '../consultations/tally';
import { DomainCommand } from '../shared/decider';
import { LadderDecision, RoundOutcome, StageDefinition } from './ladders.events';

export interface ChooseLadderData {
  readonly ladderId: string;
  readonly proposalId: string;
  readonly stages: readonly StageDefinition[];
  /** Lookup: the proposal's spec. */
  readonly specId: string;
  /** Lookup: the proposal's current revision. */
  readonly proposalRevision: number;
  /** Lookup: the owner organisation of the proposal's spec. */
  readonly specOwnerOrganisationId: string;
  /** Lookup: the proposal exists and is submitted. */
  readonly proposalSubmitted: boolean;
}
export type ChooseLadder = DomainCommand<'ChooseLadder', ChooseLadderData>;

export interface RecordStageOpenedData {
  readonly ladderId: string;
  readonly stage: number;
  readonly consultationIds: readonly string[];
}
export type RecordStageOpened = DomainCommand<'RecordStageOpened', RecordStageOpenedData>;

/** Lookup: what the Consultation stream says about one consultation of the stage. */
export interface ConsultationResultLookup {
  readonly consultationId: string;
  readonly closed: boolean;
  /** The outcome of its ConsultationClosed event; null while open. */
  readonly outcome: Outcome | null;
}

export interface RecordStageClosedData {
  readonly ladderId: string;
  readonly stage: number;
  /** Lookup: one per consultation of the stage. */
  readonly results: readonly ConsultationResultLookup[];
}
export type RecordStageClosed = DomainCommand<'RecordStageClosed', RecordStageClosedData>;

export interface RecordNationalDecisionData {
  readonly ladderId: string;
  readonly decision: LadderDecision;
  readonly rationale: string;
  /** The previous stage and its outcomes, as the decider read them: must match what was recorded. */
  readonly citedStage: number;
  readonly citedOutcomes: readonly RoundOutcome[];
}
export type RecordNationalDecision = DomainCommand<'RecordNationalDecision', RecordNationalDecisionData>;

export type LadderCommand = ChooseLadder | RecordStageOpened | RecordStageClosed | RecordNationalDecision;
