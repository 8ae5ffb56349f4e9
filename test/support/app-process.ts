/**
 * The built API (`dist/apps/api/src/main.js`, from `npm run build`) as a child process, for the
 * e2e tier: Nest 12 is ESM-only and Jest loads CommonJS, so e2e tests never import the app; they
 * start it, talk to it over HTTP and graphql-ws, and stop it.
 *
 * Every process started here is tracked: `stopAllApps()` (call it in afterAll) stops them and
 * any embedded PostgreSQL server left behind in a DATA_DIR made here (an app killed with SIGKILL
 * leaves its postmaster running, by design: the next start takes it over), and removes those
 * directories. Should the Jest worker itself die, the apps die with it: on Linux they are started
 * through `setpriv --pdeathsig KILL` (an exit hook would not do: inside Jest's sandbox `process`
 * is a copy whose 'exit' event never fires).
 */
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
export const MAIN_JS = path.join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const READY = /Kyogi is ready at (http:\/\/\S+) in (\d+) ms/;
const ANSI = /\x1b\[[0-9;]*m/g;

/** Everything the app reads from the environment (config.ts), never inherited from the test run. */
const APP_VARIABLES = [
  'NODE_ENV',
  'PORT',
  'HOST',
  'DATA_DIR',
  'DATABASE_URL',
  'EVENTSTORE_CONNECTION_STRING',
  'REDIS_URL',
  'LOG_LEVEL',
  'AUTH_MODE',
  'ALLOWED_ORIGINS',
  'SEED_DEMO',
  'RUN_PROJECTIONS',
  'TOKEN_TTL_SECONDS',
];

export interface StartAppOptions {
  /** Extra environment; a value of undefined removes the variable. Wins over everything below. */
  readonly env?: Record<string, string | undefined>;
  /** Default: a fresh temporary directory (removed by stopAllApps). */
  readonly dataDir?: string;
  /** Set → the app uses this PostgreSQL and starts no embedded server. */
  readonly databaseUrl?: string;
  /** Default true. */
  readonly seedDemo?: boolean;
  /** How long to wait for the "ready at" line; default 90 s. */
  readonly readyTimeoutMs?: number;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface AppProcess {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly process: ChildProcess;
  /** Milliseconds from spawn to the "ready at" line, measured here. */
  readonly readyAfterMs: number;
  /** The start-up time the app itself reports in its "ready at" line. */
  readonly reportedReadyMs: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
  /** Everything written to stdout so far, without colour codes (after the output of attempts that lost their port to another process). */
  stdout(): string;
  stderr(): string;
  /** Sends `signal` (default SIGTERM), waits up to 30 s for the exit, then SIGKILLs. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<Exit>;
}

interface Tracked {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  done: boolean;
}

const running = new Set<Tracked>();
const madeDataDirs = new Set<string>();

/** `setpriv --pdeathsig KILL` execs node with a parent-death signal: the app cannot outlive the test worker. */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((candidate) => process.platform === 'linux' && existsSync(candidate));

/** A temporary DATA_DIR that the embedded PostgreSQL (the `postgres` OS user when we are root) can reach. */
export function makeDataDir(label = 'app'): string {
  const dir = mkdtempSync(path.join(tmpdir(), `kyogi-e2e-${label}-`));
  chmodSync(dir, 0o755);
  madeDataDirs.add(dir);
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

function appEnvironment(port: number, dataDir: string, options: StartAppOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    // KYOGI_* are the test run's own variables (the app refuses any KYOGI_ variable), OIDC_* and
    // the rest belong to the app and must come from the test, not from the shell that runs jest.
    if (name.startsWith('KYOGI_') || name.startsWith('OIDC_') || APP_VARIABLES.includes(name)) continue;
    env[name] = value;
  }
  Object.assign(env, {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SEED_DEMO: String(options.seedDemo ?? true),
    NO_COLOR: '1',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

function launch(env: NodeJS.ProcessEnv): { tracked: Tracked; out: string[]; err: string[] } {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} does not exist: run \`npm run build\` before the e2e tests`);
  // Node options for the app alone, e.g. KYOGI_APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" to profile it under a benchmark.
  const node = [process.execPath, ...(process.env.KYOGI_APP_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []), MAIN_JS];
  const [command, args] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', ...node]] : [node[0], node.slice(1)];
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));
  let tracked!: Tracked;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      tracked.done = true;
      running.delete(tracked);
      resolve({ code, signal });
    });
    child.once('error', () => {
      tracked.done = true;
      running.delete(tracked);
      resolve({ code: null, signal: null });
    });
  });
  tracked = { child, exited, done: false };
  running.add(tracked);
  return { tracked, out, err };
}

