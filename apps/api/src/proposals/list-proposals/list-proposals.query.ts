import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { DomainError, type Actor } from '@kyogi/domain/shared/decider';
import type { ProposalStatus } from '@kyogi/domain/proposals/proposals.decider';
import { READ_DB } from '../../platform/tokens';
import { PROPOSAL_COLUMNS, toProposalView, visibleToActorSql, type ProposalRow, type ProposalView } from '../proposal.view';

export interface ProposalFilter {
  readonly specId: string | null;
  readonly specVersion: string | null;
  readonly statuses: readonly ProposalStatus[] | null;
  readonly authorOrganisationId: string | null;
  readonly search: string | null;
}

export class ListProposalsQuery {
  constructor(
    readonly actor: Actor,
    readonly filter: ProposalFilter,
    readonly first: number,
    readonly after: string | null,
  ) {}
}

export interface ProposalPage {
  readonly edges: { cursor: string; node: ProposalView }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly totalCount: number;
}

export const MAX_PAGE = 200;
const POSITION = /^[0-9a-f]{16}\.[0-9a-f]{16}$/;

const encodeCursor = (draftedPosition: string) => Buffer.from(draftedPosition).toString('base64url');
function decodeCursor(cursor: string): string | DomainError {
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  return POSITION.test(position) ? position : new DomainError('INVALID_CURSOR', 'after must be an endCursor returned by an earlier page', 'after');
}

/**
 * Newest first, by the position of ProposalDrafted (unique and immutable, so pages stay stable
 * while proposals are drafted and revised). Another organisation's drafts are never counted or listed.
 */
@QueryHandler(ListProposalsQuery)
export class ListProposalsHandler implements IQueryHandler<ListProposalsQuery, ProposalPage | DomainError> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ actor, filter, first, after }: ListProposalsQuery): Promise<ProposalPage | DomainError> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
      return new DomainError('INVALID_PAGE_SIZE', `first must be between 1 and ${MAX_PAGE}`, 'first');
    const params: unknown[] = [actor.organisationId];
    const where: string[] = [visibleToActorSql('$1')];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.specId !== null) add((p) => `spec_id = ${p}`, filter.specId);
    if (filter.specVersion !== null) add((p) => `version = ${p}`, filter.specVersion);
    if (filter.statuses !== null && filter.statuses.length > 0) add((p) => `status = ANY(${p}::text[])`, filter.statuses);
    if (filter.authorOrganisationId !== null) add((p) => `author_organisation_id = ${p}`, filter.authorOrganisationId);
    if (filter.search?.trim()) add((p) => `search_text ILIKE ${p}`, `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const total = await this.db.query<{ count: string }>(`SELECT count(*) FROM read_models.proposals WHERE ${where.join(' AND ')}`, params);

    if (after !== null) {
      const position = decodeCursor(after);
      if (position instanceof DomainError) return position;
      add((p) => `drafted_position < ${p}`, position);
    }
    params.push(first + 1);
    const { rows } = await this.db.query<ProposalRow>(
      `SELECT ${PROPOSAL_COLUMNS} FROM read_models.proposals WHERE ${where.join(' AND ')} ORDER BY drafted_position DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, first);
    const edges = page.map((row) => ({ cursor: encodeCursor(row.drafted_position), node: toProposalView(row) }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: Number(total.rows[0].count) };
  }
}
