import { actor } from './testing/actors';
import { comparePositions, parsePosition, type Position } from '@kyogi/event-store/port';
import type { ChangeHistory, LoggedChange } from '@kyogi/read-models/change-log';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import { ChangeFeed } from './change-feed';
import { RoomChannels, visibilityClass, type MemberOptions, type Membership } from './room-channels';
import { RoomRegistry, type ParsedRoom, type RoomChange } from './rooms';

const ORG = 'organisation:133078';
const pos = (n: number) => `${n.toString(16).padStart(16, '0')}.${n.toString(16).padStart(16, '0')}`;
const change = (id: string, n: number, kind = 'Changed'): LoggedChange => ({
  seq: BigInt(n),
  entity: 'organisation',
  id,
  change: kind,
  position: pos(n),
  scope: {},
});

/** Organisation rooms; a 'Secret' change is for admins only; `idsOf` calls are counted. */
function setUp(
  options: { log?: LoggedChange[]; history?: (after: Position, limit: number) => Promise<ChangeHistory>; replayLimit?: number; holdLimit?: number } = {},
) {
  const calls = { idsOf: 0 };
  const history =
    options.history ??
    (async (after: Position, limit: number): Promise<ChangeHistory> => ({
      ok: true,
      changes: (options.log ?? []).filter((c) => comparePositions(parsePosition(c.position), after) > 0).slice(0, limit),
    }));
  const feed = new ChangeFeed({ history, replayLimit: options.replayLimit });
  const registry = new RoomRegistry({ visibleTo: (who, c) => c.change !== 'Secret' || who.roles.includes('admin') }).register({
    kind: 'organisation',
    id: /^[0-9]{6}$/,
    description: 'an organisation code',
    canJoin: () => ({ allowed: true }),
    idsOf: (c: ReadModelChange) => {
      calls.idsOf++;
      return c.entity === 'organisation' ? [c.id] : [];
    },
  });
  const parsed = registry.parse(ORG);
  if (!parsed.ok) throw new Error('parse');
  const channels = new RoomChannels(feed, registry, { holdLimit: options.holdLimit });
  return { feed, channels, room: parsed as ParsedRoom, calls };
}

interface TestMember {
  readonly membership: Membership;
  readonly sent: RoomChange[];
}

function member(channels: RoomChannels, room: ParsedRoom, over: Partial<MemberOptions> = {}): TestMember {
  const sent: RoomChange[] = [];
  const membership = channels.join({
    room,
    actor: actor(),
    emit: (c) => sent.push(c),
    backlog: () => 0,
    backlogLimit: 10,
    open: () => true,
    ...over,
  });
  return { membership, sent };
}

const lastDigits = (sent: readonly RoomChange[]) => sent.map((c) => Number.parseInt(c.position.slice(-2), 16));
const settle = () => new Promise((r) => setImmediate(r));