const text = (chunks: string[]) => chunks.join('').replace(ANSI, '');

/**
 * Starts the app and resolves once it printed "Kyogi is ready at …". Rejects, with everything
 * the process wrote, when it exits first or is not ready in time (and then kills it).
 */
export async function startApp(options: StartAppOptions = {}): Promise<AppProcess> {
  const dataDir = options.dataDir ?? makeDataDir();
  // What attempts that lost their port wrote: a retry starts on the DATA_DIR they initialised.
  let earlier = '';
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await startOnPort(port, dataDir, options, earlier);
    } catch (error) {
      // Another process may take the free port between our probe and the app's listen.
      if (attempt < 3 && /EADDRINUSE/.test((error as Error).message)) {
        earlier += (error as { stdout?: string }).stdout ?? '';
        continue;
      }
      throw error;
    }
  }
}

async function startOnPort(port: number, dataDir: string, options: StartAppOptions, earlier = ''): Promise<AppProcess> {
  const started = Date.now();
  const { tracked, out, err } = launch(appEnvironment(port, dataDir, options));
  const timeoutMs = options.readyTimeoutMs ?? 90_000;
  const describe = () => `--- stdout ---\n${text(out)}\n--- stderr ---\n${text(err)}`;

  const ready = await new Promise<{ url: string; ms: number }>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      tracked.child.stdout!.off('data', check);
      fn();
    };
    const check = () => {
      const match = READY.exec(text(out));
      if (match) finish(() => resolve({ url: match[1], ms: Number(match[2]) }));
    };
    const timer = setTimeout(() => {
      finish(() => {
        tracked.child.kill('SIGKILL');
        reject(new Error(`the app was not ready within ${timeoutMs} ms (DATA_DIR ${dataDir})\n${describe()}`));
      });
    }, timeoutMs);
    tracked.child.stdout!.on('data', check);
    void tracked.exited.then(({ code, signal }) => {
      // Let the last output arrive before reporting it.
      setImmediate(() =>
        finish(() =>
          reject(Object.assign(new Error(`the app exited (code ${code}, signal ${signal}) before it was ready\n${describe()}`), { stdout: text(out) })),
        ),
      );
    });
    check();
  });
  const readyAfterMs = Date.now() - started;

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> => {
    if (!tracked.done) tracked.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([tracked.exited, new Promise<null>((r) => (timer = setTimeout(() => r(null), 30_000)))]);
    clearTimeout(timer);
    if (result) return result;
    tracked.child.kill('SIGKILL');
    return tracked.exited;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    process: tracked.child,
    readyAfterMs,
    reportedReadyMs: ready.ms,
    exited: tracked.exited,
    stdout: () => earlier + text(out),
    stderr: () => text(err),
    stop,
    kill: () => stop('SIGKILL'),
  };
}

/** Runs the app until it exits by itself (for start-up failures); SIGKILLs it after `timeoutMs`. */
export async function runAppToExit(
  options: StartAppOptions & { timeoutMs?: number } = {},
): Promise<Exit & { stdout: string; stderr: string; timedOut: boolean }> {
  const dataDir = options.dataDir ?? makeDataDir();
  const { tracked, out, err } = launch(appEnvironment(await freePort(), dataDir, options));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    tracked.child.kill('SIGKILL');
  }, options.timeoutMs ?? 30_000);
  const exit = await tracked.exited;
  clearTimeout(timer);
  // 'exit' can come before the pipes are drained.
  await Promise.all(
    [tracked.child.stdout!, tracked.child.stderr!].map((s) => (s.readableEnded || s.destroyed ? undefined : new Promise((r) => s.once('close', r)))),
  );
  return { ...exit, stdout: text(out), stderr: text(err), timedOut };
}

