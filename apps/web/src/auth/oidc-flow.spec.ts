import { beginSignIn, checkIdToken, codeChallenge, completeSignIn, discover, jwtPayload, OidcError, safeReturnTo, type PendingSignIn } from './oidc-flow';

const ISSUER = 'https://id.kyogi.example.jp/realms/kyogi';
const NOW = new Date('2026-11-22T12:00:00Z');
const exp = Math.floor(NOW.getTime() / 1000) + 300;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: 'RS256' })}.${b64(claims)}.signature`;

const PENDING: PendingSignIn = {
  issuer: ISSUER,
  clientId: 'kyogi-web',
  tokenEndpoint: `${ISSUER}/token`,
  redirectUri: 'https://kyogi.example.jp/auth/callback',
  state: 'state-1',
  nonce: 'nonce-1',
  codeVerifier: 'verifier-1',
  returnTo: '/proposals',
};

/** A fetch that answers with `body` and records what it was asked. */
function fetchAnswering(status: number, body: unknown): jest.Mock & typeof fetch {
  return jest.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as jest.Mock & typeof fetch;
}

async function refusal(promise: Promise<unknown>): Promise<OidcError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OidcError) return error;
    throw error;
  }
  throw new Error('expected an OidcError');
}

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    await expect(codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
});

describe('discover', () => {
  const document = {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/auth`,
    token_endpoint: `${ISSUER}/token`,
    code_challenge_methods_supported: ['plain', 'S256'],
  };

  it('reads the endpoints from <issuer>/.well-known/openid-configuration', async () => {
    const fetchFn = fetchAnswering(200, document);
    await expect(discover(`${ISSUER}`, fetchFn)).resolves.toEqual({
      issuer: ISSUER,
      authorizationEndpoint: `${ISSUER}/auth`,
      tokenEndpoint: `${ISSUER}/token`,
    });
    expect(fetchFn.mock.calls[0][0]).toBe(`${ISSUER}/.well-known/openid-configuration`);
  });
  it('refuses a document naming another issuer (a mix-up)', async () => {
    expect((await refusal(discover(ISSUER, fetchAnswering(200, { ...document, issuer: 'https://evil.example' })))).code).toBe('ISSUER_MISMATCH');
  });
  it('refuses a provider that offers PKCE without S256', async () => {
    expect((await refusal(discover(ISSUER, fetchAnswering(200, { ...document, code_challenge_methods_supported: ['plain'] })))).code).toBe('NO_S256');
  });
  it('says so when the document cannot be had or lacks an endpoint', async () => {
    expect((await refusal(discover(ISSUER, fetchAnswering(404, {})))).code).toBe('DISCOVERY_FAILED');
    expect((await refusal(discover(ISSUER, fetchAnswering(200, { issuer: ISSUER, token_endpoint: 'x' })))).code).toBe('DISCOVERY_FAILED');
  });
});

describe('beginSignIn', () => {
  it('sends the code flow with state, nonce and the S256 challenge of the verifier it keeps', async () => {
    let n = 0;
    const { url, pending } = await beginSignIn(
      { issuer: ISSUER, clientId: 'kyogi-web', scopes: ['openid', 'profile'] },
      { issuer: ISSUER, authorizationEndpoint: `${ISSUER}/auth?kc_idp_hint=lgwan`, tokenEndpoint: `${ISSUER}/token` },
      'https://kyogi.example.jp',
      '/specs?q=1',
      () => `random-${++n}`,
    );
    expect(pending).toEqual({
      issuer: ISSUER,
      clientId: 'kyogi-web',
      tokenEndpoint: `${ISSUER}/token`,
      redirectUri: 'https://kyogi.example.jp/auth/callback',
      state: 'random-1',
      nonce: 'random-2',
      codeVerifier: 'random-3',
      returnTo: '/specs?q=1',
    });
    const sent = new URL(url);
    expect(sent.origin + sent.pathname).toBe(`${ISSUER}/auth`);
    expect(Object.fromEntries(sent.searchParams)).toEqual({
      kc_idp_hint: 'lgwan', // the endpoint's own query is kept
      response_type: 'code',
      client_id: 'kyogi-web',
      redirect_uri: 'https://kyogi.example.jp/auth/callback',
      scope: 'openid profile',
      state: 'random-1',
      nonce: 'random-2',
      code_challenge: await codeChallenge('random-3'),
      code_challenge_method: 'S256',
    });
  });
});

