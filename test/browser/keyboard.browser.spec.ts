/**
 * The web client with the keyboard alone (issue #8: "keyboard-usable"): signing in, the skip
 * link, the navigation and a search form are reached and used with Tab, Shift+Tab and Enter, and
 * the focused control always shows where the focus is.
 */
import type { Browser, Page } from 'playwright-core';
import { stopAllApps } from '../support/app-process';
import { describeInBrowser, launchBrowser, newTab, startWebApp, type WebApp } from './support/browser';
import { until } from './support/api-fixtures';

jest.setTimeout(120_000);

/** What has the focus: its tag, text or label, and whether it draws a visible focus indicator. */
async function focused(page: Page): Promise<{ tag: string; text: string; visible: boolean }> {
  // A string, evaluated in the page (this file is compiled without the DOM's types).
  return page.evaluate(`(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return { tag: 'body', text: '', visible: false };
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow !== 'none' && style.boxShadow !== '';
    const label = element.labels && element.labels[0] ? element.labels[0].textContent : '';
    const text = (element.getAttribute('aria-label') || element.textContent || label || '').trim();
    return { tag: element.tagName.toLowerCase(), text, visible: outline || ring };
  })()`);
}

/** Presses Tab until the focus is on an element whose text matches, at most `limit` times. */
async function tabTo(page: Page, matches: RegExp, limit = 40): Promise<{ tag: string; text: string; visible: boolean }> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (matches.test(now.text)) return now;
  }
  throw new Error(`Tab never reached ${matches} in ${limit} presses`);
}

describeInBrowser('the web client with the keyboard alone', () => {
  let web: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllApps();
    await web?.drop();
  });

  it('signs in, skips to the content, follows the navigation and searches, each focus visible', async () => {
    const { page } = await newTab(browser);
    await page.goto(`${web.url}/`);
    await page.locator('button.demo-user').first().waitFor();

    // Signing in: Tab to 札幌市's approver and press Enter.
    const user = await tabTo(page, /approver@city\.sapporo\.example\.jp/);
    expect(user).toMatchObject({ tag: 'button', visible: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('who').waitFor();
    await until(
      'the signed-in person in the header',
      () => page.getByTestId('who').textContent(),
      (text) => /札幌/.test(text ?? ''),
    );

    // The first Tab of a page lands on the skip link, which moves the focus past the navigation.
    await page.goto(`${web.url}/specs`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    const skip = await focused(page);
    expect(skip).toMatchObject({ tag: 'a', visible: true });
    await page.keyboard.press('Enter');
    const inMain = await page.evaluate(`!!document.activeElement && (document.activeElement.id === 'main' || !!document.activeElement.closest('main'))`);
    expect(inMain).toBe(true);

    // The navigation, from the top: Tab to 修文案 and follow it with Enter.
    await page.goto(`${web.url}/specs`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const link = await tabTo(page, /^修文案$/);
    expect(link).toMatchObject({ tag: 'a', visible: true });
    await page.keyboard.press('Enter');
    await until(
      'the proposals page',
      async () => new URL(page.url()).pathname,
      (path) => path === '/proposals',
    );

    // A search form: Tab into the field, type, Enter submits; Shift+Tab walks back out of it.
    await page.goto(`${web.url}/specs`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const field = await tabTo(page, /仕様書を検索/);
    expect(field).toMatchObject({ tag: 'input', visible: true });
    await page.keyboard.type('住民記録');
    await page.keyboard.press('Enter');
    await until(
      'the search result',
      () => page.getByRole('link', { name: '住民記録システム標準仕様書' }).count(),
      (n) => n === 1,
    );
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page)).tag).not.toBe('input');
  });
});
