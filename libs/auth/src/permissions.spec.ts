import { ORGANISATION_KINDS, ROLES, type Actor, type OrganisationKind, type Role } from '@kyogi/domain/shared/decider';

import { authorise, OPERATIONS, PERMISSIONS, type Operation } from './permissions';

const OWN = 'org-own';
const OTHER = 'org-other';

const actor = (organisationKind: OrganisationKind, roles: readonly Role[]): Actor => ({
  personId: 'person-1',
  organisationId: OWN,
  organisationKind,
  roles,
});

/**
 * The expected table, written out as the product rules read, independently of the rules' code:
 * - organisation.register: admin of a national organisation;
 * - organisation.addMember, changeMemberRoles: admin of the target organisation, or admin of a
 *   national one;
 * - organisation.deactivate: admin of a national organisation;
 * - organisation.readMembers (personal data): any role in that organisation, or admin or
 *   coordinator of a national one;
 * - other reads: any actor with a role (viewer suffices).
 */
function expected(operation: Operation, kind: OrganisationKind, roles: readonly Role[], target: 'own' | 'other'): boolean {
  const admin = roles.includes('admin');
  switch (operation) {
    case 'organisation.register':
      return admin && kind === 'national';
    case 'organisation.addMember':
    case 'organisation.changeMemberRoles':
      return admin && (target === 'own' || kind === 'national');
    case 'organisation.deactivate':
      return admin && kind === 'national';
    case 'organisation.readMembers':
      return (target === 'own' && roles.length > 0) || (kind === 'national' && (admin || roles.includes('coordinator')));
    case 'organisation.read':
    case 'me.read':
      return roles.length > 0;
  }
}

// Every single role, no role, and all roles together.
const ROLE_SETS: ReadonlyArray<readonly Role[]> = [[], ...ROLES.map((role) => [role]), [...ROLES]];

const MATRIX = OPERATIONS.flatMap((operation) =>
  ORGANISATION_KINDS.flatMap((kind) =>
    ROLE_SETS.flatMap((roles) =>
      (['own', 'other'] as const).map((target) => ({
        operation,
        kind,
        roles,
        target,
        allowed: expected(operation, kind, roles, target),
      })),
    ),
  ),
);

describe('the permission table', () => {
  it('covers exactly the known operations', () => {
    expect(OPERATIONS).toEqual([
      'organisation.register',
      'organisation.addMember',
      'organisation.changeMemberRoles',
      'organisation.deactivate',
      'organisation.read',
      'organisation.readMembers',
      'me.read',
    ]);
    expect(MATRIX).toHaveLength(7 * 5 * 7 * 2);
  });

  it.each(MATRIX.map((row) => [row.operation, row.kind, `[${row.roles.join(',')}]`, row.target, row.allowed, row] as const))(
    '%s by %s %s on %s organisation → allowed=%s',
    (operation, _kind, _roles, _target, allowed, row) => {
      const result = authorise(operation, actor(row.kind, row.roles), row.target === 'own' ? OWN : OTHER);
      if (allowed) {
        expect(result).toEqual({ allowed: true });
      } else {
        expect(result).toEqual({ allowed: false, code: 'FORBIDDEN', reason: expect.stringMatching(new RegExp(`^${operation.replace('.', '\\.')} `)) });
      }
    },
  );

  it('lets exactly these combinations register and add members', () => {
    const allowedRows = (operation: Operation) =>
      MATRIX.filter((row) => row.operation === operation && row.allowed).map((row) => `${row.kind}/${row.roles.join(',')}/${row.target}`);
    expect(allowedRows('organisation.register')).toEqual([
      'national/admin/own',
      'national/admin/other',
      'national/viewer,member,approver,coordinator,admin/own',
      'national/viewer,member,approver,coordinator,admin/other',
    ]);
    expect(allowedRows('organisation.addMember')).toEqual(
      ORGANISATION_KINDS.flatMap((kind) =>
        kind === 'national'
          ? [
              'national/admin/own',
              'national/admin/other',
              'national/viewer,member,approver,coordinator,admin/own',
              'national/viewer,member,approver,coordinator,admin/other',
            ]
          : [`${kind}/admin/own`, `${kind}/viewer,member,approver,coordinator,admin/own`],
      ),
    );
  });
});

describe('authorise', () => {
  it('explains a refusal in one safe sentence', () => {
    expect(authorise('organisation.register', actor('prefecture', ['admin']))).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      reason: 'organisation.register requires the admin role in a national organisation',
    });
    expect(authorise('organisation.addMember', actor('municipality', ['coordinator']), OTHER)).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      reason: 'organisation.addMember requires the admin role in the target organisation or in a national organisation',
    });
    expect(authorise('me.read', actor('vendor', []))).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      reason: 'me.read requires at least one Kyogi role (viewer is enough)',
    });
  });

  it('refuses addMember without a target, even for a national admin', () => {
    for (const target of [undefined, '']) {
      expect(authorise('organisation.addMember', actor('national', ['admin']), target)).toEqual({
        allowed: false,
        code: 'FORBIDDEN',
        reason: 'organisation.addMember needs a target organisation',
      });
    }
  });

  it('ignores a target for operations that take none', () => {
    expect(authorise('organisation.read', actor('observer', ['viewer']), OTHER)).toEqual({ allowed: true });
  });

  it('refuses an operation that is not in the table (from untyped callers)', () => {
    expect(authorise('organisation.delete' as Operation, actor('national', [...ROLES]))).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      reason: 'unknown operation "organisation.delete"',
    });
    expect(authorise('toString' as Operation, actor('national', [...ROLES]))).toMatchObject({ allowed: false });
  });

  it('describes every operation', () => {
    for (const operation of OPERATIONS) {
      expect(PERMISSIONS[operation].description.length).toBeGreaterThan(0);
    }
  });
});
