import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError, type Role } from '@kyogi/domain/shared/decider';
import { organisationDecider } from '@kyogi/domain/organisations/organisations.decider';
import type { ChangeMemberRoles } from '@kyogi/domain/organisations/organisations.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { ChangeMemberRolesInput } from '../../graphql/generated/schema-types';
import { failedPayload, type OrganisationMutationPayload } from '../payloads';

@Resolver('Mutation')
export class ChangeMemberRolesResolver {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The person's live sessions end when this lands (their tokens carry the old roles). */
  @Mutation('changeMemberRoles')
  async changeMemberRoles(@Context() context: RequestContext, @Args('input') input: ChangeMemberRolesInput): Promise<OrganisationMutationPayload> {
    const actor = mutationActor(context, 'organisation.changeMemberRoles', input.organisationId);
    if (actor instanceof DomainError) return failedPayload(actor);
    const command: ChangeMemberRoles = {
      type: 'ChangeMemberRoles',
      data: { organisationId: input.organisationId, personId: input.personId, roles: input.roles.map((r) => r.toLowerCase() as Role) },
      metadata: { commandId: input.commandId ?? randomUUID(), now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(organisationDecider, input.organisationId, command));
    if (!outcome.ok) return failedPayload(outcome.error);
    return { organisationId: input.organisationId, personId: input.personId, position: outcome.position, errors: [] };
  }
}
