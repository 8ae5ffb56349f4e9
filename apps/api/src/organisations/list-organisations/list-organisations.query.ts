import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { OrganisationKind } from '@kyogi/domain/shared/decider';
import { DomainError } from '@kyogi/domain/shared/decider';
import { READ_DB } from '../../platform/tokens';
import { ORGANISATION_COLUMNS, toOrganisationView, type OrganisationRow, type OrganisationView } from '../organisation.view';

export class ListOrganisationsQuery {
  constructor(
    readonly filter: { kind: OrganisationKind | null; prefectureCode: string | null; search: string | null; includeInactive: boolean },
    readonly first: number,
    readonly after: string | null,
  ) {}
}

export interface OrganisationPage {
  readonly edges: { cursor: string; node: OrganisationView }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly totalCount: number;
}

export const MAX_PAGE = 200;
const KIND_ORDER = `array_position(ARRAY['national','prefecture','municipality','vendor','observer'], kind)`;

type CursorKey = [number, string, string];
const encodeCursor = (key: CursorKey) => Buffer.from(JSON.stringify(key)).toString('base64url');
function decodeCursor(cursor: string): CursorKey | DomainError {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === 3 && typeof key[0] === 'number' && typeof key[1] === 'string' && typeof key[2] === 'string')
      return key as CursorKey;
  } catch {
    // fall through
  }
  return new DomainError('INVALID_CURSOR', 'after must be an endCursor returned by an earlier page', 'after');
}

/** Keyset pagination over (kind, code, id): stable while organisations are being registered. */
@QueryHandler(ListOrganisationsQuery)
export class ListOrganisationsHandler implements IQueryHandler<ListOrganisationsQuery, OrganisationPage | DomainError> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ filter, first, after }: ListOrganisationsQuery): Promise<OrganisationPage | DomainError> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
      return new DomainError('INVALID_PAGE_SIZE', `first must be between 1 and ${MAX_PAGE}`, 'first');
    if (filter.prefectureCode !== null && !/^(0[1-9]|[1-3]\d|4[0-7])$/.test(filter.prefectureCode)) {
      return new DomainError('INVALID_PREFECTURE_CODE', 'prefectureCode must be two digits from 01 to 47', 'prefectureCode');
    }
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (!filter.includeInactive) where.push('active');
    if (filter.kind) add((p) => `kind = ${p}`, filter.kind);
    if (filter.prefectureCode) add((p) => `prefecture_code = ${p}`, filter.prefectureCode);
    if (filter.search?.trim()) {
      const pattern = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      add((p) => `(name ILIKE ${p} OR name_kana ILIKE ${p} OR code LIKE ${p})`, pattern);
    }
    const filterSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.db.query<{ count: string }>(`SELECT count(*) FROM read_models.organisations ${filterSql}`, params);

    const pageWhere = [...where];
    const pageParams = [...params];
    if (after !== null) {
      const key = decodeCursor(after);
      if (key instanceof DomainError) return key;
      pageParams.push(...key);
      const n = pageParams.length;
      pageWhere.push(`(${KIND_ORDER}, coalesce(code, ''), id) > ($${n - 2}::int, $${n - 1}::text, $${n}::text)`);
    }
    pageParams.push(first + 1);
    const { rows } = await this.db.query<OrganisationRow & { kind_order: number }>(
      `SELECT ${ORGANISATION_COLUMNS}, ${KIND_ORDER} AS kind_order FROM read_models.organisations
        ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''}
        ORDER BY ${KIND_ORDER}, coalesce(code, ''), id LIMIT $${pageParams.length}`,
      pageParams,
    );
    const page = rows.slice(0, first);
    const edges = page.map((row) => ({ cursor: encodeCursor([row.kind_order, row.code ?? '', row.id]), node: toOrganisationView(row) }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: Number(total.rows[0].count) };
  }
}
