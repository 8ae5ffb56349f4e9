import { Actor, assertNever, Decider, Decision, DomainError, Role } from '../shared/decider';
import { cleanLabel, isEntityId, isSpecId } from '../specs/input-rules';
import { GrantMandate, MandateCommand, RevokeMandate } from './mandates.commands';
import { MANDATE_CATEGORY, MandateEvent, MandateGrantedData, MandateScope } from './mandates.events';

/**
 * One stream per mandate: an organisation (grantor) lets another (grantee, usually its
 * prefecture) draft and approve its stances, for one consultation or for every consultation on a
 * spec domain, until an expiry.
 *
 *   ungranted ──grant──▶ granted ──revoke──▶ revoked
 *
 * - grant: an admin or approver of the grantor organisation (the actor's own);
 * - revoke: an admin or approver of the grantor, at any time, with a reason; revoking a revoked
 *   mandate decides nothing.
 *
 * Revocation and expiry stop further use (mandateValidFor is false from then on), but what was
 * cast under the mandate stays: the consultation's events keep the mandateId.
 */

export interface GrantedMandate extends MandateGrantedData {
  readonly status: 'granted';
}
export interface RevokedMandate extends MandateGrantedData {
  readonly status: 'revoked';
  readonly revokedAt: string;
  readonly revocationReason: string;
}
export type MandateState = { readonly status: 'ungranted' } | GrantedMandate | RevokedMandate;

const GRANTING_ROLES: readonly Role[] = ['approver', 'admin'];
const MAX_REASON = 2000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const isGrantorOfficer = (actor: Actor, grantorOrganisationId: string): boolean =>
  actor.organisationId === grantorOrganisationId && actor.roles.some((role) => GRANTING_ROLES.includes(role));

