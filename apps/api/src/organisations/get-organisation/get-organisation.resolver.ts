import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { graphqlError, requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import type { MemberView, OrganisationView } from '../organisation.view';
import { GetMembersQuery, GetOrganisationQuery } from './get-organisation.query';
import { GetOrganisationAsOfQuery } from '../../audit/as-of/get-as-of.query';
import { organisationAsOfOf } from '../../audit/as-of/organisation-as-of';

@Resolver('Query')
export class GetOrganisationResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('organisation')
  async organisation(
    @Context() context: RequestContext,
    @Args('id') id: string | null,
    @Args('code') code: string | null,
    @Args('waitFor') waitFor: Position | null,
    @Args('asOf') asOf: Date | null,
  ): Promise<OrganisationView | null> {
    const actor = requireActor(context, 'organisation.read');
    if ((id == null) === (code == null)) throw graphqlError('BAD_USER_INPUT', 'organisation needs exactly one of id or code');
    // As of a moment: rebuilt from the stream (apps/api/src/audit/as-of); `members` below shows that moment too.
    if (asOf) return this.queries.execute(new GetOrganisationAsOfQuery(id != null ? { id } : { code: code! }, actor, asOf));
    await readYourWrites(this.projector, waitFor);
    return this.queries.execute(new GetOrganisationQuery(id != null ? { id } : { code: code! }));
  }
}

@Resolver('Organisation')
export class OrganisationFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('prefecture')
  prefecture(@Parent() organisation: OrganisationView): Promise<OrganisationView | null> | null {
    if (organisation.kind !== 'MUNICIPALITY' || !organisation.parentId) return null;
    return this.queries.execute(new GetOrganisationQuery({ id: organisation.parentId }));
  }

  /** Personal data: only for the organisation itself and national admins or coordinators. */
  @ResolveField('members')
  members(@Context() context: RequestContext, @Parent() organisation: OrganisationView): Promise<MemberView[]> | readonly MemberView[] {
    requireActor(context, 'organisation.readMembers', organisation.id);
    const asOf = organisationAsOfOf(organisation);
    if (asOf) return asOf.members;
    return this.queries.execute(new GetMembersQuery({ organisationId: organisation.id }));
  }
}

@Resolver('Member')
export class MemberFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('organisation')
  organisation(@Parent() member: MemberView): Promise<OrganisationView | null> {
    return this.queries.execute(new GetOrganisationQuery({ id: member.organisationId }));
  }
}
