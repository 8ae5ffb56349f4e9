import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CheckpointKeyError, generateCheckpointKey, signingKeyFromPem, signingKeyToPem, type CheckpointSigningKey } from './keys';

/**
 * The checkpoint signing key from its PEM file; when the file does not exist and `create` is
 * set, a new key is generated and written with mode 0600 — atomically, so two instances starting
 * on one DATA_DIR end up with the same key. In production the key is provisioned (a secret
 * mounted as a file), never generated: every instance must sign with the same key.
 */
export async function loadCheckpointKey(file: string, options: { readonly create: boolean }): Promise<CheckpointSigningKey> {
  const existing = await readKey(file);
  if (existing) return existing;
  if (!options.create) throw new CheckpointKeyError(`no checkpoint signing key at ${file} (set CHECKPOINT_KEY_FILE to a PKCS#8 Ed25519 PEM)`);
  const directory = path.dirname(file);
  await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  const aside = path.join(directory, `.${path.basename(file)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    await fs.writeFile(aside, signingKeyToPem(generateCheckpointKey().signingKey), { mode: 0o600, flag: 'wx' });
    await fs.link(aside, file); // EEXIST when another process got there first: use its key
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(aside, { force: true });
  }
  const written = await readKey(file);
  if (!written) throw new CheckpointKeyError(`the checkpoint signing key at ${file} vanished while it was created`);
  return written;
}

async function readKey(file: string): Promise<CheckpointSigningKey | null> {
  let pem: string;
  try {
    pem = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return signingKeyFromPem(pem);
  } catch (error) {
    throw new CheckpointKeyError(`${file} does not hold an Ed25519 private key (PKCS#8 PEM): ${(error as Error).message}`);
  }
}
