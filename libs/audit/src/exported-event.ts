import { formatPosition, parsePosition, type EventMetadata, type Position, type RecordedEvent } from '@kyogi/event-store/port';

/**
 * An event as it leaves the platform: every field its hash covers (ADR 0004), bigints as
 * decimal strings, the position as its text (`<16 hex>.<16 hex>`), and the time it was stored.
 */
export interface ExportedEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: string;
  readonly position: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
  readonly hash: string;
  readonly previousHash: string | null;
  readonly recordedAt: string;
}

/** What a verifier needs of an event: a RecordedEvent, or an exported one read back. */
export type VerifiableEvent = Omit<RecordedEvent, 'recordedAt'>;

export function toExportedEvent(event: RecordedEvent): ExportedEvent {
  return {
    id: event.id,
    streamName: event.streamName,
    revision: event.revision.toString(),
    position: formatPosition(event.position),
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    hash: event.hash,
    previousHash: event.previousHash,
    recordedAt: event.recordedAt.toISOString(),
  };
}

export class InvalidExportedEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidExportedEventError';
  }
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the shape of an exported event (JSON parsed) and gives it back typed. The hash is not
 * checked here: that is verification's job, and it needs the shape first.
 */
export function parseExportedEvent(value: unknown): ExportedEvent & { readonly parsedPosition: Position; readonly parsedRevision: bigint } {
  if (!isObject(value)) throw new InvalidExportedEventError('an event must be a JSON object');
  const text = (name: string, nullable = false): void => {
    const v = value[name];
    if (!(typeof v === 'string' || (nullable && v === null))) throw new InvalidExportedEventError(`"${name}" must be a string${nullable ? ' or null' : ''}`);
  };
  for (const name of ['id', 'streamName', 'revision', 'position', 'type', 'hash', 'recordedAt']) text(name);
  text('previousHash', true);
  if (!DECIMAL.test(value.revision as string))
    throw new InvalidExportedEventError(`"revision" must be a decimal number, not ${JSON.stringify(value.revision)}`);
  if (!isObject(value.data)) throw new InvalidExportedEventError('"data" must be a JSON object');
  if (!isObject(value.metadata)) throw new InvalidExportedEventError('"metadata" must be a JSON object');
  let parsedPosition: Position;
  try {
    parsedPosition = parsePosition(value.position as string);
  } catch {
    throw new InvalidExportedEventError(`"position" must be "<16 hex>.<16 hex>", not ${JSON.stringify(value.position)}`);
  }
  const event = value as unknown as ExportedEvent;
  return { ...event, parsedPosition, parsedRevision: BigInt(event.revision) };
}

/** The exported event as the verifier checks it (exactly the fields that were hashed). */
export function verifiableOf(event: ReturnType<typeof parseExportedEvent>): VerifiableEvent {
  return {
    id: event.id,
    streamName: event.streamName,
    revision: event.parsedRevision,
    position: event.parsedPosition,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    hash: event.hash,
    previousHash: event.previousHash,
  };
}
