import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import type { ProposalStatus } from '@kyogi/domain/proposals/proposals.decider';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { graphqlError, requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import type { ProposalStatus as GraphqlProposalStatus } from '../../graphql/generated/schema-types';
import { ListProposalsQuery, type ProposalPage } from './list-proposals.query';

@Resolver('Query')
export class ListProposalsResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('proposals')
  async proposals(
    @Context() context: RequestContext,
    @Args('specId') specId: string | null,
    @Args('specVersion') specVersion: string | null,
    @Args('status') status: GraphqlProposalStatus[] | null,
    @Args('authorOrganisationId') authorOrganisationId: string | null,
    @Args('search') search: string | null,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Args('waitFor') waitFor: Position | null,
  ): Promise<ProposalPage> {
    const actor = requireActor(context, 'proposal.read');
    await readYourWrites(this.projector, waitFor);
    const result = await this.queries.execute<ListProposalsQuery, ProposalPage | DomainError>(
      new ListProposalsQuery(
        actor,
        {
          specId: specId ?? null,
          specVersion: specVersion ?? null,
          statuses: status ? status.map((s) => s.toLowerCase() as ProposalStatus) : null,
          authorOrganisationId: authorOrganisationId ?? null,
          search: search ?? null,
        },
        first ?? 50,
        after ?? null,
      ),
    );
    if (result instanceof DomainError) throw graphqlError(result.code, result.message);
    return result;
  }
}
