import { eventHash } from '@kyogi/event-store/hash-chain';
import type { RecordedEvent } from '@kyogi/event-store/port';
import { buildCheckpoint, signCheckpoint, type SignedCheckpoint } from './checkpoint';
import { generateCheckpointKey } from './keys';
import { checkpointOf, exportLines, TestLog } from './testing/audit-fixtures';
import { formatReport, verifyEvents, verifyExport, type VerifyOptions } from './verify';

const platform = generateCheckpointKey();
const intruder = generateCheckpointKey();
const STREAMS = ['Proposal-A', 'Consultation-B', 'Spec-juminkiroku'];

type Json = Record<string, any>;
const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as Json);
const isEvent = (r: Json, stream: string, revision: number) => r.kind === 'event' && r.streamName === stream && r.revision === String(revision);
/** Changes the event lines that match, as someone with write access to the file (or the database behind it) would. */
const editEvents = (lines: string[], match: (r: Json) => boolean, change: (r: Json) => Json) =>
  parse(lines).map((r) => JSON.stringify(r.kind === 'event' && match(r) ? change(r) : r));
const without = (lines: string[], match: (r: Json) => boolean) =>
  parse(lines)
    .filter((r) => !match(r))
    .map((r) => JSON.stringify(r));
const lineOf = (lines: string[], match: (r: Json) => boolean) => parse(lines).findIndex(match) + 1;
const verify = (lines: string[], options?: VerifyOptions) => verifyExport(() => lines, options);

/** The same stream rewritten from `revision` on with fresh hashes: chains that verify, but another history. */
function rewriteStream(lines: string[], stream: string, revision: number, change: (r: Json) => Json): string[] {
  let previousHash: string | null = null;
  return parse(lines).map((r) => {
    if (r.kind !== 'event' || r.streamName !== stream) return JSON.stringify(r);
    if (Number(r.revision) < revision) {
      previousHash = r.hash;
      return JSON.stringify(r);
    }
    const changed: Json = { ...(Number(r.revision) === revision ? change(r) : r), previousHash };
    changed.hash = eventHash({ ...changed, revision: BigInt(changed.revision) } as unknown as RecordedEvent);
    previousHash = changed.hash;
    return JSON.stringify(changed);
  });
}

async function logExport(options: { rounds?: number; uncovered?: number; heads?: boolean; checkpoints?: number } = {}) {
  const log = new TestLog().fill(STREAMS, options.rounds ?? 4);
  const count = options.checkpoints ?? 1;
  const covered = log.events.length - (options.uncovered ?? 0);
  const checkpoints: SignedCheckpoint[] = [];
  let tree;
  for (let i = 1; i <= count; i++) {
    const upTo = log.events[Math.floor((covered * i) / count) - 1].position;
    const made = await checkpointOf(log.events, platform.signingKey, checkpoints[checkpoints.length - 1] ?? null, upTo);
    checkpoints.push(made.checkpoint);
    tree = made.tree;
  }
  const lines = await exportLines({
    scope: { kind: 'log' },
    events: log.events,
    checkpoints,
    checkpointHeads: options.heads === false ? undefined : tree!.heads,
    keys: [platform.publicJwk],
  });
  return { log, checkpoints, lines };
}

