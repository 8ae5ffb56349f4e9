/**
 * The API's own permission table (libs/auth/src/permissions.ts, pure code), so that the client
 * offers exactly the actions the server would allow. The server still decides: a hidden button
 * is a courtesy, not a guard.
 */
import { authorise, type Operation } from '../../../../libs/auth/src/permissions';
import type { Me } from './session';

export function may(me: Me | null, operation: Operation, targetOrganisationId?: string): boolean {
  if (!me?.organisation) return false;
  const actor = { personId: me.personId, organisationId: me.organisation.id, organisationKind: me.organisation.kind, roles: me.roles };
  return authorise(operation, actor, targetOrganisationId).allowed;
}
