import type { PoolClient } from 'pg';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { CommentEvent } from '@kyogi/domain/comments/comments.events';
import type { ProposalEvent } from '@kyogi/domain/proposals/proposals.events';
import type { Projection, ReadModelChange } from '../projection';

/**
 * Comments with every edition, every disposition and each person's current reaction.
 *
 * A comment on a proposal is visible to whoever may see the proposal: everyone once it was
 * submitted, only its author organisation while it is a draft. So that this read model (and the
 * changes it announces) can say so on its own — whatever order projections are rebuilt in — it
 * keeps its own copy of each proposal's visibility facts (`comment_proposals`, from the Proposal
 * events) and copies them onto every comment of that proposal.
 */
export const commentsProjection: Projection = {
  name: 'comments',
  version: 1,
  tables: [
    'read_models.comment_reactions',
    'read_models.comment_dispositions',
    'read_models.comment_editions',
    'read_models.comments',
    'read_models.comment_proposals',
  ],

  async migrate(db: PoolClient): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS read_models.comment_proposals (
        proposal_id            text PRIMARY KEY,
        spec_id                text NOT NULL,
        author_organisation_id text NOT NULL,
        ever_submitted         boolean NOT NULL
      );
      CREATE TABLE IF NOT EXISTS read_models.comments (
        comment_id             text PRIMARY KEY,
        proposal_id            text,
        spec_id                text NOT NULL,
        version                text NOT NULL,
        -- change | requirement, and the one id that goes with it.
        anchor_kind            text NOT NULL,
        anchor_change_id       text,
        anchor_requirement_id  text,
        quote_start            integer,
        quote_end              integer,
        quote_text             text,
        parent_comment_id      text,
        -- The top of the thread (the comment itself when it is at the top).
        thread_id              text NOT NULL,
        body                   text NOT NULL,
        edition                integer NOT NULL,
        author_person_id       text NOT NULL,
        author_organisation_id text NOT NULL,
        -- posted | disposed | retracted
        status                 text NOT NULL,
        retraction_reason      text,
        retracted_at           timestamptz,
        disposition            text,
        disposition_answer     text,
        disposition_revision   integer,
        disposed_at            timestamptz,
        agree_count            integer NOT NULL DEFAULT 0,
        disagree_count         integer NOT NULL DEFAULT 0,
        -- The proposal's visibility facts (null for a comment on the spec version itself).
        proposal_author_organisation_id text,
        proposal_public        boolean NOT NULL,
        posted_at              timestamptz NOT NULL,
        updated_at             timestamptz NOT NULL,
        -- The global position of CommentPosted: the order of a thread.
        posted_position        text NOT NULL,
        stream_version         bigint NOT NULL,
        position               text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS comments_proposal ON read_models.comments (proposal_id, posted_position);
      CREATE INDEX IF NOT EXISTS comments_requirement ON read_models.comments (spec_id, version, anchor_requirement_id) WHERE proposal_id IS NULL;
      CREATE TABLE IF NOT EXISTS read_models.comment_editions (
        comment_id  text NOT NULL REFERENCES read_models.comments (comment_id),
        edition     integer NOT NULL,
        body        text NOT NULL,
        edited_at   timestamptz NOT NULL,
        position    text NOT NULL,
        PRIMARY KEY (comment_id, edition)
      );
      CREATE TABLE IF NOT EXISTS read_models.comment_dispositions (
        comment_id                  text NOT NULL REFERENCES read_models.comments (comment_id),
        revision                    integer NOT NULL,
        disposition                 text NOT NULL,
        answer                      text NOT NULL,
        disposed_by_person_id       text NOT NULL,
        disposed_by_organisation_id text NOT NULL,
        disposed_at                 timestamptz NOT NULL,
        position                    text NOT NULL,
        PRIMARY KEY (comment_id, revision)
      );
      CREATE TABLE IF NOT EXISTS read_models.comment_reactions (
        comment_id      text NOT NULL REFERENCES read_models.comments (comment_id),
        person_id       text NOT NULL,
        organisation_id text NOT NULL,
        -- agree | disagree; a cleared reaction has no row.
        reaction        text NOT NULL,
        reacted_at      timestamptz NOT NULL,
        PRIMARY KEY (comment_id, person_id)
      );
    `);
  },

  async apply(recorded: RecordedEvent, db: PoolClient): Promise<readonly ReadModelChange[]> {
    if (recorded.streamName.startsWith('Proposal-')) {
      await applyProposalEvent({ type: recorded.type, data: recorded.data } as unknown as ProposalEvent, db);
      return [];
    }
    if (!recorded.streamName.startsWith('Comment-')) return [];
    const event = { type: recorded.type, data: recorded.data } as unknown as CommentEvent;
    const at = recorded.metadata.occurredAt;
    const actor = recorded.metadata.actor;
    const version = recorded.revision.toString();
    const position = formatPosition(recorded.position);
    let row: ScopeRow | undefined;
    switch (event.type) {
      case 'CommentPosted': {
        const d = event.data;
        // One round trip: the proposal's visibility facts, the parent's thread and the first edition are looked up and written by
        // the same statement (a rebuild posts hundreds of thousands of comments). A proposal this read model does not know
        // (cannot happen with the deciders) is treated as a draft: seen by nobody.
        const { rows } = await db.query<ScopeRow>(
          `WITH posted AS (
             INSERT INTO read_models.comments (comment_id, proposal_id, spec_id, version, anchor_kind, anchor_change_id, anchor_requirement_id,
                                               quote_start, quote_end, quote_text, parent_comment_id, thread_id, body, edition,
                                               author_person_id, author_organisation_id, status, proposal_author_organisation_id, proposal_public,
                                               posted_at, updated_at, posted_position, stream_version, position)
             SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::int, $9::int, $10::text, $11::text,
                    coalesce((SELECT thread_id FROM read_models.comments WHERE comment_id = $11::text), $11::text, $1::text),
                    $12::text, 1, $13::text, $14::text, 'posted',
                    CASE WHEN $2::text IS NULL THEN NULL
                         ELSE (SELECT author_organisation_id FROM read_models.comment_proposals WHERE proposal_id = $2::text) END,
                    CASE WHEN $2::text IS NULL THEN true
                         ELSE coalesce((SELECT ever_submitted FROM read_models.comment_proposals WHERE proposal_id = $2::text), false) END,
                    $15::timestamptz, $15::timestamptz, $16::text, $17::bigint, $16::text
             RETURNING comment_id, proposal_id, spec_id, proposal_author_organisation_id, proposal_public),
           edition AS (
             INSERT INTO read_models.comment_editions (comment_id, edition, body, edited_at, position)
             SELECT comment_id, 1, $12::text, $15::timestamptz, $16::text FROM posted)
           SELECT proposal_id, spec_id, proposal_author_organisation_id, proposal_public FROM posted`,
          [
            d.commentId,
            d.proposalId,
            d.specId,
            d.version,
            d.anchor.kind,
            d.anchor.kind === 'change' ? d.anchor.changeId : null,
            d.anchor.kind === 'requirement' ? d.anchor.requirementId : null,
            d.quote?.start ?? null,
            d.quote?.end ?? null,
            d.quote?.text ?? null,
            d.parentCommentId,
            d.body,
            d.authorPersonId,
            d.authorOrganisationId,
            at,
            position,
            version,
          ],
        );
        row = rows[0];
        break;
      }
      case 'CommentEdited': {
        const d = event.data;
        row = await touch(db, d.commentId, at, version, position, 'body = $5, edition = $6', [d.body, d.edition]);
        await db.query('INSERT INTO read_models.comment_editions (comment_id, edition, body, edited_at, position) VALUES ($1, $2, $3, $4, $5)', [
          d.commentId,
          d.edition,
          d.body,
          at,
          position,
        ]);
        break;
      }
      case 'CommentRetracted': {
        const d = event.data;
        row = await touch(db, d.commentId, at, version, position, `status = 'retracted', retraction_reason = $5, retracted_at = $2`, [d.reason]);
        break;
      }
      case 'CommentDisposed': {
        const d = event.data;
        row = await touch(
          db,
          d.commentId,
          at,
          version,
          position,
          `status = 'disposed', disposition = $5, disposition_answer = $6, disposition_revision = $7, disposed_at = $2`,
          [d.disposition, d.answer, d.revision],
        );
        await db.query(
          `INSERT INTO read_models.comment_dispositions (comment_id, revision, disposition, answer, disposed_by_person_id, disposed_by_organisation_id, disposed_at, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [d.commentId, d.revision, d.disposition, d.answer, actor.personId, actor.organisationId, at, position],
        );
        break;
      }
      case 'ReactionChanged': {
        const d = event.data;
        if (d.reaction === null) {
          await db.query('DELETE FROM read_models.comment_reactions WHERE comment_id = $1 AND person_id = $2', [d.commentId, d.personId]);
        } else {
          await db.query(
            `INSERT INTO read_models.comment_reactions (comment_id, person_id, organisation_id, reaction, reacted_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (comment_id, person_id) DO UPDATE SET organisation_id = EXCLUDED.organisation_id, reaction = EXCLUDED.reaction, reacted_at = EXCLUDED.reacted_at`,
            [d.commentId, d.personId, d.organisationId, d.reaction, at],
          );
        }
        row = await touch(
          db,
          d.commentId,
          at,
          version,
          position,
          `agree_count = (SELECT count(*) FROM read_models.comment_reactions r WHERE r.comment_id = $1 AND r.reaction = 'agree'),
           disagree_count = (SELECT count(*) FROM read_models.comment_reactions r WHERE r.comment_id = $1 AND r.reaction = 'disagree')`,
          [],
        );
        break;
      }
      default:
        return []; // an event type this read model does not show
    }
    if (!row) return [];
    return [
      {
        entity: 'comment',
        id: event.data.commentId,
        change: event.type,
        position,
        scope: {
          proposalId: row.proposal_id,
          specId: row.spec_id,
          authorOrganisationId: row.proposal_author_organisation_id,
          public: row.proposal_public ? 'true' : 'false',
        },
      },
    ];
  },
};

