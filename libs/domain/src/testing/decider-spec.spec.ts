import { Decider, DomainCommand, DomainError, DomainEvent } from '../shared/decider';
import { DeciderSpecification } from './decider-spec';

// A tiny counter, just enough to exercise every path of the kit.
type CounterEvent = DomainEvent<'Incremented', { by: number }> | DomainEvent<'Reset', { from: number }>;
type CounterCommand = DomainCommand<'Increment', { by: number }> | DomainCommand<'ResetCounter', Record<string, never>>;

const counter: Decider<number, CounterCommand, CounterEvent> = {
  category: 'Counter',
  initialState: () => 0,
  evolve: (state, event) => (event.type === 'Incremented' ? state + event.data.by : 0),
  decide(command, state) {
    switch (command.type) {
      case 'Increment':
        if (command.data.by <= 0) return new DomainError('INVALID_AMOUNT', 'by must be positive', 'by');
        return [{ type: 'Incremented', data: { by: command.data.by } }];
      case 'ResetCounter':
        return state === 0 ? [] : [{ type: 'Reset', data: { from: state } }];
    }
  },
};

const metadata = {
  commandId: 'c-1',
  now: new Date('2025-04-01T00:00:00Z'),
  actor: { personId: 'p-1', organisationId: 'o-1', organisationKind: 'municipality' as const, roles: ['member' as const] },
};
const increment = (by: number): CounterCommand => ({ type: 'Increment', data: { by }, metadata });
const reset: CounterCommand = { type: 'ResetCounter', data: {}, metadata };
const incremented = (by: number): CounterEvent => ({ type: 'Incremented', data: { by } });

const spec = DeciderSpecification.for(counter);

describe('DeciderSpecification', () => {
  describe('then', () => {
    it('passes when the decided events equal the expected ones', () => {
      spec
        .given([])
        .when(increment(2))
        .then([incremented(2)]);
    });

    it('folds the given events into the state before deciding', () => {
      spec
        .given([incremented(2), incremented(3)])
        .when(reset)
        .then([{ type: 'Reset', data: { from: 5 } }]);
    });

    it('fails when the events differ', () => {
      expect(() =>
        spec
          .given([])
          .when(increment(2))
          .then([incremented(3)]),
      ).toThrow(/toStrictEqual/);
    });

    it('fails when an expected event is missing or an extra one was decided', () => {
      expect(() => spec.given([]).when(increment(2)).then([])).toThrow();
      expect(() =>
        spec
          .given([])
          .when(increment(2))
          .then([incremented(2), incremented(2)]),
      ).toThrow();
    });

    it('fails on a field that is undefined instead of absent (no optional fields in events)', () => {
      const withExtra = { type: 'Incremented', data: { by: 2, note: undefined } } as unknown as CounterEvent;
      expect(() => spec.given([]).when(increment(2)).then([withExtra])).toThrow();
    });

    it('fails, showing the error code, when the decision was a DomainError', () => {
      expect(() =>
        spec
          .given([])
          .when(increment(0))
          .then([incremented(0)]),
      ).toThrow(/INVALID_AMOUNT/);
    });
  });

  describe('thenFails', () => {
    it('passes on the expected code, with or without the field', () => {
      spec.given([]).when(increment(-1)).thenFails('INVALID_AMOUNT');
      spec.given([]).when(increment(-1)).thenFails('INVALID_AMOUNT', 'by');
    });

    it('fails when the decision succeeded', () => {
      expect(() => spec.given([]).when(increment(1)).thenFails('INVALID_AMOUNT')).toThrow(/Incremented/);
    });

    it('fails on another code or another field', () => {
      expect(() => spec.given([]).when(increment(-1)).thenFails('FORBIDDEN')).toThrow(/INVALID_AMOUNT/);
      expect(() => spec.given([]).when(increment(-1)).thenFails('INVALID_AMOUNT', 'amount')).toThrow();
    });
  });

  describe('thenNothing', () => {
    it('passes on an empty decision', () => {
      spec.given([]).when(reset).thenNothing();
    });

    it('fails when events were decided', () => {
      expect(() =>
        spec
          .given([incremented(1)])
          .when(reset)
          .thenNothing(),
      ).toThrow(/Reset/);
    });

    it('fails when the decision was a DomainError', () => {
      expect(() => spec.given([]).when(increment(0)).thenNothing()).toThrow(/INVALID_AMOUNT/);
    });
  });

  it('makes a decider that mutates its command fail', () => {
    const mutating: Decider<number, CounterCommand, CounterEvent> = {
      ...counter,
      decide(command) {
        (command.data as { by: number }).by += 1;
        return [];
      },
    };
    expect(() => DeciderSpecification.for(mutating).given([]).when(increment(1)).thenNothing()).toThrow(TypeError);
  });
});
