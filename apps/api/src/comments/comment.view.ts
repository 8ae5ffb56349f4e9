import type { CommentDisposition as DispositionLabel, Reaction } from '@kyogi/domain/comments/comments.events';
import type { DispositionCode } from '../graphql/generated/schema-types';
import type { OrganisationView } from '../organisations/organisation.view';

/** The GraphQL enum for each disposition code of 意見照会 (GraphQL enum values cannot be Japanese). */
export const DISPOSITION_CODES: Readonly<Record<DispositionLabel, DispositionCode>> = {
  対応する: 'ADDRESS',
  修正して対応: 'ADDRESS_WITH_CHANGES',
  今後検討: 'CONSIDER_LATER',
  対応しない: 'NOT_ADDRESS',
  回答のみ: 'ANSWER_ONLY',
};

export const dispositionLabelOf = (code: DispositionCode): DispositionLabel =>
  (Object.entries(DISPOSITION_CODES) as [DispositionLabel, DispositionCode][]).find(([, c]) => c === code)?.[0] ?? (code as DispositionLabel);

export interface DispositionView {
  readonly code: DispositionCode;
  readonly label: DispositionLabel;
  readonly answer: string;
  readonly revision: number;
  readonly disposedByPersonId: string;
  readonly disposedByOrganisationId: string;
  readonly disposedAt: Date;
}

export interface ReactionTotalsView {
  readonly agree: number;
  readonly disagree: number;
  readonly byOrganisation: { organisationId: string; agree: number; disagree: number }[];
  readonly byPerson: { personId: string; organisationId: string; reaction: Uppercase<Reaction> }[];
}

export interface CommentView {
  readonly id: string;
  readonly proposalId: string | null;
  readonly specId: string;
  readonly specVersion: string;
  readonly anchor: { kind: 'CHANGE' | 'REQUIREMENT'; changeId: string | null; requirementId: string | null };
  readonly quote: { start: number; end: number; text: string } | null;
  readonly parentCommentId: string | null;
  readonly threadId: string;
  readonly body: string;
  readonly edition: number;
  readonly editions: { edition: number; body: string; editedAt: Date }[];
  readonly authorPersonId: string;
  readonly authorDisplayName: string | null;
  readonly authorOrganisationId: string;
  /** The author's organisation, when it was read with the comment (GetCommentThreadsQuery reads it in the same statement). */
  readonly authorOrganisation?: OrganisationView | null;
  readonly status: 'POSTED' | 'DISPOSED' | 'RETRACTED';
  readonly retractionReason: string | null;
  readonly retractedAt: Date | null;
  readonly disposition: DispositionView | null;
  readonly dispositionHistory: DispositionView[];
  readonly reactions: ReactionTotalsView;
  readonly myReaction: Uppercase<Reaction> | null;
  readonly replies: CommentView[];
  readonly postedAt: Date;
  readonly updatedAt: Date;
  readonly streamVersion: number;
  readonly position: string;
}

export interface CommentRow {
  comment_id: string;
  proposal_id: string | null;
  spec_id: string;
  version: string;
  anchor_kind: 'change' | 'requirement';
  anchor_change_id: string | null;
  anchor_requirement_id: string | null;
  quote_start: number | null;
  quote_end: number | null;
  quote_text: string | null;
  parent_comment_id: string | null;
  thread_id: string;
  body: string;
  edition: number;
  author_person_id: string;
  author_display_name: string | null;
  author_organisation_id: string;
  status: 'posted' | 'disposed' | 'retracted';
  retraction_reason: string | null;
  retracted_at: Date | null;
  disposition_revision: number | null;
  agree_count: number;
  disagree_count: number;
  posted_at: Date;
  updated_at: Date;
  stream_version: string;
  position: string;
}

/** The comment columns, with the author's display name as their organisation lists it. */
export const COMMENT_COLUMNS = `c.comment_id, c.proposal_id, c.spec_id, c.version, c.anchor_kind, c.anchor_change_id, c.anchor_requirement_id,
  c.quote_start, c.quote_end, c.quote_text, c.parent_comment_id, c.thread_id, c.body, c.edition, c.author_person_id,
  (SELECT m.display_name FROM read_models.organisation_members m WHERE m.person_id = c.author_person_id AND m.organisation_id = c.author_organisation_id) AS author_display_name,
  c.author_organisation_id, c.status, c.retraction_reason, c.retracted_at, c.disposition_revision, c.agree_count, c.disagree_count,
  c.posted_at, c.updated_at, c.stream_version, c.position`;

/**
 * The SQL condition "this comment is visible to the actor": on the spec version itself, or on a
 * proposal the actor may see (submitted at some point, or their own organisation's draft).
 */
export const commentVisibleSql = (organisationParameter: string): string =>
  `(c.proposal_id IS NULL OR c.proposal_public OR c.proposal_author_organisation_id = ${organisationParameter})`;
