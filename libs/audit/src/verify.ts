import { eventHash } from '@kyogi/event-store/hash-chain';
import { comparePositions, formatPosition, parsePosition, type Position, type RecordedEvent } from '@kyogi/event-store/port';
import { checkCheckpointChain, checkpointDigest, verifyCheckpointSignature, type SignedCheckpoint } from './checkpoint';
import { verifiableOf, type VerifiableEvent } from './exported-event';
import { ExportFormatError, readExport, type ExportScope } from './export-format';
import { CHECKPOINT_KEYS_WELL_KNOWN_PATH, type CheckpointPublicJwk } from './keys';
import { buildStreamHeadTree, verifyStreamHeadProof, type StreamHead, type StreamHeadProof } from './merkle';

/**
 * Verification of a log, a stream, or an export of either — without a database. Says OK, or
 * names the first event whose content or link no longer matches, and every checkpoint problem.
 */

export type EventMismatchReason = 'content-changed' | 'link-broken' | 'missing-revision' | 'reordered';

export interface EventMismatch {
  readonly reason: EventMismatchReason;
  readonly streamName: string;
  /** The revision the event claims. */
  readonly revision: bigint;
  readonly position: string;
  /** Its line in the export (or its ordinal in the events verified). */
  readonly line: number;
  /** One line, naming the stream, revision, position and the reason. */
  readonly message: string;
}

export interface LocatedEvent {
  readonly line: number;
  readonly event: VerifiableEvent;
}

/** The events to verify; called again (from the start) to look ahead when diagnosing a mismatch. */
export type EventSource = () => AsyncIterable<LocatedEvent> | Iterable<LocatedEvent>;

const REASON_TEXT: Record<EventMismatchReason, string> = {
  'content-changed': 'content changed',
  'link-broken': 'link broken',
  'missing-revision': 'missing revision',
  reordered: 'reordered',
};

async function findAfter(source: EventSource, line: number, test: (e: VerifiableEvent) => boolean): Promise<LocatedEvent | undefined> {
  for await (const located of source()) {
    if (located.line > line && test(located.event)) return located;
  }
  return undefined;
}

/**
 * Checks the hash chains of a whole log (events in global order) or of one stream (in revision
 * order), in one pass with memory for one head per stream. Returns the first event that does
 * not match, or null; `onEvent` sees every event that matched, in order, before the next is read.
 *
 * A log export must cover every stream from revision 0. Reasons, in the order they are checked:
 * - reordered / missing revision: the revision is not the one after the stream's previous event
 *   (reordered when the expected revision comes later in the source, missing when it never does),
 *   or the position is not after the previous event's (the stream's, and in a log the export's);
 * - link broken: `previousHash` is not the hash of the stream's previous event (reordered when
 *   it is the hash of an event that comes later);
 * - content changed: the event's content no longer gives its hash.
 */
