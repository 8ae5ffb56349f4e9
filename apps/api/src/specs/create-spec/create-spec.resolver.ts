import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError, isDomainError } from '@kyogi/domain/shared/decider';
import { isSpecId } from '@kyogi/domain/specs/input-rules';
import { specDecider } from '@kyogi/domain/specs/specs.decider';
import type { CreateSpec } from '@kyogi/domain/specs/specs.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { CreateSpecInput } from '../../graphql/generated/schema-types';
import { failedPayload, type SpecMutationPayload } from '../payloads';

@Resolver('Mutation')
export class CreateSpecResolver {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The spec belongs to the caller's own organisation, which must be a national body. */
  @Mutation('createSpec')
  async createSpec(@Context() context: RequestContext, @Args('input') input: CreateSpecInput): Promise<SpecMutationPayload> {
    const actor = mutationActor(context, 'spec.create');
    if (actor instanceof DomainError) return failedPayload(actor);
    const specId = input.id.trim();
    const command: CreateSpec = {
      type: 'CreateSpec',
      data: { specId, title: input.title, domain: input.domain, ownerOrganisationId: actor.organisationId },
      metadata: { commandId: input.commandId ?? randomUUID(), now: this.clock(), actor },
    };
    // A malformed id names no stream (the store would refuse the name): decide on the empty state.
    if (!isSpecId(specId)) {
      const decision = specDecider.decide(command, specDecider.initialState());
      return failedPayload(isDomainError(decision) ? decision : new DomainError('INVALID_SPEC_ID', 'invalid spec id', 'specId'));
    }
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(specDecider, specId, command));
    if (!outcome.ok) return failedPayload(outcome.error);
    return { specId, version: null, position: outcome.position, errors: [] };
  }
}
