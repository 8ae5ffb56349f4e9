import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { ChangeFeed } from '@kyogi/live/change-feed';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import type { Position } from '@kyogi/event-store/port';
import { CHANGE_FEED } from '../../platform/tokens';
import { maySee } from '@kyogi/live/visibility';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { GetOrganisationQuery } from '../get-organisation/get-organisation.query';
import type { OrganisationView } from '../organisation.view';

@Resolver('Subscription')
export class OrganisationChangedResolver {
  constructor(@Inject(CHANGE_FEED) private readonly feed: ChangeFeed) {}

  @Subscription('organisationChanged', { resolve: (change: ReadModelChange) => change })
  organisationChanged(
    @Context() context: RequestContext,
    @Args('id') id: string | null,
    @Args('prefectureCode') prefectureCode: string | null,
    @Args('after') after: Position | null,
  ): AsyncIterator<ReadModelChange> {
    const actor = requireActor(context, 'organisation.read');
    return this.feed.subscribe(
      (change) =>
        change.entity === 'organisation' &&
        (id == null || change.id === id) &&
        (prefectureCode == null || change.scope.prefectureCode === prefectureCode) &&
        maySee(actor, change),
      { after },
    );
  }
}

@Resolver('OrganisationChange')
export class OrganisationChangeFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('organisationId')
  organisationId(@Parent() change: ReadModelChange): string {
    return change.id;
  }

  @ResolveField('organisation')
  organisation(@Parent() change: ReadModelChange): Promise<OrganisationView | null> {
    return this.queries.execute(new GetOrganisationQuery({ id: change.id }));
  }
}
