import type { Provider } from '@nestjs/common';
import { CommentLookups } from './lookups';
import { GetCommentThreadsHandler } from './list-comments/list-comments.query';
import {
  CommentFieldsResolver,
  ListCommentsResolver,
  OrganisationReactionsFieldsResolver,
  ProposalCommentsResolver,
} from './list-comments/list-comments.resolver';
import { PostCommentResolver } from './post-comment/post-comment.resolver';
import { EditCommentResolver } from './edit-comment/edit-comment.resolver';
import { RetractCommentResolver } from './retract-comment/retract-comment.resolver';
import { DisposeCommentResolver } from './dispose-comment/dispose-comment.resolver';
import { ReactToCommentResolver } from './react-to-comment/react-to-comment.resolver';
import { CommentAddedEventFieldsResolver, CommentAddedResolver } from './comment-added/comment-added.resolver';
import { COMMENT_PAYLOAD_RESOLVERS } from './payloads';

/** Everything the comments context adds to the app module. */
export const COMMENT_PROVIDERS: readonly Provider[] = [
  CommentLookups,
  GetCommentThreadsHandler,
  ListCommentsResolver,
  ProposalCommentsResolver,
  CommentFieldsResolver,
  OrganisationReactionsFieldsResolver,
  PostCommentResolver,
  EditCommentResolver,
  RetractCommentResolver,
  DisposeCommentResolver,
  ReactToCommentResolver,
  CommentAddedResolver,
  CommentAddedEventFieldsResolver,
  ...COMMENT_PAYLOAD_RESOLVERS,
];
