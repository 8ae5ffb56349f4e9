import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { clientOrDerivedId, runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { ProposeTalentArrangementInput } from '../../graphql/generated/schema-types';
import { TalentLookups } from '../lookups';
import { termsInput } from '../terms-input';

@Resolver('Mutation')
export class ProposeTalentArrangementResolver {
  constructor(
    private readonly runner: CommandSender,
    private readonly lookups: TalentLookups,
  ) {}

  /** The proposer is the caller's organisation; the organisations the terms name are looked up in the read model. */
  @Mutation('proposeTalentArrangement')
  proposeTalentArrangement(@Context() context: RequestContext, @Args('input') input: ProposeTalentArrangementInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.propose',
      decider: talentArrangementDecider,
      type: 'ProposeTalentArrangement',
      commandId: input.commandId,
      streamId: clientOrDerivedId(input.id),
      data: async (actor, { streamId }) => {
        const terms = termsInput(input.terms);
        return { arrangementId: streamId, role: input.role, skills: input.skills, terms, organisations: await this.lookups.organisations(terms, actor) };
      },
    });
  }
}
