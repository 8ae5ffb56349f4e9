import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { SetTalentOnboardingChecklistInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class SetTalentOnboardingChecklistResolver {
  constructor(private readonly runner: CommandSender) {}

  /** 受け入れ: the complete onboarding checklist (items kept by id stay done). */
  @Mutation('setTalentOnboardingChecklist')
  setTalentOnboardingChecklist(@Context() context: RequestContext, @Args('input') input: SetTalentOnboardingChecklistInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.setChecklist',
      decider: talentArrangementDecider,
      type: 'SetOnboardingChecklist',
      commandId: input.commandId,
      streamId: input.arrangementId,
      data: () => ({ arrangementId: input.arrangementId, items: input.items }),
    });
  }
}
