import { DomainEvent, OrganisationKind, Role, streamName } from '../shared/decider';

export const ORGANISATION_CATEGORY = 'Organisation';

/** `Organisation-<organisationId>`; for prefectures and municipalities the id is the 6-digit code. */
export const organisationStreamName = (organisationId: string): string => streamName(ORGANISATION_CATEGORY, organisationId);

export interface OrganisationRegisteredData {
  readonly organisationId: string;
  readonly kind: OrganisationKind;
  readonly name: string;
  readonly nameKana: string | null;
  /** 全国地方公共団体コード (6 digits) of a prefecture or municipality; null for other kinds. */
  readonly code: string | null;
  /** JIS X 0401 (2 digits) for prefectures and municipalities; null for other kinds. */
  readonly prefectureCode: string | null;
  /** A municipality's prefecture (its organisation id); null for other kinds. */
  readonly parentId: string | null;
  /** false for bodies that exist in law but do not act, e.g. the Northern Territories villages. */
  readonly active: boolean;
  readonly population: number | null;
}
export type OrganisationRegistered = DomainEvent<'OrganisationRegistered', OrganisationRegisteredData>;

export interface MemberAddedData {
  readonly organisationId: string;
  readonly personId: string;
  readonly displayName: string;
  readonly email: string;
  /** Unique and in the order of ROLES. */
  readonly roles: readonly Role[];
}
export type MemberAdded = DomainEvent<'MemberAdded', MemberAddedData>;

export interface MemberRolesChangedData {
  readonly organisationId: string;
  readonly personId: string;
  /** The member's complete new role set, unique and in the order of ROLES. */
  readonly roles: readonly Role[];
}
export type MemberRolesChanged = DomainEvent<'MemberRolesChanged', MemberRolesChangedData>;

export interface OrganisationDeactivatedData {
  readonly organisationId: string;
  readonly reason: string;
}
export type OrganisationDeactivated = DomainEvent<'OrganisationDeactivated', OrganisationDeactivatedData>;

export type OrganisationEvent = OrganisationRegistered | MemberAdded | MemberRolesChanged | OrganisationDeactivated;
