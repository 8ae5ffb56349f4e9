import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { eventHash } from '../hash-chain';
import { InvalidStreamNameError, START, WrongExpectedRevisionError, assertStreamName, type EventMetadata, type EventToAppend } from '../port';
import {
  EsdbMappingError,
  KYOGI_CHAIN_KEY,
  fromEsdbCurrentRevision,
  fromEsdbExpectedRevision,
  fromEsdbPosition,
  fromEsdbWrongExpectedVersion,
  isKyogiEvent,
  isStreamNotFoundError,
  isSystemEvent,
  isValidEsdbPosition,
  isWrongExpectedVersionError,
  normaliseEventId,
  splitEsdbMetadata,
  toEsdbEventData,
  toEsdbExpectedRevision,
  toEsdbMetadata,
  toEsdbPosition,
  toEsdbReadPosition,
  toRecordedEvent,
} from './eventstoredb.mapping';

const metadata: EventMetadata = {
  actor: { personId: 'person-1', organisationId: 'org-1', roles: ['member'] },
  correlationId: 'corr-1',
  causationId: 'cmd-1',
  occurredAt: '2025-04-01T09:00:00.000Z',
  schemaVersion: 1,
};

const HASH = 'a'.repeat(64);
const PREVIOUS = 'b'.repeat(64);

/** A resolved event shaped like the client's convertGrpcEvent output (JSON-parsed data and metadata). */
function resolved(overrides: Partial<Record<string, unknown>> = {}): AllStreamResolvedEvent {
  return {
    event: {
      streamId: 'Proposal-123',
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      isJson: true,
      revision: 3n,
      type: 'ProposalDrafted',
      created: new Date('2025-04-01T09:00:01.234Z'),
      data: { title: '協議' },
      metadata: { ...metadata, [KYOGI_CHAIN_KEY]: { hash: HASH, previousHash: PREVIOUS } },
      position: { commit: 1234n, prepare: 1200n },
      ...overrides,
    },
    commitPosition: 1234n,
  } as AllStreamResolvedEvent;
}

describe('EventStoreDB mapping: expected revisions', () => {
  it.each([
    ['no_stream', NO_STREAM],
    ['any', ANY],
    ['stream_exists', STREAM_EXISTS],
  ] as const)('maps %s to the client constant and back', (ours, theirs) => {
    expect(toEsdbExpectedRevision(ours)).toBe(theirs);
    expect(fromEsdbExpectedRevision(theirs)).toBe(ours);
  });

  it('passes an exact revision through as a bigint', () => {
    expect(toEsdbExpectedRevision(0n)).toBe(0n);
    expect(toEsdbExpectedRevision(41n)).toBe(41n);
    expect(fromEsdbExpectedRevision(41n)).toBe(41n);
  });

  it('rejects a negative revision', () => {
    expect(() => toEsdbExpectedRevision(-1n)).toThrow(RangeError);
  });

  it('maps current revisions, including -1 as no stream', () => {
    expect(fromEsdbCurrentRevision('no_stream')).toBe('no_stream');
    expect(fromEsdbCurrentRevision(-1n)).toBe('no_stream');
    expect(fromEsdbCurrentRevision(0n)).toBe(0n);
    expect(fromEsdbCurrentRevision(7n)).toBe(7n);
  });
});

