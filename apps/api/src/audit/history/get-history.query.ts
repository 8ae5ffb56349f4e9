import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { DomainError, type Actor } from '@kyogi/domain/shared/decider';
import type { EventStore } from '@kyogi/event-store/port';
import { EVENT_STORE, READ_DB } from '../../platform/tokens';
import { streamVisibleTo } from './access';
import {
  ENTITY_KINDS,
  parseRevisionCursor,
  readStreamPage,
  streamLength,
  toEntries,
  validatePage,
  type EntityKind,
  type HistoryEntryView,
  type HistoryFilter,
} from './history';
import { StreamFactsReader, streamNameOf } from './stream-facts';

export interface HistoryPage {
  readonly entityKind: EntityKind;
  readonly entityId: string;
  readonly streamName: string;
  readonly eventCount: number;
  readonly edges: readonly { cursor: string; node: HistoryEntryView }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const notFound = (what: string, id: string) =>
  new DomainError('NOT_FOUND', `No ${what} ${JSON.stringify(id)}: it does not exist, or you may not see it.`, 'id');

/** One entity's history, read from its stream; NOT_FOUND alike for an entity that does not exist and one the actor may not see. */
export class GetHistoryQuery {
  constructor(
    readonly actor: Actor,
    readonly kind: EntityKind,
    readonly id: string,
    readonly first: number,
    readonly after: string | null,
    readonly filter: HistoryFilter,
  ) {}
}

@QueryHandler(GetHistoryQuery)
export class GetHistoryHandler implements IQueryHandler<GetHistoryQuery, HistoryPage | DomainError> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: Pool,
  ) {}

  async execute({ actor, kind, id, first, after, filter }: GetHistoryQuery): Promise<HistoryPage | DomainError> {
    const invalid = validatePage(first, filter.types);
    if (invalid) return invalid;
    const from = parseRevisionCursor(after);
    if (from instanceof DomainError) return from;
    const category = ENTITY_KINDS[kind];
    const streamName = category ? streamNameOf(category, id) : null;
    if (!streamName) return notFound(kind.toLowerCase().replace('_', ' '), id);
    const facts = await new StreamFactsReader(this.store).factsOf(streamName);
    if (!facts || !streamVisibleTo(actor, facts)) return notFound(kind.toLowerCase().replace('_', ' '), id);
    const [{ events, hasNextPage }, eventCount] = await Promise.all([
      readStreamPage(this.store, streamName, from, first, filter),
      streamLength(this.store, streamName),
    ]);
    const entries = await toEntries(
      this.db,
      actor,
      events.map((recorded) => ({ recorded, facts })),
    );
    const edges = entries.map((node) => ({ cursor: String(node.revision), node }));
    return {
      entityKind: kind,
      entityId: id,
      streamName,
      eventCount,
      edges,
      pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? after },
    };
  }
}
