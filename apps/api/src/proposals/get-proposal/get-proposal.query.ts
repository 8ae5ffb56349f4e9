import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { Actor } from '@kyogi/domain/shared/decider';
import { READ_DB } from '../../platform/tokens';
import {
  PROPOSAL_COLUMNS,
  toProposalView,
  toRevisionView,
  visibleToActorSql,
  type ProposalRevisionView,
  type ProposalRow,
  type ProposalView,
  type RevisionRow,
} from '../proposal.view';

/** One proposal, if it exists and the actor may see it (another organisation's draft does not exist for them). */
export class GetProposalQuery {
  constructor(
    readonly id: string,
    readonly actor: Actor,
  ) {}
}

@QueryHandler(GetProposalQuery)
export class GetProposalHandler implements IQueryHandler<GetProposalQuery, ProposalView | null> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ id, actor }: GetProposalQuery): Promise<ProposalView | null> {
    if (actor.roles.length === 0) return null;
    const { rows } = await this.db.query<ProposalRow>(
      `SELECT ${PROPOSAL_COLUMNS} FROM read_models.proposals WHERE proposal_id = $1 AND ${visibleToActorSql('$2')}`,
      [id, actor.organisationId],
    );
    return rows[0] ? toProposalView(rows[0]) : null;
  }
}

/**
 * Revisions of a proposal the caller already may see (a field of a Proposal): all, oldest first,
 * or the one numbered `revision`.
 */
export class GetProposalRevisionsQuery {
  constructor(
    readonly proposalId: string,
    readonly revision?: number,
  ) {}
}

@QueryHandler(GetProposalRevisionsQuery)
export class GetProposalRevisionsHandler implements IQueryHandler<GetProposalRevisionsQuery, ProposalRevisionView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ proposalId, revision }: GetProposalRevisionsQuery): Promise<ProposalRevisionView[]> {
    const { rows } = await this.db.query<RevisionRow>(
      `SELECT proposal_id, revision, title, changes, revised_by_person_id, revised_at FROM read_models.proposal_revisions
        WHERE proposal_id = $1 AND ($2::int IS NULL OR revision = $2) ORDER BY revision`,
      [proposalId, revision ?? null],
    );
    return rows.map(toRevisionView);
  }
}
