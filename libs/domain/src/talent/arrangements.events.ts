import { DomainEvent, streamName } from '../shared/decider';
import { CostTable, SplitRule } from './cost-split';

export const TALENT_ARRANGEMENT_CATEGORY = 'TalentArrangement';

/** `TalentArrangement-<arrangementId>`. */
export const talentArrangementStreamName = (arrangementId: string): string => streamName(TALENT_ARRANGEMENT_CATEGORY, arrangementId);

/**
 * The MIC guidebook's steps (外部デジタル人材の確保ガイドブック), then the hire at work and its end:
 * 課題の特定 → 人材要件の定義 → 人材の選定 → 受け入れ → active → ended.
 */
export const ARRANGEMENT_PHASES = ['problems', 'requirements', 'selection', 'onboarding', 'active', 'ended'] as const;
export type ArrangementPhase = (typeof ARRANGEMENT_PHASES)[number];

export interface TermsParticipant {
  readonly organisationId: string;
  /** JIS X 0401 (2 digits), from the organisations lookup when the terms were made: "arrangements by prefecture". */
  readonly prefectureCode: string | null;
  /** The figure used by the population rule; null when not supplied (other rules). */
  readonly population: number | null;
  /** Days per month of the person's work allotted to this participant. */
  readonly daysPerMonth: number;
}

/** One terms version: what every participant consents to. */
export interface Terms {
  /** `YYYY-MM-DD`, days in Japan; startDate ≤ endDate. */
  readonly startDate: string;
  readonly endDate: string;
  readonly annualCostYen: number;
  /** The organisation that employs the person (a municipality or prefecture; not necessarily a participant). */
  readonly hostOrganisationId: string;
  /** In order: the order breaks rounding ties (cost-split.ts). */
  readonly participants: readonly TermsParticipant[];
  readonly splitRule: SplitRule;
  /** Integer percentage 0-100 of the cost that 特別交付税 covers. */
  readonly subsidyPercent: number;
}

/** What a new terms version changed against the one before. */
export const TERMS_CHANGES = ['participants', 'host', 'cost', 'term', 'split', 'subsidy', 'allotment'] as const;
export type TermsChange = (typeof TERMS_CHANGES)[number];

export interface TalentArrangementProposedData {
  readonly arrangementId: string;
  /** E.g. CIO補佐官, DX推進アドバイザー. */
  readonly role: string;
  readonly skills: readonly string[];
  readonly proposerOrganisationId: string;
  /** A prefecture proposes as coordinator: it may stay outside the participants, as the prefecture of one of them. */
  readonly proposerKind: 'municipality' | 'prefecture';
  /** JIS X 0401 of the proposer. */
  readonly proposerPrefectureCode: string | null;
  readonly proposedByPersonId: string;
  /** ISO 8601, the command's now. */
  readonly proposedAt: string;
  /** Always 1. */
  readonly termsVersion: number;
  readonly terms: Terms;
  /**
   * The split as computed when deciding, kept with the terms: what each participant consents to
   * pay is recorded, not recomputed by whatever rounding code runs later.
   */
  readonly costTable: CostTable;
}
export type TalentArrangementProposed = DomainEvent<'TalentArrangementProposed', TalentArrangementProposedData>;

/** A new terms version; every earlier consent is void from here on. */
export interface TalentTermsChangedData {
  readonly arrangementId: string;
  /** The previous version + 1. */
  readonly termsVersion: number;
  readonly terms: Terms;
  readonly costTable: CostTable;
  /** Never empty. */
  readonly changes: readonly TermsChange[];
  readonly joinedOrganisationIds: readonly string[];
  readonly leftOrganisationIds: readonly string[];
  /** Participants whose consent to the previous version this voids (to notify them). */
  readonly voidedConsents: readonly string[];
  readonly reason: string;
  readonly changedByPersonId: string;
  /** The proposer, or the participant that left. */
  readonly changedByOrganisationId: string;
  readonly changedAt: string;
}
export type TalentTermsChanged = DomainEvent<'TalentTermsChanged', TalentTermsChangedData>;

export interface TalentTermsConsentedData {
  readonly arrangementId: string;
  readonly termsVersion: number;
  readonly organisationId: string;
  /** The approver (決裁者) of organisationId. */
  readonly consentedByPersonId: string;
  readonly consentedAt: string;
}
export type TalentTermsConsented = DomainEvent<'TalentTermsConsented', TalentTermsConsentedData>;

export interface TalentTermsDeclinedData {
  readonly arrangementId: string;
  readonly termsVersion: number;
  readonly organisationId: string;
  readonly reason: string;
  readonly declinedByPersonId: string;
  readonly declinedAt: string;
}
export type TalentTermsDeclined = DomainEvent<'TalentTermsDeclined', TalentTermsDeclinedData>;

