import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { DomainError } from '@kyogi/domain/shared/decider';
import { READ_DB } from '../../platform/tokens';
import { decodeCursor, encodeCursor, likePattern, MAX_PAGE, SPEC_COLUMNS, toSpecView, type SpecRow, type SpecView } from '../spec.view';

export class ListSpecsQuery {
  constructor(
    readonly filter: { domain: string | null; ownerOrganisationId: string | null; search: string | null },
    readonly first: number,
    readonly after: string | null,
  ) {}
}

export interface SpecPage {
  readonly edges: { cursor: string; node: SpecView }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly totalCount: number;
}

const isSpecCursor = (key: unknown): key is [string] => Array.isArray(key) && key.length === 1 && typeof key[0] === 'string';

/** Keyset pagination over the spec id: stable while specs are being created. */
@QueryHandler(ListSpecsQuery)
export class ListSpecsHandler implements IQueryHandler<ListSpecsQuery, SpecPage | DomainError> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ filter, first, after }: ListSpecsQuery): Promise<SpecPage | DomainError> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
      return new DomainError('INVALID_PAGE_SIZE', `first must be between 1 and ${MAX_PAGE}`, 'first');
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.domain?.trim()) add((p) => `domain = ${p}`, filter.domain.trim());
    if (filter.ownerOrganisationId?.trim()) add((p) => `owner_organisation_id = ${p}`, filter.ownerOrganisationId.trim());
    if (filter.search?.trim()) add((p) => `(spec_id ILIKE ${p} OR title ILIKE ${p} OR domain ILIKE ${p})`, likePattern(filter.search.trim()));
    const total = await this.db.query<{ count: string }>(
      `SELECT count(*) FROM read_models.specs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );

    if (after !== null) {
      const key = decodeCursor(after, isSpecCursor);
      if (key === null) return new DomainError('INVALID_CURSOR', 'after must be an endCursor returned by an earlier page', 'after');
      add((p) => `spec_id > ${p}`, key[0]);
    }
    params.push(first + 1);
    const { rows } = await this.db.query<SpecRow>(
      `SELECT ${SPEC_COLUMNS} FROM read_models.specs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY spec_id LIMIT $${params.length}`,
      params,
    );
    const edges = rows.slice(0, first).map((row) => ({ cursor: encodeCursor([row.spec_id]), node: toSpecView(row) }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: Number(total.rows[0].count) };
  }
}
