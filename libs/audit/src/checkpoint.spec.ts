import { verify } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson } from '@kyogi/event-store/canonical-json';
import {
  buildCheckpoint,
  buildEventInclusionProof,
  checkCheckpointChain,
  checkpointDigest,
  signCheckpoint,
  streamHeadsAt,
  verifyCheckpointSignature,
  verifyEventInclusion,
  type EventInclusionProof,
  type SignedCheckpoint,
} from './checkpoint';
import {
  CheckpointKeyError,
  generateCheckpointKey,
  jwkThumbprint,
  parsePublicKeys,
  publicJwkOf,
  publicKeyOfJwk,
  signingKeyFromPem,
  signingKeyToPem,
  type CheckpointPublicJwk,
} from './keys';
import { buildStreamHeadTree } from './merkle';
import { checkpointOf, TestLog } from './testing/audit-fixtures';

const platform = generateCheckpointKey();
const intruder = generateCheckpointKey();

describe('checkpoint keys', () => {
  // RFC 8032 §7.1 TEST 1 (empty message) and the same key's RFC 8037 / RFC 7638 thumbprint (RFC 8037 A.3).
  const rfcJwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' } as const;
  const rfcSignature = Buffer.from(
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    'hex',
  );

  it('names a key by its RFC 7638 thumbprint (RFC 8037 appendix A.3)', () => {
    expect(jwkThumbprint(rfcJwk)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('reads a published JWK as the Ed25519 key it is (RFC 8032 test 1 verifies with it)', () => {
    const jwk: CheckpointPublicJwk = { ...rfcJwk, kid: jwkThumbprint(rfcJwk), alg: 'EdDSA', use: 'sig' };
    expect(verify(null, Buffer.alloc(0), publicKeyOfJwk(jwk), rfcSignature)).toBe(true);
    expect(verify(null, Buffer.from([0]), publicKeyOfJwk(jwk), rfcSignature)).toBe(false);
  });

  it('refuses a JWK whose kid is not its thumbprint, or that is not Ed25519', () => {
    expect(() => publicKeyOfJwk({ ...platform.publicJwk, kid: intruder.publicJwk.kid })).toThrow(CheckpointKeyError);
    expect(() => publicKeyOfJwk({ ...platform.publicJwk, crv: 'X25519' as 'Ed25519' })).toThrow(CheckpointKeyError);
    expect(() => publicKeyOfJwk({ ...platform.publicJwk, x: 'short' })).toThrow(CheckpointKeyError);
  });

  it('keeps the key id through PEM storage, and reads keys as JWK, JWK set or PEM', () => {
    const pem = signingKeyToPem(platform.signingKey);
    expect(signingKeyFromPem(pem).kid).toBe(platform.publicJwk.kid);
    expect(publicJwkOf(platform.signingKey.privateKey)).toEqual(platform.publicJwk);
    const publicPem = publicKeyOfJwk(platform.publicJwk).export({ format: 'pem', type: 'spki' }).toString();
    expect(parsePublicKeys(publicPem)).toEqual([platform.publicJwk]);
    expect(parsePublicKeys(JSON.stringify(platform.publicJwk))).toEqual([platform.publicJwk]);
    expect(parsePublicKeys(JSON.stringify({ keys: [platform.publicJwk, { ...intruder.publicJwk, retiredAt: '2026-01-01T00:00:00.000Z' }] }))).toEqual([
      platform.publicJwk,
      { ...intruder.publicJwk, retiredAt: '2026-01-01T00:00:00.000Z' },
    ]);
    const { kid: _kid, ...withoutKid } = platform.publicJwk;
    expect(parsePublicKeys(JSON.stringify(withoutKid))[0].kid).toBe(platform.publicJwk.kid);
    expect(() => parsePublicKeys('not a key')).toThrow(CheckpointKeyError);
    expect(() => parsePublicKeys(JSON.stringify({ keys: [{ ...platform.publicJwk, kid: 'made-up' }] }))).toThrow(CheckpointKeyError);
  });
});

describe('signed checkpoints', () => {
  const log = new TestLog().fill(['Proposal-A', 'Consultation-B', 'Organisation-011002'], 3);

  it('record the sequence, position, time, stream count, Merkle root and the previous digest', async () => {
    const first = await checkpointOf(log.events.slice(0, 4), platform.signingKey, null);
    expect(first.checkpoint).toMatchObject({
      format: 'kyogi-checkpoint/1',
      sequence: 1,
      position: '00000000000003ec.0000000000000004',
      createdAt: '2026-04-01T12:00:00.000Z',
      streamCount: 3,
      previousDigest: null,
      keyId: platform.publicJwk.kid,
    });
    expect(first.checkpoint.merkleRoot).toBe(buildStreamHeadTree(await streamHeadsAt(log.events.slice(0, 4))).root);
    const second = await checkpointOf(log.events, platform.signingKey, first.checkpoint);
    expect(second.checkpoint).toMatchObject({ sequence: 2, streamCount: 3, previousDigest: checkpointDigest(first.checkpoint) });
    expect(second.checkpoint.merkleRoot).not.toBe(first.checkpoint.merkleRoot);
  });

  it('digest the RFC 8785 JSON of the body, signature excluded', async () => {
    const { checkpoint } = await checkpointOf(log.events, platform.signingKey, null);
    const { signature: _s, ...body } = checkpoint;
    expect(checkpointDigest(checkpoint)).toBe(require('node:crypto').createHash('sha256').update(canonicalJson(body)).digest('hex'));
    expect(checkpointDigest({ ...checkpoint, signature: 'other' } as SignedCheckpoint)).toBe(checkpointDigest(checkpoint));
  });

  it('take the heads at a position: later events do not count', async () => {
    const heads = await streamHeadsAt(log.events, log.events[4].position);
    expect(heads.map((h) => [h.streamName, h.revision])).toEqual([
      ['Proposal-A', 1n],
      ['Consultation-B', 1n],
      ['Organisation-011002', 0n],
    ]);
  });

  it('refuse to go back before the previous checkpoint', async () => {
    const { checkpoint } = await checkpointOf(log.events, platform.signingKey, null);
    expect(() => buildCheckpoint({ previous: checkpoint, position: log.events[0].position, createdAt: new Date(), heads: [], keyId: 'k' })).toThrow(RangeError);
  });

  it('verify with the key they name, and with no other', async () => {
    const { checkpoint } = await checkpointOf(log.events, platform.signingKey, null);
    expect(verifyCheckpointSignature(checkpoint, [intruder.publicJwk, platform.publicJwk])).toEqual({ ok: true });
    expect(verifyCheckpointSignature(checkpoint, [intruder.publicJwk])).toMatchObject({ ok: false, code: 'UNKNOWN_KEY' });
    // The intruder's key relabelled with the platform's kid is refused as a key, before any signature check.
    expect(verifyCheckpointSignature(checkpoint, [{ ...intruder.publicJwk, kid: platform.publicJwk.kid }])).toMatchObject({ ok: false, code: 'BAD_KEY' });
    const forged = signCheckpoint({ ...checkpoint, keyId: intruder.publicJwk.kid }, intruder.signingKey);
    expect(verifyCheckpointSignature({ ...forged, keyId: platform.publicJwk.kid }, [platform.publicJwk])).toMatchObject({ ok: false, code: 'BAD_SIGNATURE' });
    expect(() => signCheckpoint(checkpoint, intruder.signingKey)).toThrow(RangeError);
  });

  it('fail verification when any field of the body is changed', async () => {
    const { checkpoint } = await checkpointOf(log.events, platform.signingKey, null);
    const changes: Record<string, (c: SignedCheckpoint) => SignedCheckpoint> = {
      sequence: (c) => ({ ...c, sequence: c.sequence + 1 }),
      position: (c) => ({ ...c, position: '00000000000003ec.0000000000000001' }),
      createdAt: (c) => ({ ...c, createdAt: '2026-04-01T12:00:00.001Z' }),
      streamCount: (c) => ({ ...c, streamCount: c.streamCount - 1 }),
      merkleRoot: (c) => ({ ...c, merkleRoot: c.merkleRoot.replace(/^./, (d) => (d === '0' ? '1' : '0')) }),
      previousDigest: (c) => ({ ...c, previousDigest: 'a'.repeat(64) }),
      signature: (c) => ({ ...c, signature: Buffer.from(c.signature, 'base64url').reverse().toString('base64url') }),
      'signature truncated': (c) => ({ ...c, signature: c.signature.slice(0, 20) }),
    };
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(changes)), (field) => {
        expect(verifyCheckpointSignature(changes[field](checkpoint), [platform.publicJwk])).toMatchObject({ ok: false, code: 'BAD_SIGNATURE' });
      }),
    );
  });

  it('are refused when created after their key was retired', async () => {
    const { checkpoint } = await checkpointOf(log.events, platform.signingKey, null);
    expect(verifyCheckpointSignature(checkpoint, [{ ...platform.publicJwk, retiredAt: '2026-04-01T11:59:59.000Z' }])).toMatchObject({
      ok: false,
      code: 'KEY_RETIRED',
    });
    expect(verifyCheckpointSignature(checkpoint, [{ ...platform.publicJwk, retiredAt: '2026-04-01T12:00:00.000Z' }])).toEqual({ ok: true });
  });
});