describe('RoomChannels', () => {
  it('sends each matching change, in order, as { room, entity, id, change, position }, and remembers the last position', async () => {
    const { feed, channels, room } = setUp();
    const m = member(channels, room);
    feed.publish([change('133078', 1), change('011002', 2), change('133078', 3)]);
    expect(m.sent).toEqual([
      { room: ORG, entity: 'organisation', id: '133078', change: 'Changed', position: pos(1) },
      { room: ORG, entity: 'organisation', id: '133078', change: 'Changed', position: pos(3) },
    ]);
    expect(m.membership.position).toBe(pos(3));
    m.membership.stop();
    expect(await m.membership.ended).toEqual({ reason: 'stopped' });
    expect([channels.size, feed.subscriberCount]).toEqual([0, 0]);
  });

  it('shares one channel, and one decision per change, among the members of a room who see the same changes', () => {
    const { feed, channels, room, calls } = setUp();
    // Another person of the same organisation, kind and roles (in another order) sees what the first sees.
    const members = [member(channels, room), member(channels, room, { actor: actor({ personId: 'p2' }) }), member(channels, room)];
    expect([channels.size, feed.subscriberCount]).toEqual([1, 1]);
    feed.publish([change('133078', 1), change('133078', 2)]);
    expect(calls.idsOf).toBe(2);
    for (const m of members) expect(lastDigits(m.sent)).toEqual([1, 2]);
  });

  it('ends every member of every channel with a resync when the change log has a gap (resyncAll), and closes the channels', async () => {
    const { feed, channels, room } = setUp();
    const staff = member(channels, room);
    const admin = member(channels, room, { actor: actor({ personId: 'p2', roles: ['admin'] }) });
    feed.publish([change('133078', 1)]);
    feed.resyncAll('the change log skipped the changes up to 40');
    for (const m of [staff, admin]) {
      expect(await m.membership.ended).toEqual({ reason: 'resync', message: 'the change log skipped the changes up to 40: re-query and subscribe again' });
    }
    feed.publish([change('133078', 2)]);
    expect([lastDigits(staff.sent), lastDigits(admin.sent)]).toEqual([[1], [1]]);
    expect([channels.size, feed.subscriberCount]).toEqual([0, 0]);
  });

  it('gives members who may see different changes their own channel', () => {
    const { feed, channels, room } = setUp();
    const staff = member(channels, room);
    const admin = member(channels, room, { actor: actor({ personId: 'p2', roles: ['admin'] }) });
    expect(channels.size).toBe(2);
    feed.publish([change('133078', 1), change('133078', 2, 'Secret'), change('133078', 3)]);
    expect(lastDigits(staff.sent)).toEqual([1, 3]);
    expect(lastDigits(admin.sent)).toEqual([1, 2, 3]);
    admin.membership.stop();
    expect([channels.size, feed.subscriberCount]).toEqual([1, 1]);
  });

  it('sends nothing once the member is gone, and ends it alone', async () => {
    const { feed, channels, room } = setUp();
    let open = true;
    const gone = member(channels, room, { open: () => open });
    const other = member(channels, room);
    open = false;
    feed.publish([change('133078', 1)]);
    expect(await gone.membership.ended).toEqual({ reason: 'stopped' });
    expect(gone.sent).toEqual([]);
    expect(lastDigits(other.sent)).toEqual([1]);
  });

  it('asks a member whose outgoing buffer passes the bound for a resync, and keeps sending to the others', async () => {
    const { feed, channels, room } = setUp();
    const sent: RoomChange[] = [];
    const slow = channels.join({ room, actor: actor(), emit: (c) => sent.push(c), backlog: () => sent.length, backlogLimit: 3, open: () => true });
    const other = member(channels, room);
    for (let n = 1; n <= 6; n++) feed.publish([change('133078', n)]);
    expect(await slow.ended).toEqual({ reason: 'resync', message: 'more than 3 messages waited to be sent to this client: re-query and subscribe again' });
    expect(sent).toHaveLength(4);
    expect(lastDigits(other.sent)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('ends a member whose emit throws as failed, and the others still get the change', async () => {
    const { feed, channels, room } = setUp();
    const failure = new Error('socket gone wrong');
    const broken = member(channels, room, {
      emit: () => {
        throw failure;
      },
    });
    const other = member(channels, room);
    feed.publish([change('133078', 1)]);
    expect(await broken.membership.ended).toEqual({ reason: 'failed', error: failure });
    expect(lastDigits(other.sent)).toEqual([1]);
  });

  describe('resuming with after', () => {
    it('replays the change log after the position, then goes live, with no gap and no duplicate', async () => {
      const log = [1, 2, 3].map((n) => change('133078', n));
      const { feed, channels, room } = setUp({ log });
      const m = member(channels, room, { after: parsePosition(pos(1)) });
      // Published while the log is read: 3 is also in the log (the tail was behind), 4 is not.
      feed.publish([log[2], change('133078', 4)]);
      expect(m.sent).toEqual([]);
      await settle();
      expect(lastDigits(m.sent)).toEqual([2, 3, 4]);
      feed.publish([change('133078', 5)]);
      expect(lastDigits(m.sent)).toEqual([2, 3, 4, 5]);
    });

    it('does not hold up the live members of its channel meanwhile', async () => {
      const { feed, channels, room } = setUp({ log: [change('133078', 1)] });
      const live = member(channels, room);
      const resuming = member(channels, room, { after: parsePosition(pos(0)) });
      feed.publish([change('133078', 2)]);
      expect(lastDigits(live.sent)).toEqual([2]);
      await settle();
      expect(lastDigits(resuming.sent)).toEqual([1, 2]);
    });

    it('skips what the log holds for other rooms and what the member may not see', async () => {
      const log = [change('133078', 1), change('011002', 2), change('133078', 3, 'Secret'), change('133078', 4)];
      const { channels, room } = setUp({ log });
      const m = member(channels, room, { after: parsePosition(pos(0)) });
      await settle();
      expect(lastDigits(m.sent)).toEqual([1, 4]);
    });

    it('asks for a resync when more was missed than the replay limit', async () => {
      const { channels, room } = setUp({ log: [1, 2, 3].map((n) => change('133078', n)), replayLimit: 2 });
      const m = member(channels, room, { after: parsePosition(pos(0)) });
      expect(await m.membership.ended).toEqual({ reason: 'resync', message: expect.stringMatching(/more than 2 changes were missed/) });
      expect(channels.size).toBe(0);
    });

    it('asks for a resync when more live changes arrive during the replay than may wait', async () => {
      const { feed, channels, room } = setUp({ log: [], holdLimit: 2 });
      const m = member(channels, room, { after: parsePosition(pos(0)) });
      feed.publish([1, 2, 3].map((n) => change('133078', n)));
      expect(await m.membership.ended).toEqual({ reason: 'resync', message: expect.stringMatching(/more than 2 changes arrived during the replay/) });
      expect(m.sent).toEqual([]);
    });

    it('reports any other failure (the change log could not be read)', async () => {
      const failure = new Error('read_models.changes does not exist');
      const { feed, channels, room } = setUp({ history: () => Promise.reject(failure) });
      const m = member(channels, room, { after: parsePosition(pos(0)) });
      expect(await m.membership.ended).toEqual({ reason: 'failed', error: failure });
      expect([channels.size, feed.subscriberCount]).toEqual([0, 0]);
    });
  });
});

describe('visibilityClass', () => {
  it('is the organisation, its kind and the roles in any order — not the person', () => {
    expect(visibilityClass(actor({ personId: 'p2', roles: ['member', 'admin'] }))).toBe(visibilityClass(actor({ roles: ['admin', 'member'] })));
    expect(visibilityClass(actor({ organisationId: '133078' }))).not.toBe(visibilityClass(actor()));
    expect(visibilityClass(actor({ organisationKind: 'prefecture' }))).not.toBe(visibilityClass(actor()));
    expect(visibilityClass(actor({ roles: ['admin'] }))).not.toBe(visibilityClass(actor()));
  });
});
