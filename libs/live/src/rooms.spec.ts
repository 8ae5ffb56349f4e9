import { actor } from './testing/actors';
import { authorise } from '@kyogi/auth/permissions';
import type { LoggedChange } from '@kyogi/read-models/change-log';
import { MAX_ROOM_NAME_LENGTH, RoomRegistry, type RoomKind } from './rooms';

const change = (entity: string, id: string, n: number, scope: Record<string, string | null> = {}): LoggedChange => ({
  seq: BigInt(n),
  entity,
  id,
  change: 'Changed',
  position: `${n.toString(16).padStart(16, '0')}.${n.toString(16).padStart(16, '0')}`,
  scope,
});

/** A kind like a later context's: proposals, readable by their own organisation only, and one private change type. */
const proposalRoom: RoomKind = {
  kind: 'proposal',
  id: /^p-\d+$/,
  description: 'a proposal id like p-1',
  canJoin: async (who, id) => (who.organisationId === `org-of-${id}` ? { allowed: true } : { allowed: false, code: 'FORBIDDEN', reason: 'not your proposal' }),
  idsOf: (c) => (c.entity === 'proposal' ? [c.id] : []),
  visibleTo: (who, c) => c.change !== 'DraftEdited' || who.roles.includes('admin'),
};
const readerRoom = (kind: string, idsOf: RoomKind['idsOf'] = (c) => (c.entity === kind ? [c.id] : [])): RoomKind => ({
  kind,
  id: /^[a-z0-9-]{1,20}$/,
  description: 'an id',
  canJoin: (who) => authorise('organisation.read', who),
  idsOf,
});

function registry(): RoomRegistry {
  return new RoomRegistry()
    .register(readerRoom('organisation'))
    .register(readerRoom('prefecture', (c) => (c.entity === 'organisation' ? [c.scope.prefectureCode] : [])))
    .register(proposalRoom);
}

