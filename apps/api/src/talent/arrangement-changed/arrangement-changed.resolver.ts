import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { ChangeFeed } from '@kyogi/live/change-feed';
import { maySee } from '@kyogi/live/visibility';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import type { Position } from '@kyogi/event-store/port';
import { CHANGE_FEED } from '../../platform/tokens';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { GetTalentArrangementQuery } from '../get-arrangement/get-arrangement.query';
import type { TalentArrangementView } from '../talent.view';

@Resolver('Subscription')
export class TalentArrangementChangedResolver {
  constructor(@Inject(CHANGE_FEED) private readonly feed: ChangeFeed) {}

  /** Every change of one arrangement the caller may see (a candidate's addition: the organisers only) — replayed after `after`, then live. */
  @Subscription('talentArrangementChanged', { resolve: (change: ReadModelChange) => change })
  talentArrangementChanged(@Context() context: RequestContext, @Args('id') id: string, @Args('after') after: Position | null): AsyncIterator<ReadModelChange> {
    const actor = requireActor(context, 'talent.read');
    return this.feed.subscribe((change) => change.entity === 'talentArrangement' && change.id === id && maySee(actor, change), { after });
  }
}

@Resolver('TalentArrangementChangedEvent')
export class TalentArrangementChangedEventFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('arrangementId')
  arrangementId(@Parent() change: ReadModelChange): string {
    return change.id;
  }

  @ResolveField('arrangement')
  arrangement(@Context() context: RequestContext, @Parent() change: ReadModelChange): Promise<TalentArrangementView | null> | null {
    if (!context.identity) return null;
    return this.queries.execute(new GetTalentArrangementQuery(change.id, context.identity.actor));
  }
}
