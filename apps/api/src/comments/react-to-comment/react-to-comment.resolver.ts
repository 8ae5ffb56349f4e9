import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { commentDecider } from '@kyogi/domain/comments/comments.decider';
import type { ReactToComment } from '@kyogi/domain/comments/comments.commands';
import type { Reaction } from '@kyogi/domain/comments/comments.events';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { ReactToCommentInput } from '../../graphql/generated/schema-types';
import { CommentLookups } from '../lookups';
import { failedPayload, outcomePayload, type CommentMutationPayload } from '../payloads';

@Resolver('Mutation')
export class ReactToCommentResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly comments: CommentLookups,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Agree, disagree or clear (null): each person counts once, with their latest reaction. */
  @Mutation('reactToComment')
  async reactToComment(@Context() context: RequestContext, @Args('input') input: ReactToCommentInput): Promise<CommentMutationPayload> {
    const actor = mutationActor(context, 'comment.react');
    if (actor instanceof DomainError) return failedPayload(actor);
    const visible = await this.comments.visibleComment(input.commentId, actor);
    if (visible instanceof DomainError) return failedPayload(visible);
    const command: ReactToComment = {
      type: 'ReactToComment',
      data: {
        commentId: input.commentId,
        reaction: input.reaction ? (input.reaction.toLowerCase() as Reaction) : null,
        proposalVisibleToActor: true, // checked above: visibleComment
      },
      metadata: { commandId: input.commandId ?? randomUUID(), now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(commentDecider, input.commentId, command));
    return outcomePayload(input.commentId, outcome);
  }
}
