import type { Actor } from '@kyogi/domain/shared/decider';

/** A mandate as the GraphQL API shows it (enums upper-case, as in the schema). */
export interface MandateView {
  readonly id: string;
  readonly grantorOrganisationId: string;
  readonly granteeOrganisationId: string;
  readonly scope: { readonly kind: 'CONSULTATION' | 'DOMAIN'; readonly consultationId: string | null; readonly domain: string | null };
  readonly expiresAt: Date;
  readonly revoked: boolean;
  readonly revokedReason: string | null;
  readonly grantedAt: Date;
  readonly grantedByPersonId: string;
  readonly position: string;
}

export interface MandateRow {
  readonly mandate_id: string;
  readonly grantor_organisation_id: string;
  readonly grantee_organisation_id: string;
  readonly scope_kind: 'consultation' | 'domain';
  readonly consultation_id: string | null;
  readonly domain: string | null;
  readonly expires_at: Date;
  readonly revoked: boolean;
  readonly revoked_reason: string | null;
  readonly granted_at: Date;
  readonly granted_by_person_id: string;
  readonly position: string;
}

export const MANDATE_COLUMNS = `mandate_id, grantor_organisation_id, grantee_organisation_id, scope_kind, consultation_id, domain, expires_at, revoked,
  revoked_reason, granted_at, granted_by_person_id, position`;

export const toMandateView = (row: MandateRow): MandateView => ({
  id: row.mandate_id,
  grantorOrganisationId: row.grantor_organisation_id,
  granteeOrganisationId: row.grantee_organisation_id,
  scope: { kind: row.scope_kind === 'consultation' ? 'CONSULTATION' : 'DOMAIN', consultationId: row.consultation_id, domain: row.domain },
  expiresAt: row.expires_at,
  revoked: row.revoked,
  revokedReason: row.revoked_reason,
  grantedAt: row.granted_at,
  grantedByPersonId: row.granted_by_person_id,
  position: row.position,
});

/** National admins and coordinators see every mandate; everyone else those its organisation granted or holds (as libs/live's mandateVisibleTo). */
export const seesAllMandates = (actor: Actor): boolean =>
  actor.organisationKind === 'national' && (actor.roles.includes('admin') || actor.roles.includes('coordinator'));

/** SQL condition on read_models.mandates; `organisationParam` is the actor's organisation id. */
export const mandateVisibleSql = (actor: Actor, organisationParam: string): string =>
  seesAllMandates(actor)
    ? `${organisationParam}::text IS NOT NULL`
    : `(grantor_organisation_id = ${organisationParam} OR grantee_organisation_id = ${organisationParam})`;
