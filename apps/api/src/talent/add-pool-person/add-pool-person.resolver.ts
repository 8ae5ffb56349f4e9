import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentPoolDecider } from '@kyogi/domain/talent/pools.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { clientOrDerivedId, runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { AddTalentPoolPersonInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class AddTalentPoolPersonResolver {
  constructor(private readonly runner: CommandSender) {}

  /** A person by name and personnel-file reference, with a capacity in days per month; the id, unless given, is derived from the command id. */
  @Mutation('addTalentPoolPerson')
  addTalentPoolPerson(@Context() context: RequestContext, @Args('input') input: AddTalentPoolPersonInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talentPool.addPerson',
      decider: talentPoolDecider,
      type: 'AddPoolPerson',
      commandId: input.commandId,
      streamId: input.poolId,
      data: (_actor, { commandId }) => ({
        poolId: input.poolId,
        poolPersonId: clientOrDerivedId(input.poolPersonId)(commandId),
        name: input.name,
        reference: input.reference,
        capacityDaysPerMonth: input.capacityDaysPerMonth,
      }),
    });
  }
}
