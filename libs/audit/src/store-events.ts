import { comparePositions, START, type EventStore, type Position, type RecordedEvent } from '@kyogi/event-store/port';

/**
 * Reading a whole log or one stream from any event store adapter, page by page, for exports,
 * checkpoints and verification. Only the port is used, so PostgreSQL and EventStoreDB alike.
 */

/** Every event in global order, up to `upTo` (inclusive) when given. */
export async function* allEvents(store: EventStore, options: { readonly upTo?: Position; readonly pageSize?: number } = {}): AsyncGenerator<RecordedEvent> {
  const pageSize = options.pageSize ?? 500;
  let after = START;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    for (const event of page) {
      if (options.upTo && comparePositions(event.position, options.upTo) > 0) return;
      yield event;
    }
    if (page.length < pageSize) return;
    after = page[page.length - 1].position;
  }
}

/** One stream's events in revision order. */
export async function* streamEvents(store: EventStore, streamName: string, options: { readonly pageSize?: number } = {}): AsyncGenerator<RecordedEvent> {
  const pageSize = options.pageSize ?? 500;
  let fromRevision = 0n;
  for (;;) {
    const page = await store.readStream(streamName, { fromRevision, maxCount: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    fromRevision = page[page.length - 1].revision + 1n;
  }
}
