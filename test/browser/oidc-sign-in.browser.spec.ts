/**
 * Sign-in through the OIDC issuer (production's way) in a real browser: the api in OIDC mode
 * against a small provider this test starts (support/oidc-provider.ts), the web client's
 * authorization code flow with PKCE — discovery, the redirect with state, nonce and S256
 * challenge, the callback, the code exchanged with the verifier — and the access token the api
 * verifies. A forged state and a callback this tab never started are refused; sign-out ends it.
 */
import type { Browser, Page } from 'playwright-core';
import { createHash } from 'node:crypto';
import { stopAllApps } from '../support/app-process';
import { describeInBrowser, launchBrowser, newTab, recordRequests, screenshot, seriousA11yViolations, startAppWithOrigin } from './support/browser';
import { startOidcProvider, type OidcProvider } from './support/oidc-provider';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';

jest.setTimeout(180_000);

// 札幌市 (seeded): a member signed in by the identity provider, not a demo user.
const PERSON = { sub: 'oidc-sapporo-kato', name: '加藤 花子', org: '011002', orgKind: 'municipality', roles: ['member'] };

describeInBrowser('sign-in through the OIDC issuer', () => {
  let provider: OidcProvider;
  let browser: Browser;
  let url: string;
  let drop: () => Promise<void>;
  const requested: string[] = [];

  beforeAll(async () => {
    provider = await startOidcProvider(PERSON);
    const database = await createTestDatabase(embeddedServerUrl(), 'browser');
    drop = () => database.drop();
    const started = await startAppWithOrigin({ databaseUrl: database.url, seedDemo: true }, (origin) => {
      provider.redirectUris.add(`${origin}/auth/callback`);
      return {
        AUTH_MODE: 'oidc',
        OIDC_ISSUER: provider.issuer,
        OIDC_AUDIENCE: provider.audience,
        OIDC_JWKS_URL: provider.jwksUrl,
        OIDC_ALGORITHMS: 'RS256',
        OIDC_WEB_CLIENT_ID: provider.clientId,
        OIDC_WEB_SCOPES: 'openid profile',
      };
    });
    url = started.url;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllApps();
    await provider?.close();
    await drop?.();
  });

  const openTab = async (): Promise<Page> => {
    const { page } = await newTab(browser);
    recordRequests(page, requested);
    return page;
  };
  /** The bearer token the tab's session holds (auth/token.ts), or null. */
  const storedToken = async (page: Page): Promise<string | null> => {
    const raw = await page.evaluate(() =>
      (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('kyogi.token'),
    );
    return raw === null ? null : (JSON.parse(raw) as { token: string }).token;
  };

  it("signs in at the identity provider with PKCE, comes back to the page it left, shows the person's organisation, and signs out", async () => {
    const page = await openTab();
    await page.goto(`${url}/proposals`);
    await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor();
    expect(await page.locator('button.demo-user').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'login-oidc-provider');

    await page.getByTestId('oidc-sign-in').click();
    const who = page.getByTestId('who');
    await who.waitFor({ timeout: 30_000 });
    expect(await who.locator('.who-name').textContent()).toBe('加藤 花子');
    expect(await who.locator('.who-org').textContent()).toBe('札幌市');
    // Back on the page the sign-in started from, the callback's code and state gone from the address.
    await page.waitForURL(`${url}/proposals`);
    await page.getByRole('heading', { level: 1, name: '修文案' }).waitFor();

    // What the client sent: the code flow, this client, its callback, state and nonce, an S256 challenge…
    expect(provider.authorizeRequests).toHaveLength(1);
    const authorize = provider.authorizeRequests[0]!;
    expect(Object.fromEntries(authorize)).toMatchObject({
      response_type: 'code',
      client_id: 'kyogi-web',
      redirect_uri: `${url}/auth/callback`,
      scope: 'openid profile',
      code_challenge_method: 'S256',
    });
    for (const param of ['state', 'nonce', 'code_challenge']) expect(authorize.get(param)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.get('state')).not.toBe(authorize.get('nonce'));
    // …and at the token endpoint the verifier whose SHA-256 is that challenge (the provider checked it too).
    expect(provider.tokenRequests).toHaveLength(1);
    const verifier = provider.tokenRequests[0]!.get('code_verifier')!;
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(authorize.get('code_challenge'));
    // The session is the access token (aud: the api), not the ID token (aud: this client).
    expect(await storedToken(page)).toBe(provider.accessTokens[0]);

    // The page's CSP lets it talk to the issuer's origin (discovery and token), and to nothing else new.
    const response = await fetch(`${url}/proposals`, { headers: { accept: 'text/html' } });
    const connectSrc = /connect-src ([^;]+)/.exec(response.headers.get('content-security-policy') ?? '')?.[1]?.split(' ');
    await response.arrayBuffer();
    expect(connectSrc).toEqual(["'self'", url.replace(/^http/, 'ws'), new URL(provider.issuer).origin]);

    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor();
    await page.getByTestId('oidc-sign-in').waitFor();
    expect(await storedToken(page)).toBeNull();
    expect(await page.getByTestId('who').count()).toBe(0);
    await page.context().close();
  });

  it('refuses an answer whose state is not the one this tab sent, and exchanges no code', async () => {
    const page = await openTab();
    const exchangesBefore = provider.tokenRequests.length;
    await page.goto(`${url}/specs`);
    provider.forgeNextState = 'forged-state-from-another-sign-in';
    await page.getByTestId('oidc-sign-in').click();
    await page.waitForURL(/\/auth\/callback\?/);
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain('このタブで開始したログインのものではありません');
    expect(await alert.textContent()).toContain('STATE_MISMATCH');
    expect(provider.tokenRequests.length).toBe(exchangesBefore);
    expect(await storedToken(page)).toBeNull();
    expect(await page.getByTestId('who').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'login-oidc-refused');

    // Starting again works: the refused attempt left nothing behind that blocks the next one.
    await page.getByRole('link', { name: 'ログインをやり直す' }).click();
    await page.getByTestId('oidc-sign-in').click();
    await page.getByTestId('who').waitFor({ timeout: 30_000 });
    await page.context().close();
  });

  it('refuses a callback this tab never started (a link with a code from elsewhere)', async () => {
    const page = await openTab();
    await page.goto(`${url}/auth/callback?code=stolen-code&state=whatever`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('NO_PENDING_SIGN_IN');
    expect(await storedToken(page)).toBeNull();
    await page.context().close();
  });

  it('asks nothing of any host but the app and its identity provider', () => {
    const allowed = new Set([new URL(url).host, new URL(provider.issuer).host]);
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((u) => !allowed.has(new URL(u).host))).toEqual([]);
  });
});
