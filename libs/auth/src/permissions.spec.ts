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
 * - spec.create: admin or coordinator of a national organisation;
 * - spec.publishVersion: admin or coordinator of the target, the spec's owner organisation;
 * - spec.read: any actor with a role.
 * - proposal.draft, revise, withdraw: member, approver, coordinator or admin of any kind but observer;
 * - proposal.submit: approver, coordinator or admin of the target, the author organisation;
 * - proposal.decide: coordinator or admin of the target, the spec's owner organisation;
 * - proposal.read: any actor with a role;
 * - comment.post, edit, retract, react: a role other than viewer, any kind;
 * - comment.dispose, comment.importDispositions (a matrix's 対応区分 and 対応案): coordinator (not admin) of the
 *   target, the spec's owner organisation.
 * - consultation.open: coordinator of a national organisation or a prefecture;
 * - consultation.draftStance: member, approver, coordinator or admin, any kind;
 * - consultation.approveStance: approver, coordinator or admin, any kind;
 * - consultation.close: coordinator, any kind;
 * - consultation.read: any actor with a role;
 * - ladder.choose, ladder.decide: coordinator or admin of a national organisation (the decider checks the spec's owner);
 * - audit.verify: any actor with a role; audit.exportLog, audit.checkpoint: admin of a national organisation;
 * - mandate.grant, mandate.revoke: admin or approver, any kind (the decider checks the grantor);
 * - mandate.read: any actor with a role (the query lists its own organisation's mandates only).
 * - talent.propose, changeTerms, defineRequirements, openSelection, addCandidate, selectCandidate,
 *   setChecklist, activate, end: coordinator or admin of a municipality or prefecture (the decider
 *   checks the proposer or the host);
 * - talent.consent, decline, leave: approver (決裁者) of a municipality or prefecture — not a
 *   coordinator or admin alone (the decider checks it answers for its own organisation);
 * - talent.listProblems, completeChecklistItem: member, approver, coordinator or admin of a
 *   municipality or prefecture;
 * - talent.read, talentPool.read: any actor with a role;
 * - talent.readCandidates, talentPool.readPeople (personal data): any role in the target
 *   organisation (an organiser of the arrangement; the pool's prefecture or the one served);
 * - talentPool.open, addPerson, changeCapacity, dispatch, endDispatch: coordinator or admin of a
 *   prefecture (the decider checks it is the pool's own).
 * - audit.readHistory: any actor with a role (each entity's own visibility rules apply within);
 * - audit.readActivity: any role in the target organisation, or admin or coordinator of a national one.
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
    case 'spec.create':
      return kind === 'national' && (admin || roles.includes('coordinator'));
    case 'spec.publishVersion':
      return target === 'own' && (admin || roles.includes('coordinator'));
    case 'spec.read':
      return roles.length > 0;
    case 'proposal.draft':
    case 'proposal.revise':
    case 'proposal.withdraw':
      return kind !== 'observer' && roles.some((role) => role !== 'viewer');
    case 'proposal.submit':
      return target === 'own' && (admin || roles.includes('coordinator') || roles.includes('approver'));
    case 'proposal.decide':
      return target === 'own' && (admin || roles.includes('coordinator'));
    case 'proposal.read':
      return roles.length > 0;
    case 'comment.post':
    case 'comment.edit':
    case 'comment.retract':
    case 'comment.react':
      return roles.some((role) => role !== 'viewer');
    case 'comment.dispose':
    case 'comment.importDispositions':
      return target === 'own' && roles.includes('coordinator');
    case 'consultation.open':
      return (kind === 'national' || kind === 'prefecture') && roles.includes('coordinator');
    case 'consultation.draftStance':
      return roles.some((role) => role !== 'viewer');
    case 'consultation.approveStance':
      return admin || roles.includes('coordinator') || roles.includes('approver');
    case 'consultation.close':
      return roles.includes('coordinator');
    case 'consultation.read':
      return roles.length > 0;
    case 'ladder.choose':
    case 'ladder.decide':
      return kind === 'national' && (admin || roles.includes('coordinator'));
    case 'audit.verify':
      return roles.length > 0;
    case 'audit.exportLog':
    case 'audit.checkpoint':
    case 'security.readLog':
      return admin && kind === 'national';
    case 'mandate.grant':
    case 'mandate.revoke':
      return admin || roles.includes('approver');
    case 'mandate.read':
      return roles.length > 0;
    case 'talent.propose':
    case 'talent.changeTerms':
    case 'talent.defineRequirements':
    case 'talent.openSelection':
    case 'talent.addCandidate':
    case 'talent.selectCandidate':
    case 'talent.setChecklist':
    case 'talent.activate':
    case 'talent.end':
      return (kind === 'municipality' || kind === 'prefecture') && (admin || roles.includes('coordinator'));
    case 'talent.consent':
    case 'talent.decline':
    case 'talent.leave':
      return (kind === 'municipality' || kind === 'prefecture') && roles.includes('approver');
    case 'talent.listProblems':
    case 'talent.completeChecklistItem':
      return (kind === 'municipality' || kind === 'prefecture') && roles.some((role) => role !== 'viewer');
    case 'talent.read':
    case 'talentPool.read':
      return roles.length > 0;
    case 'talent.readCandidates':
    case 'talentPool.readPeople':
      return target === 'own' && roles.length > 0;
    case 'talentPool.open':
    case 'talentPool.addPerson':
    case 'talentPool.changeCapacity':
    case 'talentPool.dispatch':
    case 'talentPool.endDispatch':
      return kind === 'prefecture' && (admin || roles.includes('coordinator'));
    case 'audit.readHistory':
      return roles.length > 0;
    case 'audit.readActivity':
      return (target === 'own' && roles.length > 0) || (kind === 'national' && (admin || roles.includes('coordinator')));
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
      'spec.create',
      'spec.publishVersion',
      'spec.read',
      'proposal.draft',
      'proposal.revise',
      'proposal.withdraw',
      'proposal.submit',
      'proposal.decide',
      'proposal.read',
      'comment.post',
      'comment.edit',
      'comment.retract',
      'comment.react',
      'comment.dispose',
      'comment.importDispositions',
      'consultation.open',
      'consultation.draftStance',
      'consultation.approveStance',
      'consultation.close',
      'consultation.read',
      'ladder.choose',
      'ladder.decide',
      'audit.verify',
      'audit.exportLog',
      'audit.checkpoint',
      'security.readLog',
      'mandate.grant',
      'mandate.revoke',
      'mandate.read',
      'talent.propose',
      'talent.changeTerms',
      'talent.leave',
      'talent.consent',
      'talent.decline',
      'talent.listProblems',
      'talent.defineRequirements',
      'talent.openSelection',
      'talent.addCandidate',
      'talent.selectCandidate',
      'talent.setChecklist',
      'talent.completeChecklistItem',
      'talent.activate',
      'talent.end',
      'talent.read',
      'talent.readCandidates',
      'talentPool.open',
      'talentPool.addPerson',
      'talentPool.changeCapacity',
      'talentPool.dispatch',
      'talentPool.endDispatch',
      'talentPool.read',
      'talentPool.readPeople',
      'audit.readHistory',
      'audit.readActivity',
    ]);
    expect(MATRIX).toHaveLength(OPERATIONS.length * ORGANISATION_KINDS.length * ROLE_SETS.length * 2);
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
  it('lets exactly these combinations create specs and publish their versions', () => {
    const allowedRows = (operation: Operation) =>
      MATRIX.filter((row) => row.operation === operation && row.allowed).map((row) => `${row.kind}/${row.roles.join(',')}/${row.target}`);
    const ALL = 'viewer,member,approver,coordinator,admin';
    expect(allowedRows('spec.create')).toEqual([
      'national/coordinator/own',
      'national/coordinator/other',
      'national/admin/own',
      'national/admin/other',
      `national/${ALL}/own`,
      `national/${ALL}/other`,
    ]);
    // Only for the owner organisation itself (owners are national bodies: spec.create sees to that).
    expect(allowedRows('spec.publishVersion')).toEqual(
      ORGANISATION_KINDS.flatMap((kind) => [`${kind}/coordinator/own`, `${kind}/admin/own`, `${kind}/${ALL}/own`]),
    );
  });
});

describe('the proposal and comment rows of the table', () => {
  const ALL = 'viewer,member,approver,coordinator,admin';
  const allowedRows = (operation: Operation) =>
    MATRIX.filter((row) => row.operation === operation && row.allowed).map((row) => `${row.kind}/${row.roles.join(',')}/${row.target}`);

  it('lets no observer draft, revise or withdraw, and no viewer-only person of any kind', () => {
    for (const operation of ['proposal.draft', 'proposal.revise', 'proposal.withdraw'] as const) {
      expect(allowedRows(operation)).toEqual(
        ['national', 'prefecture', 'municipality', 'vendor'].flatMap((kind) =>
          ['member', 'approver', 'coordinator', 'admin', ALL].flatMap((roles) => [`${kind}/${roles}/own`, `${kind}/${roles}/other`]),
        ),
      );
    }
  });

  it("lets only the author organisation's approvers, coordinators and admins submit; only the owner's coordinators and admins decide", () => {
    expect(allowedRows('proposal.submit')).toEqual(
      ORGANISATION_KINDS.flatMap((kind) => ['approver', 'coordinator', 'admin', ALL].map((roles) => `${kind}/${roles}/own`)),
    );
    expect(allowedRows('proposal.decide')).toEqual(ORGANISATION_KINDS.flatMap((kind) => ['coordinator', 'admin', ALL].map((roles) => `${kind}/${roles}/own`)));
  });

  it("lets observers and vendors comment and react (they do not vote), viewers not; only the owner's coordinators dispose (admin alone is not enough)", () => {
    for (const operation of ['comment.post', 'comment.edit', 'comment.retract', 'comment.react'] as const) {
      expect(allowedRows(operation)).toEqual(
        ORGANISATION_KINDS.flatMap((kind) =>
          ['member', 'approver', 'coordinator', 'admin', ALL].flatMap((roles) => [`${kind}/${roles}/own`, `${kind}/${roles}/other`]),
        ),
      );
    }
    expect(allowedRows('comment.dispose')).toEqual(ORGANISATION_KINDS.flatMap((kind) => [`${kind}/coordinator/own`, `${kind}/${ALL}/own`]));
  });

  it('explains a refusal', () => {
    expect(authorise('proposal.draft', actor('observer', ['admin']))).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      reason: 'proposal.draft requires the member, approver, coordinator or admin role in an organisation that is not an observer',
    });
    expect(authorise('comment.dispose', actor('national', ['admin']), OWN)).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      reason: "comment.dispose requires the coordinator role in the spec's owner organisation",
    });
    expect(authorise('proposal.submit', actor('municipality', ['approver']))).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      reason: 'proposal.submit needs a target organisation',
    });
  });
});

