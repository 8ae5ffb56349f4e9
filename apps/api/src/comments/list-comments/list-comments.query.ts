import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { Actor } from '@kyogi/domain/shared/decider';
import type { CommentDisposition as DispositionLabel, Reaction } from '@kyogi/domain/comments/comments.events';
import { READ_DB } from '../../platform/tokens';
import { preparedStatement } from '../../graphql/prepared-statement';
import { ORGANISATION_COLUMNS, toOrganisationView, type OrganisationRow, type OrganisationView } from '../../organisations/organisation.view';
import { COMMENT_COLUMNS, commentVisibleSql, DISPOSITION_CODES, type CommentRow, type CommentView, type DispositionView } from '../comment.view';

/** A comment with its editions, dispositions and reactions as JSON lists (timestamps as ISO text), null when it has none. */
interface ThreadRow extends CommentRow {
  editions_json: { edition: number; body: string; editedAt: string }[] | null;
  dispositions_json: { revision: number; disposition: DispositionLabel; answer: string; personId: string; organisationId: string; at: string }[] | null;
  reactions_json: { personId: string; organisationId: string; reaction: Reaction }[] | null;
  /** On the first row only: the authors' organisations (timestamps as ISO text, version as a number). */
  organisations_json: OrganisationJson[] | null;
}

type OrganisationJson = Omit<OrganisationRow, 'registered_at' | 'updated_at' | 'version'> & { registered_at: string; updated_at: string; version: number };

const organisationFromJson = (o: OrganisationJson): OrganisationView =>
  toOrganisationView({ ...o, registered_at: new Date(o.registered_at), updated_at: new Date(o.updated_at), version: String(o.version) });

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
 * reaction — in one statement, whatever the number of comments.
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
    // One statement: the comments, then their editions, dispositions, reactions and authors'
    // organisations, each read with one index scan over the comments' ids and folded into JSON.
    const { rows } = await this.db.query<ThreadRow>(
      preparedStatement(
        `WITH c AS MATERIALIZED (
         SELECT ${COMMENT_COLUMNS}, c.posted_position FROM read_models.comments c WHERE ${where.join(' AND ')}
       ),
       ids AS (SELECT array_agg(comment_id) AS ids FROM c),
       e AS (
         SELECT comment_id, json_agg(json_build_object('edition', edition, 'body', body, 'editedAt', edited_at) ORDER BY edition) AS list
           FROM read_models.comment_editions WHERE comment_id = ANY ((SELECT ids FROM ids)::text[]) GROUP BY comment_id
       ),
       d AS (
         SELECT comment_id,
                json_agg(json_build_object('revision', revision, 'disposition', disposition, 'answer', answer, 'personId', disposed_by_person_id,
                                           'organisationId', disposed_by_organisation_id, 'at', disposed_at) ORDER BY revision) AS list
           FROM read_models.comment_dispositions WHERE comment_id = ANY ((SELECT ids FROM ids)::text[]) GROUP BY comment_id
       ),
       -- The authors' organisations, once (on the first row), for Comment.authorOrganisation.
       o AS (
         SELECT json_agg(o) AS list FROM (
           SELECT ${ORGANISATION_COLUMNS} FROM read_models.organisations
            WHERE id = ANY ((SELECT array_agg(DISTINCT author_organisation_id) FROM c)::text[])
         ) o
       ),
       r AS (
         SELECT comment_id, json_agg(json_build_object('personId', person_id, 'organisationId', organisation_id, 'reaction', reaction) ORDER BY person_id) AS list
           FROM read_models.comment_reactions WHERE comment_id = ANY ((SELECT ids FROM ids)::text[]) GROUP BY comment_id
       )
       -- A comment never edited has no edition rows: its one edition is the comment as posted.
       SELECT c.*, coalesce(e.list, json_build_array(json_build_object('edition', 1, 'body', c.body, 'editedAt', c.posted_at))) AS editions_json,
              d.list AS dispositions_json, r.list AS reactions_json,
              CASE WHEN row_number() OVER (ORDER BY c.posted_position) = 1 THEN (SELECT list FROM o) END AS organisations_json
         FROM c LEFT JOIN e ON e.comment_id = c.comment_id LEFT JOIN d ON d.comment_id = c.comment_id LEFT JOIN r ON r.comment_id = c.comment_id
        ORDER BY c.posted_position`,
        params,
      ),
    );
    if (!rows.length) return [];

    const organisations = new Map((rows[0].organisations_json ?? []).map((o) => [o.id, organisationFromJson(o)]));
    const views = new Map<string, CommentView>();
    for (const row of rows) {
      const dispositionHistory: DispositionView[] = (row.dispositions_json ?? []).map((d) => ({
        code: DISPOSITION_CODES[d.disposition],
        label: d.disposition,
        answer: d.answer,
        revision: d.revision,
        disposedByPersonId: d.personId,
        disposedByOrganisationId: d.organisationId,
        disposedAt: new Date(d.at),
      }));
      const own = row.reactions_json ?? [];
      const byOrganisation = new Map<string, { organisationId: string; agree: number; disagree: number }>();
      for (const r of own) {
        const counts = byOrganisation.get(r.organisationId) ?? { organisationId: r.organisationId, agree: 0, disagree: 0 };
        counts[r.reaction] += 1;
        byOrganisation.set(r.organisationId, counts);
      }
      const mine = own.find((r) => r.personId === actor.personId);
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
        editions: (row.editions_json ?? []).map((e) => ({ edition: e.edition, body: e.body, editedAt: new Date(e.editedAt) })),
        authorPersonId: row.author_person_id,
        authorDisplayName: row.author_display_name,
        authorOrganisationId: row.author_organisation_id,
        authorOrganisation: organisations.get(row.author_organisation_id) ?? null,
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
          byPerson: own.map((r) => ({ personId: r.personId, organisationId: r.organisationId, reaction: r.reaction.toUpperCase() as Uppercase<Reaction> })),
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
