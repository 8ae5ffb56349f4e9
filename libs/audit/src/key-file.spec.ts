import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCheckpointKey } from './key-file';
import { generateCheckpointKey, signingKeyToPem } from './keys';

const dir = () => mkdtempSync(path.join(tmpdir(), 'kyogi-ckpt-key-'));

describe('the checkpoint key file', () => {
  it('is created once with mode 0600 and read back as the same key', async () => {
    const file = path.join(dir(), 'keys', 'checkpoint.pem');
    const [a, b] = await Promise.all([loadCheckpointKey(file, { create: true }), loadCheckpointKey(file, { create: true })]);
    expect(a.kid).toBe(b.kid);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await loadCheckpointKey(file, { create: false })).kid).toBe(a.kid);
    expect(readFileSync(file, 'utf8')).toContain('BEGIN PRIVATE KEY');
  });

  it('uses a provisioned key as it is', async () => {
    const file = path.join(dir(), 'provisioned.pem');
    const { signingKey } = generateCheckpointKey();
    writeFileSync(file, signingKeyToPem(signingKey));
    expect((await loadCheckpointKey(file, { create: false })).kid).toBe(signingKey.kid);
  });

  it('is never generated where it must be provisioned, and a file that is not an Ed25519 key is refused by name', async () => {
    const missing = path.join(dir(), 'missing.pem');
    await expect(loadCheckpointKey(missing, { create: false })).rejects.toThrow(/no checkpoint signing key at .*missing\.pem.*CHECKPOINT_KEY_FILE/);
    const junk = path.join(dir(), 'junk.pem');
    writeFileSync(junk, 'not a key');
    await expect(loadCheckpointKey(junk, { create: true })).rejects.toThrow(/junk\.pem does not hold an Ed25519 private key/);
  });
});
