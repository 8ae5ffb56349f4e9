import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { DomainError, type Actor } from '@kyogi/domain/shared/decider';
import type { EventStore, RecordedEvent } from '@kyogi/event-store/port';
import { activityPage } from '@kyogi/read-models/activity/activity.projection';
import { EVENT_STORE, READ_DB } from '../../platform/tokens';
import { streamVisibleTo, type StreamFacts } from './access';
import { toEntries, validatePage, type HistoryEntryView } from './history';
import { StreamFactsReader, streamNameOf } from './stream-facts';
import { notFound } from './get-history.query';

export interface ActivityPage {
  readonly organisationId: string;
  readonly edges: readonly { cursor: string; node: HistoryEntryView }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const POSITION = /^[0-9a-f]{16}\.[0-9a-f]{16}$/;
/** Events read from the store at once for one page. */
const PARALLEL_READS = 8;

async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

/**
 * What one organisation did, newest first: the activity read model gives the page of (stream,
 * revision) rows, the events themselves come from the store. The caller is allowed
 * `audit.readActivity` for the organisation (checked by the resolver); entries of streams the
 * caller may not see are left out, the others follow access.ts.
 */
export class GetOrganisationActivityQuery {
  constructor(
    readonly actor: Actor,
    readonly organisationId: string,
    readonly first: number,
    readonly after: string | null,
    readonly types: readonly string[] | null,
  ) {}
}

@QueryHandler(GetOrganisationActivityQuery)
export class GetOrganisationActivityHandler implements IQueryHandler<GetOrganisationActivityQuery, ActivityPage | DomainError> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: Pool,
  ) {}

  async execute({ actor, organisationId, first, after, types }: GetOrganisationActivityQuery): Promise<ActivityPage | DomainError> {
    const invalid = validatePage(first, types);
    if (invalid) return invalid;
    if (after !== null && !POSITION.test(after)) return new DomainError('INVALID_CURSOR', 'after must be an endCursor returned by an earlier page', 'after');
    const reader = new StreamFactsReader(this.store);
    const organisationStream = streamNameOf('Organisation', organisationId);
    if (!organisationStream || !(await reader.factsOf(organisationStream))) return notFound('organisation', organisationId);

    const rows = await activityPage(this.db, organisationId, { before: after, limit: first + 1, types });
    const hasNextPage = rows.length > first;
    const page = rows.slice(0, first);
    const loaded = await inParallel(page, PARALLEL_READS, async (row) => {
      const [recorded] = await this.store.readStream(row.streamName, { fromRevision: row.revision, maxCount: 1 });
      const facts = await reader.factsOf(row.streamName);
      return recorded && facts && streamVisibleTo(actor, facts) ? { recorded, facts } : null;
    });
    const visible = loaded.filter((item): item is { recorded: RecordedEvent; facts: StreamFacts } => item !== null);
    const entries = await toEntries(this.db, actor, visible);
    return {
      organisationId,
      edges: entries.map((node) => ({ cursor: node.position, node })),
      // The last row read, shown or not: the next page starts after it.
      pageInfo: { hasNextPage, endCursor: page.at(-1)?.position ?? after },
    };
  }
}
