import type { RecordedEvent } from '@kyogi/event-store/port';

/**
 * The events of a stream (read forwards from revision 0) that had occurred at `at`: those with
 * `metadata.occurredAt ≤ at`, taken as the stream's longest prefix. Times in a stream rise with
 * its revisions; should a retried command ever have appended an event stamped earlier than the
 * one before it, the prefix still stops at the first event after `at`, so the state folded from
 * it is always one the stream really passed through (folding a subset that skips an event could
 * build a state that never existed, or fail).
 */
export function eventsUpTo(events: readonly RecordedEvent[], at: Date): RecordedEvent[] {
  const limit = at.getTime();
  const upTo: RecordedEvent[] = [];
  for (const event of events) {
    if (!(Date.parse(event.metadata.occurredAt) <= limit)) break;
    upTo.push(event);
  }
  return upTo;
}
