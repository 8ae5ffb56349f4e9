import type { PoolClient } from 'pg';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { CommentEvent } from '@kyogi/domain/comments/comments.events';
import type { ProposalEvent } from '@kyogi/domain/proposals/proposals.events';
import { withBatch, type Projection, type ProjectionBatch, type ReadModelChange } from '../projection';
import { addConstraintsIfMissing, insertNewRecords, insertRecords, withRows, type Column, type ConstraintDefinition } from '../records';

const REACTION_COMMENT: ConstraintDefinition = {
  table: 'read_models.comment_reactions',
  name: 'comment_reactions_comment_id_fkey',
  definition: 'FOREIGN KEY (comment_id) REFERENCES read_models.comments (comment_id)',
};

/**
 * Comments with every edition, every disposition and each person's current reaction.
 *
 * A comment never edited has no row in `comment_editions`: its only edition is the comment row
 * itself (body, posted_at, posted_position), and readers take it from there. The first edit
 * stores edition 1 from the comment row before it is overwritten. Most comments are never edited,
 * so a rebuild inserts one row per comment instead of two.
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
  // A reaction's comment is checked once at the end of a rebuild, not row by row (a third of a rebuild's rows are reactions).
  deferredConstraints: [REACTION_COMMENT],

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
        comment_id      text NOT NULL,
        person_id       text NOT NULL,
        organisation_id text NOT NULL,
        -- agree | disagree; a cleared reaction has no row.
        reaction        text NOT NULL,
        reacted_at      timestamptz NOT NULL,
        PRIMARY KEY (comment_id, person_id)
      );
    `);
    await addConstraintsIfMissing(db, [REACTION_COMMENT]);
  },

  async apply(recorded: RecordedEvent, db: PoolClient, batch?: ProjectionBatch): Promise<readonly ReadModelChange[]> {
    if (recorded.streamName.startsWith('Proposal-')) {
      await withBatch(db, batch, (b) => applyProposalEvent({ type: recorded.type, data: recorded.data } as unknown as ProposalEvent, db, b));
      return [];
    }
    if (!recorded.streamName.startsWith('Comment-')) return [];
    return withBatch(db, batch, (b) => applyCommentEvent(recorded, db, b));
  },
};

/** What a change about a comment needs to say who may see it, and the comment's thread. */
interface CommentFacts {
  readonly proposalId: string | null;
  readonly specId: string;
  readonly threadId: string;
  readonly proposalAuthorOrganisationId: string | null;
  proposalPublic: boolean;
}

interface ProposalFacts {
  readonly authorOrganisationId: string;
  everSubmitted: boolean;
}

/** A comment's latest event, for its row (a type, not an interface: rows are records). */
type Touch = { readonly comment_id: string; readonly updated_at: string; readonly stream_version: string; readonly position: string };

/**
 * Comments posted and reactions changed in this transaction, written at its end: the hot events
 * of a rebuild (most of the log) cost a few multi-row statements per batch instead of a round
 * trip each. The rarer events (edits, retractions, dispositions) write the pending rows first and
 * then their own statements.
 */
interface Pending {
  /** Every comment posted or looked up in this transaction (posted ones are only here until the end). */
  readonly comments: Map<string, CommentFacts>;
  readonly proposals: Map<string, ProposalFacts | null>;
  /** Proposals drafted in this transaction, for `comment_proposals`. */
  readonly newProposals: Map<string, { proposal_id: string; spec_id: string; author_organisation_id: string; ever_submitted: boolean }>;
  readonly posted: Record<string, unknown>[];
  /** The last reaction of each person on each comment; null clears it. */
  readonly reactions: Map<string, { comment_id: string; person_id: string; organisation_id: string; reaction: string | null; reacted_at: string }>;
  /** Comments whose counts to recount, with their latest event. */
  readonly touched: Map<string, Touch>;
}

const PENDING = 'comments';

function pending(batch: ProjectionBatch): Pending {
  return batch.pending<Pending>(
    PENDING,
    () => ({ comments: new Map(), proposals: new Map(), newProposals: new Map(), posted: [], reactions: new Map(), touched: new Map() }),
    writePending,
  );
}

