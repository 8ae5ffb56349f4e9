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
import { ListTalentDispatchesQuery } from '../get-pool/get-pool.query';
import type { TalentArrangementView, TalentDispatchView, TalentParticipantView, TalentTermsVersionView } from '../talent.view';
import { GetTalentArrangementAsOfQuery } from '../../audit/as-of/get-as-of.query';
import { talentArrangementAsOfOf } from '../../audit/as-of/talent-arrangement-as-of';
import {
  GetTalentArrangementQuery,
  GetTalentCandidatesQuery,
  GetTalentChecklistQuery,
  GetTalentParticipantsQuery,
  GetTalentProblemsQuery,
  GetTalentTermsHistoryQuery,
  type TalentCandidateView,
  type TalentChecklistItemView,
  type TalentProblemView,
} from './get-arrangement.query';

@Resolver('Query')
export class GetTalentArrangementResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('talentArrangement')
  async talentArrangement(
    @Context() context: RequestContext,
    @Args('id') id: string,
    @Args('waitFor') waitFor: Position | null,
    @Args('asOf') asOf: Date | null,
  ): Promise<TalentArrangementView | null> {
    const actor = requireActor(context, 'talent.read');
    // As of a moment: rebuilt from the stream (apps/api/src/audit/as-of); the nested fields below show that moment too.
    if (asOf) return this.queries.execute(new GetTalentArrangementAsOfQuery(id, actor, asOf));
    await readYourWrites(this.projector, waitFor);
    return this.queries.execute(new GetTalentArrangementQuery(id, actor));
  }
}

/** The parts of an arrangement kept in their own tables. */
@Resolver('TalentArrangement')
export class TalentArrangementFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('proposer')
  proposer(@Parent() arrangement: TalentArrangementView): Promise<OrganisationView | null> {
    return this.queries.execute(new GetOrganisationQuery({ id: arrangement.proposerOrganisationId }));
  }

  @ResolveField('host')
  host(@Parent() arrangement: TalentArrangementView): Promise<OrganisationView | null> {
    return this.queries.execute(new GetOrganisationQuery({ id: arrangement.hostOrganisationId }));
  }

  @ResolveField('participants')
  participants(@Parent() arrangement: TalentArrangementView): Promise<TalentParticipantView[]> | readonly TalentParticipantView[] {
    const asOf = talentArrangementAsOfOf(arrangement);
    if (asOf) return asOf.participants;
    return this.queries.execute(new GetTalentParticipantsQuery(arrangement.id));
  }

  @ResolveField('termsHistory')
  termsHistory(@Parent() arrangement: TalentArrangementView): Promise<TalentTermsVersionView[]> | readonly TalentTermsVersionView[] {
    const asOf = talentArrangementAsOfOf(arrangement);
    if (asOf) return asOf.termsHistory;
    return this.queries.execute(new GetTalentTermsHistoryQuery(arrangement.id, arrangement.termsVersion));
  }

  @ResolveField('problems')
  problems(@Parent() arrangement: TalentArrangementView): Promise<TalentProblemView[]> | readonly TalentProblemView[] {
    const asOf = talentArrangementAsOfOf(arrangement);
    if (asOf) return asOf.problems;
    return this.queries.execute(new GetTalentProblemsQuery(arrangement.id));
  }

  /** Personal data: for any role of the proposer or the host (talent.readCandidates); null for everyone else. */
  @ResolveField('candidates')
  candidates(
    @Context() context: RequestContext,
    @Parent() arrangement: TalentArrangementView,
  ): Promise<TalentCandidateView[]> | readonly TalentCandidateView[] | null {
    const actor = context.identity?.actor;
    if (!actor) return null;
    const asOf = talentArrangementAsOfOf(arrangement); // read as of a moment: the organisers are those of now all the same
    const organiser = (asOf?.organiserIds ?? [arrangement.proposerOrganisationId, arrangement.hostOrganisationId]).some(
      (organisationId) => authorise('talent.readCandidates', actor, organisationId).allowed,
    );
    if (!organiser) return null;
    return asOf?.candidates ?? this.queries.execute(new GetTalentCandidatesQuery(arrangement.id));
  }

  @ResolveField('checklist')
  checklist(@Parent() arrangement: TalentArrangementView): Promise<TalentChecklistItemView[]> | readonly TalentChecklistItemView[] {
    const asOf = talentArrangementAsOfOf(arrangement);
    if (asOf) return asOf.checklist;
    return this.queries.execute(new GetTalentChecklistQuery(arrangement.id));
  }

  @ResolveField('dispatches')
  dispatches(@Context() context: RequestContext, @Parent() arrangement: TalentArrangementView): Promise<TalentDispatchView[]> | [] {
    if (!context.identity) return [];
    return this.queries.execute(new ListTalentDispatchesQuery({ poolId: null, organisationId: null, arrangementId: arrangement.id }, context.identity.actor));
  }
}

@Resolver('TalentParticipant')
export class TalentParticipantFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('organisation')
  organisation(@Parent() participant: { organisationId: string }): Promise<OrganisationView | null> {
    return this.queries.execute(new GetOrganisationQuery({ id: participant.organisationId }));
  }
}

@Resolver('TalentCostShare')
export class TalentCostShareFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('organisation')
  organisation(@Parent() share: { organisationId: string }): Promise<OrganisationView | null> {
    return this.queries.execute(new GetOrganisationQuery({ id: share.organisationId }));
  }
}
