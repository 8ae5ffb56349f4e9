import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { DomainError, type OrganisationKind } from '@kyogi/domain/shared/decider';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { graphqlError, requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import type { OrganisationKind as GraphqlOrganisationKind } from '../../graphql/generated/schema-types';
import { ListOrganisationsQuery, type OrganisationPage } from './list-organisations.query';

@Resolver('Query')
export class ListOrganisationsResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('organisations')
  async organisations(
    @Context() context: RequestContext,
    @Args('kind') kind: GraphqlOrganisationKind | null,
    @Args('prefectureCode') prefectureCode: string | null,
    @Args('search') search: string | null,
    @Args('includeInactive') includeInactive: boolean,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Args('waitFor') waitFor: Position | null,
  ): Promise<OrganisationPage> {
    requireActor(context, 'organisation.read');
    await readYourWrites(this.projector, waitFor);
    const result = await this.queries.execute<ListOrganisationsQuery, OrganisationPage | DomainError>(
      new ListOrganisationsQuery(
        {
          kind: kind ? (kind.toLowerCase() as OrganisationKind) : null,
          prefectureCode: prefectureCode ?? null,
          search: search ?? null,
          includeInactive: includeInactive ?? false,
        },
        first ?? 50,
        after ?? null,
      ),
    );
    if (result instanceof DomainError) throw graphqlError(result.code, result.message);
    return result;
  }
}
