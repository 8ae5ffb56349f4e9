/**
 * A large, realistic event log for the rebuild and memory benchmarks, written straight into the
 * PostgreSQL event store's tables (libs/event-store/src/postgres/schema.ts) with multi-row
 * INSERTs — a million appends through `appendToStream` would take longer than the benchmarks.
 *
 * The events have the shapes the domain's deciders record (libs/domain/src/*\/*.events.ts) and
 * the order they allow (an organisation before its members, a proposal before its comments and
 * its consultation, a parent comment before its replies, a draft before the stance that approves
 * it), so that every projection does its real work on them. Every stream carries a correct hash
 * chain (hash-chain.ts), so the log verifies like one written by the store.
 *
 * Shape, for `events` = 1,000,000: 1,788 organisations (1 national, 47 prefectures, 1,740
 * municipalities) with one member each; events / 100 proposals (10,000), each drafted, revised
 * and submitted; one proposal in five opened to the municipalities of one prefecture, every one
 * of which drafts and casts a stance; the rest of the events are comments (a third of them
 * replies) and reactions to them, spread evenly over the proposals.
 */
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { eventHash } from '../../libs/event-store/src/hash-chain';
import { PostgresEventStore } from '../../libs/event-store/src/postgres/postgres.event-store';
import type { EventMetadata } from '../../libs/event-store/src/port';
import { createTestDatabase } from '../support/databases';
import { quietPool } from './harness';

export const ORGANISATIONS = 1788;
/** The national organisation's member (admin, coordinator): `demoLogin` signs in any member of the read models by e-mail. */
export const LOG_ADMIN_EMAIL = 'admin@bench.example.jp';
const PREFECTURES = 47;
const MUNICIPALITIES = ORGANISATIONS - 1 - PREFECTURES;
/** Rows per INSERT statement. */
const ROWS_PER_INSERT = 2000;
/** INSERT statements per transaction. */
const INSERTS_PER_TRANSACTION = 10;

export interface EventLogShape {
  readonly events: number;
  readonly organisations: number;
  readonly proposals: number;
  readonly consultations: number;
  readonly comments: number;
  readonly reactions: number;
  readonly stances: number;
  /** Bytes of the events' data and metadata as JSON. */
  readonly bytes: number;
}

export interface EventLog {
  readonly url: string;
  readonly shape: EventLogShape;
  readonly generatedInMs: number;
}

interface Org {
  readonly id: string;
  readonly personId: string;
  readonly prefectureCode: string | null;
  readonly roles: readonly string[];
}

interface Row {
  stream: string;
  revision: bigint;
  id: string;
  type: string;
  data: string;
  metadata: string;
  hash: string;
  previousHash: string | null;
}

