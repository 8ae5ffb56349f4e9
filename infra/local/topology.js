#!/usr/bin/env node
/**
 * The scaled-out topology on one machine, without EventStoreDB (events in PostgreSQL): two api
 * processes (RUN_PROJECTIONS=false) and two projector processes (one active, one standby through
 * the lease) against an external PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), from the build
 * in dist/ (`npm run build` first). Driven by test/e2e/topology.e2e.spec.ts; usable by hand:
 *
 *   DATABASE_URL=postgres://… REDIS_URL=redis://… node infra/local/topology.js [--base-port 4000]
 *
 * The processes start one after another (the first creates the shared keys in DATA_DIR, which
 * every process must share so that a token from one api is valid on the other). When all are
 * ready it prints one line `topology ready {json}` with each process's name, url and pid, then
 * keeps running; a process that dies afterwards is reported, not restarted (a failover is what
 * one wants to watch). SIGINT/SIGTERM stop every process and then the script.
 */
'use strict';
const { spawn } = require('node:child_process');
const { existsSync, mkdtempSync, chmodSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = {
  api: path.join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js'),
  projector: path.join(ROOT, 'dist', 'apps', 'projector', 'src', 'main.js'),
};
const READY = {
  api: /Kyogi is ready at (http:\/\/\S+)/,
  projector: /Kyogi projector is ready at (http:\/\/\S+) in \d+ ms \((active|standby)/,
};
const READY_TIMEOUT_MS = 120_000;
// The child cannot outlive this script (as in test/support/app-process.ts).
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((candidate) => process.platform === 'linux' && existsSync(candidate));

function fail(message) {
  process.stderr.write(`topology: ${message}\n`);
  process.exit(2);
}

function option(name) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

for (const name of ['DATABASE_URL', 'REDIS_URL']) {
  if (!process.env[name]) fail(`${name} is not set: this topology runs against an external PostgreSQL and Redis`);
}
for (const [kind, file] of Object.entries(ENTRY)) {
  if (!existsSync(file)) fail(`${path.relative(ROOT, file)} (the ${kind}) does not exist: run \`npm run build\` first`);
}
const basePort = option('base-port') === undefined ? undefined : Number(option('base-port'));
if (basePort !== undefined && !(Number.isInteger(basePort) && basePort > 0 && basePort < 65532)) fail(`--base-port ${option('base-port')}: an integer 1–65531`);
const host = option('host') ?? '127.0.0.1';
const dataDir = option('data-dir') ?? mkdtempSync(path.join(tmpdir(), 'kyogi-topology-'));
chmodSync(dataDir, 0o755);

/** Kyogi's own environment: everything but KYOGI_* (refused by the config), with the topology's settings on top. */
function environment(extra) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('KYOGI_')) env[name] = value;
  return { ...env, HOST: host, DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', NO_COLOR: '1', ...extra };
}

const children = [];
let stopping = false;

function start(name, kind, port, extra) {
  const env = environment({ PORT: String(port), ...extra });
  const [command, args] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', process.execPath, ENTRY[kind]]] : [process.execPath, [ENTRY[kind]]];
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const entry = { name, kind, child, url: undefined, role: undefined, exited: undefined };
  children.push(entry);
  let output = '';
  const relay = (stream) => (chunk) => {
    output += chunk;
    for (const line of chunk.split('\n')) if (line.trim()) stream.write(`[${name}] ${line}\n`);
  };
  child.stdout.setEncoding('utf8').on('data', relay(process.stdout));
  child.stderr.setEncoding('utf8').on('data', relay(process.stderr));
  entry.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  void entry.exited.then(({ code, signal }) => {
    if (!stopping) process.stdout.write(`topology: ${name} exited (code ${code}, signal ${signal})\n`);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} was not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const check = () => {
      const match = READY[kind].exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      entry.url = match[1];
      entry.role = match[2];
      resolve(entry);
    };
    child.stdout.on('data', check);
    void entry.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (code ${code}, signal ${signal}) before it was ready`));
    });
  });
}

async function stopAll() {
  stopping = true;
  await Promise.all(
    children.map(async ({ child, exited }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

async function main() {
  const port = async (offset) => (basePort === undefined ? freePort() : basePort + offset);
  // Projectors first: the first creates the shared keys; the api that seeds waits for them to project the seed.
  await start('projector-1', 'projector', await port(2), {});
  await start('projector-2', 'projector', await port(3), {});
  await start('api-1', 'api', await port(0), { RUN_PROJECTIONS: 'false', SEED_DEMO: process.env.SEED_DEMO ?? 'true' });
  await start('api-2', 'api', await port(1), { RUN_PROJECTIONS: 'false', SEED_DEMO: 'false' });
  const describe = (kind) =>
    children.filter((c) => c.kind === kind).map(({ name, url, child, role }) => ({ name, url, pid: child.pid, ...(role ? { role } : {}) }));
  process.stdout.write(`topology ready ${JSON.stringify({ dataDir, api: describe('api'), projectors: describe('projector') })}\n`);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    process.stdout.write(`topology: ${signal}: stopping every process\n`);
    void stopAll().then(() => process.exit(0));
  });
}

main().catch(async (error) => {
  process.stderr.write(`topology: ${error.message}\n`);
  await stopAll();
  process.exit(1);
});
