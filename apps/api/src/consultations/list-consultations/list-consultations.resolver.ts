import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { graphqlError, requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import type { ConsultationStatus } from '../../graphql/generated/schema-types';
import { ListConsultationsQuery, type ConsultationPage } from './list-consultations.query';

@Resolver('Query')
export class ListConsultationsResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('consultations')
  async consultations(
    @Context() context: RequestContext,
    @Args('proposalId') proposalId: string | null,
    @Args('status') status: ConsultationStatus | null,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Args('waitFor') waitFor: Position | null,
  ): Promise<ConsultationPage> {
    const actor = requireActor(context, 'consultation.read');
    await readYourWrites(this.projector, waitFor);
    const result = await this.queries.execute<ListConsultationsQuery, ConsultationPage | DomainError>(
      new ListConsultationsQuery(actor, proposalId ?? null, status ? (status.toLowerCase() as 'open' | 'closed') : null, first ?? 50, after ?? null),
    );
    if (result instanceof DomainError) throw graphqlError(result.code, result.message);
    return result;
  }
}
