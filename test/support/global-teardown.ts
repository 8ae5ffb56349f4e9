import { rmSync } from 'node:fs';
import path from 'node:path';
import type { EmbeddedPostgres } from '../../libs/event-store/src/postgres/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __kyogiEmbeddedPostgres?: Promise<EmbeddedPostgres> };
  const pending = holder.__kyogiEmbeddedPostgres;
  if (!pending) return;
  holder.__kyogiEmbeddedPostgres = undefined;
  const server = await pending;
  await server.stop();
  rmSync(path.dirname(server.dataDir), { recursive: true, force: true });
}
