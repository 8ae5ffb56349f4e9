import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { ChangeTalentTermsInput } from '../../graphql/generated/schema-types';
import { TalentLookups } from '../lookups';
import { termsInput } from '../terms-input';

@Resolver('Mutation')
export class ChangeTalentTermsResolver {
  constructor(
    private readonly runner: CommandSender,
    private readonly lookups: TalentLookups,
  ) {}

  /** A new terms version (a town joins or leaves, the cost, term, split or allotment changes): every earlier consent is void. */
  @Mutation('changeTalentTerms')
  changeTalentTerms(@Context() context: RequestContext, @Args('input') input: ChangeTalentTermsInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.changeTerms',
      decider: talentArrangementDecider,
      type: 'ChangeTalentTerms',
      commandId: input.commandId,
      streamId: input.arrangementId,
      data: async (actor) => {
        const terms = termsInput(input.terms);
        return { arrangementId: input.arrangementId, terms, reason: input.reason, organisations: await this.lookups.organisations(terms, actor) };
      },
    });
  }
}
