import { Inject, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { DomainError } from '@kyogi/domain/shared/decider';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../platform/tokens';
import { userErrors } from '../graphql/user-errors';
import { readYourWrites } from '../graphql/read-your-writes';
import type { RequestContext } from '../graphql/request-context';
import type { CommandOutcome } from '../command-handling/decide.command';
import { GetCommentThreadsQuery } from './list-comments/list-comments.query';
import type { CommentView } from './comment.view';

/** What the comment mutations return; `comment` resolves once the read models have the write. */
export interface CommentMutationPayload {
  readonly commentId: string | null;
  readonly position: Position | null;
  readonly errors: ReturnType<typeof userErrors>;
}

export const failedPayload = (error: DomainError): CommentMutationPayload => ({ commentId: null, position: null, errors: userErrors(error) });

export const outcomePayload = (commentId: string, outcome: CommandOutcome): CommentMutationPayload =>
  outcome.ok ? { commentId, position: outcome.position, errors: [] } : failedPayload(outcome.error);

/** The `comment` field of one payload type, read with read-your-writes and the caller's visibility. */
function commentPayloadResolver(typeName: string): Type<unknown> {
  @Resolver(typeName)
  class CommentPayloadResolver {
    constructor(
      readonly queries: QueryBus,
      @Inject(PROJECTOR) readonly projector: Projector,
    ) {}

    @ResolveField('comment')
    async comment(@Context() context: RequestContext, @Parent() payload: CommentMutationPayload): Promise<CommentView | null> {
      if (!payload.commentId || !context.identity) return null;
      await readYourWrites(this.projector, payload.position);
      const [found] = await this.queries.execute<GetCommentThreadsQuery, CommentView[]>(
        new GetCommentThreadsQuery({ commentId: payload.commentId }, context.identity.actor),
      );
      return found ?? null;
    }
  }
  Object.defineProperty(CommentPayloadResolver, 'name', { value: `${typeName}Resolver` });
  return CommentPayloadResolver;
}

export const COMMENT_PAYLOAD_RESOLVERS: readonly Type<unknown>[] = [
  'PostCommentPayload',
  'EditCommentPayload',
  'RetractCommentPayload',
  'DisposeCommentPayload',
  'ReactToCommentPayload',
].map(commentPayloadResolver);
