import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { clientOrDerivedId, runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { AddTalentCandidateInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class AddTalentCandidateResolver {
  constructor(private readonly runner: CommandSender) {}

  /** A candidate by name and reference only (personal data); its id, unless given, is derived from the command id. */
  @Mutation('addTalentCandidate')
  addTalentCandidate(@Context() context: RequestContext, @Args('input') input: AddTalentCandidateInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.addCandidate',
      decider: talentArrangementDecider,
      type: 'AddTalentCandidate',
      commandId: input.commandId,
      streamId: input.arrangementId,
      data: (_actor, { commandId }) => ({
        arrangementId: input.arrangementId,
        candidateId: clientOrDerivedId(input.candidateId)(commandId),
        name: input.name,
        reference: input.reference,
      }),
    });
  }
}
