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
import type { ConsultationView } from '../consultation.view';
import { GetConsultationAsOfQuery } from '../../audit/as-of/get-as-of.query';
import { draftsAsOf, nonRespondentsAsOf, stancesAsOf } from '../../audit/as-of/consultation-as-of';
import {
  GetConsultationQuery,
  GetDraftsQuery,
  GetNonRespondentsQuery,
  GetStancesQuery,
  type NonRespondentView,
  type OfficialStanceView,
} from './get-consultation.query';

@Resolver('Query')
export class GetConsultationResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('consultation')
  async consultation(
    @Context() context: RequestContext,
    @Args('id') id: string,
    @Args('waitFor') waitFor: Position | null,
    @Args('asOf') asOf: Date | null,
  ): Promise<ConsultationView | null> {
    const actor = requireActor(context, 'consultation.read');
    // As of a moment: rebuilt from the stream (apps/api/src/audit/as-of); its nested fields below show that moment too.
    if (asOf) return this.queries.execute(new GetConsultationAsOfQuery(id, actor, asOf));
    await readYourWrites(this.projector, waitFor);
    return this.queries.execute(new GetConsultationQuery(id, actor));
  }
}

/** Fields of a Consultation the caller may already see. */
@Resolver('Consultation')
export class ConsultationFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  /** Not results: coordinators chase these whether results are hidden or not. */
  @ResolveField('nonRespondents')
  nonRespondents(
    @Parent() consultation: ConsultationView,
    @Args('prefectureCode') prefectureCode: string | null,
  ): Promise<NonRespondentView[]> | NonRespondentView[] {
    const asOf = nonRespondentsAsOf(consultation, prefectureCode ?? null);
    if (asOf) return asOf;
    return this.queries.execute(new GetNonRespondentsQuery(consultation.id, prefectureCode ?? null));
  }

  /** While the results are hidden and the round open: only the caller organisation's own stances. */
  @ResolveField('stances')
  stances(@Context() context: RequestContext, @Parent() consultation: ConsultationView): Promise<OfficialStanceView[]> | OfficialStanceView[] {
    if (!context.identity) return [];
    const onlyOf = consultation.resultsVisible ? null : context.identity.actor.organisationId;
    const asOf = stancesAsOf(consultation, onlyOf);
    if (asOf) return asOf;
    return this.queries.execute(new GetStancesQuery(consultation.id, onlyOf));
  }

  @ResolveField('myDrafts')
  myDrafts(@Context() context: RequestContext, @Parent() consultation: ConsultationView): Promise<unknown[]> | unknown[] {
    if (!context.identity) return [];
    const asOf = draftsAsOf(consultation, context.identity.actor.organisationId);
    if (asOf) return asOf;
    return this.queries.execute(new GetDraftsQuery(consultation.id, context.identity.actor.organisationId));
  }
}

@Resolver('NonRespondent')
export class NonRespondentFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('organisation')
  organisation(@Parent() row: NonRespondentView): Promise<OrganisationView | null> {
    return this.queries.execute(new GetOrganisationQuery({ id: row.organisationId }));
  }
}
