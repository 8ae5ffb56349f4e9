import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { mandateDecider } from '@kyogi/domain/mandates/mandates.decider';
import type { GrantMandate } from '@kyogi/domain/mandates/mandates.commands';
import type { MandateScope } from '@kyogi/domain/mandates/mandates.events';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { entityIdFor } from '../../command-handling/event-ids';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { GrantMandateInput } from '../../graphql/generated/schema-types';
import { failedPayload, outcomePayload, type MandateMutationPayload } from '../payloads';

@Resolver('Mutation')
export class GrantMandateResolver {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The grantor is always the caller's own organisation. */
  @Mutation('grantMandate')
  async grantMandate(@Context() context: RequestContext, @Args('input') input: GrantMandateInput): Promise<MandateMutationPayload> {
    const actor = mutationActor(context, 'mandate.grant');
    if (actor instanceof DomainError) return failedPayload(actor);
    const { consultationId, domain } = input.scope;
    const hasConsultation = typeof consultationId === 'string';
    if (hasConsultation === (typeof domain === 'string'))
      return failedPayload(new DomainError('INVALID_SCOPE', 'The scope is exactly one of consultationId and domain.', 'scope'));
    const scope: MandateScope = hasConsultation ? { kind: 'consultation', consultationId } : { kind: 'domain', domain: domain as string };
    const commandId = input.commandId ?? randomUUID();
    const mandateId = input.id?.trim() || entityIdFor(commandId);
    const command: GrantMandate = {
      type: 'GrantMandate',
      data: {
        mandateId,
        grantorOrganisationId: actor.organisationId,
        granteeOrganisationId: input.granteeOrganisationId,
        scope,
        expiresAt: input.expiresAt.toISOString(),
      },
      metadata: { commandId, now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(mandateDecider, mandateId, command));
    return outcomePayload(mandateId, outcome);
  }
}
