import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { ChangeFeed } from '@kyogi/live/change-feed';
import { maySee } from '@kyogi/live/visibility';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import type { Position } from '@kyogi/event-store/port';
import { CHANGE_FEED } from '../../platform/tokens';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { GetCommentThreadsQuery } from '../list-comments/list-comments.query';
import type { CommentView } from '../comment.view';

@Resolver('Subscription')
export class CommentAddedResolver {
  constructor(@Inject(CHANGE_FEED) private readonly feed: ChangeFeed) {}

  /** New comments on one proposal the subscriber may see (a draft's only for its author organisation), replayed or live. */
  @Subscription('commentAdded', { resolve: (change: ReadModelChange) => change })
  commentAdded(
    @Context() context: RequestContext,
    @Args('proposalId') proposalId: string,
    @Args('after') after: Position | null,
  ): AsyncIterator<ReadModelChange> {
    const actor = requireActor(context, 'proposal.read');
    return this.feed.subscribe(
      (change) => change.entity === 'comment' && change.change === 'CommentPosted' && change.scope.proposalId === proposalId && maySee(actor, change),
      { after },
    );
  }
}

@Resolver('CommentAddedEvent')
export class CommentAddedEventFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('commentId')
  commentId(@Parent() change: ReadModelChange): string {
    return change.id;
  }

  @ResolveField('proposalId')
  proposalId(@Parent() change: ReadModelChange): string | null {
    return change.scope.proposalId ?? null;
  }

  @ResolveField('comment')
  async comment(@Context() context: RequestContext, @Parent() change: ReadModelChange): Promise<CommentView | null> {
    if (!context.identity) return null;
    const [found] = await this.queries.execute<GetCommentThreadsQuery, CommentView[]>(
      new GetCommentThreadsQuery({ commentId: change.id }, context.identity.actor),
    );
    return found ?? null;
  }
}
