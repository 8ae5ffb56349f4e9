import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventHash } from '@kyogi/event-store/hash-chain';
import { formatPosition, type EventToAppend, type Position } from '@kyogi/event-store/port';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { createTestDatabase, embeddedServerUrl } from '../../../test/support/databases';
import { buildCheckpoint, signCheckpoint, streamHeadsAt, type SignedCheckpoint } from './checkpoint';
import { writeEventsCsv, writeExport, type ExportScope } from './export-format';
import { generateCheckpointKey } from './keys';
import type { StreamHead, StreamHeadTree } from './merkle';
import { allEvents, streamEvents } from './store-events';
import { verifyExport, type VerifyOptions } from './verify';

/**
 * Tampering on a real PostgreSQL event store: events appended through the adapter, then changed
 * behind its back with SQL on event_store.events — as someone with database access would — and
 * every change found and named by the verifier, from an export alone.
 */

const PROPOSAL = 'Proposal-01JQ8Z3K6X';
const CONSULTATION = 'Consultation-01JQ8Z4M2C';
const SPEC = 'Spec-juminkiroku';
const platform = generateCheckpointKey();
const intruder = generateCheckpointKey();
const CLI = path.resolve(__dirname, '../../../dist/apps/verify/src/main.js');

function anEvent(type: string, data: Record<string, unknown>, organisationId = '011002'): EventToAppend {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      actor: { personId: `staff-${organisationId}`, organisationId, roles: ['member', 'approver'] },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: new Date(Date.UTC(2026, 5, 30, 3, 0, 0)).toISOString(),
      schemaVersion: 1,
    },
  };
}

interface Fixture {
  store: PostgresEventStore;
  drop(): Promise<void>;
  /** The checkpoints the platform signed, with the heads it stored beside each. */
  checkpoints: { checkpoint: SignedCheckpoint; tree: StreamHeadTree }[];
}

async function checkpointNow(fx: Fixture, at?: Position): Promise<void> {
  const position = at ?? (await fx.store.headPosition());
  const previous = fx.checkpoints[fx.checkpoints.length - 1]?.checkpoint ?? null;
  const heads = await streamHeadsAt(allEvents(fx.store, { upTo: position }));
  const { body, tree } = buildCheckpoint({ previous, position, createdAt: new Date(), heads, keyId: platform.signingKey.kid });
  fx.checkpoints.push({ checkpoint: signCheckpoint(body, platform.signingKey), tree });
}

async function exportOf(
  fx: Fixture,
  scope: ExportScope = { kind: 'log' },
  override: { checkpoints?: SignedCheckpoint[]; heads?: readonly StreamHead[] } = {},
): Promise<string[]> {
  const latest = fx.checkpoints[fx.checkpoints.length - 1];
  const lines: string[] = [];
  for await (const line of writeExport({
    scope,
    exportedAt: new Date(),
    events: scope.kind === 'log' ? allEvents(fx.store, { pageSize: 4 }) : streamEvents(fx.store, scope.streamName, { pageSize: 3 }),
    checkpoints: override.checkpoints ?? fx.checkpoints.map((c) => c.checkpoint),
    checkpointHeads: scope.kind === 'log' ? (override.heads ?? latest.tree.heads) : undefined,
    streamProof: scope.kind === 'stream' ? latest.tree.proofFor(scope.streamName) : undefined,
    keys: [platform.publicJwk],
  })) {
    lines.push(line.trimEnd());
  }
  return lines;
}

const verify = (lines: string[], options: VerifyOptions = {}) => verifyExport(() => lines, { trustedKeys: [platform.publicJwk], ...options });

async function positionOf(fx: Fixture, stream: string, revision: bigint): Promise<string> {
  const [event] = await fx.store.readStream(stream, { fromRevision: revision, maxCount: 1 });
  return formatPosition(event.position);
}

