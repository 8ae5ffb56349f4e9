/**
 * Sign-in through the organisation's identity provider: OpenID Connect's authorization code flow
 * with PKCE (RFC 7636, S256) for a public client — no client secret can live in a browser.
 *
 * DOM-free (fetch, crypto.subtle, URL): the browser glue (sessionStorage, location) is in
 * oidc.ts. The flow: discovery (<issuer>/.well-known/openid-configuration, whose issuer must be
 * the configured one), a redirect to the authorize endpoint with state, nonce and the code
 * challenge, and on the callback the state compared with the one kept, the code exchanged at the
 * token endpoint with the verifier, and the ID token's iss, aud, nonce and exp checked.
 *
 * The api gets the access token: it is the resource server, and its verifier pins the issuer and
 * OIDC_AUDIENCE — the identity provider must put that audience in the access token (Keycloak: an
 * audience mapper). The ID token is for this client (aud = client id) and only proves the sign-in.
 */

export interface OidcSignInConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
}

export interface Discovery {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
}

/** What the tab keeps between the redirect out and the callback (sessionStorage). */
export interface PendingSignIn {
  readonly issuer: string;
  readonly clientId: string;
  readonly tokenEndpoint: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Where to go once signed in: a path on this origin. */
  readonly returnTo: string;
}

export type OidcErrorCode =
  'DISCOVERY_FAILED' | 'ISSUER_MISMATCH' | 'NO_S256' | 'PROVIDER_ERROR' | 'NO_PENDING_SIGN_IN' | 'STATE_MISMATCH' | 'TOKEN_REQUEST_FAILED' | 'ID_TOKEN_INVALID';

export class OidcError extends Error {
  override readonly name = 'OidcError';
  constructor(
    readonly code: OidcErrorCode,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

export const CALLBACK_PATH = '/auth/callback';

const encoder = new TextEncoder();

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** 32 random bytes, base64url: 43 characters, within PKCE's 43–128 for the verifier. */
export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge: base64url(SHA-256(verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(verifier))));
}

/** A path on this origin only (never `//host` or a scheme): where the callback may send the person. */
export function safeReturnTo(path: string | null | undefined): string {
  if (!path || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\') || path.startsWith(CALLBACK_PATH)) return '/';
  return path;
}

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/** Reads and checks the discovery document: its issuer must be exactly the configured one (OIDC Discovery §4.3). */
export async function discover(issuer: string, fetchFn: typeof fetch = fetch): Promise<Discovery> {
  let document: Record<string, unknown>;
  try {
    const response = await fetchFn(discoveryUrl(issuer), { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = (await response.json()) as Record<string, unknown>;
  } catch (error) {
    throw new OidcError('DISCOVERY_FAILED', `${discoveryUrl(issuer)}: ${(error as Error).message}`);
  }
  if (document.issuer !== issuer) throw new OidcError('ISSUER_MISMATCH', `the discovery document names ${JSON.stringify(document.issuer)}, not ${issuer}`);
  const { authorization_endpoint: authorizationEndpoint, token_endpoint: tokenEndpoint, code_challenge_methods_supported: methods } = document;
  if (typeof authorizationEndpoint !== 'string' || typeof tokenEndpoint !== 'string') {
    throw new OidcError('DISCOVERY_FAILED', 'the discovery document has no authorization_endpoint or token_endpoint');
  }
  // Absent means "not said" (many providers omit it); present without S256 means no PKCE we accept.
  if (Array.isArray(methods) && !methods.includes('S256')) throw new OidcError('NO_S256', `the provider offers ${methods.join(', ')}`);
  return { issuer, authorizationEndpoint, tokenEndpoint };
}

/** The authorize URL and what to keep for the callback. */
export async function beginSignIn(
  config: OidcSignInConfig,
  discovery: Discovery,
  origin: string,
  returnTo: string,
  random: () => string = randomToken,
): Promise<{ url: string; pending: PendingSignIn }> {
  const pending: PendingSignIn = {
    issuer: config.issuer,
    clientId: config.clientId,
    tokenEndpoint: discovery.tokenEndpoint,
    redirectUri: `${origin}${CALLBACK_PATH}`,
    state: random(),
    nonce: random(),
    codeVerifier: random(),
    returnTo: safeReturnTo(returnTo),
  };
  const url = new URL(discovery.authorizationEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', pending.redirectUri);
  url.searchParams.set('scope', config.scopes.join(' '));
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  url.searchParams.set('code_challenge', await codeChallenge(pending.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return { url: url.toString(), pending };
}

/** The payload of a JWT, unverified: the ID token comes straight from the token endpoint over TLS (OIDC Core §3.1.3.7). */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) throw new OidcError('ID_TOKEN_INVALID', 'not a JWT');
  try {
    const binary = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))) as unknown;
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('not an object');
    return payload as Record<string, unknown>;
  } catch {
    throw new OidcError('ID_TOKEN_INVALID', 'the payload is not JSON');
  }
}

/** The ID token's claims that bind it to this sign-in: issuer, audience (this client), nonce, not expired. */
export function checkIdToken(idToken: string, pending: PendingSignIn, now: Date): void {
  const claims = jwtPayload(idToken);
  if (claims.iss !== pending.issuer) throw new OidcError('ID_TOKEN_INVALID', `iss is ${JSON.stringify(claims.iss)}, not ${pending.issuer}`);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(pending.clientId)) throw new OidcError('ID_TOKEN_INVALID', `aud does not include ${pending.clientId}`);
  if (claims.nonce !== pending.nonce) throw new OidcError('ID_TOKEN_INVALID', 'the nonce is not the one this sign-in sent');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) throw new OidcError('ID_TOKEN_INVALID', 'expired');
}

