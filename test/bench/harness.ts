/**
 * What every benchmark shares: the options, the PostgreSQL servers, warm-up and alternating
 * rounds, and the figures that end up in the table and the JSON file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Pool, type PoolConfig } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../libs/event-store/src/postgres/embedded-postgres';
import { alternatingOrder, summarize, type Summary } from './stats';

export interface Options {
  /** Benchmarks to run (prefixes of their names); empty: all. */
  readonly names: readonly string[];
  /** Small sizes and fewer runs, for development. */
  readonly quick: boolean;
  /** Measured rounds per figure. */
  readonly runs: number;
  /** Rounds run first and thrown away. */
  readonly warmup: number;
  readonly out: string | undefined;
  /** Per-benchmark sizes, when given on the command line (--commits, --events, --municipalities, --duration, --clients, --stances, --rate). */
  readonly sizes: Readonly<Record<string, number>>;
}

export const USAGE = `usage: npm run bench -- [NAME …] [--quick] [--runs N] [--warmup N] [--out PATH]
                           [--commits N] [--events N] [--municipalities N] [--duration SECONDS]
                           [--clients N] [--stances N] [--rate N]

NAME: a benchmark (or a prefix of its name); none: all of them, in order.
  --quick             small sizes and 2 runs, for development
  --runs N            measured rounds per figure (default 5; 2 with --quick)
  --warmup N          rounds run first and discarded (default 1)
  --out PATH          also write every figure, with its runs, as JSON
  --commits N         commit-ceiling: INSERT commits per round
  --events N          append: events per side per round; rebuild and memory: events in the log
  --municipalities N  hot-consultation: municipalities that cast a stance (default all)
  --duration S        read: seconds per autocannon round
  --clients N         fanout: socket.io clients in the consultation's room (default 1,788)
  --stances N         fanout: stances cast per round (default 1,000)
  --rate N            fanout: stances started per second, whatever the app answers (default 20);
                      0: 16 connections casting as fast as they are answered (a closed loop)
DATABASE_URL          the system PostgreSQL, measured beside the embedded one (skipped when unset)`;

