import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { EndTalentArrangementInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class EndTalentArrangementResolver {
  constructor(private readonly runner: CommandSender) {}

  /** Ends the arrangement from any phase; before the term's end date only with a reason. */
  @Mutation('endTalentArrangement')
  endTalentArrangement(@Context() context: RequestContext, @Args('input') input: EndTalentArrangementInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.end',
      decider: talentArrangementDecider,
      type: 'EndTalentArrangement',
      commandId: input.commandId,
      streamId: input.arrangementId,
      data: () => ({ arrangementId: input.arrangementId, reason: input.reason ?? null }),
    });
  }
}
