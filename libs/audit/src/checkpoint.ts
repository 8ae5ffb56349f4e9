import { createHash, sign, verify } from 'node:crypto';
import { canonicalJson } from '@kyogi/event-store/canonical-json';
import { eventHash } from '@kyogi/event-store/hash-chain';
import { comparePositions, formatPosition, parsePosition, type Position, type RecordedEvent } from '@kyogi/event-store/port';
import { parseExportedEvent, toExportedEvent, verifiableOf, type ExportedEvent } from './exported-event';
import { publicKeyOfJwk, type CheckpointPublicJwk, type CheckpointSigningKey } from './keys';
import { buildStreamHeadTree, verifyStreamHeadProof, type StreamHead, type StreamHeadProof, type StreamHeadTree } from './merkle';

/**
 * Signed checkpoints (ADR 0012). A checkpoint says: "at global position P the log held these
 * N streams, whose heads give this Merkle root; before me came the checkpoint with this
 * digest". The platform signs it with Ed25519; whoever keeps one can later check that the log
 * still extends it, and that a given event is in it.
 */

export const CHECKPOINT_FORMAT = 'kyogi-checkpoint/1';

export interface CheckpointBody {
  readonly format: typeof CHECKPOINT_FORMAT;
  /** 1 for the first checkpoint, then +1 each time. */
  readonly sequence: number;
  /** The global position covered: every event at or before it, and none after (`<16 hex>.<16 hex>`). */
  readonly position: string;
  /** ISO-8601. */
  readonly createdAt: string;
  readonly streamCount: number;
  /** RFC 6962 root over the stream heads at `position`, sorted by stream name (merkle.ts). */
  readonly merkleRoot: string;
  /** `checkpointDigest` of the checkpoint before, null for the first. */
  readonly previousDigest: string | null;
  /** The signing key's JWK thumbprint, to find it among the published keys. */
  readonly keyId: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  /** Ed25519 over the UTF-8 of `canonicalJson(body)`, base64url. */
  readonly signature: string;
}

/** The body alone, with exactly its fields (extra members of a parsed object are not signed). */
export function checkpointBody(checkpoint: CheckpointBody): CheckpointBody {
  const { format, sequence, position, createdAt, streamCount, merkleRoot, previousDigest, keyId } = checkpoint;
  return { format, sequence, position, createdAt, streamCount, merkleRoot, previousDigest, keyId };
}

/** What is signed, and what the next checkpoint's `previousDigest` names: the RFC 8785 JSON of the body. */
export function checkpointSigningInput(checkpoint: CheckpointBody): Buffer {
  return Buffer.from(canonicalJson(checkpointBody(checkpoint)), 'utf8');
}

/** SHA-256 (hex) of the canonical body: the checkpoint's identity in the chain of checkpoints. */
export function checkpointDigest(checkpoint: CheckpointBody): string {
  return createHash('sha256').update(checkpointSigningInput(checkpoint)).digest('hex');
}

export interface CheckpointInput {
  /** The checkpoint before this one, or null for the first. */
  readonly previous: CheckpointBody | null;
  /** The global position the heads were taken at. */
  readonly position: Position;
  readonly createdAt: Date;
  /** The head of every stream that has an event at or before `position`. */
  readonly heads: Iterable<StreamHead>;
  readonly keyId: string;
}

/** The unsigned checkpoint, and the tree (to hand out inclusion proofs for its heads). */
export function buildCheckpoint(input: CheckpointInput): { body: CheckpointBody; tree: StreamHeadTree } {
  const tree = buildStreamHeadTree(input.heads);
  if (input.previous && comparePositions(input.position, parsePosition(input.previous.position)) < 0) {
    throw new RangeError(
      `checkpoint at ${formatPosition(input.position)} would go back before checkpoint ${input.previous.sequence} (${input.previous.position})`,
    );
  }
  return {
    tree,
    body: {
      format: CHECKPOINT_FORMAT,
      sequence: input.previous ? input.previous.sequence + 1 : 1,
      position: formatPosition(input.position),
      createdAt: input.createdAt.toISOString(),
      streamCount: tree.heads.length,
      merkleRoot: tree.root,
      previousDigest: input.previous ? checkpointDigest(input.previous) : null,
      keyId: input.keyId,
    },
  };
}

export function signCheckpoint(body: CheckpointBody, key: CheckpointSigningKey): SignedCheckpoint {
  if (body.keyId !== key.kid) throw new RangeError(`checkpoint names key ${body.keyId} but is being signed with ${key.kid}`);
  return { ...checkpointBody(body), signature: sign(null, checkpointSigningInput(body), key.privateKey).toString('base64url') };
}

/**
 * The heads of every stream as of `upTo` (inclusive; all events when omitted), from events of
 * one or more streams in any order that keeps each stream's revisions ascending.
 */
export async function streamHeadsAt(events: Iterable<RecordedEvent> | AsyncIterable<RecordedEvent>, upTo?: Position): Promise<StreamHead[]> {
  const heads = new Map<string, StreamHead>();
  for await (const event of events) {
    if (upTo && comparePositions(event.position, upTo) > 0) continue;
    heads.set(event.streamName, { streamName: event.streamName, revision: event.revision, hash: event.hash });
  }
  return [...heads.values()];
}

