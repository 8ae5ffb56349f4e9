import type { Actor } from '@kyogi/domain/shared/decider';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import { liveRooms } from './live-rooms';

const actor = (organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId: `p-${organisationId}`,
  organisationId,
  organisationKind,
  roles,
});
const AUDITOR = actor('observer-example', 'observer', ['viewer']);
const SAPPORO_STAFF = actor('011002', 'municipality', ['member']);
const HOKKAIDO_COORDINATOR = actor('010006', 'prefecture', ['member', 'coordinator']);
const NO_ROLES = actor('133078', 'municipality', []);
const HINOHARA_STAFF = actor('133078', 'municipality', ['member', 'approver', 'admin']);
const NATIONAL_ADMIN = actor('digital-agency', 'national', ['admin', 'coordinator']);

const memberAdded = (id: string, prefectureCode: string | null): ReadModelChange => ({
  entity: 'organisation',
  id,
  change: 'MemberAdded',
  position: '0000000000000001.0000000000000001',
  scope: { prefectureCode },
});

describe('the organisation rooms', () => {
  const rooms = liveRooms();

  it.each([
    ['a viewer of an observer', AUDITOR],
    ['a member of another municipality', SAPPORO_STAFF],
    ["another prefecture's coordinator", HOKKAIDO_COORDINATOR],
  ])("let %s into 檜原村's room and 東京都's prefecture room (organisation.read: any role)", async (_label, who) => {
    expect(await rooms.authoriseJoin(who, 'organisation:133078')).toMatchObject({ ok: true });
    expect(await rooms.authoriseJoin(who, 'prefecture:13')).toMatchObject({ ok: true });
  });

  it('keep out a token without a Kyogi role, even from its own organisation', async () => {
    for (const room of ['organisation:133078', 'prefecture:13']) {
      expect(await rooms.authoriseJoin(NO_ROLES, room)).toEqual({
        ok: false,
        code: 'FORBIDDEN',
        message: 'organisation.read requires at least one Kyogi role (viewer is enough)',
      });
    }
  });

  it.each(['organisation:011002', 'organisation:digital-agency', 'organisation:01J9ZQ3T5V8W0XK2M4N6P8R0S2', 'prefecture:01', 'prefecture:13', 'prefecture:47'])(
    'accept %s',
    (room) => expect(rooms.parse(room)).toMatchObject({ ok: true, room }),
  );

  it.each(['organisation:Digital_Agency', 'organisation:../admin', 'organisation:x', 'prefecture:00', 'prefecture:48', 'prefecture:1', 'prefecture:013'])(
    'refuse %s as BAD_REQUEST',
    (room) => expect(rooms.parse(room)).toMatchObject({ ok: false, code: 'BAD_REQUEST' }),
  );

  it("send a municipality's change to its room and its prefecture's, a national body's to its room only", () => {
    expect(rooms.roomsOf(memberAdded('133078', '13'))).toEqual(['organisation:133078', 'prefecture:13']);
    expect(rooms.roomsOf(memberAdded('010006', '01'))).toEqual(['organisation:010006', 'prefecture:01']);
    expect(rooms.roomsOf(memberAdded('digital-agency', null))).toEqual(['organisation:digital-agency']);
    expect(rooms.roomsOf({ ...memberAdded('133078', '13'), entity: 'nosuchkind' })).toEqual([]);
  });

  it("tell only 檜原村's own people and national admins or coordinators about its members (personal data); everyone about the rest", () => {
    const seen = (who: Actor, room: string, change: ReadModelChange) => {
      const parsed = rooms.parse(room);
      if (!parsed.ok) throw new Error(parsed.message);
      return rooms.matcher(parsed, who)(change);
    };
    const member = memberAdded('133078', '13');
    const registered = { ...memberAdded('133078', '13'), change: 'OrganisationRegistered' };
    for (const room of ['organisation:133078', 'prefecture:13']) {
      expect([HINOHARA_STAFF, NATIONAL_ADMIN, AUDITOR, SAPPORO_STAFF].map((who) => seen(who, room, member))).toEqual([true, true, false, false]);
      expect([HINOHARA_STAFF, NATIONAL_ADMIN, AUDITOR, SAPPORO_STAFF].map((who) => seen(who, room, registered))).toEqual([true, true, true, true]);
    }
    expect(seen(HINOHARA_STAFF, 'organisation:011002', memberAdded('133078', '13'))).toBe(false);
    expect(seen(HINOHARA_STAFF, 'prefecture:01', memberAdded('133078', '13'))).toBe(false);
  });
});
