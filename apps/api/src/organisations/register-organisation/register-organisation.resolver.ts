import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError, type OrganisationKind } from '@kyogi/domain/shared/decider';
import { prefectureLocalGovCode } from '@kyogi/domain/organisations/check-digit';
import { organisationDecider } from '@kyogi/domain/organisations/organisations.decider';
import type { RegisterOrganisation } from '@kyogi/domain/organisations/organisations.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { entityIdFor } from '../../command-handling/event-ids';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { RegisterOrganisationInput } from '../../graphql/generated/schema-types';
import { failedPayload, type OrganisationMutationPayload } from '../payloads';

const LOCAL_GOVERNMENT: readonly OrganisationKind[] = ['prefecture', 'municipality'];

/** Builds the command's data from the input: ids, prefecture and parent follow from the code. */
export function registrationData(input: RegisterOrganisationInput, newId: () => string): RegisterOrganisation['data'] {
  const kind = input.kind.toLowerCase() as OrganisationKind;
  const code = input.code?.trim() || null;
  const local = LOCAL_GOVERNMENT.includes(kind);
  const prefectureCode = local && code && /^\d{2}/.test(code) ? code.slice(0, 2) : null;
  return {
    organisationId: input.id?.trim() || (local ? (code ?? '') : newId()),
    kind,
    name: input.name,
    nameKana: input.nameKana?.trim() || null,
    code,
    prefectureCode,
    parentId: kind === 'municipality' && prefectureCode ? prefectureLocalGovCode(prefectureCode) : null,
    active: true,
    population: input.population ?? null,
  };
}

@Resolver('Mutation')
export class RegisterOrganisationResolver {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Mutation('registerOrganisation')
  async registerOrganisation(@Context() context: RequestContext, @Args('input') input: RegisterOrganisationInput): Promise<OrganisationMutationPayload> {
    const actor = mutationActor(context, 'organisation.register');
    if (actor instanceof DomainError) return failedPayload(actor);
    const commandId = input.commandId ?? randomUUID();
    const data = registrationData(input, () => entityIdFor(commandId));
    const command: RegisterOrganisation = {
      type: 'RegisterOrganisation',
      data,
      metadata: { commandId, now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(organisationDecider, data.organisationId, command));
    if (!outcome.ok) return failedPayload(outcome.error);
    return { organisationId: data.organisationId, personId: null, position: outcome.position, errors: [] };
  }
}
