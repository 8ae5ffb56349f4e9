import type { Actor } from '@kyogi/domain/shared/decider';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import { liveRooms } from './live-rooms';

const actor = (organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId: `p-${organisationId}`,
  organisationId,
  organisationKind,
  roles,
});

const specChange = (id: string, change = 'SpecVersionPublished'): ReadModelChange => ({
  entity: 'spec',
  id,
  change,
  position: '0000000000000001.0000000000000001',
  scope: {},
});

describe('the spec room', () => {
  const rooms = liveRooms();

  it.each([
    ['a viewer of an observer', actor('observer-example', 'observer', ['viewer'])],
    ['a vendor member', actor('vendor-example', 'vendor', ['member'])],
    ['a municipal member', actor('011002', 'municipality', ['member'])],
    ["the owner's admin", actor('digital-agency', 'national', ['admin', 'coordinator'])],
  ])('lets %s join spec:juminkiroku and see every change there', async (_label, who) => {
    expect(await rooms.authoriseJoin(who, 'spec:juminkiroku')).toMatchObject({ ok: true, room: 'spec:juminkiroku' });
    const parsed = rooms.parse('spec:juminkiroku');
    if (!parsed.ok) throw new Error(parsed.message);
    expect(rooms.matcher(parsed, who)(specChange('juminkiroku', 'SpecCreated'))).toBe(true);
    expect(rooms.matcher(parsed, who)(specChange('juminkiroku'))).toBe(true);
  });

  it('keeps out a token without a Kyogi role', async () => {
    expect(await rooms.authoriseJoin(actor('133078', 'municipality', []), 'spec:juminkiroku')).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'spec.read requires at least one Kyogi role (viewer is enough)',
    });
  });

  it.each(['spec:Juminkiroku', 'spec:j', 'spec:../x', 'spec:住民記録', `spec:${'a'.repeat(65)}`])('refuses %s as BAD_REQUEST', (room) => {
    expect(rooms.parse(room)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
  });

  it("sends a spec's changes to its own room only, and no other entity's", () => {
    expect(rooms.roomsOf(specChange('juminkiroku'))).toEqual(['spec:juminkiroku']);
    expect(rooms.roomsOf(specChange('kojin-juminzei', 'SpecCreated'))).toEqual(['spec:kojin-juminzei']);
    expect(rooms.roomsOf({ ...specChange('011002'), entity: 'organisation', scope: { prefectureCode: '01' } })).toEqual([
      'organisation:011002',
      'prefecture:01',
    ]);
  });
});
