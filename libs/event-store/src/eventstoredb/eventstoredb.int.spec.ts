/**
 * The EventStore contract suite against a real EventStoreDB server (22.10 or later). Set
 * EVENTSTORE_CONNECTION_STRING, e.g. `esdb://localhost:2113?tls=false`, to run it; without it
 * the suite reports itself as skipped. Stream names come from the suite (random per test), so the
 * server need not be empty; the factory only connects.
 */
import { describeEventStoreContract } from '../contract/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb.event-store';

const url = process.env.EVENTSTORE_CONNECTION_STRING;

if (!url) {
  describe('EventStoreDB adapter', () => {
    it('is skipped: EVENTSTORE_CONNECTION_STRING is not set', () => {
      console.log('SKIPPED EventStoreDB contract suite: set EVENTSTORE_CONNECTION_STRING to run it');
      expect(url).toBeUndefined();
    });
  });
} else {
  describeEventStoreContract(
    'eventstoredb',
    async () => {
      const store = EventStoreDbEventStore.connect(url);
      return {
        store,
        // No tamper hook: events in EventStoreDB cannot be changed in place.
        cleanup: () => store.close(),
      };
    },
    { supportsRawTamper: false },
  );
}
