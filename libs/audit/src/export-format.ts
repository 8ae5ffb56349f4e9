import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RecordedEvent } from '@kyogi/event-store/port';
import { CHECKPOINT_FORMAT, type SignedCheckpoint } from './checkpoint';
import { InvalidExportedEventError, parseExportedEvent, toExportedEvent } from './exported-event';
import type { CheckpointPublicJwk } from './keys';
import { sortStreamHeads, type StreamHead, type StreamHeadProof } from './merkle';

/**
 * The export file: JSON Lines (UTF-8, one JSON object per line, each with a `kind`):
 *
 *   header            {"kind":"header","format":"kyogi-export","version":1,"exportedAt":…,"scope":{"kind":"log"}|{"kind":"stream","streamName":…}}
 *   event …           {"kind":"event","id":…,"streamName":…,"revision":"3","position":"<16 hex>.<16 hex>","type":…,"data":…,"metadata":…,"hash":…,"previousHash":…,"recordedAt":…}
 *   checkpoint-head … (log exports, optional) the heads the latest checkpoint signed, as recorded when it was made
 *   stream-proof      (stream exports) the stream head's Merkle inclusion proof in the latest checkpoint
 *   checkpoint …      the chain of signed checkpoints, oldest first; the last line of them is the latest
 *   key …             the public keys (JWK) the checkpoints name
 *
 * Events of a log export come in global order; events of a stream export in revision order.
 */

export const EXPORT_FORMAT = 'kyogi-export';
export const EXPORT_VERSION = 1;

export type ExportScope = { readonly kind: 'log' } | { readonly kind: 'stream'; readonly streamName: string };

export interface ExportHeader {
  readonly format: typeof EXPORT_FORMAT;
  readonly version: typeof EXPORT_VERSION;
  readonly exportedAt: string;
  readonly scope: ExportScope;
}

export interface ExportInput {
  readonly scope: ExportScope;
  readonly exportedAt: Date;
  readonly events: Iterable<RecordedEvent> | AsyncIterable<RecordedEvent>;
  /** The chain of signed checkpoints, oldest first, ending with the latest (give at least the latest). */
  readonly checkpoints?: readonly SignedCheckpoint[];
  /**
   * Log exports: the heads the latest checkpoint was built from, as stored when it was signed.
   * Optional; with them a verifier names the stream that differs instead of only "root differs".
   */
  readonly checkpointHeads?: Iterable<StreamHead>;
  /** Stream exports: the stream head's inclusion proof in the latest checkpoint (`tree.proofFor`). */
  readonly streamProof?: StreamHeadProof;
  /** The public keys the checkpoints name (the well-known key set). */
  readonly keys?: readonly CheckpointPublicJwk[];
}

const line = (record: Record<string, unknown>) => `${JSON.stringify(record)}\n`;

/** The export, line by line (each ends with "\n"). Events are read as they are needed. */
export async function* writeExport(input: ExportInput): AsyncGenerator<string> {
  const checkpoints = input.checkpoints ?? [];
  const latest = checkpoints[checkpoints.length - 1];
  const header: ExportHeader = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: input.exportedAt.toISOString(), scope: input.scope };
  yield line({ kind: 'header', ...header });
  for await (const event of input.events) {
    if (input.scope.kind === 'stream' && event.streamName !== input.scope.streamName) {
      throw new RangeError(`an export of stream ${input.scope.streamName} was given an event of ${event.streamName}`);
    }
    yield line({ kind: 'event', ...toExportedEvent(event) });
  }
  if (input.checkpointHeads) {
    if (input.scope.kind !== 'log') throw new RangeError('checkpoint heads belong in log exports; stream exports carry a stream proof');
    if (!latest) throw new RangeError('checkpoint heads need the checkpoint they belong to');
    for (const head of sortStreamHeads(input.checkpointHeads)) {
      yield line({ kind: 'checkpoint-head', sequence: latest.sequence, streamName: head.streamName, revision: head.revision.toString(), hash: head.hash });
    }
  }
  if (input.streamProof) {
    if (input.scope.kind !== 'stream' || input.streamProof.streamName !== input.scope.streamName)
      throw new RangeError('a stream proof belongs in an export of its stream');
    if (!latest) throw new RangeError('a stream proof needs the checkpoint it belongs to');
    yield line({ kind: 'stream-proof', sequence: latest.sequence, ...input.streamProof });
  }
  for (const checkpoint of checkpoints) yield line({ kind: 'checkpoint', ...checkpoint });
  for (const key of input.keys ?? []) yield line({ kind: 'key', ...key });
}

