import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { proposalDecider } from '@kyogi/domain/proposals/proposals.decider';
import type { DraftProposal } from '@kyogi/domain/proposals/proposals.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { entityIdFor } from '../../command-handling/event-ids';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { DraftProposalInput } from '../../graphql/generated/schema-types';
import { changesOf } from '../change-input';
import { ProposalLookups } from '../lookups';
import { failedPayload, outcomePayload, type ProposalMutationPayload } from '../payloads';

@Resolver('Mutation')
export class DraftProposalResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly lookups: ProposalLookups,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Only the author organisation sees the draft until it is submitted. */
  @Mutation('draftProposal')
  async draftProposal(@Context() context: RequestContext, @Args('input') input: DraftProposalInput): Promise<ProposalMutationPayload> {
    const actor = mutationActor(context, 'proposal.draft');
    if (actor instanceof DomainError) return failedPayload(actor);
    const commandId = input.commandId ?? randomUUID();
    const proposalId = input.proposalId?.trim() || entityIdFor(commandId);
    const changes = changesOf(input.changes);
    const command: DraftProposal = {
      type: 'DraftProposal',
      data: {
        proposalId,
        specId: input.specId,
        version: input.specVersion,
        title: input.title,
        changes,
        base: await this.lookups.base(
          input.specId,
          input.specVersion,
          changes.map((c) => c.requirementId),
        ),
      },
      metadata: { commandId, now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(proposalDecider, proposalId, command));
    return outcomePayload(proposalId, outcome);
  }
}
