import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { DomainError } from '@kyogi/domain/shared/decider';
import type { RequirementCategory } from '@kyogi/domain/specs/specs.events';
import { READ_DB } from '../../platform/tokens';
import {
  decodeCursor,
  encodeCursor,
  likePattern,
  MAX_PAGE,
  REQUIREMENT_COLUMNS,
  toRequirementView,
  type RequirementRow,
  type RequirementView,
} from '../spec.view';

export class ListRequirementsQuery {
  constructor(
    readonly specId: string,
    readonly version: string,
    readonly filter: { search: string | null; category: RequirementCategory | null },
    readonly first: number,
    readonly after: string | null,
  ) {}
}

export interface RequirementPage {
  readonly edges: { cursor: string; node: RequirementView }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly totalCount: number;
}

const isOrdinalCursor = (key: unknown): key is [number] => Array.isArray(key) && key.length === 1 && Number.isInteger(key[0]);

/** A version's requirements in document order: keyset pagination over the ordinal. */
@QueryHandler(ListRequirementsQuery)
export class ListRequirementsHandler implements IQueryHandler<ListRequirementsQuery, RequirementPage | DomainError> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ specId, version, filter, first, after }: ListRequirementsQuery): Promise<RequirementPage | DomainError> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
      return new DomainError('INVALID_PAGE_SIZE', `first must be between 1 and ${MAX_PAGE}`, 'first');
    const params: unknown[] = [specId, version];
    const where = ['spec_id = $1', 'version = $2'];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.category) add((p) => `category = ${p}`, filter.category);
    if (filter.search?.trim()) add((p) => `(requirement_id ILIKE ${p} OR title ILIKE ${p} OR text ILIKE ${p})`, likePattern(filter.search.trim()));
    const total = await this.db.query<{ count: string }>(`SELECT count(*) FROM read_models.requirements WHERE ${where.join(' AND ')}`, params);

    if (after !== null) {
      const key = decodeCursor(after, isOrdinalCursor);
      if (key === null) return new DomainError('INVALID_CURSOR', 'after must be an endCursor returned by an earlier page', 'after');
      add((p) => `ordinal > ${p}`, key[0]);
    }
    params.push(first + 1);
    const { rows } = await this.db.query<RequirementRow>(
      `SELECT ${REQUIREMENT_COLUMNS} FROM read_models.requirements WHERE ${where.join(' AND ')} ORDER BY ordinal LIMIT $${params.length}`,
      params,
    );
    const edges = rows.slice(0, first).map((row) => ({ cursor: encodeCursor([row.ordinal]), node: toRequirementView(row) }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: Number(total.rows[0].count) };
  }
}
