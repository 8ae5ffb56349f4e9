import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { LeaderLease, leaderLeaseKey, type LeaderLeaseOptions } from './leader-lease';
import { createTestDatabase, embeddedServerUrl } from '../../../test/support/databases';

jest.setTimeout(60_000);

const RETRY_MS = 200;
const ROOT = path.resolve(__dirname, '..', '..', '..');

let db: { url: string; drop(): Promise<void> };
let admin: Client;
const leases: LeaderLease[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'lease');
  admin = new Client({ connectionString: db.url });
  await admin.connect();
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(leases.splice(0).map((l) => l.stop()));
});

afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

// ---- helpers ----------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
  return Date.now() - started;
}

/** One timeline for all leases of a test, so the order of acquire/lose across instances is visible. */
function timeline() {
  const events: string[] = [];
  /** Whose leader work is running (between onAcquired's end and onLost's start). */
  const working = new Set<string>();
  const count = (label: string, what: 'acquired' | 'lost') => events.filter((e) => e === `${label}:${what}`).length;
  return {
    events,
    working,
    count,
    /** Starts a lease whose onLost takes a while, as stopping a projector does. */
    async start(label: string, options: Partial<LeaderLeaseOptions> & { name: string }, onLostMs = 100): Promise<LeaderLease> {
      const lease = new LeaderLease({ connectionString: db.url, retryMs: RETRY_MS, applicationName: `lease-test-${label}`, ...options });
      leases.push(lease);
      await lease.start({
        onAcquired: async () => {
          events.push(`${label}:acquired`);
          working.add(label);
        },
        onLost: async () => {
          events.push(`${label}:lost`);
          await sleep(onLostMs);
          working.delete(label);
        },
      });
      return lease;
    },
  };
}

/** application_names of the sessions holding the lease's advisory lock, per the server. */
async function lockHolders(name: string): Promise<string[]> {
  const [classKey, objectKey] = leaderLeaseKey(name);
  const { rows } = await admin.query<{ application_name: string }>(
    `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = ($1::int4::bigint & 4294967295)::oid AND l.objid = ($2::int4::bigint & 4294967295)::oid`,
    [classKey, objectKey],
  );
  return rows.map((r) => r.application_name).sort();
}

async function backendPids(applicationName: string): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [
    applicationName,
  ]);
  return rows.map((r) => r.pid);
}

// ---- tests ------------------------------------------------------------------------------------

