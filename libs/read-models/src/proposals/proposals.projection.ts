import type { PoolClient } from 'pg';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { ProposalChange, ProposalEvent } from '@kyogi/domain/proposals/proposals.events';
import { withBatch, type Projection, type ProjectionBatch, type ReadModelChange } from '../projection';
import { insertNewRecords, insertRecords, type Column } from '../records';

/**
 * Proposals (修文案) and every revision of each, as the GraphQL API reads them.
 *
 * `read_models.proposals` is read by other contexts too (the specs import reads proposal_id,
 * spec_id and status): keep those names and the status values drafted, submitted, accepted,
 * rejected, withdrawn, incorporated.
 *
 * Every change carries what the live layer needs to decide who may see it, without a database
 * lookup: the author organisation and whether the proposal was ever submitted (`public`); a
 * draft is seen by its author organisation only (libs/live/src/visibility.ts).
 */
export const proposalsProjection: Projection = {
  name: 'proposals',
  version: 1,
  tables: ['read_models.proposal_revisions', 'read_models.proposals'],

  async migrate(db: PoolClient): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS read_models.proposals (
        proposal_id            text PRIMARY KEY,
        spec_id                text NOT NULL,
        version                text NOT NULL,
        title                  text NOT NULL,
        -- drafted | submitted | accepted | rejected | withdrawn | incorporated
        status                 text NOT NULL,
        author_person_id       text NOT NULL,
        author_organisation_id text NOT NULL,
        current_revision       integer NOT NULL,
        -- Submitted at some point: then visible to everyone with a role (a withdrawal does not hide it again).
        ever_submitted         boolean NOT NULL DEFAULT false,
        submitted_revision     integer,
        submitted_by_person_id text,
        submitted_at           timestamptz,
        withdrawal_reason      text,
        withdrawn_by_person_id text,
        withdrawn_at           timestamptz,
        -- accepted | rejected, with the rationale and the revision decided on.
        decision               text,
        decision_rationale     text,
        decided_revision       integer,
        decided_by_person_id   text,
        decided_at             timestamptz,
        incorporated_version   text,
        incorporated_at        timestamptz,
        -- Title, requirement ids and titles, proposed texts and reasons of the current revision.
        search_text            text NOT NULL,
        drafted_at             timestamptz NOT NULL,
        updated_at             timestamptz NOT NULL,
        -- The global position of ProposalDrafted: a unique, immutable order for lists.
        drafted_position       text NOT NULL,
        stream_version         bigint NOT NULL,
        position               text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS proposals_spec ON read_models.proposals (spec_id, version, status);
      CREATE INDEX IF NOT EXISTS proposals_author ON read_models.proposals (author_organisation_id);
      CREATE INDEX IF NOT EXISTS proposals_drafted_position ON read_models.proposals (drafted_position);
      CREATE TABLE IF NOT EXISTS read_models.proposal_revisions (
        proposal_id          text NOT NULL REFERENCES read_models.proposals (proposal_id),
        revision             integer NOT NULL,
        title                text NOT NULL,
        -- ProposalChange[] as recorded: changeId, kind, requirementId, requirementTitle, before, after, reason.
        changes              jsonb NOT NULL,
        revised_by_person_id text NOT NULL,
        revised_at           timestamptz NOT NULL,
        position             text NOT NULL,
        PRIMARY KEY (proposal_id, revision)
      );
    `);
  },

  async apply(recorded: RecordedEvent, db: PoolClient, batch?: ProjectionBatch): Promise<readonly ReadModelChange[]> {
    if (!recorded.streamName.startsWith('Proposal-')) return [];
    return withBatch(db, batch, (b) => applyProposalEvent(recorded, db, b));
  },
};

async function applyProposalEvent(recorded: RecordedEvent, db: PoolClient, batch: ProjectionBatch): Promise<readonly ReadModelChange[]> {
  const event = { type: recorded.type, data: recorded.data } as unknown as ProposalEvent;
  const at = recorded.metadata.occurredAt;
  const by = recorded.metadata.actor.personId;
  const p = pending(batch);
  const common = { updated_at: at, stream_version: recorded.revision.toString(), position: formatPosition(recorded.position) };
  let set: Record<string, unknown>;
  switch (event.type) {
    case 'ProposalDrafted': {
      const d = event.data;
      const row: Record<string, unknown> = {
        proposal_id: d.proposalId,
        spec_id: d.specId,
        version: d.version,
        title: d.title,
        status: 'drafted',
        author_person_id: d.authorPersonId,
        author_organisation_id: d.authorOrganisationId,
        current_revision: 1,
        ever_submitted: false,
        search_text: searchText(d.title, d.changes),
        drafted_at: at,
        drafted_position: common.position,
        ...common,
      };
      p.drafted.set(d.proposalId, row);
      p.revisions.push(revision(d.proposalId, 1, d.title, d.changes, by, at, common.position));
      return [proposalChange(d.proposalId, event.type, common.position, row)];
    }
    case 'ProposalRevised': {
      const d = event.data;
      p.revisions.push(revision(d.proposalId, d.revision, d.title, d.changes, by, at, common.position));
      set = { current_revision: d.revision, title: d.title, search_text: searchText(d.title, d.changes) };
      break;
    }
    case 'ProposalSubmitted':
      set = { status: 'submitted', ever_submitted: true, submitted_revision: event.data.revision, submitted_by_person_id: by, submitted_at: at };
      break;
    case 'ProposalWithdrawn':
      set = { status: 'withdrawn', withdrawal_reason: event.data.reason, withdrawn_by_person_id: by, withdrawn_at: at };
      break;
    case 'ProposalAccepted':
    case 'ProposalRejected': {
      const d = event.data;
      const outcome = event.type === 'ProposalAccepted' ? 'accepted' : 'rejected';
      set = { status: outcome, decision: outcome, decision_rationale: d.rationale, decided_revision: d.revision, decided_by_person_id: by, decided_at: at };
      break;
    }
    case 'ProposalIncorporated':
      set = { status: 'incorporated', incorporated_version: event.data.version, incorporated_at: at };
      break;
    default:
      return []; // an event type this read model does not show
  }
  const id = event.data.proposalId;
  const values: Record<string, unknown> = { ...common, ...set };
  const drafted = p.drafted.get(id);
  if (drafted) {
    // Drafted in this transaction: the change goes into the row still to be inserted.
    Object.assign(drafted, values);
    return [proposalChange(id, event.type, common.position, drafted)];
  }
  const columns = Object.keys(values);
  const { rows } = await db.query<Record<string, unknown>>(
    `UPDATE read_models.proposals SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE proposal_id = $1
     RETURNING spec_id, author_organisation_id, ever_submitted`,
    [id, ...columns.map((c) => values[c])],
  );
  return rows[0] ? [proposalChange(id, event.type, common.position, rows[0])] : [];
}

/** Every change carries what the live layer needs to decide who may see it (see above). */
function proposalChange(id: string, type: string, position: string, row: Record<string, unknown>): ReadModelChange {
  return {
    entity: 'proposal',
    id,
    change: type,
    position,
    scope: { specId: row.spec_id as string, authorOrganisationId: row.author_organisation_id as string, public: row.ever_submitted ? 'true' : 'false' },
  };
}

/**
 * Proposals drafted and revisions made in this transaction, inserted at its end: a proposal
 * drafted, revised and submitted within one batch costs two multi-row statements, not five round trips.
 */
interface Pending {
  readonly drafted: Map<string, Record<string, unknown>>;
  readonly revisions: Record<string, unknown>[];
}

function pending(batch: ProjectionBatch): Pending {
  return batch.pending<Pending>('proposals', () => ({ drafted: new Map(), revisions: [] }), writePending);
}

const PROPOSAL_COLUMNS: readonly Column[] = [
  ['proposal_id', 'text'],
  ['spec_id', 'text'],
  ['version', 'text'],
  ['title', 'text'],
  ['status', 'text'],
  ['author_person_id', 'text'],
  ['author_organisation_id', 'text'],
  ['current_revision', 'integer'],
  ['ever_submitted', 'boolean'],
  ['submitted_revision', 'integer'],
  ['submitted_by_person_id', 'text'],
  ['submitted_at', 'timestamptz'],
  ['withdrawal_reason', 'text'],
  ['withdrawn_by_person_id', 'text'],
  ['withdrawn_at', 'timestamptz'],
  ['decision', 'text'],
  ['decision_rationale', 'text'],
  ['decided_revision', 'integer'],
  ['decided_by_person_id', 'text'],
  ['decided_at', 'timestamptz'],
  ['incorporated_version', 'text'],
  ['incorporated_at', 'timestamptz'],
  ['search_text', 'text'],
  ['drafted_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['drafted_position', 'text'],
  ['stream_version', 'bigint'],
  ['position', 'text'],
];
const REVISION_COLUMNS: readonly Column[] = [
  ['proposal_id', 'text'],
  ['revision', 'integer'],
  ['title', 'text'],
  ['changes', 'jsonb'],
  ['revised_by_person_id', 'text'],
  ['revised_at', 'timestamptz'],
  ['position', 'text'],
];

/** The proposals before their revisions (foreign key). */
async function writePending(db: PoolClient, p: Pending): Promise<void> {
  await insertRecords(db, 'read_models.proposals', PROPOSAL_COLUMNS, [...p.drafted.values()]);
  await insertNewRecords(db, 'read_models.proposal_revisions', REVISION_COLUMNS, p.revisions);
}

function revision(
  proposalId: string,
  revision: number,
  title: string,
  changes: readonly ProposalChange[],
  by: string,
  at: string,
  position: string,
): Record<string, unknown> {
  return { proposal_id: proposalId, revision, title, changes, revised_by_person_id: by, revised_at: at, position };
}

/** What the `search` argument of `proposals` matches: the title and the current revision's texts. */
export function searchText(title: string, changes: readonly ProposalChange[]): string {
  const parts = [title];
  for (const c of changes) parts.push(c.requirementId, c.requirementTitle ?? '', c.after ?? '', c.reason);
  return parts.filter((p) => p !== '').join('\n');
}
