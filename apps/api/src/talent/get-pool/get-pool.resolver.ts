import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { authorise } from '@kyogi/auth/permissions';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import { GetOrganisationQuery } from '../../organisations/get-organisation/get-organisation.query';
import type { OrganisationView } from '../../organisations/organisation.view';
import type { TalentDispatchView, TalentPoolView } from '../talent.view';
import { GetTalentPoolAsOfQuery } from '../../audit/as-of/get-as-of.query';
import { dispatchesAsOf, talentPoolAsOfOf } from '../../audit/as-of/talent-pool-as-of';
import { GetTalentPoolPeopleQuery, GetTalentPoolQuery, ListTalentDispatchesQuery, ListTalentPoolsQuery, type TalentPoolPersonView } from './get-pool.query';

@Resolver('Query')
export class GetTalentPoolResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('talentPool')
  async talentPool(
    @Context() context: RequestContext,
    @Args('id') id: string,
    @Args('waitFor') waitFor: Position | null,
    @Args('asOf') asOf: Date | null,
  ): Promise<TalentPoolView | null> {
    const actor = requireActor(context, 'talentPool.read');
    // As of a moment: rebuilt from the stream (apps/api/src/audit/as-of); people and dispatches below show that moment too.
    if (asOf) return this.queries.execute(new GetTalentPoolAsOfQuery(id, actor, asOf));
    await readYourWrites(this.projector, waitFor);
    return this.queries.execute(new GetTalentPoolQuery(id, actor));
  }

  @Query('talentPools')
  async talentPools(
    @Context() context: RequestContext,
    @Args('prefectureOrganisationId') prefectureOrganisationId: string | null,
    @Args('waitFor') waitFor: Position | null,
  ): Promise<TalentPoolView[]> {
    const actor = requireActor(context, 'talentPool.read');
    await readYourWrites(this.projector, waitFor);
    return this.queries.execute(new ListTalentPoolsQuery(actor, prefectureOrganisationId ?? null));
  }
}

@Resolver('TalentPool')
export class TalentPoolFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('prefecture')
  prefecture(@Parent() pool: TalentPoolView): Promise<OrganisationView | null> {
    return this.queries.execute(new GetOrganisationQuery({ id: pool.prefectureOrganisationId }));
  }

  /** Personal data: for the pool's prefecture only (talentPool.readPeople); null for everyone else. */
  @ResolveField('people')
  people(@Context() context: RequestContext, @Parent() pool: TalentPoolView): Promise<TalentPoolPersonView[]> | readonly TalentPoolPersonView[] | null {
    const actor = context.identity?.actor;
    if (!actor || !authorise('talentPool.readPeople', actor, pool.prefectureOrganisationId).allowed) return null;
    const asOf = talentPoolAsOfOf(pool);
    if (asOf) return asOf.people;
    return this.queries.execute(new GetTalentPoolPeopleQuery(pool.id));
  }

  @ResolveField('dispatches')
  dispatches(
    @Context() context: RequestContext,
    @Parent() pool: TalentPoolView,
    @Args('organisationId') organisationId: string | null,
    @Args('arrangementId') arrangementId: string | null,
  ): Promise<TalentDispatchView[]> | TalentDispatchView[] {
    if (!context.identity) return [];
    const asOf = dispatchesAsOf(pool, { organisationId: organisationId ?? null, arrangementId: arrangementId ?? null }, context.identity.actor);
    if (asOf) return asOf;
    return this.queries.execute(
      new ListTalentDispatchesQuery({ poolId: pool.id, organisationId: organisationId ?? null, arrangementId: arrangementId ?? null }, context.identity.actor),
    );
  }
}
