import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentPoolDecider } from '@kyogi/domain/talent/pools.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { ChangeTalentPoolPersonCapacityInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class ChangeTalentPoolPersonCapacityResolver {
  constructor(private readonly runner: CommandSender) {}

  /** Not below what the person is dispatched for from today on. */
  @Mutation('changeTalentPoolPersonCapacity')
  changeTalentPoolPersonCapacity(@Context() context: RequestContext, @Args('input') input: ChangeTalentPoolPersonCapacityInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talentPool.changeCapacity',
      decider: talentPoolDecider,
      type: 'ChangePoolPersonCapacity',
      commandId: input.commandId,
      streamId: input.poolId,
      data: () => ({ poolId: input.poolId, poolPersonId: input.poolPersonId, capacityDaysPerMonth: input.capacityDaysPerMonth }),
    });
  }
}
