import { DomainCommand, OrganisationKind } from '../shared/decider';
import { SplitRule } from './cost-split';
import { ChecklistItem, TalentProblem, TalentRequirement } from './arrangements.events';

/** Lookup: one organisation as the organisations read model has it. */
export interface OrganisationLookup {
  readonly organisationId: string;
  readonly kind: OrganisationKind;
  /** JIS X 0401 (2 digits) of a prefecture or municipality. */
  readonly prefectureCode: string | null;
  readonly active: boolean;
}

export interface TermsParticipantInput {
  readonly organisationId: string;
  /** Required for the population rule. */
  readonly population: number | null;
  readonly daysPerMonth: number;
}

export interface TermsInput {
  /** `YYYY-MM-DD`. */
  readonly startDate: string;
  readonly endDate: string;
  /** Whole yen. */
  readonly annualCostYen: number;
  readonly hostOrganisationId: string;
  readonly participants: readonly TermsParticipantInput[];
  readonly splitRule: SplitRule;
  /** null: the default, 50 (特別交付税 covers half of the personnel cost). */
  readonly subsidyPercent: number | null;
}

export interface ProposeTalentArrangementData {
  readonly arrangementId: string;
  readonly role: string;
  readonly skills: readonly string[];
  readonly terms: TermsInput;
  /** Lookup: every organisation the terms name (participants, host) and the actor's own; unknown ones are left out. */
  readonly organisations: readonly OrganisationLookup[];
}
export type ProposeTalentArrangement = DomainCommand<'ProposeTalentArrangement', ProposeTalentArrangementData>;

export interface ChangeTalentTermsData {
  readonly arrangementId: string;
  /** The complete new terms (not a patch). */
  readonly terms: TermsInput;
  readonly reason: string;
  /** Lookup, as for ProposeTalentArrangement. */
  readonly organisations: readonly OrganisationLookup[];
}
export type ChangeTalentTerms = DomainCommand<'ChangeTalentTerms', ChangeTalentTermsData>;

/** A participant leaves on its own decision: a new terms version without it. */
export interface LeaveTalentArrangementData {
  readonly arrangementId: string;
  readonly organisationId: string;
  readonly reason: string;
}
export type LeaveTalentArrangement = DomainCommand<'LeaveTalentArrangement', LeaveTalentArrangementData>;

export interface ConsentToTalentTermsData {
  readonly arrangementId: string;
  /** The consenting participant: the actor's organisation. */
  readonly organisationId: string;
  /** The version the approver read: consent is to that version only. */
  readonly termsVersion: number;
}
export type ConsentToTalentTerms = DomainCommand<'ConsentToTalentTerms', ConsentToTalentTermsData>;

export interface DeclineTalentTermsData {
  readonly arrangementId: string;
  readonly organisationId: string;
  readonly termsVersion: number;
  readonly reason: string;
}
export type DeclineTalentTerms = DomainCommand<'DeclineTalentTerms', DeclineTalentTermsData>;

export interface ListTalentProblemsData {
  readonly arrangementId: string;
  /** The actor's organisation, a participant. */
  readonly organisationId: string;
  /** Its complete list (replaces the earlier one). */
  readonly problems: readonly TalentProblem[];
}
export type ListTalentProblems = DomainCommand<'ListTalentProblems', ListTalentProblemsData>;

export interface DefineTalentRequirementsData {
  readonly arrangementId: string;
  /** The complete requirements (replace the earlier ones). */
  readonly requirements: readonly TalentRequirement[];
}
export type DefineTalentRequirements = DomainCommand<'DefineTalentRequirements', DefineTalentRequirementsData>;

export interface OpenTalentSelectionData {
  readonly arrangementId: string;
}
export type OpenTalentSelection = DomainCommand<'OpenTalentSelection', OpenTalentSelectionData>;

export interface AddTalentCandidateData {
  readonly arrangementId: string;
  readonly candidateId: string;
  readonly name: string;
  readonly reference: string;
}
export type AddTalentCandidate = DomainCommand<'AddTalentCandidate', AddTalentCandidateData>;

export interface SelectTalentCandidateData {
  readonly arrangementId: string;
  readonly candidateId: string;
}
export type SelectTalentCandidate = DomainCommand<'SelectTalentCandidate', SelectTalentCandidateData>;

export interface SetOnboardingChecklistData {
  readonly arrangementId: string;
  readonly items: readonly ChecklistItem[];
}
export type SetOnboardingChecklist = DomainCommand<'SetOnboardingChecklist', SetOnboardingChecklistData>;

export interface CompleteChecklistItemData {
  readonly arrangementId: string;
  readonly itemId: string;
}
export type CompleteChecklistItem = DomainCommand<'CompleteChecklistItem', CompleteChecklistItemData>;

export interface ActivateTalentArrangementData {
  readonly arrangementId: string;
}
export type ActivateTalentArrangement = DomainCommand<'ActivateTalentArrangement', ActivateTalentArrangementData>;

export interface EndTalentArrangementData {
  readonly arrangementId: string;
  /** Required to end before the term's end date; ignored (recorded as null) after it. */
  readonly reason: string | null;
}
export type EndTalentArrangement = DomainCommand<'EndTalentArrangement', EndTalentArrangementData>;

export type TalentArrangementCommand =
  | ProposeTalentArrangement
  | ChangeTalentTerms
  | LeaveTalentArrangement
  | ConsentToTalentTerms
  | DeclineTalentTerms
  | ListTalentProblems
  | DefineTalentRequirements
  | OpenTalentSelection
  | AddTalentCandidate
  | SelectTalentCandidate
  | SetOnboardingChecklist
  | CompleteChecklistItem
  | ActivateTalentArrangement
  | EndTalentArrangement;