function parseInstant(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function validScope(scope: unknown): MandateScope | null {
  if (scope === null || typeof scope !== 'object') return null;
  const { kind, consultationId, domain } = scope as Record<string, unknown>;
  if (kind === 'consultation' && isEntityId(consultationId)) return { kind, consultationId };
  if (kind === 'domain' && isSpecId(domain)) return { kind, domain };
  return null;
}

export interface MandateUse {
  /** The consultation the stance is for. */
  readonly consultationId: string;
  /** The spec domain of that consultation (its specId), or null when unknown. */
  readonly domain: string | null;
  readonly at: Date;
}

/**
 * Whether the mandate may be used for this consultation at this moment: granted, not revoked,
 * `at` strictly before expiresAt, and the scope covering the consultation (same consultationId,
 * or same domain).
 */
export function mandateValidFor(state: MandateState, use: MandateUse): boolean {
  if (state.status !== 'granted') return false;
  if (use.at.getTime() >= Date.parse(state.expiresAt)) return false;
  return state.scope.kind === 'consultation' ? state.scope.consultationId === use.consultationId : use.domain !== null && state.scope.domain === use.domain;
}

/**
 * The `mandate` lookup for DraftStance / ApproveStance: this mandate when it is valid for the use
 * and granted to `granteeOrganisationId` (the actor's organisation), else null.
 */
export function mandateLookupFor(
  state: MandateState,
  granteeOrganisationId: string,
  use: MandateUse,
): { readonly mandateId: string; readonly grantorOrganisationId: string } | null {
  if (!mandateValidFor(state, use) || state.status !== 'granted' || state.granteeOrganisationId !== granteeOrganisationId) return null;
  return { mandateId: state.mandateId, grantorOrganisationId: state.grantorOrganisationId };
}

function grant(command: GrantMandate, state: MandateState): Decision<MandateEvent> {
  const { data, metadata } = command;
  const { actor, now } = metadata;
  if (!isGrantorOfficer(actor, data.grantorOrganisationId))
    return new DomainError('FORBIDDEN', 'Only an admin or approver of the grantor organisation, its own, grants a mandate.', 'grantorOrganisationId');
  if (state.status !== 'ungranted') return new DomainError('MANDATE_ALREADY_EXISTS', `Mandate ${state.mandateId} exists already.`, 'mandateId');
  if (!isEntityId(data.mandateId)) return new DomainError('INVALID_MANDATE_ID', `${JSON.stringify(data.mandateId)} is not a mandate id.`, 'mandateId');
  if (!isEntityId(data.granteeOrganisationId))
    return new DomainError('INVALID_ORGANISATION_ID', `${JSON.stringify(data.granteeOrganisationId)} is not an organisation id.`, 'granteeOrganisationId');
  if (data.granteeOrganisationId === data.grantorOrganisationId)
    return new DomainError('SELF_MANDATE', 'An organisation cannot mandate itself.', 'granteeOrganisationId');
  const scope = validScope(data.scope);
  if (scope === null)
    return new DomainError('INVALID_SCOPE', "The scope is { kind: 'consultation', consultationId } or { kind: 'domain', domain } (a spec id).", 'scope');
  const expiresAt = parseInstant(data.expiresAt);
  if (expiresAt === null)
    return new DomainError('INVALID_EXPIRES_AT', `expiresAt is an ISO 8601 instant with a time zone; got ${JSON.stringify(data.expiresAt)}.`, 'expiresAt');
  if (expiresAt.getTime() <= now.getTime())
    return new DomainError('INVALID_EXPIRES_AT', `expiresAt ${expiresAt.toISOString()} is not after now (${now.toISOString()}).`, 'expiresAt');
  return [
    {
      type: 'MandateGranted',
      data: {
        mandateId: data.mandateId,
        grantorOrganisationId: data.grantorOrganisationId,
        granteeOrganisationId: data.granteeOrganisationId,
        scope,
        expiresAt: expiresAt.toISOString(),
        grantedAt: now.toISOString(),
        grantedByPersonId: actor.personId,
      },
    },
  ];
}

function revoke(command: RevokeMandate, state: MandateState): Decision<MandateEvent> {
  const { data, metadata } = command;
  const { actor, now } = metadata;
  if (state.status === 'ungranted') return new DomainError('MANDATE_NOT_FOUND', `Mandate ${data.mandateId} does not exist.`, 'mandateId');
  if (state.mandateId !== data.mandateId) throw new Error(`Command for mandate ${data.mandateId} decided against the stream of ${state.mandateId}`);
  if (!isGrantorOfficer(actor, state.grantorOrganisationId))
    return new DomainError('FORBIDDEN', `Only an admin or approver of ${state.grantorOrganisationId} revokes mandate ${state.mandateId}.`);
  if (state.status === 'revoked') return [];
  const reason = cleanLabel(data.reason, MAX_REASON);
  if (reason === null) return new DomainError('INVALID_REASON', `A revocation needs a reason of at most ${MAX_REASON} characters.`, 'reason');
  return [{ type: 'MandateRevoked', data: { mandateId: state.mandateId, reason, revokedAt: now.toISOString(), revokedByPersonId: actor.personId } }];
}

export function evolve(state: MandateState, event: MandateEvent): MandateState {
  switch (event.type) {
    case 'MandateGranted':
      if (state.status !== 'ungranted') throw new Error(`MandateGranted twice in ${state.mandateId}`);
      return { ...event.data, status: 'granted' };
    case 'MandateRevoked':
      if (state.status !== 'granted') throw new Error(`MandateRevoked when the mandate is ${state.status}`);
      return { ...state, status: 'revoked', revokedAt: event.data.revokedAt, revocationReason: event.data.reason };
    default:
      return assertNever(event);
  }
}

export function decide(command: MandateCommand, state: MandateState): Decision<MandateEvent> {
  switch (command.type) {
    case 'GrantMandate':
      return grant(command, state);
    case 'RevokeMandate':
      return revoke(command, state);
    default:
      return assertNever(command);
  }
}

export const initialState = (): MandateState => ({ status: 'ungranted' });

export const mandateDecider: Decider<MandateState, MandateCommand, MandateEvent> = {
  category: MANDATE_CATEGORY,
  decide,
  evolve,
  initialState,
};
