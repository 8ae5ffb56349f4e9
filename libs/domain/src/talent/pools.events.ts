import { DomainEvent, streamName } from '../shared/decider';

export const TALENT_POOL_CATEGORY = 'TalentPool';

/** `TalentPool-<poolId>`. */
export const talentPoolStreamName = (poolId: string): string => streamName(TALENT_POOL_CATEGORY, poolId);

export interface TalentPoolOpenedData {
  readonly poolId: string;
  readonly name: string;
  /** The prefecture that runs the pool and employs its people. */
  readonly prefectureOrganisationId: string;
  readonly openedByPersonId: string;
  readonly openedAt: string;
}
export type TalentPoolOpened = DomainEvent<'TalentPoolOpened', TalentPoolOpenedData>;

/** A person the prefecture employs: a name and a reference into its personnel file, nothing more. */
export interface PoolPersonAddedData {
  readonly poolId: string;
  readonly poolPersonId: string;
  readonly name: string;
  readonly reference: string;
  /** Days per month the person can be dispatched, 0-31. */
  readonly capacityDaysPerMonth: number;
  readonly addedByPersonId: string;
}
export type PoolPersonAdded = DomainEvent<'PoolPersonAdded', PoolPersonAddedData>;

export interface PoolPersonCapacityChangedData {
  readonly poolId: string;
  readonly poolPersonId: string;
  readonly capacityDaysPerMonth: number;
  readonly previousCapacityDaysPerMonth: number;
  readonly changedByPersonId: string;
}
export type PoolPersonCapacityChanged = DomainEvent<'PoolPersonCapacityChanged', PoolPersonCapacityChangedData>;

/** A person sent to a participant of an arrangement, for days per month over a date range (both ends included). */
export interface PoolPersonDispatchedData {
  readonly poolId: string;
  readonly dispatchId: string;
  readonly poolPersonId: string;
  readonly organisationId: string;
  readonly arrangementId: string;
  readonly daysPerMonth: number;
  readonly startDate: string;
  readonly endDate: string;
  readonly dispatchedByPersonId: string;
  readonly dispatchedAt: string;
}
export type PoolPersonDispatched = DomainEvent<'PoolPersonDispatched', PoolPersonDispatchedData>;

/** A dispatch cut short: it ends on endDate, freeing the person's days after it. */
export interface PoolDispatchEndedData {
  readonly poolId: string;
  readonly dispatchId: string;
  readonly endDate: string;
  readonly previousEndDate: string;
  readonly reason: string;
  readonly endedByPersonId: string;
}
export type PoolDispatchEnded = DomainEvent<'PoolDispatchEnded', PoolDispatchEndedData>;

export type TalentPoolEvent = TalentPoolOpened | PoolPersonAdded | PoolPersonCapacityChanged | PoolPersonDispatched | PoolDispatchEnded;
