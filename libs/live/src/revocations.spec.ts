import type { LoggedChange } from '@kyogi/read-models/change-log';
import { ChangeFeed } from './change-feed';
import { SessionRevocations, type RevocationReason } from './revocations';

let seq = 0;
const change = (id: string, type: string, personId?: string): LoggedChange => ({
  seq: BigInt(++seq),
  entity: 'organisation',
  id,
  change: type,
  position: `${seq.toString(16).padStart(16, '0')}.${seq.toString(16).padStart(16, '0')}`,
  scope: { prefectureCode: '13', ...(personId ? { personId } : {}) },
});

const tick = () => new Promise((r) => setImmediate(r));

describe('SessionRevocations', () => {
  let feed: ChangeFeed;
  let revocations: SessionRevocations;
  beforeEach(() => {
    feed = new ChangeFeed();
    revocations = new SessionRevocations(feed);
    revocations.start();
  });
  afterEach(() => revocations.stop());

  it('ends every live session of an organisation when it is deactivated, and only those', async () => {
    const ended: string[] = [];
    revocations.watch({ personId: 'a', organisationId: '133078' }, (r) => ended.push(`a:${r}`));
    revocations.watch({ personId: 'b', organisationId: '133078' }, (r) => ended.push(`b:${r}`));
    revocations.watch({ personId: 'c', organisationId: '011002' }, (r) => ended.push(`c:${r}`));
    feed.publish([change('133078', 'OrganisationDeactivated')]);
    await tick();
    expect(ended.sort()).toEqual(['a:ORGANISATION_DEACTIVATED', 'b:ORGANISATION_DEACTIVATED']);
    expect(revocations.watching).toBe(1);
  });

  it("ends the sessions of the person whose roles changed, not their colleagues'", async () => {
    const ended: RevocationReason[] = [];
    revocations.watch({ personId: 'a', organisationId: '133078' }, (r) => ended.push(r));
    const colleague = jest.fn();
    revocations.watch({ personId: 'b', organisationId: '133078' }, colleague);
    feed.publish([change('133078', 'MemberAdded', 'z'), change('133078', 'MemberRolesChanged', 'a')]);
    await tick();
    expect(ended).toEqual(['ROLES_CHANGED']);
    expect(colleague).not.toHaveBeenCalled();
  });

  it('revokes once, and not after the session stopped watching', async () => {
    const revoke = jest.fn();
    const unwatch = revocations.watch({ personId: 'a', organisationId: '133078' }, revoke);
    revocations.apply(change('133078', 'MemberRolesChanged', 'a'));
    revocations.apply(change('133078', 'OrganisationDeactivated'));
    expect(revoke).toHaveBeenCalledTimes(1);
    const other = jest.fn();
    revocations.watch({ personId: 'b', organisationId: '133078' }, other)();
    unwatch();
    revocations.apply(change('133078', 'OrganisationDeactivated'));
    expect(other).not.toHaveBeenCalled();
    expect(revocations.watching).toBe(0);
  });
});
