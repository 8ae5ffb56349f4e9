import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  buildStreamHeadTree,
  DuplicateStreamHeadError,
  EMPTY_ROOT,
  hashChildren,
  hashLeaf,
  inclusionPath,
  merkleRoot,
  streamHeadLeafData,
  verifyInclusion,
  verifyStreamHeadProof,
  type StreamHead,
  type StreamHeadProof,
} from './merkle';

const unhex = (h: string) => Buffer.from(h, 'hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// Certificate Transparency's reference data (the leaves and tree heads every RFC 6962 log is tested against).
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => hashLeaf(unhex(h)));
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_INCLUSION = [
  {
    index: 0,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

/** MTH and PATH written straight from RFC 6962 §2.1 (recursive split at the largest power of two below n). */
function referenceRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}
function referencePath(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k
    ? [...referencePath(m, leaves.slice(0, k)), referenceRoot(leaves.slice(k))]
    : [...referencePath(m - k, leaves.slice(k)), referenceRoot(leaves.slice(0, k))];
}

describe('Merkle tree (RFC 6962)', () => {
  it('gives the Certificate Transparency reference roots for 0 to 8 leaves', () => {
    for (let n = 0; n <= 8; n++) expect(hex(merkleRoot(CT_LEAVES.slice(0, n)))).toBe(CT_ROOTS[n]);
    expect(EMPTY_ROOT).toBe(CT_ROOTS[0]);
  });

  it('gives the Certificate Transparency reference inclusion paths, and they verify', () => {
    for (const v of CT_INCLUSION) {
      expect(inclusionPath(CT_LEAVES, v.index).map(hex)).toEqual(v.path);
      expect(verifyInclusion(CT_LEAVES[v.index], v.index, 8, v.path.map(unhex), unhex(CT_ROOTS[8]))).toBe(true);
    }
  });

  it('agrees with the recursive definition of RFC 6962 for every tree size up to 70 and every leaf', () => {
    const leaves = Array.from({ length: 70 }, (_, i) => hashLeaf(Buffer.from([i, i * 3])));
    for (let n = 1; n <= leaves.length; n++) {
      const tree = leaves.slice(0, n);
      const root = merkleRoot(tree);
      expect(hex(root)).toBe(hex(referenceRoot(tree)));
      for (let m = 0; m < n; m++) {
        const path = inclusionPath(tree, m);
        expect(path.map(hex)).toEqual(referencePath(m, tree).map(hex));
        expect(verifyInclusion(tree[m], m, n, path, root)).toBe(true);
      }
    }
  });

  it('separates leaves from nodes: a node passed off as a leaf does not verify', () => {
    const [a, b, c, d] = CT_LEAVES;
    const root = merkleRoot([a, b, c, d]);
    const left = hashChildren(a, b);
    // In a two-leaf tree (left, right) the "leaves" would be the inner nodes; the prefix makes them differ.
    expect(hex(merkleRoot([hashLeaf(left), hashLeaf(hashChildren(c, d))]))).not.toBe(hex(root));
    expect(verifyInclusion(left, 0, 2, [hashChildren(c, d)], root)).toBe(true); // the raw tree shape…
    expect(verifyInclusion(hashLeaf(left), 0, 2, [hashChildren(c, d)], root)).toBe(false); // …but not as a leaf
  });

  it('refuses malformed input instead of throwing', () => {
    const root = merkleRoot(CT_LEAVES);
    const path = inclusionPath(CT_LEAVES, 3);
    expect(verifyInclusion(CT_LEAVES[3], 8, 8, path, root)).toBe(false);
    expect(verifyInclusion(CT_LEAVES[3], -1, 8, path, root)).toBe(false);
    expect(verifyInclusion(CT_LEAVES[3], 3, 8, [...path, Buffer.alloc(32)], root)).toBe(false);
    expect(verifyInclusion(CT_LEAVES[3], 3, 8, path.slice(0, -1), root)).toBe(false);
    expect(verifyInclusion(CT_LEAVES[3], 3, 8, [Buffer.alloc(31), ...path.slice(1)], root)).toBe(false);
    expect(verifyInclusion(CT_LEAVES[3], 3, 9, path, root)).toBe(false);
    expect(verifyInclusion(CT_LEAVES[3], 3, 8, path, root.subarray(1))).toBe(false);
    expect(() => inclusionPath(CT_LEAVES, 8)).toThrow(RangeError);
  });
});

const streamName = fc.stringMatching(/^[A-Z][a-z]{0,6}-[A-Za-z0-9]{1,8}$/);
const head = (name: string, revision: bigint, seed: string): StreamHead => ({
  streamName: name,
  revision,
  hash: createHash('sha256').update(`${name}/${revision}/${seed}`).digest('hex'),
});
const headsArbitrary = fc
  .uniqueArray(fc.tuple(streamName, fc.bigInt({ min: 0n, max: 10_000n }), fc.string()), { minLength: 1, maxLength: 40, selector: ([name]) => name })
  .map((rows) => rows.map(([name, revision, seed]) => head(name, revision, seed)));

/** One way to change a proof or what it is checked against; each must make verification fail. */
type Mutation = (proof: StreamHeadProof, root: string) => { proof: StreamHeadProof; root: string; treeSize?: number } | null;
const flipHex = (h: string, at: number) => {
  const i = at % h.length;
  return h.slice(0, i) + ((parseInt(h[i], 16) ^ 1).toString(16) as string) + h.slice(i + 1);
};
const mutations: Record<string, (at: number) => Mutation> = {
  'head hash': (at) => (p, root) => ({ proof: { ...p, hash: flipHex(p.hash, at) }, root }),
  'head revision': () => (p, root) => ({ proof: { ...p, revision: (BigInt(p.revision) + 1n).toString() }, root }),
  'stream name': () => (p, root) => ({ proof: { ...p, streamName: `${p.streamName}x` }, root }),
  root: (at) => (p, root) => ({ proof: p, root: flipHex(root, at) }),
  'a path hash': (at) => (p, root) =>
    p.path.length === 0 ? null : { proof: { ...p, path: p.path.map((h, i) => (i === at % p.path.length ? flipHex(h, at) : h)) }, root },
  'path shortened': () => (p, root) => (p.path.length === 0 ? null : { proof: { ...p, path: p.path.slice(0, -1) }, root }),
  'path lengthened': () => (p, root) => ({ proof: { ...p, path: [...p.path, p.hash] }, root }),
  'leaf index': (at) => (p, root) => (p.treeSize < 2 ? null : { proof: { ...p, leafIndex: (p.leafIndex + 1 + (at % (p.treeSize - 1))) % p.treeSize }, root }),
  'tree size in the proof': () => (p, root) => ({ proof: { ...p, treeSize: p.treeSize + 1 }, root }),
  'tree size signed': () => (p, root) => ({ proof: p, root, treeSize: p.treeSize + 1 }),
};

describe('stream head tree', () => {
  it('hashes a head as the canonical JSON of its stream name, revision and hash', () => {
    const h = head('Proposal-1', 12n, 's');
    expect(streamHeadLeafData(h).toString('utf8')).toBe(`{"hash":"${h.hash}","revision":"12","streamName":"Proposal-1"}`);
  });

  it('proves every head against the root, whatever order the heads come in', () => {
    fc.assert(
      fc.property(headsArbitrary, (heads) => {
        const tree = buildStreamHeadTree(heads);
        expect(buildStreamHeadTree([...heads].reverse()).root).toBe(tree.root);
        expect(tree.heads.map((h) => h.streamName)).toEqual(heads.map((h) => h.streamName).sort());
        for (const h of heads) {
          const proof = tree.proofFor(h.streamName)!;
          expect(proof).toMatchObject({ streamName: h.streamName, revision: h.revision.toString(), hash: h.hash, treeSize: heads.length });
          expect(verifyStreamHeadProof(proof, { root: tree.root, treeSize: heads.length })).toBe(true);
        }
      }),
    );
  });

  it('fails any proof whose head, path, index, size or root was changed', () => {
    fc.assert(
      fc.property(headsArbitrary, fc.nat(), fc.nat(), fc.constantFrom(...Object.keys(mutations)), (heads, pick, at, mutation) => {
        const tree = buildStreamHeadTree(heads);
        const proof = tree.proofFor(heads[pick % heads.length].streamName)!;
        const changed = mutations[mutation](at)(proof, tree.root);
        fc.pre(changed !== null);
        expect(verifyStreamHeadProof(changed!.proof, { root: changed!.root, treeSize: changed!.treeSize ?? heads.length })).toBe(false);
      }),
    );
  });

  it('changes its root when any head changes, is added or is removed', () => {
    fc.assert(
      fc.property(headsArbitrary, fc.nat(), (heads, pick) => {
        const root = buildStreamHeadTree(heads).root;
        const i = pick % heads.length;
        const advanced = heads.map((h, j) => (j === i ? head(h.streamName, h.revision + 1n, 'next') : h));
        expect(buildStreamHeadTree(advanced).root).not.toBe(root);
        expect(buildStreamHeadTree(heads.filter((_, j) => j !== i)).root).not.toBe(root);
        expect(buildStreamHeadTree([...heads, head('Zz-added', 0n, 'x')]).root).not.toBe(root);
      }),
    );
  });

  it('refuses two heads for one stream and has no proof for a stream it does not hold', () => {
    expect(() => buildStreamHeadTree([head('A-1', 0n, 'a'), head('A-1', 1n, 'b')])).toThrow(DuplicateStreamHeadError);
    const tree = buildStreamHeadTree([head('A-1', 0n, 'a')]);
    expect(tree.proofFor('B-1')).toBeUndefined();
    expect(buildStreamHeadTree([]).root).toBe(EMPTY_ROOT);
  });
});
