import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { graphqlError, requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import { GetOrganisationQuery } from '../../organisations/get-organisation/get-organisation.query';
import type { OrganisationView } from '../../organisations/organisation.view';
import type { EntityKind } from './history';
import { GetHistoryQuery, type HistoryPage } from './get-history.query';
import { GetOrganisationActivityQuery, type ActivityPage } from './organisation-activity.query';

const orThrow = <T>(result: T | DomainError): T => {
  if (result instanceof DomainError) throw graphqlError(result.code, result.message);
  return result;
};

@Resolver('Query')
export class HistoryResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  /** Read from the entity's stream: always current, no waitFor needed. */
  @Query('history')
  async history(
    @Context() context: RequestContext,
    @Args('entity') entity: EntityKind,
    @Args('id') id: string,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('actorOrganisationId') actorOrganisationId: string | null,
    @Args('actorPersonId') actorPersonId: string | null,
    @Args('types') types: string[] | null,
  ): Promise<HistoryPage> {
    const actor = requireActor(context, 'audit.readHistory');
    const filter = { actorOrganisationId: actorOrganisationId ?? null, actorPersonId: actorPersonId ?? null, types: types ?? null };
    return orThrow(await this.queries.execute(new GetHistoryQuery(actor, entity, id, first ?? 50, after ?? null, filter)));
  }

  @Query('organisationActivity')
  async organisationActivity(
    @Context() context: RequestContext,
    @Args('organisationId') organisationId: string,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('types') types: string[] | null,
    @Args('waitFor') waitFor: Position | null,
  ): Promise<ActivityPage> {
    const actor = requireActor(context, 'audit.readActivity', organisationId);
    await readYourWrites(this.projector, waitFor);
    return orThrow(await this.queries.execute(new GetOrganisationActivityQuery(actor, organisationId, first ?? 50, after ?? null, types ?? null)));
  }
}

@Resolver('HistoryActor')
export class HistoryActorFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('organisation')
  organisation(@Parent() actor: { organisationId: string }): Promise<OrganisationView | null> {
    return this.queries.execute(new GetOrganisationQuery({ id: actor.organisationId }));
  }
}

@Resolver('OrganisationActivityConnection')
export class OrganisationActivityFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('organisation')
  organisation(@Parent() page: ActivityPage): Promise<OrganisationView | null> {
    return this.queries.execute(new GetOrganisationQuery({ id: page.organisationId }));
  }
}
