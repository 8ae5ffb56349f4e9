import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import type { RequirementView, SpecVersionView } from '../spec.view';
import { GetRequirementQuery } from './get-requirement.query';

@Resolver('Query')
export class GetRequirementResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('requirement')
  async requirement(
    @Context() context: RequestContext,
    @Args('specId') specId: string,
    @Args('version') version: string,
    @Args('requirementId') requirementId: string,
    @Args('waitFor') waitFor: Position | null,
  ): Promise<RequirementView | null> {
    requireActor(context, 'spec.read');
    await readYourWrites(this.projector, waitFor);
    return this.queries.execute(new GetRequirementQuery(specId, version, requirementId));
  }
}

/** SpecVersion.requirement: the parent query has checked spec.read. */
@Resolver('SpecVersion')
export class SpecVersionRequirementResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('requirement')
  requirement(@Parent() version: SpecVersionView, @Args('requirementId') requirementId: string): Promise<RequirementView | null> {
    return this.queries.execute(new GetRequirementQuery(version.specId, version.version, requirementId));
  }
}
