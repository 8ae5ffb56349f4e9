import { Actor, assertNever, Decider, Decision, DomainError, ORGANISATION_KINDS, OrganisationKind, Role, ROLES } from '../shared/decider';
import { prefectureLocalGovCode, validateLocalGovCode } from './check-digit';
import { AddMember, ChangeMemberRoles, DeactivateOrganisation, OrganisationCommand, RegisterOrganisation } from './organisations.commands';
import { ORGANISATION_CATEGORY, OrganisationEvent, OrganisationRegistered } from './organisations.events';

/**
 * One stream per organisation. Who may do what:
 * - register, deactivate: an admin of a national body (the platform operators);
 * - add members, change roles: an admin of the organisation itself or of a national body.
 *
 * Bootstrapping: the actor comes from a verified token and the decider cannot (and need not)
 * look up the actor's own organisation, so the seeding actor `{ personId: 'system',
 * organisationId: 'digital-agency', organisationKind: 'national', roles: ['admin'] }` passes the
 * rule above and can register デジタル庁 itself first, then everything else.
 *
 * Checks run in this order, so a caller sees the most fundamental problem first: the stream's
 * existence, the actor's permission, the organisation being active, the input, then conflicts
 * with existing members.
 */

export interface RegisteredOrganisation {
  readonly status: 'registered';
  readonly organisationId: string;
  readonly kind: OrganisationKind;
  readonly active: boolean;
  /** personId → roles (unique, in the order of ROLES). */
  readonly members: ReadonlyMap<string, readonly Role[]>;
}

export type OrganisationState = { readonly status: 'unregistered' } | RegisteredOrganisation;

const MAX_NAME = 200;
const MAX_REASON = 2000;
const MAX_PERSON_ID = 255;
const MAX_EMAIL = 254;
const LOCAL_GOV_KINDS: readonly OrganisationKind[] = ['prefecture', 'municipality'];
const SLUG = /^[a-z0-9-]{2,64}$/;
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
// Hiragana, katakana, ー, ・, iteration marks, and spaces (ASCII and ideographic).
const KANA = /^[\u3041-\u3096\u309D\u309E\u30A1-\u30FA\u30FB\u30FC\u30FD\u30FE \u3000]+$/;
const EMAIL = /^[^\s@]+@(?:[^\s@.]+\.)+[^\s@.]+$/;

const length = (text: string): number => [...text].length; // code points, so 𠮷 counts once

const isNationalAdmin = (actor: Actor): boolean => actor.organisationKind === 'national' && actor.roles.includes('admin');
const isAdminOf = (actor: Actor, organisationId: string): boolean =>
  isNationalAdmin(actor) || (actor.organisationId === organisationId && actor.roles.includes('admin'));

// The handler picks the stream from data.organisationId; a different id in the state is a bug there.
function assertSameOrganisation(state: RegisteredOrganisation, organisationId: string): void {
  if (state.organisationId !== organisationId) {
    throw new Error(`Command for organisation ${organisationId} decided against the stream of ${state.organisationId}`);
  }
}

function validText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.trim().length > 0 && length(value.trim()) <= max;
}

/** Unique roles from ROLES, at least one, returned in the order of ROLES so role sets compare by value. */
export function normaliseRoles(roles: readonly unknown[]): readonly Role[] | DomainError {
  const invalid = (why: string) => new DomainError('INVALID_ROLES', `Roles ${why}; allowed: ${ROLES.join(', ')}.`, 'roles');
  if (!Array.isArray(roles) || roles.length === 0) return invalid('must name at least one role');
  const unknown = roles.filter((role) => !ROLES.includes(role as Role));
  if (unknown.length > 0) return invalid(`contain unknown ${JSON.stringify(unknown)}`);
  if (new Set(roles).size !== roles.length) return invalid('must not repeat a role');
  return ROLES.filter((role) => roles.includes(role));
}

