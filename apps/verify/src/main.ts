import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { SignedCheckpoint } from '../../../libs/audit/src/checkpoint';
import { ExportFormatError, fileLines, parseCheckpoint, readExport } from '../../../libs/audit/src/export-format';
import { CheckpointKeyError, parsePublicKeys, type CheckpointPublicJwk } from '../../../libs/audit/src/keys';
import { formatReport, verifyExport } from '../../../libs/audit/src/verify';

/**
 * `verify <export-file> [--checkpoint <earlier-checkpoint-file>] [--key <key-file>]`
 *
 * Verifies a Kyogi export without any database: every event's hash and link, the signed
 * checkpoint, and — with --checkpoint — that the export's checkpoint extends one kept earlier.
 * Exit status: 0 everything matches, 1 a mismatch (named), 2 usage or a file that cannot be read.
 */

const USAGE = `usage: verify <export-file> [--checkpoint <earlier-checkpoint-file>] [--key <key-file>]

  <export-file>        a Kyogi export (JSON Lines) of the whole log or of one stream
  --checkpoint <file>  a checkpoint you kept earlier (a checkpoint JSON, or an earlier export):
                       the export's latest checkpoint must extend it
  --key <file>         the platform's public keys to trust (JWK, JWK set from
                       /.well-known/kyogi-checkpoint-keys.json, or PEM); default: the keys in the export

Exit status: 0 everything matches, 1 a mismatch, 2 usage or unreadable input.`;

class UsageError extends Error {}

function options(argv: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { checkpoint: { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) return { help: true as const };
  if (parsed.positionals.length !== 1)
    throw new UsageError(parsed.positionals.length === 0 ? 'name the export file to verify' : 'verify one export file at a time');
  return { help: false as const, exportFile: parsed.positionals[0], checkpointFile: parsed.values.checkpoint, keyFile: parsed.values.key };
}

function checkFile(path: string, what: string): void {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    throw new UsageError(`cannot read the ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!stat.isFile()) throw new UsageError(`the ${what} ${path} is not a file`);
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function firstLine(path: string): Promise<string | undefined> {
  for await (const line of fileLines(path)) if (line.trim() !== '') return line.replace(/^\uFEFF/, '');
  return undefined;
}

/** The earlier checkpoint: a checkpoint JSON (or a checkpoint line of an export), or the latest checkpoint of an earlier export. */
export async function readEarlierCheckpoint(path: string): Promise<SignedCheckpoint> {
  checkFile(path, 'checkpoint file');
  let first: unknown;
  try {
    first = JSON.parse((await firstLine(path)) ?? '');
  } catch {
    first = undefined; // e.g. a pretty-printed checkpoint
  }
  if (first && typeof first === 'object' && (first as { kind?: unknown }).kind === 'header') {
    let latest: SignedCheckpoint | undefined;
    for await (const record of readExport(fileLines(path))) if (record.kind === 'checkpoint') latest = record.checkpoint;
    if (!latest) throw new ExportFormatError(0, `${path} holds no checkpoint`);
    return latest;
  }
  try {
    return parseCheckpoint(JSON.parse(readText(path, 'checkpoint file').replace(/^\uFEFF/, '')));
  } catch (error) {
    throw new ExportFormatError(0, `${path} is not a checkpoint: ${(error as Error).message}`);
  }
}

function readKeys(path: string): CheckpointPublicJwk[] {
  try {
    return parsePublicKeys(readText(path, 'key file'));
  } catch (error) {
    if (error instanceof CheckpointKeyError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
}

/** Runs the command; resolves to the exit status. */
export async function runVerify(argv: readonly string[], print: (line: string) => void = console.log): Promise<number> {
  try {
    const opts = options(argv);
    if (opts.help) {
      print(USAGE);
      return 0;
    }
    checkFile(opts.exportFile, 'export file');
    const earlier = opts.checkpointFile ? await readEarlierCheckpoint(opts.checkpointFile) : undefined;
    const trustedKeys = opts.keyFile ? readKeys(opts.keyFile) : undefined;
    const report = await verifyExport(() => fileLines(opts.exportFile), { earlier, trustedKeys });
    for (const line of formatReport(report)) print(line);
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      print(`verify: ${error.message}`);
      print(USAGE.split('\n')[0]);
      return 2;
    }
    if (error instanceof ExportFormatError) {
      print(`verify: not a readable Kyogi export: ${error.message}`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code) {
      print(`verify: cannot read input: ${code} ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  runVerify(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      console.error(`verify: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = 2;
    },
  );
}
