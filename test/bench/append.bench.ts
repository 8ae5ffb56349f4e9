/**
 * (1) Append: single-event appends with an expected revision to many streams, by 1 and by 16
 * concurrent writers, on the embedded PostgreSQL and on the system one (DATABASE_URL). Three
 * sides, measured in the same rounds on the same database, in alternating order:
 *
 * - kyogi: `PostgresEventStore.appendToStream` (libs/event-store), the hash chain included;
 * - emmett: `@event-driven-io/emmett-postgresql`'s `appendToStream`, the same events;
 * - raw: a plain INSERT of the same row content per event, in its own transaction — the ceiling
 *   any event store on this server can reach with one commit per append.
 *
 * Every round uses new streams; each writer owns its own streams (no conflicts: this measures
 * the append, not the retry), and appends to them round-robin, so a quarter of the appends
 * create a stream and the rest continue one with its expected revision.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { STREAM_DOES_NOT_EXIST, type ExpectedStreamVersion } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { PostgresEventStore } from '../../libs/event-store/src/postgres/postgres.event-store';
import type { EventMetadata, ExpectedRevision } from '../../libs/event-store/src/port';
import { createTestDatabase } from '../support/databases';
import { now, quietPool, type BenchContext, type Benchmark } from './harness';
import { pairedRatioValues, percentile, ratePerSecond } from './stats';

const NAME = 'append';
const SIDES = ['kyogi', 'emmett', 'raw'] as const;
type Side = (typeof SIDES)[number];
/** Events per stream in a round: the first creates the stream. */
const EVENTS_PER_STREAM = 4;

