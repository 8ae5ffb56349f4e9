/**
 * (6) Memory: the resident set of the built api (dist/apps/api/src/main.js), read from
 * /proc/<pid>/status, in two situations measured in the same rounds, alternating:
 *
 * - idle: started on an empty database with the demo seed, a few seconds after "ready";
 * - loaded: started on a copy of the event log of the rebuild benchmark (1,788 organisations,
 *   10,000 proposals, 1,000,000 events; event-log.ts) and its read models, then asked for the
 *   first pages of proposals and organisations.
 *
 * VmHWM is the peak since the process started (start-up, catch-up and the queries included),
 * VmRSS the resident set at the moment of reading. Figures, not targets: the idle figures are
 * the baseline of the same run.
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { createTestDatabase } from '../support/databases';
import { demoLogin, gqlData, startApp, type AppProcess } from '../support/app-process';
import { BENCH_APP_ENV, type BenchContext, type Benchmark } from './harness';
import { pairedRatioValues } from './stats';
import { LOG_ADMIN_EMAIL, sharedEventLog } from './event-log';
import { ensureReadModels, rebuildEvents } from './rebuild.bench';

const NAME = 'memory';
const SIDES = ['idle', 'loaded'] as const;
type Side = (typeof SIDES)[number];
/** After "ready": timers, pools and the JIT settle before the idle figure is read. */
const SETTLE_MS = 3000;

interface Memory {
  /** Peak resident set since start, MiB. */
  readonly peakMiB: number;
  /** Resident set when read, MiB. */
  readonly rssMiB: number;
  /** Milliseconds from spawn to "ready". */
  readonly readyMs: number;
}

/** VmHWM and VmRSS of a live process, in MiB. */
export function processMemory(pid: number): { peakMiB: number; rssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field} line`);
    return Number(match[1]) / 1024;
  };
  return { peakMiB: kib('VmHWM'), rssMiB: kib('VmRSS') };
}

/** A copy of database `template` on the same server (CREATE DATABASE … TEMPLATE: a file copy, no replay). */
async function copyDatabase(serverUrl: string, templateUrl: string, label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const template = new URL(templateUrl).pathname.slice(1);
  const name = `kyogi_${label}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(template)}`);
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

async function measure(app: AppProcess, work: () => Promise<void>): Promise<Memory> {
  const pid = app.process.pid;
  if (pid === undefined) throw new Error('the app has no pid');
  await work();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return { ...processMemory(pid), readyMs: app.readyAfterMs };
}

export const memory: Benchmark = {
  name: NAME,
  title: 'memory: the api’s resident set idle after start (demo seed) and holding the rebuild benchmark’s event log',
  async run(context: BenchContext): Promise<void> {
    const server = await context.embeddedServer();
    const log = await sharedEventLog(server.url, rebuildEvents(context), (line) => context.progress(line));
    const { shape } = log;
    const prebuilt = await ensureReadModels(log.url, shape, (line) => context.progress(line));
    const results = await context.rounds(
      `memory, idle and with ${shape.events.toLocaleString('en-US')} events`,
      SIDES,
      async (side: Side) => {
        const database = side === 'idle' ? await createTestDatabase(server.url, 'bench_mem_idle') : await copyDatabase(server.url, log.url, 'bench_mem');
        let app: AppProcess | undefined;
        try {
          app = await startApp({ databaseUrl: database.url, seedDemo: side === 'idle', readyTimeoutMs: 900_000, env: BENCH_APP_ENV }).catch((error: Error) => {
            throw new Error(`the ${side} app did not start: ${error.message}`);
          });
          const url = app.url;
          return await measure(app, async () => {
            if (side === 'idle') return;
            // Read what the log holds, so that the figure is of an api that has served it, not only started on it.
            const token = await demoLogin(url, LOG_ADMIN_EMAIL);
            const page = await gqlData<{ proposals: { totalCount: number } }>(
              url,
              '{ proposals(first: 100) { totalCount edges { node { id title status } } } }',
              {},
              token,
            );
            if (page.proposals.totalCount !== shape.proposals)
              throw new Error(`the app shows ${page.proposals.totalCount} proposals, the log has ${shape.proposals}`);
          });
        } finally {
          await app?.stop();
          await database.drop();
        }
      },
      3,
    );
    const of = (side: Side, key: keyof Memory) => results[side].map((m) => m[key]);
    const caseName = `api, ${shape.events.toLocaleString('en-US')} events`;
    context.figure(NAME, caseName, 'idle after start: RSS', 'MiB', of('idle', 'rssMiB'));
    context.figure(NAME, caseName, 'idle after start: peak RSS (VmHWM)', 'MiB', of('idle', 'peakMiB'));
    context.figure(NAME, caseName, 'holding the log: RSS', 'MiB', of('loaded', 'rssMiB'));
    context.figure(NAME, caseName, 'holding the log: peak RSS (VmHWM)', 'MiB', of('loaded', 'peakMiB'));
    context.figure(NAME, caseName, 'peak holding the log ÷ idle peak (same round)', '×', pairedRatioValues(of('loaded', 'peakMiB'), of('idle', 'peakMiB')));
    context.figure(NAME, caseName, 'start-up to ready, holding the log', 'ms', of('loaded', 'readyMs'));
    context.note(
      NAME,
      `loaded: a copy of the rebuild log (${shape.organisations} organisations, ${shape.proposals} proposals, ${shape.events} events) ` +
        `with its read models ${prebuilt ? 'built here before the rounds' : 'already built by the rebuild benchmark'}: the app starts caught up; ` +
        'a cold start would first replay the log (see rebuild)',
    );
  },
};
