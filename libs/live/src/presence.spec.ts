import { PresenceUpdates, peopleIn, type PresentPerson, type RoomPresence } from './presence';

const person = (personId: string, displayName: string, organisationId = '011002'): PresentPerson => ({ personId, displayName, organisationId });

describe('peopleIn', () => {
  it('lists a person once however many sockets (tabs) they have, ordered by name', () => {
    const sapporo = person('demo-sapporo-staff', '札幌 三郎');
    const auditor = person('demo-auditor', '監査 七海', 'observer-example');
    expect(peopleIn([sapporo, auditor, { ...sapporo, displayName: '別タブ' }, auditor])).toEqual([sapporo, auditor]); // 札 (U+672D) before 監 (U+76E3)
  });

  it('orders people of the same name by person id, so every instance computes the same list', () => {
    expect(peopleIn([person('b', '同名'), person('a', '同名')]).map((p) => p.personId)).toEqual(['a', 'b']);
  });

  it('ignores sockets that carry no person, and copies only the three public fields', () => {
    const withExtra = { ...person('p1', 'A'), email: 'a@example.jp', roles: ['admin'] };
    expect(peopleIn([undefined, null, {}, { personId: 'x' }, withExtra])).toEqual([person('p1', 'A')]);
    expect(peopleIn([])).toEqual([]);
  });
});

describe('PresenceUpdates', () => {
  /** A room whose members change while presence is computed; each computation waits for `release`. */
  function harness() {
    const members = new Map<string, PresentPerson[]>();
    const published: RoomPresence[] = [];
    const computed: string[] = [];
    const gates: (() => void)[] = [];
    const errors: unknown[] = [];
    const updates = new PresenceUpdates({
      compute: async (room) => {
        computed.push(room);
        const snapshot = [...(members.get(room) ?? [])]; // what fetchSockets sees when it is asked
        await new Promise<void>((resolve) => gates.push(resolve));
        if (room === 'broken:1') throw new Error('fetchSockets timed out');
        return snapshot;
      },
      publish: (presence) => published.push(presence),
      onError: (_room, error) => errors.push(error),
    });
    const releaseAll = async () => {
      while (gates.length) {
        gates.shift()!();
        await new Promise((r) => setImmediate(r));
      }
    };
    return { members, published, computed, errors, updates, releaseAll };
  }

  it('turns a burst of joins into two computations, and publishes the state after the last one', async () => {
    const h = harness();
    const room = 'organisation:133078';
    h.members.set(room, [person('a', 'A')]);
    h.updates.request(room);
    for (const id of ['b', 'c', 'd']) {
      h.members.get(room)!.push(person(id, id.toUpperCase()));
      h.updates.request(room);
    }
    await h.releaseAll();
    await h.updates.idle();
    expect(h.computed).toEqual([room, room]);
    expect(h.published.map((p) => p.people.map((x) => x.personId))).toEqual([['a'], ['a', 'b', 'c', 'd']]);
  });

  it('computes rooms independently', async () => {
    const h = harness();
    h.members.set('prefecture:13', [person('a', 'A')]);
    h.members.set('prefecture:01', [person('b', 'B')]);
    h.updates.request('prefecture:13');
    h.updates.request('prefecture:01');
    expect(h.computed).toEqual(['prefecture:13', 'prefecture:01']);
    await h.releaseAll();
    await h.updates.idle();
    expect(h.published).toEqual([
      { room: 'prefecture:13', people: [person('a', 'A')] },
      { room: 'prefecture:01', people: [person('b', 'B')] },
    ]);
  });

  it('reports a failed computation, publishes nothing for it, and computes again on the next request', async () => {
    const h = harness();
    h.updates.request('broken:1');
    await h.releaseAll();
    await h.updates.idle();
    expect(h.errors).toEqual([new Error('fetchSockets timed out')]);
    expect(h.published).toEqual([]);
    h.updates.request('broken:1');
    expect(h.computed).toEqual(['broken:1', 'broken:1']);
    await h.releaseAll();
  });

  it('waits minIntervalMs between two computations of a room, folding every request meanwhile into the next', async () => {
    jest.useFakeTimers();
    try {
      const room = 'organisation:133078';
      const members: PresentPerson[] = [person('a', 'A')];
      const computed: string[][] = [];
      const published: string[][] = [];
      const updates = new PresenceUpdates({
        compute: async () => {
          computed.push(members.map((m) => m.personId));
          return [...members];
        },
        publish: (presence) => published.push(presence.people.map((p) => p.personId)),
        minIntervalMs: 1000,
      });
      updates.request(room);
      await jest.advanceTimersByTimeAsync(0);
      expect(published).toEqual([['a']]); // the first request is answered at once

      // A storm of joins right after: nothing more is computed for a second, then once, with all of them.
      for (const id of ['b', 'c', 'd']) {
        members.push(person(id, id.toUpperCase()));
        updates.request(room);
        await jest.advanceTimersByTimeAsync(300);
      }
      expect(computed).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(100);
      expect(computed).toEqual([['a'], ['a', 'b', 'c', 'd']]);
      expect(published).toEqual([['a'], ['a', 'b', 'c', 'd']]);

      // Quiet again: the next request, a second later, is answered at once.
      await jest.advanceTimersByTimeAsync(1000);
      await updates.idle();
      members.pop();
      updates.request(room);
      await jest.advanceTimersByTimeAsync(0);
      expect(published.at(-1)).toEqual(['a', 'b', 'c']);
      expect(published).toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('ends a pause when closed, publishing nothing more', async () => {
    jest.useFakeTimers();
    try {
      const published: RoomPresence[] = [];
      const updates = new PresenceUpdates({ compute: async () => [person('a', 'A')], publish: (p) => published.push(p), minIntervalMs: 60_000 });
      updates.request('organisation:1');
      await jest.advanceTimersByTimeAsync(0);
      updates.request('organisation:1'); // waits for the interval
      updates.close();
      await updates.idle(); // resolves without the 60 s passing
      expect(published).toHaveLength(1);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('publishes nothing once closed', async () => {
    const h = harness();
    h.updates.request('organisation:1');
    h.updates.close();
    h.updates.request('organisation:2');
    await h.releaseAll();
    await h.updates.idle();
    expect(h.computed).toEqual(['organisation:1']);
    expect(h.published).toEqual([]);
  });
});