// ---- reading ---------------------------------------------------------------------------------

export class ExportFormatError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(line > 0 ? `line ${line}: ${detail}` : detail);
    this.name = 'ExportFormatError';
  }
}

export type ParsedEvent = ReturnType<typeof parseExportedEvent>;

export type ExportLine =
  | { readonly line: number; readonly kind: 'header'; readonly header: ExportHeader }
  | { readonly line: number; readonly kind: 'event'; readonly event: ParsedEvent }
  | { readonly line: number; readonly kind: 'checkpoint-head'; readonly sequence: number; readonly head: StreamHead }
  | { readonly line: number; readonly kind: 'stream-proof'; readonly sequence: number; readonly proof: StreamHeadProof }
  | { readonly line: number; readonly kind: 'checkpoint'; readonly checkpoint: SignedCheckpoint }
  | { readonly line: number; readonly kind: 'key'; readonly key: CheckpointPublicJwk };

const HEX64 = /^[0-9a-f]{64}$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;
const POSITION = /^[0-9a-f]{16}\.[0-9a-f]{16}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function fail(message: string): never {
  throw new InvalidExportedEventError(message);
}

function parseHeader(value: Record<string, unknown>): ExportHeader {
  if (value.format !== EXPORT_FORMAT) fail(`not a Kyogi export (format ${JSON.stringify(value.format)}, expected "${EXPORT_FORMAT}")`);
  if (value.version !== EXPORT_VERSION)
    fail(`export version ${JSON.stringify(value.version)} is not supported (this verifier reads version ${EXPORT_VERSION})`);
  if (typeof value.exportedAt !== 'string' || Number.isNaN(Date.parse(value.exportedAt))) fail('"exportedAt" must be an ISO-8601 time');
  const scope = value.scope;
  if (!isObject(scope) || !(scope.kind === 'log' || (scope.kind === 'stream' && typeof scope.streamName === 'string'))) {
    fail('"scope" must be {"kind":"log"} or {"kind":"stream","streamName":…}');
  }
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: value.exportedAt,
    scope: scope.kind === 'log' ? { kind: 'log' } : { kind: 'stream', streamName: scope.streamName as string },
  };
}

/** Checks a checkpoint's shape (not its signature) and gives back exactly its fields. */
export function parseCheckpoint(value: unknown): SignedCheckpoint {
  if (!isObject(value)) fail('a checkpoint must be a JSON object');
  if (value.format !== CHECKPOINT_FORMAT) fail(`not a checkpoint (format ${JSON.stringify(value.format)}, expected "${CHECKPOINT_FORMAT}")`);
  if (!isCount(value.sequence) || value.sequence < 1) fail('checkpoint "sequence" must be a whole number from 1');
  if (typeof value.position !== 'string' || !POSITION.test(value.position)) fail('checkpoint "position" must be "<16 hex>.<16 hex>"');
  if (typeof value.createdAt !== 'string' || Number.isNaN(Date.parse(value.createdAt))) fail('checkpoint "createdAt" must be an ISO-8601 time');
  if (!isCount(value.streamCount)) fail('checkpoint "streamCount" must be a whole number');
  if (typeof value.merkleRoot !== 'string' || !HEX64.test(value.merkleRoot)) fail('checkpoint "merkleRoot" must be 64 hex digits');
  if (!(value.previousDigest === null || (typeof value.previousDigest === 'string' && HEX64.test(value.previousDigest)))) {
    fail('checkpoint "previousDigest" must be 64 hex digits or null');
  }
  if ((value.sequence === 1) !== (value.previousDigest === null)) fail('only checkpoint 1 has no previous digest');
  if (typeof value.keyId !== 'string' || typeof value.signature !== 'string') fail('checkpoint "keyId" and "signature" must be strings');
  const { format, sequence, position, createdAt, streamCount, merkleRoot, previousDigest, keyId, signature } = value as unknown as SignedCheckpoint;
  return { format, sequence, position, createdAt, streamCount, merkleRoot, previousDigest, keyId, signature };
}