describe('tampering with the PostgreSQL event store is detected and named', () => {
  let fx: Fixture;

  beforeEach(async () => {
    const db = await createTestDatabase(embeddedServerUrl(), 'audit');
    const store = await PostgresEventStore.connect({ connectionString: db.url });
    fx = {
      store,
      checkpoints: [],
      drop: async () => {
        await store.close();
        await db.drop();
      },
    };
    // Interleaved appends, one transaction each, and one transaction with two events.
    await store.appendToStream(SPEC, [anEvent('SpecCreated', { title: '住民記録システム標準仕様書' }, '000001')], 'no_stream');
    await store.appendToStream(PROPOSAL, [anEvent('ProposalDrafted', { text: '修正前の文', proposed: '修文案' })], 'no_stream');
    await store.appendToStream(CONSULTATION, [anEvent('ConsultationOpened', { proposalId: PROPOSAL })], 'no_stream');
    await store.appendToStream(PROPOSAL, [anEvent('ProposalSubmitted', {})], 0n);
    await store.appendToStream(
      CONSULTATION,
      [anEvent('StanceCast', { stance: 'approve' }, '012025'), anEvent('StanceCast', { stance: 'object', reason: '費用負担' }, '012033')],
      0n,
    );
    await checkpointNow(fx);
    await store.appendToStream(SPEC, [anEvent('SpecVersionPublished', { version: '4.1' }, '000001')], 0n);
    await store.appendToStream(PROPOSAL, [anEvent('ProposalRevised', { proposed: '修文案 第2版' })], 1n);
    await store.appendToStream(CONSULTATION, [anEvent('ConsultationClosed', { outcome: 'approved' }, '000001')], 2n);
    await store.appendToStream(PROPOSAL, [anEvent('ProposalAccepted', {}, '000001')], 2n);
    await checkpointNow(fx);
  });

  afterEach(async () => {
    await fx.drop();
  });

  it('round trip: an untouched log exports and verifies, whole and stream by stream, also against the earlier checkpoint', async () => {
    const lines = await exportOf(fx);
    expect(lines).toHaveLength(1 + 10 + 3 + 2 + 1);
    const report = await verify(lines, { earlier: fx.checkpoints[0].checkpoint });
    expect(report).toMatchObject({ ok: true, eventCount: 10, streamCount: 3, firstMismatch: null, problems: [], earlier: { sequence: 1, extended: true } });
    expect(report.checkpoint).toMatchObject({ sequence: 2, streamCount: 3, position: formatPosition(await fx.store.headPosition()) });
    for (const stream of [PROPOSAL, CONSULTATION, SPEC]) {
      expect(await verify(await exportOf(fx, { kind: 'stream', streamName: stream }))).toMatchObject({ ok: true, problems: [] });
    }
    // Later events are chained but not covered until the next checkpoint.
    await fx.store.appendToStream(SPEC, [anEvent('SpecVersionPublished', { version: '4.2' }, '000001')], 1n);
    const later = await verify(await exportOf(fx));
    expect(later.ok).toBe(true);
    expect(later.notes).toContain('1 event is after checkpoint 2: chained, but not yet covered by a signed checkpoint');
  });

  it('the CSV for people has every event, Japanese intact', async () => {
    let csv = '';
    for await (const chunk of writeEventsCsv(allEvents(fx.store), { organisationName: (id) => ({ '011002': '札幌市' })[id] })) csv += chunk;
    const rows = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows).toHaveLength(11);
    expect(rows[2]).toMatch(new RegExp(`^2026-06-30T03:00:00.000Z,${PROPOSAL},0,ProposalDrafted,staff-011002,札幌市 \\(011002\\),[0-9a-f]{64}$`));
  });

  it('an event whose data was changed', async () => {
    await fx.store.pool.query(`UPDATE event_store.events SET data = jsonb_set(data, '{stance}', '"block"') WHERE stream_name = $1 AND stream_revision = 1`, [
      CONSULTATION,
    ]);
    const lines = await exportOf(fx);
    const report = await verify(lines);
    const position = await positionOf(fx, CONSULTATION, 1n);
    expect(report.firstMismatch).toMatchObject({ reason: 'content-changed', streamName: CONSULTATION, revision: 1n, position });
    expect(report.firstMismatch!.message).toMatch(
      new RegExp(`^${CONSULTATION} revision 1 at position ${position.replace('.', '\\.')} \\(line \\d+\\): content changed — `),
    );
    expect((await verify(await exportOf(fx, { kind: 'stream', streamName: CONSULTATION }))).firstMismatch).toMatchObject({
      reason: 'content-changed',
      revision: 1n,
      position,
    });
  });

  it('two events whose order (revisions) was swapped', async () => {
    const client = await fx.store.pool.connect();
    try {
      await client.query('BEGIN');
      const swap = (from: number, to: number) =>
        client.query('UPDATE event_store.events SET stream_revision = $3 WHERE stream_name = $1 AND stream_revision = $2', [PROPOSAL, from, to]);
      await swap(1, -1);
      await swap(2, 1);
      await swap(-1, 2);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const inLog = await verify(await exportOf(fx));
    expect(inLog.firstMismatch).toMatchObject({ reason: 'reordered', streamName: PROPOSAL, revision: 2n }); // the old revision 1, now claiming 2, comes first
    expect(inLog.firstMismatch!.message).toMatch(/reordered — it comes before revision 1 \(line \d+, position/);
    const inStream = await verify(await exportOf(fx, { kind: 'stream', streamName: PROPOSAL }));
    expect(inStream.firstMismatch).toMatchObject({ reason: 'reordered', streamName: PROPOSAL, revision: 1n }); // the old revision 2, read first now
    expect(inStream.firstMismatch!.message).toContain('reordered — it links to the event that comes after it (line 4, revision 2');
  });

  it('a deleted event: the next one names the missing revision', async () => {
    await fx.store.pool.query('DELETE FROM event_store.events WHERE stream_name = $1 AND stream_revision = 1', [PROPOSAL]);
    const report = await verify(await exportOf(fx));
    expect(report.firstMismatch).toMatchObject({
      reason: 'missing-revision',
      streamName: PROPOSAL,
      revision: 2n,
      position: await positionOf(fx, PROPOSAL, 2n),
    });
    expect(report.firstMismatch!.message).toContain('missing revision — revision 1 is not there (the stream goes from revision 0 to 2)');
  });

  it('a deleted last event: the checkpoint names it', async () => {
    await fx.store.pool.query('DELETE FROM event_store.events WHERE stream_name = $1 AND stream_revision = 3', [CONSULTATION]);
    const report = await verify(await exportOf(fx));
    expect(report.firstMismatch).toBeNull();
    expect(report.problems).toEqual([
      {
        about: 'checkpoint',
        code: 'HEAD_MISMATCH',
        message: `${CONSULTATION}: checkpoint 2 holds it up to revision 3, but the export ends it at revision 2 (missing revision 3)`,
      },
    ]);
    const stream = await verify(await exportOf(fx, { kind: 'stream', streamName: CONSULTATION }));
    expect(stream.problems).toEqual([expect.objectContaining({ code: 'HEAD_MISMATCH', message: expect.stringContaining('(missing revision 3)') })]);
  });

  it('a stream rewritten with recomputed hashes: chains intact, the checkpoints name it', async () => {
    const events = await fx.store.readStream(PROPOSAL);
    let previousHash: string | null = null;
    for (const event of events) {
      const data = event.revision === 0n ? { ...event.data, proposed: '書き換えた修文案' } : event.data;
      const hash = eventHash({ ...event, data, previousHash });
      await fx.store.pool.query('UPDATE event_store.events SET data = $3, hash = $4, previous_hash = $5 WHERE stream_name = $1 AND stream_revision = $2', [
        PROPOSAL,
        event.revision.toString(),
        JSON.stringify(data),
        hash,
        previousHash,
      ]);
      previousHash = hash;
    }
    const report = await verify(await exportOf(fx), { earlier: fx.checkpoints[0].checkpoint });
    expect(report.firstMismatch).toBeNull();
    expect(report.problems).toEqual([
      expect.objectContaining({
        about: 'checkpoint',
        code: 'HEAD_MISMATCH',
        message: expect.stringMatching(new RegExp(`^${PROPOSAL} revision 3: the export's hash \\w+… is not the hash \\w+… checkpoint 2 signed`)),
      }),
      expect.objectContaining({ about: 'earlier', code: 'EARLIER_ROOT_MISMATCH' }),
    ]);
  });

  describe('forged checkpoints', () => {
    it('a checkpoint with a wrong root', async () => {
      const lines = await exportOf(fx);
      const forged = lines.map((l) =>
        l.startsWith('{"kind":"checkpoint",') && l.includes('"sequence":2') ? l.replace(/"merkleRoot":"[0-9a-f]{64}"/, `"merkleRoot":"${'0'.repeat(64)}"`) : l,
      );
      const report = await verify(forged);
      expect(report.problems.map((p) => p.code)).toEqual(['BAD_SIGNATURE', 'ROOT_MISMATCH']);
      expect(report.problems[0].message).toBe(
        `checkpoint 2: the signature does not verify with key ${platform.publicJwk.kid} (the checkpoint was changed or not signed by it)`,
      );
    });

    it("a checkpoint signed with another key than the platform's", async () => {
      const previous = fx.checkpoints[0].checkpoint;
      const heads = await streamHeadsAt(allEvents(fx.store));
      const { body } = buildCheckpoint({ previous, position: await fx.store.headPosition(), createdAt: new Date(), heads, keyId: intruder.signingKey.kid });
      const forged = signCheckpoint(body, intruder.signingKey);
      const report = await verify(await exportOf(fx, { kind: 'log' }, { checkpoints: [previous, forged] }));
      expect(report.problems).toEqual([
        expect.objectContaining({ code: 'UNKNOWN_KEY', message: expect.stringContaining(`checkpoint 2 is signed with key ${intruder.publicJwk.kid}`) }),
      ]);
    });

    it('a checkpoint that does not extend the earlier one: history rewritten and re-signed from the database', async () => {
      const kept = fx.checkpoints[0].checkpoint; // what a third party kept
      await fx.store.pool.query(
        `UPDATE event_store.events SET data = jsonb_set(data, '{stance}', '"abstain"') WHERE stream_name = $1 AND stream_revision = 1`,
        [CONSULTATION],
      );
      // An insider with the signing key recomputes the chain of that stream and signs a fresh chain of checkpoints.
      let previousHash: string | null = null;
      for (const event of await fx.store.readStream(CONSULTATION)) {
        const hash = eventHash({ ...event, previousHash });
        await fx.store.pool.query('UPDATE event_store.events SET hash = $3, previous_hash = $4 WHERE stream_name = $1 AND stream_revision = $2', [
          CONSULTATION,
          event.revision.toString(),
          hash,
          previousHash,
        ]);
        previousHash = hash;
      }
      const positions = fx.checkpoints.map((c) => c.checkpoint.position);
      fx.checkpoints = [];
      for (const p of positions) {
        const [commit, prepare] = p.split('.').map((h) => BigInt(`0x${h}`));
        await checkpointNow(fx, { commit, prepare });
      }
      const lines = await exportOf(fx);
      expect((await verify(lines)).ok).toBe(true); // a perfect log on its own…
      const report = await verify(lines, { earlier: kept }); // …that is not the one checkpoint 1 signed
      expect(report.earlier).toEqual({ sequence: 1, extended: false });
      expect(report.problems.map((p) => p.code)).toEqual(['NOT_EXTENDING', 'EARLIER_ROOT_MISMATCH']);
      expect(report.problems[0].message).toMatch(
        /^checkpoint 2 names previous digest [0-9a-f]{64}, but checkpoint 1 has digest [0-9a-f]{64}: the later checkpoint does not extend the earlier one$/,
      );
    });
  });

  describe('the verify CLI on the built dist', () => {
    const built = existsSync(CLI);
    if (!built) console.info(`SKIPPED the verify CLI round trip: ${path.relative(process.cwd(), CLI)} does not exist (run npm run build first)`);
    const cli = built ? it : it.skip;
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'kyogi-verify-int-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const run = (...args: string[]) =>
      new Promise<{ status: number; stdout: string }>((resolve) => {
        execFile(process.execPath, [CLI, ...args], (error, stdout) => resolve({ status: error ? Number(error.code) : 0, stdout }));
      });

    cli('exits 0 on the untouched export and 1 on a tampered one, naming the event', async () => {
      const exportFile = path.join(dir, 'log.jsonl');
      const keptFile = path.join(dir, 'checkpoint-1.json');
      writeFileSync(exportFile, (await exportOf(fx)).join('\n') + '\n');
      writeFileSync(keptFile, JSON.stringify(fx.checkpoints[0].checkpoint));
      const ok = await run(exportFile, '--checkpoint', keptFile);
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain('OK: everything matches');

      await fx.store.pool.query(`UPDATE event_store.events SET data = '{"text":"改ざん"}' WHERE stream_name = $1 AND stream_revision = 0`, [SPEC]);
      writeFileSync(exportFile, (await exportOf(fx)).join('\n') + '\n');
      const tampered = await run(exportFile, '--checkpoint', keptFile);
      expect(tampered.status).toBe(1);
      expect(tampered.stdout).toContain(`MISMATCH ${SPEC} revision 0 at position ${await positionOf(fx, SPEC, 0n)}`);

      expect((await run(path.join(dir, 'missing.jsonl'))).status).toBe(2);
    });
  });
});
