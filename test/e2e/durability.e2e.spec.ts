/**
 * The embedded store from the outside: the app with no DATABASE_URL, its own DATA_DIR, started,
 * stopped, killed and started again. The tests share one DATA_DIR and run in order: a cold
 * start seeds it, the rest reuse it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { demoLogin, gql, gqlData, leftoverPostgresPid, makeDataDir, runAppToExit, startApp, stopAllApps, type AppProcess } from '../support/app-process';

// jest.config.js sets testTimeout on the e2e project, but Jest reads it only from the global config.
jest.setTimeout(120_000);

const ADMIN = 'admin@digital.example.jp';
const SEEDED_LINE = /seeded \d+ organisations/;
const TOTALS = `{
  prefectures: organisations(kind: PREFECTURE) { totalCount }
  municipalities: organisations(kind: MUNICIPALITY, includeInactive: true) { totalCount }
  all: organisations(includeInactive: true) { totalCount }
  serverInfo { readModelPosition }
}`;

let dataDir: string;
/** The app currently running on dataDir, if any. */
let app: AppProcess | undefined;
let token: string;

beforeAll(() => {
  dataDir = makeDataDir('durability');
});

afterAll(async () => {
  await stopAllApps();
});

async function ensureApp(): Promise<AppProcess> {
  if (!app || app.process.exitCode !== null || app.process.signalCode !== null) {
    app = await startApp({ dataDir });
    token = await demoLogin(app.url, ADMIN);
  }
  return app;
}

describe('start, stop, start again', () => {
  it('seeds an empty DATA_DIR, stops cleanly on SIGTERM, and starts again on the same data without seeding again', async () => {
    const cold = await startApp({ dataDir, env: { LOG_LEVEL: 'log' } });
    expect(cold.stdout()).toContain('creating a new cluster');
    expect(cold.stdout()).toMatch(/seeded 1798 organisations and 8 demo users/);
    token = await demoLogin(cold.url, ADMIN);
    const before = await gqlData(cold.url, TOTALS, undefined, token);
    expect(before.prefectures.totalCount).toBe(47);
    expect(before.municipalities.totalCount).toBe(1747);
    expect(before.all.totalCount).toBe(1798);

    const exit = await cold.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(cold.stdout()).toContain('SIGTERM: shutting down');
    expect(leftoverPostgresPid(dataDir)).toBeNull(); // the app stopped its PostgreSQL too
    expect(existsSync(path.join(dataDir, 'kyogi.pid'))).toBe(false);

    const warm = await startApp({ dataDir, env: { LOG_LEVEL: 'log' } });
    app = warm;
    expect(warm.stdout()).not.toMatch(SEEDED_LINE);
    expect(warm.stdout()).not.toContain('creating a new cluster');
    expect(warm.stdout()).not.toContain('left running');
    // A token issued before the restart still verifies: the issuer's key lives in DATA_DIR.
    const after = await gqlData(warm.url, TOTALS, undefined, token);
    expect(after).toEqual(before);

    console.info(
      `[e2e figures] ready on empty DATA_DIR: ${cold.readyAfterMs} ms (app reports ${cold.reportedReadyMs} ms); ` +
        `on seeded: ${warm.readyAfterMs} ms (app reports ${warm.reportedReadyMs} ms)`,
    );
    expect(warm.reportedReadyMs).toBeLessThan(cold.reportedReadyMs);
  });

  it('refuses a second app on a DATA_DIR in use, and the first keeps serving', async () => {
    const first = await ensureApp();
    const second = await runAppToExit({ dataDir, timeoutMs: 30_000 });
    expect(second.timedOut).toBe(false);
    expect(second.code).not.toBe(0);
    expect(second.code).not.toBeNull();
    expect(second.stderr).toMatch(/DATA_DIR .* is in use by another Kyogi process/);
    expect(second.stderr).toContain(dataDir);
    expect(second.stderr).toContain(`pid ${first.process.pid}`);
    expect(second.stdout).not.toContain('ready at');

    // The refused start touched neither the lock nor the server of the first.
    expect(readFileSync(path.join(dataDir, 'kyogi.pid'), 'utf8').trim()).toBe(String(first.process.pid));
    const live = await fetch(`${first.url}/health/ready`);
    expect(live.status).toBe(200);
    expect((await gqlData(first.url, TOTALS, undefined, token)).all.totalCount).toBeGreaterThanOrEqual(1798);
  });
});

