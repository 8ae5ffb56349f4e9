import { QueryBus } from '@nestjs/cqrs';
import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import type { ProposalChange } from '@kyogi/domain/proposals/proposals.events';
import { graphqlError } from '../../graphql/request-context';
import { GetProposalRevisionsQuery } from '../get-proposal/get-proposal.query';
import type { ProposalRevisionView, ProposalView } from '../proposal.view';
import { proposalDiff, type ProposalDiffView } from './proposal-diff';
import { revisionsAsOf } from '../../audit/as-of/proposal-as-of';

@Resolver('Proposal')
export class DiffProposalResolver {
  constructor(private readonly queries: QueryBus) {}

  /** A revision against the base text of its spec version, or against another revision; REVISION_NOT_FOUND for a number it does not have. */
  @ResolveField('diff')
  async diff(@Parent() proposal: ProposalView, @Args('revision') revision: number | null, @Args('against') against: number | null): Promise<ProposalDiffView> {
    // A proposal read as of a moment: only the revisions made by then.
    const all =
      revisionsAsOf(proposal) ?? (await this.queries.execute<GetProposalRevisionsQuery, ProposalRevisionView[]>(new GetProposalRevisionsQuery(proposal.id)));
    const byNumber = new Map<number, readonly ProposalChange[]>(all.map((r) => [r.revision, r.recorded]));
    const result = proposalDiff(byNumber, proposal.currentRevision, revision, against);
    if (result instanceof DomainError) throw graphqlError(result.code, result.message);
    return result;
  }
}
