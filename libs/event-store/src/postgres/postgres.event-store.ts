import { setTimeout as delay } from 'node:timers/promises';
import { Pool, type PoolClient, Client } from 'pg';
import { eventHash } from '../hash-chain';
import {
  START,
  assertStreamName,
  comparePositions,
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionHandler,
  type EventMetadata,
} from '../port';
import { migrateEventStoreSchema } from './schema';

const NOTIFY_CHANNEL = 'kyogi_events';
const BATCH = 500;
/** After a NOTIFY, the appends of the next few ms share one: a subscriber polls 5 ms after being woken anyway. */
const NOTIFY_INTERVAL_MS = 5;

interface EventRow {
  global_position: string;
  commit_position: string;
  stream_name: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  hash: string;
  previous_hash: string | null;
  recorded_at: Date;
}

const COLUMNS = `global_position, transaction_id::text AS commit_position, stream_name, stream_revision, event_id,
  event_type, data, metadata, hash, previous_hash, recorded_at`;

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamName: row.stream_name,
    revision: BigInt(row.stream_revision),
    position: { commit: BigInt(row.commit_position), prepare: BigInt(row.global_position) },
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    hash: row.hash,
    previousHash: row.previous_hash,
    recordedAt: row.recorded_at,
  };
}

/** JSON-safe copy: what jsonb will give back is what gets hashed. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const MAX_REMEMBERED_HEADS = 10_000;

/** The events with their revisions and hash chain from the head (`current`, `previousHash`), as the columns of the INSERT. */
function chain(stream: string, events: readonly EventToAppend[], current: bigint, previousHash: string | null) {
  const revisions: string[] = [];
  const data: string[] = [];
  const metadata: string[] = [];
  const hashes: string[] = [];
  const previousHashes: (string | null)[] = [];
  let headHash = previousHash;
  events.forEach((event, i) => {
    const revision = current + 1n + BigInt(i);
    const content = {
      id: event.id,
      streamName: stream,
      revision,
      type: event.type,
      data: plain(event.data),
      metadata: plain(event.metadata),
      previousHash: headHash,
    };
    const hash = eventHash(content);
    revisions.push(revision.toString());
    data.push(JSON.stringify(content.data));
    metadata.push(JSON.stringify(content.metadata));
    hashes.push(hash);
    previousHashes.push(headHash);
    headHash = hash;
  });
  const columns = [revisions, events.map((e) => e.id), events.map((e) => e.type), data, metadata, hashes, previousHashes];
  return { columns, nextExpectedRevision: current + BigInt(events.length), headHash: headHash as string };
}

function lastPosition(rows: readonly { global_position: string; commit_position: string }[]): Position {
  const last = rows.reduce((a, b) => (BigInt(a.global_position) > BigInt(b.global_position) ? a : b));
  return { commit: BigInt(last.commit_position), prepare: BigInt(last.global_position) };
}

function revisionMatches(expected: ExpectedRevision, current: bigint): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === -1n;
  if (expected === 'stream_exists') return current >= 0n;
  return current === expected;
}

/**
 * Transactions run under this application name promise never to append events: the
 * projector's, which write read models only (`SET LOCAL application_name` in their BEGIN). A
 * reader need not wait for them to end, so a projector transaction held open by its own round
 * trips no longer hides the events appended meanwhile from every subscription (ADR 0003).
 */
export const NON_APPENDING_APPLICATION_NAME = 'kyogi-projector';

/**
 * The first transaction id a reader may not yet see: the oldest transaction in progress in this
 * statement's snapshot (`pg_snapshot_xip`) that is not a non-appending one, or, if there is none,
 * the snapshot's `xmax` (every later transaction gets a larger id). Events below it are all
 * committed and none can still arrive there. Only ids of the snapshot's in-progress list are
 * ever skipped, and only while pg_stat_activity shows their backend under
 * NON_APPENDING_APPLICATION_NAME with that very id; a row that cannot be read (another role,
 * or the transaction has ended meanwhile) skips nothing. An InitPlan: computed once per read.
 */