function parseHead(value: Record<string, unknown>): StreamHead {
  if (typeof value.streamName !== 'string') fail('"streamName" must be a string');
  if (typeof value.revision !== 'string' || !DECIMAL.test(value.revision)) fail('"revision" must be a decimal number');
  if (typeof value.hash !== 'string' || !HEX64.test(value.hash)) fail('"hash" must be 64 hex digits');
  return { streamName: value.streamName, revision: BigInt(value.revision), hash: value.hash };
}

function parseProof(value: Record<string, unknown>): StreamHeadProof {
  const head = parseHead(value);
  if (!isCount(value.leafIndex) || !isCount(value.treeSize)) fail('"leafIndex" and "treeSize" must be whole numbers');
  if (!Array.isArray(value.path) || !value.path.every((p) => typeof p === 'string' && HEX64.test(p))) fail('"path" must be a list of 64-hex-digit hashes');
  return {
    streamName: head.streamName,
    revision: head.revision.toString(),
    hash: head.hash,
    leafIndex: value.leafIndex,
    treeSize: value.treeSize,
    path: value.path as string[],
  };
}

/** A key's shape only: whether it is a sound Ed25519 key named by its thumbprint is verification's finding. */
function parseKeyRecord(value: Record<string, unknown>): CheckpointPublicJwk {
  for (const name of ['kty', 'crv', 'x', 'kid']) if (typeof value[name] !== 'string') fail(`key "${name}" must be a string`);
  if (value.retiredAt !== undefined && (typeof value.retiredAt !== 'string' || Number.isNaN(Date.parse(value.retiredAt))))
    fail('key "retiredAt" must be an ISO-8601 time');
  const { kty, crv, x, kid, retiredAt } = value as unknown as CheckpointPublicJwk;
  return { kty, crv, x, kid, alg: 'EdDSA', use: 'sig', ...(retiredAt === undefined ? {} : { retiredAt }) };
}

function sequenceOf(value: Record<string, unknown>): number {
  if (!isCount(value.sequence) || value.sequence < 1) fail('"sequence" must name a checkpoint (a whole number from 1)');
  return value.sequence;
}

/** The order records may come in: header, events, then checkpoint heads / stream proof, checkpoints, keys. */
const RANK: Record<ExportLine['kind'], number> = { header: 0, event: 1, 'checkpoint-head': 2, 'stream-proof': 2, checkpoint: 3, key: 4 };

/**
 * Reads an export line by line, checking each record's shape and the order of the records.
 * Throws `ExportFormatError` naming the line. Blank lines are skipped (and counted).
 */
