import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import { loadOrganisation } from '../../organisations/get-organisation/get-organisation.query';
import type { OrganisationView } from '../../organisations/organisation.view';
import type { ProposalView } from '../../proposals/proposal.view';
import type { CommentView } from '../comment.view';
import { GetCommentThreadsQuery } from './list-comments.query';

@Resolver('Query')
export class ListCommentsResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('commentsOnRequirement')
  async commentsOnRequirement(
    @Context() context: RequestContext,
    @Args('specId') specId: string,
    @Args('version') version: string,
    @Args('requirementId') requirementId: string,
    @Args('waitFor') waitFor: Position | null,
  ): Promise<CommentView[]> {
    const actor = requireActor(context, 'proposal.read');
    await readYourWrites(this.projector, waitFor);
    return this.queries.execute(new GetCommentThreadsQuery({ specId, version, requirementId }, actor));
  }

  /** Null for a comment that does not exist and for one on another organisation's draft alike. */
  @Query('comment')
  async comment(@Context() context: RequestContext, @Args('id') id: string, @Args('waitFor') waitFor: Position | null): Promise<CommentView | null> {
    const actor = requireActor(context, 'proposal.read');
    await readYourWrites(this.projector, waitFor);
    const [found] = await this.queries.execute<GetCommentThreadsQuery, CommentView[]>(new GetCommentThreadsQuery({ commentId: id }, actor));
    return found ?? null;
  }
}

/** The comment threads of a proposal the caller may see. */
@Resolver('Proposal')
export class ProposalCommentsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('comments')
  comments(
    @Context() context: RequestContext,
    @Parent() proposal: ProposalView,
    @Args('changeId') changeId: string | null,
    @Args('requirementId') requirementId: string | null,
  ): Promise<CommentView[]> {
    const actor = requireActor(context, 'proposal.read');
    return this.queries.execute(new GetCommentThreadsQuery({ proposalId: proposal.id, changeId, requirementId }, actor));
  }
}

@Resolver('Comment')
export class CommentFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('authorOrganisation')
  authorOrganisation(@Context() context: RequestContext, @Parent() comment: CommentView): Promise<OrganisationView | null> {
    // Read with the comment when it came from GetCommentThreadsQuery: no query of its own.
    if (comment.authorOrganisation !== undefined) return Promise.resolve(comment.authorOrganisation);
    return loadOrganisation(context, this.queries, comment.authorOrganisationId);
  }
}

@Resolver('OrganisationReactions')
export class OrganisationReactionsFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('organisation')
  organisation(@Context() context: RequestContext, @Parent() reactions: { organisationId: string }): Promise<OrganisationView | null> {
    return loadOrganisation(context, this.queries, reactions.organisationId);
  }
}
