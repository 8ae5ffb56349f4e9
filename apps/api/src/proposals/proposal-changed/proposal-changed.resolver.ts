import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { ChangeFeed } from '@kyogi/live/change-feed';
import { maySee } from '@kyogi/live/visibility';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import type { Position } from '@kyogi/event-store/port';
import { CHANGE_FEED } from '../../platform/tokens';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { GetProposalQuery } from '../get-proposal/get-proposal.query';
import type { ProposalView } from '../proposal.view';

@Resolver('Subscription')
export class ProposalChangedResolver {
  constructor(@Inject(CHANGE_FEED) private readonly feed: ChangeFeed) {}

  /** Every change of one proposal the subscriber may see: another organisation's draft says nothing, replayed or live. */
  @Subscription('proposalChanged', { resolve: (change: ReadModelChange) => change })
  proposalChanged(@Context() context: RequestContext, @Args('id') id: string, @Args('after') after: Position | null): AsyncIterator<ReadModelChange> {
    const actor = requireActor(context, 'proposal.read');
    return this.feed.subscribe((change) => change.entity === 'proposal' && change.id === id && maySee(actor, change), { after });
  }
}

@Resolver('ProposalChangedEvent')
export class ProposalChangedEventFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('proposalId')
  proposalId(@Parent() change: ReadModelChange): string {
    return change.id;
  }

  @ResolveField('proposal')
  proposal(@Context() context: RequestContext, @Parent() change: ReadModelChange): Promise<ProposalView | null> | null {
    if (!context.identity) return null;
    return this.queries.execute(new GetProposalQuery(change.id, context.identity.actor));
  }
}