const HORIZON = `(SELECT coalesce(
    (SELECT min(x) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
      WHERE x::xid NOT IN (SELECT backend_xid FROM pg_stat_activity
                            WHERE application_name = '${NON_APPENDING_APPLICATION_NAME}' AND backend_xid IS NOT NULL)),
    pg_snapshot_xmax(pg_current_snapshot())))`;
/** The events a reader may see now (see HORIZON). */
const VISIBLE = `transaction_id < ${HORIZON}`;

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  readonly poolSize?: number;
  /** Poll interval when idle, in case a notification is missed (ms). */
  readonly idlePollMs?: number;
  readonly applicationName?: string;
}

/**
 * The PostgreSQL adapter (embedded server or DATABASE_URL alike).
 *
 * Global order is (transaction id, sequence number), and readers only see events whose
 * transaction id is below the oldest transaction still running that may append (VISIBLE). A
 * transaction that started earlier but commits later therefore can never land behind a
 * reader's checkpoint: its events become visible together with, or before, anything ordered
 * after them. See docs/adr/0003-postgres-global-order.md.
 */
export class PostgresEventStore implements EventStore {
  readonly name = 'postgresql';
  private listener: Client | undefined;
  private listenerReady: Promise<void> | undefined;
  private readonly wakers = new Set<() => void>();
  private readonly stoppers = new Set<() => Promise<void>>();
  private closed = false;
  /**
   * The head (revision, hash) this process last saw of recently used streams. An append whose
   * expected revision is that head goes in one statement (no transaction round trips); the
   * statement itself checks the head, so a stale entry only costs a fall back to the full path.
   */
  private readonly heads = new Map<string, { readonly revision: bigint; readonly hash: string }>();
  /** An append committed since the last NOTIFY was sent: another must follow. */
  private notifyPending = false;
  /** The loop sending NOTIFYs, while one runs (at most one at a time). */
  private notifying: Promise<void> | undefined;