interface RoundResult {
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** A StanceCast-sized event (what the hot path appends most). */
function eventData(stream: string, i: number): Record<string, unknown> {
  return {
    consultationId: stream,
    draftId: randomUUID(),
    organisationId: String(10_000 + (i % 1741)).padStart(6, '0'),
    castByOrganisationId: String(10_000 + (i % 1741)).padStart(6, '0'),
    mandateId: null,
    stance: 'approve',
    reason: null,
    approvedByPersonId: randomUUID(),
    supersedes: null,
  };
}

function eventMetadata(): EventMetadata {
  const id = randomUUID();
  return {
    actor: { personId: randomUUID(), organisationId: '011002', roles: ['member', 'approver'] },
    correlationId: id,
    causationId: id,
    occurredAt: new Date().toISOString(),
    schemaVersion: 1,
  };
}

interface Appender {
  /** Appends one event to `stream`, whose `index`th event (0-based) this is. */
  append(stream: string, index: number, data: Record<string, unknown>, metadata: EventMetadata): Promise<void>;
  close(): Promise<void>;
}

async function kyogiAppender(url: string, writers: number): Promise<Appender> {
  const store = await PostgresEventStore.connect({ connectionString: url, poolSize: writers, applicationName: 'bench-kyogi' });
  return {
    async append(stream, index, data, metadata) {
      const expected: ExpectedRevision = index === 0 ? 'no_stream' : BigInt(index - 1);
      const result = await store.appendToStream(stream, [{ id: randomUUID(), type: 'StanceCast', data, metadata }], expected);
      if (result.nextExpectedRevision !== BigInt(index)) throw new Error(`kyogi: ${stream} is at ${result.nextExpectedRevision}, not ${index}`);
    },
    close: () => store.close(),
  };
}

async function emmettAppender(url: string, writers: number): Promise<Appender> {
  const pool = quietPool({ connectionString: url, max: writers, application_name: 'bench-emmett' });
  const store = getPostgreSQLEventStore(url, { connectionOptions: { pool }, schema: { autoMigration: 'CreateOrUpdate' } });
  await store.schema.migrate();
  return {
    async append(stream, index, data, metadata) {
      // Emmett counts stream versions from 1: after n events the stream is at version n.
      const expected: ExpectedStreamVersion = index === 0 ? STREAM_DOES_NOT_EXIST : BigInt(index);
      const result = await store.appendToStream(stream, [{ type: 'StanceCast', data, metadata: { ...metadata } }], { expectedStreamVersion: expected });
      if (result.nextExpectedStreamVersion !== BigInt(index + 1))
        throw new Error(`emmett: ${stream} is at ${result.nextExpectedStreamVersion}, not ${index + 1}`);
    },
    close: () => pool.end(),
  };
}

async function rawAppender(url: string, writers: number): Promise<Appender> {
  const pool = quietPool({ connectionString: url, max: writers, application_name: 'bench-raw' });
  await pool.query(`
    CREATE SCHEMA IF NOT EXISTS bench_raw;
    CREATE TABLE IF NOT EXISTS bench_raw.events (
      global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      stream_name     text NOT NULL,
      stream_revision bigint NOT NULL,
      event_id        uuid NOT NULL,
      event_type      text NOT NULL,
      data            jsonb NOT NULL,
      metadata        jsonb NOT NULL
    )`);
  return {
    async append(stream, index, data, metadata) {
      // One statement outside BEGIN … COMMIT: its own transaction, one WAL flush.
      await pool.query('INSERT INTO bench_raw.events (stream_name, stream_revision, event_id, event_type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)', [
        stream,
        index,
        randomUUID(),
        'StanceCast',
        JSON.stringify(data),
        JSON.stringify(metadata),
      ]);
    },
    close: () => pool.end(),
  };
}

/** `events` appends by `writers` concurrent writers, each to its own streams, round-robin. */
async function appendRound(appender: Appender, prefix: string, events: number, writers: number): Promise<RoundResult> {
  const streams = events / EVENTS_PER_STREAM;
  const latencies: number[] = [];
  const started = now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const mine = Array.from({ length: streams / writers }, (_, k) => `Bench-${prefix}-${writer + k * writers}`);
      for (let index = 0; index < EVENTS_PER_STREAM; index++) {
        for (const stream of mine) {
          const data = eventData(stream, index);
          const metadata = eventMetadata();
          const t0 = now();
          await appender.append(stream, index, data, metadata);
          latencies.push(now() - t0);
        }
      }
    }),
  );
  const elapsed = now() - started;
  return { eventsPerSecond: ratePerSecond(latencies.length, elapsed), p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

export const append: Benchmark = {
  name: NAME,
  title: 'single-event appends with expected revision: Kyogi against Emmett and a plain INSERT, 1 and 16 writers',
  async run(context: BenchContext): Promise<void> {
    for (const server of await context.servers(NAME)) {
      const database = await createTestDatabase(server.url, 'bench_append');
      try {
        for (const writers of [1, 16]) {
          // A multiple of writers × EVENTS_PER_STREAM, so every writer has as many streams.
          const unit = writers * EVENTS_PER_STREAM;
          const wanted = context.size('events', writers === 1 ? 1000 : 3000, writers === 1 ? 200 : 640);
          const events = Math.max(unit, Math.round(wanted / unit) * unit);
          const appenders: Record<Side, Appender> = {
            kyogi: await kyogiAppender(database.url, writers),
            emmett: await emmettAppender(database.url, writers),
            raw: await rawAppender(database.url, writers),
          };
          const caseName = `${server.label} PG, ${writers} writer${writers > 1 ? 's' : ''}`;
          try {
            const results = await context.rounds(`append on ${caseName}`, SIDES, (side, round) =>
              appendRound(appenders[side], `${side}${round}w${writers}${randomBytes(3).toString('hex')}`, events, writers),
            );
            const rate = (side: Side) => results[side].map((r) => r.eventsPerSecond);
            for (const side of SIDES) context.figure(NAME, caseName, `${side} events/s`, 'events/s', rate(side));
            for (const side of SIDES)
              context.figure(
                NAME,
                caseName,
                `${side} p99 latency`,
                'ms',
                results[side].map((r) => r.p99Ms),
              );
            const overEmmett = context.figure(NAME, caseName, 'kyogi ÷ emmett (events/s, same round)', '×', pairedRatioValues(rate('kyogi'), rate('emmett')), {
              atLeast: 1,
            });
            const overRaw = context.figure(NAME, caseName, 'kyogi ÷ raw INSERT (events/s, same round)', '×', pairedRatioValues(rate('kyogi'), rate('raw')), {
              atLeast: 0.5,
            });
            context.progress(`${caseName}: kyogi/emmett ${overEmmett.summary.median.toFixed(2)}, kyogi/raw ${overRaw.summary.median.toFixed(2)}`);
          } finally {
            await Promise.all(SIDES.map((side) => appenders[side].close()));
          }
          context.note(NAME, `${caseName}: ${events} events per side per round over ${events / EVENTS_PER_STREAM} new streams`);
        }
        context.note(NAME, `${server.label} PG: ${server.description}`);
      } finally {
        await database.drop();
      }
    }
  },
};
