/**
 * Signed checkpoints and verification from the outside: the built app with the demo seed. The
 * public keys are at the well-known URL; a national admin signs a checkpoint; the whole log
 * verifies in the app and — downloaded as JSON Lines — with the offline verify CLI, also
 * against the earlier checkpoint kept aside; the CSV opens in Excel (BOM, Japanese names). Then
 * an event is altered in PostgreSQL behind the app's back: the app and the CLI both name it.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gqlData, makeDataDir, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(180_000);

const ADMIN = 'admin@digital.example.jp';
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp';
const CLI = path.resolve(__dirname, '../../dist/apps/verify/src/main.js');
let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
let dir: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'audit');
  dir = makeDataDir('audit');
  app = await startApp({ databaseUrl: database.url, dataDir: dir, seedDemo: true });
  for (const email of [ADMIN, SAPPORO_STAFF]) tokens[email] = await demoLogin(app.url, email);
});

afterAll(async () => {
  await stopAllApps();
  await database?.drop();
});

const CHECKPOINT = 'sequence position createdAt streamCount merkleRoot previousDigest digest keyId signature json';
const VERIFICATION = `ok eventCount streamCount firstMismatch { streamName revision position reason message } checkpoint { sequence } problems { about code message } notes`;

async function download(format: string, token = tokens[ADMIN], entity = ''): Promise<{ status: number; bytes: Buffer; text: string; type: string | null }> {
  const response = await fetch(`${app.url}/audit/export?format=${format}${entity}`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, bytes, text: bytes.toString('utf8'), type: response.headers.get('content-type') };
}

function verifyCli(...args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [CLI, ...args], (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout })),
  );
}

let first: { sequence: number; json: string; keyId: string; digest: string };

describe('signed checkpoints and verification', () => {
  it('publishes the checkpoint key at the well-known URL, without sign-in', async () => {
    const response = await fetch(`${app.url}/.well-known/kyogi-checkpoint-keys.json`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: { kid: string; kty: string; crv: string; x: string; retiredAt?: string }[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(keys[0].retiredAt).toBeUndefined();
  });

  it('signs a checkpoint on demand for a national admin only', async () => {
    const mutation = `mutation { createAuditCheckpoint { checkpoint { ${CHECKPOINT} } errors { code message } } }`;
    expect((await gqlData(app.url, mutation, {}, tokens[SAPPORO_STAFF])).createAuditCheckpoint.errors.map((e: any) => e.code)).toEqual(['FORBIDDEN']);
    const { createAuditCheckpoint } = await gqlData(app.url, mutation, {}, tokens[ADMIN]);
    expect(createAuditCheckpoint.errors).toEqual([]);
    first = createAuditCheckpoint.checkpoint;
    expect(first).toMatchObject({ sequence: 1, previousDigest: null });
    expect(createAuditCheckpoint.checkpoint.streamCount).toBeGreaterThan(1788); // every organisation, the spec, the seed marker
    const { auditKeys } = await gqlData(app.url, '{ auditKeys { kid retiredAt } }', {}, tokens[SAPPORO_STAFF]);
    expect(auditKeys).toEqual([{ kid: first.keyId, retiredAt: null }]);
  });

  it('verifies the whole log in the app, and a downloaded export with the offline CLI, also against the checkpoint kept aside', async () => {
    // Something new after the first checkpoint, then a second checkpoint that must extend the first.
    const drafted = await gqlData(
      app.url,
      'mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id } errors { code } } }',
      {
        input: {
          commandId: randomUUID(),
          specId: 'juminkiroku',
          specVersion: '4.0',
          title: '監査のための修文案',
          changes: [{ kind: 'MODIFY', requirementId: '2.1.3', after: '旧氏の記載の有無を選択できること。', reason: '選択制とするため' }],
        },
      },
      tokens[ADMIN],
    );
    expect(drafted.draftProposal.errors).toEqual([]);
    const second = (await gqlData(app.url, `mutation { createAuditCheckpoint { checkpoint { ${CHECKPOINT} } } }`, {}, tokens[ADMIN])).createAuditCheckpoint
      .checkpoint;
    expect(second.sequence).toBe(2);
    expect(second.previousDigest).toBe(first.digest);

    const started = Date.now();
    const { verifyAuditLog } = await gqlData(app.url, `{ verifyAuditLog { ${VERIFICATION} } }`, {}, tokens[SAPPORO_STAFF]);
    console.info(
      `[e2e figures] audit: verifyAuditLog checked ${verifyAuditLog.eventCount} events in ${verifyAuditLog.streamCount} streams in ${Date.now() - started} ms`,
    );
    expect(verifyAuditLog).toMatchObject({ ok: true, firstMismatch: null, checkpoint: { sequence: 2 }, problems: [] });

    expect((await download('jsonl', tokens[SAPPORO_STAFF])).status).toBe(403);
    const exported = await download('jsonl');
    expect(exported.status).toBe(200);
    expect(exported.type).toContain('application/x-ndjson');
    const file = path.join(dir, 'log.jsonl');
    writeFileSync(file, exported.text);
    const kept = path.join(dir, 'checkpoint-1.json');
    writeFileSync(kept, first.json);
    const keys = path.join(dir, 'keys.json');
    writeFileSync(keys, await (await fetch(`${app.url}/.well-known/kyogi-checkpoint-keys.json`)).text());
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    const cli = await verifyCli(file, '--checkpoint', kept, '--key', keys);
    expect(cli.stdout).toContain('OK: everything matches');
    expect(cli.stdout).toMatch(/extends the earlier checkpoint 1/);
    expect(cli.code).toBe(0);

    // One entity's history: the draft proposal, for its author organisation only; verified offline with the proof of its head.
    const proposalId = drafted.draftProposal.proposal.id;
    expect((await download('jsonl', tokens[SAPPORO_STAFF], `&entity=PROPOSAL&id=${proposalId}`)).status).toBe(404);
    const history = await download('jsonl', tokens[ADMIN], `&entity=PROPOSAL&id=${proposalId}`);
    expect(history.status).toBe(200);
    const historyFile = path.join(dir, 'proposal.jsonl');
    writeFileSync(historyFile, history.text);
    const historyCli = await verifyCli(historyFile, '--key', keys);
    expect(historyCli.stdout).toContain('OK: everything matches');
    expect(historyCli.code).toBe(0);
    // 檜原村's history holds its members' names and e-mails: whole for a national admin, refused to 札幌市's staff.
    expect((await download('jsonl', tokens[ADMIN], '&entity=ORGANISATION&id=133078')).status).toBe(200);
    const withheld = await download('jsonl', tokens[SAPPORO_STAFF], '&entity=ORGANISATION&id=133078');
    expect(withheld.status).toBe(403);
    expect(JSON.parse(withheld.text)).toMatchObject({ code: 'WITHHELD_ENTRIES' });

    const csv = await download('csv');
    expect(csv.type).toContain('text/csv');
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs for UTF-8
    expect(csv.text).toContain('デジタル庁 (digital-agency)');
  });

  it('names an event altered in the database behind the app’s back, in the app and in the CLI', async () => {
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ stream_name: string; stream_revision: string }>(
        `UPDATE event_store.events SET data = jsonb_set(data, '{name}', '"改ざんされた村"')
          WHERE stream_name = 'Organisation-133078' AND stream_revision = 0 RETURNING stream_name, stream_revision`,
      );
      expect(rows).toEqual([{ stream_name: 'Organisation-133078', stream_revision: '0' }]);
    } finally {
      await db.end();
    }
    const { verifyAuditLog } = await gqlData(app.url, `{ verifyAuditLog { ${VERIFICATION} } }`, {}, tokens[ADMIN]);
    expect(verifyAuditLog.ok).toBe(false);
    expect(verifyAuditLog.firstMismatch).toMatchObject({ streamName: 'Organisation-133078', revision: '0', reason: 'content-changed' });

    const file = path.join(dir, 'tampered.jsonl');
    writeFileSync(file, (await download('jsonl')).text);
    const cli = await verifyCli(file);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/MISMATCH.*Organisation-133078/);
  });

  it('marks the audit failed once a verification found the mismatch, and signs no checkpoint over it', async () => {
    const STATUS = '{ auditStatus { ok failedSince finding { reason streamName revision position message } latestCheckpoint { sequence } } }';
    const { auditStatus } = await gqlData(app.url, STATUS, {}, tokens[SAPPORO_STAFF]);
    expect(auditStatus).toMatchObject({ ok: false, finding: { reason: 'content-changed', streamName: 'Organisation-133078', revision: '0' } });
    expect(new Date(auditStatus.failedSince).getTime()).toBeLessThanOrEqual(Date.now());
    const { createAuditCheckpoint } = await gqlData(
      app.url,
      'mutation { createAuditCheckpoint { checkpoint { sequence } errors { code message } } }',
      {},
      tokens[ADMIN],
    );
    expect(createAuditCheckpoint.checkpoint).toBeNull();
    expect(createAuditCheckpoint.errors).toEqual([{ code: 'AUDIT_FAILED', message: expect.stringContaining('Organisation-133078') }]);
    // Still failed, and no checkpoint was added.
    const after = (await gqlData(app.url, STATUS, {}, tokens[ADMIN])).auditStatus;
    expect(after).toMatchObject({ ok: false, latestCheckpoint: auditStatus.latestCheckpoint });
  });
});