describe('SIGKILL in the middle of a stream of appends', () => {
  it('keeps every acknowledged registration, and registers nothing that was not attempted', async () => {
    const victim = await ensureApp();
    const run = randomBytes(4).toString('hex');
    const tag = `耐久試験${run}`;
    const ACKNOWLEDGED_BEFORE_KILL = 150;
    const LOOPS = 8;

    const attempted = new Set<string>();
    const acknowledged = new Set<string>();
    let failed = 0;
    let killedAt: { acknowledged: number; attempted: number; inFlight: number } | undefined;
    let next = 0;
    let killing: Promise<unknown> | undefined;
    let broken = false;

    const loop = async () => {
      while (!killing && !broken) {
        const i = next++;
        const id = `dur-${run}-${i}`;
        attempted.add(id);
        try {
          const result = await gql(
            victim.url,
            'mutation ($input: RegisterOrganisationInput!) { registerOrganisation(input: $input) { position errors { code message } } }',
            { input: { commandId: randomUUID(), id, kind: 'VENDOR', name: `${tag} ${i}` } },
            token,
          );
          const payload = result.data?.registerOrganisation;
          if (result.errors || !payload || payload.errors.length || !payload.position) {
            throw new Error(`not acknowledged: ${JSON.stringify(result)}`);
          }
          acknowledged.add(id);
          if (acknowledged.size >= ACKNOWLEDGED_BEFORE_KILL && !killing) {
            killedAt = { acknowledged: acknowledged.size, attempted: attempted.size, inFlight: attempted.size - acknowledged.size - failed };
            killing = victim.kill(); // SIGKILL, while the other loops' requests are in flight
          }
        } catch (error) {
          failed++;
          if (!killing) {
            broken = true; // before the kill, every registration must succeed: stop all loops
            throw error;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: LOOPS }, loop));
    const exit = await killing;
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(killedAt!.inFlight).toBeGreaterThan(0); // the kill did land mid-stream
    // The app's PostgreSQL runs on, detached: the next start has to take it over.
    const orphan = leftoverPostgresPid(dataDir);
    expect(orphan).not.toBeNull();

    const revived = await startApp({ dataDir, env: { LOG_LEVEL: 'log' } });
    app = revived;
    expect(revived.stdout()).toContain(`stopping the server left running by an earlier process (pid ${orphan})`);
    expect(revived.stdout()).not.toMatch(SEEDED_LINE);
    expect(leftoverPostgresPid(dataDir)).not.toBe(orphan);

    // Everything registered under this run's tag, read back page by page.
    const found = new Set<string>();
    let after: string | null = null;
    let total = -1;
    do {
      const { organisations }: { organisations: any } = await gqlData(
        revived.url,
        'query ($search: String, $after: String) { organisations(kind: VENDOR, search: $search, first: 200, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name } } } }',
        { search: tag, after },
        token,
      );
      total = organisations.totalCount;
      for (const { node } of organisations.edges) found.add(node.id);
      after = organisations.pageInfo.hasNextPage ? organisations.pageInfo.endCursor : null;
    } while (after);

    const lost = [...acknowledged].filter((id) => !found.has(id));
    const unknown = [...found].filter((id) => !attempted.has(id));
    console.info(
      `[e2e figures] SIGKILL mid-stream (${LOOPS} loops): attempted ${attempted.size}, acknowledged ${acknowledged.size} ` +
        `(${killedAt!.inFlight} in flight at the kill), found after restart ${found.size} ` +
        `(acknowledged found ${acknowledged.size - lost.length}, unacknowledged but committed ${found.size - (acknowledged.size - lost.length)}); ` +
        `restart after the kill ready in ${revived.readyAfterMs} ms`,
    );
    expect(lost).toEqual([]);
    expect(unknown).toEqual([]);
    expect(total).toBe(found.size);
    expect(found.size).toBeGreaterThanOrEqual(acknowledged.size);
    expect(found.size).toBeLessThanOrEqual(attempted.size);
    expect(acknowledged.size).toBeGreaterThanOrEqual(ACKNOWLEDGED_BEFORE_KILL);

    // Every acknowledged one is readable by id as well.
    const sample = [...acknowledged].slice(0, 20);
    const byId = await Promise.all(sample.map((id) => gqlData(revived.url, 'query ($id: ID) { organisation(id: $id) { id kind } }', { id }, token)));
    expect(byId.map((d) => d.organisation)).toEqual(sample.map((id) => ({ id, kind: 'VENDOR' })));

    // And the store takes writes again.
    const more = await gqlData(
      revived.url,
      'mutation ($input: RegisterOrganisationInput!) { registerOrganisation(input: $input) { organisation { id } errors { code } } }',
      { input: { commandId: randomUUID(), id: `dur-${run}-after`, kind: 'VENDOR', name: `${tag} after` } },
      token,
    );
    expect(more.registerOrganisation).toEqual({ organisation: { id: `dur-${run}-after` }, errors: [] });

    expect(await revived.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(leftoverPostgresPid(dataDir)).toBeNull();
  });
});