export async function findFirstMismatch(
  source: EventSource,
  scope: ExportScope,
  onEvent: (located: LocatedEvent) => void = () => undefined,
  unit: 'line' | 'event' = 'line',
): Promise<EventMismatch | null> {
  const streams = new Map<string, { revision: bigint; hash: string; position: Position; line: number }>();
  let previous: LocatedEvent | undefined;
  const at = (line: number) => `${unit} ${line}`;
  for await (const located of source()) {
    const { event, line } = located;
    const position = formatPosition(event.position);
    const found = (reason: EventMismatchReason, detail: string): EventMismatch => ({
      reason,
      streamName: event.streamName,
      revision: event.revision,
      position,
      line,
      message: `${event.streamName} revision ${event.revision} at position ${position} (${at(line)}): ${REASON_TEXT[reason]} — ${detail}`,
    });
    const state = streams.get(event.streamName);
    const expected = state ? state.revision + 1n : 0n;

    if (event.revision !== expected) {
      if (event.revision < expected) {
        return found('reordered', `it comes after revision ${expected - 1n} (${at(state!.line)}) of its stream`);
      }
      const missing = await findAfter(source, line, (e) => e.streamName === event.streamName && e.revision === expected);
      if (missing) {
        return found('reordered', `it comes before revision ${expected} (${at(missing.line)}, position ${formatPosition(missing.event.position)})`);
      }
      const gap = expected === event.revision - 1n ? `revision ${expected} is` : `revisions ${expected} to ${event.revision - 1n} are`;
      return found(
        'missing-revision',
        `${gap} not there (${state ? `the stream goes from revision ${state.revision} to ${event.revision}` : 'the stream does not start at 0'})`,
      );
    }
    if (scope.kind === 'log' && previous && comparePositions(event.position, previous.event.position) <= 0) {
      return found(
        'reordered',
        `its position is not after that of the event before it (${at(previous.line)}, position ${formatPosition(previous.event.position)})`,
      );
    }
    if (state && comparePositions(event.position, state.position) <= 0) {
      return found('reordered', `its position is not after that of revision ${state.revision} (position ${formatPosition(state.position)})`);
    }
    const expectedPrevious = state ? state.hash : null;
    if (event.previousHash !== expectedPrevious) {
      const linked =
        event.previousHash === null ? undefined : await findAfter(source, line, (e) => e.streamName === event.streamName && e.hash === event.previousHash);
      if (linked) {
        return found(
          'reordered',
          `it links to the event that comes after it (${at(linked.line)}, revision ${linked.event.revision}, position ${formatPosition(linked.event.position)})`,
        );
      }
      return found(
        'link-broken',
        `it names previous hash ${event.previousHash ?? 'none'}, but ${state ? `revision ${state.revision} has hash ${state.hash}` : 'it is the first event of its stream'}`,
      );
    }
    const computed = eventHash(event);
    if (computed !== event.hash) {
      return found('content-changed', `its type, data or metadata no longer give its hash (stored ${event.hash}, computed ${computed})`);
    }
    streams.set(event.streamName, { revision: event.revision, hash: event.hash, position: event.position, line });
    previous = located;
    onEvent(located);
  }
  return null;
}

/**
 * The same check on events straight from a store (the api's `verify`): a log in global order or
 * one stream in revision order. `events` is called again to diagnose a mismatch.
 */
export function verifyEvents(events: () => AsyncIterable<RecordedEvent> | Iterable<RecordedEvent>, scope: ExportScope): Promise<EventMismatch | null> {
  const source: EventSource = async function* () {
    let ordinal = 0;
    for await (const event of events()) yield { line: ++ordinal, event };
  };
  return findFirstMismatch(source, scope, undefined, 'event');
}

// ---- an export file --------------------------------------------------------------------------

export type CheckpointProblemCode =
  | 'NO_CHECKPOINT'
  | 'UNKNOWN_KEY'
  | 'BAD_KEY'
  | 'BAD_SIGNATURE'
  | 'KEY_RETIRED'
  | 'CHECKPOINT_CHAIN'
  | 'ROOT_MISMATCH'
  | 'HEAD_MISMATCH'
  | 'STREAM_PROOF'
  | 'NOT_EXTENDING'
  | 'MISSING_CHECKPOINT'
  | 'EARLIER_ROOT_MISMATCH';

export interface CheckpointProblem {
  /** The export's latest checkpoint (and its chain), or the earlier one the verifier kept. */
  readonly about: 'checkpoint' | 'earlier';
  readonly code: CheckpointProblemCode;
  readonly message: string;
}

export interface VerifyReport {
  /** True only when every event and every checkpoint check matches. */
  readonly ok: boolean;
  readonly scope: ExportScope;
  readonly exportedAt: string;
  readonly eventCount: number;
  readonly streamCount: number;
  readonly firstMismatch: EventMismatch | null;
  readonly checkpoint: (Omit<SignedCheckpoint, 'signature' | 'format'> & { readonly digest: string }) | null;
  readonly earlier: { readonly sequence: number; readonly extended: boolean } | null;
  readonly problems: readonly CheckpointProblem[];
  /** What was checked and how, and what could not be (not failures). */
  readonly notes: readonly string[];
}

export interface VerifyOptions {
  /** A checkpoint kept from before (e.g. from an earlier export): the export's latest must extend it. */
  readonly earlier?: SignedCheckpoint;
  /** The keys to trust (the well-known key set, fetched by the verifier). Default: the keys in the export. */
  readonly trustedKeys?: readonly CheckpointPublicJwk[];
}

/** The export's lines; called once per pass (the file is read three times, never held in memory). */
export type ExportLines = () => AsyncIterable<string> | Iterable<string>;

const short = (hash: string) => hash.slice(0, 12);

