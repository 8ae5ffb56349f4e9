import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { consultationDecider } from '@kyogi/domain/consultations/consultations.decider';
import type { OpenConsultation } from '@kyogi/domain/consultations/consultations.commands';
import type { Weighting } from '@kyogi/domain/consultations/consultations.events';
import type { ThresholdBasis } from '@kyogi/domain/consultations/tally';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { entityIdFor } from '../../command-handling/event-ids';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { OpenConsultationInput } from '../../graphql/generated/schema-types';
import { ProposalLookups } from '../../proposals/lookups';
import { ConsultationLookups } from '../lookups';
import { failedPayload, outcomePayload, type ConsultationMutationPayload } from '../payloads';

@Resolver('Mutation')
export class OpenConsultationResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly lookups: ConsultationLookups,
    private readonly proposals: ProposalLookups,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A lone round on a submitted proposal; the electorate rule is resolved here, from the organisations read model. */
  @Mutation('openConsultation')
  async openConsultation(@Context() context: RequestContext, @Args('input') input: OpenConsultationInput): Promise<ConsultationMutationPayload> {
    const actor = mutationActor(context, 'consultation.open');
    if (actor instanceof DomainError) return failedPayload(actor);
    const proposal = await this.proposals.visibleProposal(input.proposalId, actor);
    if (proposal instanceof DomainError) return failedPayload(proposal);
    const weighting = (input.weighting ?? 'EQUAL').toLowerCase() as Weighting;
    const electorate = await this.lookups.electorate(input.electorate, weighting, input.populations);
    if (electorate instanceof DomainError) return failedPayload(electorate);
    const commandId = input.commandId ?? randomUUID();
    const consultationId = input.id?.trim() || entityIdFor(commandId);
    const closesAt = input.closesAt instanceof Date ? input.closesAt.toISOString() : String(input.closesAt);
    const command: OpenConsultation = {
      type: 'OpenConsultation',
      data: {
        consultationId,
        proposalId: proposal.proposalId,
        specId: proposal.specId,
        electorate,
        weighting,
        quorumPercent: input.quorumPercent,
        thresholdPercent: input.thresholdPercent,
        thresholdBasis: input.thresholdBasis.toLowerCase() as ThresholdBasis,
        blockVetoes: input.blockVetoes,
        closesAt,
        resultsHidden: input.resultsHidden,
        stage: { ladderId: null, stage: null },
        proposalSubmitted: proposal.status === 'submitted',
      },
      metadata: { commandId, now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(consultationDecider, consultationId, command));
    return outcomePayload(consultationId, outcome);
  }
}
