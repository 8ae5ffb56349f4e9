import { Actor, assertNever, Decider, Decision, DomainError, Role } from '../shared/decider';
import { cleanLabel, isEntityId } from '../specs/input-rules';
import { dateInJapan, isCalendarDate } from './calendar';
import { Allocation, fitsCapacity, peakLoad } from './capacity';
import { MAX_DAYS_PER_MONTH } from './cost-split';
import { AddPoolPerson, ChangePoolPersonCapacity, DispatchPoolPerson, EndPoolDispatch, OpenTalentPool, TalentPoolCommand } from './pools.commands';
import { PoolPersonDispatchedData, TALENT_POOL_CATEGORY, TalentPoolEvent } from './pools.events';

/**
 * One stream per talent pool: a prefecture employs digital specialists and dispatches them to
 * participants of talent-sharing arrangements it hosts, each dispatch taking days per month
 * from the person's capacity over a date range.
 *
 *   unopened ──open──▶ open (add people, change capacities, dispatch, end dispatches)
 *
 * Over-allocation is refused: on no date may a person's overlapping dispatches take more days
 * than the capacity (capacity.ts). A capacity is lowered only to what the person's dispatches
 * take from today (in Japan) on. A dispatch is only ever shortened; to lengthen one, dispatch anew.
 *
 * Who may do what: opening takes a coordinator or admin of a prefecture, whose pool it becomes;
 * everything else a coordinator or admin of that prefecture. A dispatch must serve a current
 * participant of an arrangement (the `arrangement` lookup) that this prefecture hosts, that has
 * not ended, within its term, for no more days than the participant's allotment.
 *
 * Personal data: a name and a reference into the prefecture's personnel file.
 *
 * Checks run in this order: the stream's existence, the actor's permission, then the input.
 */

export interface PoolPerson {
  readonly poolPersonId: string;
  readonly name: string;
  readonly reference: string;
  readonly capacityDaysPerMonth: number;
}
export type Dispatch = Omit<PoolPersonDispatchedData, 'poolId' | 'dispatchedByPersonId' | 'dispatchedAt'>;

export interface TalentPool {
  readonly status: 'open';
  readonly poolId: string;
  readonly name: string;
  readonly prefectureOrganisationId: string;
  readonly people: ReadonlyMap<string, PoolPerson>;
  readonly dispatches: ReadonlyMap<string, Dispatch>;
}
export type TalentPoolState = { readonly status: 'unopened' } | TalentPool;

const RUNNING_ROLES: readonly Role[] = ['coordinator', 'admin'];
const MAX_NAME = 100;
const MAX_REFERENCE = 100;
const MAX_REASON = 2000;
const MAX_PEOPLE = 500;
const LAST_DATE = '9999-12-31';

const isPoolOfficer = (actor: Actor, pool: TalentPool): boolean =>
  actor.organisationId === pool.prefectureOrganisationId && actor.roles.some((role) => RUNNING_ROLES.includes(role));
const isDays = (value: unknown, min: number): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= MAX_DAYS_PER_MONTH;

/** The person's dispatches as allocations of their days, optionally leaving one out. */
export function allocationsOf(state: TalentPoolState, poolPersonId: string, except: string | null = null): Allocation[] {
  if (state.status === 'unopened') return [];
  return [...state.dispatches.values()].filter((d) => d.poolPersonId === poolPersonId && d.dispatchId !== except);
}

/** Days per month the person still has free on every date of [from, to]; null for an unknown person. */
export function availableDays(state: TalentPoolState, poolPersonId: string, from: string, to: string): number | null {
  if (state.status === 'unopened') return null;
  const person = state.people.get(poolPersonId);
  if (person === undefined) return null;
  return Math.max(0, person.capacityDaysPerMonth - peakLoad(allocationsOf(state, poolPersonId), from, to));
}

function existing(state: TalentPoolState, poolId: string, actor: Actor): TalentPool | DomainError {
  if (state.status === 'unopened') return new DomainError('POOL_NOT_FOUND', `Talent pool ${poolId} does not exist.`, 'poolId');
  if (state.poolId !== poolId) throw new Error(`Command for pool ${poolId} decided against the stream of ${state.poolId}`);
  if (!isPoolOfficer(actor, state))
    return new DomainError('FORBIDDEN', `Only a coordinator or admin of ${state.prefectureOrganisationId} runs talent pool ${poolId}.`);
  return state;
}

const personNotFound = (poolPersonId: string) =>
  new DomainError('POOL_PERSON_NOT_FOUND', `${JSON.stringify(poolPersonId)} is not in this pool.`, 'poolPersonId');

