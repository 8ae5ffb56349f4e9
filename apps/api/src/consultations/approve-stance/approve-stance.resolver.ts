import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { consultationDecider } from '@kyogi/domain/consultations/consultations.decider';
import type { ApproveStance } from '@kyogi/domain/consultations/consultations.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { ApproveStanceInput } from '../../graphql/generated/schema-types';
import { ConsultationLookups } from '../lookups';
import { failedPayload, outcomePayload, type ConsultationMutationPayload } from '../payloads';

@Resolver('Mutation')
export class ApproveStanceResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly lookups: ConsultationLookups,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** 決裁: the draft becomes its organisation's official stance. A draft under a mandate needs that mandate still valid. */
  @Mutation('approveStance')
  async approveStance(@Context() context: RequestContext, @Args('input') input: ApproveStanceInput): Promise<ConsultationMutationPayload> {
    const actor = mutationActor(context, 'consultation.approveStance');
    if (actor instanceof DomainError) return failedPayload(actor);
    const now = this.clock();
    const command: ApproveStance = {
      type: 'ApproveStance',
      data: {
        consultationId: input.consultationId,
        draftId: input.draftId,
        mandate: await this.lookups.draftMandate(input.consultationId, input.draftId, now),
      },
      metadata: { commandId: input.commandId ?? randomUUID(), now, actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(consultationDecider, input.consultationId, command));
    return outcomePayload(input.consultationId, outcome, input.draftId);
  }
}
