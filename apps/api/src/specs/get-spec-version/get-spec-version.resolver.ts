import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import { GetSpecQuery } from '../get-spec/get-spec.query';
import type { SpecVersionView, SpecView } from '../spec.view';
import { GetSpecVersionQuery } from './get-spec-version.query';

@Resolver('Query')
export class GetSpecVersionResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('specVersion')
  async specVersion(
    @Context() context: RequestContext,
    @Args('specId') specId: string,
    @Args('version') version: string,
    @Args('waitFor') waitFor: Position | null,
  ): Promise<SpecVersionView | null> {
    requireActor(context, 'spec.read');
    await readYourWrites(this.projector, waitFor);
    return this.queries.execute(new GetSpecVersionQuery(specId, version));
  }
}

@Resolver('SpecVersion')
export class SpecVersionFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('spec')
  spec(@Parent() version: SpecVersionView): Promise<SpecView | null> {
    return this.queries.execute(new GetSpecQuery(version.specId));
  }
}