/** Every current participant has consented to this version: it is in force. Follows the last consent. */
export interface TalentTermsAgreedData {
  readonly arrangementId: string;
  readonly termsVersion: number;
  readonly organisationIds: readonly string[];
  readonly agreedAt: string;
}
export type TalentTermsAgreed = DomainEvent<'TalentTermsAgreed', TalentTermsAgreedData>;

export interface TalentProblem {
  readonly problemId: string;
  readonly text: string;
}

/** 課題の特定: one participant's complete list of problems the hire must solve (replaces its earlier list). */
export interface TalentProblemsListedData {
  readonly arrangementId: string;
  readonly organisationId: string;
  readonly problems: readonly TalentProblem[];
  readonly listedByPersonId: string;
}
export type TalentProblemsListed = DomainEvent<'TalentProblemsListed', TalentProblemsListedData>;

export interface TalentRequirement {
  readonly requirementId: string;
  readonly text: string;
  /** The listed problems it answers (at least one). */
  readonly problemIds: readonly string[];
}

/** 人材要件の定義: the complete requirements; the first one ends 課題の特定 (phase → requirements). */
export interface TalentRequirementsDefinedData {
  readonly arrangementId: string;
  readonly requirements: readonly TalentRequirement[];
  readonly definedByPersonId: string;
}
export type TalentRequirementsDefined = DomainEvent<'TalentRequirementsDefined', TalentRequirementsDefinedData>;

/** 人材の選定 begins (phase → selection). */
export interface TalentSelectionOpenedData {
  readonly arrangementId: string;
  readonly openedByPersonId: string;
}
export type TalentSelectionOpened = DomainEvent<'TalentSelectionOpened', TalentSelectionOpenedData>;

/**
 * A candidate: personal data limited to a name and a reference into the host's own recruitment
 * file (応募番号 or similar). No contact details, CV or assessment ever enter the log; later
 * events name the candidate by candidateId only.
 */
export interface TalentCandidateAddedData {
  readonly arrangementId: string;
  readonly candidateId: string;
  readonly name: string;
  readonly reference: string;
  readonly addedByPersonId: string;
}
export type TalentCandidateAdded = DomainEvent<'TalentCandidateAdded', TalentCandidateAddedData>;

/** The selection (phase → onboarding), under the terms version in force. */
export interface TalentCandidateSelectedData {
  readonly arrangementId: string;
  readonly candidateId: string;
  readonly termsVersion: number;
  readonly selectedByPersonId: string;
  readonly selectedAt: string;
}
export type TalentCandidateSelected = DomainEvent<'TalentCandidateSelected', TalentCandidateSelectedData>;

export interface ChecklistItem {
  readonly itemId: string;
  readonly label: string;
}

/** 受け入れ: the complete onboarding checklist (replaces the earlier one; items kept by id stay done). */
export interface TalentChecklistSetData {
  readonly arrangementId: string;
  readonly items: readonly ChecklistItem[];
  readonly setByPersonId: string;
}
export type TalentChecklistSet = DomainEvent<'TalentChecklistSet', TalentChecklistSetData>;

export interface TalentChecklistItemCompletedData {
  readonly arrangementId: string;
  readonly itemId: string;
  readonly completedByPersonId: string;
  readonly completedAt: string;
}
export type TalentChecklistItemCompleted = DomainEvent<'TalentChecklistItemCompleted', TalentChecklistItemCompletedData>;

/** The person starts work (phase → active) under the agreed terms version. */
export interface TalentArrangementActivatedData {
  readonly arrangementId: string;
  readonly termsVersion: number;
  readonly candidateId: string;
  readonly activatedByPersonId: string;
  readonly activatedAt: string;
}
export type TalentArrangementActivated = DomainEvent<'TalentArrangementActivated', TalentArrangementActivatedData>;

export interface TalentArrangementEndedData {
  readonly arrangementId: string;
  /** The phase it ended from: 'active' for a hire that worked, earlier for an abandoned one. */
  readonly endedFromPhase: Exclude<ArrangementPhase, 'ended'>;
  /** Before the term's end date (Japan). */
  readonly early: boolean;
  /** Required when early; null otherwise. */
  readonly reason: string | null;
  readonly endedByPersonId: string;
  readonly endedAt: string;
}
export type TalentArrangementEnded = DomainEvent<'TalentArrangementEnded', TalentArrangementEndedData>;

export type TalentArrangementEvent =
  | TalentArrangementProposed
  | TalentTermsChanged
  | TalentTermsConsented
  | TalentTermsDeclined
  | TalentTermsAgreed
  | TalentProblemsListed
  | TalentRequirementsDefined
  | TalentSelectionOpened
  | TalentCandidateAdded
  | TalentCandidateSelected
  | TalentChecklistSet
  | TalentChecklistItemCompleted
  | TalentArrangementActivated
  | TalentArrangementEnded;
