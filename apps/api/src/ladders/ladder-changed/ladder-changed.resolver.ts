import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { ChangeFeed } from '@kyogi/live/change-feed';
import { maySee } from '@kyogi/live/visibility';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import type { Position } from '@kyogi/event-store/port';
import { CHANGE_FEED } from '../../platform/tokens';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { GetLadderQuery } from '../get-ladder/get-ladder.query';
import type { LadderView } from '../ladder.view';

@Resolver('Subscription')
export class LadderChangedResolver {
  constructor(@Inject(CHANGE_FEED) private readonly feed: ChangeFeed) {}

  /** Chosen, every stage opened or closed, decided — replayed after `after`, then live. */
  @Subscription('ladderChanged', { resolve: (change: ReadModelChange) => change })
  ladderChanged(@Context() context: RequestContext, @Args('id') id: string, @Args('after') after: Position | null): AsyncIterator<ReadModelChange> {
    const actor = requireActor(context, 'consultation.read');
    return this.feed.subscribe((change) => change.entity === 'ladder' && change.id === id && maySee(actor, change), { after });
  }
}

@Resolver('LadderChangedEvent')
export class LadderChangedEventFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('ladderId')
  ladderId(@Parent() change: ReadModelChange): string {
    return change.id;
  }

  @ResolveField('ladder')
  ladder(@Context() context: RequestContext, @Parent() change: ReadModelChange): Promise<LadderView | null> | null {
    if (!context.identity) return null;
    return this.queries.execute(new GetLadderQuery(change.id));
  }
}
