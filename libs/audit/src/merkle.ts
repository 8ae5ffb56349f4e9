import { createHash } from 'node:crypto';
import { canonicalJson } from '@kyogi/event-store/canonical-json';

/**
 * A Merkle tree as RFC 6962 (Certificate Transparency) §2.1 defines it, over the stream heads.
 *
 * - A leaf hashes `0x00 || leaf data`, an inner node `0x01 || left || right` (domain separation:
 *   no leaf can be passed off as a node, or the other way round — the second-preimage attack on
 *   naive Merkle trees).
 * - With n leaves, the left subtree holds the largest power of two below n; an odd node at the
 *   end of a level is carried up unchanged (never duplicated, unlike Bitcoin's tree, where
 *   duplicating the last leaf gives two leaf lists one root).
 * - The empty tree's root is SHA-256 of the empty string.
 *
 * Hashes travel as lowercase hex strings; inside this file they are Buffers.
 */

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
const HEX_HASH = /^[0-9a-f]{64}$/;

export function hashLeaf(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

export const EMPTY_ROOT: string = createHash('sha256').digest('hex');

/** A stream's last event as a checkpoint sees it. */
export interface StreamHead {
  readonly streamName: string;
  readonly revision: bigint;
  /** The hash of the event at `revision` (the stream's hash chain ends there). */
  readonly hash: string;
}

/**
 * The bytes a stream head's leaf hashes: the UTF-8 of the RFC 8785 canonical JSON of
 * `{ "hash": …, "revision": "<decimal>", "streamName": … }`. Anyone can rebuild it with any JCS
 * implementation.
 */
export function streamHeadLeafData(head: StreamHead): Buffer {
  return Buffer.from(canonicalJson({ streamName: head.streamName, revision: head.revision.toString(), hash: head.hash }), 'utf8');
}

export function streamHeadLeafHash(head: StreamHead): string {
  return hashLeaf(streamHeadLeafData(head)).toString('hex');
}

/** Stream names compared by UTF-16 code units (stream names are ASCII, so this is byte order too). */
export function compareStreamNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class DuplicateStreamHeadError extends Error {
  constructor(readonly streamName: string) {
    super(`Stream ${streamName} has more than one head`);
    this.name = 'DuplicateStreamHeadError';
  }
}

/** The heads in leaf order (sorted by stream name); a stream may appear only once. */
export function sortStreamHeads(heads: Iterable<StreamHead>): StreamHead[] {
  const sorted = [...heads].sort((a, b) => compareStreamNames(a.streamName, b.streamName));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].streamName === sorted[i - 1].streamName) throw new DuplicateStreamHeadError(sorted[i].streamName);
  }
  return sorted;
}

/** Every level of the tree, leaves first; the last level holds the root alone. */
function levelsOf(leafHashes: readonly Uint8Array[]): Buffer[][] {
  const levels: Buffer[][] = [leafHashes.map((h) => Buffer.from(h))];
  while (levels[levels.length - 1].length > 1) {
    const below = levels[levels.length - 1];
    const level: Buffer[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) level.push(hashChildren(below[i], below[i + 1]));
    if (below.length % 2 === 1) level.push(below[below.length - 1]); // carried up, RFC 6962 style
    levels.push(level);
  }
  return levels;
}

/** RFC 6962 MTH over leaf hashes (already `hashLeaf`ed). */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Buffer {
  if (leafHashes.length === 0) return Buffer.from(EMPTY_ROOT, 'hex');
  const levels = levelsOf(leafHashes);
  return levels[levels.length - 1][0];
}

/** RFC 6962 PATH(m, D[n]): the sibling hashes from the leaf up to the root. */
function pathIn(levels: readonly Buffer[][], leafIndex: number): Buffer[] {
  const path: Buffer[] = [];
  let index = leafIndex;
  for (const level of levels.slice(0, -1)) {
    const sibling = index ^ 1;
    if (sibling < level.length) path.push(level[sibling]);
    index >>= 1;
  }
  return path;
}

