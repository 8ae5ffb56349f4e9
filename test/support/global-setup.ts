import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../libs/event-store/src/postgres/embedded-postgres';

/**
 * One embedded PostgreSQL server for the whole test run (each test file makes its own
 * database on it). Its admin URL reaches the test workers through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const holder = globalThis as { __kyogiEmbeddedPostgres?: Promise<EmbeddedPostgres> };
  if (!holder.__kyogiEmbeddedPostgres) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kyogi-test-pg-'));
    chmodSync(dataDir, 0o755); // reachable by the postgres OS user when tests run as root
    holder.__kyogiEmbeddedPostgres = startEmbeddedPostgres({ dataDir });
  }
  const server = await holder.__kyogiEmbeddedPostgres;
  process.env.JEST_EMBEDDED_PG_URL = server.url('postgres');
}
