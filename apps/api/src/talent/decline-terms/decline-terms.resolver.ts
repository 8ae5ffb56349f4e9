import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { DeclineTalentTermsInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class DeclineTalentTermsResolver {
  constructor(private readonly runner: CommandSender) {}

  /** A participant's approver declines the current version, with a reason; the proposer may then change the terms. */
  @Mutation('declineTalentTerms')
  declineTalentTerms(@Context() context: RequestContext, @Args('input') input: DeclineTalentTermsInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.decline',
      decider: talentArrangementDecider,
      type: 'DeclineTalentTerms',
      commandId: input.commandId,
      streamId: input.arrangementId,
      data: (actor) => ({
        arrangementId: input.arrangementId,
        organisationId: input.organisationId ?? actor.organisationId,
        termsVersion: input.termsVersion,
        reason: input.reason,
      }),
    });
  }
}