describe('a chain of checkpoints', () => {
  async function chain(length: number, log: TestLog, from: SignedCheckpoint | null = null): Promise<SignedCheckpoint[]> {
    const out: SignedCheckpoint[] = [];
    let previous = from;
    for (let i = 0; i < length; i++) {
      log.fill(['Proposal-A', 'Proposal-B'], 1);
      previous = (await checkpointOf(log.events, platform.signingKey, previous)).checkpoint;
      out.push(previous);
    }
    return out;
  }

  it('extends an earlier checkpoint through the intermediate ones', async () => {
    const cps = await chain(5, new TestLog());
    expect(checkCheckpointChain(cps[1], cps[4], cps)).toEqual({ ok: true });
    expect(checkCheckpointChain(cps[1], cps[4], [cps[3], cps[2]])).toEqual({ ok: true });
    expect(checkCheckpointChain(cps[3], cps[4])).toEqual({ ok: true });
    expect(checkCheckpointChain(cps[4], cps[4])).toEqual({ ok: true });
  });

  it('says which intermediate checkpoint is missing', async () => {
    const cps = await chain(5, new TestLog());
    expect(checkCheckpointChain(cps[0], cps[4], [cps[1], cps[3]])).toMatchObject({
      ok: false,
      code: 'MISSING_CHECKPOINT',
      message: expect.stringContaining('checkpoint 3 is not given'),
    });
  });

  it('does not extend a checkpoint from another history (a fork), nor an older one a newer', async () => {
    const log = new TestLog();
    const common = await chain(2, log);
    const forkLog = log.fork();
    const ours = await chain(2, log, common[1]);
    const theirs = [(await checkpointOf(forkLog.fill(['Proposal-C'], 1).events, platform.signingKey, common[1])).checkpoint];
    expect(theirs[0].sequence).toBe(ours[0].sequence);
    expect(checkCheckpointChain(ours[0], theirs[0])).toMatchObject({ ok: false, code: 'NOT_EXTENDING', message: expect.stringContaining('forked') });
    expect(checkCheckpointChain(ours[0], ours[1], [theirs[0]])).toEqual({ ok: true });
    expect(checkCheckpointChain(common[0], ours[1], [theirs[0], common[1]])).toMatchObject({ ok: false, code: 'NOT_EXTENDING' });
    expect(checkCheckpointChain(ours[1], common[0])).toMatchObject({ ok: false, code: 'NOT_EXTENDING', message: expect.stringContaining('older') });
    const unrelated = (await chain(2, new TestLog().fill(['Other-1'], 1)))[1];
    expect(unrelated.sequence).toBe(common[1].sequence);
    expect(checkCheckpointChain(unrelated, ours[0], common)).toMatchObject({ ok: false, code: 'NOT_EXTENDING' });
  });
});

