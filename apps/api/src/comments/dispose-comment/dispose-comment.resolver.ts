import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { commentDecider } from '@kyogi/domain/comments/comments.decider';
import type { DisposeComment } from '@kyogi/domain/comments/comments.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { DisposeCommentInput } from '../../graphql/generated/schema-types';
import { ProposalLookups, signedIn } from '../../proposals/lookups';
import { dispositionLabelOf } from '../comment.view';
import { CommentLookups } from '../lookups';
import { failedPayload, outcomePayload, type CommentMutationPayload } from '../payloads';

@Resolver('Mutation')
export class DisposeCommentResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly proposals: ProposalLookups,
    private readonly comments: CommentLookups,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The spec owner's coordinator answers with a code; a later disposition revises it, never erases it. */
  @Mutation('disposeComment')
  async disposeComment(@Context() context: RequestContext, @Args('input') input: DisposeCommentInput): Promise<CommentMutationPayload> {
    const visible = await this.comments.visibleComment(input.commentId, signedIn(context));
    if (visible instanceof DomainError) return failedPayload(visible);
    const specOwnerOrganisationId = (await this.proposals.specOwner(visible.comment.specId)) ?? '';
    const actor = mutationActor(context, 'comment.dispose', specOwnerOrganisationId);
    if (actor instanceof DomainError) return failedPayload(actor);
    const command: DisposeComment = {
      type: 'DisposeComment',
      data: {
        commentId: input.commentId,
        disposition: dispositionLabelOf(input.code),
        answer: input.answer,
        specOwnerOrganisationId,
        proposalVisibleToActor: true, // checked above: visibleComment
      },
      metadata: { commandId: input.commandId ?? randomUUID(), now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(commentDecider, input.commentId, command));
    return outcomePayload(input.commentId, outcome);
  }
}
