import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { OpenTalentSelectionInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class OpenTalentSelectionResolver {
  constructor(private readonly runner: CommandSender) {}

  /** 人材の選定 begins. */
  @Mutation('openTalentSelection')
  openTalentSelection(@Context() context: RequestContext, @Args('input') input: OpenTalentSelectionInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.openSelection',
      decider: talentArrangementDecider,
      type: 'OpenTalentSelection',
      commandId: input.commandId,
      streamId: input.arrangementId,
      data: () => ({ arrangementId: input.arrangementId }),
    });
  }
}