function open(command: OpenTalentPool, state: TalentPoolState): Decision<TalentPoolEvent> {
  const { data, metadata } = command;
  const { actor, now } = metadata;
  if (actor.organisationKind !== 'prefecture' || !actor.roles.some((role) => RUNNING_ROLES.includes(role)))
    return new DomainError('FORBIDDEN', 'Only a coordinator or admin of a prefecture opens a talent pool.');
  if (state.status !== 'unopened') return new DomainError('POOL_ALREADY_EXISTS', `Talent pool ${state.poolId} exists already.`, 'poolId');
  if (!isEntityId(data.poolId)) return new DomainError('INVALID_POOL_ID', `${JSON.stringify(data.poolId)} is not a pool id.`, 'poolId');
  const name = cleanLabel(data.name, MAX_NAME);
  if (name === null) return new DomainError('INVALID_NAME', `A pool's name is at most ${MAX_NAME} characters, not blank.`, 'name');
  return [
    {
      type: 'TalentPoolOpened',
      data: { poolId: data.poolId, name, prefectureOrganisationId: actor.organisationId, openedByPersonId: actor.personId, openedAt: now.toISOString() },
    },
  ];
}

function addPerson(command: AddPoolPerson, state: TalentPoolState): Decision<TalentPoolEvent> {
  const { data, metadata } = command;
  const pool = existing(state, data.poolId, metadata.actor);
  if (pool instanceof DomainError) return pool;
  if (!isEntityId(data.poolPersonId)) return new DomainError('INVALID_POOL_PERSON_ID', `${JSON.stringify(data.poolPersonId)} is not an id.`, 'poolPersonId');
  const name = cleanLabel(data.name, MAX_NAME);
  if (name === null) return new DomainError('INVALID_NAME', `A name is at most ${MAX_NAME} characters, not blank.`, 'name');
  const reference = cleanLabel(data.reference, MAX_REFERENCE);
  if (reference === null)
    return new DomainError('INVALID_REFERENCE', `The personnel-file reference is at most ${MAX_REFERENCE} characters, not blank.`, 'reference');
  if (!isDays(data.capacityDaysPerMonth, 0))
    return new DomainError('INVALID_CAPACITY', `A capacity is a whole number of days per month, 0-${MAX_DAYS_PER_MONTH}.`, 'capacityDaysPerMonth');
  const known = pool.people.get(data.poolPersonId);
  if (known !== undefined) {
    if (known.name === name && known.reference === reference && known.capacityDaysPerMonth === data.capacityDaysPerMonth) return [];
    return new DomainError('POOL_PERSON_ALREADY_EXISTS', `${data.poolPersonId} is in the pool already with other details.`, 'poolPersonId');
  }
  if (pool.people.size >= MAX_PEOPLE) return new DomainError('POOL_FULL', `A pool holds at most ${MAX_PEOPLE} people.`, 'poolPersonId');
  return [
    {
      type: 'PoolPersonAdded',
      data: {
        poolId: pool.poolId,
        poolPersonId: data.poolPersonId,
        name,
        reference,
        capacityDaysPerMonth: data.capacityDaysPerMonth,
        addedByPersonId: metadata.actor.personId,
      },
    },
  ];
}

function changeCapacity(command: ChangePoolPersonCapacity, state: TalentPoolState): Decision<TalentPoolEvent> {
  const { data, metadata } = command;
  const pool = existing(state, data.poolId, metadata.actor);
  if (pool instanceof DomainError) return pool;
  const person = pool.people.get(data.poolPersonId);
  if (person === undefined) return personNotFound(data.poolPersonId);
  if (!isDays(data.capacityDaysPerMonth, 0))
    return new DomainError('INVALID_CAPACITY', `A capacity is a whole number of days per month, 0-${MAX_DAYS_PER_MONTH}.`, 'capacityDaysPerMonth');
  if (data.capacityDaysPerMonth === person.capacityDaysPerMonth) return [];
  // Past dispatches are history: only what the person is committed to from today on must still fit.
  const committed = peakLoad(allocationsOf(pool, person.poolPersonId), dateInJapan(metadata.now), LAST_DATE);
  if (data.capacityDaysPerMonth < committed)
    return new DomainError(
      'CAPACITY_BELOW_ALLOCATED',
      `${person.poolPersonId} is dispatched for up to ${committed} days a month from today on; end dispatches before lowering the capacity to ${data.capacityDaysPerMonth}.`,
      'capacityDaysPerMonth',
    );
  return [
    {
      type: 'PoolPersonCapacityChanged',
      data: {
        poolId: pool.poolId,
        poolPersonId: person.poolPersonId,
        capacityDaysPerMonth: data.capacityDaysPerMonth,
        previousCapacityDaysPerMonth: person.capacityDaysPerMonth,
        changedByPersonId: metadata.actor.personId,
      },
    },
  ];
}

