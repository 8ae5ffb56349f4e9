import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { DefineTalentRequirementsInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class DefineTalentRequirementsResolver {
  constructor(private readonly runner: CommandSender) {}

  /** 人材要件の定義: the proposer's complete requirements, each answering listed problems. */
  @Mutation('defineTalentRequirements')
  defineTalentRequirements(@Context() context: RequestContext, @Args('input') input: DefineTalentRequirementsInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.defineRequirements',
      decider: talentArrangementDecider,
      type: 'DefineTalentRequirements',
      commandId: input.commandId,
      streamId: input.arrangementId,
      data: () => ({ arrangementId: input.arrangementId, requirements: input.requirements }),
    });
  }
}
