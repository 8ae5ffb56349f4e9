/**
 * Issue #9, item 5: PostgreSQL restarted under load, in server mode (DATABASE_URL). The app runs
 * against a PostgreSQL server of this test's own (so that restarting it disturbs no other test),
 * while writers keep drafting proposals. The server is stopped and started again on the same
 * port: the app reports not ready while it is down, becomes ready again by itself, keeps taking
 * writes, and every write it acknowledged — before, during or after — is in the store and in the
 * read models.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@kyogi/event-store/postgres/embedded-postgres';
import { demoLogin, gql, gqlData, makeDataDir, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(300_000);

const WRITERS = ['approver@city.sapporo.example.jp', 'staff@vill.hinohara.example.jp', 'secretariat@mic.example.jp'];

let server: EmbeddedPostgres;
let serverDir: string;
let app: AppProcess;

beforeAll(async () => {
  serverDir = makeDataDir('pgrestart'); // reachable by the postgres OS user; removed by stopAllApps
  server = await startEmbeddedPostgres({ dataDir: serverDir, database: 'kyogi' });
  app = await startApp({ databaseUrl: server.url(), seedDemo: true });
});

afterAll(async () => {
  await server?.stop();
  await stopAllApps();
});

/** /health/ready's status; 0 when it does not answer within 5 s (which counts as not ready, never as ready). */
const ready = async (): Promise<number> => (await fetch(`${app.url}/health/ready`, { signal: AbortSignal.timeout(5_000) }).catch(() => ({ status: 0 }))).status;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

it('reports not ready while PostgreSQL is down, recovers by itself, and loses no acknowledged write', async () => {
  expect(await ready()).toBe(200);
  const acknowledged: { id: string; at: 'before' | 'after'; by: string }[] = [];
  let phase: 'before' | 'down' | 'after' = 'before';
  let stop = false;
  let refusedWhileDown = 0;

  const writer = async (email: string) => {
    const token = await demoLogin(app.url, email);
    for (let i = 0; !stop; i++) {
      const id = `PGR${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`;
      const seenPhase = phase;
      const result = await gql(
        app.url,
        'mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { position errors { code } } }',
        {
          input: {
            commandId: randomUUID(),
            proposalId: id,
            specId: 'juminkiroku',
            specVersion: '4.0',
            title: `再起動 ${i}`,
            changes: [{ kind: 'MODIFY', requirementId: '2.1.3', after: `旧氏の記載（${i}）。`, reason: '再起動試験' }],
          },
        },
        token,
        { allowNon200: true },
      ).catch(() => null);
      const ok = result?.status === 200 && !result.errors?.length && result.data?.draftProposal.errors.length === 0;
      // Acknowledged before, during or after the outage: it must be in the store all the same.
      if (ok) acknowledged.push({ id, at: seenPhase === 'before' ? 'before' : 'after', by: email });
      else if (phase === 'down') refusedWhileDown += 1;
      if (!ok) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const writers = Promise.all(WRITERS.map(writer));

  await until('writes before the restart', async () => acknowledged.length >= 10);
  phase = 'down';
  await server.stop();
  const notReadyAfter = await until('not ready', async () => {
    const status = await ready();
    if (status === 0 && app.process.exitCode !== null)
      throw new Error(`the app exited (${app.process.exitCode}) when PostgreSQL stopped:\n${app.stderr().slice(-3000)}\n${app.stdout().slice(-3000)}`);
    return status === 503;
  });

  server = await startEmbeddedPostgres({ dataDir: serverDir, database: 'kyogi', port: server.port });
  const recoveredAfter = await until('ready again', async () => (await ready()) === 200, 120_000);
  phase = 'after';
  const before = acknowledged.length;
  await until('writes after the restart', async () => acknowledged.length >= before + 10);
  stop = true;
  await writers;

  // Every acknowledged write is in the store, once …
  const db = new Client({ connectionString: server.url() });
  await db.connect();
  try {
    const { rows } = await db.query<{ stream_name: string; n: string }>(
      `SELECT stream_name, count(*)::text AS n FROM event_store.events WHERE stream_name = ANY($1) AND event_type = 'ProposalDrafted' GROUP BY 1`,
      [acknowledged.map((a) => `Proposal-${a.id}`)],
    );
    expect(rows).toHaveLength(acknowledged.length);
    expect(rows.every((r) => r.n === '1')).toBe(true);
  } finally {
    await db.end();
  }
  // … and in the read models, which carry on from where they were.
  // A draft is visible to its author organisation only: the last write of the reader's own.
  const token = await demoLogin(app.url, WRITERS[0]);
  const last = acknowledged.filter((a) => a.by === WRITERS[0]).at(-1)!;
  await until('the read models to show the last write', async () => {
    const result = await gql(app.url, 'query ($id: ID!) { proposal(id: $id) { id } }', { id: last.id }, token, { allowNon200: true }).catch(() => null);
    return result?.status === 200 && result.data?.proposal?.id === last.id;
  });
  expect(acknowledged.filter((a) => a.at === 'after').length).toBeGreaterThanOrEqual(10);
  console.info(
    `[e2e figures] PostgreSQL restart under load: not ready ${notReadyAfter} ms after the stop; ready again ${recoveredAfter} ms after the restart; ` +
      `${acknowledged.length} acknowledged writes all present once; ${refusedWhileDown} refused while down`,
  );
  expect(await gqlData(app.url, '{ serverInfo { authMode } }')).toEqual({ serverInfo: { authMode: 'EMBEDDED' } });
});
