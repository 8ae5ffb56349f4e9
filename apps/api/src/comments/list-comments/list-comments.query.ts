import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { Actor } from '@kyogi/domain/shared/decider';
import type { CommentDisposition as DispositionLabel, Reaction } from '@kyogi/domain/comments/comments.events';
import { READ_DB } from '../../platform/tokens';
import { COMMENT_COLUMNS, commentVisibleSql, DISPOSITION_CODES, type CommentRow, type CommentView, type DispositionView } from '../comment.view';

export type CommentSelector =
  /** The threads on a proposal, optionally those anchored to one change or one requirement. */
  | { readonly proposalId: string; readonly changeId?: string | null; readonly requirementId?: string | null }
  /** The threads on one requirement of a spec version itself (not on a proposal). */
  | { readonly specId: string; readonly version: string; readonly requirementId: string }
  /** One comment, with its replies. */
  | { readonly commentId: string };

/**
 * Comment threads as the caller may see them: top-level comments, oldest first, each with its
 * replies (and theirs), editions, disposition history, reaction totals and the caller's own
 * reaction — in five queries, whatever the number of comments.
 */
export class GetCommentThreadsQuery {
  constructor(
    readonly selector: CommentSelector,
    readonly actor: Actor,
  ) {}
}

@QueryHandler(GetCommentThreadsQuery)
export class GetCommentThreadsHandler implements IQueryHandler<GetCommentThreadsQuery, CommentView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ selector, actor }: GetCommentThreadsQuery): Promise<CommentView[]> {
    if (actor.roles.length === 0) return [];
    const params: unknown[] = [actor.organisationId];
    const where = [commentVisibleSql('$1')];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if ('commentId' in selector) {
      add((p) => `c.thread_id = (SELECT t.thread_id FROM read_models.comments t WHERE t.comment_id = ${p})`, selector.commentId);
    } else if ('proposalId' in selector) {
      add((p) => `c.proposal_id = ${p}`, selector.proposalId);
      if (selector.changeId != null) add((p) => `c.anchor_change_id = ${p}`, selector.changeId);
      if (selector.requirementId != null) add((p) => `c.anchor_requirement_id = ${p}`, selector.requirementId);
    } else {
      where.push('c.proposal_id IS NULL');
      add((p) => `c.spec_id = ${p}`, selector.specId);
      add((p) => `c.version = ${p}`, selector.version);
      add((p) => `c.anchor_requirement_id = ${p}`, selector.requirementId);
    }
    const { rows } = await this.db.query<CommentRow>(
      `SELECT ${COMMENT_COLUMNS} FROM read_models.comments c WHERE ${where.join(' AND ')} ORDER BY c.posted_position`,
      params,
    );
    if (!rows.length) return [];
    const ids = rows.map((r) => r.comment_id);
    const [editions, dispositions, reactions] = await Promise.all([
      this.db.query<{ comment_id: string; edition: number; body: string; edited_at: Date }>(
        'SELECT comment_id, edition, body, edited_at FROM read_models.comment_editions WHERE comment_id = ANY($1::text[]) ORDER BY comment_id, edition',
        [ids],
      ),
      this.db.query<{
        comment_id: string;
        revision: number;
        disposition: DispositionLabel;
        answer: string;
        disposed_by_person_id: string;
        disposed_by_organisation_id: string;
        disposed_at: Date;
      }>(
        `SELECT comment_id, revision, disposition, answer, disposed_by_person_id, disposed_by_organisation_id, disposed_at
           FROM read_models.comment_dispositions WHERE comment_id = ANY($1::text[]) ORDER BY comment_id, revision`,
        [ids],
      ),
      this.db.query<{ comment_id: string; person_id: string; organisation_id: string; reaction: Reaction }>(
        'SELECT comment_id, person_id, organisation_id, reaction FROM read_models.comment_reactions WHERE comment_id = ANY($1::text[]) ORDER BY comment_id, person_id',
        [ids],
      ),
    ]);

    const views = new Map<string, CommentView>();
    for (const row of rows) {
      const dispositionHistory: DispositionView[] = dispositions.rows
        .filter((d) => d.comment_id === row.comment_id)
        .map((d) => ({
          code: DISPOSITION_CODES[d.disposition],
          label: d.disposition,
          answer: d.answer,
          revision: d.revision,
          disposedByPersonId: d.disposed_by_person_id,
          disposedByOrganisationId: d.disposed_by_organisation_id,
          disposedAt: d.disposed_at,
        }));
      const own = reactions.rows.filter((r) => r.comment_id === row.comment_id);
      const byOrganisation = new Map<string, { organisationId: string; agree: number; disagree: number }>();
      for (const r of own) {
        const counts = byOrganisation.get(r.organisation_id) ?? { organisationId: r.organisation_id, agree: 0, disagree: 0 };
        counts[r.reaction] += 1;
        byOrganisation.set(r.organisation_id, counts);
      }
      const mine = own.find((r) => r.person_id === actor.personId);
      views.set(row.comment_id, {
        id: row.comment_id,
        proposalId: row.proposal_id,
        specId: row.spec_id,
        specVersion: row.version,
        anchor: { kind: row.anchor_kind === 'change' ? 'CHANGE' : 'REQUIREMENT', changeId: row.anchor_change_id, requirementId: row.anchor_requirement_id },
        quote:
          row.quote_start !== null && row.quote_end !== null && row.quote_text !== null
            ? { start: row.quote_start, end: row.quote_end, text: row.quote_text }
            : null,
        parentCommentId: row.parent_comment_id,
        threadId: row.thread_id,
        body: row.body,
        edition: row.edition,
        editions: editions.rows.filter((e) => e.comment_id === row.comment_id).map((e) => ({ edition: e.edition, body: e.body, editedAt: e.edited_at })),
        authorPersonId: row.author_person_id,
        authorDisplayName: row.author_display_name,
        authorOrganisationId: row.author_organisation_id,
        status: row.status.toUpperCase() as CommentView['status'],
        retractionReason: row.retraction_reason,
        retractedAt: row.retracted_at,
        // A retracted comment keeps the disposition it had.
        disposition: dispositionHistory.find((d) => d.revision === row.disposition_revision) ?? null,
        dispositionHistory,
        reactions: {
          agree: row.agree_count,
          disagree: row.disagree_count,
          byOrganisation: [...byOrganisation.values()].sort((a, b) => (a.organisationId < b.organisationId ? -1 : a.organisationId > b.organisationId ? 1 : 0)),
          byPerson: own.map((r) => ({ personId: r.person_id, organisationId: r.organisation_id, reaction: r.reaction.toUpperCase() as Uppercase<Reaction> })),
        },
        myReaction: mine ? (mine.reaction.toUpperCase() as Uppercase<Reaction>) : null,
        replies: [],
        postedAt: row.posted_at,
        updatedAt: row.updated_at,
        streamVersion: Number(row.stream_version),
        position: row.position,
      });
    }
    const roots: CommentView[] = [];
    for (const view of views.values()) {
      const parent = view.parentCommentId === null ? undefined : views.get(view.parentCommentId);
      if (parent) parent.replies.push(view);
      else roots.push(view);
    }
    if ('commentId' in selector) {
      const one = views.get(selector.commentId);
      return one ? [one] : [];
    }
    return roots;
  }
}
