import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { SelectTalentCandidateInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class SelectTalentCandidateResolver {
  constructor(private readonly runner: CommandSender) {}

  /** The selection, under the terms every participant agreed to: 受け入れ begins. */
  @Mutation('selectTalentCandidate')
  selectTalentCandidate(@Context() context: RequestContext, @Args('input') input: SelectTalentCandidateInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.selectCandidate',
      decider: talentArrangementDecider,
      type: 'SelectTalentCandidate',
      commandId: input.commandId,
      streamId: input.arrangementId,
      data: () => ({ arrangementId: input.arrangementId, candidateId: input.candidateId }),
    });
  }
}
