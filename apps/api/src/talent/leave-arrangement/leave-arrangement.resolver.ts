import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { LeaveTalentArrangementInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class LeaveTalentArrangementResolver {
  constructor(private readonly runner: CommandSender) {}

  /** A participant leaves on its own decision (its approver, for its own organisation): a new terms version without it. */
  @Mutation('leaveTalentArrangement')
  leaveTalentArrangement(@Context() context: RequestContext, @Args('input') input: LeaveTalentArrangementInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.leave',
      decider: talentArrangementDecider,
      type: 'LeaveTalentArrangement',
      commandId: input.commandId,
      streamId: input.arrangementId,
      data: (actor) => ({ arrangementId: input.arrangementId, organisationId: input.organisationId ?? actor.organisationId, reason: input.reason }),
    });
  }
}