export function inclusionPath(leafHashes: readonly Uint8Array[], leafIndex: number): Buffer[] {
  if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= leafHashes.length) {
    throw new RangeError(`leaf ${leafIndex} is not in a tree of ${leafHashes.length}`);
  }
  return pathIn(levelsOf(leafHashes), leafIndex);
}

/**
 * RFC 9162 §2.1.3.2: does `path` lead from the leaf at `leafIndex` of a tree of `treeSize` leaves
 * to `root`? False for anything malformed — a verifier never throws at its input.
 */
export function verifyInclusion(leafHash: Uint8Array, leafIndex: number, treeSize: number, path: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) return false;
  if (leafHash.length !== 32 || root.length !== 32 || path.some((p) => p.length !== 32)) return false;
  // Shifts as numbers: tree sizes stay far below 2^53, and Math.floor keeps bits above 32.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** A stream head's place in a checkpoint's tree, and the path to its root. JSON-safe. */
export interface StreamHeadProof {
  readonly streamName: string;
  /** Decimal string, as everywhere a bigint leaves the process. */
  readonly revision: string;
  readonly hash: string;
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Sibling hashes, hex, from the leaf up. */
  readonly path: readonly string[];
}

export interface StreamHeadTree {
  readonly root: string;
  /** The heads in leaf order. */
  readonly heads: readonly StreamHead[];
  /** The inclusion proof for a stream's head, or undefined when the stream is not in the tree. */
  proofFor(streamName: string): StreamHeadProof | undefined;
}

export function buildStreamHeadTree(heads: Iterable<StreamHead>): StreamHeadTree {
  const sorted = sortStreamHeads(heads);
  const leaves = sorted.map((h) => hashLeaf(streamHeadLeafData(h)));
  const levels = levelsOf(leaves);
  const root = sorted.length === 0 ? EMPTY_ROOT : levels[levels.length - 1][0].toString('hex');
  const indexOf = new Map(sorted.map((h, i) => [h.streamName, i]));
  return {
    root,
    heads: sorted,
    proofFor(streamName) {
      const leafIndex = indexOf.get(streamName);
      if (leafIndex === undefined) return undefined;
      const head = sorted[leafIndex];
      return {
        streamName,
        revision: head.revision.toString(),
        hash: head.hash,
        leafIndex,
        treeSize: sorted.length,
        path: pathIn(levels, leafIndex).map((b) => b.toString('hex')),
      };
    },
  };
}

/** The root of the heads' tree, without keeping the tree. */
export function streamHeadsRoot(heads: Iterable<StreamHead>): string {
  return buildStreamHeadTree(heads).root;
}

/**
 * Does the proof put its stream head under `root`, in a tree of `treeSize` heads? Both come from
 * the signed checkpoint: the path alone does not bind the tree size (a leaf's path can look the
 * same in trees of several sizes). False for anything malformed.
 */
export function verifyStreamHeadProof(proof: StreamHeadProof, signed: { readonly root: string; readonly treeSize: number }): boolean {
  const { root, treeSize } = signed;
  if (proof.treeSize !== treeSize) return false;
  if (!HEX_HASH.test(root) || !Array.isArray(proof.path) || !proof.path.every((p) => typeof p === 'string' && HEX_HASH.test(p))) return false;
  if (
    typeof proof.streamName !== 'string' ||
    typeof proof.hash !== 'string' ||
    typeof proof.revision !== 'string' ||
    !/^(0|[1-9][0-9]*)$/.test(proof.revision)
  ) {
    return false;
  }
  const leaf = hashLeaf(streamHeadLeafData({ streamName: proof.streamName, revision: BigInt(proof.revision), hash: proof.hash }));
  return verifyInclusion(
    leaf,
    proof.leafIndex,
    proof.treeSize,
    proof.path.map((p) => Buffer.from(p, 'hex')),
    Buffer.from(root, 'hex'),
  );
}