describe('the talent-sharing rows of the table', () => {
  const ALL = 'viewer,member,approver,coordinator,admin';
  const allowedRows = (operation: Operation) =>
    MATRIX.filter((row) => row.operation === operation && row.allowed).map((row) => `${row.kind}/${row.roles.join(',')}/${row.target}`);

  it('lets only approvers (決裁者) of municipalities and prefectures consent, decline or leave — a coordinator or admin alone does not commit a budget', () => {
    for (const operation of ['talent.consent', 'talent.decline', 'talent.leave'] as const) {
      expect(allowedRows(operation)).toEqual(
        ['prefecture', 'municipality'].flatMap((kind) => ['approver', ALL].flatMap((roles) => [`${kind}/${roles}/own`, `${kind}/${roles}/other`])),
      );
    }
  });

  it('keeps national bodies, vendors and observers out of every talent step, while every signed-in role reads arrangements and pools', () => {
    const steps = OPERATIONS.filter((operation) => /^talent(Pool)?\./.test(operation) && !/\.read/.test(operation));
    expect(steps).toHaveLength(19);
    for (const operation of steps) {
      expect(MATRIX.filter((row) => row.operation === operation && row.allowed && !['prefecture', 'municipality'].includes(row.kind))).toEqual([]);
    }
    for (const operation of ['talent.read', 'talentPool.read'] as const) {
      expect(allowedRows(operation)).toEqual(
        ORGANISATION_KINDS.flatMap((kind) =>
          ROLE_SETS.filter((roles) => roles.length > 0).flatMap((roles) => [`${kind}/${roles.join(',')}/own`, `${kind}/${roles.join(',')}/other`]),
        ),
      );
    }
  });

  it('shows candidates and pool people (personal data) only within the target organisation; only prefectures run pools', () => {
    for (const operation of ['talent.readCandidates', 'talentPool.readPeople'] as const) {
      expect(allowedRows(operation)).toEqual(
        ORGANISATION_KINDS.flatMap((kind) => ROLE_SETS.filter((roles) => roles.length > 0).map((roles) => `${kind}/${roles.join(',')}/own`)),
      );
    }
    expect(allowedRows('talentPool.dispatch')).toEqual(
      ['coordinator', 'admin', ALL].flatMap((roles) => [`prefecture/${roles}/own`, `prefecture/${roles}/other`]),
    );
    expect(authorise('talent.consent', actor('municipality', ['coordinator', 'admin']))).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      reason: 'talent.consent requires the approver role (決裁者) in a municipality or prefecture',
    });
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

describe('the audit history rows of the table', () => {
  it("lets everyone with a role read histories, and an organisation's activity feed only its own people and national admins and coordinators", () => {
    const allowedRows = (operation: Operation) =>
      MATRIX.filter((row) => row.operation === operation && row.allowed).map((row) => `${row.kind}/${row.roles.join(',')}/${row.target}`);
    expect(allowedRows('audit.readHistory')).toHaveLength(ORGANISATION_KINDS.length * (ROLE_SETS.length - 1) * 2);
    expect(allowedRows('audit.readActivity').filter((row) => row.endsWith('/other'))).toEqual([
      'national/coordinator/other',
      'national/admin/other',
      'national/viewer,member,approver,coordinator,admin/other',
    ]);
    expect(authorise('audit.readActivity', actor('prefecture', ['coordinator', 'admin']), OTHER)).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      reason: 'audit.readActivity requires a role in that organisation, or the admin or coordinator role in a national organisation',
    });
  });
});
