import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DomainError, type Role } from '@kyogi/domain/shared/decider';
import { organisationDecider } from '@kyogi/domain/organisations/organisations.decider';
import type { AddMember } from '@kyogi/domain/organisations/organisations.commands';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { CLOCK, PROJECTOR, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { entityIdFor } from '../../command-handling/event-ids';
import { mutationActor } from '../../graphql/mutation-actor';
import { userErrors } from '../../graphql/user-errors';
import { readYourWrites } from '../../graphql/read-your-writes';
import type { RequestContext } from '../../graphql/request-context';
import { GetMembersQuery } from '../get-organisation/get-organisation.query';
import type { MemberView } from '../organisation.view';
import type { AddMemberInput } from '../../graphql/generated/schema-types';

interface AddMemberPayload {
  personId: string | null;
  organisationId: string | null;
  position: Position | null;
  errors: ReturnType<typeof userErrors>;
}

@Resolver('Mutation')
export class AddMemberResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Mutation('addMember')
  async addMember(@Context() context: RequestContext, @Args('input') input: AddMemberInput): Promise<AddMemberPayload> {
    const actor = mutationActor(context, 'organisation.addMember', input.organisationId);
    if (actor instanceof DomainError) return { personId: null, organisationId: null, position: null, errors: userErrors(actor) };
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
      return { personId: null, organisationId: null, position: null, errors: userErrors(error) };
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
    if (!outcome.ok) return { personId: null, organisationId: null, position: null, errors: userErrors(outcome.error) };
    return { personId, organisationId: input.organisationId, position: outcome.position, errors: [] };
  }
}

@Resolver('AddMemberPayload')
export class AddMemberPayloadResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @ResolveField('member')
  async member(@Parent() payload: AddMemberPayload): Promise<MemberView | null> {
    if (!payload.personId || !payload.organisationId) return null;
    await readYourWrites(this.projector, payload.position);
    const [member] = await this.queries.execute<GetMembersQuery, MemberView[]>(
      new GetMembersQuery({ organisationId: payload.organisationId, personId: payload.personId }),
    );
    return member ?? null;
  }
}