/** Compares a stream's head in the export with the one a checkpoint signed; a one-line reason when they differ. */
function headDifference(
  streamName: string,
  exported: StreamHead | undefined,
  signed: StreamHead | undefined,
  sequence: number,
  position: string,
): string | null {
  if (!signed && !exported) return null;
  if (!signed) {
    return `${streamName}: the export has revisions up to ${exported!.revision} at or before position ${position}, but checkpoint ${sequence} does not hold the stream (events were added to the past)`;
  }
  if (!exported) {
    return `${streamName}: checkpoint ${sequence} holds it up to revision ${signed.revision} (hash ${short(signed.hash)}…), but the export has none of its events at or before position ${position} (missing revisions 0 to ${signed.revision})`;
  }
  if (exported.revision < signed.revision) {
    return `${streamName}: checkpoint ${sequence} holds it up to revision ${signed.revision}, but the export ends it at revision ${exported.revision} (missing revision${signed.revision - exported.revision > 1n ? `s ${exported.revision + 1n} to ${signed.revision}` : ` ${signed.revision}`})`;
  }
  if (exported.revision > signed.revision) {
    return `${streamName}: the export has revisions up to ${exported.revision} at or before position ${position}, but checkpoint ${sequence} holds it up to revision ${signed.revision} (events were added to the past)`;
  }
  if (exported.hash !== signed.hash) {
    return `${streamName} revision ${signed.revision}: the export's hash ${short(exported.hash)}… is not the hash ${short(signed.hash)}… checkpoint ${sequence} signed (the stream's chain was rewritten)`;
  }
  return null;
}

/**
 * Verifies an export: the hash chains (first mismatch), the latest checkpoint's signature and
 * chain, its Merkle root against the export's stream heads (log exports) or the stream head's
 * inclusion proof (stream exports), and — given `earlier` — that the latest checkpoint extends
 * it. Throws `ExportFormatError` when the file is not a readable export.
 */
