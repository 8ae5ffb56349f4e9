import { Client } from 'pg';
import { anEvent, describeEventStoreContract } from '../contract/event-store.contract';
import { NON_APPENDING_APPLICATION_NAME, PostgresEventStore } from './postgres.event-store';
import { createTestDatabase, testServers } from '../../../../test/support/databases';

if (!process.env.DATABASE_URL) {
  console.info('SKIPPED external PostgreSQL contract run: DATABASE_URL is not set (the embedded server runs it)');
}

for (const server of testServers()) {
  describeEventStoreContract(server.name, async () => {
    const db = await createTestDatabase(server.url, 'contract');
    const store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 100 });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await db.drop();
      },
      beginSlowAppend: async (stream, events) => {
        const client = new Client({ connectionString: db.url });
        await client.connect();
        await client.query('BEGIN');
        await store.appendInTransaction(client, stream, events, 'no_stream');
        return {
          commit: async () => {
            await client.query('COMMIT');
            await client.end();
          },
        };
      },
      tamper: async (stream, revision, data) => {
        await store.pool.query('UPDATE event_store.events SET data = $3 WHERE stream_name = $1 AND stream_revision = $2', [
          stream,
          revision.toString(),
          JSON.stringify(data),
        ]);
      },
    };
  });
}

describe('PostgreSQL event store schema', () => {
  it('is created once when several processes connect to a new database at the same time', async () => {
    const db = await createTestDatabase(testServers()[0].url, 'schema');
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresEventStore.connect({ connectionString: db.url })));
      const { rows } = await stores[0].pool.query<{ version: number }>('SELECT version FROM event_store.schema_version ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual([1]);
      await stores[1].appendToStream('Thing-1', [anEvent()], 'no_stream');
      expect(await stores[3].readStream('Thing-1')).toHaveLength(1);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await db.drop();
    }
  });
});

/** The streams of the events a new subscription of `store` receives within 3 s of `append`, once caught up. */
async function streamsSeenBy(store: PostgresEventStore, append: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  let caughtUp!: () => void;
  const ready = new Promise<void>((resolve) => (caughtUp = resolve));
  const subscription = store.subscribeToAll(
    async (event) => {
      seen.push(event.streamName);
    },
    { after: await store.headPosition(), onCaughtUp: () => caughtUp() },
  );
  await ready;
  await append();
  const deadline = Date.now() + 3_000;
  while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await subscription.stop();
  return seen;
}

describe('PostgreSQL appends at a known head', () => {
  it('go in one statement without a transaction of their own, keep the chain, and wake subscribers', async () => {
    const db = await createTestDatabase(testServers()[0].url, 'onestmt');
    const store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 60_000 });
    const other = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 60_000 });
    try {
      const connect = jest.spyOn(store.pool, 'connect');
      const first = await store.appendToStream('Thing-1', [anEvent(), anEvent()], 'no_stream'); // a new stream: one statement
      const second = await store.appendToStream('Thing-1', [anEvent()], first.nextExpectedRevision); // the head this store wrote
      // pool.query checks a client out with a callback; only the full path takes one for a BEGIN … COMMIT of its own.
      const ownTransactions = () => connect.mock.calls.filter((args) => typeof args[0] !== 'function').length;
      expect(connect).toHaveBeenCalledTimes(2);
      expect(ownTransactions()).toBe(0);
      expect(second.nextExpectedRevision).toBe(2n);

      // Another process moved the head: the statement finds it moved, and the full path answers precisely.
      await other.appendToStream('Thing-1', [anEvent()], 2n);
      await expect(store.appendToStream('Thing-1', [anEvent()], 2n)).rejects.toMatchObject({ code: 'WRONG_EXPECTED_REVISION' });
      const read = await store.readStream('Thing-1'); // remembers the head as read
      connect.mockClear();
      await store.appendToStream('Thing-1', [anEvent()], read[read.length - 1].revision);
      expect(connect).toHaveBeenCalledTimes(1);
      expect(ownTransactions()).toBe(0);

      // A retry of the same events answers as the first time; an id taken by another stream is refused.
      const retried = anEvent();
      const once = await store.appendToStream('Thing-2', [retried], 'no_stream');
      expect(await store.appendToStream('Thing-2', [retried], 'no_stream')).toEqual(once);
      await expect(store.appendToStream('Thing-3', [retried], 'no_stream')).rejects.toMatchObject({ code: 'DUPLICATE_EVENT_ID' });

      const events = await store.readStream('Thing-1');
      expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
      for (let i = 1; i < events.length; i++) expect(events[i].previousHash).toBe(events[i - 1].hash);
      const { rows } = await store.pool.query<{ revision: string; head_hash: string }>(
        "SELECT revision, head_hash FROM event_store.streams WHERE stream_name = 'Thing-1'",
      );
      expect(rows[0]).toEqual({ revision: '4', head_hash: events[4].hash });

      // Subscribers of another process are woken by the notification (the idle poll is a minute
      // here), after appends in one statement and on the full path (its own BEGIN … COMMIT) alike.
      // A new subscription each time: one that was just woken polls again soon by itself.
      const head = await store.readStream('Thing-2');
      expect(await streamsSeenBy(other, () => store.appendToStream('Thing-2', [anEvent()], head[head.length - 1].revision))).toEqual(['Thing-2']);
      expect(await streamsSeenBy(other, () => store.appendToStream('Thing-4', [anEvent()], 'any'))).toEqual(['Thing-4']);
    } finally {
      await other.close();
      await store.close();
      await db.drop();
    }
  });
});

