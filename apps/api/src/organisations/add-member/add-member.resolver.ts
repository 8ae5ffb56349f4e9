import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError, type Role } from '@kyogi/domain/shared/decider';
import { organisationDecider } from '@kyogi/domain/organisations/organisations.decider';
import type { AddMember } from '@kyogi/domain/organisations/organisations.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { entityIdFor } from '../../command-handling/event-ids';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import { GetMembersQuery } from '../get-organisation/get-organisation.query';
import type { MemberView } from '../organisation.view';
import type { AddMemberInput } from '../../graphql/generated/schema-types';
import { failedPayload, type OrganisationMutationPayload } from '../payloads';

@Resolver('Mutation')
export class AddMemberResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Mutation('addMember')
  async addMember(@Context() context: RequestContext, @Args('input') input: AddMemberInput): Promise<OrganisationMutationPayload> {
    const actor = mutationActor(context, 'organisation.addMember', input.organisationId);
    if (actor instanceof DomainError) return failedPayload(actor);
    const commandId = input.commandId ?? randomUUID();
    const personId = input.personId?.trim() || entityIdFor(commandId);
    // A person belongs to one organisation: checked here on the read model (the decider sees one stream).
    const elsewhere = (await this.queries.execute<GetMembersQuery, MemberView[]>(new GetMembersQuery({ personId }))).find(
      (m) => m.organisationId !== input.organisationId,
    );
    if (elsewhere) {
      const error = new DomainError(
        'PERSON_IN_OTHER_ORGANISATION',
        `${personId} is already a member of ${elsewhere.organisationId}; a person belongs to one organisation`,
        'personId',
      );
      return failedPayload(error);
    }
    const command: AddMember = {
      type: 'AddMember',
      data: {
        organisationId: input.organisationId,
        personId,
        displayName: input.displayName,
        email: input.email.trim(),
        roles: input.roles.map((r) => r.toLowerCase() as Role),
      },
      metadata: { commandId, now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(organisationDecider, input.organisationId, command));
    if (!outcome.ok) return failedPayload(outcome.error);
    return { personId, organisationId: input.organisationId, position: outcome.position, errors: [] };
  }
}
