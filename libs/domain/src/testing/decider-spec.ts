import { expect } from '@jest/globals';
import { Decider, Decision, DomainCommand, DomainEvent, isDomainError } from '../shared/decider';

/**
 * Given/when/then for deciders:
 *
 *   const spec = DeciderSpecification.for(organisationDecider);
 *   spec.given([registered]).when(addMember).then([memberAdded]);
 *   spec.given([]).when(addMember).thenFails('ORGANISATION_NOT_FOUND');
 *
 * Every assertion compares one "outcome" object (`{ events }` or `{ error }`), so a wrong
 * decision of either kind shows up in a single Jest diff next to what was expected.
 */

export interface ThenClause<E extends DomainEvent> {
  /** The decision succeeded with exactly these events, in this order (strict equality). */
  then(expected: readonly E[]): void;
  /** The decision is a DomainError with this code (and this field, when given). */
  thenFails(code: string, field?: string): void;
  /** The decision succeeded with no events (an idempotent no-op). */
  thenNothing(): void;
}

export interface WhenClause<C extends DomainCommand, E extends DomainEvent> {
  when(command: C): ThenClause<E>;
}

export interface DeciderSpecification<C extends DomainCommand, E extends DomainEvent> {
  given(events: readonly E[]): WhenClause<C, E>;
}

type Outcome =
  { readonly events: readonly unknown[] } | { readonly error: { readonly code: string; readonly message: string; readonly field: string | undefined } };

const outcomeOf = (decision: Decision<unknown>): Outcome =>
  isDomainError(decision) ? { error: { code: decision.code, message: decision.message, field: decision.field } } : { events: [...decision] };

// Freezing inputs makes a decider that mutates its command or the given events throw
// (TypeError in strict mode) instead of passing by accident.
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && !(value instanceof Date)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

export const DeciderSpecification = {
  for<S, C extends DomainCommand, E extends DomainEvent>(decider: Decider<S, C, E>): DeciderSpecification<C, E> {
    return {
      given(events) {
        return {
          when(command) {
            // Decided lazily, so an exception from decide/evolve surfaces inside the then* call.
            const decide = (): Outcome => {
              const state = deepFreeze([...events]).reduce(decider.evolve, decider.initialState());
              return outcomeOf(decider.decide(deepFreeze(command), state));
            };
            return {
              then(expected) {
                expect(decide()).toStrictEqual({ events: [...expected] });
              },
              thenFails(code, field) {
                const error = field === undefined ? { code } : { code, field };
                expect(decide()).toStrictEqual({ error: expect.objectContaining(error) });
              },
              thenNothing() {
                expect(decide()).toStrictEqual({ events: [] });
              },
            };
          },
        };
      },
    };
  },
};
