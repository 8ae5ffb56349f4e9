import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Actor } from '@kyogi/domain/shared/decider';
import { formatPosition } from '@kyogi/event-store/port';
import { ConfigError, loadConfig } from '../config/config';
import { Platform } from '../platform/platform';
import { importSpecVersion, loadSpecOwner, proposalsFromReadModel, type SpecImportFormat } from '../specs/import-spec-version/import-spec-version';

const USAGE = `usage: npm run specs:import -- --spec <id> --version <v> --file <path.csv|.md> [--incorporates <id>,<id>] [--format csv|markdown] [--command-id <id>]`;

class UsageError extends Error {}

const FORMAT_OF_EXTENSION: Readonly<Record<string, SpecImportFormat>> = { '.csv': 'csv', '.md': 'markdown', '.markdown': 'markdown' };

function options(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        spec: { type: 'string' },
        version: { type: 'string' },
        file: { type: 'string' },
        incorporates: { type: 'string' },
        format: { type: 'string' },
        'command-id': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { spec, version, file } = values;
  if (!spec || !version || !file) throw new UsageError('--spec, --version and --file are required');
  const format = (values.format?.toLowerCase() as SpecImportFormat | undefined) ?? FORMAT_OF_EXTENSION[path.extname(file).toLowerCase()];
  if (format !== 'csv' && format !== 'markdown') throw new UsageError(`cannot tell the format of ${file}: name it .csv or .md, or pass --format csv|markdown`);
  const incorporates = (values.incorporates ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  return { spec, version, file, format, incorporates, commandId: values['command-id'] };
}

/**
 * `npm run specs:import -- --spec juminkiroku --version 4.1 --file 住民記録4.1.csv [--incorporates p1,p2]`
 *
 * Publishes a spec version from a CSV or Markdown file through the same use case as the
 * importSpecVersion mutation (apps/api/src/specs/import-spec-version), then prints what it stored,
 * or every problem with its line, and exits 0 (all done) or 1.
 *
 * It acts as the platform operator: an admin and coordinator of the spec's owner organisation,
 * with person id `system` — as the demo seed does (ADR 0007). A command with database access is
 * the operator already (it could append to the store directly); going through the decider keeps
 * every rule and the audit trail, which records the event as the operator's. People import
 * through the mutation, as themselves.
 *
 * Run it beside the app with DATABASE_URL, or with the app stopped on the embedded store (its
 * DATA_DIR lock refuses a second process). The app's projector picks the version up; the
 * printed position can be passed as `waitFor`. The command id defaults to one derived from the
 * spec, version, format, proposals and file content: running the same import again publishes
 * nothing twice and retries only what failed (marking proposals incorporated).
 */
async function main(): Promise<number> {
  let args: ReturnType<typeof options>;
  try {
    args = options(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`specs:import: ${(error as Error).message}\n${USAGE}\n`);
    return 1;
  }
  let content: string;
  try {
    content = readFileSync(args.file, 'utf8'); // invalid UTF-8 becomes U+FFFD, which the parser reports as NOT_UTF8
  } catch (error) {
    process.stderr.write(`specs:import: cannot read ${args.file}: ${(error as Error).message}\n`);
    return 1;
  }
  const commandId =
    args.commandId ??
    `cli:import:${createHash('sha256')
      .update(JSON.stringify([args.spec, args.version, args.format, args.incorporates, content]))
      .digest('hex')
      .slice(0, 32)}`;

  const config = { ...loadConfig(process.env), runProjections: false };
  const platform = await Platform.start(config, { log: (m) => process.stderr.write(`${m}\n`) });
  try {
    const owner = await loadSpecOwner(platform.store, args.spec);
    if (owner === null) {
      process.stderr.write(`specs:import: SPEC_NOT_FOUND: spec ${JSON.stringify(args.spec)} does not exist (create it with the createSpec mutation)\n`);
      return 1;
    }
    const operator: Actor = { personId: 'system', organisationId: owner, organisationKind: 'national', roles: ['admin', 'coordinator'] };
    const result = await importSpecVersion({ store: platform.store, clock: platform.clock, proposals: proposalsFromReadModel(platform.pool) }, operator, {
      commandId,
      specId: args.spec,
      version: args.version,
      format: args.format,
      content,
      incorporatedProposalIds: args.incorporates,
    });
    if (result.contentErrors.length) {
      for (const e of result.contentErrors) process.stderr.write(`${args.file}:${e.line}: ${e.code}${e.field ? ` (${e.field})` : ''}: ${e.message}\n`);
      process.stderr.write(`specs:import: ${result.contentErrors.length} problem(s) in ${args.file}; nothing was stored\n`);
      return 1;
    }
    if (result.published) {
      const { specId, version, requirementCount } = result.published;
      process.stdout.write(`published ${specId} ${version}: ${requirementCount} requirements from ${args.file} (${args.format})\n`);
      if (result.incorporated.length) process.stdout.write(`incorporated proposals: ${result.incorporated.join(', ')}\n`);
      if (result.position) process.stdout.write(`position ${formatPosition(result.position)}\n`);
    }
    for (const e of result.errors) process.stderr.write(`specs:import: ${e.code}${e.field ? ` (${e.field})` : ''}: ${e.message}\n`);
    if (!result.published) process.stderr.write('specs:import: nothing was stored\n');
    return result.errors.length ? 1 : 0;
  } finally {
    await platform.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`specs:import: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
