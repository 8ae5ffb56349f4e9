/**
 * The browser tier: Debian's Chromium (/usr/bin/chromium, headless) driven by playwright-core
 * against the built app (`npm run build`, started with startApp). Without Chromium the tests
 * skip with one line — except in CI (CI set), where they fail: CI installs it (.ci/run).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestDatabase, embeddedServerUrl } from '../../support/databases';
import { freePort, startApp, type AppProcess, type StartAppOptions } from '../../support/app-process';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');

const available = existsSync(CHROMIUM);

/** `describe` when Chromium is there; otherwise one line and a skip — or, in CI, one failing test. */
export function describeInBrowser(name: string, body: () => void): void {
  if (available) return describe(name, body);
  if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package (see .ci/run)`);
      });
    });
    return;
  }
  process.stdout.write(`browser tests skipped: ${CHROMIUM} is not installed (apt-get install chromium)\n`);
  describe.skip(name, body);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface WebApp {
  /** http://127.0.0.1:<port>: the page's origin. */
  readonly url: string;
  readonly app: AppProcess;
  readonly drop: () => Promise<void>;
}

/**
 * The built app on a fresh database, with the demo data. The page's origin must be in
 * ALLOWED_ORIGINS for socket.io, so the port is chosen here and given to the app.
 */
export async function startWebApp(): Promise<WebApp> {
  const database = await createTestDatabase(embeddedServerUrl(), 'browser');
  const { url, app } = await startAppWithOrigin({ databaseUrl: database.url, seedDemo: true });
  return { url, app, drop: () => database.drop() };
}

/**
 * startApp on a port chosen here, with that origin in ALLOWED_ORIGINS. The port is free when
 * probed but another process may take it before the app listens; startApp's own retry keeps
 * the PORT it is given, so a lost port is retried here with a new one (and a new origin).
 * `url` is the page's origin (AppProcess.url names startApp's own port, which PORT overrides).
 */
export async function startAppWithOrigin(
  options: StartAppOptions,
  extraEnv: (url: string) => Record<string, string> = () => ({}),
): Promise<{ url: string; app: AppProcess }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    try {
      const app = await startApp({ ...options, env: { ...options.env, PORT: String(port), ALLOWED_ORIGINS: url, ...extraEnv(url) } });
      return { url, app };
    } catch (error) {
      if (attempt < 4 && /EADDRINUSE/.test((error as Error).message)) continue;
      throw error;
    }
  }
}

/** A tab of its own (own sessionStorage and localStorage), Japanese, in Tokyo, at a laptop's size. */
export async function newTab(browser: Browser, options: { width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
  });
  const page = await context.newPage();
  return { context, page };
}

/** Signs in through the login page's demo-user button and waits for the shell to show the person. */
export async function signIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.locator(`button.demo-user[data-email="${email}"]`).click();
  await page.getByTestId('who').waitFor();
}

/** Every URL the page asks for (HTTP requests and WebSockets), to check that none leaves the app's origin. */
export function recordRequests(page: Page, into: string[]): void {
  page.on('request', (request) => into.push(request.url()));
  page.on('websocket', (socket) => into.push(socket.url()));
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is. axe is evaluated through the
 * DevTools protocol rather than page.addScriptTag: the app's CSP (script-src 'self') rightly
 * refuses an injected inline script, and the test must not loosen the CSP it runs under.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // Runs in the page: globalThis is its window (the test's tsconfig has no DOM types).
    const page = globalThis as unknown as { axe: { run: (context: unknown, options: object) => Promise<{ violations: AxeViolation[] }> }; document: unknown };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
