import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { graphqlError, requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import { ListSpecsQuery, type SpecPage } from './list-specs.query';

@Resolver('Query')
export class ListSpecsResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('specs')
  async specs(
    @Context() context: RequestContext,
    @Args('domain') domain: string | null,
    @Args('ownerOrganisationId') ownerOrganisationId: string | null,
    @Args('search') search: string | null,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Args('waitFor') waitFor: Position | null,
  ): Promise<SpecPage> {
    requireActor(context, 'spec.read');
    await readYourWrites(this.projector, waitFor);
    const result = await this.queries.execute<ListSpecsQuery, SpecPage | DomainError>(
      new ListSpecsQuery({ domain: domain ?? null, ownerOrganisationId: ownerOrganisationId ?? null, search: search ?? null }, first ?? 50, after ?? null),
    );
    if (result instanceof DomainError) throw graphqlError(result.code, result.message);
    return result;
  }
}
