import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { DomainError, type Actor } from '@kyogi/domain/shared/decider';
import { READ_DB } from '../../platform/tokens';
import { preparedStatement } from '../../graphql/prepared-statement';
import { CONSULTATION_COLUMNS, toConsultationView, type ConsultationRow, type ConsultationView } from '../consultation.view';

export class ListConsultationsQuery {
  constructor(
    readonly actor: Actor,
    readonly proposalId: string | null,
    readonly status: 'open' | 'closed' | null,
    readonly first: number,
    readonly after: string | null,
  ) {}
}

export interface ConsultationPage {
  readonly edges: { cursor: string; node: ConsultationView }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly totalCount: number;
}

export const MAX_PAGE = 200;
const POSITION = /^[0-9a-f]{16}\.[0-9a-f]{16}$/;
const encodeCursor = (openedPosition: string) => Buffer.from(openedPosition).toString('base64url');

/** Newest first, by the position of ConsultationOpened (unique and immutable). */
@QueryHandler(ListConsultationsQuery)
export class ListConsultationsHandler implements IQueryHandler<ListConsultationsQuery, ConsultationPage | DomainError> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ actor, proposalId, status, first, after }: ListConsultationsQuery): Promise<ConsultationPage | DomainError> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
      return new DomainError('INVALID_PAGE_SIZE', `first must be between 1 and ${MAX_PAGE}`, 'first');
    const empty = { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
    if (actor.roles.length === 0) return empty;
    const params: unknown[] = [proposalId, status];
    const where = ['($1::text IS NULL OR proposal_id = $1)', '($2::text IS NULL OR status = $2)'];
    const filter = where.join(' AND ');
    if (after !== null) {
      const position = Buffer.from(after, 'base64url').toString('utf8');
      if (!POSITION.test(position)) return new DomainError('INVALID_CURSOR', 'after must be an endCursor returned by an earlier page', 'after');
      params.push(position);
      where.push(`opened_position < $${params.length}`);
    }
    params.push(first + 1);
    // The total and the page in one statement (one snapshot): the total's row comes back, page columns null, when the page is empty.
    const { rows: found } = await this.db.query<{ total_count: string } & Partial<ConsultationRow>>(
      preparedStatement(
        `WITH total AS (SELECT count(*) AS total_count FROM read_models.consultations WHERE ${filter})
       SELECT total.total_count, page.* FROM total LEFT JOIN LATERAL (
         SELECT ${CONSULTATION_COLUMNS} FROM read_models.consultations WHERE ${where.join(' AND ')} ORDER BY opened_position DESC LIMIT $${params.length}
       ) page ON true
       ORDER BY page.opened_position DESC`,
        params,
      ),
    );
    const totalCount = Number(found[0].total_count);
    const rows = found.filter((row): row is { total_count: string } & ConsultationRow => row.consultation_id != null);
    const edges = rows.slice(0, first).map((row) => ({ cursor: encodeCursor(row.opened_position), node: toConsultationView(row) }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
  }
}
