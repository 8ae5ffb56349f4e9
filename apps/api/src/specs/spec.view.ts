import type { RequirementCategory } from '@kyogi/domain/specs/specs.events';
import type { RequirementCategory as GraphqlRequirementCategory } from '../graphql/generated/schema-types';

/** A spec as the GraphQL API shows it. */
export interface SpecView {
  readonly id: string;
  readonly title: string;
  readonly domain: string;
  readonly ownerOrganisationId: string;
  /** The version string; the field resolver turns it into the SpecVersion. */
  readonly latestVersionNumber: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly revision: number;
}

export interface SpecVersionView {
  readonly specId: string;
  readonly version: string;
  readonly publishedAt: Date;
  readonly requirementCount: number;
  readonly incorporatedProposalIds: readonly string[];
}

export interface RequirementView {
  readonly specId: string;
  readonly version: string;
  readonly requirementId: string;
  readonly title: string;
  readonly text: string;
  readonly category: GraphqlRequirementCategory;
  readonly categoryLabel: RequirementCategory;
  readonly ordinal: number;
}

/** The GraphQL enum of each category: keyed by the domain's list, so a new category fails to compile until it has one. */
export const CATEGORY_ENUM: Readonly<Record<RequirementCategory, GraphqlRequirementCategory>> = {
  実装必須: 'MANDATORY',
  標準オプション: 'STANDARD_OPTION',
  実装不可: 'PROHIBITED',
};

export const categoryOfEnum = (value: GraphqlRequirementCategory): RequirementCategory =>
  (Object.keys(CATEGORY_ENUM) as RequirementCategory[]).find((label) => CATEGORY_ENUM[label] === value)!;

export interface SpecRow {
  spec_id: string;
  title: string;
  domain: string;
  owner_organisation_id: string;
  latest_version: string | null;
  created_at: Date;
  updated_at: Date;
  version: string;
}

export const SPEC_COLUMNS = 'spec_id, title, domain, owner_organisation_id, latest_version, created_at, updated_at, version';

export const toSpecView = (row: SpecRow): SpecView => ({
  id: row.spec_id,
  title: row.title,
  domain: row.domain,
  ownerOrganisationId: row.owner_organisation_id,
  latestVersionNumber: row.latest_version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  revision: Number(row.version),
});

export interface SpecVersionRow {
  spec_id: string;
  version: string;
  published_at: Date;
  requirement_count: number;
  incorporated_proposal_ids: string[];
}

export const SPEC_VERSION_COLUMNS = 'spec_id, version, published_at, requirement_count, incorporated_proposal_ids';

export const toSpecVersionView = (row: SpecVersionRow): SpecVersionView => ({
  specId: row.spec_id,
  version: row.version,
  publishedAt: row.published_at,
  requirementCount: row.requirement_count,
  incorporatedProposalIds: row.incorporated_proposal_ids,
});

export interface RequirementRow {
  spec_id: string;
  version: string;
  requirement_id: string;
  title: string;
  text: string;
  category: RequirementCategory;
  ordinal: number;
}

export const REQUIREMENT_COLUMNS = 'spec_id, version, requirement_id, title, text, category, ordinal';

export const toRequirementView = (row: RequirementRow): RequirementView => ({
  specId: row.spec_id,
  version: row.version,
  requirementId: row.requirement_id,
  title: row.title,
  text: row.text,
  category: CATEGORY_ENUM[row.category],
  categoryLabel: row.category,
  ordinal: row.ordinal,
});

/** Keyset cursors: the sort key as base64url JSON, opaque to clients. */
export const encodeCursor = (key: unknown): string => Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor<T>(cursor: string, valid: (key: unknown) => key is T): T | null {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return valid(key) ? key : null;
  } catch {
    return null;
  }
}

export const MAX_PAGE = 200;

/** A substring pattern for ILIKE, with the wildcards in the search escaped. */
export const likePattern = (search: string): string => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