function dispatch(command: DispatchPoolPerson, state: TalentPoolState): Decision<TalentPoolEvent> {
  const { data, metadata } = command;
  const pool = existing(state, data.poolId, metadata.actor);
  if (pool instanceof DomainError) return pool;
  if (!isEntityId(data.dispatchId)) return new DomainError('INVALID_DISPATCH_ID', `${JSON.stringify(data.dispatchId)} is not an id.`, 'dispatchId');
  const asked: Dispatch = {
    dispatchId: data.dispatchId,
    poolPersonId: data.poolPersonId,
    organisationId: data.organisationId,
    arrangementId: data.arrangementId,
    daysPerMonth: data.daysPerMonth,
    startDate: data.startDate,
    endDate: data.endDate,
  };
  const known = pool.dispatches.get(data.dispatchId);
  if (known !== undefined) {
    const same = (Object.keys(asked) as (keyof Dispatch)[]).every((key) => known[key] === asked[key]);
    if (same) return []; // a retry
    return new DomainError('DISPATCH_ALREADY_EXISTS', `Dispatch ${data.dispatchId} exists already with other details.`, 'dispatchId');
  }
  const person = pool.people.get(data.poolPersonId);
  if (person === undefined) return personNotFound(data.poolPersonId);
  const arrangement = data.arrangement;
  if (arrangement === null || arrangement === undefined || arrangement.arrangementId !== data.arrangementId)
    return new DomainError('ARRANGEMENT_NOT_FOUND', `Arrangement ${data.arrangementId} does not exist.`, 'arrangementId');
  if (arrangement.phase === 'ended') return new DomainError('ARRANGEMENT_ENDED', `Arrangement ${data.arrangementId} has ended.`, 'arrangementId');
  if (arrangement.hostOrganisationId !== pool.prefectureOrganisationId)
    return new DomainError(
      'HOST_MISMATCH',
      `Arrangement ${data.arrangementId} is hosted by ${arrangement.hostOrganisationId}; this pool's people are employed by ${pool.prefectureOrganisationId}.`,
      'arrangementId',
    );
  const participant = arrangement.participants.find((p) => p.organisationId === data.organisationId);
  if (participant === undefined)
    return new DomainError('NOT_A_PARTICIPANT', `${data.organisationId} is not a participant of arrangement ${data.arrangementId}.`, 'organisationId');
  if (!isDays(data.daysPerMonth, 1))
    return new DomainError(
      'INVALID_DAYS_PER_MONTH',
      `A dispatch takes 1-${MAX_DAYS_PER_MONTH} days per month; got ${JSON.stringify(data.daysPerMonth)}.`,
      'daysPerMonth',
    );
  if (data.daysPerMonth > participant.daysPerMonth)
    return new DomainError(
      'EXCEEDS_ALLOTMENT',
      `${data.organisationId} is allotted ${participant.daysPerMonth} days a month in arrangement ${data.arrangementId}.`,
      'daysPerMonth',
    );
  if (!isCalendarDate(data.startDate)) return new DomainError('INVALID_START_DATE', `startDate is a date YYYY-MM-DD.`, 'startDate');
  if (!isCalendarDate(data.endDate) || data.endDate < data.startDate)
    return new DomainError('INVALID_END_DATE', `endDate is a date YYYY-MM-DD, not before startDate.`, 'endDate');
  if (data.startDate < arrangement.startDate || data.endDate > arrangement.endDate)
    return new DomainError('OUTSIDE_TERM', `A dispatch lies within the arrangement's term, ${arrangement.startDate} to ${arrangement.endDate}.`, 'startDate');
  const allocations = allocationsOf(pool, person.poolPersonId);
  if (!fitsCapacity(allocations, asked, person.capacityDaysPerMonth)) {
    const free = Math.max(0, person.capacityDaysPerMonth - peakLoad(allocations, asked.startDate, asked.endDate));
    return new DomainError(
      'OVER_ALLOCATED',
      `${person.poolPersonId} has ${free} of ${person.capacityDaysPerMonth} days a month free between ${asked.startDate} and ${asked.endDate}; asked for ${asked.daysPerMonth}.`,
      'daysPerMonth',
    );
  }
  return [
    {
      type: 'PoolPersonDispatched',
      data: { poolId: pool.poolId, ...asked, dispatchedByPersonId: metadata.actor.personId, dispatchedAt: metadata.now.toISOString() },
    },
  ];
}

