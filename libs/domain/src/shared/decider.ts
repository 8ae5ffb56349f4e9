/**
 * The decider pattern (Emmett / J. Chassaing): pure functions, no I/O, no clock.
 * Time, ids and the acting person arrive in the command's metadata; lookups that cross
 * streams arrive in the command's data, resolved by the caller before deciding.
 */

export type Role = 'viewer' | 'member' | 'approver' | 'coordinator' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'member', 'approver', 'coordinator', 'admin'];

export type OrganisationKind = 'national' | 'prefecture' | 'municipality' | 'vendor' | 'observer';
export const ORGANISATION_KINDS: readonly OrganisationKind[] = ['national', 'prefecture', 'municipality', 'vendor', 'observer'];

/** Who acts: always taken from a verified token, never from input. */
export interface Actor {
  readonly personId: string;
  readonly organisationId: string;
  readonly organisationKind: OrganisationKind;
  readonly roles: readonly Role[];
}

export interface CommandMetadata {
  readonly commandId: string;
  readonly now: Date;
  readonly actor: Actor;
}

export interface DomainEvent<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

export interface DomainCommand<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: CommandMetadata;
}

/**
 * An expected failure, returned (not thrown) by `decide`. `code` is stable and reaches API
 * clients unchanged; `field` names the input at fault when there is one.
 */
export class DomainError {
  readonly kind = 'DomainError' as const;
  constructor(
    readonly code: string,
    readonly message: string,
    readonly field?: string,
  ) {}
}

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;

export type Decision<E> = readonly E[] | DomainError;

export interface Decider<State, C extends DomainCommand, E extends DomainEvent> {
  /** Stream category, e.g. `Organisation` for streams named `Organisation-<id>`. */
  readonly category: string;
  decide(command: C, state: State): Decision<E>;
  evolve(state: State, event: E): State;
  initialState(): State;
}

/** Exhaustiveness check for `switch` over a union: a new case that is not handled fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

export const streamName = (category: string, id: string): string => `${category}-${id}`;
