import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { EventMetadata, RecordedEvent } from './port';

/** What an event's hash covers: everything that is the event, and the link to the one before. */
export interface HashedContent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
  readonly previousHash: string | null;
}

/** RFC 8785 (JCS) canonical JSON of the hashed content; bigints as decimal strings. */
export function canonicalContent(content: HashedContent): string {
  return canonicalJson({
    id: content.id,
    streamName: content.streamName,
    revision: content.revision.toString(),
    type: content.type,
    data: content.data,
    metadata: content.metadata,
    previousHash: content.previousHash,
  });
}

export function eventHash(content: HashedContent): string {
  return createHash('sha256').update(canonicalContent(content), 'utf8').digest('hex');
}

export type ChainBreak =
  | { readonly reason: 'content'; readonly event: RecordedEvent; readonly expectedHash: string }
  | { readonly reason: 'link'; readonly event: RecordedEvent; readonly expectedPreviousHash: string | null }
  | { readonly reason: 'revision'; readonly event: RecordedEvent; readonly expectedRevision: bigint };

/**
 * Checks one stream's events, read forwards from revision 0, and returns the first that does
 * not match: its stored content no longer gives its hash, or its link does not name the hash
 * of the event before it, or a revision is missing. `null` when the stream is intact.
 */
export function verifyStreamChain(events: Iterable<RecordedEvent>): ChainBreak | null {
  let previousHash: string | null = null;
  let expectedRevision = 0n;
  for (const event of events) {
    if (event.revision !== expectedRevision) return { reason: 'revision', event, expectedRevision };
    if (event.previousHash !== previousHash) return { reason: 'link', event, expectedPreviousHash: previousHash };
    const expectedHash = eventHash(event);
    if (expectedHash !== event.hash) return { reason: 'content', event, expectedHash };
    previousHash = event.hash;
    expectedRevision += 1n;
  }
  return null;
}
