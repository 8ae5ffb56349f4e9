import fc from 'fast-check';
import { Actor, isDomainError } from '../shared/decider';
import { DeciderSpecification } from '../testing/decider-spec';
import { ArrangementLookup, DispatchPoolPersonData, TalentPoolCommand } from './pools.commands';
import { availableDays, TalentPool, talentPoolDecider, TalentPoolState } from './pools.decider';
import {
  PoolDispatchEnded,
  PoolPersonAdded,
  PoolPersonDispatched,
  PoolPersonDispatchedData,
  TalentPoolEvent,
  TalentPoolOpened,
  talentPoolStreamName,
} from './pools.events';

const spec = DeciderSpecification.for(talentPoolDecider);

const actor = (personId: string, organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId,
  organisationId,
  organisationKind,
  roles,
});
// 北海道 (010006) runs a pool and dispatches its people to towns of an arrangement it hosts.
const HOKKAIDO = '010006';
const [A, B] = ['016381', '016390'];
const hokkaidoCoordinator = actor('p-hokkaido-coord', HOKKAIDO, 'prefecture', ['coordinator']);
const hokkaidoAdmin = actor('p-hokkaido-admin', HOKKAIDO, 'prefecture', ['admin']);
const hokkaidoMember = actor('p-hokkaido-member', HOKKAIDO, 'prefecture', ['member', 'approver']);
const aomoriCoordinator = actor('p-aomori-coord', '020001', 'prefecture', ['coordinator']);
const townCoordinator = actor('p-town-coord', A, 'municipality', ['coordinator']);

const NOW = new Date('2025-03-01T00:00:00.000Z');
const metadata = (by: Actor, now = NOW) => ({ commandId: '01JQ7Z0000000000000000CMD1', now, actor: by });
function command<T extends TalentPoolCommand['type']>(
  type: T,
  data: Omit<Extract<TalentPoolCommand, { type: T }>['data'], 'poolId'>,
  by: Actor = hokkaidoCoordinator,
  now = NOW,
): TalentPoolCommand {
  return { type, data: { poolId: 'HP1', ...data }, metadata: metadata(by, now) } as unknown as TalentPoolCommand;
}

const ARRANGEMENT: ArrangementLookup = {
  arrangementId: 'TA1',
  phase: 'active',
  hostOrganisationId: HOKKAIDO,
  startDate: '2025-04-01',
  endDate: '2026-03-31',
  participants: [
    { organisationId: A, daysPerMonth: 15 },
    { organisationId: B, daysPerMonth: 15 },
  ],
};
const dispatchData = (data: Partial<DispatchPoolPersonData> = {}): Omit<DispatchPoolPersonData, 'poolId'> => ({
  dispatchId: 'DS1',
  poolPersonId: 'pp1',
  organisationId: A,
  arrangementId: 'TA1',
  daysPerMonth: 10,
  startDate: '2025-04-01',
  endDate: '2025-09-30',
  arrangement: ARRANGEMENT,
  ...data,
});
const dispatch = (data: Partial<DispatchPoolPersonData> = {}, by?: Actor) => command('DispatchPoolPerson', dispatchData(data), by);
const addPerson = (capacityDaysPerMonth = 20, by?: Actor) =>
  command('AddPoolPerson', { poolPersonId: 'pp1', name: '鈴木 次郎', reference: '道職員-0042', capacityDaysPerMonth }, by);
const changeCapacity = (capacityDaysPerMonth: number, now = NOW) =>
  command('ChangePoolPersonCapacity', { poolPersonId: 'pp1', capacityDaysPerMonth }, hokkaidoCoordinator, now);
const endDispatch = (endDate: string, reason = '本人の希望により終了', dispatchId = 'DS1') => command('EndPoolDispatch', { dispatchId, endDate, reason });

const opened: TalentPoolOpened = {
  type: 'TalentPoolOpened',
  data: {
    poolId: 'HP1',
    name: '北海道デジタル人材プール',
    prefectureOrganisationId: HOKKAIDO,
    openedByPersonId: 'p-hokkaido-coord',
    openedAt: NOW.toISOString(),
  },
};
const personAdded = (capacityDaysPerMonth = 20): PoolPersonAdded => ({
  type: 'PoolPersonAdded',
  data: { poolId: 'HP1', poolPersonId: 'pp1', name: '鈴木 次郎', reference: '道職員-0042', capacityDaysPerMonth, addedByPersonId: 'p-hokkaido-coord' },
});
const dispatched = (data: Partial<PoolPersonDispatchedData> = {}): PoolPersonDispatched => {
  const { arrangement: _arrangement, ...rest } = dispatchData();
  return { type: 'PoolPersonDispatched', data: { poolId: 'HP1', ...rest, dispatchedByPersonId: 'p-hokkaido-coord', dispatchedAt: NOW.toISOString(), ...data } };
};
const dispatchEnded = (endDate: string, previousEndDate = '2025-09-30'): PoolDispatchEnded => ({
  type: 'PoolDispatchEnded',
  data: { poolId: 'HP1', dispatchId: 'DS1', endDate, previousEndDate, reason: '本人の希望により終了', endedByPersonId: 'p-hokkaido-coord' },
});
const fold = (events: readonly TalentPoolEvent[]): TalentPoolState => events.reduce(talentPoolDecider.evolve, talentPoolDecider.initialState());

