import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentPoolDecider } from '@kyogi/domain/talent/pools.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { clientOrDerivedId, runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { DispatchTalentPoolPersonInput } from '../../graphql/generated/schema-types';
import { TalentLookups } from '../lookups';

@Resolver('Mutation')
export class DispatchTalentPoolPersonResolver {
  constructor(
    private readonly runner: CommandSender,
    private readonly lookups: TalentLookups,
  ) {}

  /** To a current participant of an arrangement the pool's prefecture hosts (read from the arrangement's stream); over-allocation is refused. */
  @Mutation('dispatchTalentPoolPerson')
  dispatchTalentPoolPerson(@Context() context: RequestContext, @Args('input') input: DispatchTalentPoolPersonInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talentPool.dispatch',
      decider: talentPoolDecider,
      type: 'DispatchPoolPerson',
      commandId: input.commandId,
      streamId: input.poolId,
      data: async (_actor, { commandId }) => ({
        poolId: input.poolId,
        dispatchId: clientOrDerivedId(input.dispatchId)(commandId),
        poolPersonId: input.poolPersonId,
        organisationId: input.organisationId,
        arrangementId: input.arrangementId,
        daysPerMonth: input.daysPerMonth,
        startDate: input.startDate,
        endDate: input.endDate,
        arrangement: await this.lookups.arrangement(input.arrangementId),
      }),
    });
  }
}
