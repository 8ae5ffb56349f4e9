import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { proposalDecider } from '@kyogi/domain/proposals/proposals.decider';
import type { ReviseProposal } from '@kyogi/domain/proposals/proposals.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { ReviseProposalInput } from '../../graphql/generated/schema-types';
import { changesOf } from '../change-input';
import { ProposalLookups } from '../lookups';
import { failedPayload, outcomePayload, type ProposalMutationPayload } from '../payloads';

@Resolver('Mutation')
export class ReviseProposalResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly lookups: ProposalLookups,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A new revision against the proposal's own spec version; the earlier ones are kept. */
  @Mutation('reviseProposal')
  async reviseProposal(@Context() context: RequestContext, @Args('input') input: ReviseProposalInput): Promise<ProposalMutationPayload> {
    const actor = mutationActor(context, 'proposal.revise');
    if (actor instanceof DomainError) return failedPayload(actor);
    const proposal = await this.lookups.visibleProposal(input.proposalId, actor);
    if (proposal instanceof DomainError) return failedPayload(proposal);
    const changes = changesOf(input.changes);
    const command: ReviseProposal = {
      type: 'ReviseProposal',
      data: {
        proposalId: input.proposalId,
        title: input.title,
        changes,
        base: await this.lookups.base(
          proposal.specId,
          proposal.version,
          changes.map((c) => c.requirementId),
        ),
      },
      metadata: { commandId: input.commandId ?? randomUUID(), now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(proposalDecider, input.proposalId, command));
    return outcomePayload(input.proposalId, outcome);
  }
}