function endDispatch(command: EndPoolDispatch, state: TalentPoolState): Decision<TalentPoolEvent> {
  const { data, metadata } = command;
  const pool = existing(state, data.poolId, metadata.actor);
  if (pool instanceof DomainError) return pool;
  const known = pool.dispatches.get(data.dispatchId);
  if (known === undefined) return new DomainError('DISPATCH_NOT_FOUND', `Dispatch ${JSON.stringify(data.dispatchId)} does not exist.`, 'dispatchId');
  if (data.endDate === known.endDate) return []; // ended on that day already, or a retry
  if (!isCalendarDate(data.endDate) || data.endDate < known.startDate || data.endDate > known.endDate)
    return new DomainError(
      'INVALID_END_DATE',
      `A dispatch ends between its start ${known.startDate} and its current end ${known.endDate}; to lengthen it, dispatch anew.`,
      'endDate',
    );
  const reason = cleanLabel(data.reason, MAX_REASON);
  if (reason === null) return new DomainError('REASON_REQUIRED', `Ending a dispatch early needs a reason of at most ${MAX_REASON} characters.`, 'reason');
  return [
    {
      type: 'PoolDispatchEnded',
      data: {
        poolId: pool.poolId,
        dispatchId: known.dispatchId,
        endDate: data.endDate,
        previousEndDate: known.endDate,
        reason,
        endedByPersonId: metadata.actor.personId,
      },
    },
  ];
}

function inPool(state: TalentPoolState, event: TalentPoolEvent): TalentPool {
  if (state.status !== 'open') throw new Error(`${event.type} before TalentPoolOpened`);
  return state;
}

export function evolve(state: TalentPoolState, event: TalentPoolEvent): TalentPoolState {
  switch (event.type) {
    case 'TalentPoolOpened': {
      if (state.status !== 'unopened') throw new Error(`TalentPoolOpened twice in ${state.poolId}`);
      const { poolId, name, prefectureOrganisationId } = event.data;
      return { status: 'open', poolId, name, prefectureOrganisationId, people: new Map(), dispatches: new Map() };
    }
    case 'PoolPersonAdded': {
      const pool = inPool(state, event);
      const { poolPersonId, name, reference, capacityDaysPerMonth } = event.data;
      return { ...pool, people: new Map(pool.people).set(poolPersonId, { poolPersonId, name, reference, capacityDaysPerMonth }) };
    }
    case 'PoolPersonCapacityChanged': {
      const pool = inPool(state, event);
      const person = pool.people.get(event.data.poolPersonId);
      if (person === undefined) throw new Error(`PoolPersonCapacityChanged for unknown ${event.data.poolPersonId}`);
      return { ...pool, people: new Map(pool.people).set(person.poolPersonId, { ...person, capacityDaysPerMonth: event.data.capacityDaysPerMonth }) };
    }
    case 'PoolPersonDispatched': {
      const pool = inPool(state, event);
      const { poolId: _pool, dispatchedByPersonId: _by, dispatchedAt: _at, ...dispatched } = event.data;
      return { ...pool, dispatches: new Map(pool.dispatches).set(dispatched.dispatchId, dispatched) };
    }
    case 'PoolDispatchEnded': {
      const pool = inPool(state, event);
      const known = pool.dispatches.get(event.data.dispatchId);
      if (known === undefined) throw new Error(`PoolDispatchEnded for unknown ${event.data.dispatchId}`);
      return { ...pool, dispatches: new Map(pool.dispatches).set(known.dispatchId, { ...known, endDate: event.data.endDate }) };
    }
    default:
      return assertNever(event);
  }
}

export function decide(command: TalentPoolCommand, state: TalentPoolState): Decision<TalentPoolEvent> {
  switch (command.type) {
    case 'OpenTalentPool':
      return open(command, state);
    case 'AddPoolPerson':
      return addPerson(command, state);
    case 'ChangePoolPersonCapacity':
      return changeCapacity(command, state);
    case 'DispatchPoolPerson':
      return dispatch(command, state);
    case 'EndPoolDispatch':
      return endDispatch(command, state);
    default:
      return assertNever(command);
  }
}

export const initialState = (): TalentPoolState => ({ status: 'unopened' });

export const talentPoolDecider: Decider<TalentPoolState, TalentPoolCommand, TalentPoolEvent> = {
  category: TALENT_POOL_CATEGORY,
  decide,
  evolve,
  initialState,
};
