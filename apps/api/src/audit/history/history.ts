/**
 * History pages read from the event streams themselves (the source of truth), not from read
 * models: the entries of one stream by revision, or the activity feed's rows resolved to their
 * events. No Nest here; the query handlers call these.
 */
import type { Pool } from 'pg';
import { DomainError, type Actor } from '@kyogi/domain/shared/decider';
import { formatPosition, type EventStore, type RecordedEvent } from '@kyogi/event-store/port';
import { isRedacted, withheldFrom, type HistoryCategory, type StreamFacts } from './access';
import { isKnownEventType, organisationIdsIn, summarise, type LocalizedText, type NameLookup, type OrganisationName } from './summaries';
import { categoryOf, idOf } from './stream-facts';

export const MAX_PAGE = 200;
/** Events read at a time while filtering a stream. */
const CHUNK = 200;

/** GraphQL's HistoryEntityKind ↔ stream categories. */
export const ENTITY_KINDS = {
  PROPOSAL: 'Proposal',
  CONSULTATION: 'Consultation',
  SPEC: 'Spec',
  LADDER: 'Ladder',
  TALENT_ARRANGEMENT: 'TalentArrangement',
  TALENT_POOL: 'TalentPool',
  MANDATE: 'Mandate',
  ORGANISATION: 'Organisation',
  COMMENT: 'Comment',
} as const satisfies Record<string, HistoryCategory>;
export type EntityKind = keyof typeof ENTITY_KINDS;
const KIND_OF_CATEGORY = new Map<string, EntityKind>(Object.entries(ENTITY_KINDS).map(([kind, category]) => [category, kind as EntityKind]));

export interface HistoryEntryView {
  readonly eventId: string;
  readonly streamName: string;
  readonly entityKind: EntityKind | null;
  readonly entityId: string;
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly occurredAt: Date;
  readonly recordedAt: Date;
  readonly actor: { readonly personId: string; readonly organisationId: string; readonly roles: readonly string[] };
  readonly summary: LocalizedText;
  readonly hash: string;
  readonly previousHash: string | null;
  readonly redacted: boolean;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly schemaVersion: number;
}

export interface HistoryFilter {
  readonly actorOrganisationId: string | null;
  readonly actorPersonId: string | null;
  readonly types: readonly string[] | null;
}

export const NO_FILTER: HistoryFilter = Object.freeze({ actorOrganisationId: null, actorPersonId: null, types: null });

/** Checks `first` and the event types of a filter; the error for the first bad one. */
export function validatePage(first: number, types: readonly string[] | null | undefined): DomainError | null {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
    return new DomainError('INVALID_PAGE_SIZE', `first must be between 1 and ${MAX_PAGE}`, 'first');
  const unknown = (types ?? []).filter((type) => !isKnownEventType(type));
  if (unknown.length)
    return new DomainError(
      'UNKNOWN_EVENT_TYPE',
      `types: ${unknown.map((t) => JSON.stringify(t)).join(', ')} is not an event type (e.g. StanceCast, ProposalSubmitted)`,
      'types',
    );
  return null;
}

/** A history cursor is the revision of the page's last entry. */
export function parseRevisionCursor(after: string | null | undefined): bigint | null | DomainError {
  if (after === null || after === undefined) return null;
  return /^\d{1,18}$/.test(after) ? BigInt(after) : new DomainError('INVALID_CURSOR', 'after must be an endCursor returned by an earlier page', 'after');
}

const matches = (event: RecordedEvent, filter: HistoryFilter): boolean =>
  (filter.actorOrganisationId === null || event.metadata.actor.organisationId === filter.actorOrganisationId) &&
  (filter.actorPersonId === null || event.metadata.actor.personId === filter.actorPersonId) &&
  (filter.types === null || filter.types.includes(event.type));

/**
 * Up to `first` events of a stream after revision `after`, oldest first, that match the filter;
 * `hasNextPage` when one more matches. Unfiltered, one read of first + 1 events; filtered, reads
 * of CHUNK events until the page is full or the stream ends.
 */
