import { DomainEvent, streamName } from '../shared/decider';

export const PROPOSAL_CATEGORY = 'Proposal';

/** `Proposal-<proposalId>`; the id is a ULID (or another id of 1-64 characters [A-Za-z0-9_-]). */
export const proposalStreamName = (proposalId: string): string => streamName(PROPOSAL_CATEGORY, proposalId);

export const CHANGE_KINDS = ['add', 'modify', 'delete'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One change of a 修文案, as recorded: `before` comes from the spec version, never from the client. */
export interface ProposalChange {
  /** Unique within the proposal; keep it across revisions so comments anchored to it stay attached. */
  readonly changeId: string;
  readonly kind: ChangeKind;
  readonly requirementId: string;
  /** The requirement's title in the base version (該当項目); null for add. */
  readonly requirementTitle: string | null;
  /** The requirement's text in the base version (修正前の文); null for add. */
  readonly before: string | null;
  /** The proposed text (修文案); null for delete. */
  readonly after: string | null;
  /** 理由: required. */
  readonly reason: string;
}

export interface ProposalDraftedData {
  readonly proposalId: string;
  readonly specId: string;
  /** The published version the proposal changes. */
  readonly version: string;
  readonly title: string;
  /** Revision 1. */
  readonly changes: readonly ProposalChange[];
  readonly authorPersonId: string;
  /** Only this organisation sees the proposal until it is submitted, and only it revises, submits or withdraws it. */
  readonly authorOrganisationId: string;
}
export type ProposalDrafted = DomainEvent<'ProposalDrafted', ProposalDraftedData>;

/** A new revision; earlier ones stay in the stream (ProposalDrafted is revision 1). */
export interface ProposalRevisedData {
  readonly proposalId: string;
  /** 2, 3, … without gaps. */
  readonly revision: number;
  readonly title: string;
  readonly changes: readonly ProposalChange[];
}
export type ProposalRevised = DomainEvent<'ProposalRevised', ProposalRevisedData>;

export interface ProposalSubmittedData {
  readonly proposalId: string;
  /** The revision current at submission. */
  readonly revision: number;
}
export type ProposalSubmitted = DomainEvent<'ProposalSubmitted', ProposalSubmittedData>;

export interface ProposalWithdrawnData {
  readonly proposalId: string;
  readonly reason: string;
}
export type ProposalWithdrawn = DomainEvent<'ProposalWithdrawn', ProposalWithdrawnData>;

export interface ProposalAcceptedData {
  readonly proposalId: string;
  /** The revision decided on. */
  readonly revision: number;
  readonly rationale: string;
}
export type ProposalAccepted = DomainEvent<'ProposalAccepted', ProposalAcceptedData>;

export interface ProposalRejectedData {
  readonly proposalId: string;
  /** The revision decided on. */
  readonly revision: number;
  readonly rationale: string;
}
export type ProposalRejected = DomainEvent<'ProposalRejected', ProposalRejectedData>;

export interface ProposalIncorporatedData {
  readonly proposalId: string;
  readonly specId: string;
  /** The new spec version that incorporates it. */
  readonly version: string;
}
export type ProposalIncorporated = DomainEvent<'ProposalIncorporated', ProposalIncorporatedData>;

export type ProposalEvent =
  ProposalDrafted | ProposalRevised | ProposalSubmitted | ProposalWithdrawn | ProposalAccepted | ProposalRejected | ProposalIncorporated;
