import type { OrganisationKind, Role } from '@kyogi/domain/shared/decider';

/** An organisation as the GraphQL API shows it (enums upper-case, as in the schema). */
export interface OrganisationView {
  readonly id: string;
  readonly kind: Uppercase<OrganisationKind>;
  readonly name: string;
  readonly nameKana: string | null;
  readonly code: string | null;
  readonly prefectureCode: string | null;
  readonly parentId: string | null;
  readonly active: boolean;
  readonly population: number | null;
  readonly memberCount: number;
  readonly registeredAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export interface MemberView {
  readonly personId: string;
  readonly organisationId: string;
  readonly displayName: string;
  readonly email: string;
  readonly roles: readonly Uppercase<Role>[];
}

export interface OrganisationRow {
  id: string;
  kind: OrganisationKind;
  name: string;
  name_kana: string | null;
  code: string | null;
  prefecture_code: string | null;
  parent_id: string | null;
  active: boolean;
  population: number | null;
  member_count: number;
  registered_at: Date;
  updated_at: Date;
  version: string;
}

export const ORGANISATION_COLUMNS =
  'id, kind, name, name_kana, code, prefecture_code, parent_id, active, population, member_count, registered_at, updated_at, version';

export function toOrganisationView(row: OrganisationRow): OrganisationView {
  return {
    id: row.id,
    kind: row.kind.toUpperCase() as Uppercase<OrganisationKind>,
    name: row.name,
    nameKana: row.name_kana,
    code: row.code,
    prefectureCode: row.prefecture_code,
    parentId: row.parent_id,
    active: row.active,
    population: row.population,
    memberCount: row.member_count,
    registeredAt: row.registered_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

export interface MemberRow {
  person_id: string;
  organisation_id: string;
  display_name: string;
  email: string;
  roles: Role[];
}

export const toMemberView = (row: MemberRow): MemberView => ({
  personId: row.person_id,
  organisationId: row.organisation_id,
  displayName: row.display_name,
  email: row.email,
  roles: row.roles.map((r) => r.toUpperCase() as Uppercase<Role>),
});
