import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { proposalDecider } from '@kyogi/domain/proposals/proposals.decider';
import type { AcceptProposal, RejectProposal } from '@kyogi/domain/proposals/proposals.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { DecideProposalInput } from '../../graphql/generated/schema-types';
import { ProposalLookups, signedIn } from '../lookups';
import { failedPayload, outcomePayload, type ProposalMutationPayload } from '../payloads';

/** Accept or reject: the spec owner's decision, with its rationale, on the revision the decider read. */
@Resolver('Mutation')
export class DecideProposalResolver {
  constructor(
    readonly commands: CommandBus,
    readonly lookups: ProposalLookups,
    @Inject(CLOCK) readonly clock: Clock,
  ) {}

  @Mutation('acceptProposal')
  acceptProposal(@Context() context: RequestContext, @Args('input') input: DecideProposalInput): Promise<ProposalMutationPayload> {
    return decideProposal(this, context, input, 'AcceptProposal');
  }

  @Mutation('rejectProposal')
  rejectProposal(@Context() context: RequestContext, @Args('input') input: DecideProposalInput): Promise<ProposalMutationPayload> {
    return decideProposal(this, context, input, 'RejectProposal');
  }
}

// Not a method: Nest would take every method of a Mutation resolver for a field of Mutation.
async function decideProposal(
  { commands, lookups, clock }: { commands: CommandBus; lookups: ProposalLookups; clock: Clock },
  context: RequestContext,
  input: DecideProposalInput,
  type: 'AcceptProposal' | 'RejectProposal',
): Promise<ProposalMutationPayload> {
  const proposal = await lookups.visibleProposal(input.proposalId, signedIn(context));
  if (proposal instanceof DomainError) return failedPayload(proposal);
  const specOwnerOrganisationId = (await lookups.specOwner(proposal.specId)) ?? '';
  const actor = mutationActor(context, 'proposal.decide', specOwnerOrganisationId);
  if (actor instanceof DomainError) return failedPayload(actor);
  const ladder = await lookups.ladderOf(input.proposalId);
  const command: AcceptProposal | RejectProposal = {
    type,
    data: {
      proposalId: input.proposalId,
      // The revision the person deciding read, when the client says; otherwise the one the read model shows now.
      revision: input.revision ?? proposal.currentRevision,
      rationale: input.rationale,
      specOwnerOrganisationId,
      // Only the ladder's national decision decides a proposal on a ladder (see the ladder runner).
      ladder: ladder && { ladderId: ladder.ladderId, deciding: false },
    },
    metadata: { commandId: input.commandId ?? randomUUID(), now: clock(), actor },
  };
  const outcome = await commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(proposalDecider, input.proposalId, command));
  return outcomePayload(input.proposalId, outcome);
}
