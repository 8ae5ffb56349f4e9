import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DomainError, type Actor } from '@kyogi/domain/shared/decider';
import { commentDecider } from '@kyogi/domain/comments/comments.decider';
import { commentStreamName, type CommentAnchor, type CommentEvent } from '@kyogi/domain/comments/comments.events';
import type { EventStore } from '@kyogi/event-store/port';
import { EVENT_STORE, READ_DB } from '../platform/tokens';
import { ProposalLookups, type ProposalFacts } from '../proposals/lookups';

/** What the comment mutations need to know about a comment before deciding. */
export interface CommentFacts {
  readonly commentId: string;
  readonly proposalId: string | null;
  readonly specId: string;
  readonly version: string;
  readonly anchor: CommentAnchor;
}

/** A comment on a draft the actor may not see does not exist for them (the decider's wording). */
export const commentNotFound = (commentId: string) => new DomainError('COMMENT_NOT_FOUND', `Comment ${commentId} does not exist.`, 'commentId');

/**
 * The comment lookups, from the comments read model; a comment it does not have yet (posted a
 * moment ago) is read from its own stream. Whether the actor may see it follows its proposal
 * (ProposalLookups): a comment on another organisation's draft does not exist for them.
 */
@Injectable()
export class CommentLookups {
  constructor(
    @Inject(READ_DB) private readonly db: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly proposals: ProposalLookups,
  ) {}

  async comment(commentId: string): Promise<CommentFacts | null> {
    const { rows } = await this.db.query<{
      proposal_id: string | null;
      spec_id: string;
      version: string;
      anchor_kind: 'change' | 'requirement';
      anchor_change_id: string | null;
      anchor_requirement_id: string | null;
    }>('SELECT proposal_id, spec_id, version, anchor_kind, anchor_change_id, anchor_requirement_id FROM read_models.comments WHERE comment_id = $1', [
      commentId,
    ]);
    const row = rows[0];
    if (row) {
      const anchor: CommentAnchor =
        row.anchor_kind === 'change'
          ? { kind: 'change', changeId: row.anchor_change_id ?? '' }
          : { kind: 'requirement', requirementId: row.anchor_requirement_id ?? '' };
      return { commentId, proposalId: row.proposal_id, specId: row.spec_id, version: row.version, anchor };
    }
    return this.commentFromStream(commentId);
  }

  /** The comment and its proposal (null for a comment on the spec version) if the actor may see it; COMMENT_NOT_FOUND otherwise. */
  async visibleComment(commentId: string, actor: Actor): Promise<{ comment: CommentFacts; proposal: ProposalFacts | null } | DomainError> {
    const comment = await this.comment(commentId);
    if (!comment) return commentNotFound(commentId);
    if (comment.proposalId === null) return { comment, proposal: null };
    const proposal = await this.proposals.visibleProposal(comment.proposalId, actor);
    return proposal instanceof DomainError ? commentNotFound(commentId) : { comment, proposal };
  }

  private async commentFromStream(commentId: string): Promise<CommentFacts | null> {
    let recorded;
    try {
      recorded = await this.store.readStream(commentStreamName(commentId));
    } catch {
      return null;
    }
    const state = recorded.reduce((s, e) => commentDecider.evolve(s, { type: e.type, data: e.data } as unknown as CommentEvent), commentDecider.initialState());
    if (state.status === 'unposted') return null;
    return { commentId, proposalId: state.proposalId, specId: state.specId, version: state.version, anchor: state.anchor };
  }
}
