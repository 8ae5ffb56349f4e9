import { DomainCommand } from '../shared/decider';
import { ArrangementPhase } from './arrangements.events';

export interface OpenTalentPoolData {
  readonly poolId: string;
  readonly name: string;
}
export type OpenTalentPool = DomainCommand<'OpenTalentPool', OpenTalentPoolData>;

export interface AddPoolPersonData {
  readonly poolId: string;
  readonly poolPersonId: string;
  readonly name: string;
  readonly reference: string;
  readonly capacityDaysPerMonth: number;
}
export type AddPoolPerson = DomainCommand<'AddPoolPerson', AddPoolPersonData>;

export interface ChangePoolPersonCapacityData {
  readonly poolId: string;
  readonly poolPersonId: string;
  readonly capacityDaysPerMonth: number;
}
export type ChangePoolPersonCapacity = DomainCommand<'ChangePoolPersonCapacity', ChangePoolPersonCapacityData>;

/** Lookup: the arrangement as its TalentArrangement stream has it now (current terms version). */
export interface ArrangementLookup {
  readonly arrangementId: string;
  readonly phase: ArrangementPhase;
  readonly hostOrganisationId: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly participants: readonly { readonly organisationId: string; readonly daysPerMonth: number }[];
}

export interface DispatchPoolPersonData {
  readonly poolId: string;
  readonly dispatchId: string;
  readonly poolPersonId: string;
  /** The participant the person works for. */
  readonly organisationId: string;
  readonly arrangementId: string;
  readonly daysPerMonth: number;
  readonly startDate: string;
  readonly endDate: string;
  /** Lookup: null when the arrangement does not exist. */
  readonly arrangement: ArrangementLookup | null;
}
export type DispatchPoolPerson = DomainCommand<'DispatchPoolPerson', DispatchPoolPersonData>;

export interface EndPoolDispatchData {
  readonly poolId: string;
  readonly dispatchId: string;
  /** The new last day; between the start and the current end. */
  readonly endDate: string;
  readonly reason: string;
}
export type EndPoolDispatch = DomainCommand<'EndPoolDispatch', EndPoolDispatchData>;

export type TalentPoolCommand = OpenTalentPool | AddPoolPerson | ChangePoolPersonCapacity | DispatchPoolPerson | EndPoolDispatch;