const COMMENT_COLUMNS: readonly Column[] = [
  ['comment_id', 'text'],
  ['proposal_id', 'text'],
  ['spec_id', 'text'],
  ['version', 'text'],
  ['anchor_kind', 'text'],
  ['anchor_change_id', 'text'],
  ['anchor_requirement_id', 'text'],
  ['quote_start', 'integer'],
  ['quote_end', 'integer'],
  ['quote_text', 'text'],
  ['parent_comment_id', 'text'],
  ['thread_id', 'text'],
  ['body', 'text'],
  ['edition', 'integer'],
  ['author_person_id', 'text'],
  ['author_organisation_id', 'text'],
  ['status', 'text'],
  ['proposal_author_organisation_id', 'text'],
  ['proposal_public', 'boolean'],
  ['agree_count', 'integer'],
  ['disagree_count', 'integer'],
  ['posted_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['posted_position', 'text'],
  ['stream_version', 'bigint'],
  ['position', 'text'],
];
const REACTION_COLUMNS: readonly Column[] = [
  ['comment_id', 'text'],
  ['person_id', 'text'],
  ['organisation_id', 'text'],
  ['reaction', 'text'],
  ['reacted_at', 'timestamptz'],
];
const TOUCH_COLUMNS: readonly Column[] = [
  ['comment_id', 'text'],
  ['updated_at', 'timestamptz'],
  ['stream_version', 'bigint'],
  ['position', 'text'],
];

/** In the order the foreign keys need: proposals' facts, comments, reactions, then the counts. */
async function writePending(db: PoolClient, p: Pending): Promise<void> {
  await insertRecords(
    db,
    'read_models.comment_proposals',
    [
      ['proposal_id', 'text'],
      ['spec_id', 'text'],
      ['author_organisation_id', 'text'],
      ['ever_submitted', 'boolean'],
    ],
    [...p.newProposals.values()],
    'ON CONFLICT (proposal_id) DO UPDATE SET ever_submitted = comment_proposals.ever_submitted OR EXCLUDED.ever_submitted',
  );
  // Comments posted in this transaction have no stored reactions: their counts and latest event are known here, and they are
  // inserted with them; only comments stored earlier are recounted by the UPDATE at the end.
  const posted = new Map(p.posted.map((c) => [c.comment_id as string, c]));
  for (const r of p.reactions.values()) {
    const row = posted.get(r.comment_id);
    if (row && r.reaction === 'agree') row.agree_count = (row.agree_count as number) + 1;
    if (row && r.reaction === 'disagree') row.disagree_count = (row.disagree_count as number) + 1;
  }
  const recount: Touch[] = [];
  for (const t of p.touched.values()) {
    const row = posted.get(t.comment_id);
    if (row) Object.assign(row, { updated_at: t.updated_at, stream_version: t.stream_version, position: t.position });
    else recount.push(t);
  }
  await insertNewRecords(db, 'read_models.comments', COMMENT_COLUMNS, p.posted);
  const reactions = [...p.reactions.values()];
  const cleared = reactions.filter((r) => r.reaction === null);
  await withRows(
    db,
    REACTION_COLUMNS.slice(0, 2),
    cleared,
    'c',
    (cleared) => `DELETE FROM read_models.comment_reactions r USING ${cleared} WHERE r.comment_id = c.comment_id AND r.person_id = c.person_id`,
  );
  // A comment posted in this transaction has no stored reactions: its reactions are new rows.
  await insertNewRecords(
    db,
    'read_models.comment_reactions',
    REACTION_COLUMNS,
    reactions.filter((r) => r.reaction !== null && posted.has(r.comment_id)),
  );
  await insertRecords(
    db,
    'read_models.comment_reactions',
    REACTION_COLUMNS,
    reactions.filter((r) => r.reaction !== null && !posted.has(r.comment_id)),
    `ON CONFLICT (comment_id, person_id) DO UPDATE SET organisation_id = EXCLUDED.organisation_id, reaction = EXCLUDED.reaction, reacted_at = EXCLUDED.reacted_at`,
  );
  await withRows(
    db,
    TOUCH_COLUMNS,
    recount,
    't',
    (touched) => `UPDATE read_models.comments c SET updated_at = t.updated_at, stream_version = t.stream_version, position = t.position,
         agree_count = (SELECT count(*) FROM read_models.comment_reactions r WHERE r.comment_id = c.comment_id AND r.reaction = 'agree'),
         disagree_count = (SELECT count(*) FROM read_models.comment_reactions r WHERE r.comment_id = c.comment_id AND r.reaction = 'disagree')
        FROM ${touched} WHERE c.comment_id = t.comment_id`,
  );
}

async function commentFacts(db: PoolClient, p: Pending, commentId: string): Promise<CommentFacts | undefined> {
  const known = p.comments.get(commentId);
  if (known) return known;
  // Not posted in this transaction, so not pending either: the table has it if anyone does.
  const { rows } = await db.query<ScopeRow & { thread_id: string }>(
    `SELECT proposal_id, spec_id, thread_id, proposal_author_organisation_id, proposal_public FROM read_models.comments WHERE comment_id = $1`,
    [commentId],
  );
  if (!rows[0]) return undefined;
  const facts = toFacts(rows[0]);
  p.comments.set(commentId, facts);
  return facts;
}

async function proposalFacts(db: PoolClient, p: Pending, proposalId: string): Promise<ProposalFacts | null> {
  const known = p.proposals.get(proposalId);
  if (known !== undefined) return known;
  const { rows } = await db.query<{ author_organisation_id: string; ever_submitted: boolean }>(
    'SELECT author_organisation_id, ever_submitted FROM read_models.comment_proposals WHERE proposal_id = $1',
    [proposalId],
  );
  const facts = rows[0] ? { authorOrganisationId: rows[0].author_organisation_id, everSubmitted: rows[0].ever_submitted } : null;
  p.proposals.set(proposalId, facts);
  return facts;
}

function toFacts(row: ScopeRow & { thread_id: string }): CommentFacts {
  return {
    proposalId: row.proposal_id,
    specId: row.spec_id,
    threadId: row.thread_id,
    proposalAuthorOrganisationId: row.proposal_author_organisation_id,
    proposalPublic: row.proposal_public,
  };
}

async function applyCommentEvent(recorded: RecordedEvent, db: PoolClient, batch: ProjectionBatch): Promise<readonly ReadModelChange[]> {
  const event = { type: recorded.type, data: recorded.data } as unknown as CommentEvent;
  const at = recorded.metadata.occurredAt;
  const actor = recorded.metadata.actor;
  const version = recorded.revision.toString();
  const position = formatPosition(recorded.position);
  let row: ScopeRow | undefined;
  switch (event.type) {
    case 'CommentPosted': {
      const d = event.data;
      const p = pending(batch);
      // The thread is the parent's; a parent this read model does not know (cannot happen with the deciders) starts it.
      const parent = d.parentCommentId === null ? undefined : await commentFacts(db, p, d.parentCommentId);
      // A proposal this read model does not know (cannot happen with the deciders) is treated as a draft: seen by nobody.
      const proposal = d.proposalId === null ? null : await proposalFacts(db, p, d.proposalId);
      const facts: CommentFacts = {
        proposalId: d.proposalId,
        specId: d.specId,
        threadId: parent?.threadId ?? d.parentCommentId ?? d.commentId,
        proposalAuthorOrganisationId: d.proposalId === null ? null : (proposal?.authorOrganisationId ?? null),
        proposalPublic: d.proposalId === null ? true : (proposal?.everSubmitted ?? false),
      };
      p.comments.set(d.commentId, facts);
      p.posted.push({
        comment_id: d.commentId,
        proposal_id: d.proposalId,
        spec_id: d.specId,
        version: d.version,
        anchor_kind: d.anchor.kind,
        anchor_change_id: d.anchor.kind === 'change' ? d.anchor.changeId : null,
        anchor_requirement_id: d.anchor.kind === 'requirement' ? d.anchor.requirementId : null,
        quote_start: d.quote?.start ?? null,
        quote_end: d.quote?.end ?? null,
        quote_text: d.quote?.text ?? null,
        parent_comment_id: d.parentCommentId,
        thread_id: facts.threadId,
        body: d.body,
        edition: 1,
        author_person_id: d.authorPersonId,
        author_organisation_id: d.authorOrganisationId,
        status: 'posted',
        proposal_author_organisation_id: facts.proposalAuthorOrganisationId,
        proposal_public: facts.proposalPublic,
        agree_count: 0,
        disagree_count: 0,
        posted_at: at,
        updated_at: at,
        posted_position: position,
        stream_version: version,
        position,
      });
      return [commentChange(d.commentId, event.type, position, facts)];
    }
    case 'ReactionChanged': {
      const d = event.data;
      const p = pending(batch);
      const facts = await commentFacts(db, p, d.commentId);
      if (!facts) return []; // a reaction to a comment this read model does not know: never wedge the projector on it
      p.reactions.set(`${d.commentId}\u0000${d.personId}`, {
        comment_id: d.commentId,
        person_id: d.personId,
        organisation_id: d.organisationId,
        reaction: d.reaction,
        reacted_at: at,
      });
      p.touched.set(d.commentId, { comment_id: d.commentId, updated_at: at, stream_version: version, position });
      return [commentChange(d.commentId, event.type, position, facts)];
    }
    case 'CommentEdited': {
      const d = event.data;
      await batch.flush(PENDING);
      // The first edit keeps edition 1 from the comment row it is about to overwrite (an edition-1 row stored before
      // editions were kept this way stays as it is).
      await db.query(
        `INSERT INTO read_models.comment_editions (comment_id, edition, body, edited_at, position)
         SELECT comment_id, 1, body, posted_at, posted_position FROM read_models.comments WHERE comment_id = $1 AND edition = 1
         ON CONFLICT (comment_id, edition) DO NOTHING`,
        [d.commentId],
      );
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
      await batch.flush(PENDING);
      row = await touch(db, d.commentId, at, version, position, `status = 'retracted', retraction_reason = $5, retracted_at = $2`, [d.reason]);
      break;
    }
    case 'CommentDisposed': {
      const d = event.data;
      await batch.flush(PENDING);
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
    default:
      return []; // an event type this read model does not show
  }
  if (!row) return [];
  return [commentChange(event.data.commentId, event.type, position, toFacts({ ...row, thread_id: '' }))];
}

function commentChange(commentId: string, type: string, position: string, facts: CommentFacts): ReadModelChange {
  return {
    entity: 'comment',
    id: commentId,
    change: type,
    position,
    scope: {
      proposalId: facts.proposalId,
      specId: facts.specId,
      authorOrganisationId: facts.proposalAuthorOrganisationId,
      public: facts.proposalPublic ? 'true' : 'false',
    },
  };
}

interface ScopeRow {
  proposal_id: string | null;
  spec_id: string;
  proposal_author_organisation_id: string | null;
  proposal_public: boolean;
}

/** Keeps the copy of each proposal's visibility facts, and the comments' copies of them, current (pending ones too). */
async function applyProposalEvent(event: ProposalEvent, db: PoolClient, batch: ProjectionBatch): Promise<void> {
  switch (event.type) {
    case 'ProposalDrafted': {
      const d = event.data;
      const p = pending(batch);
      const row = { proposal_id: d.proposalId, spec_id: d.specId, author_organisation_id: d.authorOrganisationId, ever_submitted: false };
      p.newProposals.set(d.proposalId, row);
      p.proposals.set(d.proposalId, { authorOrganisationId: d.authorOrganisationId, everSubmitted: false });
      return;
    }
    case 'ProposalSubmitted': {
      const { proposalId } = event.data;
      const p = pending(batch);
      const drafted = p.newProposals.get(proposalId);
      if (drafted) {
        // Drafted in this transaction: it has no stored comments, only pending ones.
        drafted.ever_submitted = true;
      } else {
        await db.query('UPDATE read_models.comment_proposals SET ever_submitted = true WHERE proposal_id = $1', [proposalId]);
        await db.query('UPDATE read_models.comments SET proposal_public = true WHERE proposal_id = $1 AND NOT proposal_public', [proposalId]);
      }
      const proposal = p.proposals.get(proposalId);
      if (proposal) proposal.everSubmitted = true;
      for (const facts of p.comments.values()) if (facts.proposalId === proposalId) facts.proposalPublic = true;
      for (const row of p.posted) if (row.proposal_id === proposalId) row.proposal_public = true;
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