interface ScopeRow {
  proposal_id: string | null;
  spec_id: string;
  proposal_author_organisation_id: string | null;
  proposal_public: boolean;
}

/** Keeps the copy of each proposal's visibility facts, and the comments' copies of them, current. */
async function applyProposalEvent(event: ProposalEvent, db: PoolClient): Promise<void> {
  switch (event.type) {
    case 'ProposalDrafted': {
      const d = event.data;
      await db.query(
        `INSERT INTO read_models.comment_proposals (proposal_id, spec_id, author_organisation_id, ever_submitted) VALUES ($1, $2, $3, false)
         ON CONFLICT (proposal_id) DO NOTHING`,
        [d.proposalId, d.specId, d.authorOrganisationId],
      );
      return;
    }
    case 'ProposalSubmitted': {
      const { proposalId } = event.data;
      await db.query('UPDATE read_models.comment_proposals SET ever_submitted = true WHERE proposal_id = $1', [proposalId]);
      await db.query('UPDATE read_models.comments SET proposal_public = true WHERE proposal_id = $1 AND NOT proposal_public', [proposalId]);
      return;
    }
    default:
      return;
  }
}

async function touch(db: PoolClient, id: string, at: string, version: string, position: string, set: string, extra: unknown[]): Promise<ScopeRow | undefined> {
  const { rows } = await db.query<ScopeRow>(
    `UPDATE read_models.comments SET updated_at = $2, stream_version = $3, position = $4, ${set} WHERE comment_id = $1
     RETURNING proposal_id, spec_id, proposal_author_organisation_id, proposal_public`,
    [id, at, version, position, ...extra],
  );
  return rows[0];
}