export async function verifyExport(lines: ExportLines, options: VerifyOptions = {}): Promise<VerifyReport> {
  // Pass 1: structure, counts and the trailer (checkpoints, heads, proof, keys).
  let header: { exportedAt: string; scope: ExportScope } | undefined;
  let eventCount = 0;
  const streamNames = new Set<string>();
  const checkpoints: SignedCheckpoint[] = [];
  const signedHeads = new Map<number, StreamHead[]>();
  let streamProof: { sequence: number; proof: StreamHeadProof } | undefined;
  const exportKeys: CheckpointPublicJwk[] = [];
  for await (const record of readExport(lines())) {
    switch (record.kind) {
      case 'header':
        header = record.header;
        break;
      case 'event':
        eventCount += 1;
        streamNames.add(record.event.streamName);
        break;
      case 'checkpoint-head':
        signedHeads.set(record.sequence, [...(signedHeads.get(record.sequence) ?? []), record.head]);
        break;
      case 'stream-proof':
        if (streamProof) throw new ExportFormatError(record.line, 'a second stream proof');
        streamProof = { sequence: record.sequence, proof: record.proof };
        break;
      case 'checkpoint': {
        const last = checkpoints[checkpoints.length - 1];
        if (last && record.checkpoint.sequence <= last.sequence) {
          throw new ExportFormatError(record.line, `checkpoint ${record.checkpoint.sequence} after checkpoint ${last.sequence}: checkpoints come oldest first`);
        }
        checkpoints.push(record.checkpoint);
        break;
      }
      case 'key':
        exportKeys.push(record.key);
        break;
    }
  }
  const { scope, exportedAt } = header!;
  const latest = checkpoints[checkpoints.length - 1];
  const earlier = options.earlier;
  const keys = options.trustedKeys ?? exportKeys;
  const problems: CheckpointProblem[] = [];
  const notes: string[] = [];

  // Pass 2: the chains, and the stream heads at the checkpoints' positions.
  const targets = [latest, earlier].filter((c): c is SignedCheckpoint => c !== undefined);
  const headsAt = new Map<string, Map<string, StreamHead>>(targets.map((c) => [c.position, new Map()]));
  const positions = [...headsAt.keys()].map((text) => ({ text, position: parsePosition(text) }));
  let afterLatest = 0;
  const latestPosition = latest ? parsePosition(latest.position) : undefined;
  const source: EventSource = async function* () {
    for await (const record of readExport(lines())) if (record.kind === 'event') yield { line: record.line, event: verifiableOf(record.event) };
  };
  const firstMismatch = await findFirstMismatch(source, scope, ({ event }) => {
    for (const { text, position } of positions) {
      if (comparePositions(event.position, position) <= 0)
        headsAt.get(text)!.set(event.streamName, { streamName: event.streamName, revision: event.revision, hash: event.hash });
    }
    if (latestPosition && comparePositions(event.position, latestPosition) > 0) afterLatest += 1;
  });

  // The latest checkpoint.
  if (!latest) {
    problems.push({
      about: 'checkpoint',
      code: 'NO_CHECKPOINT',
      message: 'the export has no signed checkpoint: its chains are intact or not, but nothing signed vouches for them',
    });
  } else {
    const signature = verifyCheckpointSignature(latest, keys);
    if (!signature.ok) problems.push({ about: 'checkpoint', code: signature.code, message: signature.message });
    if (!options.trustedKeys && signature.ok) {
      notes.push(
        `checkpoint ${latest.sequence} was checked with key ${latest.keyId} from the export itself: compare it with the platform's keys at ${CHECKPOINT_KEYS_WELL_KNOWN_PATH}, or pass them with --key`,
      );
    }
    if (checkpoints.length > 1) {
      const chain = checkCheckpointChain(checkpoints[0], latest, checkpoints);
      if (!chain.ok)
        problems.push({ about: 'checkpoint', code: 'CHECKPOINT_CHAIN', message: `the export's checkpoints do not form one chain: ${chain.message}` });
    }

    if (firstMismatch) {
      notes.push(`the stream heads were not compared with checkpoint ${latest.sequence}: the chains do not verify`);
    } else if (scope.kind === 'log') {
      const heads = [...headsAt.get(latest.position)!.values()];
      const rebuilt = buildStreamHeadTree(heads);
      if (rebuilt.root !== latest.merkleRoot || heads.length !== latest.streamCount) {
        const signed = signedHeads.get(latest.sequence);
        const signedTree = signed ? buildStreamHeadTree(signed) : undefined;
        let named = false;
        if (signedTree && signedTree.root === latest.merkleRoot && signedTree.heads.length === latest.streamCount) {
          const bySigned = new Map(signedTree.heads.map((h) => [h.streamName, h]));
          const byExport = new Map(heads.map((h) => [h.streamName, h]));
          const differences = [...new Set([...bySigned.keys(), ...byExport.keys()])]
            .sort()
            .map((name) => headDifference(name, byExport.get(name), bySigned.get(name), latest.sequence, latest.position))
            .filter((d): d is string => d !== null);
          if (differences.length > 0) {
            named = true;
            const more = differences.length > 1 ? ` (and ${differences.length - 1} more stream${differences.length > 2 ? 's' : ''})` : '';
            problems.push({ about: 'checkpoint', code: 'HEAD_MISMATCH', message: `${differences[0]}${more}` });
          }
        } else if (signed) {
          notes.push(`the checkpoint heads in the export do not give checkpoint ${latest.sequence}'s signed root, so they were not used`);
        }
        if (!named) {
          problems.push({
            about: 'checkpoint',
            code: 'ROOT_MISMATCH',
            message: `the ${heads.length} stream heads in the export at position ${latest.position} give Merkle root ${rebuilt.root}, but checkpoint ${latest.sequence} signed ${latest.merkleRoot} over ${latest.streamCount} streams`,
          });
        }
      }
    } else {
      const exported = headsAt.get(latest.position)!.get(scope.streamName);
      if (!streamProof) {
        if (exported)
          problems.push({
            about: 'checkpoint',
            code: 'STREAM_PROOF',
            message: `the export has no proof that ${scope.streamName}'s head is in checkpoint ${latest.sequence}`,
          });
        else notes.push(`${scope.streamName} has no event at or before checkpoint ${latest.sequence}: no checkpoint covers it yet`);
      } else if (streamProof.sequence !== latest.sequence) {
        problems.push({
          about: 'checkpoint',
          code: 'STREAM_PROOF',
          message: `the stream proof is for checkpoint ${streamProof.sequence}, not the latest (${latest.sequence})`,
        });
      } else if (!verifyStreamHeadProof(streamProof.proof, { root: latest.merkleRoot, treeSize: latest.streamCount })) {
        problems.push({
          about: 'checkpoint',
          code: 'STREAM_PROOF',
          message: `the inclusion proof of ${scope.streamName} revision ${streamProof.proof.revision} does not lead to checkpoint ${latest.sequence}'s root ${latest.merkleRoot}`,
        });
      } else {
        const p = streamProof.proof;
        const difference = headDifference(
          scope.streamName,
          exported,
          { streamName: p.streamName, revision: BigInt(p.revision), hash: p.hash },
          latest.sequence,
          latest.position,
        );
        if (difference) problems.push({ about: 'checkpoint', code: 'HEAD_MISMATCH', message: difference });
      }
    }
    if (afterLatest > 0) {
      notes.push(
        `${afterLatest} event${afterLatest === 1 ? ' is' : 's are'} after checkpoint ${latest.sequence}: chained, but not yet covered by a signed checkpoint`,
      );
    }
  }

  // The earlier checkpoint the verifier kept.
  let earlierResult: VerifyReport['earlier'] = null;
  if (earlier && latest) {
    const before = problems.length;
    const signature = verifyCheckpointSignature(earlier, keys);
    if (!signature.ok) problems.push({ about: 'earlier', code: signature.code, message: `the earlier checkpoint: ${signature.message}` });
    const chain = checkCheckpointChain(earlier, latest, checkpoints);
    if (!chain.ok) problems.push({ about: 'earlier', code: chain.code, message: chain.message });
    if (scope.kind === 'log' && !firstMismatch) {
      const heads = [...headsAt.get(earlier.position)!.values()];
      const rebuilt = buildStreamHeadTree(heads);
      if (rebuilt.root !== earlier.merkleRoot || heads.length !== earlier.streamCount) {
        problems.push({
          about: 'earlier',
          code: 'EARLIER_ROOT_MISMATCH',
          message: `the export's ${heads.length} stream heads at checkpoint ${earlier.sequence}'s position ${earlier.position} give root ${rebuilt.root}, but checkpoint ${earlier.sequence} signed ${earlier.merkleRoot} over ${earlier.streamCount} streams: the history it covered was changed`,
        });
      }
    } else if (scope.kind === 'stream') {
      notes.push(`against checkpoint ${earlier.sequence} only the chain of checkpoints was checked: a stream export cannot rebuild the other streams' heads`);
    }
    earlierResult = { sequence: earlier.sequence, extended: problems.length === before };
  } else if (earlier) {
    earlierResult = { sequence: earlier.sequence, extended: false };
  }

  const { signature: _signature, format: _format, ...summary } = latest ?? ({} as SignedCheckpoint);
  return {
    ok: firstMismatch === null && problems.length === 0,
    scope,
    exportedAt,
    eventCount,
    streamCount: streamNames.size,
    firstMismatch,
    checkpoint: latest ? { ...summary, digest: checkpointDigest(latest) } : null,
    earlier: earlierResult,
    problems,
    notes,
  };
}

