import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkpointKeySet, generateCheckpointKey } from '../../../libs/audit/src/keys';
import { checkpointOf, exportLines, TestLog } from '../../../libs/audit/src/testing/audit-fixtures';
import { runVerify } from './main';

const platform = generateCheckpointKey();
const intruder = generateCheckpointKey();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kyogi-verify-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function run(...argv: string[]): Promise<{ status: number; out: string[] }> {
  const out: string[] = [];
  const status = await runVerify(argv, (line) => out.push(line));
  return { status, out };
}

/** A log with two checkpoints; the export of it, and one made at the first checkpoint. */
async function fixture() {
  const log = new TestLog().fill(['Proposal-A', 'Consultation-B'], 3);
  const first = await checkpointOf(log.events, platform.signingKey, null, log.events[2].position);
  const second = await checkpointOf(log.events, platform.signingKey, first.checkpoint);
  const exported = await exportLines({
    scope: { kind: 'log' },
    events: log.events,
    checkpoints: [first.checkpoint, second.checkpoint],
    checkpointHeads: second.tree.heads,
    keys: [platform.publicJwk],
  });
  const earlierExport = await exportLines({
    scope: { kind: 'log' },
    events: log.events.slice(0, 3),
    checkpoints: [first.checkpoint],
    keys: [platform.publicJwk],
  });
  return { log, first: first.checkpoint, exported, earlierExport };
}

describe('verify <export-file> [--checkpoint <file>] [--key <file>]', () => {
  it('exits 0 and says OK when everything matches', async () => {
    const { exported } = await fixture();
    const { status, out } = await run(file('ok.jsonl', exported.join('\n') + '\n'));
    expect(status).toBe(0);
    expect(out[0]).toMatch(/^Kyogi export of the whole log, exported .*: 6 events in 2 streams$/);
    expect(out.at(-1)).toBe('OK: everything matches');
  });

  it('exits 1 and names the first event that no longer matches', async () => {
    const { exported } = await fixture();
    const tampered = exported.map((l, i) => (i === 4 ? l.replace('住民記録', '改ざん') : l));
    const { status, out } = await run(file('tampered.jsonl', tampered.join('\n')));
    expect(status).toBe(1);
    expect(out).toContainEqual(expect.stringMatching(/^MISMATCH Consultation-B revision 1 at position \S+ \(line 5\): content changed — /));
    expect(out.at(-1)).toBe('FAILED: 1 mismatch');
  });

  it('checks that the export extends a checkpoint kept earlier: as checkpoint JSON or as the earlier export', async () => {
    const { exported, first, earlierExport } = await fixture();
    const exportFile = file('later.jsonl', exported.join('\n'));
    const asJson = await run(exportFile, '--checkpoint', file('cp1.json', JSON.stringify(first, null, 2)));
    expect(asJson.status).toBe(0);
    expect(asJson.out).toContain('ok   extends the earlier checkpoint 1');
    expect((await run(exportFile, '--checkpoint', file('earlier.jsonl', earlierExport.join('\r\n')))).status).toBe(0);
    const other = await checkpointOf(new TestLog().fill(['Other-1'], 1).events, platform.signingKey, null);
    const notExtending = await run(exportFile, '--checkpoint', file('other.json', JSON.stringify(other.checkpoint)));
    expect(notExtending.status).toBe(1);
    expect(notExtending.out).toContainEqual(expect.stringMatching(/^MISMATCH NOT_EXTENDING: checkpoint 2 names previous digest/));
  });

  it('trusts only the keys given with --key (the well-known key set)', async () => {
    const { exported } = await fixture();
    const exportFile = file('keys.jsonl', exported.join('\n'));
    expect((await run(exportFile, '--key', file('platform.json', JSON.stringify(checkpointKeySet([platform.publicJwk]))))).status).toBe(0);
    const wrong = await run(exportFile, '--key', file('intruder.json', JSON.stringify(intruder.publicJwk)));
    expect(wrong.status).toBe(1);
    expect(wrong.out).toContainEqual(expect.stringMatching(/^MISMATCH UNKNOWN_KEY: checkpoint 2 is signed with key/));
  });

  it.each([
    ['no export file', [], 'verify: name the export file to verify'],
    ['two export files', ['a', 'b'], 'verify: verify one export file at a time'],
    ['an unknown option', ['x.jsonl', '--fast'], "verify: Unknown option '--fast'"],
    ['a missing file', ['/nonexistent/export.jsonl'], 'verify: cannot read the export file /nonexistent/export.jsonl: ENOENT'],
  ])('exits 2 on usage errors: %s', async (_what, argv, message) => {
    const { status, out } = await run(...argv);
    expect(status).toBe(2);
    expect(out[0]).toContain(message);
  });

  it('exits 2 when a file is not a readable export, checkpoint or key', async () => {
    const { exported } = await fixture();
    const exportFile = file('fine.jsonl', exported.join('\n'));
    const broken = await run(file('broken.jsonl', `${exported[0]}\n{"kind":"event"`));
    expect(broken).toEqual({ status: 2, out: ['verify: not a readable Kyogi export: line 2: not JSON'] });
    expect((await run(exportFile, '--checkpoint', file('nonsense.json', '{"format":"x"}'))).status).toBe(2);
    const badKey = await run(exportFile, '--key', file('bad-key.txt', 'hello'));
    expect(badKey.status).toBe(2);
    expect(badKey.out[0]).toContain('not a JWK, a JWK set or a PEM public key');
  });

  it('prints its usage with --help', async () => {
    const { status, out } = await run('--help');
    expect(status).toBe(0);
    expect(out[0]).toMatch(/^usage: verify <export-file> \[--checkpoint <earlier-checkpoint-file>\]/);
  });
});
