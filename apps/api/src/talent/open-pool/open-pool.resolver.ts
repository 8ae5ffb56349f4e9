import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentPoolDecider } from '@kyogi/domain/talent/pools.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { clientOrDerivedId, runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { OpenTalentPoolInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class OpenTalentPoolResolver {
  constructor(private readonly runner: CommandSender) {}

  /** The caller's prefecture opens a pool of people it employs. */
  @Mutation('openTalentPool')
  openTalentPool(@Context() context: RequestContext, @Args('input') input: OpenTalentPoolInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talentPool.open',
      decider: talentPoolDecider,
      type: 'OpenTalentPool',
      commandId: input.commandId,
      streamId: clientOrDerivedId(input.id),
      data: (_actor, { streamId }) => ({ poolId: streamId, name: input.name }),
    });
  }
}