/** The pid of the embedded PostgreSQL server running in a DATA_DIR, if one runs. */
export function leftoverPostgresPid(dataDir: string): number | null {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return cmdline.split('\0')[0].endsWith('postgres') && state !== 'Z' ? pid : null;
  } catch {
    return null;
  }
}

function signalLeftoverPostgres(dataDir: string, signal: NodeJS.Signals): number | null {
  const pid = leftoverPostgresPid(dataDir);
  if (pid !== null) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
  return pid;
}

/** Stops every app started here that still runs, then any PostgreSQL left in our DATA_DIRs, and removes those directories. */
export async function stopAllApps(): Promise<void> {
  await Promise.all(
    [...running].map(async (t) => {
      t.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const exited = await Promise.race([t.exited, new Promise<null>((r) => (timer = setTimeout(() => r(null), 20_000)))]);
      clearTimeout(timer);
      if (!exited) {
        t.child.kill('SIGKILL');
        await t.exited;
      }
    }),
  );
  for (const dir of madeDataDirs) {
    if (signalLeftoverPostgres(dir, 'SIGINT') !== null) {
      const deadline = Date.now() + 20_000;
      while (leftoverPostgresPid(dir) !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      signalLeftoverPostgres(dir, 'SIGQUIT');
    }
    rmSync(dir, { recursive: true, force: true });
    madeDataDirs.delete(dir);
  }
}

// ---------------------------------------------------------------------------------------------
// GraphQL over HTTP.

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLResult<T> {
  data: T | null | undefined;
  errors: GraphQLErrorBody[] | undefined;
  status: number;
}

/**
 * POSTs a GraphQL operation to `<url>/graphql` (url may already end in /graphql). Throws, with
 * the status and body, on a non-200 answer unless `allowNon200`.
 */
export async function gql<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
  options: { allowNon200?: boolean } = {},
): Promise<GraphQLResult<T>> {
  const endpoint = url.endsWith('/graphql') ? url : `${url.replace(/\/$/, '')}/graphql`;
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.text();
  if (response.status !== 200 && !options.allowNon200) {
    throw new Error(`POST ${endpoint} answered ${response.status}: ${body.slice(0, 2000)}\nquery: ${query}`);
  }
  let parsed: { data?: T | null; errors?: GraphQLErrorBody[] };
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error(`POST ${endpoint} answered ${response.status} with a body that is not JSON: ${body.slice(0, 2000)}`);
  }
  return { data: parsed.data, errors: parsed.errors, status: response.status };
}

/** `gql`, but any GraphQL error fails the test with the errors shown; returns the data. */
export async function gqlData<T = any>(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<T> {
  const result = await gql<T>(url, query, variables, token);
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors ?? result)}\nquery: ${query}\nvariables: ${JSON.stringify(variables)}`);
  }
  return result.data;
}

/** A token for a seeded (or added) member, through the demoLogin mutation. */
export async function demoLogin(url: string, email: string): Promise<string> {
  const data = await gqlData<{ demoLogin: { token: string | null; errors: { code: string; message: string }[] } }>(
    url,
    'mutation ($email: String!) { demoLogin(email: $email) { token errors { code message } } }',
    { email },
  );
  if (!data.demoLogin.token) throw new Error(`demoLogin(${email}) failed: ${JSON.stringify(data.demoLogin.errors)}`);
  return data.demoLogin.token;
}

/** Drafts a proposal on the demo spec (住民記録 4.0, one change) through GraphQL; fails on a payload error. */
export async function draftDemoProposal(url: string, token: string, title: string): Promise<{ id: string; position: string }> {
  const data = await gqlData<{ draftProposal: { errors: unknown[]; position: string; proposal: { id: string } } }>(
    url,
    'mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { errors { code message } position proposal { id } } }',
    {
      input: {
        commandId: randomUUID(),
        specId: 'juminkiroku',
        specVersion: '4.0',
        title,
        changes: [{ kind: 'MODIFY', requirementId: '2.1.3', after: '旧氏の記載の有無を選択できること。', reason: '選択制とするため' }],
      },
    },
    token,
  );
  if (data.draftProposal.errors.length) throw new Error(`draftProposal: ${JSON.stringify(data.draftProposal.errors)}`);
  return { id: data.draftProposal.proposal.id, position: data.draftProposal.position };
}
