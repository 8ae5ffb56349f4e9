/**
 * A small OpenID provider for the browser tests, on 127.0.0.1: discovery, authorize (no login
 * form — it redirects straight back with a code for one fixed test person), token (authorization
 * code with PKCE S256, checked) and JWKS, signing with an RS256 key made at start (jose).
 *
 * It is strict where a real provider is: the client id and redirect URI must be the registered
 * ones, a code is used once, the verifier must hash to the challenge. What it received is kept
 * (`authorizeRequests`, `tokenRequests`) so that tests can check what the client sent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface TestPerson {
  readonly sub: string;
  readonly name: string;
  readonly org: string;
  readonly orgKind: string;
  readonly roles: readonly string[];
}

export interface OidcProvider {
  /** http://127.0.0.1:<port>/realms/kyogi */
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly clientId: string;
  /** The access token's aud: the api's OIDC_AUDIENCE. */
  readonly audience: string;
  /** Redirect URIs the client may use (set once the app's origin is known). */
  readonly redirectUris: Set<string>;
  readonly authorizeRequests: URLSearchParams[];
  readonly tokenRequests: URLSearchParams[];
  /** The access tokens issued, in order. */
  readonly accessTokens: string[];
  /** Set: the next authorize answer carries this state instead of the client's (a forged or mixed-up answer). */
  forgeNextState: string | null;
  close(): Promise<void>;
}

const b64url = (buffer: Buffer) => buffer.toString('base64url');

export async function startOidcProvider(person: TestPerson, options: { clientId?: string; audience?: string } = {}): Promise<OidcProvider> {
  const clientId = options.clientId ?? 'kyogi-web';
  const audience = options.audience ?? 'kyogi-api';
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = b64url(randomBytes(8));
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; nonce: string; redirectUri: string }>();

  let issuer = '';
  const provider: OidcProvider = {
    get issuer() {
      return issuer;
    },
    get jwksUrl() {
      return `${issuer}/protocol/openid-connect/certs`;
    },
    clientId,
    audience,
    redirectUris: new Set(),
    authorizeRequests: [],
    tokenRequests: [],
    accessTokens: [],
    forgeNextState: null,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const sign = (claims: Record<string, unknown>, aud: string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(aud)
      .setSubject(person.sub)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);

  const json = (response: ServerResponse, status: number, body: unknown) => {
    // The web client calls discovery and token from its own origin: CORS, as real providers do.
    response.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };

  const readBody = (request: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => resolve(body));
      request.on('error', reject);
    });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', issuer);
    const path = url.pathname.slice(new URL(issuer).pathname.length);
    if (request.method === 'OPTIONS') {
      response.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': 'content-type, accept',
        'access-control-allow-methods': 'GET, POST',
      });
      return response.end();
    }
    if (request.method === 'GET' && path === '/.well-known/openid-configuration') {
      return json(response, 200, {
        issuer,
        authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
        token_endpoint: `${issuer}/protocol/openid-connect/token`,
        jwks_uri: provider.jwksUrl,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
        subject_types_supported: ['public'],
      });
    }
    if (request.method === 'GET' && path === '/protocol/openid-connect/certs') return json(response, 200, { keys: [jwk] });
    if (request.method === 'GET' && path === '/protocol/openid-connect/auth') {
      const q = url.searchParams;
      provider.authorizeRequests.push(q);
      const redirectUri = q.get('redirect_uri') ?? '';
      // Never redirect to an unregistered URI: answer here instead.
      if (q.get('client_id') !== clientId || !provider.redirectUris.has(redirectUri))
        return json(response, 400, { error: 'invalid_request', error_description: 'unknown client or redirect_uri' });
      const back = new URL(redirectUri);
      const state = provider.forgeNextState ?? q.get('state') ?? '';
      provider.forgeNextState = null;
      back.searchParams.set('state', state);
      const challenge = q.get('code_challenge');
      if (
        q.get('response_type') !== 'code' ||
        q.get('code_challenge_method') !== 'S256' ||
        !challenge ||
        !q.get('nonce') ||
        !(q.get('scope') ?? '').split(' ').includes('openid')
      ) {
        back.searchParams.set('error', 'invalid_request');
        back.searchParams.set('error_description', 'code flow with PKCE S256, a nonce and the openid scope required');
      } else {
        const code = b64url(randomBytes(24));
        codes.set(code, { challenge, nonce: q.get('nonce')!, redirectUri });
        back.searchParams.set('code', code);
      }
      response.writeHead(302, { location: back.toString() });
      return response.end();
    }
    if (request.method === 'POST' && path === '/protocol/openid-connect/token') {
      const form = new URLSearchParams(await readBody(request));
      provider.tokenRequests.push(form);
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? ''); // one use, whatever the outcome
      if (form.get('grant_type') !== 'authorization_code' || !grant) return json(response, 400, { error: 'invalid_grant' });
      if (form.get('client_id') !== clientId || form.get('redirect_uri') !== grant.redirectUri) return json(response, 400, { error: 'invalid_client' });
      const verifier = form.get('code_verifier') ?? '';
      if (b64url(createHash('sha256').update(verifier).digest()) !== grant.challenge)
        return json(response, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      const accessToken = await sign(
        { name: person.name, org: person.org, org_kind: person.orgKind, roles: [...person.roles], azp: clientId, scope: 'openid profile' },
        audience,
      );
      provider.accessTokens.push(accessToken);
      const idToken = await sign({ name: person.name, nonce: grant.nonce, azp: clientId }, clientId);
      return json(response, 200, { access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: 600, scope: 'openid profile' });
    }
    json(response, 404, { error: 'not_found' });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => json(response, 500, { error: 'server_error', error_description: error.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/kyogi`;
  return provider;
}