describe('EventStoreDB mapping: WrongExpectedVersionError', () => {
  it('maps the error the append path builds (versions object) with an actual revision', () => {
    // appendToStream builds it like this from the AppendResp's wrong_expected_version.
    const error = new WrongExpectedVersionError(undefined, { streamName: 'Proposal-1', expected: 2n, current: 5n });
    expect(isWrongExpectedVersionError(error)).toBe(true);
    const mapped = fromEsdbWrongExpectedVersion(error);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped.streamName).toBe('Proposal-1');
    expect(mapped.expected).toBe(2n);
    expect(mapped.actual).toBe(5n);
    expect(mapped.code).toBe('WRONG_EXPECTED_REVISION');
  });

  it("maps a missing stream to actual 'no_stream'", () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'Proposal-1', expected: STREAM_EXISTS, current: NO_STREAM });
    const mapped = fromEsdbWrongExpectedVersion(error);
    expect(mapped.expected).toBe('stream_exists');
    expect(mapped.actual).toBe('no_stream');
  });

  it("reports the caller's expected revision when the adapter sent a narrower one", () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'Proposal-1', expected: 4n, current: 6n });
    const mapped = fromEsdbWrongExpectedVersion(error, 'any', 'Proposal-1');
    expect(mapped.expected).toBe('any');
    expect(mapped.actual).toBe(6n);
  });

  it('maps the error built from gRPC trailers (ServiceError metadata), with and without actual-version', () => {
    // A grpc-js ServiceError: status code 9 (FAILED_PRECONDITION) and trailers read through metadata.getMap().
    const fromTrailers = (map: Record<string, string>): WrongExpectedVersionError =>
      Reflect.construct(WrongExpectedVersionError, [
        { code: 9, details: 'wrong expected version', message: 'wrong expected version', metadata: { getMap: () => map } },
      ]) as WrongExpectedVersionError;
    const withActual = fromTrailers({ 'stream-name': 'Proposal-9', 'expected-version': '1', 'actual-version': '3' });
    expect(isWrongExpectedVersionError(withActual)).toBe(true);
    expect(fromEsdbWrongExpectedVersion(withActual)).toMatchObject({ streamName: 'Proposal-9', expected: 1n, actual: 3n });
    const withoutActual = fromTrailers({ 'stream-name': 'Proposal-9', 'expected-version': '1' });
    expect(fromEsdbWrongExpectedVersion(withoutActual)).toMatchObject({ streamName: 'Proposal-9', expected: 1n, actual: 'no_stream' });
  });

  it('tells the client errors apart', () => {
    const notFound = new StreamNotFoundError(undefined, 'Proposal-1');
    expect(isStreamNotFoundError(notFound)).toBe(true);
    expect(isWrongExpectedVersionError(notFound)).toBe(false);
    expect(isStreamNotFoundError(new Error('stream-not-found'))).toBe(false);
    expect(isWrongExpectedVersionError({ type: 'wrong-expected-version' })).toBe(false);
  });
});

describe('EventStoreDB mapping: positions', () => {
  it('round-trips a position', () => {
    const ours = { commit: 98765n, prepare: 98700n };
    const theirs = toEsdbPosition(ours);
    expect(theirs).toEqual({ commit: 98765n, prepare: 98700n });
    expect(fromEsdbPosition(theirs)).toEqual(ours);
    expect(toEsdbReadPosition(ours)).toEqual(ours);
  });

  it('maps START to the client start marker, and refuses it as a concrete position', () => {
    expect(toEsdbReadPosition(START)).toBe('start');
    expect(() => toEsdbPosition(START)).toThrow(RangeError);
  });

  it('refuses "no position" markers (missing, -1, 2^64 - 1)', () => {
    const max = (1n << 64n) - 1n;
    expect(isValidEsdbPosition(undefined)).toBe(false);
    expect(isValidEsdbPosition({ commit: -1n, prepare: -1n })).toBe(false);
    expect(isValidEsdbPosition({ commit: max, prepare: max })).toBe(false);
    expect(isValidEsdbPosition({ commit: 0n, prepare: 0n })).toBe(true);
    expect(() => fromEsdbPosition(undefined)).toThrow(EsdbMappingError);
    expect(() => fromEsdbPosition({ commit: max, prepare: max })).toThrow(EsdbMappingError);
  });
});

