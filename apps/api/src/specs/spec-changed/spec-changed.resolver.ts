import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { ChangeFeed } from '@kyogi/live/change-feed';
import { maySee } from '@kyogi/live/visibility';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import type { Position } from '@kyogi/event-store/port';
import { CHANGE_FEED } from '../../platform/tokens';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { GetSpecQuery } from '../get-spec/get-spec.query';
import type { SpecView } from '../spec.view';

@Resolver('Subscription')
export class SpecChangedResolver {
  constructor(@Inject(CHANGE_FEED) private readonly feed: ChangeFeed) {}

  @Subscription('specChanged', { resolve: (change: ReadModelChange) => change })
  specChanged(@Context() context: RequestContext, @Args('id') id: string, @Args('after') after: Position | null): AsyncIterator<ReadModelChange> {
    const actor = requireActor(context, 'spec.read');
    return this.feed.subscribe((change) => change.entity === 'spec' && change.id === id && maySee(actor, change), { after });
  }
}

@Resolver('SpecChange')
export class SpecChangeFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('specId')
  specId(@Parent() change: ReadModelChange): string {
    return change.id;
  }

  /** The spec as the read model has it now (at or after the change: the change is logged with the read model). */
  @ResolveField('spec')
  spec(@Parent() change: ReadModelChange): Promise<SpecView | null> {
    return this.queries.execute(new GetSpecQuery(change.id));
  }
}