  private constructor(
    readonly pool: Pool,
    /**
     * One connection for the NOTIFY sent after appends commit, apart from the writers' pool (a
     * NOTIFY never waits for a free writer, nor holds one up), with synchronous_commit off: a
     * NOTIFY stores nothing, and PostgreSQL holds its global notify lock until the commit is on
     * disk, which would serialise every notifier behind one WAL flush each.
     */
    private readonly notifier: Pool,
    private readonly options: PostgresEventStoreOptions,
  ) {}

  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'kyogi-event-store',
    });
    pool.on('error', () => undefined); // an idle client's error is reported on its next use
    // A checked-out client has no listener of the pool's: when the server goes away between two
    // of its queries (a restart, a failover), its 'error' event would crash the process. The
    // failure reaches the caller on the client's next query instead, and the pool drops it.
    pool.on('connect', (client) => client.on('error', () => undefined));
    await migrateEventStoreSchema(pool);
    const notifier = new Pool({
      connectionString: options.connectionString,
      max: 1,
      application_name: `${options.applicationName ?? 'kyogi-event-store'}-notify`,
      options: '-c synchronous_commit=off',
    });
    notifier.on('error', () => undefined); // a lost NOTIFY costs a subscriber one idle poll, no more
    notifier.on('connect', (client) => client.on('error', () => undefined));
    return new PostgresEventStore(pool, notifier, options);
  }

  async appendToStream(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    assertStreamName(stream);
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    const known = typeof expected === 'bigint' ? this.heads.get(stream) : undefined;
    if (expected === 'no_stream' || (known !== undefined && known.revision === expected)) {
      const appended = await this.appendInOneStatement(stream, events, known ?? null);
      if (appended) return appended;
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await this.appendWithin(client, stream, events, expected);
      await client.query('COMMIT');
      if (result.appended) this.announce();
      return result.result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * The append itself, inside a transaction the caller owns, with the NOTIFY that goes out when
   * the caller commits. Exposed so the contract suite can hold a transaction open across another
   * commit (the late-commit case).
   */
  async appendInTransaction(client: PoolClient | Client, stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    const { result, appended } = await this.appendWithin(client, stream, events, expected);
    if (appended) await client.query(`SELECT pg_notify('${NOTIFY_CHANNEL}', '')`); // delivered on commit
    return result;
  }

  /** The append inside the caller's transaction; `appended` is false for a retry that stored nothing. */
  private async appendWithin(
    client: PoolClient | Client,
    stream: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<{ readonly result: AppendResult; readonly appended: boolean }> {
    // Locks the stream's row (creating it if new): concurrent appends to one stream queue here.
    const head = await client.query<{ revision: string; head_hash: string | null }>(
      `INSERT INTO event_store.streams (stream_name, category, revision) VALUES ($1, $2, -1)
       ON CONFLICT (stream_name) DO UPDATE SET revision = event_store.streams.revision
       RETURNING revision, head_hash`,
      [stream, stream.slice(0, stream.indexOf('-'))],
    );
    const current = BigInt(head.rows[0].revision);

    // A retry of an append that already succeeded: same ids, already in this stream, in order.
    const ids = events.map((e) => e.id);
    const existing = await client.query<{ event_id: string; stream_name: string; stream_revision: string; global_position: string; commit_position: string }>(
      `SELECT event_id, stream_name, stream_revision, global_position, transaction_id::text AS commit_position
         FROM event_store.events WHERE event_id = ANY($1::uuid[]) ORDER BY stream_revision`,
      [ids],
    );
    if (existing.rowCount) {
      const byId = new Map(existing.rows.map((r) => [r.event_id, r]));
      const rows = ids.map((id) => byId.get(id));
      const first = rows[0];
      const isRetry =
        rows.every((r) => r !== undefined && r.stream_name === stream) &&
        first !== undefined &&
        rows.every((r, i) => BigInt(r!.stream_revision) === BigInt(first.stream_revision) + BigInt(i));
      if (!isRetry)
        throw new DuplicateEventIdError(
          stream,
          existing.rows.map((r) => r.event_id),
        );
      const last = rows[rows.length - 1]!;
      return {
        result: {
          nextExpectedRevision: BigInt(last.stream_revision),
          position: { commit: BigInt(last.commit_position), prepare: BigInt(last.global_position) },
        },
        appended: false,
      };
    }

    if (!revisionMatches(expected, current)) {
      throw new WrongExpectedRevisionError(stream, expected, current < 0n ? 'no_stream' : current);
    }

    const chained = chain(stream, events, current, head.rows[0].head_hash);
    // The events and the stream's new head in one statement (the row is locked above).
    const inserted = await client.query<{ global_position: string; commit_position: string }>(
      `WITH moved AS (UPDATE event_store.streams SET revision = $9, head_hash = $10 WHERE stream_name = $1)
       INSERT INTO event_store.events (stream_name, stream_revision, event_id, event_type, data, metadata, hash, previous_hash)
       SELECT $1, r, id, t, d, m, h, p
         FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[], $8::text[]) WITH ORDINALITY AS u(r, id, t, d, m, h, p, n)
        ORDER BY n
       RETURNING global_position, transaction_id::text AS commit_position`,
      [stream, ...chained.columns, chained.nextExpectedRevision.toString(), chained.headHash],
    );
    // Remembered before the caller commits: if it rolls back, the one-statement path finds the head moved and falls back.
    this.rememberHead(stream, chained.nextExpectedRevision, chained.headHash);
    return { result: { nextExpectedRevision: chained.nextExpectedRevision, position: lastPosition(inserted.rows) }, appended: true };
  }

  /**
   * The whole append as one statement in its own transaction: the stream's row moves from the
   * head this process knows (or is created, for a new stream) and the events go in only if it
   * did. Null when the head was not that (another writer, or a stale memory) or an event id is
   * taken (perhaps a retry): the full path then decides, with its precise errors.
   */
  private async appendInOneStatement(
    stream: string,
    events: readonly EventToAppend[],
    head: { readonly revision: bigint; readonly hash: string } | null,
  ): Promise<AppendResult | null> {
    const chained = chain(stream, events, head?.revision ?? -1n, head?.hash ?? null);
    const moveHead =
      head === null
        ? `INSERT INTO event_store.streams (stream_name, category, revision, head_hash) VALUES ($1, $11, $9, $10)
           ON CONFLICT (stream_name) DO NOTHING RETURNING stream_name`
        : `UPDATE event_store.streams SET revision = $9, head_hash = $10
            WHERE stream_name = $1 AND revision = $11::bigint AND head_hash = $12 RETURNING stream_name`;
    const params = [stream, ...chained.columns, chained.nextExpectedRevision.toString(), chained.headHash];
    params.push(head === null ? stream.slice(0, stream.indexOf('-')) : head.revision.toString());
    if (head !== null) params.push(head.hash);
    let rows: { global_position: string; commit_position: string }[];
    try {
      ({ rows } = await this.pool.query<{ global_position: string; commit_position: string }>({
        // Named: each connection parses it once, not at every append.
        name: head === null ? 'kyogi_append_new_stream' : 'kyogi_append_at_head',
        text: `WITH head AS (${moveHead}),
              appended AS (
                INSERT INTO event_store.events (stream_name, stream_revision, event_id, event_type, data, metadata, hash, previous_hash)
                SELECT head.stream_name, r, id, t, d, m, h, p
                  FROM head, unnest($2::bigint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[], $8::text[]) WITH ORDINALITY AS u(r, id, t, d, m, h, p, n)
                 ORDER BY n
                RETURNING global_position, transaction_id::text AS commit_position)
         SELECT global_position, commit_position FROM appended`,
        values: params,
      }));
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return null; // an event id or stream taken meanwhile: the full path answers
      throw error;
    }
    if (rows.length === 0) {
      this.heads.delete(stream);
      return null;
    }
    this.rememberHead(stream, chained.nextExpectedRevision, chained.headHash);
    this.announce();
    return { nextExpectedRevision: chained.nextExpectedRevision, position: lastPosition(rows) };
  }

  /**
   * After an append committed: wakes this process's subscribers at once, and the others' through
   * a NOTIFY sent after the commit rather than in it (PostgreSQL serialises the commits of
   * notifying transactions, WAL flush included: 16 writers went no faster than one). Appends that
   * commit within NOTIFY_INTERVAL_MS of a NOTIFY share the next one. A NOTIFY lost to a crash
   * between commit and send costs the other processes' subscribers one idle poll (docs/adr/0003).
   */
  private announce(): void {
    for (const wake of this.wakers) wake();
    this.notifyPending = true;
    this.notifying ??= this.sendNotifications();
  }

  private async sendNotifications(): Promise<void> {
    while (this.notifyPending) {
      this.notifyPending = false;
      await this.notifier.query(`NOTIFY ${NOTIFY_CHANNEL}`).catch(() => undefined);
      if (!this.closed) await delay(NOTIFY_INTERVAL_MS);
    }
    this.notifying = undefined; // after the last check, with no await between: no announce is missed
  }

  private rememberHead(stream: string, revision: bigint, hash: string): void {
    this.heads.delete(stream); // re-inserted last: the Map's order is the recency order
    this.heads.set(stream, { revision, hash });
    if (this.heads.size > MAX_REMEMBERED_HEADS) this.heads.delete(this.heads.keys().next().value as string);
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamName(stream);
    const backwards = options.direction === 'backwards';
    const params: unknown[] = [stream];
    let where = 'stream_name = $1';
    if (options.fromRevision !== undefined) {
      params.push(options.fromRevision.toString());
      where += backwards ? ` AND stream_revision <= $2` : ` AND stream_revision >= $2`;
    }
    params.push(options.maxCount ?? null);
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM event_store.events WHERE ${where}
        ORDER BY stream_revision ${backwards ? 'DESC' : 'ASC'} LIMIT $${params.length}`,
      params,
    );
    const recorded = rows.map(toRecorded);
    // A complete forward read (or the newest first) ends (or starts) at the head as it was read.
    const head = backwards
      ? options.fromRevision === undefined
        ? recorded[0]
        : undefined
      : options.maxCount === undefined
        ? recorded[recorded.length - 1]
        : undefined;
    if (head) this.rememberHead(stream, head.revision, head.hash);
    return recorded;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? START;
    const limit = options.maxCount ?? BATCH;
    const { rows } =
      comparePositions(after, START) <= 0
        ? await this.pool.query<EventRow>(`SELECT ${COLUMNS} FROM event_store.events WHERE ${VISIBLE} ORDER BY transaction_id, global_position LIMIT $1`, [
            limit,
          ])
        : await this.pool.query<EventRow>(
            `SELECT ${COLUMNS} FROM event_store.events
              WHERE ${VISIBLE} AND (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
              ORDER BY transaction_id, global_position LIMIT $3`,
            [after.commit.toString(), after.prepare.toString(), limit],
          );
    return rows.map(toRecorded);
  }

  async headPosition(): Promise<Position> {
    const { rows } = await this.pool.query<{ commit_position: string; global_position: string }>(
      `SELECT transaction_id::text AS commit_position, global_position FROM event_store.events
        WHERE ${VISIBLE}
        ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    return rows.length ? { commit: BigInt(rows[0].commit_position), prepare: BigInt(rows[0].global_position) } : START;
  }

  async positionBeforeHead(count: number): Promise<Position> {
    // Walks the global-order index backwards from the head: `count` index entries, no table scan.
    const { rows } = await this.pool.query<{ commit_position: string; global_position: string }>(
      `SELECT transaction_id::text AS commit_position, global_position FROM event_store.events
        WHERE ${VISIBLE}
        ORDER BY transaction_id DESC, global_position DESC OFFSET $1 LIMIT 1`,
      [Math.max(0, Math.floor(count))],
    );
    return rows.length ? { commit: BigInt(rows[0].commit_position), prepare: BigInt(rows[0].global_position) } : START;
  }

  subscribeToAll(handler: SubscriptionHandler, options: SubscribeOptions): Subscription {
    let stopping = false;
    let wake: ((reason: 'notified' | 'stopped') => void) | undefined;
    const sleep = (ms: number) =>
      new Promise<'timeout' | 'notified' | 'stopped'>((resolve) => {
        const timer = setTimeout(() => finish('timeout'), ms);
        function finish(reason: 'timeout' | 'notified' | 'stopped') {
          clearTimeout(timer);
          wake = undefined;
          resolve(reason);
        }
        wake = finish;
      });
    const waker = () => wake?.('notified');
    const idle = this.options.idlePollMs ?? 500;

    const loop = async () => {
      await this.ensureListening();
      let checkpoint = options.after;
      let caughtUp = false;
      // After a notification the new events may still be hidden behind an older transaction
      // that is still open: poll again soon (5, 10, 20 … ms), then fall back to the idle poll.
      let quickPolls = 0;
      while (!stopping) {
        const batch = await this.readAll({ after: checkpoint, maxCount: BATCH });
        for (const event of batch) {
          if (stopping) return;
          await handler(event);
          checkpoint = event.position;
        }
        if (batch.length === BATCH) continue;
        if (!caughtUp) {
          caughtUp = true;
          options.onCaughtUp?.();
        }
        if (stopping) return;
        const delay = quickPolls > 0 ? Math.min(idle, 5 * 2 ** (8 - quickPolls)) : idle;
        quickPolls = Math.max(0, quickPolls - 1);
        const reason = await sleep(delay);
        if (reason === 'notified') quickPolls = 8;
      }
    };
    const stop = async () => {
      stopping = true;
      wake?.('stopped');
      await done.catch(() => undefined);
    };
    this.wakers.add(waker);
    this.stoppers.add(stop);
    const done = loop().finally(() => {
      this.wakers.delete(waker);
      this.stoppers.delete(stop);
    });
    return { done, stop };
  }

  private ensureListening(): Promise<void> {
    this.listenerReady ??= (async () => {
      const client = new Client({ connectionString: this.options.connectionString, application_name: 'kyogi-event-store-listener' });
      client.on('error', () => {
        // Lost the LISTEN connection: fall back to polling and reconnect on the next subscribe.
        this.listener = undefined;
        this.listenerReady = undefined;
      });
      client.on('notification', () => {
        for (const w of this.wakers) w();
      });
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.listener = client;
    })().catch(() => {
      this.listenerReady = undefined; // polling still delivers; retry LISTEN next time
    });
    return this.listenerReady;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.stoppers].map((stop) => stop()));
    await this.listenerReady;
    await this.listener?.end().catch(() => undefined);
    await this.notifying;
    await Promise.all([this.pool.end(), this.notifier.end()]);
  }
}