function validateOrganisationIdentity(data: RegisterOrganisation['data']): DomainError | null {
  const { kind, organisationId, code, prefectureCode, parentId } = data;

  if (!LOCAL_GOV_KINDS.includes(kind)) {
    if (code !== null) return new DomainError('INVALID_LOCAL_GOV_CODE', `A ${kind} has no 全国地方公共団体コード; code must be null.`, 'code');
    if (prefectureCode !== null)
      return new DomainError('INVALID_PREFECTURE_CODE', `A ${kind} has no prefecture code; prefectureCode must be null.`, 'prefectureCode');
    if (parentId !== null) return new DomainError('INVALID_PARENT', `Only a municipality has a parent; parentId must be null for a ${kind}.`, 'parentId');
    // Six digits are reserved so no other body can take a prefecture's or municipality's stream.
    if (typeof organisationId !== 'string' || !(SLUG.test(organisationId) || ULID.test(organisationId)) || /^\d{6}$/.test(organisationId)) {
      return new DomainError(
        'INVALID_ORGANISATION_ID',
        `The id of a ${kind} is a slug of 2-64 characters a-z, 0-9 and '-', or a ULID, and not six digits (those are 全国地方公共団体コード); got ${JSON.stringify(organisationId)}.`,
        'organisationId',
      );
    }
    return null;
  }

  if (code === null) return new DomainError('INVALID_LOCAL_GOV_CODE', `A ${kind} must carry its 全国地方公共団体コード.`, 'code');
  const invalidCode = validateLocalGovCode(code);
  if (invalidCode) return invalidCode;
  const prefix = Number(code.slice(0, 2));
  if (prefix < 1 || prefix > 47) {
    return new DomainError('INVALID_LOCAL_GOV_CODE', `${code} starts with ${code.slice(0, 2)}, not a prefecture code 01-47.`, 'code');
  }
  const isPrefectureShaped = code.slice(2, 5) === '000';
  if (kind === 'prefecture' && !isPrefectureShaped) {
    return new DomainError('INVALID_LOCAL_GOV_CODE', `A prefecture's code has 000 in digits 3-5 (e.g. 130001 東京都); got ${code}.`, 'code');
  }
  if (kind === 'municipality' && isPrefectureShaped) {
    return new DomainError('INVALID_LOCAL_GOV_CODE', `${code} is a prefecture's code, not a municipality's.`, 'code');
  }
  if (organisationId !== code) {
    return new DomainError('INVALID_ORGANISATION_ID', `The id of a ${kind} is its code ${code}; got ${JSON.stringify(organisationId)}.`, 'organisationId');
  }
  if (prefectureCode !== code.slice(0, 2)) {
    return new DomainError(
      'INVALID_PREFECTURE_CODE',
      `prefectureCode must be the first two digits of ${code}, ${code.slice(0, 2)}; got ${JSON.stringify(prefectureCode)}.`,
      'prefectureCode',
    );
  }
  const expectedParent = kind === 'municipality' ? prefectureLocalGovCode(code.slice(0, 2)) : null;
  if (parentId !== expectedParent) {
    return new DomainError(
      'INVALID_PARENT',
      kind === 'municipality'
        ? `A municipality's parent is its prefecture, ${expectedParent}; got ${JSON.stringify(parentId)}.`
        : `A prefecture has no parent; parentId must be null.`,
      'parentId',
    );
  }
  return null;
}

function register(command: RegisterOrganisation, state: OrganisationState): Decision<OrganisationEvent> {
  const { data, metadata } = command;
  if (!isNationalAdmin(metadata.actor)) {
    return new DomainError('FORBIDDEN', 'Only an admin of a national body may register organisations.');
  }
  if (state.status !== 'unregistered') {
    return new DomainError('ORGANISATION_ALREADY_REGISTERED', `Organisation ${state.organisationId} is already registered.`, 'organisationId');
  }
  if (!ORGANISATION_KINDS.includes(data.kind)) {
    return new DomainError('INVALID_KIND', `kind must be one of ${ORGANISATION_KINDS.join(', ')}; got ${JSON.stringify(data.kind)}.`, 'kind');
  }
  const invalidIdentity = validateOrganisationIdentity(data);
  if (invalidIdentity) return invalidIdentity;
  if (!validText(data.name, MAX_NAME)) {
    return new DomainError('INVALID_NAME', `name must not be blank and at most ${MAX_NAME} characters.`, 'name');
  }
  if (data.nameKana !== null && !(validText(data.nameKana, MAX_NAME) && KANA.test(data.nameKana.trim()))) {
    return new DomainError('INVALID_NAME_KANA', `nameKana is null or up to ${MAX_NAME} hiragana/katakana characters.`, 'nameKana');
  }
  if (data.population !== null && !(Number.isSafeInteger(data.population) && data.population >= 0)) {
    return new DomainError('INVALID_POPULATION', 'population is null or a whole number of people, 0 or more.', 'population');
  }
  if (typeof data.active !== 'boolean') {
    return new DomainError('INVALID_ACTIVE', 'active must be true or false.', 'active');
  }
  const event: OrganisationRegistered = {
    type: 'OrganisationRegistered',
    data: {
      organisationId: data.organisationId,
      kind: data.kind,
      name: data.name.trim(),
      nameKana: data.nameKana === null ? null : data.nameKana.trim(),
      code: data.code,
      prefectureCode: data.prefectureCode,
      parentId: data.parentId,
      active: data.active,
      population: data.population,
    },
  };
  return [event];
}

