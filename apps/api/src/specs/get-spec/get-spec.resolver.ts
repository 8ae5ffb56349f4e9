import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import { GetOrganisationQuery } from '../../organisations/get-organisation/get-organisation.query';
import type { OrganisationView } from '../../organisations/organisation.view';
import { GetSpecVersionQuery, ListSpecVersionsQuery } from '../get-spec-version/get-spec-version.query';
import type { SpecVersionView, SpecView } from '../spec.view';
import { GetSpecQuery } from './get-spec.query';
import { GetSpecAsOfQuery } from '../../audit/as-of/get-as-of.query';
import { specAsOfOf, specVersionAsOf } from '../../audit/as-of/spec-as-of';

@Resolver('Query')
export class GetSpecResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('spec')
  async spec(
    @Context() context: RequestContext,
    @Args('id') id: string,
    @Args('waitFor') waitFor: Position | null,
    @Args('asOf') asOf: Date | null,
  ): Promise<SpecView | null> {
    const actor = requireActor(context, 'spec.read');
    // As of a moment: rebuilt from the stream (apps/api/src/audit/as-of); latestVersion and versions below show that moment too.
    if (asOf) return this.queries.execute(new GetSpecAsOfQuery(id, actor, asOf));
    await readYourWrites(this.projector, waitFor);
    return this.queries.execute(new GetSpecQuery(id));
  }
}

@Resolver('Spec')
export class SpecFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('ownerOrganisation')
  ownerOrganisation(@Parent() spec: SpecView): Promise<OrganisationView | null> {
    return this.queries.execute(new GetOrganisationQuery({ id: spec.ownerOrganisationId }));
  }

  @ResolveField('latestVersion')
  latestVersion(@Parent() spec: SpecView): Promise<SpecVersionView | null> | SpecVersionView | null {
    if (specAsOfOf(spec)) return spec.latestVersionNumber === null ? null : (specVersionAsOf(spec, spec.latestVersionNumber) ?? null);
    return spec.latestVersionNumber === null ? null : this.queries.execute(new GetSpecVersionQuery(spec.id, spec.latestVersionNumber));
  }

  @ResolveField('versions')
  versions(@Parent() spec: SpecView): Promise<SpecVersionView[]> | readonly SpecVersionView[] {
    const asOf = specAsOfOf(spec);
    if (asOf) return asOf.versions;
    return this.queries.execute(new ListSpecVersionsQuery(spec.id));
  }
}
