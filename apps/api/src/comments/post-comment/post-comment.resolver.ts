import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { commentDecider } from '@kyogi/domain/comments/comments.decider';
import type { ParentCommentFacts, PostComment } from '@kyogi/domain/comments/comments.commands';
import type { CommentAnchor } from '@kyogi/domain/comments/comments.events';
import type { ProposalChange } from '@kyogi/domain/proposals/proposals.events';
import { CLOCK, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { entityIdFor } from '../../command-handling/event-ids';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { PostCommentInput } from '../../graphql/generated/schema-types';
import { ProposalLookups, type ProposalFacts } from '../../proposals/lookups';
import { CommentLookups } from '../lookups';
import { failedPayload, outcomePayload, type CommentMutationPayload } from '../payloads';

/** The decider's changeTextOf, on the read model's current revision: the proposed text, or for a deletion the text deleted. */
export function changeTextIn(changes: readonly ProposalChange[], changeId: string): string | null {
  const change = changes.find((c) => c.changeId === changeId);
  return change === undefined ? null : (change.after ?? change.before);
}

@Resolver('Mutation')
export class PostCommentResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly proposals: ProposalLookups,
    private readonly comments: CommentLookups,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Mutation('postComment')
  async postComment(@Context() context: RequestContext, @Args('input') input: PostCommentInput): Promise<CommentMutationPayload> {
    const actor = mutationActor(context, 'comment.post');
    if (actor instanceof DomainError) return failedPayload(actor);
    const commandId = input.commandId ?? randomUUID();
    const commentId = input.commentId?.trim() || entityIdFor(commandId);
    const proposalId = input.proposalId ?? null;

    // A comment on a proposal is on the proposal's spec version; one the actor may not see does not exist for them.
    let proposal: ProposalFacts | null = null;
    let specId = input.specId ?? '';
    let version = input.specVersion ?? '';
    if (proposalId !== null) {
      const found = await this.proposals.visibleProposal(proposalId, actor);
      if (!(found instanceof DomainError)) {
        proposal = found;
        if ((input.specId != null && input.specId !== found.specId) || (input.specVersion != null && input.specVersion !== found.version)) {
          return failedPayload(
            new DomainError(
              'PROPOSAL_OF_ANOTHER_SPEC',
              `Proposal ${proposalId} is against ${found.specId} ${found.version}; omit specId and specVersion.`,
              'specId',
            ),
          );
        }
        specId = found.specId;
        version = found.version;
      }
    }

    const anchor = (
      input.anchor.kind === 'CHANGE'
        ? { kind: 'change', changeId: input.anchor.changeId ?? '' }
        : { kind: 'requirement', requirementId: input.anchor.requirementId ?? '' }
    ) as CommentAnchor;
    const anchoredText =
      anchor.kind === 'change'
        ? proposal && changeTextIn(proposal.changes, anchor.changeId)
        : await this.proposals.requirementText(specId, version, anchor.requirementId);

    let parent: ParentCommentFacts | null = null;
    if (input.parentCommentId != null) {
      const visible = await this.comments.visibleComment(input.parentCommentId, actor);
      if (!(visible instanceof DomainError)) {
        const { specId: parentSpec, version: parentVersion, proposalId: parentProposal, anchor: parentAnchor } = visible.comment;
        parent = { specId: parentSpec, version: parentVersion, proposalId: parentProposal, anchor: parentAnchor };
      }
    }

    const command: PostComment = {
      type: 'PostComment',
      data: {
        commentId,
        proposalId,
        specId,
        version,
        anchor,
        quote: input.quote ?? null,
        parentCommentId: input.parentCommentId ?? null,
        body: input.body,
        anchoredText: anchoredText ?? null,
        parent,
        proposalVisibleToActor: proposal !== null,
      },
      metadata: { commandId, now: this.clock(), actor },
    };
    const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(commentDecider, commentId, command));
    return outcomePayload(commentId, outcome);
  }
}
