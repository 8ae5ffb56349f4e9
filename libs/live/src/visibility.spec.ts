import type { Actor, OrganisationKind, Role } from '@kyogi/domain/shared/decider';
import { maySee, permissionToSee } from './visibility';

const actor = (organisationId: string, organisationKind: OrganisationKind, roles: Role[]): Actor => ({
  personId: 'p',
  organisationId,
  organisationKind,
  roles,
});
const change = (type: string, id = '133078', entity = 'organisation') => ({ entity, id, change: type });

describe('who may see a change', () => {
  it('shows a member change only to the organisation itself and to national admins or coordinators', () => {
    expect(maySee(actor('133078', 'municipality', ['viewer']), change('MemberAdded'))).toBe(true);
    expect(maySee(actor('011002', 'municipality', ['admin']), change('MemberAdded'))).toBe(false);
    expect(maySee(actor('observer-example', 'observer', ['viewer']), change('MemberRolesChanged'))).toBe(false);
    expect(maySee(actor('digital-agency', 'national', ['coordinator']), change('MemberAdded'))).toBe(true);
    expect(maySee(actor('mic', 'national', ['member']), change('MemberAdded'))).toBe(false);
  });

  it('shows the public life of an organisation to every signed-in role', () => {
    expect(maySee(actor('observer-example', 'observer', ['viewer']), change('OrganisationRegistered'))).toBe(true);
    expect(maySee(actor('011002', 'municipality', ['member']), change('OrganisationDeactivated'))).toBe(true);
    expect(maySee(actor('011002', 'municipality', []), change('OrganisationRegistered'))).toBe(false);
  });

  it('shows nobody a change of an entity it does not know', () => {
    expect(permissionToSee(change('Anything', 'x', 'unknown'))).toBeNull();
    expect(maySee(actor('digital-agency', 'national', ['admin']), change('Anything', 'x', 'unknown'))).toBe(false);
  });
});
