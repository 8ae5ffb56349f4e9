import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { consultationDecider } from '@kyogi/domain/consultations/consultations.decider';
import type { CloseConsultation } from '@kyogi/domain/consultations/consultations.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { CloseConsultationInput } from '../../graphql/generated/schema-types';
import { failedPayload, outcomePayload, type ConsultationMutationPayload } from '../payloads';

@Resolver('Mutation')
export class CloseConsultationResolver {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Early, by a coordinator of the opening organisation, with a reason (due rounds: the closing scheduler). */
  @Mutation('closeConsultation')
  async closeConsultation(@Context() context: RequestContext, @Args('input') input: CloseConsultationInput): Promise<ConsultationMutationPayload> {
    const actor = mutationActor(context, 'consultation.close');
    if (actor instanceof DomainError) return failedPayload(actor);
    const command: CloseConsultation = {
      type: 'CloseConsultation',
      data: { consultationId: input.id, reason: input.reason },
      metadata: { commandId: input.commandId ?? randomUUID(), now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(consultationDecider, input.id, command));
    return outcomePayload(input.id, outcome);
  }
}
