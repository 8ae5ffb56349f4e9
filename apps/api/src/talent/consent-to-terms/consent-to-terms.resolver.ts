import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { ConsentToTalentTermsInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class ConsentToTalentTermsResolver {
  constructor(private readonly runner: CommandSender) {}

  /** 決裁: a participant's approver consents, for its own organisation, to the version read; the last consent agrees the terms. */
  @Mutation('consentToTalentTerms')
  consentToTalentTerms(@Context() context: RequestContext, @Args('input') input: ConsentToTalentTermsInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.consent',
      decider: talentArrangementDecider,
      type: 'ConsentToTalentTerms',
      commandId: input.commandId,
      streamId: input.arrangementId,
      data: (actor) => ({ arrangementId: input.arrangementId, organisationId: input.organisationId ?? actor.organisationId, termsVersion: input.termsVersion }),
    });
  }
}
