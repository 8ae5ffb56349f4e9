import { DomainCommand, OrganisationKind, Role } from '../shared/decider';

export interface RegisterOrganisationData {
  /** The 6-digit code for prefectures and municipalities; else a slug `[a-z0-9-]{2,64}` or a ULID. */
  readonly organisationId: string;
  readonly kind: OrganisationKind;
  readonly name: string;
  readonly nameKana: string | null;
  readonly code: string | null;
  readonly prefectureCode: string | null;
  readonly parentId: string | null;
  readonly active: boolean;
  readonly population: number | null;
}
export type RegisterOrganisation = DomainCommand<'RegisterOrganisation', RegisterOrganisationData>;

export interface AddMemberData {
  readonly organisationId: string;
  readonly personId: string;
  readonly displayName: string;
  readonly email: string;
  readonly roles: readonly Role[];
}
export type AddMember = DomainCommand<'AddMember', AddMemberData>;

export interface ChangeMemberRolesData {
  readonly organisationId: string;
  readonly personId: string;
  readonly roles: readonly Role[];
}
export type ChangeMemberRoles = DomainCommand<'ChangeMemberRoles', ChangeMemberRolesData>;

export interface DeactivateOrganisationData {
  readonly organisationId: string;
  readonly reason: string;
}
export type DeactivateOrganisation = DomainCommand<'DeactivateOrganisation', DeactivateOrganisationData>;

export type OrganisationCommand = RegisterOrganisation | AddMember | ChangeMemberRoles | DeactivateOrganisation;
