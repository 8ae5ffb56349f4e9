import { DomainCommand } from '../shared/decider';
import { ThresholdBasis } from './tally';
import { Weighting } from './consultations.events';

export interface OpenConsultationData {
  readonly consultationId: string;
  readonly proposalId: string;
  readonly specId: string;
  /**
   * Explicit organisations and weights. The handler resolves rules ("all municipalities of
   * prefecture P", "all prefectures") into this list before deciding and leaves out inactive
   * organisations; with 'equal' weighting every weight is 1.
   */
  readonly electorate: readonly { readonly organisationId: string; readonly weight: number }[];
  readonly weighting: Weighting;
  readonly quorumPercent: number;
  readonly thresholdPercent: number;
  readonly thresholdBasis: ThresholdBasis;
  readonly blockVetoes: boolean;
  /** ISO 8601 with a time zone; after the command's now. */
  readonly closesAt: string;
  readonly resultsHidden: boolean;
  readonly stage: { readonly ladderId: string | null; readonly stage: number | null };
  /** Lookup: the proposal exists and is submitted (not drafted, withdrawn or decided). */
  readonly proposalSubmitted: boolean;
}
export type OpenConsultation = DomainCommand<'OpenConsultation', OpenConsultationData>;

/** Lookup: a mandate the handler found valid (mandateValidFor) at now, granted to the actor's organisation. */
export interface MandateLookup {
  readonly mandateId: string;
  readonly grantorOrganisationId: string;
}

export interface DraftStanceData {
  readonly consultationId: string;
  readonly draftId: string;
  /** The voting organisation: the actor's own, or the grantor of `mandate`. */
  readonly organisationId: string;
  readonly stance: string;
  readonly reason: string | null;
  readonly mandate: MandateLookup | null;
}
export type DraftStance = DomainCommand<'DraftStance', DraftStanceData>;

export interface ApproveStanceData {
  readonly consultationId: string;
  readonly draftId: string;
  /** Lookup, for a draft made under a mandate: that mandate if still valid now, else null. */
  readonly mandate: MandateLookup | null;
}
export type ApproveStance = DomainCommand<'ApproveStance', ApproveStanceData>;

export interface CloseConsultationData {
  readonly consultationId: string;
  /** Required to close early; ignored (recorded as null) when the round is due. */
  readonly reason: string | null;
}
export type CloseConsultation = DomainCommand<'CloseConsultation', CloseConsultationData>;

export type ConsultationCommand = OpenConsultation | DraftStance | ApproveStance | CloseConsultation;
