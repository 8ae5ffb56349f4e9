import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentPoolDecider } from '@kyogi/domain/talent/pools.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { EndTalentPoolDispatchInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class EndTalentPoolDispatchResolver {
  constructor(private readonly runner: CommandSender) {}

  /** Shortens a dispatch, with a reason, freeing the person's days after it. */
  @Mutation('endTalentPoolDispatch')
  endTalentPoolDispatch(@Context() context: RequestContext, @Args('input') input: EndTalentPoolDispatchInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talentPool.endDispatch',
      decider: talentPoolDecider,
      type: 'EndPoolDispatch',
      commandId: input.commandId,
      streamId: input.poolId,
      data: () => ({ poolId: input.poolId, dispatchId: input.dispatchId, endDate: input.endDate, reason: input.reason }),
    });
  }
}
