import { DomainEvent, streamName } from '../shared/decider';

export const COMMENT_CATEGORY = 'Comment';

/** `Comment-<commentId>`; the id is a ULID (or another id of 1-64 characters [A-Za-z0-9_-]). */
export const commentStreamName = (commentId: string): string => streamName(COMMENT_CATEGORY, commentId);

/** The secretariat's disposition codes of 意見照会, in the order of the matrix. */
export const COMMENT_DISPOSITIONS = ['対応する', '修正して対応', '今後検討', '対応しない', '回答のみ'] as const;
export type CommentDisposition = (typeof COMMENT_DISPOSITIONS)[number];

export const REACTIONS = ['agree', 'disagree'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** Where a comment points: a change of a proposal, or a requirement of the spec version. */
export type CommentAnchor = { readonly kind: 'change'; readonly changeId: string } | { readonly kind: 'requirement'; readonly requirementId: string };

/** A span of the anchored text: `text === anchoredText.slice(start, end)` (UTF-16 offsets, as in JavaScript). */
export interface CommentQuote {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface CommentPostedData {
  readonly commentId: string;
  /** Null for a comment on a requirement of the spec version itself. */
  readonly proposalId: string | null;
  readonly specId: string;
  readonly version: string;
  readonly anchor: CommentAnchor;
  readonly quote: CommentQuote | null;
  /** The comment this one replies to (same proposal, spec version and anchor); null at the top of a thread. */
  readonly parentCommentId: string | null;
  readonly body: string;
  /** A personal opinion, attributed to the person and their organisation. */
  readonly authorPersonId: string;
  readonly authorOrganisationId: string;
}
export type CommentPosted = DomainEvent<'CommentPosted', CommentPostedData>;

/** A new edition of the body; earlier ones stay in the stream (CommentPosted is edition 1). */
export interface CommentEditedData {
  readonly commentId: string;
  /** 2, 3, … without gaps. */
  readonly edition: number;
  readonly body: string;
}
export type CommentEdited = DomainEvent<'CommentEdited', CommentEditedData>;

/** Comments are never deleted; a retraction is recorded and ends edits, reactions and dispositions. */
export interface CommentRetractedData {
  readonly commentId: string;
  readonly reason: string;
}
export type CommentRetracted = DomainEvent<'CommentRetracted', CommentRetractedData>;

/** The spec owner's answer; a later disposition is a new revision, never an erasure. */
export interface CommentDisposedData {
  readonly commentId: string;
  readonly disposition: CommentDisposition;
  readonly answer: string;
  /** 1, 2, … without gaps. */
  readonly revision: number;
}
export type CommentDisposed = DomainEvent<'CommentDisposed', CommentDisposedData>;

export interface ReactionChangedData {
  readonly commentId: string;
  readonly personId: string;
  /** The person's organisation when reacting, for the per-organisation counts. */
  readonly organisationId: string;
  /** Null clears the person's reaction. */
  readonly reaction: Reaction | null;
}
export type ReactionChanged = DomainEvent<'ReactionChanged', ReactionChangedData>;

export type CommentEvent = CommentPosted | CommentEdited | CommentRetracted | CommentDisposed | ReactionChanged;