/** The report for people: a few lines, the verdict last. */
export function formatReport(report: VerifyReport): string[] {
  const mark = (status: 'ok' | 'FAIL' | '--') => status.padEnd(5);
  const what = report.scope.kind === 'log' ? 'the whole log' : `stream ${report.scope.streamName}`;
  const out = [`Kyogi export of ${what}, exported ${report.exportedAt}: ${report.eventCount} events in ${report.streamCount} streams`];
  out.push(
    report.firstMismatch ? `MISMATCH ${report.firstMismatch.message}` : `${mark('ok')}hash chains: every event gives its hash and links to the one before`,
  );
  const c = report.checkpoint;
  if (c) {
    const own = report.problems.filter((p) => p.about === 'checkpoint');
    const [status, verdict] =
      own.length > 0
        ? (['FAIL', 'see below'] as const)
        : report.firstMismatch
          ? (['--', 'signature verifies; heads not compared'] as const)
          : (['ok', report.scope.kind === 'log' ? 'signature verifies, Merkle root matches' : 'signature verifies, stream head included'] as const);
    out.push(
      `${mark(status)}checkpoint ${c.sequence} at position ${c.position} (${c.createdAt}, ${c.streamCount} streams, root ${c.merkleRoot}, key ${c.keyId}): ${verdict}`,
    );
  }
  if (report.earlier) out.push(`${mark(report.earlier.extended ? 'ok' : 'FAIL')}extends the earlier checkpoint ${report.earlier.sequence}`);
  for (const p of report.problems) out.push(`MISMATCH ${p.code}: ${p.message}`);
  for (const n of report.notes) out.push(`note: ${n}`);
  const count = report.problems.length + (report.firstMismatch ? 1 : 0);
  out.push(report.ok ? 'OK: everything matches' : `FAILED: ${count} mismatch${count === 1 ? '' : 'es'}`);
  return out;
}
