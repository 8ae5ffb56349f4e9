import { Client } from 'pg';
import { describeEventStoreContract } from '../contract/event-store.contract';
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
