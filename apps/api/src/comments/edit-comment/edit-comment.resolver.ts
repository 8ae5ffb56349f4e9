import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { commentDecider } from '@kyogi/domain/comments/comments.decider';
import type { EditComment } from '@kyogi/domain/comments/comments.commands';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { EditCommentInput } from '../../graphql/generated/schema-types';
import { CommentLookups } from '../lookups';
import { failedPayload, outcomePayload, type CommentMutationPayload } from '../payloads';

@Resolver('Mutation')
export class EditCommentResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly comments: CommentLookups,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A new edition by the comment's author; every earlier edition is kept. */
  @Mutation('editComment')
  async editComment(@Context() context: RequestContext, @Args('input') input: EditCommentInput): Promise<CommentMutationPayload> {
    const actor = mutationActor(context, 'comment.edit');
    if (actor instanceof DomainError) return failedPayload(actor);
    const visible = await this.comments.visibleComment(input.commentId, actor);
    if (visible instanceof DomainError) return failedPayload(visible);
    const command: EditComment = {
      type: 'EditComment',
      data: { commentId: input.commentId, body: input.body },
      metadata: { commandId: input.commandId ?? randomUUID(), now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(commentDecider, input.commentId, command));
    return outcomePayload(input.commentId, outcome);
  }
}
