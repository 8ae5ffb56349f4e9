/**
 * Pure mapping between the EventStore port and the EventStoreDB client (`@eventstore/db-client` 6.x).
 * No I/O here, so every rule can be unit-tested without a server.
 *
 * How a Kyogi event is stored in EventStoreDB:
 *   - ESDB event id   = our event id (lower-cased UUID: ESDB hands ids back lower-cased)
 *   - ESDB event type = our type; content type application/json; data = our data
 *   - ESDB metadata   = { ...our EventMetadata, kyogiChain: { hash, previousHash } }
 * The hash-chain fields live under one key, `kyogiChain`, next to our metadata so they round-trip.
 * (Keys starting with `$` are reserved by EventStoreDB, hence no `$` prefix.)
 */
import {
  ANY,
  ErrorType,
  NO_STREAM,
  START as ESDB_START,
  STREAM_EXISTS,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type EventData,
  type Position as EsdbPosition,
  type ReadPosition,
  type ResolvedEvent,
  type WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  EventStoreError,
  WrongExpectedRevisionError,
  type EventMetadata,
  type EventToAppend,
  type ExpectedRevision,
  type Position,
  type RecordedEvent,
} from '../port';

/** The metadata key under which the hash-chain fields are stored. */
export const KYOGI_CHAIN_KEY = 'kyogiChain' as const;

/** The hash-chain fields stored with every Kyogi event in EventStoreDB. */
export interface KyogiChainFields {
  readonly hash: string;
  readonly previousHash: string | null;
}

/** The metadata object written to EventStoreDB. */
export type EsdbKyogiMetadata = EventMetadata & { readonly [KYOGI_CHAIN_KEY]: KyogiChainFields };

/** Anything the client hands back from readStream, readAll or subscribeToAll. */
export type AnyResolvedEvent = ResolvedEvent | AllStreamResolvedEvent;

/** A stored ESDB event could not be mapped to a Kyogi RecordedEvent (system event, foreign event, no position). */
export class EsdbMappingError extends EventStoreError {
  readonly code = 'ESDB_MAPPING' as const;
  constructor(message: string) {
    super(message);
    this.name = 'EsdbMappingError';
  }
}

// ---- expected / current revisions -------------------------------------------------------------

/** Our expected revision as the client's. Both use the same words; a revision must be ≥ 0. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'any':
      return ANY;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (typeof expected !== 'bigint' || expected < 0n) {
        throw new RangeError(`expected revision must be 'no_stream', 'any', 'stream_exists' or a bigint ≥ 0, got ${String(expected)}`);
      }
      return expected;
  }
}

/** The client's expected revision back as ours (used when an error carries only the client's). */
export function fromEsdbExpectedRevision(expected: AppendExpectedRevision): ExpectedRevision {
  switch (expected) {
    case NO_STREAM:
      return 'no_stream';
    case ANY:
      return 'any';
    case STREAM_EXISTS:
      return 'stream_exists';
    default:
      return BigInt(expected);
  }
}

/**
 * A current revision as the client reports it: `'no_stream'`, a bigint, or (from an append with
 * `throwOnAppendFailure: false`) `-1n` meaning no stream.
 */
export function fromEsdbCurrentRevision(current: CurrentRevision | bigint): bigint | 'no_stream' {
  if (current === NO_STREAM) return 'no_stream';
  const revision = BigInt(current);
  return revision < 0n ? 'no_stream' : revision;
}

/** Duck-typed, so it also recognises errors from another copy of the client package. */
export function isWrongExpectedVersionError(error: unknown): error is WrongExpectedVersionError {
  return error instanceof Error && (error as { type?: unknown }).type === ErrorType.WRONG_EXPECTED_VERSION;
}

export function isStreamNotFoundError(error: unknown): boolean {
  return error instanceof Error && (error as { type?: unknown }).type === ErrorType.STREAM_NOT_FOUND;
}

/**
 * The client's WrongExpectedVersionError as our typed error. `expected` is what our caller asked
 * for (the adapter may have sent ESDB a narrower revision); without it the error's own is used.
 */
export function fromEsdbWrongExpectedVersion(
  error: Pick<WrongExpectedVersionError, 'streamName' | 'expectedVersion' | 'actualVersion'>,
  expected?: ExpectedRevision,
  streamName?: string,
): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(
    streamName ?? error.streamName,
    expected ?? fromEsdbExpectedRevision(error.expectedVersion),
    fromEsdbCurrentRevision(error.actualVersion),
  );
}

// ---- positions ----------------------------------------------------------------------------------

/** ESDB positions are unsigned 64-bit; it reports "no position" as -1 or as 2^64 - 1. */
const UINT64_MAX = (1n << 64n) - 1n;

