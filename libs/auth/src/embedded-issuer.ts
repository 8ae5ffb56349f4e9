/**
 * The embedded development issuer: signs ES256 tokens for the seeded demo users so the app runs
 * with nothing else installed. It refuses to exist with NODE_ENV=production; production uses an
 * OIDC issuer (see OidcTokenVerifier).
 *
 * With a key file the private key survives a restart (tokens handed out stay valid); the file is
 * created once, atomically (written aside, then hard-linked into place, so two processes starting
 * together agree on one key), mode 0600 in a 0700 directory.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { ORGANISATION_KINDS, ROLES, type OrganisationKind, type Role } from '@kyogi/domain/shared/decider';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';

export const EMBEDDED_ISSUER = 'urn:kyogi:embedded-issuer';
export const EMBEDDED_AUDIENCE = 'kyogi-api';
export const EMBEDDED_ALGORITHM = 'ES256';

export class EmbeddedIssuerRefusedError extends Error {
  override readonly name = 'EmbeddedIssuerRefusedError';
  constructor() {
    super('The embedded issuer refuses to run with NODE_ENV=production; use AUTH_MODE=oidc');
  }
}

export class EmbeddedIssuerKeyFileError extends Error {
  override readonly name = 'EmbeddedIssuerKeyFileError';
  constructor(
    readonly keyFile: string,
    problem: string,
  ) {
    super(`The embedded issuer key file ${keyFile} ${problem}`);
  }
}

export interface EmbeddedIssuerOptions {
  readonly nodeEnv: string;
  /** Where the private JWK lives; without it the key exists only in memory. */
  readonly keyFile?: string;
  readonly ttlSeconds: number;
  readonly now?: () => Date;
}

export interface EmbeddedTokenClaims {
  readonly personId: string;
  readonly displayName: string;
  readonly organisationId: string;
  readonly organisationKind: OrganisationKind;
  readonly roles: readonly Role[];
}

/** The public half of the issuer's key, as published in a JWKS. */
export type PublicJwk = JWK & { readonly kid: string; readonly alg: typeof EMBEDDED_ALGORITHM; readonly use: 'sig' };

export class EmbeddedIssuer {
  readonly issuer = EMBEDDED_ISSUER;
  readonly audience = EMBEDDED_AUDIENCE;

  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: PublicJwk,
    private readonly ttlSeconds: number,
    private readonly now: () => Date,
  ) {}

  static async create(opts: EmbeddedIssuerOptions): Promise<EmbeddedIssuer> {
    // process.env is checked too, so a wiring mistake cannot smuggle the issuer into production.
    if (opts.nodeEnv === 'production' || process.env.NODE_ENV === 'production') throw new EmbeddedIssuerRefusedError();
    if (!Number.isInteger(opts.ttlSeconds) || opts.ttlSeconds <= 0) {
      throw new RangeError(`ttlSeconds must be a positive integer, got ${opts.ttlSeconds}`);
    }
    const privateJwk = opts.keyFile === undefined ? await generatePrivateJwk() : await loadOrCreateKeyFile(opts.keyFile);
    let privateKey: CryptoKey;
    try {
      privateKey = (await importJWK(privateJwk, EMBEDDED_ALGORITHM)) as CryptoKey;
    } catch {
      throw new EmbeddedIssuerKeyFileError(opts.keyFile ?? '(in memory)', 'holds a key that cannot be used; delete it to generate a new key');
    }
    const { kty, crv, x, y } = privateJwk;
    const publicJwk: PublicJwk = Object.freeze({ kty, crv, x, y, kid: privateJwk.kid!, alg: EMBEDDED_ALGORITHM, use: 'sig' as const });
    return new EmbeddedIssuer(privateKey, publicJwk, opts.ttlSeconds, opts.now ?? (() => new Date()));
  }

  /** The key id: the RFC 7638 thumbprint of the public key, stable across restarts with a key file. */
  get kid(): string {
    return this.publicJwk.kid;
  }

  async issue(claims: EmbeddedTokenClaims): Promise<string> {
    assertClaims(claims);
    const iat = Math.floor(this.now().getTime() / 1000);
    return new SignJWT({
      org: claims.organisationId,
      org_kind: claims.organisationKind,
      roles: [...new Set(claims.roles)],
      name: claims.displayName,
    })
      .setProtectedHeader({ alg: EMBEDDED_ALGORITHM, kid: this.publicJwk.kid, typ: 'JWT' })
      .setIssuer(EMBEDDED_ISSUER)
      .setAudience(EMBEDDED_AUDIENCE)
      .setSubject(claims.personId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  /** Public keys only, ready to serve at /.well-known/jwks.json or hand to LocalTokenVerifier. */
  jwks(): { keys: PublicJwk[] } {
    return { keys: [{ ...this.publicJwk }] };
  }
}

function assertClaims(claims: EmbeddedTokenClaims): void {
  const nonEmpty = (name: string, value: unknown) => {
    if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${name} must be a non-empty string`);
  };
  nonEmpty('personId', claims.personId);
  nonEmpty('displayName', claims.displayName);
  nonEmpty('organisationId', claims.organisationId);
  if (!ORGANISATION_KINDS.includes(claims.organisationKind)) {
    throw new TypeError(`organisationKind must be one of ${ORGANISATION_KINDS.join(', ')}`);
  }
  if (!Array.isArray(claims.roles) || claims.roles.some((role) => !ROLES.includes(role))) {
    throw new TypeError(`roles must be a list of ${ROLES.join(', ')}`);
  }
}

async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(EMBEDDED_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: EMBEDDED_ALGORITHM, use: 'sig' };
}

async function loadOrCreateKeyFile(keyFile: string): Promise<JWK> {
  const existing = await readKeyFile(keyFile);
  if (existing) return existing;

  const jwk = await generatePrivateJwk();
  const directory = path.dirname(keyFile);
  await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  const aside = path.join(directory, `.${path.basename(keyFile)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    await fs.writeFile(aside, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await fs.link(aside, keyFile); // fails with EEXIST if another process got there first
    return jwk;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const winner = await readKeyFile(keyFile);
      if (winner) return winner;
    }
    throw error;
  } finally {
    await fs.rm(aside, { force: true });
  }
}

async function readKeyFile(keyFile: string): Promise<JWK | null> {
  let text: string;
  try {
    text = await fs.readFile(keyFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw new EmbeddedIssuerKeyFileError(keyFile, 'is not JSON; delete it to generate a new key');
  }
  const isString = (value: unknown) => typeof value === 'string' && value.length > 0;
  const candidate = jwk as Record<string, unknown> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    candidate.kty !== 'EC' ||
    candidate.crv !== 'P-256' ||
    !isString(candidate.x) ||
    !isString(candidate.y) ||
    !isString(candidate.d)
  ) {
    throw new EmbeddedIssuerKeyFileError(keyFile, 'does not hold a private P-256 JWK; delete it to generate a new key');
  }
  const { kty, crv, x, y, d } = candidate as { kty: string; crv: string; x: string; y: string; d: string };
  // The kid is always recomputed, so an edited file cannot claim another key's id.
  return { kty, crv, x, y, d, kid: await calculateJwkThumbprint({ kty, crv, x, y }), alg: EMBEDDED_ALGORITHM, use: 'sig' };
}
