import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import type { EventMetadata } from '@kyogi/event-store/port';
import { checkpointDigest } from './checkpoint';
import { Client } from 'pg';
import { AUDIT_STREAM, AuditFailedError, CheckpointWriter } from './checkpoint-writer';
import { writeExport } from './export-format';
import { generateCheckpointKey } from './keys';
import { allEvents } from './store-events';
import { verifyExport } from './verify';
import { createTestDatabase, embeddedServerUrl } from '../../../test/support/databases';

jest.setTimeout(60_000);

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
const metadata: EventMetadata = {
  actor: { personId: 'p-1', organisationId: '011002', roles: ['member'] },
  correlationId: 'c',
  causationId: 'c',
  occurredAt: '2026-04-01T00:00:00.000Z',
  schemaVersion: 1,
};
let now = new Date('2026-04-01T00:00:00.000Z');
const clock = () => now;

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'ckptwriter');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
});

afterAll(async () => {
  await store?.close();
  await db?.drop();
});

async function record(stream: string, count: number): Promise<void> {
  const existing = await store.readStream(stream);
  await store.appendToStream(
    stream,
    Array.from({ length: count }, (_, i) => ({ id: randomUUID(), type: 'ThingHappened', data: { i, text: '協議' }, metadata })),
    existing.length ? existing[existing.length - 1].revision : 'no_stream',
  );
}

/** The whole log's export lines (an ExportLines source: a function giving the lines again each pass). */
async function exportOf(writer: CheckpointWriter): Promise<() => string[]> {
  const { checkpoints, keys } = await writer.state();
  const lines: string[] = [];
  for await (const line of writeExport({ scope: { kind: 'log' }, exportedAt: now, events: allEvents(store), checkpoints, keys })) lines.push(line);
  return () => lines;
}