export function isValidEsdbPosition(position: EsdbPosition | undefined | null): position is EsdbPosition {
  return (
    position != null &&
    typeof position.commit === 'bigint' &&
    typeof position.prepare === 'bigint' &&
    position.commit >= 0n &&
    position.prepare >= 0n &&
    position.commit < UINT64_MAX &&
    position.prepare < UINT64_MAX
  );
}

/** An ESDB position as ours (same two numbers). */
export function fromEsdbPosition(position: EsdbPosition | undefined | null): Position {
  if (!isValidEsdbPosition(position)) {
    const raw = position as EsdbPosition | undefined | null;
    throw new EsdbMappingError(
      `EventStoreDB did not report a valid position (${raw ? `${String(raw.commit)}/${String(raw.prepare)}` : 'none'}); ` +
        'event positions on stream reads need EventStoreDB 22.10 or later',
    );
  }
  return Object.freeze({ commit: position.commit, prepare: position.prepare });
}

/** Our position as an ESDB position; START is not one (use {@link toEsdbReadPosition}). */
export function toEsdbPosition(position: Position): EsdbPosition {
  if (position.commit < 0n || position.prepare < 0n) {
    throw new RangeError(`position ${position.commit}/${position.prepare} has no EventStoreDB equivalent`);
  }
  return { commit: position.commit, prepare: position.prepare };
}

/** Where to start reading or subscribing to $all: START maps to the client's `'start'`. */
export function toEsdbReadPosition(position: Position): ReadPosition {
  return position.commit < 0n ? ESDB_START : toEsdbPosition(position);
}

// ---- events -------------------------------------------------------------------------------------

/** The event id as ESDB will hand it back (UUIDs come back lower-cased). */
export function normaliseEventId(id: string): string {
  return id.toLowerCase();
}

export function toEsdbMetadata(metadata: EventMetadata, chain: KyogiChainFields): EsdbKyogiMetadata {
  return { ...metadata, [KYOGI_CHAIN_KEY]: { hash: chain.hash, previousHash: chain.previousHash } };
}

/** The event as the client's EventData, with the hash-chain fields in its metadata. */
export function toEsdbEventData(event: EventToAppend, chain: KyogiChainFields): EventData {
  return jsonEvent({
    id: normaliseEventId(event.id),
    type: event.type,
    data: event.data,
    metadata: toEsdbMetadata(event.metadata, chain),
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function isChainFields(value: unknown): value is KyogiChainFields {
  if (!isPlainObject(value)) return false;
  const { hash, previousHash } = value;
  return typeof hash === 'string' && (previousHash === null || typeof previousHash === 'string');
}

/**
 * Splits stored ESDB metadata into our EventMetadata and the hash-chain fields; `null` when the
 * metadata was not written by this adapter.
 */
export function splitEsdbMetadata(raw: unknown): { metadata: EventMetadata; chain: KyogiChainFields } | null {
  if (!isPlainObject(raw)) return null;
  const { [KYOGI_CHAIN_KEY]: chain, ...rest } = raw;
  if (!isChainFields(chain)) return null;
  return {
    metadata: rest as unknown as EventMetadata,
    chain: { hash: chain.hash, previousHash: chain.previousHash },
  };
}

/** ESDB's own events (`$`-prefixed type: `$metadata`, `$>` links, `$statsCollected`, …) or streams. */
export function isSystemEvent(resolved: AnyResolvedEvent): boolean {
  const event = resolved.event;
  if (!event) return true; // an unresolved link: nothing of ours
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/** True when the event was written by this adapter: not a system event, JSON, with our chain metadata. */
export function isKyogiEvent(resolved: AnyResolvedEvent): boolean {
  const event = resolved.event;
  if (!event || isSystemEvent(resolved) || !event.isJson || !isPlainObject(event.data)) return false;
  return splitEsdbMetadata(event.metadata) !== null;
}

/** A resolved ESDB event as our RecordedEvent; throws {@link EsdbMappingError} for anything not written by this adapter. */
export function toRecordedEvent(resolved: AnyResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new EsdbMappingError('resolved event has no event (unresolved link)');
  if (isSystemEvent(resolved)) {
    throw new EsdbMappingError(`system event ${event.type} in ${event.streamId} is not a Kyogi event`);
  }
  if (!event.isJson || !isPlainObject(event.data)) {
    throw new EsdbMappingError(`event ${event.id} in ${event.streamId} is not a JSON object event`);
  }
  const split = splitEsdbMetadata(event.metadata);
  if (!split) {
    throw new EsdbMappingError(`event ${event.id} in ${event.streamId} has no ${KYOGI_CHAIN_KEY} metadata: not written by Kyogi`);
  }
  return {
    id: event.id,
    streamName: event.streamId,
    revision: BigInt(event.revision),
    position: fromEsdbPosition(event.position),
    type: event.type,
    data: event.data,
    metadata: split.metadata,
    hash: split.chain.hash,
    previousHash: split.chain.previousHash,
    recordedAt: new Date(event.created.getTime()),
  };
}
