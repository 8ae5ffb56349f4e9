import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { DomainError } from '@kyogi/domain/shared/decider';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../platform/tokens';
import { userErrors } from '../graphql/user-errors';
import { readYourWrites } from '../graphql/read-your-writes';
import type { RequestContext } from '../graphql/request-context';
import type { CommandOutcome } from '../command-handling/decide.command';
import { GetConsultationQuery } from './get-consultation/get-consultation.query';
import type { ConsultationView } from './consultation.view';

/** What the consultation mutations return; `consultation` resolves once the read models have the write. */
export interface ConsultationMutationPayload {
  readonly consultationId: string | null;
  readonly draftId: string | null;
  readonly position: Position | null;
  readonly errors: ReturnType<typeof userErrors>;
}

export const failedPayload = (error: DomainError): ConsultationMutationPayload => ({
  consultationId: null,
  draftId: null,
  position: null,
  errors: userErrors(error),
});

export const outcomePayload = (consultationId: string, outcome: CommandOutcome, draftId: string | null = null): ConsultationMutationPayload =>
  outcome.ok ? { consultationId, draftId, position: outcome.position, errors: [] } : failedPayload(outcome.error);

@Resolver('ConsultationPayload')
export class ConsultationPayloadResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @ResolveField('consultation')
  async consultation(@Context() context: RequestContext, @Parent() payload: ConsultationMutationPayload): Promise<ConsultationView | null> {
    if (!payload.consultationId || !context.identity) return null;
    await readYourWrites(this.projector, payload.position);
    return this.queries.execute(new GetConsultationQuery(payload.consultationId, context.identity.actor));
  }
}
