import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { organisationDecider } from '@kyogi/domain/organisations/organisations.decider';
import type { DeactivateOrganisation } from '@kyogi/domain/organisations/organisations.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { DeactivateOrganisationInput } from '../../graphql/generated/schema-types';
import { failedPayload, type OrganisationMutationPayload } from '../payloads';

@Resolver('Mutation')
export class DeactivateOrganisationResolver {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The organisation keeps its history; its people's live sessions end when this lands. */
  @Mutation('deactivateOrganisation')
  async deactivateOrganisation(@Context() context: RequestContext, @Args('input') input: DeactivateOrganisationInput): Promise<OrganisationMutationPayload> {
    const actor = mutationActor(context, 'organisation.deactivate', input.organisationId);
    if (actor instanceof DomainError) return failedPayload(actor);
    const command: DeactivateOrganisation = {
      type: 'DeactivateOrganisation',
      data: { organisationId: input.organisationId, reason: input.reason },
      metadata: { commandId: input.commandId ?? randomUUID(), now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(organisationDecider, input.organisationId, command));
    if (!outcome.ok) return failedPayload(outcome.error);
    return { organisationId: input.organisationId, personId: null, position: outcome.position, errors: [] };
  }
}
