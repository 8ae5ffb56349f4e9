/**
 * The scaled-out topology without EventStoreDB, as infra/local/topology.js starts it: two api
 * processes (RUN_PROJECTIONS=false) and two projector processes (active + standby) on one external
 * PostgreSQL and Redis. A mutation through api #1 is read through api #2 and reaches a subscriber
 * on api #2; when the active projector is SIGKILLed, the standby takes the lease and the
 * projections continue. Needs DATABASE_URL and REDIS_URL (CI sets both); skipped without them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestDatabase } from '../support/databases';
import { demoLogin, draftDemoProposal, gqlData } from '../support/app-process';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'infra', 'local', 'topology.js');
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((candidate) => process.platform === 'linux' && existsSync(candidate));
const missing = ['DATABASE_URL', 'REDIS_URL'].filter((name) => !process.env[name]);
if (missing.length > 0 && process.env.CI === 'true') throw new Error(`CI=true but ${missing.join(' and ')} not set: CI runs the topology test (see .ci/run)`);
const describeTopology = missing.length === 0 ? describe : describe.skip;
// eslint-disable-next-line no-console
if (missing.length > 0) console.warn(`topology.e2e: skipped: ${missing.join(' and ')} not set (an external PostgreSQL and Redis are needed; CI sets both)`);

interface Member {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly role?: 'active' | 'standby';
}
interface Topology {
  readonly dataDir: string;
  readonly api: Member[];
  readonly projectors: Member[];
}

describeTopology(`the multi-process topology${missing.length ? ` (skipped: ${missing.join(' and ')} not set)` : ''}`, () => {
  let database: { url: string; drop(): Promise<void> };
  let script: ChildProcess;
  let output = '';
  let topology: Topology;
  const clients: Client[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(process.env.DATABASE_URL!, 'topology');
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'test', LOG_LEVEL: 'warn', SEED_DEMO: 'true' };
    for (const name of Object.keys(env)) if (name.startsWith('KYOGI_') || name.startsWith('OIDC_') || name.startsWith('METRICS_')) delete env[name];
    const [command, args] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', process.execPath, SCRIPT]] : [process.execPath, [SCRIPT]];
    script = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    script.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    script.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    topology = await new Promise<Topology>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the topology was not ready in 180 s:\n${output}`)), 180_000);
      const check = () => {
        const line = /^topology ready (\{.*\})$/m.exec(output);
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line[1]!) as Topology);
        }
      };
      script.stdout!.on('data', check);
      script.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`topology.js exited (code ${code}) before it was ready:\n${output}`));
      });
    });
  });

  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    if (script && script.exitCode === null) {
      const exited = new Promise((resolve) => script.once('exit', resolve));
      script.kill('SIGTERM');
      await exited;
    }
    if (topology) rmSync(topology.dataDir, { recursive: true, force: true });
    await database?.drop();
  });

  const api = (n: 1 | 2) => topology.api[n - 1]!.url;
  const ready = async (url: string) => (await (await fetch(`${url}/health/ready`)).json()) as { role?: string; checks: Record<string, string> };

  const draft = draftDemoProposal;

  async function readThrough(url: string, token: string, id: string, waitFor: string): Promise<{ title: string; status: string } | null> {
    const data = await gqlData(url, 'query ($id: ID!, $waitFor: Position) { proposal(id: $id, waitFor: $waitFor) { title status } }', { id, waitFor }, token);
    return data.proposal;
  }

  it('starts one active and one standby projector, and api processes that run no projections', async () => {
    expect(topology.api).toHaveLength(2);
    expect(topology.projectors.map((p) => p.role).sort()).toEqual(['active', 'standby']);
    for (const { url } of topology.api) expect((await ready(url)).checks.projections).toBe('not run here');
    for (const { url, role } of topology.projectors) expect((await ready(url)).role).toBe(role);
  });

  it('shows a mutation made through api #1 through api #2, and pushes it to a subscriber on api #2', async () => {
    const staffOn1 = await demoLogin(api(1), 'staff@city.sapporo.example.jp');
    const approverOn1 = await demoLogin(api(1), 'approver@city.sapporo.example.jp');
    const staffOn2 = await demoLogin(api(2), 'staff@city.sapporo.example.jp');

    const drafted = await draft(api(1), staffOn1, '旧氏の併記（トポロジー）');
    expect(await readThrough(api(2), staffOn2, drafted.id, drafted.position)).toEqual({ title: '旧氏の併記（トポロジー）', status: 'DRAFTED' });

    // Subscribed on api #2, submitted through api #1.
    const received: { change: string; position: string }[] = [];
    const subscriber = createClient({
      url: `${api(2).replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${staffOn2}` },
      retryAttempts: 0,
    });
    clients.push(subscriber);
    const subscribed = new Promise<void>((resolve) => subscriber.on('connected', () => resolve()));
    subscriber.subscribe<{ proposalChanged: { change: string; position: string } }>(
      {
        query: 'subscription ($id: ID!, $after: Position) { proposalChanged(id: $id, after: $after) { change position } }',
        variables: { id: drafted.id, after: drafted.position },
      },
      {
        next: (r) => void (r.data && received.push(r.data.proposalChanged)),
        error: (e) => received.push({ change: `error: ${JSON.stringify(e)}`, position: '' }),
        complete: () => undefined,
      },
    );
    await subscribed;
    const submitted = await gqlData(
      api(1),
      'mutation ($input: SubmitProposalInput!) { submitProposal(input: $input) { errors { code message } position } }',
      { input: { proposalId: drafted.id } },
      approverOn1,
    );
    expect(submitted.submitProposal.errors).toEqual([]);
    const deadline = Date.now() + 30_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual([{ change: 'ProposalSubmitted', position: submitted.submitProposal.position }]);
  });

  it('hands the projections to the standby when the active projector is killed, and they continue', async () => {
    const active = topology.projectors.find((p) => p.role === 'active')!;
    const standby = topology.projectors.find((p) => p.role === 'standby')!;
    const killedAt = Date.now();
    process.kill(active.pid, 'SIGKILL');

    // The lease is a PostgreSQL session lock: it goes with the killed process's connection.
    const deadline = Date.now() + 60_000;
    let role: string | undefined;
    while (Date.now() < deadline && (role = (await ready(standby.url).catch(() => ({ role: undefined }))).role) !== 'active')
      await new Promise((r) => setTimeout(r, 250));
    expect(role).toBe('active');
    // The lease retries every second; PostgreSQL notices the dead session at once (the socket closes).
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(10_000);
    if (process.env.KYOGI_REPORT_TIMINGS) process.stdout.write(`standby took over ${takeoverMs} ms after the SIGKILL\n`);
    await expect(fetch(`${active.url}/health/live`)).rejects.toThrow();
    const metrics = await (await fetch(`${standby.url}/metrics`)).text(); // loopback may scrape outside production
    expect(metrics).toMatch(/^kyogi_projector_active\{process="projector"\} 1$/m);

    // New events are projected by the new holder: written through api #2, read through api #1.
    const staffOn2 = await demoLogin(api(2), 'staff@city.sapporo.example.jp');
    const staffOn1 = await demoLogin(api(1), 'staff@city.sapporo.example.jp');
    const drafted = await draft(api(2), staffOn2, '外字の扱い（フェイルオーバー後）');
    expect(await readThrough(api(1), staffOn1, drafted.id, drafted.position)).toEqual({ title: '外字の扱い（フェイルオーバー後）', status: 'DRAFTED' });
    expect(output).toContain(`topology: ${active.name} exited (code null, signal SIGKILL)`);
  });
});