describe('verifying a whole-log export', () => {
  it('says OK when nothing was changed, and what it checked', async () => {
    const { lines, checkpoints } = await logExport();
    const report = await verify(lines);
    expect(report).toMatchObject({ ok: true, eventCount: 12, streamCount: 3, firstMismatch: null, problems: [] });
    expect(report.checkpoint).toMatchObject({ sequence: 1, streamCount: 3, merkleRoot: checkpoints[0].merkleRoot });
    const text = formatReport(report);
    expect(text[0]).toBe('Kyogi export of the whole log, exported 2026-04-02T00:00:00.000Z: 12 events in 3 streams');
    expect(text).toContain(
      `note: checkpoint 1 was checked with key ${platform.publicJwk.kid} from the export itself: compare it with the platform's keys at /.well-known/kyogi-checkpoint-keys.json, or pass them with --key`,
    );
    expect(text[text.length - 1]).toBe('OK: everything matches');
    expect(await verify(lines, { trustedKeys: [platform.publicJwk] })).toMatchObject({ ok: true, notes: [] });
  });

  it('names the first event whose content changed', async () => {
    const { lines } = await logExport();
    const tampered = editEvents(
      lines,
      (r) => isEvent(r, 'Consultation-B', 1) || isEvent(r, 'Proposal-A', 3),
      (r) => ({ ...r, data: { ...r.data, text: '改ざん' } }),
    );
    const report = await verify(tampered);
    const line = lineOf(lines, (r) => isEvent(r, 'Consultation-B', 1));
    expect(report.ok).toBe(false);
    expect(report.firstMismatch).toMatchObject({
      reason: 'content-changed',
      streamName: 'Consultation-B',
      revision: 1n,
      position: '00000000000003ed.0000000000000005',
      line,
    });
    expect(report.firstMismatch!.message).toMatch(
      new RegExp(
        `^Consultation-B revision 1 at position 00000000000003ed\\.0000000000000005 \\(line ${line}\\): content changed — its type, data or metadata no longer give its hash`,
      ),
    );
    expect(formatReport(report)).toContain(`MISMATCH ${report.firstMismatch!.message}`);
    expect(formatReport(report).at(-1)).toBe('FAILED: 1 mismatch');
  });

  it('names a changed type or metadata (the actor) too', async () => {
    const { lines } = await logExport();
    const actor = editEvents(
      lines,
      (r) => isEvent(r, 'Spec-juminkiroku', 2),
      (r) => ({ ...r, metadata: { ...r.metadata, actor: { ...r.metadata.actor, organisationId: '131016' } } }),
    );
    expect((await verify(actor)).firstMismatch).toMatchObject({ reason: 'content-changed', streamName: 'Spec-juminkiroku', revision: 2n });
    const type = editEvents(
      lines,
      (r) => isEvent(r, 'Proposal-A', 0),
      (r) => ({ ...r, type: 'ProposalWithdrawn' }),
    );
    expect((await verify(type)).firstMismatch).toMatchObject({ reason: 'content-changed', streamName: 'Proposal-A', revision: 0n });
  });

  it('names an event whose link was changed', async () => {
    const { lines } = await logExport();
    const tampered = editEvents(
      lines,
      (r) => isEvent(r, 'Proposal-A', 2),
      (r) => ({ ...r, previousHash: 'f'.repeat(64) }),
    );
    const report = await verify(tampered);
    expect(report.firstMismatch).toMatchObject({ reason: 'link-broken', streamName: 'Proposal-A', revision: 2n });
    expect(report.firstMismatch!.message).toContain(`link broken — it names previous hash ${'f'.repeat(64)}, but revision 1 has hash`);
  });

  it('names two events whose revisions were swapped (as in the database) as reordered', async () => {
    const { lines } = await logExport();
    const tampered = editEvents(
      lines,
      (r) => isEvent(r, 'Spec-juminkiroku', 1) || isEvent(r, 'Spec-juminkiroku', 2),
      (r) => ({ ...r, revision: r.revision === '1' ? '2' : '1' }),
    );
    const report = await verify(tampered);
    expect(report.firstMismatch).toMatchObject({
      reason: 'reordered',
      streamName: 'Spec-juminkiroku',
      revision: 2n,
      position: '00000000000003ee.0000000000000006',
    });
    expect(report.firstMismatch!.message).toContain(`reordered — it comes before revision 1 (line ${lineOf(lines, (r) => isEvent(r, 'Spec-juminkiroku', 2))}`);
  });

  it('names events out of global order as reordered', async () => {
    const { lines } = await logExport();
    const a = lineOf(lines, (r) => isEvent(r, 'Proposal-A', 1)) - 1;
    const swapped = [...lines];
    [swapped[a], swapped[a + 1]] = [swapped[a + 1], swapped[a]]; // Consultation-B 1 now comes before Proposal-A 1
    const report = await verify(swapped);
    expect(report.firstMismatch).toMatchObject({ reason: 'reordered', streamName: 'Proposal-A', revision: 1n, line: a + 2 });
    expect(report.firstMismatch!.message).toContain('its position is not after that of the event before it');
  });

  it('names the event after a deleted one: missing revision', async () => {
    const { lines } = await logExport();
    const report = await verify(without(lines, (r) => isEvent(r, 'Consultation-B', 1)));
    expect(report.firstMismatch).toMatchObject({ reason: 'missing-revision', streamName: 'Consultation-B', revision: 2n });
    expect(report.firstMismatch!.message).toContain('missing revision — revision 1 is not there (the stream goes from revision 0 to 2)');
    const first = await verify(without(lines, (r) => isEvent(r, 'Proposal-A', 0)));
    expect(first.firstMismatch).toMatchObject({ reason: 'missing-revision', streamName: 'Proposal-A', revision: 1n });
    expect(first.firstMismatch!.message).toContain('revision 0 is not there (the stream does not start at 0)');
  });

  it('catches a deleted last event only through the checkpoint, and names it', async () => {
    const { lines } = await logExport();
    const report = await verify(without(lines, (r) => isEvent(r, 'Consultation-B', 3)));
    expect(report.firstMismatch).toBeNull();
    expect(report.problems).toEqual([
      {
        about: 'checkpoint',
        code: 'HEAD_MISMATCH',
        message: 'Consultation-B: checkpoint 1 holds it up to revision 3, but the export ends it at revision 2 (missing revision 3)',
      },
    ]);
    const bare = await verify(without((await logExport({ heads: false })).lines, (r) => isEvent(r, 'Consultation-B', 3)));
    expect(bare.problems).toEqual([
      expect.objectContaining({ code: 'ROOT_MISMATCH', message: expect.stringMatching(/^the 3 stream heads in the export at position .* give Merkle root/) }),
    ]);
  });

  it('catches a stream rewritten with fresh hashes (chains intact) through the checkpoint', async () => {
    const { lines } = await logExport();
    const rewritten = rewriteStream(lines, 'Proposal-A', 1, (r) => ({ ...r, data: { ...r.data, text: '別の歴史' } }));
    const report = await verify(rewritten);
    expect(report.firstMismatch).toBeNull();
    expect(report.problems).toEqual([
      expect.objectContaining({
        code: 'HEAD_MISMATCH',
        message: expect.stringMatching(
          /^Proposal-A revision 3: the export's hash \w+… is not the hash \w+… checkpoint 1 signed \(the stream's chain was rewritten\)$/,
        ),
      }),
    ]);
  });

  it('catches an event added to the past of a signed checkpoint', async () => {
    const { lines } = await logExport();
    // A new stream slipped in between the first two events (position 3e9.5 sorts between 3e9.1 and 3ea.2).
    const extra: Json = {
      ...parse(lines)[1],
      id: 'added',
      streamName: 'Proposal-Z',
      revision: '0',
      position: '00000000000003e9.0000000000000005',
      previousHash: null,
    };
    extra.hash = eventHash({ ...extra, revision: 0n } as unknown as RecordedEvent);
    const report = await verify([lines[0], lines[1], JSON.stringify(extra), ...lines.slice(2)]);
    expect(report.firstMismatch).toBeNull();
    expect(report.problems).toEqual([
      expect.objectContaining({
        code: 'HEAD_MISMATCH',
        message:
          'Proposal-Z: the export has revisions up to 0 at or before position 00000000000003f4.000000000000000c, but checkpoint 1 does not hold the stream (events were added to the past)',
      }),
    ]);
  });

  describe('checkpoints', () => {
    it('names a checkpoint whose root was changed after signing', async () => {
      const { lines } = await logExport();
      const forged = parse(lines).map((r) => JSON.stringify(r.kind === 'checkpoint' ? { ...r, merkleRoot: '0'.repeat(64) } : r));
      const report = await verify(forged);
      expect(report.problems.map((p) => p.code)).toEqual(['BAD_SIGNATURE', 'ROOT_MISMATCH']);
      expect(report.problems[0].message).toBe(
        `checkpoint 1: the signature does not verify with key ${platform.publicJwk.kid} (the checkpoint was changed or not signed by it)`,
      );
    });

    it("names a validly signed checkpoint whose root is not the export's", async () => {
      const { log, lines } = await logExport({ heads: false });
      const { body } = buildCheckpoint({ previous: null, position: log.head, createdAt: new Date(), heads: [], keyId: platform.signingKey.kid });
      const wrong = signCheckpoint(body, platform.signingKey);
      const report = await verify(parse(lines).map((r) => JSON.stringify(r.kind === 'checkpoint' ? { kind: 'checkpoint', ...wrong } : r)));
      expect(report.problems).toEqual([
        expect.objectContaining({ code: 'ROOT_MISMATCH', message: expect.stringContaining(`but checkpoint 1 signed ${wrong.merkleRoot} over 0 streams`) }),
      ]);
    });

    it('needs the platform key to catch a checkpoint forged with another key and that key put in the export', async () => {
      const { lines } = await logExport();
      const rewritten = rewriteStream(lines, 'Proposal-A', 0, (r) => ({ ...r, data: { ...r.data, text: '偽造' } }));
      const events = parse(rewritten).filter((r) => r.kind === 'event');
      const { body, tree } = buildCheckpoint({
        previous: null,
        position: { commit: 1012n, prepare: 12n },
        createdAt: new Date(),
        heads: STREAMS.map((s) => {
          const last = events.filter((e) => e.streamName === s).at(-1)!;
          return { streamName: s, revision: BigInt(last.revision), hash: last.hash };
        }),
        keyId: intruder.signingKey.kid,
      });
      const forged = signCheckpoint(body, intruder.signingKey);
      const forgedLines = parse(rewritten)
        .filter((r) => r.kind === 'event' || r.kind === 'header')
        .concat(tree.heads.map((h) => ({ kind: 'checkpoint-head', sequence: 1, streamName: h.streamName, revision: h.revision.toString(), hash: h.hash })))
        .concat([
          { kind: 'checkpoint', ...forged },
          { kind: 'key', ...intruder.publicJwk },
        ])
        .map((r) => JSON.stringify(r));
      const selfConsistent = await verify(forgedLines);
      expect(selfConsistent.ok).toBe(true); // consistent in itself: the key is what tells…
      expect(selfConsistent.notes[0]).toContain(`checked with key ${intruder.publicJwk.kid} from the export itself`);
      const pinned = await verify(forgedLines, { trustedKeys: [platform.publicJwk] }); // …so pin the published one
      expect(pinned.problems).toEqual([
        expect.objectContaining({
          code: 'UNKNOWN_KEY',
          message: `checkpoint 1 is signed with key ${intruder.publicJwk.kid}, which is not among the keys given (${platform.publicJwk.kid})`,
        }),
      ]);
    });

    it('says so when the export has no checkpoint', async () => {
      const { lines } = await logExport();
      const report = await verify(
        parse(lines)
          .filter((r) => r.kind === 'header' || r.kind === 'event')
          .map((r) => JSON.stringify(r)),
      );
      expect(report).toMatchObject({ ok: false, checkpoint: null, problems: [expect.objectContaining({ code: 'NO_CHECKPOINT' })] });
    });

    it('counts the events after the latest checkpoint as chained but not yet covered', async () => {
      const { lines } = await logExport({ uncovered: 2 });
      const report = await verify(lines);
      expect(report.ok).toBe(true);
      expect(report.notes).toContain('2 events are after checkpoint 1: chained, but not yet covered by a signed checkpoint');
      // Deleting an uncovered last event goes unnoticed: the limit of any checkpoint scheme, written in ADR 0012.
      expect((await verify(without(lines, (r) => isEvent(r, 'Consultation-B', 3)))).ok).toBe(true);
    });

    it("names a break in the export's own chain of checkpoints", async () => {
      const { lines } = await logExport({ checkpoints: 3 });
      const broken = parse(lines).map((r) => JSON.stringify(r.kind === 'checkpoint' && r.sequence === 2 ? { ...r, createdAt: '2026-04-01T12:00:00.001Z' } : r));
      const report = await verify(broken);
      expect(report.problems).toEqual([
        expect.objectContaining({ code: 'CHECKPOINT_CHAIN', message: expect.stringContaining('checkpoint 3 names previous digest') }),
      ]);
    });
  });

  describe('against an earlier checkpoint kept by a third party', () => {
    it('says the export extends it', async () => {
      const { lines, checkpoints } = await logExport({ checkpoints: 4 });
      const report = await verify(lines, { earlier: checkpoints[0] });
      expect(report).toMatchObject({ ok: true, earlier: { sequence: 1, extended: true } });
      expect(formatReport(report)).toContain('ok   extends the earlier checkpoint 1');
    });

    it('names a history that no longer extends it, however consistently it was rewritten and re-signed', async () => {
      const { log, lines, checkpoints } = await logExport({ checkpoints: 2 });
      const earlier = checkpoints[0];
      // An insider with the platform key rewrites the past and signs a fresh chain of checkpoints.
      const rewritten = rewriteStream(lines, 'Proposal-A', 0, (r) => ({ ...r, data: { ...r.data, text: '書き換え' } }));
      const events = parse(rewritten).filter((r) => r.kind === 'event');
      const headsAt = (upTo: bigint) =>
        STREAMS.map((s) => events.filter((e) => e.streamName === s && BigInt(`0x${e.position.split('.')[1]}`) <= upTo).at(-1)!).map((e) => ({
          streamName: e.streamName,
          revision: BigInt(e.revision),
          hash: e.hash,
        }));
      const first = signCheckpoint(
        buildCheckpoint({ previous: null, position: log.events[5].position, createdAt: new Date(), heads: headsAt(6n), keyId: platform.signingKey.kid }).body,
        platform.signingKey,
      );
      const second = signCheckpoint(
        buildCheckpoint({ previous: first, position: log.head, createdAt: new Date(), heads: headsAt(12n), keyId: platform.signingKey.kid }).body,
        platform.signingKey,
      );
      const forged = parse(rewritten)
        .filter((r) => r.kind === 'header' || r.kind === 'event')
        .concat([
          { kind: 'checkpoint', ...first },
          { kind: 'checkpoint', ...second },
          { kind: 'key', ...platform.publicJwk },
        ])
        .map((r) => JSON.stringify(r));
      expect((await verify(forged)).ok).toBe(true); // on its own it is a perfect log…
      const report = await verify(forged, { earlier, trustedKeys: [platform.publicJwk] }); // …but not the one checkpoint 1 signed
      expect(report.earlier).toEqual({ sequence: 1, extended: false });
      expect(report.problems.map((p) => p.code)).toEqual(['NOT_EXTENDING', 'EARLIER_ROOT_MISMATCH']);
      expect(report.problems[0].message).toMatch(
        /^checkpoint 2 names previous digest \w+, but checkpoint 1 has digest \w+: the later checkpoint does not extend the earlier one$/,
      );
      expect(report.problems[1].message).toContain("stream heads at checkpoint 1's position");
      expect(formatReport(report)).toContain('FAIL extends the earlier checkpoint 1');
    });

    it('needs the checkpoints between the two', async () => {
      const { lines, checkpoints } = await logExport({ checkpoints: 3 });
      const onlyLatest = parse(lines)
        .filter((r) => r.kind !== 'checkpoint' || r.sequence === 3)
        .map((r) => JSON.stringify(r));
      const report = await verify(onlyLatest, { earlier: checkpoints[0] });
      expect(report.problems).toEqual([
        expect.objectContaining({ about: 'earlier', code: 'MISSING_CHECKPOINT', message: expect.stringContaining('checkpoint 2 is not given') }),
      ]);
    });

    it('names an earlier checkpoint that was not signed by the platform', async () => {
      const { lines, checkpoints } = await logExport({ checkpoints: 2 });
      const report = await verify(lines, { earlier: { ...checkpoints[0], createdAt: '2020-01-01T00:00:00.000Z' } });
      expect(report.problems.map((p) => p.code)).toEqual(['BAD_SIGNATURE', 'NOT_EXTENDING']);
      expect(report.problems[0].message).toMatch(/^the earlier checkpoint: checkpoint 1: the signature does not verify/);
    });
  });
});