describe('EventStoreDB mapping: events', () => {
  it('writes our metadata with the chain fields under one key, and splits them back', () => {
    const stored = toEsdbMetadata(metadata, { hash: HASH, previousHash: null });
    expect(stored).toEqual({ ...metadata, kyogiChain: { hash: HASH, previousHash: null } });
    const json = JSON.parse(JSON.stringify(stored)) as unknown; // as it comes back from the server
    expect(splitEsdbMetadata(json)).toEqual({ metadata, chain: { hash: HASH, previousHash: null } });
  });

  it('does not split metadata that was not written by the adapter', () => {
    expect(splitEsdbMetadata(undefined)).toBeNull();
    expect(splitEsdbMetadata(metadata)).toBeNull();
    expect(splitEsdbMetadata({ ...metadata, kyogiChain: { hash: 42 } })).toBeNull();
    expect(splitEsdbMetadata(new Uint8Array([1, 2]))).toBeNull();
  });

  it('builds JSON event data with a lower-cased id', () => {
    const event: EventToAppend = { id: 'ABCDEF00-0000-4000-8000-000000000001', type: 'ProposalDrafted', data: { n: 1 }, metadata };
    const data = toEsdbEventData(event, { hash: HASH, previousHash: PREVIOUS });
    expect(data).toEqual({
      id: 'abcdef00-0000-4000-8000-000000000001',
      contentType: 'application/json',
      type: 'ProposalDrafted',
      data: { n: 1 },
      metadata: { ...metadata, kyogiChain: { hash: HASH, previousHash: PREVIOUS } },
    });
    expect(normaliseEventId('ABC')).toBe('abc');
  });

  it('maps a resolved event to a RecordedEvent', () => {
    const source = resolved();
    const event = toRecordedEvent(source);
    expect(event).toEqual({
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      streamName: 'Proposal-123',
      revision: 3n,
      position: { commit: 1234n, prepare: 1200n },
      type: 'ProposalDrafted',
      data: { title: '協議' },
      metadata,
      hash: HASH,
      previousHash: PREVIOUS,
      recordedAt: new Date('2025-04-01T09:00:01.234Z'),
    });
    expect(typeof event.revision).toBe('bigint');
    expect(typeof event.position.commit).toBe('bigint');
    expect(event.metadata).not.toHaveProperty('kyogiChain');
    expect(event.recordedAt).not.toBe(source.event!.created); // a copy, not the client's Date
  });

  it('keeps a null previousHash for the first event of a stream', () => {
    const event = toRecordedEvent(resolved({ revision: 0n, metadata: { ...metadata, kyogiChain: { hash: HASH, previousHash: null } } }));
    expect(event.revision).toBe(0n);
    expect(event.previousHash).toBeNull();
  });

  it('maps a stream read event (ResolvedEvent with a position) the same way', () => {
    const fromStream = resolved() as unknown as ResolvedEvent;
    expect(toRecordedEvent(fromStream).position).toEqual({ commit: 1234n, prepare: 1200n });
  });

  it('round-trips through the hash: what is written verifies when read back', () => {
    const event: EventToAppend = { id: '0f8fad5b-d9cb-469f-a165-70867728950e', type: 'ProposalDrafted', data: { title: '協議' }, metadata };
    const hash = eventHash({ ...event, streamName: 'Proposal-123', revision: 0n, previousHash: null });
    const written = toEsdbEventData(event, { hash, previousHash: null });
    const back = toRecordedEvent(
      resolved({ revision: 0n, data: JSON.parse(JSON.stringify(written.data)), metadata: JSON.parse(JSON.stringify(written.metadata)) }),
    );
    expect(eventHash(back)).toBe(back.hash);
  });

  it('rejects system events, links and foreign events', () => {
    const system = resolved({ type: '$metadata' });
    const systemStream = resolved({ streamId: '$stats-127.0.0.1:2113', type: 'StatsCollected' });
    const foreign = resolved({ metadata: { something: 'else' } });
    const binary = resolved({ isJson: false, data: new Uint8Array([1]) });
    const link = { link: resolved().event, commitPosition: 1n } as unknown as AllStreamResolvedEvent;

    expect(isSystemEvent(system)).toBe(true);
    expect(isSystemEvent(systemStream)).toBe(true);
    expect(isSystemEvent(link)).toBe(true);
    expect(isSystemEvent(resolved())).toBe(false);

    for (const notOurs of [system, systemStream, foreign, binary, link]) {
      expect(isKyogiEvent(notOurs)).toBe(false);
      expect(() => toRecordedEvent(notOurs)).toThrow(EsdbMappingError);
    }
    expect(isKyogiEvent(resolved())).toBe(true);
  });

  it('rejects an event without a usable position', () => {
    const max = (1n << 64n) - 1n;
    expect(() => toRecordedEvent(resolved({ position: undefined }))).toThrow(/22\.10/);
    expect(() => toRecordedEvent(resolved({ position: { commit: max, prepare: max } }))).toThrow(EsdbMappingError);
  });
});

describe('stream names and EventStoreDB’s $ce projections', () => {
  // $by_category splits a stream name at its first '-': Proposal-01J… belongs to $ce-Proposal. The
  // port admits only names whose category (before the first '-') is a PascalCase word, so every
  // stream Kyogi writes lands in the category an operator expects, and never in a system stream.
  const category = (stream: string) => stream.slice(0, stream.indexOf('-'));

  it.each([
    ['Proposal-01JDX5Z8M3', 'Proposal'],
    ['TalentArrangement-a7f3c9e1-b5d8', 'TalentArrangement'],
    ['Organisation-011002', 'Organisation'],
  ])('accepts %s, whose $ce category is %s', (stream, expected) => {
    expect(() => assertStreamName(stream)).not.toThrow();
    expect(category(stream)).toBe(expected);
  });

  it.each(['proposal-1', '$ce-Proposal', 'Proposal', '-1', 'Talent_Pool-1', 'Pro posal-1'])('refuses %s', (stream) => {
    expect(() => assertStreamName(stream)).toThrow(InvalidStreamNameError);
  });
});
