import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { mandateDecider } from '@kyogi/domain/mandates/mandates.decider';
import type { RevokeMandate } from '@kyogi/domain/mandates/mandates.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { RevokeMandateInput } from '../../graphql/generated/schema-types';
import { failedPayload, outcomePayload, type MandateMutationPayload } from '../payloads';

@Resolver('Mutation')
export class RevokeMandateResolver {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Stops further use; what was cast under the mandate stays. */
  @Mutation('revokeMandate')
  async revokeMandate(@Context() context: RequestContext, @Args('input') input: RevokeMandateInput): Promise<MandateMutationPayload> {
    const actor = mutationActor(context, 'mandate.revoke');
    if (actor instanceof DomainError) return failedPayload(actor);
    const command: RevokeMandate = {
      type: 'RevokeMandate',
      data: { mandateId: input.mandateId, reason: input.reason },
      metadata: { commandId: input.commandId ?? randomUUID(), now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(mandateDecider, input.mandateId, command));
    return outcomePayload(input.mandateId, outcome);
  }
}
