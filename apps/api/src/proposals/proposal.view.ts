import type { ProposalStatus } from '@kyogi/domain/proposals/proposals.decider';
import type { ChangeKind, ProposalChange } from '@kyogi/domain/proposals/proposals.events';

/** A change as the GraphQL API shows it (enums upper-case, as in the schema). */
export interface ProposalChangeView {
  readonly changeId: string;
  readonly kind: Uppercase<ChangeKind>;
  readonly requirementId: string;
  readonly requirementTitle: string | null;
  readonly before: string | null;
  readonly after: string | null;
  readonly reason: string;
}

export interface ProposalRevisionView {
  readonly proposalId: string;
  readonly revision: number;
  readonly title: string;
  readonly changes: readonly ProposalChangeView[];
  /** As recorded (kinds lower-case), for the diffs. */
  readonly recorded: readonly ProposalChange[];
  readonly revisedByPersonId: string;
  readonly revisedAt: Date;
}

export interface ProposalView {
  readonly id: string;
  readonly specId: string;
  readonly specVersion: string;
  readonly title: string;
  readonly status: Uppercase<ProposalStatus>;
  readonly authorPersonId: string;
  readonly authorOrganisationId: string;
  readonly currentRevision: number;
  readonly everSubmitted: boolean;
  readonly submittedRevision: number | null;
  readonly submittedAt: Date | null;
  readonly withdrawal: { reason: string; withdrawnByPersonId: string; withdrawnAt: Date } | null;
  readonly decision: { outcome: 'ACCEPTED' | 'REJECTED'; rationale: string; revision: number; decidedByPersonId: string; decidedAt: Date } | null;
  readonly incorporatedInVersion: string | null;
  readonly incorporatedAt: Date | null;
  readonly draftedAt: Date;
  readonly updatedAt: Date;
  readonly streamVersion: number;
  readonly position: string;
}

export interface ProposalRow {
  proposal_id: string;
  spec_id: string;
  version: string;
  title: string;
  status: ProposalStatus;
  author_person_id: string;
  author_organisation_id: string;
  current_revision: number;
  ever_submitted: boolean;
  submitted_revision: number | null;
  submitted_at: Date | null;
  withdrawal_reason: string | null;
  withdrawn_by_person_id: string | null;
  withdrawn_at: Date | null;
  decision: 'accepted' | 'rejected' | null;
  decision_rationale: string | null;
  decided_revision: number | null;
  decided_by_person_id: string | null;
  decided_at: Date | null;
  incorporated_version: string | null;
  incorporated_at: Date | null;
  drafted_at: Date;
  updated_at: Date;
  drafted_position: string;
  stream_version: string;
  position: string;
}

export const PROPOSAL_COLUMNS = `proposal_id, spec_id, version, title, status, author_person_id, author_organisation_id, current_revision, ever_submitted,
  submitted_revision, submitted_at, withdrawal_reason, withdrawn_by_person_id, withdrawn_at, decision, decision_rationale, decided_revision,
  decided_by_person_id, decided_at, incorporated_version, incorporated_at, drafted_at, updated_at, drafted_position, stream_version, position`;

/**
 * The SQL condition "this proposal is visible to the actor" (the decider's proposalVisibleTo):
 * submitted at some point, or the actor's own organisation's. `$n` is the actor's organisation.
 */
export const visibleToActorSql = (organisationParameter: string): string => `(ever_submitted OR author_organisation_id = ${organisationParameter})`;

/** The facts proposalVisibleTo needs, from a row. */
export const visibilityOf = (row: { author_organisation_id: string; ever_submitted: boolean }) => ({
  authorOrganisationId: row.author_organisation_id,
  everSubmitted: row.ever_submitted,
});

export function toProposalView(row: ProposalRow): ProposalView {
  return {
    id: row.proposal_id,
    specId: row.spec_id,
    specVersion: row.version,
    title: row.title,
    status: row.status.toUpperCase() as Uppercase<ProposalStatus>,
    authorPersonId: row.author_person_id,
    authorOrganisationId: row.author_organisation_id,
    currentRevision: row.current_revision,
    everSubmitted: row.ever_submitted,
    submittedRevision: row.submitted_revision,
    submittedAt: row.submitted_at,
    withdrawal:
      row.withdrawn_at && row.withdrawal_reason !== null
        ? { reason: row.withdrawal_reason, withdrawnByPersonId: row.withdrawn_by_person_id ?? '', withdrawnAt: row.withdrawn_at }
        : null,
    decision:
      row.decision && row.decided_at && row.decided_revision !== null
        ? {
            outcome: row.decision === 'accepted' ? 'ACCEPTED' : 'REJECTED',
            rationale: row.decision_rationale ?? '',
            revision: row.decided_revision,
            decidedByPersonId: row.decided_by_person_id ?? '',
            decidedAt: row.decided_at,
          }
        : null,
    incorporatedInVersion: row.incorporated_version,
    incorporatedAt: row.incorporated_at,
    draftedAt: row.drafted_at,
    updatedAt: row.updated_at,
    streamVersion: Number(row.stream_version),
    position: row.position,
  };
}

export const toChangeView = (change: ProposalChange): ProposalChangeView => ({
  changeId: change.changeId,
  kind: change.kind.toUpperCase() as Uppercase<ChangeKind>,
  requirementId: change.requirementId,
  requirementTitle: change.requirementTitle,
  before: change.before,
  after: change.after,
  reason: change.reason,
});

export interface RevisionRow {
  proposal_id: string;
  revision: number;
  title: string;
  changes: ProposalChange[];
  revised_by_person_id: string;
  revised_at: Date;
}

export const toRevisionView = (row: RevisionRow): ProposalRevisionView => ({
  proposalId: row.proposal_id,
  revision: row.revision,
  title: row.title,
  changes: row.changes.map(toChangeView),
  recorded: row.changes,
  revisedByPersonId: row.revised_by_person_id,
  revisedAt: row.revised_at,
});
