import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader } from 'jose';

import {
  EMBEDDED_AUDIENCE,
  EMBEDDED_ISSUER,
  EmbeddedIssuer,
  EmbeddedIssuerKeyFileError,
  EmbeddedIssuerRefusedError,
  type EmbeddedTokenClaims,
} from './embedded-issuer';
import { LocalTokenVerifier } from './token-verifier';

const T0 = new Date('2025-04-01T09:00:00.000Z');
const CLAIMS: EmbeddedTokenClaims = {
  personId: 'person-tanaka',
  displayName: '田中 花子',
  organisationId: 'org-digital-agency',
  organisationKind: 'national',
  roles: ['admin', 'viewer'],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kyogi-issuer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('EmbeddedIssuer.create', () => {
  it('refuses to run with NODE_ENV=production', async () => {
    await expect(EmbeddedIssuer.create({ nodeEnv: 'production', ttlSeconds: 3600 })).rejects.toBeInstanceOf(EmbeddedIssuerRefusedError);
    await expect(EmbeddedIssuer.create({ nodeEnv: 'production', ttlSeconds: 3600 })).rejects.toThrow(
      'The embedded issuer refuses to run with NODE_ENV=production; use AUTH_MODE=oidc',
    );
  });

  it('refuses when the process itself runs with NODE_ENV=production, whatever it is told', async () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(EmbeddedIssuer.create({ nodeEnv: 'development', ttlSeconds: 3600 })).rejects.toBeInstanceOf(EmbeddedIssuerRefusedError);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses ttlSeconds %s', async (ttlSeconds) => {
    await expect(EmbeddedIssuer.create({ nodeEnv: 'test', ttlSeconds })).rejects.toBeInstanceOf(RangeError);
  });

  it('makes a fresh in-memory key each time without a key file', async () => {
    const a = await EmbeddedIssuer.create({ nodeEnv: 'test', ttlSeconds: 60 });
    const b = await EmbeddedIssuer.create({ nodeEnv: 'test', ttlSeconds: 60 });
    expect(a.kid).not.toBe(b.kid);
  });
});

describe('EmbeddedIssuer.issue', () => {
  it('signs an ES256 JWT with the pinned issuer, audience, claims and the injected clock', async () => {
    const issuer = await EmbeddedIssuer.create({ nodeEnv: 'development', ttlSeconds: 900, now: () => T0 });
    const token = await issuer.issue(CLAIMS);

    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: issuer.kid, typ: 'JWT' });
    const payload = decodeJwt(token);
    expect(payload).toEqual({
      iss: EMBEDDED_ISSUER,
      aud: EMBEDDED_AUDIENCE,
      sub: 'person-tanaka',
      org: 'org-digital-agency',
      org_kind: 'national',
      roles: ['admin', 'viewer'],
      name: '田中 花子',
      iat: T0.getTime() / 1000,
      exp: T0.getTime() / 1000 + 900,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(EMBEDDED_ISSUER).toBe('urn:kyogi:embedded-issuer');
    expect(EMBEDDED_AUDIENCE).toBe('kyogi-api');
  });

  it('round-trips through LocalTokenVerifier', async () => {
    const issuer = await EmbeddedIssuer.create({ nodeEnv: 'test', ttlSeconds: 900, now: () => T0 });
    const verifier = new LocalTokenVerifier({ jwks: issuer.jwks(), now: () => new Date(T0.getTime() + 1000) });

    await expect(verifier.verify(await issuer.issue(CLAIMS))).resolves.toEqual({
      actor: {
        personId: 'person-tanaka',
        organisationId: 'org-digital-agency',
        organisationKind: 'national',
        roles: ['admin', 'viewer'],
      },
      displayName: '田中 花子',
      expiresAt: new Date(T0.getTime() + 900_000),
    });
  });

  it('de-duplicates roles', async () => {
    const issuer = await EmbeddedIssuer.create({ nodeEnv: 'test', ttlSeconds: 60, now: () => T0 });
    expect(decodeJwt(await issuer.issue({ ...CLAIMS, roles: ['viewer', 'viewer'] })).roles).toEqual(['viewer']);
  });

  it.each([
    ['an unknown role', { roles: ['superuser'] }],
    ['an unknown organisation kind', { organisationKind: 'company' }],
    ['an empty person id', { personId: '' }],
    ['an empty organisation id', { organisationId: ' ' }],
    ['an empty display name', { displayName: '' }],
  ])('refuses to sign %s', async (_, change) => {
    const issuer = await EmbeddedIssuer.create({ nodeEnv: 'test', ttlSeconds: 60 });
    await expect(issuer.issue({ ...CLAIMS, ...change } as unknown as EmbeddedTokenClaims)).rejects.toBeInstanceOf(TypeError);
  });
});

