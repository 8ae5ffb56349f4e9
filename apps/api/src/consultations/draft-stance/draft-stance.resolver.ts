import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { consultationDecider } from '@kyogi/domain/consultations/consultations.decider';
import type { DraftStance } from '@kyogi/domain/consultations/consultations.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { entityIdFor } from '../../command-handling/event-ids';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { DraftStanceInput } from '../../graphql/generated/schema-types';
import { ConsultationLookups } from '../lookups';
import { stanceFromGraphql } from '../consultation.view';
import { failedPayload, outcomePayload, type ConsultationMutationPayload } from '../payloads';

@Resolver('Mutation')
export class DraftStanceResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly lookups: ConsultationLookups,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** For the caller's own organisation, or for another one whose valid mandate it holds (looked up in the mandates read model). */
  @Mutation('draftStance')
  async draftStance(@Context() context: RequestContext, @Args('input') input: DraftStanceInput): Promise<ConsultationMutationPayload> {
    const actor = mutationActor(context, 'consultation.draftStance');
    if (actor instanceof DomainError) return failedPayload(actor);
    const commandId = input.commandId ?? randomUUID();
    const draftId = input.draftId?.trim() || entityIdFor(commandId);
    const organisationId = input.organisationId ?? actor.organisationId;
    const now = this.clock();
    const mandate =
      organisationId === actor.organisationId ? null : await this.lookups.mandate(actor.organisationId, organisationId, input.consultationId, now);
    const command: DraftStance = {
      type: 'DraftStance',
      data: { consultationId: input.consultationId, draftId, organisationId, stance: stanceFromGraphql(input.stance), reason: input.reason ?? null, mandate },
      metadata: { commandId, now, actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(consultationDecider, input.consultationId, command));
    return outcomePayload(input.consultationId, outcome, outcome.ok ? draftId : null);
  }
}
