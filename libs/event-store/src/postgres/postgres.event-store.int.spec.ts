import { Client } from 'pg';
import { anEvent, describeEventStoreContract } from '../contract/event-store.contract';
import { PostgresEventStore } from './postgres.event-store';
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