describe('LeaderLease (PostgreSQL advisory lock)', () => {
  it('the key is stable, two int4, with the fixed Kyogi class', () => {
    const [classKey, objectKey] = leaderLeaseKey('projections');
    expect(leaderLeaseKey('projections')).toEqual([classKey, objectKey]);
    expect(leaderLeaseKey('closing-scheduler')[1]).not.toBe(objectKey);
    for (const k of [classKey, objectKey]) expect(k === (k | 0)).toBe(true);
  });

  it('of two leases with one name exactly one leads; stopping it hands over within retryMs, never both at once', async () => {
    const t = timeline();
    // onLost outlasts two of b's retries: had a released the lock before its work stopped, b would get in meanwhile.
    const ON_LOST_MS = RETRY_MS * 2.5;
    const a = await t.start('a', { name: 'handover' }, ON_LOST_MS);
    const b = await t.start('b', { name: 'handover' }, ON_LOST_MS);
    expect(a.isLeader).toBe(true);
    expect(b.isLeader).toBe(false);
    expect(await lockHolders('handover')).toEqual(['lease-test-a']);

    // The standby keeps trying and keeps failing.
    await sleep(RETRY_MS * 3);
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    expect(t.events).toEqual(['a:acquired']);

    const samples = { both: 0, bothWorking: 0, taken: 0 };
    const sampler = setInterval(() => {
      samples.taken++;
      if (a.isLeader && b.isLeader) samples.both++;
      if (t.working.size > 1) samples.bothWorking++;
    }, 10);
    try {
      const stopping = a.stop();
      const handover = await waitUntil('b to lead', () => b.isLeader, ON_LOST_MS + RETRY_MS + 2000);
      await stopping;
      await sleep(RETRY_MS * 2);
      clearInterval(sampler);
      expect(samples.taken).toBeGreaterThan(10);
      expect(samples.both).toBe(0);
      expect(samples.bothWorking).toBe(0);
      console.info(`[int figures] lease handover after stop(): ${handover} ms (retryMs ${RETRY_MS}, onLost ${ON_LOST_MS} ms)`);
      expect(handover).toBeGreaterThanOrEqual(ON_LOST_MS);
      expect(handover).toBeLessThanOrEqual(ON_LOST_MS + RETRY_MS + 500);
    } finally {
      clearInterval(sampler);
    }
    expect(t.events).toEqual(['a:acquired', 'a:lost', 'b:acquired']);
    expect(a.isLeader).toBe(false);
    expect(await lockHolders('handover')).toEqual(['lease-test-b']);
    expect(await backendPids('lease-test-a')).toEqual([]); // stop() closed the connection
  });

  it('start and stop are idempotent, and a stopped lease stays stopped', async () => {
    const t = timeline();
    const a = await t.start('a', { name: 'idempotent' });
    await Promise.all([a.start({ onAcquired: async () => void t.events.push('second start'), onLost: async () => undefined }), sleep(RETRY_MS * 2)]);
    await Promise.all([a.stop(), a.stop()]);
    await a.stop();
    expect(t.events).toEqual(['a:acquired', 'a:lost']);
    await expect(a.start({ onAcquired: async () => undefined, onLost: async () => undefined })).rejects.toThrow(/stopped/);
    expect(await lockHolders('idempotent')).toEqual([]);
  });

  it('a lease whose onAcquired fails calls onLost and gives the lock up', async () => {
    const events: string[] = [];
    const a = new LeaderLease({ connectionString: db.url, retryMs: RETRY_MS, applicationName: 'lease-test-a', name: 'failing' });
    leases.push(a);
    await a.start({
      onAcquired: async () => {
        events.push('a:acquired');
        throw new Error('cannot start the projector');
      },
      onLost: async () => void events.push('a:lost'),
    });
    expect(events).toEqual(['a:acquired', 'a:lost']);
    expect(a.isLeader).toBe(false);
    expect(await lockHolders('failing')).toEqual([]);

    const t = timeline();
    const b = await t.start('b', { name: 'failing' });
    await waitUntil('b to lead', () => b.isLeader, RETRY_MS * 4 + 2000);
    expect(await lockHolders('failing')).toEqual(['lease-test-b']);
    // a kept trying meanwhile, each failed start undone by onLost before the next.
    expect(events.every((e, i) => e === (i % 2 === 0 ? 'a:acquired' : 'a:lost'))).toBe(true);
    expect(events.length % 2).toBe(0);
  });

  it('leases with different names do not exclude each other', async () => {
    const t = timeline();
    const a = await t.start('a', { name: 'projections' });
    const b = await t.start('b', { name: 'closing-scheduler' });
    await sleep(RETRY_MS * 2);
    expect([a.isLeader, b.isLeader]).toEqual([true, true]);
    expect(t.events).toEqual(['a:acquired', 'b:acquired']);
    expect(await lockHolders('projections')).toEqual(['lease-test-a']);
    expect(await lockHolders('closing-scheduler')).toEqual(['lease-test-b']);
  });

  it("when the holder's backend is terminated it calls onLost, the standby takes over, and the old holder reconnects as standby", async () => {
    const t = timeline();
    const a = await t.start('a', { name: 'terminate' });
    const b = await t.start('b', { name: 'terminate' });
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    const [oldPid] = await backendPids('lease-test-a');
    expect(oldPid).toEqual(expect.any(Number));

    const { rows } = await admin.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [oldPid]);
    expect(rows[0].ok).toBe(true);

    await waitUntil('a to call onLost', () => t.count('a', 'lost') === 1, RETRY_MS + 2000);
    expect(a.isLeader).toBe(false);
    await waitUntil('b to lead', () => b.isLeader, RETRY_MS * 2 + 2000);
    // a reconnects (a new backend) and goes back to trying, without winning.
    await waitUntil('a to reconnect', async () => (await backendPids('lease-test-a')).some((pid) => pid !== oldPid), RETRY_MS * 2 + 2000);
    await sleep(RETRY_MS * 4);
    expect([a.isLeader, b.isLeader]).toEqual([false, true]);
    expect(t.events).toEqual(['a:acquired', 'a:lost', 'b:acquired']);
    expect(await lockHolders('terminate')).toEqual(['lease-test-b']);

    // And a is a working standby: when b goes, a leads again.
    await b.stop();
    await waitUntil('a to lead again', () => a.isLeader, RETRY_MS + 2000);
    expect(t.events).toEqual(['a:acquired', 'a:lost', 'b:acquired', 'b:lost', 'a:acquired']);
  });

  it('a holder in another process killed with SIGKILL is replaced within a few seconds', async () => {
    const name = 'sigkill';
    // The other process takes the same lock with plain `pg`, as another api instance's lease would.
    const script = `
      const { Client } = require('pg');
      const client = new Client({ connectionString: process.env.LEASE_DB_URL, application_name: 'lease-test-child' });
      client.connect()
        .then(() => client.query('SELECT pg_try_advisory_lock($1, $2) AS got', JSON.parse(process.env.LEASE_KEY)))
        .then(({ rows }) => { process.stdout.write(rows[0].got ? 'locked\\n' : 'busy\\n'); setInterval(() => undefined, 1 << 30); })
        .catch((error) => { console.error(error); process.exit(1); });`;
    // --pdeathsig: the child cannot outlive a crashed Jest worker and keep the lock.
    const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => process.platform === 'linux' && existsSync(p));
    const [command, args] = setpriv ? [setpriv, ['--pdeathsig', 'KILL', process.execPath, '-e', script]] : [process.execPath, ['-e', script]];
    const child = spawn(command, args, {
      cwd: ROOT, // so the script's require('pg') finds the project's
      env: { PATH: process.env.PATH, LEASE_DB_URL: db.url, LEASE_KEY: JSON.stringify(leaderLeaseKey(name)) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await waitUntil(`the child to take the lock (stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err)})`, () => out.includes('\n'), 15_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}; stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err)}`);
      },
    );
    expect(out).toBe('locked\n');
    expect(await lockHolders(name)).toEqual(['lease-test-child']);

    // Production default retryMs, so the figure is the one an operator would see.
    const t = timeline();
    const lease = await t.start('in-process', { name, retryMs: 1000 });
    await sleep(2500);
    expect(lease.isLeader).toBe(false);
    expect(t.events).toEqual([]);

    const killedAt = Date.now();
    child.kill('SIGKILL');
    const [released, takeover] = await Promise.all([
      waitUntil("the server to release the dead holder's lock", async () => !(await lockHolders(name)).includes('lease-test-child'), 5000),
      waitUntil('the in-process lease to lead', () => lease.isLeader, 5000),
    ]);
    // The takeover waits for the standby's next try, so it is the release plus up to retryMs.
    console.info(`[int figures] lease takeover after SIGKILL: ${takeover} ms (retryMs 1000; the server released the lock after ${released} ms)`);
    expect(released).toBeLessThanOrEqual(takeover);
    expect(await exited).toBe('SIGKILL');
    expect(Date.now() - killedAt).toBeLessThan(5000);
    expect(t.events).toEqual(['in-process:acquired']);
    expect(await lockHolders(name)).toEqual(['lease-test-in-process']);
  });
});
