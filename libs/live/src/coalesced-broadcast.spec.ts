import { CoalescedBroadcast } from './coalesced-broadcast';
import type { RoomChange } from './rooms';

const at = (room: string, n: number): RoomChange => ({
  room,
  entity: 'consultation',
  id: room.slice(room.indexOf(':') + 1),
  change: 'StanceCast',
  position: `${n.toString(16).padStart(16, '0')}.${n.toString(16).padStart(16, '0')}`,
});

function broadcast() {
  const sent: { members: string[]; change: RoomChange }[] = [];
  const flushes: (() => void)[] = [];
  const b = new CoalescedBroadcast({ send: (members, change) => sent.push({ members: [...members], change }), schedule: (flush) => flushes.push(flush) });
  return { b, sent, flushes };
}

describe('CoalescedBroadcast', () => {
  it('sends a change handed over by many members once, to all of them, at the end of the turn', () => {
    const { b, sent, flushes } = broadcast();
    for (const member of ['s1', 's2', 's3']) b.add(member, 7n, at('consultation:c1', 7));
    expect(sent).toEqual([]);
    expect(flushes).toHaveLength(1); // one flush per turn, however many changes
    flushes[0]();
    expect(sent).toEqual([{ members: ['s1', 's2', 's3'], change: at('consultation:c1', 7) }]);
  });

  it('keeps the same change in two rooms apart: the room is part of what a member receives', () => {
    const { b, sent, flushes } = broadcast();
    b.add('s1', 7n, at('consultation:c1', 7));
    b.add('s2', 7n, at('organisation:133078', 7));
    flushes[0]();
    expect(sent.map((s) => [s.members, s.change.room])).toEqual([
      [['s1'], 'consultation:c1'],
      [['s2'], 'organisation:133078'],
    ]);
  });

  it('sends in log order whoever handed a change over first, so that every member gets its changes in order', () => {
    const { b, sent, flushes } = broadcast();
    b.add('s2', 2n, at('consultation:c1', 2)); // s2 may not see 1
    b.add('s1', 1n, at('consultation:c1', 1));
    b.add('s1', 2n, at('consultation:c1', 2));
    flushes[0]();
    expect(sent.map((s) => [s.change.position.slice(-1), s.members])).toEqual([
      ['1', ['s1']],
      ['2', ['s2', 's1']],
    ]);
  });

  it("counts what waits for each member until it is sent (part of the member's backlog)", () => {
    const { b, flushes } = broadcast();
    b.add('s1', 1n, at('consultation:c1', 1));
    b.add('s1', 2n, at('consultation:c1', 2));
    b.add('s2', 2n, at('consultation:c1', 2));
    expect([b.waiting('s1'), b.waiting('s2'), b.waiting('s3')]).toEqual([2, 1, 0]);
    flushes[0]();
    expect([b.waiting('s1'), b.waiting('s2')]).toEqual([0, 0]);
    b.add('s1', 3n, at('consultation:c1', 3));
    expect(flushes).toHaveLength(2); // the next turn schedules its own flush
  });

  it('hands every member of the turn to `around`, which runs all the sends at once', () => {
    const events: string[] = [];
    const flushes: (() => void)[] = [];
    const b = new CoalescedBroadcast({
      send: (members, change) => events.push(`send ${change.position.slice(-1)} to ${members.join(',')}`),
      around: (members, sendAll) => {
        events.push(`hold ${[...members].join(',')}`);
        sendAll();
        events.push('release');
      },
      schedule: (flush) => flushes.push(flush),
    });
    b.add('s1', 1n, at('consultation:c1', 1));
    b.add('s2', 1n, at('consultation:c1', 1));
    b.add('s2', 2n, at('consultation:c1', 2));
    flushes[0]();
    expect(events).toEqual(['hold s1,s2', 'send 1 to s1,s2', 'send 2 to s2', 'release']);
  });

  it('flushes by itself at the end of the turn by default', async () => {
    const sent: string[][] = [];
    const b = new CoalescedBroadcast({ send: (members) => sent.push([...members]) });
    b.add('s1', 1n, at('consultation:c1', 1));
    b.add('s2', 1n, at('consultation:c1', 1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([['s1', 's2']]);
  });
});
