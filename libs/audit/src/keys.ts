import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * The platform's checkpoint signing keys: Ed25519 (RFC 8032), published as JWKs (RFC 8037)
 * whose `kid` is the key's RFC 7638 thumbprint, so anyone can check that a key id names that
 * key. The well-known document lists every key the platform ever signed with, retired ones
 * included (with `retiredAt`), so that old checkpoints stay verifiable.
 */

/** An Ed25519 public key as a JWK, with its thumbprint as `kid`. */
export interface CheckpointPublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  /** The 32-byte public key, base64url. */
  readonly x: string;
  /** RFC 7638 thumbprint (SHA-256, base64url). */
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly use: 'sig';
  /** ISO-8601 time after which the key signs nothing more (key rotation); absent while in use. */
  readonly retiredAt?: string;
}

/** The document served at the well-known URL: every checkpoint key, current and retired. */
export interface CheckpointKeySet {
  readonly keys: readonly CheckpointPublicJwk[];
}

/** Where the api publishes the key set (relative to its origin). */
export const CHECKPOINT_KEYS_WELL_KNOWN_PATH = '/.well-known/kyogi-checkpoint-keys.json';

export interface CheckpointSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

export class CheckpointKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointKeyError';
  }
}

const BASE64URL_32 = /^[A-Za-z0-9_-]{43}$/;

/** RFC 7638: SHA-256 over `{"crv":…,"kty":…,"x":…}` (required members, sorted, no spaces), base64url. */
export function jwkThumbprint(jwk: { readonly crv: string; readonly kty: string; readonly x: string }): string {
  const members = `{"crv":${JSON.stringify(jwk.crv)},"kty":${JSON.stringify(jwk.kty)},"x":${JSON.stringify(jwk.x)}}`;
  return createHash('sha256').update(members, 'utf8').digest('base64url');
}

function ed25519(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new CheckpointKeyError(`checkpoint keys are Ed25519, not ${key.asymmetricKeyType ?? key.type}`);
  return key;
}

/** The public JWK (with kid) of a public or private Ed25519 key, or of its PEM. */
export function publicJwkOf(key: KeyObject | string): CheckpointPublicJwk {
  const object = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  const { x } = ed25519(object).export({ format: 'jwk' });
  if (typeof x !== 'string') throw new CheckpointKeyError('the key has no public part');
  return { kty: 'OKP', crv: 'Ed25519', x, kid: jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x }), alg: 'EdDSA', use: 'sig' };
}

export function generateCheckpointKey(): { signingKey: CheckpointSigningKey; publicJwk: CheckpointPublicJwk } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicJwk = publicJwkOf(privateKey);
  return { signingKey: { kid: publicJwk.kid, privateKey }, publicJwk };
}

/** A signing key from its PKCS#8 PEM (as stored in DATA_DIR or a secret). */
export function signingKeyFromPem(pem: string): CheckpointSigningKey {
  const privateKey = ed25519(createPrivateKey(pem));
  return { kid: publicJwkOf(privateKey).kid, privateKey };
}

export function signingKeyToPem(key: CheckpointSigningKey): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** The Node key for a published JWK; refuses a JWK that is not Ed25519 or whose kid is not its thumbprint. */
export function publicKeyOfJwk(jwk: CheckpointPublicJwk): KeyObject {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || !BASE64URL_32.test(jwk.x)) {
    throw new CheckpointKeyError(`key ${String(jwk.kid)} is not an Ed25519 public key (kty OKP, crv Ed25519, x of 32 bytes)`);
  }
  if (jwk.kid !== jwkThumbprint(jwk)) throw new CheckpointKeyError(`key id ${String(jwk.kid)} is not the thumbprint of its key (${jwkThumbprint(jwk)})`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
}

/**
 * Reads public keys from what a person may hand the verifier: a JWK, a JWK set (the well-known
 * document), or a PEM public key. JWKs without `kid` get their thumbprint.
 */
export function parsePublicKeys(text: string): CheckpointPublicJwk[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    try {
      return [publicJwkOf(createPublicKey(trimmed))];
    } catch (error) {
      throw new CheckpointKeyError(`not an Ed25519 public key: ${(error as Error).message}`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    throw new CheckpointKeyError('not a JWK, a JWK set or a PEM public key');
  }
  const list = value && typeof value === 'object' && Array.isArray((value as { keys?: unknown }).keys) ? (value as { keys: unknown[] }).keys : [value];
  return list.map((item) => {
    if (!item || typeof item !== 'object') throw new CheckpointKeyError('a key in the set is not an object');
    const jwk = item as Partial<CheckpointPublicJwk>;
    const x = String(jwk.x);
    const normalised = {
      kty: jwk.kty,
      crv: jwk.crv,
      x,
      kid: jwk.kid ?? jwkThumbprint({ kty: String(jwk.kty), crv: String(jwk.crv), x }),
      alg: 'EdDSA',
      use: 'sig',
      ...(typeof jwk.retiredAt === 'string' ? { retiredAt: jwk.retiredAt } : {}),
    } as CheckpointPublicJwk;
    publicKeyOfJwk(normalised); // throws with the reason when it is not one
    return normalised;
  });
}

/** The well-known document: current and retired keys, newest first. */
export function checkpointKeySet(keys: readonly CheckpointPublicJwk[]): CheckpointKeySet {
  return { keys: [...keys].sort((a, b) => (a.retiredAt === undefined ? -1 : b.retiredAt === undefined ? 1 : b.retiredAt.localeCompare(a.retiredAt))) };
}
