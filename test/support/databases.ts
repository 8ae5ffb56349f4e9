import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL servers a test file can run against: always the embedded one, and DATABASE_URL's when set. */
export function testServers(): { name: string; url: string }[] {
  const servers: { name: string; url: string }[] = [];
  const embedded = process.env.JEST_EMBEDDED_PG_URL;
  if (!embedded) throw new Error('JEST_EMBEDDED_PG_URL is not set: run integration tests through jest (test/support/global-setup.ts)');
  servers.push({ name: 'embedded PostgreSQL', url: embedded });
  if (!process.env.DATABASE_URL && process.env.CI === 'true') {
    throw new Error('CI=true but DATABASE_URL is not set: in CI the external PostgreSQL is required (see .ci/run)');
  }
  if (process.env.DATABASE_URL) servers.push({ name: 'external PostgreSQL (DATABASE_URL)', url: process.env.DATABASE_URL });
  return servers;
}

export function embeddedServerUrl(): string {
  return testServers()[0].url;
}

/** A fresh, empty database on a server, dropped again by `drop`. */
export async function createTestDatabase(serverUrl: string, label = 't'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `kyogi_${label}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
