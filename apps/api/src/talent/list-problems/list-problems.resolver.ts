import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { CommandSender } from '../../command-handling/command-sender';
import { runMutation, type MutationResult } from '../../command-handling/mutation-runner';
import type { RequestContext } from '../../graphql/request-context';
import type { ListTalentProblemsInput } from '../../graphql/generated/schema-types';

@Resolver('Mutation')
export class ListTalentProblemsResolver {
  constructor(private readonly runner: CommandSender) {}

  /** 課題の特定: a participant's complete list of the problems the hire must solve. */
  @Mutation('listTalentProblems')
  listTalentProblems(@Context() context: RequestContext, @Args('input') input: ListTalentProblemsInput): Promise<MutationResult> {
    return runMutation(this.runner, context, {
      operation: 'talent.listProblems',
      decider: talentArrangementDecider,
      type: 'ListTalentProblems',
      commandId: input.commandId,
      streamId: input.arrangementId,
      data: (actor) => ({ arrangementId: input.arrangementId, organisationId: input.organisationId ?? actor.organisationId, problems: input.problems }),
    });
  }
}
