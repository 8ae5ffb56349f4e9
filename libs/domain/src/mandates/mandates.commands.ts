import { DomainCommand } from '../shared/decider';
import { MandateScope } from './mandates.events';

export interface GrantMandateData {
  readonly mandateId: string;
  /** Must be the actor's organisation. */
  readonly grantorOrganisationId: string;
  readonly granteeOrganisationId: string;
  readonly scope: MandateScope;
  /** ISO 8601 with a time zone; after the command's now. */
  readonly expiresAt: string;
}
export type GrantMandate = DomainCommand<'GrantMandate', GrantMandateData>;

export interface RevokeMandateData {
  readonly mandateId: string;
  readonly reason: string;
}
export type RevokeMandate = DomainCommand<'RevokeMandate', RevokeMandateData>;

export type MandateCommand = GrantMandate | RevokeMandate;
