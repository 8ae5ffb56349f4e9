import { DomainCommand } from '../shared/decider';
import { CommentAnchor, CommentDisposition, CommentQuote, Reaction } from './comments.events';

/** Lookup: the comment replied to, as the read model has it. */
export interface ParentCommentFacts {
  readonly specId: string;
  readonly version: string;
  readonly proposalId: string | null;
  readonly anchor: CommentAnchor;
}

export interface PostCommentData {
  readonly commentId: string;
  readonly proposalId: string | null;
  readonly specId: string;
  readonly version: string;
  readonly anchor: CommentAnchor;
  readonly quote: CommentQuote | null;
  readonly parentCommentId: string | null;
  readonly body: string;
  /**
   * Lookup: the text at the anchor — for a change, `changeTextOf(proposal, changeId)` (the
   * proposed text, or the deleted text); for a requirement, its text in that spec version.
   * Null when the anchor does not exist.
   */
  readonly anchoredText: string | null;
  /** Lookup: the comment named by parentCommentId; null when there is none (or parentCommentId is null). */
  readonly parent: ParentCommentFacts | null;
  /** Lookup: `proposalVisibleTo(proposal, actor)`; false when the proposal does not exist. Ignored when proposalId is null. */
  readonly proposalVisibleToActor: boolean;
}
export type PostComment = DomainCommand<'PostComment', PostCommentData>;

export interface EditCommentData {
  readonly commentId: string;
  readonly body: string;
}
export type EditComment = DomainCommand<'EditComment', EditCommentData>;

export interface RetractCommentData {
  readonly commentId: string;
  readonly reason: string;
}
export type RetractComment = DomainCommand<'RetractComment', RetractCommentData>;

export interface DisposeCommentData {
  readonly commentId: string;
  readonly disposition: CommentDisposition;
  readonly answer: string;
  /** Lookup: the owner organisation of the comment's spec. */
  readonly specOwnerOrganisationId: string;
  /** Lookup: `proposalVisibleTo(proposal, actor)` for the comment's proposal. Ignored for a comment without one. */
  readonly proposalVisibleToActor: boolean;
}
export type DisposeComment = DomainCommand<'DisposeComment', DisposeCommentData>;

export interface ReactToCommentData {
  readonly commentId: string;
  /** Null clears the actor's reaction. */
  readonly reaction: Reaction | null;
  /** Lookup: `proposalVisibleTo(proposal, actor)` for the comment's proposal. Ignored for a comment without one. */
  readonly proposalVisibleToActor: boolean;
}
export type ReactToComment = DomainCommand<'ReactToComment', ReactToCommentData>;

export type CommentCommand = PostComment | EditComment | RetractComment | DisposeComment | ReactToComment;