// ---- checks (failures as values, ADR 0005) ---------------------------------------------------

export type CheckpointCheck<Code extends string> = { readonly ok: true } | { readonly ok: false; readonly code: Code; readonly message: string };

export type SignatureProblem = 'UNKNOWN_KEY' | 'BAD_KEY' | 'BAD_SIGNATURE' | 'KEY_RETIRED';

/** Is the checkpoint signed by the key it names, one of `keys`, while that key was in use? */
export function verifyCheckpointSignature(checkpoint: SignedCheckpoint, keys: readonly CheckpointPublicJwk[]): CheckpointCheck<SignatureProblem> {
  const name = `checkpoint ${checkpoint.sequence}`;
  const jwk = keys.find((k) => k.kid === checkpoint.keyId);
  if (!jwk) {
    return {
      ok: false,
      code: 'UNKNOWN_KEY',
      message: `${name} is signed with key ${checkpoint.keyId}, which is not among the keys given (${keys.map((k) => k.kid).join(', ') || 'none'})`,
    };
  }
  let publicKey;
  try {
    publicKey = publicKeyOfJwk(jwk);
  } catch (error) {
    return { ok: false, code: 'BAD_KEY', message: `${name}: ${(error as Error).message}` };
  }
  let valid = false;
  try {
    valid =
      typeof checkpoint.signature === 'string' && verify(null, checkpointSigningInput(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid)
    return {
      ok: false,
      code: 'BAD_SIGNATURE',
      message: `${name}: the signature does not verify with key ${jwk.kid} (the checkpoint was changed or not signed by it)`,
    };
  if (jwk.retiredAt !== undefined && !(Date.parse(checkpoint.createdAt) <= Date.parse(jwk.retiredAt))) {
    return {
      ok: false,
      code: 'KEY_RETIRED',
      message: `${name} was created at ${checkpoint.createdAt}, after its key ${jwk.kid} was retired (${jwk.retiredAt})`,
    };
  }
  return { ok: true };
}

export type ChainProblem = 'NOT_EXTENDING' | 'MISSING_CHECKPOINT';

/**
 * Does `later` extend `earlier` through the chain of previous digests? Walks back from `later`
 * one sequence number at a time through `intermediates` (any order, extra ones ignored) until it
 * reaches `earlier`'s sequence, then compares digests. Positions may not go backwards on the way.
 * The intermediates need no signatures: `later`'s signature covers its previous digest, which
 * pins the one before, and so on.
 */
export function checkCheckpointChain(
  earlier: CheckpointBody,
  later: CheckpointBody,
  intermediates: Iterable<CheckpointBody> = [],
): CheckpointCheck<ChainProblem> {
  const target = checkpointDigest(earlier);
  if (later.sequence < earlier.sequence) {
    return { ok: false, code: 'NOT_EXTENDING', message: `checkpoint ${later.sequence} is older than checkpoint ${earlier.sequence}, so it cannot extend it` };
  }
  if (later.sequence === earlier.sequence) {
    return checkpointDigest(later) === target
      ? { ok: true }
      : {
          ok: false,
          code: 'NOT_EXTENDING',
          message: `two different checkpoints ${later.sequence} (digests ${checkpointDigest(later)} and ${target}): the history forked`,
        };
  }
  const bySequence = new Map<number, CheckpointBody[]>();
  for (const c of intermediates) bySequence.set(c.sequence, [...(bySequence.get(c.sequence) ?? []), c]);
  let current = later;
  while (current.sequence > earlier.sequence + 1) {
    const candidates = bySequence.get(current.sequence - 1) ?? [];
    const previous = candidates.find((c) => checkpointDigest(c) === current.previousDigest);
    if (!previous) {
      return candidates.length === 0
        ? {
            ok: false,
            code: 'MISSING_CHECKPOINT',
            message: `cannot walk from checkpoint ${later.sequence} back to ${earlier.sequence}: checkpoint ${current.sequence - 1} is not given`,
          }
        : {
            ok: false,
            code: 'NOT_EXTENDING',
            message: `checkpoint ${current.sequence} names previous digest ${current.previousDigest}, which is not checkpoint ${current.sequence - 1}'s`,
          };
    }
    if (comparePositions(parsePosition(previous.position), parsePosition(current.position)) > 0) {
      return {
        ok: false,
        code: 'NOT_EXTENDING',
        message: `checkpoint ${current.sequence} (${current.position}) is before checkpoint ${previous.sequence} (${previous.position})`,
      };
    }
    current = previous;
  }
  if (current.previousDigest !== target) {
    return {
      ok: false,
      code: 'NOT_EXTENDING',
      message: `checkpoint ${current.sequence} names previous digest ${current.previousDigest ?? 'none'}, but checkpoint ${earlier.sequence} has digest ${target}: the later checkpoint does not extend the earlier one`,
    };
  }
  if (comparePositions(parsePosition(earlier.position), parsePosition(current.position)) > 0) {
    return {
      ok: false,
      code: 'NOT_EXTENDING',
      message: `checkpoint ${current.sequence} (${current.position}) is before checkpoint ${earlier.sequence} (${earlier.position})`,
    };
  }
  return { ok: true };
}

// ---- inclusion of one event -----------------------------------------------------------------

export const EVENT_INCLUSION_FORMAT = 'kyogi-event-inclusion/1';

/**
 * Proof that an event is in the log a checkpoint signed: the event, the events after it in its
 * stream up to the head the checkpoint covers (each links to the one before), and that head's
 * Merkle inclusion proof. With the checkpoint and the platform's public key, anyone can check it.
 */
export interface EventInclusionProof {
  readonly format: typeof EVENT_INCLUSION_FORMAT;
  readonly event: ExportedEvent;
  /** The events after `event` in its stream, up to and including the head at the checkpoint. */
  readonly following: readonly ExportedEvent[];
  readonly head: StreamHeadProof;
  readonly checkpoint: SignedCheckpoint;
}

/**
 * @param streamEvents the stream's events from at least `revision` up to (at least) its head at
 *   the checkpoint's position, ascending; later events are left out of the proof.
 * @param tree the checkpoint's tree (from `buildCheckpoint`, or rebuilt from the heads at its position).
 */
export function buildEventInclusionProof(
  streamEvents: readonly RecordedEvent[],
  revision: bigint,
  tree: StreamHeadTree,
  checkpoint: SignedCheckpoint,
): EventInclusionProof {
  const covered = parsePosition(checkpoint.position);
  const index = streamEvents.findIndex((e) => e.revision === revision);
  if (index < 0) throw new RangeError(`revision ${revision} is not among the events given`);
  const event = streamEvents[index];
  if (comparePositions(event.position, covered) > 0) {
    throw new RangeError(`${event.streamName} revision ${revision} is after checkpoint ${checkpoint.sequence} (${checkpoint.position}): not covered yet`);
  }
  const head = tree.proofFor(event.streamName);
  if (!head) throw new RangeError(`checkpoint ${checkpoint.sequence}'s tree has no head for ${event.streamName}`);
  if (tree.root !== checkpoint.merkleRoot) throw new RangeError(`the tree given is not checkpoint ${checkpoint.sequence}'s (its root differs)`);
  const following = streamEvents.slice(index + 1).filter((e) => e.revision <= BigInt(head.revision));
  return { format: EVENT_INCLUSION_FORMAT, event: toExportedEvent(event), following: following.map(toExportedEvent), head, checkpoint };
}

export type InclusionProblem = 'MALFORMED' | 'CONTENT_CHANGED' | 'LINK_BROKEN' | 'HEAD_MISMATCH' | 'NOT_IN_TREE' | SignatureProblem;

/**
 * Checks an event inclusion proof: each event's content gives its hash, each links to the one
 * before, the last is the head in the Merkle proof, the proof leads to the signed root, and the
 * checkpoint's signature verifies with one of `keys`.
 */
export function verifyEventInclusion(proof: EventInclusionProof, keys: readonly CheckpointPublicJwk[]): CheckpointCheck<InclusionProblem> {
  let chain;
  try {
    chain = [proof.event, ...proof.following].map((e) => verifiableOf(parseExportedEvent(e)));
  } catch (error) {
    return { ok: false, code: 'MALFORMED', message: `the proof's events are malformed: ${(error as Error).message}` };
  }
  const signature = verifyCheckpointSignature(proof.checkpoint, keys);
  if (!signature.ok) return signature;
  for (let i = 0; i < chain.length; i++) {
    const e = chain[i];
    const where = `${e.streamName} revision ${e.revision} (position ${formatPosition(e.position)})`;
    if (i > 0) {
      const before = chain[i - 1];
      if (e.streamName !== before.streamName || e.revision !== before.revision + 1n || e.previousHash !== before.hash) {
        return { ok: false, code: 'LINK_BROKEN', message: `${where} does not follow revision ${before.revision} of ${before.streamName}` };
      }
    }
    if (eventHash(e) !== e.hash) return { ok: false, code: 'CONTENT_CHANGED', message: `${where}: its content no longer gives its hash` };
  }
  const last = chain[chain.length - 1];
  if (proof.head.streamName !== last.streamName || proof.head.revision !== last.revision.toString() || proof.head.hash !== last.hash) {
    return {
      ok: false,
      code: 'HEAD_MISMATCH',
      message: `the chain ends at ${last.streamName} revision ${last.revision}, but checkpoint ${proof.checkpoint.sequence} has the head at revision ${proof.head.revision} (hash ${proof.head.hash})`,
    };
  }
  if (!verifyStreamHeadProof(proof.head, { root: proof.checkpoint.merkleRoot, treeSize: proof.checkpoint.streamCount })) {
    return {
      ok: false,
      code: 'NOT_IN_TREE',
      message: `the head's Merkle proof does not lead to checkpoint ${proof.checkpoint.sequence}'s root ${proof.checkpoint.merkleRoot}`,
    };
  }
  return { ok: true };
}