describe('RoomRegistry', () => {
  describe('registering', () => {
    it('refuses a second kind of the same name, a malformed name and a stateful id pattern', () => {
      const rooms = registry();
      expect(() => rooms.register(readerRoom('organisation'))).toThrow(/already registered/);
      expect(() => rooms.register(readerRoom('Bad_Kind'))).toThrow(/lower-case/);
      expect(() => rooms.register({ ...readerRoom('talent'), id: /^x$/g })).toThrow(/global or sticky/);
      expect(rooms.registered.map((k) => k.kind)).toEqual(['organisation', 'prefecture', 'proposal']);
    });
  });

  describe('parsing room names', () => {
    it('splits <kind>:<id> at the first colon and keeps the name', () => {
      expect(registry().parse('organisation:011002')).toMatchObject({ ok: true, room: 'organisation:011002', id: '011002', kind: { kind: 'organisation' } });
      expect(registry().parse('proposal:p-12')).toMatchObject({ ok: true, id: 'p-12' });
    });

    it.each([
      ['not a string', 42],
      ['null', null],
      ['an object', { room: 'organisation:1' }],
      ['empty', ''],
      ['no colon', 'organisation'],
      ['no kind', ':011002'],
      ['too long', `organisation:${'1'.repeat(MAX_ROOM_NAME_LENGTH)}`],
    ])('answers BAD_REQUEST for a name that is %s', (_label, name) => {
      expect(registry().parse(name)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    });

    it('answers UNKNOWN_ROOM for a kind nobody registered, naming the known ones', () => {
      const verdict = registry().parse('consultation:c-1');
      expect(verdict).toEqual({
        ok: false,
        code: 'UNKNOWN_ROOM',
        message: 'there are no "consultation" rooms (known kinds: organisation, prefecture, proposal)',
      });
      expect(new RoomRegistry().parse('organisation:1')).toMatchObject({ ok: false, code: 'UNKNOWN_ROOM', message: expect.stringContaining('none') });
    });

    it("answers BAD_REQUEST for an id its kind does not accept, with the kind's description", () => {
      expect(registry().parse('proposal:12')).toEqual({
        ok: false,
        code: 'BAD_REQUEST',
        message: '"12" is not a valid id for a proposal room (a proposal id like p-1)',
      });
      expect(registry().parse('organisation:')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
      expect(registry().parse('organisation:011002:x')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    });

    it('quotes and shortens what the client sent', () => {
      const verdict = registry().parse(`${'x'.repeat(150)}:1`);
      expect(verdict.ok).toBe(false);
      expect(!verdict.ok && verdict.message).toContain('..."');
      expect(!verdict.ok && verdict.message.length).toBeLessThan(160);
    });
  });

  describe('authorising a join', () => {
    it("lets anyone with a role join a readable room, and refuses a token without roles with the permission's reason", async () => {
      const rooms = registry();
      expect(
        await rooms.authoriseJoin(actor({ roles: ['viewer'], organisationId: 'observer-example', organisationKind: 'observer' }), 'organisation:133078'),
      ).toMatchObject({
        ok: true,
        room: 'organisation:133078',
      });
      expect(await rooms.authoriseJoin(actor({ roles: [] }), 'organisation:011002')).toEqual({
        ok: false,
        code: 'FORBIDDEN',
        message: 'organisation.read requires at least one Kyogi role (viewer is enough)',
      });
    });

    it('asks the kind, per organisation, and may wait for it', async () => {
      const rooms = registry();
      expect(await rooms.authoriseJoin(actor({ organisationId: 'org-of-p-7' }), 'proposal:p-7')).toMatchObject({ ok: true });
      expect(await rooms.authoriseJoin(actor({ organisationId: 'org-of-p-8' }), 'proposal:p-7')).toEqual({
        ok: false,
        code: 'FORBIDDEN',
        message: 'not your proposal',
      });
    });

    it('parses before it authorises: a malformed or unknown room is not FORBIDDEN', async () => {
      const canJoin = jest.fn(() => ({ allowed: true }) as const);
      const rooms = new RoomRegistry().register({ ...readerRoom('organisation'), canJoin });
      expect(await rooms.authoriseJoin(actor(), 'nothing:1')).toMatchObject({ code: 'UNKNOWN_ROOM' });
      expect(await rooms.authoriseJoin(actor(), 'organisation:!')).toMatchObject({ code: 'BAD_REQUEST' });
      expect(canJoin).not.toHaveBeenCalled();
    });

    it('refuses, without the internal error, when the check itself fails', async () => {
      const rooms = new RoomRegistry().register({
        ...readerRoom('organisation'),
        canJoin: async () => {
          throw new Error('connection to 10.0.0.5 refused');
        },
      });
      const verdict = await rooms.authoriseJoin(actor(), 'organisation:011002');
      expect(verdict).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      expect(JSON.stringify(verdict)).not.toContain('10.0.0.5');
    });
  });

  describe('routing changes', () => {
    it('names every room a change goes to, across kinds, skipping missing ids', () => {
      const rooms = registry();
      expect(rooms.roomsOf(change('organisation', '133078', 1, { prefectureCode: '13' }))).toEqual(['organisation:133078', 'prefecture:13']);
      expect(rooms.roomsOf(change('organisation', 'digital-agency', 2, { prefectureCode: null }))).toEqual(['organisation:digital-agency']);
      expect(rooms.roomsOf(change('proposal', 'p-1', 3))).toEqual(['proposal:p-1']);
      expect(rooms.roomsOf(change('talent', 't-1', 4))).toEqual([]);
    });

    it("matches a member's subscription to its room only, and hides what the kind says this member may not see", () => {
      const rooms = registry();
      const parsed = rooms.parse('proposal:p-1');
      if (!parsed.ok) throw new Error('parse');
      const staff = rooms.matcher(parsed, actor());
      const admin = rooms.matcher(parsed, actor({ roles: ['admin'] }));
      const published = change('proposal', 'p-1', 1);
      const draft = { ...change('proposal', 'p-1', 2), change: 'DraftEdited' };
      expect([staff(published), staff(draft), staff(change('proposal', 'p-2', 3)), staff(change('organisation', 'p-1', 4))]).toEqual([
        true,
        false,
        false,
        false,
      ]);
      expect([admin(published), admin(draft)]).toEqual([true, true]);
    });

    it("applies the registry's visibility rule to every room, together with the kind's", () => {
      const rooms = new RoomRegistry({ visibleTo: (who, c) => c.change !== 'Secret' || who.roles.includes('admin') }).register(proposalRoom);
      const parsed = rooms.parse('proposal:p-1');
      if (!parsed.ok) throw new Error('parse');
      const secret = { ...change('proposal', 'p-1', 1), change: 'Secret' };
      const draft = { ...change('proposal', 'p-1', 2), change: 'DraftEdited' };
      expect([rooms.matcher(parsed, actor())(secret), rooms.matcher(parsed, actor())(draft)]).toEqual([false, false]);
      expect([rooms.matcher(parsed, actor({ roles: ['admin'] }))(secret), rooms.matcher(parsed, actor({ roles: ['admin'] }))(draft)]).toEqual([true, true]);
      expect(rooms.roomsOf(secret)).toEqual(['proposal:p-1']); // routing does not depend on who asks
    });
  });
});