describe('verifying a one-stream export', () => {
  async function streamExport(stream = 'Consultation-B', options: { proof?: boolean; uncovered?: number } = {}) {
    const log = new TestLog().fill(STREAMS, 4);
    const upTo = log.events[log.events.length - 1 - (options.uncovered ?? 0)].position;
    const { checkpoint, tree } = await checkpointOf(log.events, platform.signingKey, null, upTo);
    const lines = await exportLines({
      scope: { kind: 'stream', streamName: stream },
      events: log.stream(stream),
      checkpoints: [checkpoint],
      streamProof: options.proof === false ? undefined : tree.proofFor(stream),
      keys: [platform.publicJwk],
    });
    return { log, checkpoint, lines };
  }

  it('says OK and that the stream head is in the signed root', async () => {
    const { lines } = await streamExport();
    const report = await verify(lines, { trustedKeys: [platform.publicJwk] });
    expect(report).toMatchObject({ ok: true, eventCount: 4, streamCount: 1, problems: [], notes: [] });
    expect(formatReport(report)[0]).toBe('Kyogi export of stream Consultation-B, exported 2026-04-02T00:00:00.000Z: 4 events in 1 streams');
  });

  it('names two events whose revisions were swapped in the store (read back in revision order) as reordered', async () => {
    const { lines } = await streamExport();
    const swapped = editEvents(
      lines,
      (r) => isEvent(r, 'Consultation-B', 1) || isEvent(r, 'Consultation-B', 2),
      (r) => ({ ...r, revision: r.revision === '1' ? '2' : '1' }),
    );
    const [a, b] = [2, 3].map((i) => swapped[i]);
    const byRevision = [swapped[0], swapped[1], b, a, ...swapped.slice(4)];
    const report = await verify(byRevision);
    expect(report.firstMismatch).toMatchObject({ reason: 'reordered', streamName: 'Consultation-B', revision: 1n, line: 3 });
    expect(report.firstMismatch!.message).toContain('reordered — it links to the event that comes after it (line 4, revision 2');
  });

  it('catches a deleted last event through the stream proof', async () => {
    const { lines } = await streamExport();
    const report = await verify(without(lines, (r) => isEvent(r, 'Consultation-B', 3)));
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'HEAD_MISMATCH', message: expect.stringContaining('but the export ends it at revision 2 (missing revision 3)') }),
    ]);
  });

  it('names a missing or damaged stream proof', async () => {
    expect((await verify((await streamExport('Consultation-B', { proof: false })).lines)).problems).toEqual([
      expect.objectContaining({ code: 'STREAM_PROOF' }),
    ]);
    const { lines } = await streamExport();
    const damaged = parse(lines).map((r) => JSON.stringify(r.kind === 'stream-proof' ? { ...r, leafIndex: (r.leafIndex + 1) % 3 } : r));
    expect((await verify(damaged)).problems).toEqual([
      expect.objectContaining({ code: 'STREAM_PROOF', message: expect.stringContaining('does not lead to checkpoint 1') }),
    ]);
  });

  it('checks only the chain of checkpoints against an earlier one, and says so', async () => {
    const { lines, checkpoint } = await streamExport();
    const report = await verify(lines, { earlier: checkpoint });
    expect(report.ok).toBe(true);
    expect(report.notes).toContain("against checkpoint 1 only the chain of checkpoints was checked: a stream export cannot rebuild the other streams' heads");
  });
});

describe('verifying events straight from a store', () => {
  it('returns null for intact chains and names the first broken event by its place in the order', async () => {
    const log = new TestLog().fill(STREAMS, 3);
    expect(await verifyEvents(() => log.events, { kind: 'log' })).toBeNull();
    const tampered = log.events.map((e) => (e.streamName === 'Proposal-A' && e.revision === 2n ? { ...e, data: { changed: true } } : e));
    const mismatch = await verifyEvents(() => tampered, { kind: 'log' });
    expect(mismatch).toMatchObject({ reason: 'content-changed', streamName: 'Proposal-A', revision: 2n, line: 7 });
    expect(mismatch!.message).toContain('(event 7)');
    expect(await verifyEvents(() => log.stream('Spec-juminkiroku'), { kind: 'stream', streamName: 'Spec-juminkiroku' })).toBeNull();
  });
});