describe('PostgreSQL connections lost by the server', () => {
  it('do not crash the process when the server ends a checked-out connection between its queries; the store carries on', async () => {
    const db = await createTestDatabase(testServers()[0].url, 'terminated');
    const store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 100 });
    try {
      const client = await store.pool.connect();
      await client.query('BEGIN');
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // What a server restart or failover does to the connections it holds. The client's 'error'
      // event follows; the test adds no listener of its own, so without the store's it is uncaught.
      await store.pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      for (let i = 0; i < 100; i++) {
        const { rowCount } = await store.pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [rows[0].pid]);
        if (!rowCount) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release(true);
      const appended = await store.appendToStream('Thing-after-termination', [anEvent('ThingHappened', { n: 1 })], 'no_stream');
      expect(appended.nextExpectedRevision).toBe(0n);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});

describe('PostgreSQL readers and transactions that never append', () => {
  /** A transaction holding a transaction id (it wrote a row), run under `applicationName` until `end`. */
  async function openWriter(url: string, applicationName: string | null) {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query('BEGIN');
    if (applicationName) await client.query(`SET LOCAL application_name = '${applicationName}'`);
    await client.query('CREATE TEMP TABLE held (n int)');
    await client.query('INSERT INTO held VALUES (1)');
    return {
      end: async (how: 'COMMIT' | 'ROLLBACK') => {
        await client.query(how);
        await client.end();
      },
    };
  }

  it('see events appended after a projector transaction began while it is still open, and still wait for any other open transaction', async () => {
    const db = await createTestDatabase(testServers()[0].url, 'nonappending');
    const store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 60_000 });
    try {
      await store.appendToStream('Thing-before', [anEvent()], 'no_stream');
      const projector = await openWriter(db.url, NON_APPENDING_APPLICATION_NAME);
      await store.appendToStream('Thing-during-projector', [anEvent()], 'no_stream');
      expect((await store.readAll()).map((e) => e.streamName)).toEqual(['Thing-before', 'Thing-during-projector']);
      expect((await store.headPosition()).commit).toBe((await store.readAll()).at(-1)!.position.commit);

      // Any other transaction holding an id (it might append and commit later) still hides what was appended after it began.
      const other = await openWriter(db.url, null);
      await store.appendToStream('Thing-during-other', [anEvent()], 'no_stream');
      expect((await store.readAll()).map((e) => e.streamName)).toEqual(['Thing-before', 'Thing-during-projector']);
      await projector.end('COMMIT');
      expect((await store.readAll()).map((e) => e.streamName)).toEqual(['Thing-before', 'Thing-during-projector']);
      await other.end('ROLLBACK');
      expect((await store.readAll()).map((e) => e.streamName)).toEqual(['Thing-before', 'Thing-during-projector', 'Thing-during-other']);
    } finally {
      await store.close();
      await db.drop();
    }
  });

  it('wait for a transaction on a connection that once ran under the non-appending name: the name ends with its transaction', async () => {
    const db = await createTestDatabase(testServers()[0].url, 'nonappendingname');
    const store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 60_000 });
    const client = new Client({ connectionString: db.url, application_name: 'kyogi-something-else' });
    await client.connect();
    try {
      // SET LOCAL ends with the transaction: the connection's next transaction is an ordinary one again.
      await client.query(`BEGIN; SET LOCAL application_name = '${NON_APPENDING_APPLICATION_NAME}'; COMMIT`);
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()');
      await store.appendToStream('Thing-after', [anEvent()], 'no_stream');
      expect(await store.readAll()).toEqual([]);
      await client.query('COMMIT');
      expect((await store.readAll()).map((e) => e.streamName)).toEqual(['Thing-after']);
    } finally {
      await client.end();
      await store.close();
      await db.drop();
    }
  });
});