describe('Talent pool decider', () => {
  it('lives in streams named TalentPool-<id>', () => {
    expect(talentPoolDecider.category).toBe('TalentPool');
    expect(talentPoolStreamName('HP1')).toBe('TalentPool-HP1');
  });

  describe('when the pool is unopened', () => {
    const given = spec.given([]);

    it('is opened by a coordinator of a prefecture, as that prefecture’s pool', () => {
      given.when(command('OpenTalentPool', { name: ' 北海道デジタル人材プール ' })).then([opened]);
    });

    it.each([
      ['a town coordinator', townCoordinator],
      ['a prefecture member', hokkaidoMember],
    ])('is not opened by %s', (_, by) => {
      given.when(command('OpenTalentPool', { name: 'プール' }, by)).thenFails('FORBIDDEN');
    });

    it('validates its id and name', () => {
      given
        .when({ ...command('OpenTalentPool', { name: 'プール' }), data: { poolId: 'H P', name: 'プール' } } as TalentPoolCommand)
        .thenFails('INVALID_POOL_ID', 'poolId');
      given.when(command('OpenTalentPool', { name: '' })).thenFails('INVALID_NAME', 'name');
    });

    it('takes nothing else', () => {
      given.when(addPerson()).thenFails('POOL_NOT_FOUND', 'poolId');
      given.when(dispatch()).thenFails('POOL_NOT_FOUND', 'poolId');
    });
  });

  describe('when the pool is open', () => {
    const given = spec.given([opened]);

    it('cannot be opened again', () => {
      given.when(command('OpenTalentPool', { name: 'プール' })).thenFails('POOL_ALREADY_EXISTS', 'poolId');
    });

    it('takes a person by name and personnel-file reference, with a capacity', () => {
      given.when(addPerson()).then([personAdded()]);
      given.when(addPerson(20, hokkaidoAdmin)).then([{ ...personAdded(), data: { ...personAdded().data, addedByPersonId: 'p-hokkaido-admin' } }]);
    });

    it('is run by its own prefecture only', () => {
      given.when(addPerson(20, aomoriCoordinator)).thenFails('FORBIDDEN');
      given.when(addPerson(20, hokkaidoMember)).thenFails('FORBIDDEN');
    });

    it('refuses a capacity outside 0-31 days', () => {
      given.when(addPerson(32)).thenFails('INVALID_CAPACITY', 'capacityDaysPerMonth');
      given.when(addPerson(2.5)).thenFails('INVALID_CAPACITY', 'capacityDaysPerMonth');
    });

    it('knows no dispatch for an unknown person', () => {
      given.when(dispatch()).thenFails('POOL_PERSON_NOT_FOUND', 'poolPersonId');
    });
  });

  describe('when a person is in the pool', () => {
    const given = spec.given([opened, personAdded()]);

    it('decides nothing for the same person again, refuses other details', () => {
      given.when(addPerson()).thenNothing();
      given.when(addPerson(10)).thenFails('POOL_PERSON_ALREADY_EXISTS', 'poolPersonId');
    });

    it('dispatches the person to a participant of an arrangement the prefecture hosts', () => {
      given.when(dispatch()).then([dispatched()]);
      expect(availableDays(fold([opened, personAdded(), dispatched()]), 'pp1', '2025-04-01', '2026-03-31')).toBe(10);
      expect(availableDays(fold([opened, personAdded(), dispatched()]), 'pp1', '2025-10-01', '2026-03-31')).toBe(20);
    });

    it.each<[string, Partial<DispatchPoolPersonData>, string, string]>([
      ['an unknown arrangement', { arrangement: null }, 'ARRANGEMENT_NOT_FOUND', 'arrangementId'],
      ['a lookup of another arrangement', { arrangementId: 'TA2' }, 'ARRANGEMENT_NOT_FOUND', 'arrangementId'],
      ['an ended arrangement', { arrangement: { ...ARRANGEMENT, phase: 'ended' } }, 'ARRANGEMENT_ENDED', 'arrangementId'],
      ['an arrangement hosted by a town', { arrangement: { ...ARRANGEMENT, hostOrganisationId: A } }, 'HOST_MISMATCH', 'arrangementId'],
      ['a town outside the arrangement', { organisationId: '016403' }, 'NOT_A_PARTICIPANT', 'organisationId'],
      ['more days than the town is allotted', { daysPerMonth: 16 }, 'EXCEEDS_ALLOTMENT', 'daysPerMonth'],
      ['zero days', { daysPerMonth: 0 }, 'INVALID_DAYS_PER_MONTH', 'daysPerMonth'],
      ['an impossible date', { startDate: '2025-04-31' }, 'INVALID_START_DATE', 'startDate'],
      ['an end before the start', { endDate: '2025-03-31' }, 'INVALID_END_DATE', 'endDate'],
      ['dates outside the term', { endDate: '2026-04-30' }, 'OUTSIDE_TERM', 'startDate'],
    ])('refuses %s', (_, data, code, field) => {
      given.when(dispatch(data)).thenFails(code, field);
    });

    it('refuses a dispatch beyond the capacity even alone', () => {
      spec
        .given([opened, personAdded(8)])
        .when(dispatch())
        .thenFails('OVER_ALLOCATED', 'daysPerMonth');
    });
  });

  describe('when the person is dispatched for 10 of 20 days a month', () => {
    const history = [opened, personAdded(), dispatched()];
    const given = spec.given(history);

    it('takes an overlapping dispatch up to the capacity, and refuses one day more', () => {
      given
        .when(dispatch({ dispatchId: 'DS2', organisationId: B, startDate: '2025-07-01', endDate: '2026-03-31' }))
        .then([dispatched({ dispatchId: 'DS2', organisationId: B, startDate: '2025-07-01', endDate: '2026-03-31' })]);
      given
        .when(dispatch({ dispatchId: 'DS2', organisationId: B, daysPerMonth: 11, startDate: '2025-09-30', endDate: '2026-03-31' }))
        .thenFails('OVER_ALLOCATED', 'daysPerMonth');
    });

    it('takes a dispatch that starts after the first has ended: they do not compete for days', () => {
      given
        .when(dispatch({ dispatchId: 'DS2', organisationId: B, daysPerMonth: 15, startDate: '2025-10-01', endDate: '2026-03-31' }))
        .then([dispatched({ dispatchId: 'DS2', organisationId: B, daysPerMonth: 15, startDate: '2025-10-01', endDate: '2026-03-31' })]);
    });

    it('decides nothing for the same dispatch again, refuses other details under its id', () => {
      given.when(dispatch()).thenNothing();
      given.when(dispatch({ daysPerMonth: 5 })).thenFails('DISPATCH_ALREADY_EXISTS', 'dispatchId');
    });

    it('lowers the capacity down to what is dispatched, not below', () => {
      given.when(changeCapacity(10)).then([
        {
          type: 'PoolPersonCapacityChanged',
          data: { poolId: 'HP1', poolPersonId: 'pp1', capacityDaysPerMonth: 10, previousCapacityDaysPerMonth: 20, changedByPersonId: 'p-hokkaido-coord' },
        },
      ]);
      given.when(changeCapacity(9)).thenFails('CAPACITY_BELOW_ALLOCATED', 'capacityDaysPerMonth');
      given.when(changeCapacity(20)).thenNothing();
    });

    it('lowers the capacity freely once the dispatch is over (in Japan)', () => {
      given.when(changeCapacity(0, new Date('2025-09-30T15:00:00.000Z'))).then([
        {
          type: 'PoolPersonCapacityChanged',
          data: { poolId: 'HP1', poolPersonId: 'pp1', capacityDaysPerMonth: 0, previousCapacityDaysPerMonth: 20, changedByPersonId: 'p-hokkaido-coord' },
        },
      ]);
      given.when(changeCapacity(0, new Date('2025-09-30T14:59:59.999Z'))).thenFails('CAPACITY_BELOW_ALLOCATED', 'capacityDaysPerMonth');
    });

    it('ends the dispatch early with a reason, freeing the days after it', () => {
      given.when(endDispatch('2025-06-30')).then([dispatchEnded('2025-06-30')]);
      given.when(endDispatch('2025-06-30', '')).thenFails('REASON_REQUIRED', 'reason');
      given.when(endDispatch('2025-09-30')).thenNothing();
      given.when(endDispatch('2025-10-31')).thenFails('INVALID_END_DATE', 'endDate');
      given.when(endDispatch('2025-03-31')).thenFails('INVALID_END_DATE', 'endDate');
      given.when(endDispatch('2025-06-30', '理由', 'DS9')).thenFails('DISPATCH_NOT_FOUND', 'dispatchId');
      const shortened = fold([...history, dispatchEnded('2025-06-30')]);
      expect(availableDays(shortened, 'pp1', '2025-07-01', '2026-03-31')).toBe(20);
      spec
        .given([...history, dispatchEnded('2025-06-30')])
        .when(dispatch({ dispatchId: 'DS2', organisationId: B, daysPerMonth: 15, startDate: '2025-07-01', endDate: '2025-12-31' }))
        .then([dispatched({ dispatchId: 'DS2', organisationId: B, daysPerMonth: 15, startDate: '2025-07-01', endDate: '2025-12-31' })]);
    });
  });

  it('property: no sequence of dispatches, early ends and capacity changes over-allocates a day, and only over-allocation is refused as such', () => {
    const day = (n: number) => new Date(Date.UTC(2025, 3, 1 + n)).toISOString().slice(0, 10);
    const DAYS = Array.from({ length: 200 }, (_, n) => day(n));
    type Step =
      | { kind: 'dispatch'; person: number; days: number; start: number; length: number }
      | { kind: 'end'; which: number; cut: number }
      | { kind: 'capacity'; person: number; capacity: number };
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({
          kind: fc.constant<'dispatch'>('dispatch'),
          person: fc.integer({ min: 0, max: 1 }),
          days: fc.integer({ min: 1, max: 15 }),
          start: fc.integer({ min: 0, max: 150 }),
          length: fc.integer({ min: 0, max: 45 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant<'end'>('end'), which: fc.nat(), cut: fc.nat() }) },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant<'capacity'>('capacity'), person: fc.integer({ min: 0, max: 1 }), capacity: fc.integer({ min: 0, max: 31 }) }),
      },
    );
    const people = ['pp1', 'pp2'];
    const index = new Map(DAYS.map((d, i) => [d, i]));
    /** The oracle: each person's load on each of the 200 days, summed dispatch by dispatch. */
    const loads = (pool: TalentPool): Map<string, number[]> => {
      const result = new Map(people.map((id) => [id, DAYS.map(() => 0)]));
      for (const x of pool.dispatches.values()) {
        const load = result.get(x.poolPersonId)!;
        for (let i = index.get(x.startDate)!; i <= index.get(x.endDate)!; i++) load[i] += x.daysPerMonth;
      }
      return result;
    };
    const arrangement: ArrangementLookup = { ...ARRANGEMENT, startDate: day(0), endDate: day(199) };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 31 }), fc.array(stepArb, { maxLength: 30 }), (cap1, cap2, steps) => {
        let state: TalentPoolState = fold([
          opened,
          personAdded(cap1),
          { type: 'PoolPersonAdded', data: { ...personAdded().data, poolPersonId: 'pp2', capacityDaysPerMonth: cap2 } },
        ]);
        let n = 0;
        for (const step of steps) {
          const pool = state as TalentPool;
          let cmd: TalentPoolCommand;
          if (step.kind === 'dispatch') {
            const id = `DS${++n}`;
            cmd = dispatch({
              dispatchId: id,
              poolPersonId: people[step.person],
              daysPerMonth: step.days,
              startDate: day(step.start),
              endDate: day(step.start + step.length),
              arrangement,
            });
          } else if (step.kind === 'end') {
            const all = [...pool.dispatches.values()];
            if (all.length === 0) continue;
            const target = all[step.which % all.length];
            const span = DAYS.indexOf(target.endDate) - DAYS.indexOf(target.startDate);
            cmd = endDispatch(day(DAYS.indexOf(target.startDate) + (step.cut % (span + 1))), '短縮', target.dispatchId);
          } else {
            cmd = command('ChangePoolPersonCapacity', { poolPersonId: people[step.person], capacityDaysPerMonth: step.capacity }, hokkaidoCoordinator, NOW);
          }
          const decision = talentPoolDecider.decide(cmd, state);
          if (isDomainError(decision)) {
            const load = loads(pool);
            if (step.kind === 'dispatch') {
              expect(decision.code).toBe('OVER_ALLOCATED');
              const person = pool.people.get(people[step.person])!;
              const range = load.get(person.poolPersonId)!.slice(step.start, step.start + step.length + 1);
              expect(range.some((days) => days + step.days > person.capacityDaysPerMonth)).toBe(true);
            } else if (step.kind === 'capacity') {
              expect(decision.code).toBe('CAPACITY_BELOW_ALLOCATED');
              expect(Math.max(...load.get(people[step.person])!)).toBeGreaterThan(step.capacity);
            } else {
              throw new Error(`${decision.code}: ${decision.message}`);
            }
            continue;
          }
          state = decision.reduce(talentPoolDecider.evolve, state);
          const after = state as TalentPool;
          const load = loads(after);
          for (const person of after.people.values()) expect(Math.max(...load.get(person.poolPersonId)!)).toBeLessThanOrEqual(person.capacityDaysPerMonth);
        }
      }),
    );
  });
});
