import { DomainEvent, streamName } from '../shared/decider';
import { ElectorateMember, Outcome, Stance, Tally, ThresholdBasis } from './tally';

export const CONSULTATION_CATEGORY = 'Consultation';

/** `Consultation-<consultationId>`. */
export const consultationStreamName = (consultationId: string): string => streamName(CONSULTATION_CATEGORY, consultationId);

export type Weighting = 'equal' | 'population';
export const WEIGHTINGS: readonly Weighting[] = ['equal', 'population'];

export interface ConsultationOpenedData {
  readonly consultationId: string;
  readonly proposalId: string;
  readonly specId: string;
  readonly openedByPersonId: string;
  /** Its coordinators may close the round early. */
  readonly openedByOrganisationId: string;
  /** ISO 8601, the command's now. */
  readonly openedAt: string;
  /** Explicit organisations with their weights, as resolved by the handler (inactive ones excluded). */
  readonly electorate: readonly ElectorateMember[];
  /** 'equal': every weight is 1; 'population': the population figures supplied for the round. */
  readonly weighting: Weighting;
  readonly quorumPercent: number;
  readonly thresholdPercent: number;
  readonly thresholdBasis: ThresholdBasis;
  readonly blockVetoes: boolean;
  /** ISO 8601 (UTC, milliseconds); stances at or after it are refused. */
  readonly closesAt: string;
  /** The tally stays hidden from everyone until close. */
  readonly resultsHidden: boolean;
  /** The ratification ladder and stage (1, 2, …) this round belongs to; both null for a lone round. */
  readonly ladderId: string | null;
  readonly stage: number | null;
}
export type ConsultationOpened = DomainEvent<'ConsultationOpened', ConsultationOpenedData>;

export interface StanceDraftedData {
  readonly consultationId: string;
  readonly draftId: string;
  /** The voter: an organisation in the electorate. */
  readonly organisationId: string;
  /** The actor's organisation: the voter itself, or the grantee of a mandate. */
  readonly castByOrganisationId: string;
  /** The mandate the draft is made under; null when the voter drafts for itself. */
  readonly mandateId: string | null;
  readonly stance: Stance;
  /** Required for object and block; null or text for approve and abstain. */
  readonly reason: string | null;
  readonly draftedByPersonId: string;
}
export type StanceDrafted = DomainEvent<'StanceDrafted', StanceDraftedData>;

/** A draft approved (決裁): now the organisation's official stance. Every change is a new StanceCast. */
export interface StanceCastData {
  readonly consultationId: string;
  readonly draftId: string;
  readonly organisationId: string;
  readonly castByOrganisationId: string;
  readonly mandateId: string | null;
  readonly stance: Stance;
  readonly reason: string | null;
  readonly approvedByPersonId: string;
  /** The official stance this one replaces; null for the organisation's first. */
  readonly supersedes: Stance | null;
}
export type StanceCast = DomainEvent<'StanceCast', StanceCastData>;

export interface ConsultationClosedData {
  readonly consultationId: string;
  /** ISO 8601, the command's now. */
  readonly closedAt: string;
  /** Closed by a coordinator before closesAt. */
  readonly early: boolean;
  /** Required for an early close; null otherwise. */
  readonly reason: string | null;
  readonly closedByPersonId: string;
  /** The exact tally of the official stances at close, and the outcome computed from it. */
  readonly tally: Tally;
  readonly outcome: Outcome;
}
export type ConsultationClosed = DomainEvent<'ConsultationClosed', ConsultationClosedData>;

export type ConsultationEvent = ConsultationOpened | StanceDrafted | StanceCast | ConsultationClosed;
