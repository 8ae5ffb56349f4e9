import { DomainCommand } from '../shared/decider';
import { ChangeKind } from './proposals.events';

/** A change as the client sends it: no `before`, which the decider takes from `base`. */
export interface ProposalChangeInput {
  readonly changeId: string;
  readonly kind: ChangeKind;
  readonly requirementId: string;
  /** The proposed text; null for delete. */
  readonly after: string | null;
  readonly reason: string;
}

/**
 * Lookup, read by the handler (read model, or `proposalBaseOf` on the Spec stream): the spec
 * version the proposal changes.
 */
export interface ProposalBase {
  /** The spec exists. */
  readonly exists: boolean;
  /** The version is published. */
  readonly versionPublished: boolean;
  /** requirementId → title and text, every requirement of that version (empty when not published). */
  readonly requirements: Readonly<Record<string, { readonly title: string; readonly text: string }>>;
}

export interface DraftProposalData {
  readonly proposalId: string;
  readonly specId: string;
  readonly version: string;
  readonly title: string;
  readonly changes: readonly ProposalChangeInput[];
  readonly base: ProposalBase;
}
export type DraftProposal = DomainCommand<'DraftProposal', DraftProposalData>;

export interface ReviseProposalData {
  readonly proposalId: string;
  readonly title: string;
  /** The complete new list of changes, not a delta. */
  readonly changes: readonly ProposalChangeInput[];
  /** The same lookup as for drafting, for the proposal's own spec and version. */
  readonly base: ProposalBase;
}
export type ReviseProposal = DomainCommand<'ReviseProposal', ReviseProposalData>;

export interface SubmitProposalData {
  readonly proposalId: string;
}
export type SubmitProposal = DomainCommand<'SubmitProposal', SubmitProposalData>;

export interface WithdrawProposalData {
  readonly proposalId: string;
  readonly reason: string;
}
export type WithdrawProposal = DomainCommand<'WithdrawProposal', WithdrawProposalData>;

export interface DecideProposalData {
  readonly proposalId: string;
  /** The revision the decider read: a revision made meanwhile makes the decision PROPOSAL_REVISION_STALE. */
  readonly revision: number;
  readonly rationale: string;
  /** Lookup: the owner organisation of the proposal's spec. */
  readonly specOwnerOrganisationId: string;
  /**
   * Lookup: the ratification ladder chosen for the proposal, if any; `deciding` when this command
   * carries that ladder's national decision (the only way a proposal on a ladder is decided).
   */
  readonly ladder: { readonly ladderId: string; readonly deciding: boolean } | null;
}
export type AcceptProposal = DomainCommand<'AcceptProposal', DecideProposalData>;
export type RejectProposal = DomainCommand<'RejectProposal', DecideProposalData>;

export interface MarkProposalIncorporatedData {
  readonly proposalId: string;
  readonly specId: string;
  /** The newly published version that lists the proposal in incorporatedProposalIds. */
  readonly version: string;
  /** Lookup: the owner organisation of the proposal's spec. */
  readonly specOwnerOrganisationId: string;
}
export type MarkProposalIncorporated = DomainCommand<'MarkProposalIncorporated', MarkProposalIncorporatedData>;

export type ProposalCommand = DraftProposal | ReviseProposal | SubmitProposal | WithdrawProposal | AcceptProposal | RejectProposal | MarkProposalIncorporated;
