/**
 * Issue #9, identity: under OIDC the identity provider says who a person is; Kyogi's registry says
 * which organisations exist. The app runs in OIDC mode against a key set served by this test,
 * without the demo seed — so only the registry of organisations is seeded. A token whose
 * organisation is not registered, no longer active, or claimed as another kind than the registry
 * holds, acts for no one; unknown roles are refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { gql, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';

jest.setTimeout(180_000);

const ISSUER = 'https://id.kyogi.test/realms/kyogi';
const AUDIENCE = 'kyogi-api';
let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
let jwksServer: Server;
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  jwksServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const { port } = jwksServer.address() as AddressInfo;
  database = await createTestDatabase(embeddedServerUrl(), 'oidcidentity');
  app = await startApp({
    databaseUrl: database.url,
    seedDemo: false,
    env: {
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: ISSUER,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
      OIDC_ALGORITHMS: 'ES256',
    },
  });
});

afterAll(async () => {
  await stopAllApps();
  await database?.drop();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

function tokenFor(claims: { sub: string; org: string; org_kind?: string; roles: string[]; name?: string }): Promise<string> {
  return new SignJWT({ ...claims, name: claims.name ?? claims.sub })
    .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
}

const ME = '{ me { personId roles organisation { id kind name } } }';

async function refusal(token: string): Promise<{ code: string | undefined; message: string }> {
  const result = await gql(app.url, ME, {}, token, { allowNon200: true });
  expect(result.data?.me ?? null).toBeNull();
  return { code: result.errors?.[0]?.extensions?.code, message: result.errors?.[0]?.message ?? '' };
}

it('seeds the registry without the demo data: the national bodies and every local government, and no people', async () => {
  const admin = await tokenFor({ sub: 'op-1', org: 'digital-agency', org_kind: 'national', roles: ['admin'] });
  const { organisations } = await gqlData(app.url, '{ organisations(first: 1) { totalCount } }', {}, admin);
  expect(organisations.totalCount).toBeGreaterThanOrEqual(1788 + 2);
  const { organisation } = await gqlData(app.url, '{ organisation(id: "011002") { name kind memberCount } }', {}, admin);
  expect(organisation).toEqual({ name: '札幌市', kind: 'MUNICIPALITY', memberCount: 0 });
  expect((await gqlData(app.url, '{ serverInfo { authMode demoUsers { email } } }')).serverInfo).toEqual({ authMode: 'OIDC', demoUsers: [] });
});

it("lets a person of a registered organisation act as that organisation, with the registry's kind", async () => {
  const token = await tokenFor({ sub: 'kato', org: '011002', roles: ['member'], name: '加藤 花子' });
  const { me } = await gqlData(app.url, ME, {}, token);
  expect(me).toEqual({ personId: 'kato', roles: ['MEMBER'], organisation: { id: '011002', kind: 'MUNICIPALITY', name: '札幌市' } });
});

it('refuses a token whose organisation is not registered', async () => {
  const answer = await refusal(await tokenFor({ sub: 'x', org: 'no-such-org', org_kind: 'municipality', roles: ['admin'] }));
  expect(answer).toEqual({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/not registered in Kyogi.*"no-such-org"/) });
});

it('refuses a token that claims another kind than the registry holds', async () => {
  const answer = await refusal(await tokenFor({ sub: 'y', org: '011002', org_kind: 'national', roles: ['admin'] }));
  expect(answer).toEqual({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/"national", but "011002" is registered as "municipality"/) });
});

it('refuses a role Kyogi does not know', async () => {
  const answer = await refusal(await tokenFor({ sub: 'z', org: '011002', roles: ['member', 'superuser'] }));
  expect(answer.code).toBe('UNAUTHENTICATED');
  expect(answer.message).toMatch(/role/);
});

it('stops accepting an organisation once it is deactivated', async () => {
  const hinohara = await tokenFor({ sub: 'h-1', org: '133078', roles: ['member'] });
  expect((await gqlData(app.url, ME, {}, hinohara)).me.organisation.id).toBe('133078');
  const admin = await tokenFor({ sub: 'op-1', org: 'digital-agency', roles: ['admin'] });
  const { deactivateOrganisation } = await gqlData(
    app.url,
    'mutation ($input: DeactivateOrganisationInput!) { deactivateOrganisation(input: $input) { position errors { code message } } }',
    { input: { organisationId: '133078', reason: '合併のため' } },
    admin,
  );
  expect(deactivateOrganisation.errors).toEqual([]);
  // The registry is read through a 5 s cache: refused within a few seconds, never accepted again.
  const deadline = Date.now() + 15_000;
  let answer = await gql(app.url, ME, {}, hinohara, { allowNon200: true });
  while (answer.data?.me && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    answer = await gql(app.url, ME, {}, hinohara, { allowNon200: true });
  }
  expect(answer.errors?.[0]?.message).toMatch(/not registered in Kyogi, or no longer active/);
});