export interface SignedIn {
  /** The access token, for the api (Authorization: Bearer). */
  readonly token: string;
  /** ISO time the access token expires, when the provider said. */
  readonly expiresAt: string | null;
  readonly returnTo: string;
}

/**
 * The callback: `search` is the query the provider redirected back with. The pending sign-in is
 * used once whatever happens (a replayed or forged callback finds none, or a different state).
 */
export async function completeSignIn(search: string, pending: PendingSignIn | null, now: Date, fetchFn: typeof fetch = fetch): Promise<SignedIn> {
  const params = new URLSearchParams(search);
  const error = params.get('error');
  if (error) throw new OidcError('PROVIDER_ERROR', [error, params.get('error_description')].filter(Boolean).join(': '));
  if (!pending) throw new OidcError('NO_PENDING_SIGN_IN', 'this tab started no sign-in (or it was already used)');
  if (!params.get('state') || params.get('state') !== pending.state)
    throw new OidcError('STATE_MISMATCH', 'the answer does not belong to the sign-in this tab started');
  const code = params.get('code');
  if (!code) throw new OidcError('PROVIDER_ERROR', 'no code in the answer');

  let body: Record<string, unknown>;
  try {
    const response = await fetchFn(pending.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: pending.redirectUri,
        client_id: pending.clientId,
        code_verifier: pending.codeVerifier,
      }).toString(),
    });
    body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) throw new Error(`HTTP ${response.status}${typeof body.error === 'string' ? ` ${body.error}` : ''}`);
  } catch (e) {
    throw new OidcError('TOKEN_REQUEST_FAILED', (e as Error).message);
  }
  const { access_token: accessToken, id_token: idToken, token_type: tokenType, expires_in: expiresIn } = body;
  if (typeof accessToken !== 'string' || accessToken === '' || typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw new OidcError('TOKEN_REQUEST_FAILED', 'the answer has no bearer access_token');
  }
  if (typeof idToken !== 'string') throw new OidcError('ID_TOKEN_INVALID', 'the answer has no id_token (is openid among the scopes?)');
  checkIdToken(idToken, pending, now);
  const expiresAt = typeof expiresIn === 'number' && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000).toISOString() : null;
  return { token: accessToken, expiresAt, returnTo: pending.returnTo };
}
