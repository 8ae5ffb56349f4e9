import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { proposalDecider } from '@kyogi/domain/proposals/proposals.decider';
import type { WithdrawProposal } from '@kyogi/domain/proposals/proposals.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { WithdrawProposalInput } from '../../graphql/generated/schema-types';
import { ProposalLookups } from '../lookups';
import { failedPayload, outcomePayload, type ProposalMutationPayload } from '../payloads';

@Resolver('Mutation')
export class WithdrawProposalResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly lookups: ProposalLookups,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Mutation('withdrawProposal')
  async withdrawProposal(@Context() context: RequestContext, @Args('input') input: WithdrawProposalInput): Promise<ProposalMutationPayload> {
    const actor = mutationActor(context, 'proposal.withdraw');
    if (actor instanceof DomainError) return failedPayload(actor);
    const proposal = await this.lookups.visibleProposal(input.proposalId, actor);
    if (proposal instanceof DomainError) return failedPayload(proposal);
    const command: WithdrawProposal = {
      type: 'WithdrawProposal',
      data: { proposalId: input.proposalId, reason: input.reason },
      metadata: { commandId: input.commandId ?? randomUUID(), now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(proposalDecider, input.proposalId, command));
    return outcomePayload(input.proposalId, outcome);
  }
}
