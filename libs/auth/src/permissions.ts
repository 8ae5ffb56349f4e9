/**
 * The authorisation table: one entry per operation, one rule each. To add an operation, add an
 * entry; `Operation` follows from the keys, so every caller of `authorise` is type-checked
 * against the table.
 *
 * The actor always comes from a verified token. The target organisation, when an operation has
 * one, is the organisation the operation acts on (resolved by the caller, e.g. from the command).
 */
import type { Actor, OrganisationKind, Role } from '@kyogi/domain/shared/decider';

export type Authorisation = { readonly allowed: true } | { readonly allowed: false; readonly code: 'FORBIDDEN'; readonly reason: string };

/** A rule returns true when allowed, otherwise the reason it is not (a sentence safe to show a client). */
export type PermissionRule = (actor: Actor, targetOrganisationId: string | undefined) => true | string;

export interface Permission {
  readonly description: string;
  /** Whether the operation acts on one organisation, which the caller must then pass. */
  readonly target: 'required' | 'none';
  readonly rule: PermissionRule;
}

const hasRole = (actor: Actor, role: Role): boolean => actor.roles.includes(role);
const isKind = (actor: Actor, kind: OrganisationKind): boolean => actor.organisationKind === kind;
const isNationalAdmin = (actor: Actor): boolean => hasRole(actor, 'admin') && isKind(actor, 'national');

/** Public-sector records: anyone signed in with any Kyogi role (viewer is enough) may read. */
const anyRole: PermissionRule = (actor) => actor.roles.length > 0 || 'requires at least one Kyogi role (viewer is enough)';

export const PERMISSIONS = {
  'organisation.register': {
    description: 'Register a new organisation',
    target: 'none',
    rule: (actor) => isNationalAdmin(actor) || 'requires the admin role in a national organisation',
  },
  'organisation.addMember': {
    description: 'Add a person to an organisation',
    target: 'required',
    rule: (actor, target) =>
      (hasRole(actor, 'admin') && (actor.organisationId === target || isKind(actor, 'national'))) ||
      'requires the admin role in the target organisation or in a national organisation',
  },
  'organisation.changeMemberRoles': {
    description: "Change a person's roles in an organisation",
    target: 'required',
    rule: (actor, target) =>
      (hasRole(actor, 'admin') && (actor.organisationId === target || isKind(actor, 'national'))) ||
      'requires the admin role in the target organisation or in a national organisation',
  },
  'organisation.deactivate': {
    description: 'Deactivate an organisation (it keeps its history but no longer acts)',
    target: 'required',
    rule: (actor) => isNationalAdmin(actor) || 'requires the admin role in a national organisation',
  },
  'organisation.read': {
    description: 'Read organisations and their members',
    target: 'none',
    rule: anyRole,
  },
  'organisation.readMembers': {
    description: 'Read the people of an organisation (names, e-mails, roles): personal data',
    target: 'required',
    rule: (actor, target) =>
      (actor.organisationId === target && actor.roles.length > 0) ||
      (isKind(actor, 'national') && (hasRole(actor, 'admin') || hasRole(actor, 'coordinator'))) ||
      'requires a role in that organisation, or the admin or coordinator role in a national organisation',
  },
  'me.read': {
    description: 'Read who the caller is',
    target: 'none',
    rule: anyRole,
  },
} as const satisfies Record<string, Permission>;

export type Operation = keyof typeof PERMISSIONS;
export const OPERATIONS = Object.keys(PERMISSIONS) as Operation[];

const ALLOWED: Authorisation = Object.freeze({ allowed: true });
const forbidden = (reason: string): Authorisation => Object.freeze({ allowed: false, code: 'FORBIDDEN', reason });

export function authorise(operation: Operation, actor: Actor, targetOrganisationId?: string): Authorisation {
  if (!Object.hasOwn(PERMISSIONS, operation)) return forbidden(`unknown operation ${JSON.stringify(operation)}`);
  const permission: Permission = PERMISSIONS[operation];
  if (permission.target === 'required' && (typeof targetOrganisationId !== 'string' || targetOrganisationId === '')) {
    return forbidden(`${operation} needs a target organisation`);
  }
  const verdict = permission.rule(actor, targetOrganisationId);
  return verdict === true ? ALLOWED : forbidden(`${operation} ${verdict}`);
}
