/**
 * `npm run bench [-- NAME … --quick --out PATH]`: runs the benchmarks of issue #10 in order,
 * prints one table (stdout; progress goes to stderr) and optionally writes the figures as JSON.
 * See test/bench/README.md and docs/adr/0010-benchmarks.md.
 */
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BenchContext, parseOptions, USAGE, UsageError, type Benchmark, type Figure } from './harness';
import { commitCeiling } from './commit-ceiling.bench';
import { append } from './append.bench';
import { hotConsultation } from './hot-consultation.bench';
import { read } from './read.bench';
import { rebuild } from './rebuild.bench';
import { memory } from './memory.bench';
import { fanout } from './fanout.bench';

/** In the order they run: the physical limit first, so every later figure can be read against it. */
export const BENCHMARKS: readonly Benchmark[] = [commitCeiling, append, hotConsultation, rebuild, fanout, read, memory];

export async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(error.message);
    console.error(USAGE);
    return error.message ? 2 : 0;
  }
  const selected = options.names.length ? BENCHMARKS.filter((b) => options.names.some((n) => b.name.startsWith(n))) : BENCHMARKS;
  const unknown = options.names.filter((n) => !BENCHMARKS.some((b) => b.name.startsWith(n)));
  if (unknown.length || selected.length === 0) {
    console.error(`unknown benchmark ${unknown.join(', ')}; there are: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    return 2;
  }

  const context = new BenchContext(options);
  // The embedded PostgreSQL runs detached (it outlives a killed parent by design): whatever ends
  // this process stops it first.
  const stop = () => {
    void context.close().finally(() => process.exit(130));
  };
  const crash = (error: unknown) => {
    console.error('the benchmark run crashed:', error);
    void context.close().finally(() => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.once('uncaughtException', crash);
  process.once('unhandledRejection', crash);
  const started = new Date();
  const failures: string[] = [];
  try {
    for (const benchmark of selected) {
      process.stderr.write(`▶ ${benchmark.name}: ${benchmark.title}\n`);
      const t0 = Date.now();
      try {
        await benchmark.run(context);
      } catch (error) {
        failures.push(`${benchmark.name}: ${(error as Error).stack ?? String(error)}`);
        process.stderr.write(`✗ ${benchmark.name} failed: ${(error as Error).message}\n`);
      }
      process.stderr.write(`  ${benchmark.name} took ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    }
  } finally {
    await context.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
  }

  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  console.log(`\nKyogi benchmarks — ${started.toISOString()} — ${machine}`);
  console.log(`runs per figure: ${options.runs} after ${options.warmup} warm-up${options.quick ? ' (--quick sizes)' : ''}; median [min … max]\n`);
  console.log(table(context.figures));
  if (context.notes.length) console.log(`\n${context.notes.map((n) => `- ${n}`).join('\n')}`);
  for (const failure of failures) console.error(`\nFAILED ${failure}`);

  if (options.out) {
    mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
    const report = {
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      argv,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim(), memoryBytes: totalmem(), node: process.version, platform: process.platform },
      options: { runs: options.runs, warmup: options.warmup, quick: options.quick, sizes: options.sizes },
      figures: context.figures.map((f) => ({ ...f, targetMet: f.target ? f.summary.median >= f.target.atLeast : undefined })),
      notes: context.notes,
      failures,
    };
    writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nJSON written to ${options.out}`);
  }
  return failures.length ? 1 : 0;
}

/** A number with as many digits as help reading it. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (Number.isInteger(value) || abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function table(figures: readonly Figure[]): string {
  const header = ['benchmark', 'case', 'figure', 'median', 'min … max', 'unit', 'target'];
  const rows = figures.map((f) => [
    f.benchmark,
    f.case,
    f.name,
    formatNumber(f.summary.median),
    `${formatNumber(f.summary.min)} … ${formatNumber(f.summary.max)}`,
    f.unit,
    f.target ? `≥ ${f.target.atLeast} ${f.summary.median >= f.target.atLeast ? 'met' : 'MISSED'}` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const right = new Set([3, 4]);
  const line = (cells: string[]) => `| ${cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (right.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...rows.map(line)].join('\n');
}
