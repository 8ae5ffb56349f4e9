import type { PoolClient } from 'pg';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { ProposalChange, ProposalEvent } from '@kyogi/domain/proposals/proposals.events';
import type { Projection, ReadModelChange } from '../projection';

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

  async apply(recorded: RecordedEvent, db: PoolClient): Promise<readonly ReadModelChange[]> {
    if (!recorded.streamName.startsWith('Proposal-')) return [];
    const event = { type: recorded.type, data: recorded.data } as unknown as ProposalEvent;
    const at = recorded.metadata.occurredAt;
    const by = recorded.metadata.actor.personId;
    const version = recorded.revision.toString();
    const position = formatPosition(recorded.position);
    let row: ScopeRow | undefined;
    switch (event.type) {
      case 'ProposalDrafted': {
        const d = event.data;
        const { rows } = await db.query<ScopeRow>(
          `INSERT INTO read_models.proposals (proposal_id, spec_id, version, title, status, author_person_id, author_organisation_id, current_revision,
                                              search_text, drafted_at, updated_at, drafted_position, stream_version, position)
           VALUES ($1, $2, $3, $4, 'drafted', $5, $6, 1, $7, $8, $8, $9, $10, $9)
           RETURNING spec_id, author_organisation_id, ever_submitted`,
          [d.proposalId, d.specId, d.version, d.title, d.authorPersonId, d.authorOrganisationId, searchText(d.title, d.changes), at, position, version],
        );
        row = rows[0];
        await insertRevision(db, d.proposalId, 1, d.title, d.changes, by, at, position);
        break;
      }
      case 'ProposalRevised': {
        const d = event.data;
        row = await touch(db, d.proposalId, at, version, position, 'current_revision = $5, title = $6, search_text = $7', [
          d.revision,
          d.title,
          searchText(d.title, d.changes),
        ]);
        await insertRevision(db, d.proposalId, d.revision, d.title, d.changes, by, at, position);
        break;
      }
      case 'ProposalSubmitted': {
        const d = event.data;
        row = await touch(
          db,
          d.proposalId,
          at,
          version,
          position,
          `status = 'submitted', ever_submitted = true, submitted_revision = $5, submitted_by_person_id = $6, submitted_at = $2`,
          [d.revision, by],
        );
        break;
      }
      case 'ProposalWithdrawn': {
        const d = event.data;
        row = await touch(
          db,
          d.proposalId,
          at,
          version,
          position,
          `status = 'withdrawn', withdrawal_reason = $5, withdrawn_by_person_id = $6, withdrawn_at = $2`,
          [d.reason, by],
        );
        break;
      }
      case 'ProposalAccepted':
      case 'ProposalRejected': {
        const d = event.data;
        const outcome = event.type === 'ProposalAccepted' ? 'accepted' : 'rejected';
        row = await touch(
          db,
          d.proposalId,
          at,
          version,
          position,
          `status = $5, decision = $5, decision_rationale = $6, decided_revision = $7, decided_by_person_id = $8, decided_at = $2`,
          [outcome, d.rationale, d.revision, by],
        );
        break;
      }
      case 'ProposalIncorporated': {
        const d = event.data;
        row = await touch(db, d.proposalId, at, version, position, `status = 'incorporated', incorporated_version = $5, incorporated_at = $2`, [d.version]);
        break;
      }
      default:
        return []; // an event type this read model does not show
    }
    if (!row) return [];
    return [
      {
        entity: 'proposal',
        id: event.data.proposalId,
        change: event.type,
        position,
        scope: { specId: row.spec_id, authorOrganisationId: row.author_organisation_id, public: row.ever_submitted ? 'true' : 'false' },
      },
    ];
  },
};

interface ScopeRow {
  spec_id: string;
  author_organisation_id: string;
  ever_submitted: boolean;
}

/** What the `search` argument of `proposals` matches: the title and the current revision's texts. */
export function searchText(title: string, changes: readonly ProposalChange[]): string {
  const parts = [title];
  for (const c of changes) parts.push(c.requirementId, c.requirementTitle ?? '', c.after ?? '', c.reason);
  return parts.filter((p) => p !== '').join('\n');
}

async function insertRevision(
  db: PoolClient,
  proposalId: string,
  revision: number,
  title: string,
  changes: readonly ProposalChange[],
  by: string,
  at: string,
  position: string,
): Promise<void> {
  await db.query(
    `INSERT INTO read_models.proposal_revisions (proposal_id, revision, title, changes, revised_by_person_id, revised_at, position)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)`,
    [proposalId, revision, title, JSON.stringify(changes), by, at, position],
  );
}

async function touch(db: PoolClient, id: string, at: string, version: string, position: string, set: string, extra: unknown[]): Promise<ScopeRow | undefined> {
  const { rows } = await db.query<ScopeRow>(
    `UPDATE read_models.proposals SET updated_at = $2, stream_version = $3, position = $4, ${set} WHERE proposal_id = $1
     RETURNING spec_id, author_organisation_id, ever_submitted`,
    [id, at, version, position, ...extra],
  );
  return rows[0];
}
