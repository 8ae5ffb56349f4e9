import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { ActivateTalentArrangementInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class ActivateTalentArrangementResolver {
  constructor(private readonly runner: CommandSender) {}

  /** The person starts work: the checklist done, the terms agreed, the term begun (in Japan). */
  @Mutation('activateTalentArrangement')
  activateTalentArrangement(@Context() context: RequestContext, @Args('input') input: ActivateTalentArrangementInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.activate',
      decider: talentArrangementDecider,
      type: 'ActivateTalentArrangement',
      commandId: input.commandId,
      streamId: input.arrangementId,
      data: () => ({ arrangementId: input.arrangementId }),
    });
  }
}
