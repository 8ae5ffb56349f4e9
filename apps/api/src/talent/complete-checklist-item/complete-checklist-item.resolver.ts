import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { CompleteTalentChecklistItemInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class CompleteTalentChecklistItemResolver {
  constructor(private readonly runner: CommandSender) {}

  /** Ticks off one onboarding checklist item. */
  @Mutation('completeTalentChecklistItem')
  completeTalentChecklistItem(@Context() context: RequestContext, @Args('input') input: CompleteTalentChecklistItemInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.completeChecklistItem',
      decider: talentArrangementDecider,
      type: 'CompleteChecklistItem',
      commandId: input.commandId,
      streamId: input.arrangementId,
      data: () => ({ arrangementId: input.arrangementId, itemId: input.itemId }),
    });
  }
}