export async function readStreamPage(
  store: EventStore,
  streamName: string,
  after: bigint | null,
  first: number,
  filter: HistoryFilter,
): Promise<{ events: RecordedEvent[]; hasNextPage: boolean }> {
  const filtered = filter.actorOrganisationId !== null || filter.actorPersonId !== null || filter.types !== null;
  const chunk = filtered ? CHUNK : first + 1;
  const events: RecordedEvent[] = [];
  let from = after === null ? 0n : after + 1n;
  for (;;) {
    const batch = await store.readStream(streamName, { fromRevision: from, maxCount: chunk });
    for (const event of batch) {
      if (!matches(event, filter)) continue;
      if (events.length === first) return { events, hasNextPage: true };
      events.push(event);
    }
    if (batch.length < chunk) return { events, hasNextPage: false };
    from = batch[batch.length - 1].revision + 1n;
  }
}

/** The number of events in a stream (its last revision + 1). */
export async function streamLength(store: EventStore, streamName: string): Promise<number> {
  const [last] = await store.readStream(streamName, { direction: 'backwards', maxCount: 1 });
  return last ? Number(last.revision) + 1 : 0;
}

/** Names of the organisations a page mentions, in one query on read_models.organisations. */
export async function loadNames(pool: Pool, organisationIds: Iterable<string>): Promise<NameLookup> {
  const ids = [...new Set(organisationIds)].filter((id) => id !== '');
  const names = new Map<string, OrganisationName>();
  if (ids.length) {
    const { rows } = await pool.query<{ id: string; name: string; code: string | null }>(
      'SELECT id, name, code FROM read_models.organisations WHERE id = ANY($1)',
      [ids],
    );
    for (const row of rows) names.set(row.id, { name: row.name, code: row.code });
  }
  return (id) => names.get(id);
}

/** One entry as the caller may see it: summary and ids withheld as access.ts decides. */
export function toEntry(actor: Actor, facts: StreamFacts, recorded: RecordedEvent, names: NameLookup): HistoryEntryView {
  const event = { type: recorded.type, data: recorded.data };
  const withheld = withheldFrom(actor, facts, event);
  const redacted = isRedacted(withheld);
  const meta = recorded.metadata;
  const occurredAt = new Date(meta.occurredAt);
  return {
    eventId: recorded.id,
    streamName: recorded.streamName,
    entityKind: KIND_OF_CATEGORY.get(categoryOf(recorded.streamName)) ?? null,
    entityId: idOf(recorded.streamName),
    revision: Number(recorded.revision),
    position: formatPosition(recorded.position),
    type: recorded.type,
    occurredAt: Number.isNaN(occurredAt.getTime()) ? recorded.recordedAt : occurredAt,
    recordedAt: recorded.recordedAt,
    actor: {
      personId: meta.actor.personId,
      organisationId: meta.actor.organisationId,
      roles: (meta.actor.roles ?? []).map((role) => role.toUpperCase()),
    },
    summary: summarise(event, meta.actor.organisationId, names, withheld),
    hash: recorded.hash,
    previousHash: recorded.previousHash,
    redacted,
    correlationId: redacted ? null : meta.correlationId,
    causationId: redacted ? null : meta.causationId,
    schemaVersion: meta.schemaVersion,
  };
}

/** Entries for events of streams the caller may see, with one name lookup for all of them. */
export async function toEntries(pool: Pool, actor: Actor, items: readonly { recorded: RecordedEvent; facts: StreamFacts }[]): Promise<HistoryEntryView[]> {
  const ids = items.flatMap(({ recorded }) => [recorded.metadata.actor.organisationId, ...organisationIdsIn(recorded)]);
  const names = await loadNames(pool, ids);
  return items.map(({ recorded, facts }) => toEntry(actor, facts, recorded, names));
}
