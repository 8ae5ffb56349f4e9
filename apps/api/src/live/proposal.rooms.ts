/**
 * The proposals context's live room:
 * - `proposal:<id>` — every change of one proposal (drafted, revised, submitted, decided, …) and of
 *   every comment on it (posted, edited, retracted, disposed, reactions).
 * Joining needs `proposal.read` and a proposal the actor may see: another organisation's draft
 * does not exist for them (an async check on the read model). What reaches a member is filtered
 * again per change by maySee (libs/live/src/visibility.ts), on the change's own scope.
 */
import type { Pool } from 'pg';
import { authorise, type Authorisation } from '@kyogi/auth/permissions';
import { proposalVisibleTo, type ProposalVisibilityFacts } from '@kyogi/domain/proposals/proposals.decider';
import type { RoomKind } from '@kyogi/live/rooms';

/** Proposal ids: a ULID, a UUID or a slug (the decider's isEntityId). */
const PROPOSAL_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Whether a proposal exists, and what its visibility depends on. */
export type ProposalVisibilityLookup = (proposalId: string) => Promise<ProposalVisibilityFacts | null>;

export const proposalVisibilityFromReadModel =
  (db: Pick<Pool, 'query'>): ProposalVisibilityLookup =>
  async (proposalId) => {
    const { rows } = await db.query<{ author_organisation_id: string; ever_submitted: boolean }>(
      'SELECT author_organisation_id, ever_submitted FROM read_models.proposals WHERE proposal_id = $1',
      [proposalId],
    );
    return rows[0] ? { authorOrganisationId: rows[0].author_organisation_id, everSubmitted: rows[0].ever_submitted } : null;
  };

export function proposalRoom(lookup: ProposalVisibilityLookup): RoomKind {
  return {
    kind: 'proposal',
    id: PROPOSAL_ID,
    description: 'a proposal id (a ULID such as 01JQ7Z8K3M4N5P6Q7R8S9T0V1W)',
    async canJoin(actor, id): Promise<Authorisation> {
      const mayRead = authorise('proposal.read', actor);
      if (!mayRead.allowed) return mayRead;
      const facts = await lookup(id);
      // The same answer for a missing proposal and another organisation's draft.
      if (!facts || !proposalVisibleTo(facts, actor)) return { allowed: false, code: 'FORBIDDEN', reason: `there is no proposal ${id} that you may see` };
      return mayRead;
    },
    idsOf: (change) => (change.entity === 'proposal' ? [change.id] : change.entity === 'comment' ? [change.scope.proposalId] : []),
  };
}
