import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import { GetConsultationQuery } from '../../consultations/get-consultation/get-consultation.query';
import type { ConsultationView } from '../../consultations/consultation.view';
import { GetProposalQuery } from '../../proposals/get-proposal/get-proposal.query';
import type { ProposalView } from '../../proposals/proposal.view';
import type { LadderRoundView, LadderView } from '../ladder.view';
import { GetLadderQuery } from './get-ladder.query';
import { GetLadderAsOfQuery } from '../../audit/as-of/get-as-of.query';

@Resolver('Query')
export class GetLadderResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('ladder')
  async ladder(
    @Context() context: RequestContext,
    @Args('id') id: string,
    @Args('waitFor') waitFor: Position | null,
    @Args('asOf') asOf: Date | null,
  ): Promise<LadderView | null> {
    const actor = requireActor(context, 'consultation.read');
    // As of a moment: rebuilt from its stream and its open rounds' streams (apps/api/src/audit/as-of).
    if (asOf) return this.queries.execute(new GetLadderAsOfQuery(id, actor, asOf));
    await readYourWrites(this.projector, waitFor);
    return this.queries.execute(new GetLadderQuery(id));
  }
}

@Resolver('Ladder')
export class LadderFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  /** Through the proposals' own visibility (a submitted proposal is public). */
  @ResolveField('proposal')
  proposal(@Context() context: RequestContext, @Parent() ladder: LadderView): Promise<ProposalView | null> | null {
    if (!context.identity) return null;
    return this.queries.execute(new GetProposalQuery(ladder.proposalId, context.identity.actor));
  }
}

@Resolver('LadderRound')
export class LadderRoundFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('consultation')
  consultation(@Context() context: RequestContext, @Parent() round: LadderRoundView): Promise<ConsultationView | null> | null {
    if (!context.identity) return null;
    return this.queries.execute(new GetConsultationQuery(round.consultationId, context.identity.actor));
  }
}

@Resolver('Proposal')
export class ProposalLadderResolver {
  constructor(private readonly queries: QueryBus) {}

  /** A ladder's id is its proposal's id. */
  @ResolveField('ladder')
  ladder(@Context() context: RequestContext, @Parent() proposal: ProposalView): Promise<LadderView | null> | null {
    if (!context.identity) return null;
    return this.queries.execute(new GetLadderQuery(proposal.id));
  }
}

@Resolver('Consultation')
export class ConsultationLadderResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('ladder')
  ladder(@Parent() consultation: ConsultationView): Promise<LadderView | null> | null {
    return consultation.ladderId === null ? null : this.queries.execute(new GetLadderQuery(consultation.ladderId));
  }
}