describe('the checkpoint writer', () => {
  const first = generateCheckpointKey();
  const second = generateCheckpointKey();

  it('signs a checkpoint of the log, introducing its key in the audit stream; the export verifies', async () => {
    await record('Proposal-P1', 3);
    await record('Consultation-C1', 2);
    const writer = new CheckpointWriter({ store, key: first.signingKey, clock });
    const checkpoint = await writer.checkpoint();
    expect(checkpoint).toMatchObject({ sequence: 1, streamCount: 2, previousDigest: null, keyId: first.publicJwk.kid });
    expect((await store.readStream(AUDIT_STREAM)).map((e) => e.type)).toEqual(['CheckpointKeyIntroduced', 'CheckpointSigned']);
    expect(await writer.keys()).toEqual([first.publicJwk]);
    const report = await verifyExport(await exportOf(writer), { trustedKeys: [first.publicJwk] });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('chains the next checkpoint to the last, reads only what is new, and skips a periodic one when nothing else happened', async () => {
    const writer = new CheckpointWriter({ store, key: first.signingKey, clock });
    const { checkpoints } = await writer.state();
    expect(await writer.checkpoint({ onlyIfChanged: true })).toBeNull(); // only the audit stream's own events since
    await record('Proposal-P1', 1);
    now = new Date('2026-04-01T01:00:00.000Z');
    const next = await writer.checkpoint({ onlyIfChanged: true });
    expect(next).toMatchObject({ sequence: 2, previousDigest: checkpointDigest(checkpoints[0]), streamCount: 3 }); // + the audit stream itself
    const report = await verifyExport(await exportOf(writer), { trustedKeys: [first.publicJwk], earlier: checkpoints[0] });
    expect(report.ok).toBe(true);
    expect(report.earlier).toEqual({ sequence: 1, extended: true });
  });

  it('rotates keys: a new key is introduced and the old one retired in the same append; old checkpoints stay verifiable', async () => {
    now = new Date('2026-04-02T00:00:00.000Z');
    await record('Spec-juminkiroku', 1);
    const writer = new CheckpointWriter({ store, key: second.signingKey, clock });
    const checkpoint = await writer.checkpoint();
    expect(checkpoint).toMatchObject({ sequence: 3, keyId: second.publicJwk.kid });
    const audit = await store.readStream(AUDIT_STREAM);
    expect(audit.slice(-3).map((e) => e.type)).toEqual(['CheckpointKeyRetired', 'CheckpointKeyIntroduced', 'CheckpointSigned']);
    const keys = await writer.keys();
    expect(keys).toEqual([{ ...first.publicJwk, retiredAt: '2026-04-02T00:00:00.000Z' }, second.publicJwk]);
    const report = await verifyExport(await exportOf(writer), { trustedKeys: keys });
    expect(report.ok).toBe(true);
  });

  it('lets two writers race: both sign, in sequence, each extending the one before', async () => {
    await record('Proposal-P2', 1);
    const writers = [new CheckpointWriter({ store, key: second.signingKey, clock }), new CheckpointWriter({ store, key: second.signingKey, clock })];
    const signed = await Promise.all(writers.map((w) => w.checkpoint()));
    expect(signed.map((c) => c!.sequence).sort()).toEqual([4, 5]);
    const { checkpoints } = await writers[0].state();
    expect(checkpoints.map((c) => c.sequence)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < checkpoints.length; i++) expect(checkpoints[i].previousDigest).toBe(checkpointDigest(checkpoints[i - 1]));
    expect((await verifyExport(await exportOf(writers[0]), { trustedKeys: await writers[0].keys() })).ok).toBe(true);
  });

  describe('when an event recorded since the last checkpoint was changed behind its back', () => {
    async function sql(text: string, values: unknown[] = []): Promise<number> {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        return (await client.query(text, values)).rowCount ?? 0;
      } finally {
        await client.end();
      }
    }

    it('signs nothing, names the event, and marks the audit failed for every writer', async () => {
      const writer = new CheckpointWriter({ store, key: second.signingKey, clock });
      await writer.checkpoint(); // the writer now holds every head; what follows is new to it
      await record('Proposal-P3', 2);
      expect(
        await sql(`UPDATE event_store.events SET data = jsonb_set(data, '{text}', '"改ざん"') WHERE stream_name = 'Proposal-P3' AND stream_revision = 1`),
      ).toBe(1);
      const signedBefore = (await writer.state()).checkpoints.length;

      const refusal = writer.checkpoint();
      await expect(refusal).rejects.toBeInstanceOf(AuditFailedError);
      await expect(refusal).rejects.toMatchObject({ finding: { reason: 'content-changed', streamName: 'Proposal-P3', revision: '1' } });
      const state = await writer.state();
      expect(state.checkpoints).toHaveLength(signedBefore);
      expect(state.failure).toMatchObject({ finding: { reason: 'content-changed', streamName: 'Proposal-P3', revision: '1' }, foundAt: now.toISOString() });

      // Another instance's writer refuses too (the failure is in the audit stream), and finding it again records nothing more.
      const other = new CheckpointWriter({ store, key: second.signingKey, clock });
      await expect(other.checkpoint()).rejects.toMatchObject({ finding: { streamName: 'Proposal-P3' } });
      const auditEvents = (await store.readStream(AUDIT_STREAM)).map((e) => e.type);
      expect(auditEvents.filter((t) => t === 'AuditMismatchFound')).toHaveLength(1);
    });

    it('resumes signing once a full verification passes after the event is restored', async () => {
      const writer = new CheckpointWriter({ store, key: second.signingKey, clock });
      expect(
        await sql(`UPDATE event_store.events SET data = jsonb_set(data, '{text}', '"協議"') WHERE stream_name = 'Proposal-P3' AND stream_revision = 1`),
      ).toBe(1);
      // Restoring alone is not enough: the failure stands until a full verification says so.
      await expect(writer.checkpoint()).rejects.toBeInstanceOf(AuditFailedError);
      const report = await verifyExport(await exportOf(writer), { trustedKeys: await writer.keys() });
      expect(report.firstMismatch).toBeNull();
      await writer.recordVerification({ finding: null, eventCount: report.eventCount, upTo: await store.headPosition() });
      expect((await writer.state()).failure).toBeNull();
      const checkpoint = await writer.checkpoint();
      expect(checkpoint).not.toBeNull();
      expect((await verifyExport(await exportOf(writer), { trustedKeys: await writer.keys() })).ok).toBe(true);
      // A pass with nothing standing records nothing.
      const before = (await store.readStream(AUDIT_STREAM)).length;
      await writer.recordVerification({ finding: null, eventCount: report.eventCount, upTo: await store.headPosition() });
      expect(await store.readStream(AUDIT_STREAM)).toHaveLength(before);
    });
  });
});