/** Writes rows in order, one INSERT of ROWS_PER_INSERT at a time (building the next while the last one runs). */
class Writer {
  private rows: Row[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private statements = 0;
  private open = false;
  written = 0;
  bytes = 0;
  readonly heads = new Map<string, { revision: bigint; hash: string }>();

  constructor(private readonly client: PoolClient) {}

  /** Appends one event to its stream, continuing the stream's hash chain. */
  add(stream: string, type: string, data: Record<string, unknown>, metadata: EventMetadata): void {
    const head = this.heads.get(stream);
    const revision = head ? head.revision + 1n : 0n;
    const previousHash = head?.hash ?? null;
    const id = randomUUID();
    const hash = eventHash({ id, streamName: stream, revision, type, data, metadata, previousHash });
    this.heads.set(stream, { revision, hash });
    const row: Row = { stream, revision, id, type, data: JSON.stringify(data), metadata: JSON.stringify(metadata), hash, previousHash };
    this.bytes += row.data.length + row.metadata.length;
    this.rows.push(row);
    if (this.rows.length >= ROWS_PER_INSERT) this.send();
  }

  /** Streams whose last event is written: their heads are no longer needed here. */
  forget(stream: string): { revision: bigint; hash: string } | undefined {
    const head = this.heads.get(stream);
    this.heads.delete(stream);
    return head;
  }

  private send(): void {
    const rows = this.rows;
    this.rows = [];
    const previous = this.inFlight;
    this.inFlight = (async () => {
      await previous;
      if (!this.open) {
        await this.client.query('BEGIN');
        this.open = true;
      }
      await this.client.query(
        `INSERT INTO event_store.events (stream_name, stream_revision, event_id, event_type, data, metadata, hash, previous_hash)
         SELECT s, r, id, t, d, m, h, p
           FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[], $8::text[]) WITH ORDINALITY AS u(s, r, id, t, d, m, h, p, n)
          ORDER BY n`,
        [
          rows.map((r) => r.stream),
          rows.map((r) => r.revision.toString()),
          rows.map((r) => r.id),
          rows.map((r) => r.type),
          rows.map((r) => r.data),
          rows.map((r) => r.metadata),
          rows.map((r) => r.hash),
          rows.map((r) => r.previousHash),
        ],
      );
      this.written += rows.length;
      if (++this.statements % INSERTS_PER_TRANSACTION === 0) {
        await this.client.query('COMMIT');
        this.open = false;
      }
    })();
    // Keep the chain's rejection observed; `finish` rethrows it.
    this.inFlight.catch(() => undefined);
  }

  async finish(streams: Map<string, { revision: bigint; hash: string }>): Promise<void> {
    if (this.rows.length) this.send();
    await this.inFlight;
    if (this.open) await this.client.query('COMMIT');
    this.open = false;
    const names = [...streams.keys()];
    for (let i = 0; i < names.length; i += 10_000) {
      const slice = names.slice(i, i + 10_000);
      await this.client.query(
        `INSERT INTO event_store.streams (stream_name, category, revision, head_hash)
         SELECT s, split_part(s, '-', 1), r, h FROM unnest($1::text[], $2::bigint[], $3::text[]) AS u(s, r, h)`,
        [slice, slice.map((s) => streams.get(s)!.revision.toString()), slice.map((s) => streams.get(s)!.hash)],
      );
    }
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Writes the log into the empty database at `url`; returns its shape. */
export async function writeEventLog(url: string, events: number): Promise<EventLogShape> {
  if (!Number.isInteger(events) || events < 20_000) throw new RangeError(`the event log needs at least 20,000 events, not ${events}`);
  // Creates the event store's schema the way the app does.
  await (await PostgresEventStore.connect({ connectionString: url, poolSize: 1, applicationName: 'bench-event-log' })).close();
  const pool: Pool = quietPool({ connectionString: url, max: 1, application_name: 'bench-event-log' });
  const client = await pool.connect();
  try {
    const writer = new Writer(client);
    const done = new Map<string, { revision: bigint; hash: string }>();
    const finishStream = (stream: string) => done.set(stream, writer.forget(stream)!);
    let clock = Date.parse('2026-04-01T00:00:00.000Z');
    const metadata = (actor: Org): EventMetadata => {
      clock += 1000;
      const id = randomUUID();
      return {
        actor: { personId: actor.personId, organisationId: actor.id, roles: [...actor.roles] },
        correlationId: id,
        causationId: id,
        occurredAt: new Date(clock).toISOString(),
        schemaVersion: 1,
      };
    };

    // Organisations, each with one member.
    const national: Org = { id: 'bench-national', personId: randomUUID(), prefectureCode: null, roles: ['admin', 'coordinator'] };
    const prefectures: Org[] = [];
    const municipalities: Org[][] = [];
    for (let p = 1; p <= PREFECTURES; p++) {
      prefectures.push({ id: `${pad(p, 2)}0000`, personId: randomUUID(), prefectureCode: pad(p, 2), roles: ['member', 'coordinator'] });
      municipalities.push([]);
    }
    for (let m = 0; m < MUNICIPALITIES; m++) {
      const p = (m % PREFECTURES) + 1;
      municipalities[p - 1].push({
        id: `${pad(p, 2)}${pad(Math.floor(m / PREFECTURES) + 1, 3)}1`,
        personId: randomUUID(),
        prefectureCode: pad(p, 2),
        roles: ['member', 'approver'],
      });
    }
    const organisations = [national, ...prefectures, ...municipalities.flat()];
    for (const org of organisations) {
      const stream = `Organisation-${org.id}`;
      const kind = org === national ? 'national' : org.id.endsWith('0000') ? 'prefecture' : 'municipality';
      writer.add(
        stream,
        'OrganisationRegistered',
        {
          organisationId: org.id,
          kind,
          name: `${kind === 'national' ? '測定庁' : kind === 'prefecture' ? '測定県' : '測定市'} ${org.id}`,
          nameKana: null,
          code: kind === 'national' ? null : org.id,
          prefectureCode: org.prefectureCode,
          parentId: kind === 'municipality' ? `${org.prefectureCode}0000` : null,
          active: true,
          population: kind === 'municipality' ? 1000 + ((Number(org.id.slice(2, 5)) * 7919) % 900_000) : null,
        },
        metadata(national),
      );
      writer.add(
        stream,
        'MemberAdded',
        {
          organisationId: org.id,
          personId: org.personId,
          displayName: `職員 ${org.id}`,
          email: org === national ? LOG_ADMIN_EMAIL : `staff@${org.id}.example.jp`,
          roles: org.roles,
        },
        metadata(national),
      );
      finishStream(stream);
    }

    // What the api records once it has registered the organisations: with it, an api started on this log does not seed
    // the registry of local governments on top (apps/api/src/organisations/seed/registry-seed.ts).
    writer.add('Seed-registry', 'RegistrySeeded', { source: 'bench', organisations: organisations.length }, metadata(national));
    finishStream('Seed-registry');

    // Proposals, their consultations and comments, in roughly equal chunks of the remaining events.
    const proposals = Math.max(1, Math.round(events / 100));
    const consultations = Math.floor(proposals / 5);
    const meanElectorate = MUNICIPALITIES / PREFECTURES;
    const fixed = organisations.length * 2 + proposals * 3 + consultations * (1 + 2 * meanElectorate);
    const commentEventsPerProposal = Math.max(1, (events - fixed) / proposals);
    let commentEvents = 0;
    let comments = 0;
    let reactions = 0;
    let stances = 0;
    const changes = (revision: number, n: number) =>
      Array.from({ length: 4 }, (_, i) => ({
        changeId: `c${revision}-${i + 1}`,
        kind: 'modify',
        requirementId: `${1 + (i % 3)}.${1 + ((n + i) % 4)}.${1 + i}`,
        requirementTitle: `要件 ${i + 1}`,
        before: '住民票の記載事項は、法令に定めるとおりとすること。',
        after: `第${revision}版の修文案 ${i + 1}：住民票の記載事項について、旧氏の記載の有無を選択できること。`,
        reason: `地方公共団体からの意見を踏まえ、記載の選択を可能にするため（改訂 ${revision}）`,
      }));

    for (let n = 0; n < proposals; n++) {
      const proposalId = randomUUID();
      const prefecture = n % PREFECTURES;
      const author = n % 3 === 0 ? national : prefectures[prefecture];
      const specId = `spec-${n % 20}`;
      const stream = `Proposal-${proposalId}`;
      const title = `測定用の修文案 ${n + 1}`;
      writer.add(
        stream,
        'ProposalDrafted',
        { proposalId, specId, version: '4.0', title, changes: changes(1, n), authorPersonId: author.personId, authorOrganisationId: author.id },
        metadata(author),
      );
      writer.add(stream, 'ProposalRevised', { proposalId, revision: 2, title: `${title}（改訂）`, changes: changes(2, n) }, metadata(author));
      writer.add(stream, 'ProposalSubmitted', { proposalId, revision: 2 }, metadata(author));
      finishStream(stream);

      // Comments and reactions: two comments for every reaction; a third of the comments reply to an earlier one.
      const threads: string[] = [];
      const target = Math.round(commentEventsPerProposal * (n + 1)) - commentEvents;
      for (let k = 0; k < target; k++) {
        const by = municipalities[(n + k) % PREFECTURES][k % municipalities[(n + k) % PREFECTURES].length];
        if (k % 3 === 2 && threads.length) {
          const commentId = threads[(k * 7) % threads.length];
          writer.add(
            `Comment-${commentId}`,
            'ReactionChanged',
            { commentId, personId: by.personId, organisationId: by.id, reaction: k % 2 ? 'agree' : 'disagree' },
            metadata(by),
          );
          reactions++;
        } else {
          const commentId = randomUUID();
          const parent = k % 3 === 1 && threads.length ? threads[threads.length - 1] : null;
          writer.add(
            `Comment-${commentId}`,
            'CommentPosted',
            {
              commentId,
              proposalId,
              specId,
              version: '4.0',
              anchor: { kind: 'requirement', requirementId: `2.1.${1 + (k % 4)}` },
              quote: null,
              parentCommentId: parent,
              body: `${by.id} の意見 ${k + 1}：旧氏の記載を選択制とする場合、証明書の様式も合わせて見直す必要があります。`,
              authorPersonId: by.personId,
              authorOrganisationId: by.id,
            },
            metadata(by),
          );
          threads.push(commentId);
          comments++;
        }
      }
      commentEvents += target;
      for (const commentId of threads) finishStream(`Comment-${commentId}`);

      if (n % 5 === 0 && n / 5 < consultations) {
        const consultationId = randomUUID();
        const cstream = `Consultation-${consultationId}`;
        const electorate = municipalities[prefecture].map((m) => ({ organisationId: m.id, weight: 1 }));
        const opened = metadata(national);
        writer.add(
          cstream,
          'ConsultationOpened',
          {
            consultationId,
            proposalId,
            specId,
            openedByPersonId: national.personId,
            openedByOrganisationId: national.id,
            openedAt: opened.occurredAt,
            electorate,
            weighting: 'equal',
            quorumPercent: 50,
            thresholdPercent: 50,
            thresholdBasis: 'approve_of_approve_and_object',
            blockVetoes: false,
            closesAt: new Date(clock + 30 * 86_400_000).toISOString(),
            resultsHidden: false,
            ladderId: null,
            stage: null,
          },
          opened,
        );
        for (const [i, voter] of municipalities[prefecture].entries()) {
          const draftId = randomUUID();
          const stance = (['approve', 'object', 'abstain'] as const)[i % 3];
          const common = { consultationId, draftId, organisationId: voter.id, castByOrganisationId: voter.id, mandateId: null, stance, reason: null };
          writer.add(cstream, 'StanceDrafted', { ...common, draftedByPersonId: voter.personId }, metadata(voter));
          writer.add(cstream, 'StanceCast', { ...common, approvedByPersonId: voter.personId, supersedes: null }, metadata(voter));
          stances++;
        }
        finishStream(cstream);
      }
    }
    await writer.finish(done);
    // Fresh statistics, as autovacuum would have after a real history of appends.
    await client.query('ANALYZE event_store.events');
    await client.query('ANALYZE event_store.streams');
    return {
      events: writer.written,
      organisations: organisations.length,
      proposals,
      consultations,
      comments,
      reactions,
      stances,
      bytes: writer.bytes,
    };
  } finally {
    client.release();
    await pool.end();
  }
}

const logs = new Map<string, Promise<EventLog>>();

/**
 * The event log of `events` events in its own database on `serverUrl`, written once per
 * benchmark run and shared by the benchmarks that read it (they must not append to it, or
 * restore what they changed). The database goes with the embedded server at the end of the run.
 */
export function sharedEventLog(serverUrl: string, events: number, progress: (line: string) => void): Promise<EventLog> {
  const key = `${serverUrl} ${events}`;
  let log = logs.get(key);
  if (!log) {
    log = (async () => {
      const database = await createTestDatabase(serverUrl, 'bench_log');
      progress(`writing an event log of ${events.toLocaleString('en-US')} events`);
      const started = Date.now();
      const shape = await writeEventLog(database.url, events);
      const generatedInMs = Date.now() - started;
      progress(`event log written in ${(generatedInMs / 1000).toFixed(0)} s: ${JSON.stringify(shape)}`);
      return { url: database.url, shape, generatedInMs };
    })();
    logs.set(key, log);
    log.catch(() => logs.delete(key));
  }
  return log;
}
