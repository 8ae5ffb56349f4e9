import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DomainError, type OrganisationKind } from '@kyogi/domain/shared/decider';
import { prefectureLocalGovCode } from '@kyogi/domain/organisations/check-digit';
import { organisationDecider } from '@kyogi/domain/organisations/organisations.decider';
import type { RegisterOrganisation } from '@kyogi/domain/organisations/organisations.commands';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { CLOCK, PROJECTOR, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { entityIdFor } from '../../command-handling/event-ids';
import { mutationActor } from '../../graphql/mutation-actor';
import { userErrors } from '../../graphql/user-errors';
import { readYourWrites } from '../../graphql/read-your-writes';
import type { RequestContext } from '../../graphql/request-context';
import { GetOrganisationQuery } from '../get-organisation/get-organisation.query';
import type { OrganisationView } from '../organisation.view';
import type { RegisterOrganisationInput } from '../../graphql/generated/schema-types';

interface RegisterOrganisationPayload {
  organisationId: string | null;
  position: Position | null;
  errors: ReturnType<typeof userErrors>;
}

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
  async registerOrganisation(@Context() context: RequestContext, @Args('input') input: RegisterOrganisationInput): Promise<RegisterOrganisationPayload> {
    const actor = mutationActor(context, 'organisation.register');
    if (actor instanceof DomainError) return { organisationId: null, position: null, errors: userErrors(actor) };
    const commandId = input.commandId ?? randomUUID();
    const data = registrationData(input, () => entityIdFor(commandId));
    const command: RegisterOrganisation = {
      type: 'RegisterOrganisation',
      data,
      metadata: { commandId, now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(organisationDecider, data.organisationId, command));
    if (!outcome.ok) return { organisationId: null, position: null, errors: userErrors(outcome.error) };
    return { organisationId: data.organisationId, position: outcome.position, errors: [] };
  }
}

@Resolver('RegisterOrganisationPayload')
export class RegisterOrganisationPayloadResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  /** Read-your-writes: the organisation as the read model has it once it has caught up. */
  @ResolveField('organisation')
  async organisation(@Parent() payload: RegisterOrganisationPayload): Promise<OrganisationView | null> {
    if (!payload.organisationId) return null;
    await readYourWrites(this.projector, payload.position);
    return this.queries.execute(new GetOrganisationQuery({ id: payload.organisationId }));
  }
}