function addMember(command: AddMember, state: OrganisationState): Decision<OrganisationEvent> {
  const { data, metadata } = command;
  if (state.status === 'unregistered') return notFound(data.organisationId);
  assertSameOrganisation(state, data.organisationId);
  if (!isAdminOf(metadata.actor, state.organisationId)) {
    return new DomainError('FORBIDDEN', 'Only an admin of this organisation or of a national body may add members.');
  }
  if (!state.active) return inactive(state);
  if (typeof data.personId !== 'string' || data.personId.length === 0 || data.personId.length > MAX_PERSON_ID || data.personId.trim() !== data.personId) {
    return new DomainError('INVALID_PERSON_ID', `personId must be 1-${MAX_PERSON_ID} characters without surrounding spaces.`, 'personId');
  }
  if (!validText(data.displayName, MAX_NAME)) {
    return new DomainError('INVALID_DISPLAY_NAME', `displayName must not be blank and at most ${MAX_NAME} characters.`, 'displayName');
  }
  if (typeof data.email !== 'string' || data.email.length > MAX_EMAIL || !EMAIL.test(data.email)) {
    return new DomainError('INVALID_EMAIL', `email must look like name@example.lg.jp (no spaces, at most ${MAX_EMAIL} characters).`, 'email');
  }
  const roles = normaliseRoles(data.roles);
  if (roles instanceof DomainError) return roles;
  if (state.members.has(data.personId)) {
    return new DomainError('MEMBER_ALREADY_EXISTS', `${data.personId} is already a member of ${state.organisationId}.`, 'personId');
  }
  return [
    {
      type: 'MemberAdded',
      data: { organisationId: state.organisationId, personId: data.personId, displayName: data.displayName.trim(), email: data.email, roles },
    },
  ];
}

function changeMemberRoles(command: ChangeMemberRoles, state: OrganisationState): Decision<OrganisationEvent> {
  const { data, metadata } = command;
  if (state.status === 'unregistered') return notFound(data.organisationId);
  assertSameOrganisation(state, data.organisationId);
  if (!isAdminOf(metadata.actor, state.organisationId)) {
    return new DomainError('FORBIDDEN', "Only an admin of this organisation or of a national body may change members' roles.");
  }
  if (!state.active) return inactive(state);
  const roles = normaliseRoles(data.roles);
  if (roles instanceof DomainError) return roles;
  const current = state.members.get(data.personId);
  if (current === undefined) {
    return new DomainError('MEMBER_NOT_FOUND', `${data.personId} is not a member of ${state.organisationId}.`, 'personId');
  }
  if (current.length === roles.length && current.every((role, i) => role === roles[i])) return [];
  return [{ type: 'MemberRolesChanged', data: { organisationId: state.organisationId, personId: data.personId, roles } }];
}

function deactivate(command: DeactivateOrganisation, state: OrganisationState): Decision<OrganisationEvent> {
  const { data, metadata } = command;
  if (state.status === 'unregistered') return notFound(data.organisationId);
  assertSameOrganisation(state, data.organisationId);
  if (!isNationalAdmin(metadata.actor)) {
    return new DomainError('FORBIDDEN', 'Only an admin of a national body may deactivate organisations.');
  }
  if (!state.active) return inactive(state);
  if (!validText(data.reason, MAX_REASON)) {
    return new DomainError('INVALID_REASON', `A reason is required, at most ${MAX_REASON} characters.`, 'reason');
  }
  return [{ type: 'OrganisationDeactivated', data: { organisationId: state.organisationId, reason: data.reason.trim() } }];
}

const notFound = (organisationId: string) => new DomainError('ORGANISATION_NOT_FOUND', `Organisation ${organisationId} is not registered.`, 'organisationId');
const inactive = (state: RegisteredOrganisation) =>
  new DomainError('ORGANISATION_INACTIVE', `Organisation ${state.organisationId} is inactive.`, 'organisationId');

function registered(state: OrganisationState, event: OrganisationEvent): RegisteredOrganisation {
  if (state.status === 'unregistered') throw new Error(`${event.type} in a stream without OrganisationRegistered`);
  return state;
}

export function evolve(state: OrganisationState, event: OrganisationEvent): OrganisationState {
  switch (event.type) {
    case 'OrganisationRegistered': {
      if (state.status !== 'unregistered') throw new Error(`OrganisationRegistered twice in ${state.organisationId}`);
      const { organisationId, kind, active } = event.data;
      return { status: 'registered', organisationId, kind, active, members: new Map() };
    }
    case 'MemberAdded':
    case 'MemberRolesChanged': {
      const current = registered(state, event);
      return { ...current, members: new Map(current.members).set(event.data.personId, event.data.roles) };
    }
    case 'OrganisationDeactivated':
      return { ...registered(state, event), active: false };
    default:
      return assertNever(event);
  }
}

export function decide(command: OrganisationCommand, state: OrganisationState): Decision<OrganisationEvent> {
  switch (command.type) {
    case 'RegisterOrganisation':
      return register(command, state);
    case 'AddMember':
      return addMember(command, state);
    case 'ChangeMemberRoles':
      return changeMemberRoles(command, state);
    case 'DeactivateOrganisation':
      return deactivate(command, state);
    default:
      return assertNever(command);
  }
}

export const initialState = (): OrganisationState => ({ status: 'unregistered' });

export const organisationDecider: Decider<OrganisationState, OrganisationCommand, OrganisationEvent> = {
  category: ORGANISATION_CATEGORY,
  decide,
  evolve,
  initialState,
};
