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
import type { ProposalChangeView, ProposalRevisionView, ProposalView } from '../proposal.view';
import { GetProposalQuery, GetProposalRevisionsQuery, loadRevisions } from './get-proposal.query';
import { GetProposalAsOfQuery } from '../../audit/as-of/get-as-of.query';
import { revisionsAsOf } from '../../audit/as-of/proposal-as-of';
import { GetSpecQuery } from '../../specs/get-spec/get-spec.query';
import type { SpecView } from '../../specs/spec.view';

@Resolver('Query')
export class GetProposalResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  /** Null for a proposal that does not exist and for another organisation's draft alike. */
  @Query('proposal')
  async proposal(
    @Context() context: RequestContext,
    @Args('id') id: string,
    @Args('waitFor') waitFor: Position | null,
    @Args('asOf') asOf: Date | null,
  ): Promise<ProposalView | null> {
    const actor = requireActor(context, 'proposal.read');
    // As of a moment: rebuilt from the stream (apps/api/src/audit/as-of); changes, revisions and diff below show that moment too.
    if (asOf) return this.queries.execute(new GetProposalAsOfQuery(id, actor, asOf));
    await readYourWrites(this.projector, waitFor);
    return this.queries.execute(new GetProposalQuery(id, actor));
  }
}

/** Fields of a Proposal the caller may already see (it was read through GetProposalQuery or the list). */
@Resolver('Proposal')
export class ProposalFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('spec')
  spec(@Parent() proposal: ProposalView): Promise<SpecView | null> {
    return this.queries.execute(new GetSpecQuery(proposal.specId));
  }

  @ResolveField('authorOrganisation')
  authorOrganisation(@Context() context: RequestContext, @Parent() proposal: ProposalView): Promise<OrganisationView | null> {
    return loadOrganisation(context, this.queries, proposal.authorOrganisationId);
  }

  @ResolveField('changes')
  async changes(@Context() context: RequestContext, @Parent() proposal: ProposalView): Promise<readonly ProposalChangeView[]> {
    const [current] =
      revisionsAsOf(proposal, proposal.currentRevision) ??
      (await loadRevisions(context, this.queries, proposal)).filter((r) => r.revision === proposal.currentRevision);
    return current?.changes ?? [];
  }

  @ResolveField('revisions')
  revisions(@Context() context: RequestContext, @Parent() proposal: ProposalView): Promise<ProposalRevisionView[]> | ProposalRevisionView[] {
    return revisionsAsOf(proposal) ?? loadRevisions(context, this.queries, proposal);
  }

  @ResolveField('revision')
  async revision(@Parent() proposal: ProposalView, @Args('n') n: number): Promise<ProposalRevisionView | null> {
    const [found] =
      revisionsAsOf(proposal, n) ??
      (await this.queries.execute<GetProposalRevisionsQuery, ProposalRevisionView[]>(new GetProposalRevisionsQuery(proposal.id, n)));
    return found ?? null;
  }
}
