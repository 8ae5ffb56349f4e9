import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import {
  base64url,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER, EmbeddedIssuer } from './embedded-issuer';
import { bearerToken, LocalTokenVerifier, OidcTokenVerifier, TokenError, type TokenErrorCode, type TokenVerifier } from './token-verifier';

const T0 = new Date('2025-04-01T09:00:00.000Z');
const T0_SECONDS = T0.getTime() / 1000;
const at = (seconds: number) => () => new Date(T0.getTime() + seconds * 1000);

async function expectTokenError(promise: Promise<unknown>, code: TokenErrorCode): Promise<TokenError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected TokenError ${code}, but the token was accepted`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  expect((error as TokenError).code).toBe(code);
  return error as TokenError;
}

interface KeyPair {
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}
async function keyPair(alg: 'ES256' | 'RS256' | 'PS256', kid?: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, publicJwk: { ...jwk, kid: kid ?? (await calculateJwkThumbprint(jwk)), alg, use: 'sig' } };
}

function sign(
  key: KeyPair,
  payload: JWTPayload,
  options: { alg?: string; kid?: string | null; iss?: string; aud?: string; iat?: number; exp?: number | null; sub?: string | null } = {},
): Promise<string> {
  const jwt = new SignJWT(payload).setProtectedHeader({
    alg: options.alg ?? (key.publicJwk.alg as string),
    ...(options.kid === null ? {} : { kid: options.kid ?? key.publicJwk.kid }),
  });
  if (options.iss !== undefined) jwt.setIssuer(options.iss);
  if (options.aud !== undefined) jwt.setAudience(options.aud);
  if (options.sub !== null) jwt.setSubject(options.sub ?? 'person-sato');
  jwt.setIssuedAt(options.iat ?? T0_SECONDS);
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? T0_SECONDS + 600);
  return jwt.sign(key.privateKey);
}

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER   abc.def-_~+/=', 'abc.def-_~+/='],
    ['  Bearer abc  ', 'abc'],
  ])('reads %j', (header, token) => expect(bearerToken(header)).toBe(token));

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwdw==', 'Bearer a b', 'Bearer a,b', 'Token abc', 'abc.def.ghi'])('gives null for %j', (header) =>
    expect(bearerToken(header)).toBeNull(),
  );
});

describe('TokenError', () => {
  it('has a stable code and a safe message', () => {
    const error = new TokenError('TOKEN_EXPIRED', undefined, { cause: new Error('jose internals') });
    expect(error.message).toBe('The token has expired');
    expect(error.name).toBe('TokenError');
    expect(Object.keys(error)).not.toContain('cause');
    expect(JSON.stringify(error)).not.toContain('jose internals');
  });
});

describe('LocalTokenVerifier', () => {
  // A known key in the issuer's key file, so the tests can also forge tokens with it.
  let dir: string;
  let key: KeyPair;
  let issuer: EmbeddedIssuer;
  const CLAIMS = {
    personId: 'person-sato',
    displayName: '佐藤 一郎',
    organisationId: 'org-yokohama',
    organisationKind: 'municipality',
    roles: ['member', 'approver'],
  } as const;
  const local = (now = at(1)): TokenVerifier => new LocalTokenVerifier({ jwks: issuer.jwks(), now });
  const forge = (payload: JWTPayload, options: Parameters<typeof sign>[2] = {}) =>
    sign(
      key,
      { org: 'org-yokohama', org_kind: 'municipality', roles: ['member'], name: '佐藤 一郎', ...payload },
      {
        iss: EMBEDDED_ISSUER,
        aud: EMBEDDED_AUDIENCE,
        ...options,
      },
    );

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kyogi-verifier-'));
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    key = { privateKey, publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' } };
    const keyFile = path.join(dir, 'issuer.jwk.json');
    await writeFile(keyFile, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600 });
    issuer = await EmbeddedIssuer.create({ nodeEnv: 'test', keyFile, ttlSeconds: 600, now: () => T0 });
    expect(issuer.kid).toBe(kid);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('returns the actor, display name and expiry', async () => {
    const identity = await local().verify(await issuer.issue(CLAIMS));
    expect(identity).toEqual({
      actor: { personId: 'person-sato', organisationId: 'org-yokohama', organisationKind: 'municipality', roles: ['member', 'approver'] },
      displayName: '佐藤 一郎',
      expiresAt: new Date(T0.getTime() + 600_000),
    });
    expect(Object.isFrozen(identity.actor)).toBe(true);
    expect(Object.isFrozen(identity.actor.roles)).toBe(true);
  });

  it('accepts a token until it expires, by the injected clock', async () => {
    const token = await issuer.issue(CLAIMS);
    await expect(local(at(599)).verify(token)).resolves.toBeDefined();
    await expectTokenError(local(at(600)).verify(token), 'TOKEN_EXPIRED');
    const error = await expectTokenError(local(at(86_400)).verify(token), 'TOKEN_EXPIRED');
    expect(error.message).toBe('The token has expired');
  });

  it('honours a clock tolerance when given', async () => {
    const token = await issuer.issue(CLAIMS);
    const tolerant = new LocalTokenVerifier({ jwks: issuer.jwks(), now: at(610), clockToleranceSeconds: 30 });
    await expect(tolerant.verify(token)).resolves.toBeDefined();
  });

  it.each([undefined, '', '   '])('refuses a missing token (%j)', async (token) => {
    await expectTokenError(local().verify(token as string), 'TOKEN_MISSING');
  });

  it.each(['garbage', 'a.b.c', 'eyJhbGciOiJFUzI1NiJ9..', '...'])('refuses a malformed token %j', async (token) => {
    await expectTokenError(local().verify(token), 'TOKEN_INVALID');
  });

  it('refuses a token whose payload was changed', async () => {
    const [header, , signature] = (await issuer.issue(CLAIMS)).split('.');
    const forged = base64url.encode(
      JSON.stringify({
        iss: EMBEDDED_ISSUER,
        aud: EMBEDDED_AUDIENCE,
        sub: 'person-sato',
        org: 'org-digital-agency',
        org_kind: 'national',
        roles: ['admin'],
        name: 'x',
        iat: T0_SECONDS,
        exp: T0_SECONDS + 600,
      }),
    );
    await expectTokenError(local().verify(`${header}.${forged}.${signature}`), 'TOKEN_INVALID');
  });

  it('refuses a token whose signature was changed', async () => {
    const token = await issuer.issue(CLAIMS);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    await expectTokenError(local().verify(`${token.slice(0, -2)}${last}${token.at(-1)}`), 'TOKEN_INVALID');
  });

  it('refuses a token signed by another key, with or without the right kid', async () => {
    const other = await EmbeddedIssuer.create({ nodeEnv: 'test', ttlSeconds: 600, now: () => T0 });
    await expectTokenError(local().verify(await other.issue(CLAIMS)), 'TOKEN_INVALID');
    const stranger = await keyPair('ES256');
    const forged = await sign(
      stranger,
      { org: 'o', org_kind: 'national', roles: ['admin'], name: 'x' },
      {
        iss: EMBEDDED_ISSUER,
        aud: EMBEDDED_AUDIENCE,
        kid: issuer.kid,
      },
    );
    await expectTokenError(local().verify(forged), 'TOKEN_INVALID');
  });

  it('refuses alg none', async () => {
    const unsecured = new UnsecuredJWT({ org: 'org-yokohama', org_kind: 'municipality', roles: ['admin'], name: 'x' })
      .setIssuer(EMBEDDED_ISSUER)
      .setAudience(EMBEDDED_AUDIENCE)
      .setSubject('person-sato')
      .setIssuedAt(T0_SECONDS)
      .setExpirationTime(T0_SECONDS + 600)
      .encode();
    expect(unsecured.endsWith('.')).toBe(true);
    await expectTokenError(local().verify(unsecured), 'TOKEN_INVALID');
    const withKid = `${base64url.encode(JSON.stringify({ alg: 'none', kid: issuer.kid }))}.${unsecured.split('.')[1]}.`;
    await expectTokenError(local().verify(withKid), 'TOKEN_INVALID');
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(issuer.jwks().keys[0]));
    const token = await new SignJWT({ org: 'org-yokohama', org_kind: 'national', roles: ['admin'], name: 'x' })
      .setProtectedHeader({ alg: 'HS256', kid: issuer.kid })
      .setIssuer(EMBEDDED_ISSUER)
      .setAudience(EMBEDDED_AUDIENCE)
      .setSubject('p')
      .setIssuedAt(T0_SECONDS)
      .setExpirationTime(T0_SECONDS + 600)
      .sign(secret);
    await expectTokenError(local().verify(token), 'TOKEN_INVALID');
  });

  it("accepts a token made with the issuer's own key and the right claims", async () => {
    await expect(local().verify(await forge({}))).resolves.toMatchObject({ actor: { roles: ['member'] } });
  });

  it.each([
    ['a wrong issuer', { iss: 'https://evil.example' }],
    ['no issuer', { iss: undefined }],
    ['a wrong audience', { aud: 'another-api' }],
    ['no audience', { aud: undefined }],
    ['no expiry', { exp: null }],
    ['no subject', { sub: null }],
  ])('refuses %s', async (_, options) => {
    await expectTokenError(local().verify(await forge({}, options as Parameters<typeof sign>[2])), 'TOKEN_INVALID');
  });

  it('refuses a token that is not yet valid', async () => {
    await expectTokenError(local().verify(await forge({ nbf: T0_SECONDS + 300 })), 'TOKEN_INVALID');
  });

  it.each([
    ['no organisation', { org: undefined }],
    ['an empty organisation', { org: '' }],
    ['no name', { name: undefined }],
    ['roles that are not a list of strings', { roles: [1] }],
  ])('refuses %s', async (_, payload) => {
    await expectTokenError(local().verify(await forge(payload)), 'TOKEN_INVALID');
  });

  it('refuses an unknown role instead of dropping it', async () => {
    const error = await expectTokenError(local().verify(await forge({ roles: ['member', 'superadmin'] })), 'UNKNOWN_ROLE');
    expect(error.message).toBe('The token carries a role Kyogi does not know: "superadmin"');
  });

  it('refuses an unknown or missing organisation kind', async () => {
    const error = await expectTokenError(local().verify(await forge({ org_kind: 'company' })), 'UNKNOWN_ORGANISATION_KIND');
    expect(error.message).toBe('The token does not carry a known organisation kind: "company"');
    await expectTokenError(local().verify(await forge({ org_kind: undefined })), 'UNKNOWN_ORGANISATION_KIND');
  });

  it('cuts long token values short in messages', async () => {
    const error = await expectTokenError(local().verify(await forge({ roles: ['x'.repeat(500)] })), 'UNKNOWN_ROLE');
    expect(error.message.length).toBeLessThan(120);
  });

  it('keeps an empty role list (authorisation then refuses)', async () => {
    await expect(local().verify(await forge({ roles: [] }))).resolves.toMatchObject({ actor: { roles: [] } });
  });
});

describe('OidcTokenVerifier', () => {
  const ISSUER = 'https://id.kyogi.example.jp/realms/kyogi';
  const AUDIENCE = 'kyogi-api';
  let rsa: KeyPair;
  let ec: KeyPair;
  let ps: KeyPair;
  let server: Server;
  let jwksUrl: string;
  let requests = 0;
  let status = 200;

  const claims = { org: 'org-kanagawa', org_kind: 'prefecture', roles: ['coordinator'], name: '鈴木 次郎' };
  const oidc = (options: Partial<ConstructorParameters<typeof OidcTokenVerifier>[0]> = {}) =>
    new OidcTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256', 'ES256'], jwksUrl, now: at(1), ...options });
  const token = (key: KeyPair, payload: JWTPayload = claims, options: Parameters<typeof sign>[2] = {}) =>
    sign(key, payload, { iss: ISSUER, aud: AUDIENCE, ...options });

  beforeAll(async () => {
    rsa = await keyPair('RS256');
    ec = await keyPair('ES256');
    ps = await keyPair('PS256');
    server = createServer((req, res) => {
      requests += 1;
      if (req.url !== '/jwks' || status !== 200) {
        res.writeHead(status === 200 ? 404 : status).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys: [rsa.publicJwk, ec.publicJwk, ps.publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests = 0;
    status = 200;
  });

  it('verifies RS256 and ES256 tokens against the remote JWKS, fetching it once', async () => {
    const verifier = oidc();
    await expect(verifier.verify(await token(rsa))).resolves.toEqual({
      actor: { personId: 'person-sato', organisationId: 'org-kanagawa', organisationKind: 'prefecture', roles: ['coordinator'] },
      displayName: '鈴木 次郎',
      expiresAt: new Date((T0_SECONDS + 600) * 1000),
    });
    await expect(verifier.verify(await token(ec))).resolves.toMatchObject({ actor: { organisationKind: 'prefecture' } });
    expect(requests).toBe(1);
  });

  it('refuses an expired token', async () => {
    await expectTokenError(oidc({ now: at(601) }).verify(await token(rsa)), 'TOKEN_EXPIRED');
  });

  it.each([
    ['a wrong issuer', { iss: 'https://id.kyogi.example.jp/realms/other' }],
    ['an issuer differing by a trailing slash', { iss: `${ISSUER}/` }],
    ['a wrong audience', { aud: 'account' }],
  ])('refuses %s', async (_, options) => {
    await expectTokenError(oidc().verify(await token(rsa, claims, options)), 'TOKEN_INVALID');
  });

  it('refuses an algorithm that is not pinned, even with a key the JWKS holds', async () => {
    await expectTokenError(oidc().verify(await token(ps)), 'TOKEN_INVALID');
    await expect(oidc({ algorithms: ['PS256'] }).verify(await token(ps))).resolves.toBeDefined();
    await expectTokenError(oidc({ algorithms: ['ES256'] }).verify(await token(rsa)), 'TOKEN_INVALID');
  });

  it('refuses alg none', async () => {
    const unsecured = new UnsecuredJWT(claims)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('p')
      .setExpirationTime(T0_SECONDS + 600)
      .encode();
    await expectTokenError(oidc().verify(unsecured), 'TOKEN_INVALID');
  });

  it('refuses a token signed by a key not in the JWKS', async () => {
    const stranger = await keyPair('RS256');
    await expectTokenError(oidc().verify(await token(stranger)), 'TOKEN_INVALID');
    await expectTokenError(oidc().verify(await token(stranger, claims, { kid: rsa.publicJwk.kid })), 'TOKEN_INVALID');
  });

  it('reads configured claim names, including nested ones', async () => {
    const verifier = oidc({
      organisationClaim: 'https://kyogi.example.jp/org',
      rolesClaim: 'resource_access.kyogi-api.roles',
      organisationKindClaim: 'kind',
    });
    const payload = {
      'https://kyogi.example.jp/org': 'org-sapporo',
      kind: 'municipality',
      resource_access: { 'kyogi-api': { roles: ['viewer', 'member'] }, account: { roles: ['manage-account'] } },
      realm_access: { roles: ['offline_access'] },
      preferred_username: 'yamada',
    };
    await expect(verifier.verify(await token(ec, payload))).resolves.toEqual({
      actor: { personId: 'person-sato', organisationId: 'org-sapporo', organisationKind: 'municipality', roles: ['viewer', 'member'] },
      displayName: 'yamada',
      expiresAt: expect.any(Date),
    });
  });

  it('accepts a single role given as a string, and no roles claim as no roles', async () => {
    await expect(oidc().verify(await token(ec, { ...claims, roles: 'viewer' }))).resolves.toMatchObject({ actor: { roles: ['viewer'] } });
    await expect(oidc().verify(await token(ec, { ...claims, roles: undefined }))).resolves.toMatchObject({ actor: { roles: [] } });
  });

  it('falls back to the subject for the display name', async () => {
    await expect(oidc().verify(await token(ec, { ...claims, name: undefined }))).resolves.toMatchObject({ displayName: 'person-sato' });
  });

  it('refuses unknown roles from the identity provider', async () => {
    const error = await expectTokenError(
      oidc({ rolesClaim: 'realm_access.roles' }).verify(await token(ec, { ...claims, realm_access: { roles: ['viewer', 'offline_access'] } })),
      'UNKNOWN_ROLE',
    );
    expect(error.message).toBe('The token carries a role Kyogi does not know: "offline_access"');
  });

  it('refuses an unknown organisation kind', async () => {
    await expectTokenError(oidc().verify(await token(ec, { ...claims, org_kind: 'ministry' })), 'UNKNOWN_ORGANISATION_KIND');
  });

  it('takes the organisation kind from a resolver when one is given, and refuses an organisation it does not know or a claim that disagrees', async () => {
    const resolveOrganisationKind = jest.fn(async (id: string) => (id === 'org-kanagawa' ? ('prefecture' as const) : null));
    const verifier = oidc({ resolveOrganisationKind });
    const { org_kind: _kind, ...withoutKind } = claims as Record<string, unknown>;
    await expect(verifier.verify(await token(ec, withoutKind))).resolves.toMatchObject({ actor: { organisationKind: 'prefecture' } });
    await expect(verifier.verify(await token(ec, { ...claims, org_kind: 'prefecture' }))).resolves.toMatchObject({ actor: { organisationKind: 'prefecture' } });
    expect(resolveOrganisationKind).toHaveBeenCalledWith('org-kanagawa');
    const disagreeing = await expectTokenError(verifier.verify(await token(ec, { ...claims, org_kind: 'national' })), 'UNKNOWN_ORGANISATION_KIND');
    expect(disagreeing.message).toMatch(/"national", but "org-kanagawa" is registered as "prefecture"/);
    const unknown = await expectTokenError(verifier.verify(await token(ec, { ...claims, org: 'org-unknown' })), 'UNKNOWN_ORGANISATION');
    expect(unknown.message).toMatch(/not registered in Kyogi/);
  });

  it('reports a failing resolver as VERIFIER_UNAVAILABLE', async () => {
    const verifier = oidc({ resolveOrganisationKind: async () => Promise.reject(new Error('db down')) });
    await expectTokenError(verifier.verify(await token(ec)), 'VERIFIER_UNAVAILABLE');
  });

  it('reports a JWKS endpoint that answers with an error as VERIFIER_UNAVAILABLE, not as a bad token', async () => {
    status = 503;
    const error = await expectTokenError(oidc().verify(await token(ec)), 'VERIFIER_UNAVAILABLE');
    expect(error.message).toBe('Tokens cannot be verified right now; try again later');
  });

  it('reports an unreachable JWKS endpoint as VERIFIER_UNAVAILABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/jwks`;
    await new Promise((resolve) => closed.close(resolve));
    await expectTokenError(oidc({ jwksUrl: url }).verify(await token(ec)), 'VERIFIER_UNAVAILABLE');
  });

  it('accepts an injected key set instead of a URL', async () => {
    const verifier = oidc({ jwksUrl: undefined, keySet: createLocalJWKSet({ keys: [ec.publicJwk] }) });
    await expect(verifier.verify(await token(ec))).resolves.toMatchObject({ actor: { organisationId: 'org-kanagawa' } });
    await expectTokenError(verifier.verify(await token(rsa)), 'TOKEN_INVALID');
    expect(requests).toBe(0);
  });

  it.each([
    ['no algorithms', { algorithms: [] }],
    ['alg none', { algorithms: ['RS256', 'none'] }],
    ['a symmetric algorithm', { algorithms: ['HS256'] }],
    ['both a URL and a key set', { keySet: createLocalJWKSet({ keys: [] }) }],
    ['neither a URL nor a key set', { jwksUrl: undefined }],
    ['an empty issuer', { issuer: '' }],
  ])('refuses to be built with %s', (_, options) => {
    expect(() => oidc(options)).toThrow(TypeError);
  });
});
