import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler, type QueryBus } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { Actor } from '@kyogi/domain/shared/decider';
import { READ_DB } from '../../platform/tokens';
import { preparedStatement } from '../../graphql/prepared-statement';
import { requestLoader } from '../../graphql/batch-loader';
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
      preparedStatement(`SELECT ${PROPOSAL_COLUMNS} FROM read_models.proposals WHERE proposal_id = $1 AND ${visibleToActorSql('$2')}`, [
        id,
        actor.organisationId,
      ]),
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

/** Every revision, oldest first, of each of the proposals (the caller already may see them). */
export class GetRevisionsOfProposalsQuery {
  constructor(readonly proposalIds: readonly string[]) {}
}

@QueryHandler(GetRevisionsOfProposalsQuery)
export class GetRevisionsOfProposalsHandler implements IQueryHandler<GetRevisionsOfProposalsQuery, Map<string, ProposalRevisionView[]>> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ proposalIds }: GetRevisionsOfProposalsQuery): Promise<Map<string, ProposalRevisionView[]>> {
    const { rows } = await this.db.query<RevisionRow>(
      preparedStatement(
        `SELECT proposal_id, revision, title, changes, revised_by_person_id, revised_at FROM read_models.proposal_revisions
          WHERE proposal_id = ANY($1::text[]) ORDER BY proposal_id, revision`,
        [proposalIds],
      ),
    );
    const byProposal = new Map<string, ProposalRevisionView[]>(proposalIds.map((id) => [id, []]));
    for (const row of rows) byProposal.get(row.proposal_id)?.push(toRevisionView(row));
    return byProposal;
  }
}

/**
 * A proposal's revisions, read once per request for all the fields that need them (`changes` and
 * `revisions` of one page share one query; a list of proposals, one for all of them). Keyed by the
 * proposal's position too: a proposal read again after a mutation of the same request reads again.
 */
export async function loadRevisions(context: object, queries: QueryBus, proposal: Pick<ProposalView, 'id' | 'position'>): Promise<ProposalRevisionView[]> {
  const revisions = await requestLoader<string, ProposalRevisionView[]>(context, 'proposal-revisions', async (keys) => {
    const byProposal = await queries.execute<GetRevisionsOfProposalsQuery, Map<string, ProposalRevisionView[]>>(
      new GetRevisionsOfProposalsQuery([...new Set(keys.map(proposalIdOf))]),
    );
    return new Map(keys.map((key) => [key, byProposal.get(proposalIdOf(key)) ?? []]));
  }).load(`${proposal.id}\n${proposal.position}`);
  return revisions ?? [];
}

const proposalIdOf = (key: string) => key.slice(0, key.indexOf('\n'));