describe('safeReturnTo', () => {
  it.each([
    ['/proposals/1?from=2', '/proposals/1?from=2'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['/auth/callback?code=1', '/'],
    ['', '/'],
  ])('%s → %s', (given, safe) => expect(safeReturnTo(given)).toBe(safe));
});

describe('checkIdToken', () => {
  const good = { iss: ISSUER, aud: ['kyogi-web', 'other'], nonce: 'nonce-1', exp };
  it('accepts the ID token of this sign-in', () => {
    expect(() => checkIdToken(jwt(good), PENDING, NOW)).not.toThrow();
  });
  it.each([
    ['another issuer', { ...good, iss: 'https://evil.example' }, /iss/],
    ['another client', { ...good, aud: 'kyogi-api' }, /aud/],
    ['another sign-in (nonce)', { ...good, nonce: 'nonce-2' }, /nonce/],
    ['an expired one', { ...good, exp: Math.floor(NOW.getTime() / 1000) }, /expired/],
  ])('refuses %s', (_, claims, message) => {
    expect(() => checkIdToken(jwt(claims), PENDING, NOW)).toThrow(message);
  });
  it('refuses what is not a JWT with a JSON payload', () => {
    expect(() => jwtPayload('abc')).toThrow('ID_TOKEN_INVALID: not a JWT');
    expect(() => jwtPayload('a.bm90IGpzb24.c')).toThrow('ID_TOKEN_INVALID: the payload is not JSON');
  });
  it('reads a payload with non-ASCII claims', () => {
    expect(jwtPayload(jwt({ name: '加藤 花子' }))).toEqual({ name: '加藤 花子' });
  });
});

describe('completeSignIn', () => {
  const tokens = { access_token: 'access-1', id_token: jwt({ iss: ISSUER, aud: 'kyogi-web', nonce: 'nonce-1', exp }), token_type: 'Bearer', expires_in: 300 };

  it('exchanges the code with the verifier and gives the access token', async () => {
    const fetchFn = fetchAnswering(200, tokens);
    await expect(completeSignIn('?code=code-1&state=state-1', PENDING, NOW, fetchFn)).resolves.toEqual({
      token: 'access-1',
      expiresAt: '2026-11-22T12:05:00.000Z',
      returnTo: '/proposals',
    });
    const [endpoint, init] = fetchFn.mock.calls[0] as [string, RequestInit];
    expect(endpoint).toBe(`${ISSUER}/token`);
    expect(init.method).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({
      grant_type: 'authorization_code',
      code: 'code-1',
      redirect_uri: 'https://kyogi.example.jp/auth/callback',
      client_id: 'kyogi-web',
      code_verifier: 'verifier-1',
    });
  });
  it('refuses another state without asking the token endpoint', async () => {
    const fetchFn = fetchAnswering(200, tokens);
    expect((await refusal(completeSignIn('?code=code-1&state=state-2', PENDING, NOW, fetchFn))).code).toBe('STATE_MISMATCH');
    expect((await refusal(completeSignIn('?code=code-1', PENDING, NOW, fetchFn))).code).toBe('STATE_MISMATCH');
    expect(fetchFn).not.toHaveBeenCalled();
  });
  it('refuses a callback this tab did not start', async () => {
    expect((await refusal(completeSignIn('?code=code-1&state=state-1', null, NOW, fetchAnswering(200, tokens)))).code).toBe('NO_PENDING_SIGN_IN');
  });
  it("passes the provider's error on", async () => {
    const error = await refusal(completeSignIn('?error=access_denied&error_description=User+cancelled&state=state-1', PENDING, NOW));
    expect([error.code, error.message]).toEqual(['PROVIDER_ERROR', 'PROVIDER_ERROR: access_denied: User cancelled']);
  });
  it('refuses a failed exchange, an answer without a bearer access token, or one whose ID token is not this sign-in’s', async () => {
    expect((await refusal(completeSignIn('?code=c&state=state-1', PENDING, NOW, fetchAnswering(400, { error: 'invalid_grant' })))).message).toBe(
      'TOKEN_REQUEST_FAILED: HTTP 400 invalid_grant',
    );
    expect((await refusal(completeSignIn('?code=c&state=state-1', PENDING, NOW, fetchAnswering(200, { ...tokens, token_type: 'DPoP' })))).code).toBe(
      'TOKEN_REQUEST_FAILED',
    );
    expect((await refusal(completeSignIn('?code=c&state=state-1', PENDING, NOW, fetchAnswering(200, { ...tokens, id_token: undefined })))).code).toBe(
      'ID_TOKEN_INVALID',
    );
    const otherNonce = { ...tokens, id_token: jwt({ iss: ISSUER, aud: 'kyogi-web', nonce: 'nonce-9', exp }) };
    expect((await refusal(completeSignIn('?code=c&state=state-1', PENDING, NOW, fetchAnswering(200, otherNonce)))).code).toBe('ID_TOKEN_INVALID');
  });
});