describe('event inclusion proofs', () => {
  const log = new TestLog().fill(['Proposal-A', 'Consultation-B', 'Spec-juminkiroku', 'Organisation-011002', 'Talent-1'], 4);
  const keys = [platform.publicJwk];

  async function proofs() {
    const upTo = log.events[16].position; // the last round is not covered
    const { checkpoint, tree } = await checkpointOf(log.events, platform.signingKey, null, upTo);
    return { checkpoint, tree, upTo };
  }

  it('prove every covered event: its chain to the stream head, and the head in the signed root', async () => {
    const { checkpoint, tree } = await proofs();
    for (const event of log.events.slice(0, 17)) {
      const proof = buildEventInclusionProof(log.stream(event.streamName), event.revision, tree, checkpoint);
      expect(proof.following.every((e) => BigInt(e.revision) <= 3n)).toBe(true);
      expect(verifyEventInclusion(JSON.parse(JSON.stringify(proof)) as EventInclusionProof, keys)).toEqual({ ok: true });
    }
  });

  it('are not built for events the checkpoint does not cover yet', async () => {
    const { checkpoint, tree } = await proofs();
    const late = log.events[19];
    expect(() => buildEventInclusionProof(log.stream(late.streamName), late.revision, tree, checkpoint)).toThrow(/not covered yet/);
  });

  it('fail when the event, a later event, the Merkle path, the checkpoint or the key is changed', async () => {
    const { checkpoint, tree } = await proofs();
    const base = buildEventInclusionProof(log.stream('Spec-juminkiroku'), 0n, tree, checkpoint);
    expect(base.following.map((e) => e.revision)).toEqual(['1', '2']);
    const cases: [string, EventInclusionProof, readonly CheckpointPublicJwk[], string][] = [
      ['event data', { ...base, event: { ...base.event, data: { ...base.event.data, text: '改ざん' } } }, keys, 'CONTENT_CHANGED'],
      ['a following event', { ...base, following: base.following.map((e, i) => (i === 1 ? { ...e, type: 'Other' } : e)) }, keys, 'CONTENT_CHANGED'],
      ['a following event left out', { ...base, following: base.following.slice(1) }, keys, 'LINK_BROKEN'],
      ['the chain cut short', { ...base, following: base.following.slice(0, -1) }, keys, 'HEAD_MISMATCH'],
      ['the Merkle path', { ...base, head: { ...base.head, path: [...base.head.path].reverse() } }, keys, 'NOT_IN_TREE'],
      ['the checkpoint root', { ...base, checkpoint: { ...checkpoint, merkleRoot: '0'.repeat(64) } }, keys, 'BAD_SIGNATURE'],
      ['another key', base, [intruder.publicJwk], 'UNKNOWN_KEY'],
      ['malformed event', { ...base, event: { ...base.event, revision: 'one' } }, keys, 'MALFORMED'],
    ];
    for (const [what, proof, withKeys, code] of cases) {
      expect([what, verifyEventInclusion(proof, withKeys)]).toEqual([what, expect.objectContaining({ ok: false, code })]);
    }
  });
});