export async function* readExport(lines: Iterable<string> | AsyncIterable<string>): AsyncGenerator<ExportLine> {
  let number = 0;
  let rank = -1;
  let scope: ExportScope | undefined;
  for await (const raw of lines) {
    number += 1;
    const text = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    let record: ExportLine;
    try {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        fail('not JSON');
      }
      if (!isObject(value)) fail('not a JSON object');
      switch (value.kind) {
        case 'header':
          record = { line: number, kind: 'header', header: parseHeader(value) };
          break;
        case 'event':
          record = { line: number, kind: 'event', event: parseExportedEvent(value) };
          break;
        case 'checkpoint-head':
          record = { line: number, kind: 'checkpoint-head', sequence: sequenceOf(value), head: parseHead(value) };
          break;
        case 'stream-proof':
          record = { line: number, kind: 'stream-proof', sequence: sequenceOf(value), proof: parseProof(value) };
          break;
        case 'checkpoint':
          record = { line: number, kind: 'checkpoint', checkpoint: parseCheckpoint(value) };
          break;
        case 'key':
          record = { line: number, kind: 'key', key: parseKeyRecord(value) };
          break;
        default:
          fail(`unknown record kind ${JSON.stringify(value.kind)}`);
      }
    } catch (error) {
      if (error instanceof InvalidExportedEventError) throw new ExportFormatError(number, error.message);
      throw error;
    }
    if (rank === -1 && record.kind !== 'header') throw new ExportFormatError(number, 'the export must start with its header');
    if (rank !== -1 && record.kind === 'header') throw new ExportFormatError(number, 'a second header');
    if (RANK[record.kind] < rank) {
      const before = Object.keys(RANK).find((k) => RANK[k as ExportLine['kind']] === rank);
      throw new ExportFormatError(
        number,
        `a record of kind ${record.kind} after the ${before} records (the order is header, events, checkpoint heads or stream proof, checkpoints, keys)`,
      );
    }
    rank = RANK[record.kind];
    if (record.kind === 'header') scope = record.header.scope;
    if (record.kind === 'event' && scope?.kind === 'stream' && record.event.streamName !== scope.streamName) {
      throw new ExportFormatError(number, `an event of stream ${record.event.streamName} in an export of stream ${scope.streamName}`);
    }
    if (record.kind === 'checkpoint-head' && scope?.kind !== 'log') throw new ExportFormatError(number, 'checkpoint heads belong in log exports');
    if (record.kind === 'stream-proof' && (scope?.kind !== 'stream' || record.proof.streamName !== scope.streamName)) {
      throw new ExportFormatError(number, 'a stream proof belongs in an export of its stream');
    }
    yield record;
  }
  if (rank === -1) throw new ExportFormatError(0, 'the export is empty');
}

/** The lines of a file, streamed (the file may be larger than memory). */
export async function* fileLines(path: string): AsyncGenerator<string> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const reader = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const text of reader) yield text;
  } finally {
    reader.close();
    input.destroy();
  }
}

// ---- CSV for people ------------------------------------------------------------------------

/** Column headings, Japanese first: the file is for people, most of whom read Japanese. */
export const EVENTS_CSV_COLUMNS = [
  '日時 (time)',
  'ストリーム (stream)',
  'リビジョン (revision)',
  '種類 (type)',
  '担当者 (person)',
  '団体 (organisation)',
  'ハッシュ (hash)',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * A field that a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a
 * leading apostrophe (OWASP's advice on CSV injection): person and organisation ids come from
 * identity providers.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export interface EventsCsvOptions {
  /** Display names for people and organisations; ids are written when these give nothing. */
  readonly personName?: (personId: string) => string | undefined;
  readonly organisationName?: (organisationId: string) => string | undefined;
}

/**
 * The events as CSV for a spreadsheet: a UTF-8 byte order mark (without it Excel reads UTF-8 as
 * Shift_JIS and garbles Japanese), a heading row, one row per event, CRLF line ends.
 */
export async function* writeEventsCsv(events: Iterable<RecordedEvent> | AsyncIterable<RecordedEvent>, options: EventsCsvOptions = {}): AsyncGenerator<string> {
  const row = (fields: readonly string[]) => `${fields.map(csvField).join(',')}\r\n`;
  yield `\uFEFF${row(EVENTS_CSV_COLUMNS)}`;
  for await (const event of events) {
    const { personId, organisationId } = event.metadata.actor;
    const person = options.personName?.(personId);
    const organisation = options.organisationName?.(organisationId);
    yield row([
      event.metadata.occurredAt,
      event.streamName,
      event.revision.toString(),
      event.type,
      person ? `${person} (${personId})` : personId,
      organisation ? `${organisation} (${organisationId})` : organisationId,
      event.hash,
    ]);
  }
}
