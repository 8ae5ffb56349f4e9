import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { proposalDecider } from '@kyogi/domain/proposals/proposals.decider';
import type { SubmitProposal } from '@kyogi/domain/proposals/proposals.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { SubmitProposalInput } from '../../graphql/generated/schema-types';
import { ProposalLookups, signedIn } from '../lookups';
import { failedPayload, outcomePayload, type ProposalMutationPayload } from '../payloads';

@Resolver('Mutation')
export class SubmitProposalResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly lookups: ProposalLookups,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The author organisation's act (決裁): the permission's target is the author organisation, so the proposal is looked up first. */
  @Mutation('submitProposal')
  async submitProposal(@Context() context: RequestContext, @Args('input') input: SubmitProposalInput): Promise<ProposalMutationPayload> {
    const proposal = await this.lookups.visibleProposal(input.proposalId, signedIn(context));
    if (proposal instanceof DomainError) return failedPayload(proposal);
    const actor = mutationActor(context, 'proposal.submit', proposal.authorOrganisationId);
    if (actor instanceof DomainError) return failedPayload(actor);
    const command: SubmitProposal = {
      type: 'SubmitProposal',
      data: { proposalId: input.proposalId },
      metadata: { commandId: input.commandId ?? randomUUID(), now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(proposalDecider, input.proposalId, command));
    return outcomePayload(input.proposalId, outcome);
  }
}