describe('EmbeddedIssuer.jwks', () => {
  it('publishes the public key only', async () => {
    const issuer = await EmbeddedIssuer.create({ nodeEnv: 'test', ttlSeconds: 60 });
    const { keys } = issuer.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
      kid: issuer.kid,
      alg: 'ES256',
      use: 'sig',
    });
    expect(keys[0]).not.toHaveProperty('d');
    expect(issuer.kid).toBe(await calculateJwkThumbprint(keys[0]!));
  });
});

describe('the key file', () => {
  it('is created with its directory, private, and reused so tokens survive a restart', async () => {
    const keyFile = path.join(dir, 'nested', 'keys', 'issuer.jwk.json');
    const first = await EmbeddedIssuer.create({ nodeEnv: 'development', keyFile, ttlSeconds: 3600, now: () => T0 });
    const token = await first.issue(CLAIMS);

    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(keyFile))).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(await readFile(keyFile, 'utf8'));
    expect(stored).toMatchObject({ kty: 'EC', crv: 'P-256', d: expect.any(String), kid: first.kid });

    const second = await EmbeddedIssuer.create({ nodeEnv: 'development', keyFile, ttlSeconds: 3600 });
    expect(second.kid).toBe(first.kid);
    expect(second.jwks()).toEqual(first.jwks());
    const verifier = new LocalTokenVerifier({ jwks: second.jwks(), now: () => T0 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ actor: { personId: 'person-tanaka' } });
  });

  it('ends with one key when two processes start at once', async () => {
    const keyFile = path.join(dir, 'issuer.jwk.json');
    const issuers = await Promise.all(Array.from({ length: 5 }, () => EmbeddedIssuer.create({ nodeEnv: 'test', keyFile, ttlSeconds: 60 })));
    expect(new Set(issuers.map((i) => i.kid)).size).toBe(1);
    expect(issuers[0]!.kid).toBe(JSON.parse(await readFile(keyFile, 'utf8')).kid);
  });

  it.each([
    ['not JSON', 'garbage', /is not JSON/],
    ['a public key only', JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }), /does not hold a private P-256 JWK/],
    ['an RSA key', JSON.stringify({ kty: 'RSA', n: 'a', e: 'AQAB', d: 'c' }), /does not hold a private P-256 JWK/],
    ['a broken EC key', JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', d: 'AA' }), /cannot be used/],
  ])('refuses a file holding %s, naming the file', async (_, content, message) => {
    const keyFile = path.join(dir, 'issuer.jwk.json');
    await writeFile(keyFile, content);
    const attempt = EmbeddedIssuer.create({ nodeEnv: 'test', keyFile, ttlSeconds: 60 });
    await expect(attempt).rejects.toBeInstanceOf(EmbeddedIssuerKeyFileError);
    await expect(EmbeddedIssuer.create({ nodeEnv: 'test', keyFile, ttlSeconds: 60 })).rejects.toThrow(message);
    await expect(EmbeddedIssuer.create({ nodeEnv: 'test', keyFile, ttlSeconds: 60 })).rejects.toThrow(keyFile);
  });
});