export function parseOptions(argv: readonly string[]): Options {
  const names: string[] = [];
  const sizes: Record<string, number> = {};
  let quick = false;
  let runs: number | undefined;
  let warmup = 1;
  let out: string | undefined;
  const number = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < min) throw new UsageError(`${flag} needs an integer ≥ ${min}, not ${value ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--quick':
        quick = true;
        break;
      case '--runs':
        runs = number(arg, argv[++i], 1);
        break;
      case '--warmup':
        warmup = number(arg, argv[++i], 0);
        break;
      case '--out':
        out = argv[++i];
        if (!out) throw new UsageError('--out needs a path');
        break;
      case '--commits':
      case '--events':
      case '--municipalities':
      case '--duration':
      case '--clients':
      case '--stances':
        sizes[arg.slice(2)] = number(arg, argv[++i], 1);
        break;
      case '--rate':
        sizes.rate = number(arg, argv[++i], 0);
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        names.push(arg);
    }
  }
  return { names, quick, runs: runs ?? (quick ? 2 : 5), warmup, out, sizes };
}

export class UsageError extends Error {}

/** A figure of the table: one quantity, summarized over the measured rounds. */
export interface Figure {
  readonly benchmark: string;
  /** What was measured, e.g. `embedded PG, 16 writers`. */
  readonly case: string;
  readonly name: string;
  readonly unit: string;
  readonly summary: Summary;
  /** Every measured value, in round order. */
  readonly values: readonly number[];
  /** The issue's target for the median, if it has one. */
  readonly target?: { readonly atLeast: number };
}

export interface PostgresServer {
  /** `embedded` or `system`. */
  readonly label: string;
  /** An admin connection string (a database to create others from). */
  readonly url: string;
  /** e.g. `PostgreSQL 18.0`, with fsync and synchronous_commit. */
  readonly description: string;
  /** Where its data lives, when known (for the commit-ceiling file test). */
  readonly dataDir?: string;
}

export interface Benchmark {
  readonly name: string;
  readonly title: string;
  run(context: BenchContext): Promise<void>;
}

/** One `npm run bench`: its options, its servers, and the figures and notes the benchmarks report. */
export class BenchContext {
  readonly figures: Figure[] = [];
  readonly notes: string[] = [];
  private embedded: Promise<EmbeddedPostgres> | undefined;
  private embeddedDir: string | undefined;
  private described = new Map<string, Promise<string>>();

  constructor(readonly options: Options) {}

  /** A size: the command line's, else the quick or the full default. */
  size(name: string, full: number, quick: number): number {
    return this.options.sizes[name] ?? (this.options.quick ? quick : full);
  }

  progress(line: string): void {
    process.stderr.write(`  … ${line}\n`);
  }

  /** A line for the report (printed under the table and kept in the JSON). */
  note(benchmark: string, line: string): void {
    this.notes.push(`${benchmark}: ${line}`);
    process.stderr.write(`  · ${benchmark}: ${line}\n`);
  }

  figure(benchmark: string, caseName: string, name: string, unit: string, values: readonly number[], target?: { atLeast: number }): Figure {
    const figure: Figure = { benchmark, case: caseName, name, unit, summary: summarize(values), values, ...(target ? { target } : {}) };
    this.figures.push(figure);
    return figure;
  }

  /**
   * Runs `warmup` rounds (discarded), then `runs` (at most `maxRuns`) measured rounds of every side, the sides of
   * each round in an order rotated from round to round (AB, BA, …). Returns the measured
   * results per side, in round order, so that round i of one side pairs with round i of another.
   */
  async rounds<S extends string, R>(
    label: string,
    sides: readonly S[],
    runOnce: (side: S, round: number, warmup: boolean) => Promise<R>,
    maxRuns = Number.POSITIVE_INFINITY,
  ): Promise<Record<S, R[]>> {
    const results = Object.fromEntries(sides.map((s) => [s, [] as R[]])) as Record<S, R[]>;
    const runs = Math.min(this.options.runs, maxRuns);
    const total = this.options.warmup + runs;
    for (let round = 0; round < total; round++) {
      const warm = round < this.options.warmup;
      this.progress(`${label}: ${warm ? `warm-up ${round + 1}/${this.options.warmup}` : `round ${round - this.options.warmup + 1}/${runs}`}`);
      for (const side of alternatingOrder(sides, round)) {
        const result = await runOnce(side, round, warm);
        if (!warm) results[side].push(result);
      }
    }
    return results;
  }

  /** The embedded PostgreSQL (started on first use, in a temporary DATA_DIR), then the system one when DATABASE_URL is set. */
  async servers(benchmark: string): Promise<PostgresServer[]> {
    const servers = [await this.embeddedServer()];
    const system = process.env.DATABASE_URL;
    if (system) servers.push({ label: 'system', url: system, description: await this.describe(system) });
    else this.note(benchmark, 'system PostgreSQL skipped: DATABASE_URL is not set (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres)');
    return servers;
  }

  async embeddedServer(): Promise<PostgresServer> {
    if (!this.embedded) {
      this.embeddedDir = mkdtempSync(path.join(tmpdir(), 'kyogi-bench-pg-'));
      chmodSync(this.embeddedDir, 0o755); // reachable by the postgres OS user when run as root
      this.progress('starting the embedded PostgreSQL');
      this.embedded = startEmbeddedPostgres({ dataDir: this.embeddedDir });
    }
    const server = await this.embedded;
    const url = server.url('postgres');
    return { label: 'embedded', url, description: await this.describe(url), dataDir: server.dataDir };
  }

  private describe(url: string): Promise<string> {
    let described = this.described.get(url);
    if (!described) {
      described = (async () => {
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          const { rows } = await client.query<{ version: string; fsync: string; sync: string }>(
            `SELECT split_part(version(), ' on ', 1) AS version, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync`,
          );
          return `${rows[0].version}, fsync=${rows[0].fsync}, synchronous_commit=${rows[0].sync}`;
        } finally {
          await client.end();
        }
      })();
      this.described.set(url, described);
    }
    return described;
  }

  async close(): Promise<void> {
    const pending = this.embedded;
    this.embedded = undefined;
    if (pending) {
      const server = await pending.catch(() => undefined);
      await server?.stop();
    }
    if (this.embeddedDir) rmSync(this.embeddedDir, { recursive: true, force: true });
  }
}

/** Milliseconds since an arbitrary origin, sub-millisecond. */
export const now = (): number => performance.now();

/**
 * The environment of the apps the benchmarks start: they measure throughput from one machine and
 * a few people (64 connections casting 1,741 stances), which the production rate limits would
 * refuse as abuse; the limits themselves cost one in-memory lookup per request either way.
 */
export const BENCH_APP_ENV: Readonly<Record<string, string>> = { RATE_LIMIT_USER_POINTS: '0', RATE_LIMIT_IP_POINTS: '0' };

/** Runs `worker(i)` for i in 0..count-1 with at most `concurrency` at a time; resolves when all are done. */
export async function pool(count: number, concurrency: number, worker: (index: number, lane: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async (_, lane) => {
      while (next < count) await worker(next++, lane);
    }),
  );
}

/**
 * A pg Pool whose idle clients' errors are ignored: dropping a benchmark database WITH (FORCE)
 * can reach a connection that is still closing after `end()`.
 */
export function quietPool(config: PoolConfig): Pool {
  const created = new Pool(config);
  created.on('error', () => undefined);
  return created;
}

/**
 * A peer server (`bare-*.ts` beside this file) as its own process, compiled in place like the
 * benchmarks; resolves with its URL (no trailing slash) once it prints `listening <url>`.
 */
export function startPeerServer(script: string, args: readonly string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-r', path.join(__dirname, 'register.js'), path.join(__dirname, script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening (\S+)/.exec(out);
      if (match) resolve({ url: match[1].replace(/\/$/, ''), child });
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening:\n${err}`)));
  });
}
