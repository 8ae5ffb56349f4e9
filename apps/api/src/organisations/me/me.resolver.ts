import { QueryBus } from '@nestjs/cqrs';
import { Context, Query, Resolver } from '@nestjs/graphql';
import type { Role } from '@kyogi/domain/shared/decider';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { GetOrganisationQuery } from '../get-organisation/get-organisation.query';
import type { OrganisationView } from '../organisation.view';

@Resolver('Query')
export class MeResolver {
  constructor(private readonly queries: QueryBus) {}

  @Query('me')
  async me(
    @Context() context: RequestContext,
  ): Promise<{ personId: string; displayName: string; roles: Uppercase<Role>[]; organisation: OrganisationView | null }> {
    const actor = requireActor(context, 'me.read');
    return {
      personId: actor.personId,
      displayName: context.identity!.displayName,
      roles: actor.roles.map((r) => r.toUpperCase() as Uppercase<Role>),
      organisation: await this.queries.execute(new GetOrganisationQuery({ id: actor.organisationId })),
    };
  }
}
