/**
 * The web client in a real browser (Debian's Chromium, headless) against the built app: live
 * comments between two browsers (also across a network drop), the draft editor's diff as you
 * type and the stored draft, the language and 和暦 switches, no request leaving the app's
 * origin, axe-core on every main page, and screenshots of them under test-results/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { demoLogin, freePort, gqlData, startApp, stopAllApps } from '../support/app-process';
import {
  describeInBrowser,
  launchBrowser,
  newTab,
  recordRequests,
  screenshot,
  seriousA11yViolations,
  signIn,
  startWebApp,
  type WebApp,
} from './support/browser';
import { until } from './support/api-fixtures';

jest.setTimeout(180_000);

const SAPPORO_STAFF = 'staff@city.sapporo.example.jp'; // 札幌市: member
const SAPPORO_APPROVER = 'approver@city.sapporo.example.jp'; // 札幌市: member, approver
const SECRETARIAT = 'admin@digital.example.jp'; // デジタル庁, the demo spec's owner: admin, coordinator
const HINOHARA = 'staff@vill.hinohara.example.jp'; // 檜原村: member, approver, admin
const SPEC = 'juminkiroku';
const VERSION = '4.0';

interface Requirement {
  requirementId: string;
  title: string;
  text: string;
}

describeInBrowser('the web client', () => {
  let web: WebApp;
  let browser: Browser;
  let requirements: Requirement[];
  let proposalId: string;
  /** Every URL any page asked for, in every test. */
  const requested: string[] = [];

  const tab = async (email: string, size?: { width: number; height: number }): Promise<Page> => {
    const { page } = await newTab(browser, size);
    recordRequests(page, requested);
    await signIn(page, web.url, email);
    return page;
  };

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    const staff = await demoLogin(web.url, SAPPORO_STAFF);
    const data = await gqlData<{ specVersion: { requirements: { edges: { node: Requirement }[] } } }>(
      web.url,
      'query ($s: ID!, $v: String!) { specVersion(specId: $s, version: $v) { requirements(first: 10) { edges { node { requirementId title text } } } } }',
      { s: SPEC, v: VERSION },
      staff,
    );
    requirements = data.specVersion.requirements.edges.map((e) => e.node);
    // A submitted proposal of 札幌市 with two revisions, for the proposal page.
    const [first, second] = requirements;
    const drafted = await gqlData(
      web.url,
      'mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id } position errors { code message } } }',
      {
        input: {
          specId: SPEC,
          specVersion: VERSION,
          title: '転入届の受付に関する修文案',
          changes: [
            {
              kind: 'MODIFY',
              requirementId: first.requirementId,
              after: `${first.text}また、電子申請による届出も受け付けること。`,
              reason: '電子申請への対応',
            },
          ],
        },
      },
      staff,
    );
    expect(drafted.draftProposal.errors).toEqual([]);
    proposalId = drafted.draftProposal.proposal.id;
    const revised = await gqlData(
      web.url,
      'mutation ($input: ReviseProposalInput!) { reviseProposal(input: $input) { position errors { code message } } }',
      {
        input: {
          proposalId,
          title: '転入届の受付に関する修文案',
          changes: [
            {
              kind: 'MODIFY',
              requirementId: first.requirementId,
              after: `${first.text}また、オンラインによる届出も受け付けること。`,
              reason: '電子申請への対応',
            },
            { kind: 'DELETE', requirementId: second.requirementId, reason: '運用で対応できるため' },
          ],
        },
      },
      staff,
    );
    expect(revised.reviseProposal.errors).toEqual([]);
    const submitted = await gqlData(
      web.url,
      'mutation ($input: SubmitProposalInput!) { submitProposal(input: $input) { position errors { code message } } }',
      { input: { proposalId } },
      await demoLogin(web.url, SAPPORO_APPROVER),
    );
    expect(submitted.submitProposal.errors).toEqual([]);
    // Pages read the read models: wait until the submission shows there.
    await gqlData(
      web.url,
      'query ($id: ID!, $w: Position) { proposal(id: $id, waitFor: $w) { id } }',
      { id: proposalId, w: submitted.submitProposal.position },
      staff,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllApps();
    await web?.drop();
  });

  it('shows a comment posted in one browser in a second one without a reload, also after a network drop, and the secretariat disposes it', async () => {
    const author = await tab(SAPPORO_STAFF);
    const reader = await tab(SECRETARIAT);
    for (const page of [author, reader]) {
      await page.goto(`${web.url}/proposals/${proposalId}`);
      await page.getByRole('heading', { level: 1, name: '転入届の受付に関する修文案' }).waitFor();
      await expectLive(page);
    }
    // A reload would lose this mark.
    await reader.evaluate(() => ((globalThis as unknown as { noReload: boolean }).noReload = true));
    const navigations: string[] = [];
    reader.on('framenavigated', (frame) => frame === reader.mainFrame() && navigations.push(frame.url()));

    const firstChange = author.locator('.change-row').first();
    await firstChange.getByRole('textbox', { name: /にコメントする/ }).fill('オンライン申請の本人確認方法を明記してください。');
    await firstChange.getByRole('button', { name: 'コメントを投稿' }).click();
    await author.locator('.comment-body', { hasText: 'オンライン申請の本人確認方法を明記してください。' }).waitFor();

    const arrived = reader.locator('.change-row').first().locator('.comment-body', { hasText: 'オンライン申請の本人確認方法を明記してください。' });
    await arrived.waitFor({ timeout: 15_000 });
    expect(await reader.getByTestId('live-update').textContent()).toMatch(/新しいコメント/);

    // The reader's network drops; a comment posted meanwhile arrives once it is back.
    await reader.context().setOffline(true);
    await reader.locator('[data-testid="live-indicator"]:not([data-status="live"])').waitFor({ timeout: 30_000 });
    await firstChange.getByRole('textbox', { name: /にコメントする/ }).fill('回線断の間の2件目のコメントです。');
    await firstChange.getByRole('button', { name: 'コメントを投稿' }).click();
    await author.locator('.comment-body', { hasText: '回線断の間の2件目のコメントです。' }).waitFor();
    await reader.context().setOffline(false);
    await reader.locator('.comment-body', { hasText: '回線断の間の2件目のコメントです。' }).waitFor({ timeout: 30_000 });
    await expectLive(reader);

    // The secretariat (the spec owner's coordinator) sees the disposition panel; the author does not.
    expect(await author.getByRole('group', { name: '事務局の対応' }).count()).toBe(0);
    const thread = reader.locator('li.comment', { hasText: 'オンライン申請の本人確認方法を明記してください。' });
    await thread.getByRole('combobox', { name: '対応区分' }).selectOption('ADDRESS_WITH_CHANGES');
    await thread.getByRole('textbox', { name: '対応案・回答' }).fill('本人確認の方法を別表に記載します。');
    await thread.getByRole('button', { name: '対応を記録' }).click();
    await author
      .locator('li.comment', { hasText: 'オンライン申請の本人確認方法を明記してください。' })
      .getByTestId('disposition')
      .filter({ hasText: '修正して対応' })
      .waitFor({ timeout: 15_000 });

    expect(navigations).toEqual([]);
    expect(await reader.evaluate(() => (globalThis as unknown as { noReload?: boolean }).noReload)).toBe(true);
    await screenshot(reader, 'proposal-secretariat');
    await Promise.all([author.context().close(), reader.context().close()]);
  });

  it('lets the author edit and retract their own comment, which a reader sees live without being offered either', async () => {
    const author = await tab(SAPPORO_STAFF);
    const reader = await tab(SECRETARIAT);
    for (const page of [author, reader]) {
      await page.goto(`${web.url}/proposals/${proposalId}`);
      await page.getByRole('heading', { level: 1, name: '転入届の受付に関する修文案' }).waitFor();
      await expectLive(page);
    }
    const change = author.locator('.change-row').last();
    await change.getByRole('textbox', { name: /にコメントする/ }).fill('削除の理由を補足してください。');
    await change.getByRole('button', { name: 'コメントを投稿' }).click();
    const mine = author.locator('li.comment', { hasText: '削除の理由' });
    await mine.locator('.comment-body', { hasText: '削除の理由を補足してください。' }).waitFor();
    const theirs = reader.locator('li.comment', { hasText: '削除の理由' });
    await theirs.waitFor({ timeout: 15_000 });
    // Only the author is offered edit and retract.
    expect(await theirs.getByRole('button', { name: '編集', exact: true }).count()).toBe(0);
    expect(await theirs.getByRole('button', { name: '撤回', exact: true }).count()).toBe(0);

    await mine.getByRole('button', { name: '編集', exact: true }).click();
    const editForm = mine.getByRole('form', { name: 'コメントの編集' });
    expect(await editForm.getByRole('textbox').inputValue()).toBe('削除の理由を補足してください。');
    await editForm.getByRole('textbox').fill('削除の理由(運用で対応できる範囲)を補足してください。');
    await editForm.getByRole('button', { name: '編集を保存' }).click();
    await mine.locator('.comment-body', { hasText: '削除の理由(運用で対応できる範囲)を補足してください。' }).waitFor();
    await editForm.waitFor({ state: 'detached' });
    await theirs.locator('.comment-body', { hasText: '運用で対応できる範囲' }).waitFor({ timeout: 15_000 });
    await theirs.getByText('第2稿').waitFor();

    await mine.getByRole('button', { name: '撤回', exact: true }).click();
    const retractForm = mine.getByRole('form', { name: 'コメントの撤回' });
    await retractForm.getByRole('textbox').fill('別のコメントにまとめるため');
    await retractForm.getByRole('button', { name: '撤回する' }).click();
    await mine.getByText('撤回済み').waitFor();
    expect(await mine.getByRole('button', { name: '編集', exact: true }).count()).toBe(0);
    expect(await mine.getByRole('button', { name: '撤回', exact: true }).count()).toBe(0);
    await theirs.getByText('撤回理由: 別のコメントにまとめるため').waitFor({ timeout: 15_000 });

    // The API kept both editions and the retraction.
    const token = await demoLogin(web.url, SAPPORO_STAFF);
    const { proposal } = await gqlData(
      web.url,
      'query ($id: ID!) { proposal(id: $id) { comments { body status retractionReason editions { body } } } }',
      { id: proposalId },
      token,
    );
    const stored = (proposal.comments as { body: string; status: string; retractionReason: string; editions: { body: string }[] }[]).find((c) =>
      c.body.startsWith('削除の理由'),
    );
    expect(stored).toEqual({
      body: '削除の理由(運用で対応できる範囲)を補足してください。',
      status: 'RETRACTED',
      retractionReason: '別のコメントにまとめるため',
      editions: [{ body: '削除の理由を補足してください。' }, { body: '削除の理由(運用で対応できる範囲)を補足してください。' }],
    });
    await Promise.all([author.context().close(), reader.context().close()]);
  });

  it('shows the diff as one types in the draft editor, and saves the draft as typed', async () => {
    const page = await tab(HINOHARA);
    const requirement = requirements[2];
    await page.goto(`${web.url}/specs/${SPEC}/versions/${VERSION}`);
    await page
      .locator(`[data-requirement-id="${requirement.requirementId}"]`)
      .getByRole('link', { name: /修文案を作成/ })
      .click();
    await page.getByRole('heading', { level: 1, name: '修文案の作成' }).waitFor();
    // The requirements load after the heading, and the text box is prefilled one render after the
    // original text shows: wait for each, then check it exactly.
    const before = page.getByTestId('before-text');
    await until(
      'the original text',
      () => before.textContent(),
      (text) => text === requirement.text,
      15_000,
    );
    const after = page.getByTestId('after-text');
    await until(
      'the prefilled text box',
      () => after.inputValue(),
      (value) => value === requirement.text,
      15_000,
    );

    // Replace the first two characters and append a sentence: a deletion and two insertions.
    const edited = `変更${requirement.text.slice(2)}なお、様式は別に定める。`;
    await after.fill(edited);
    const diff = page.getByTestId('diff');
    await diff.locator('ins', { hasText: 'なお、様式は別に定める。' }).waitFor();
    await expect(diff.locator('del').first().textContent()).resolves.toContain(requirement.text.slice(0, 2));
    await expect(diff.locator('ins').first().textContent()).resolves.toContain('変更');
    await screenshot(page, 'draft-editor');

    await page.getByTestId('proposal-title').fill('様式の定めに関する修文案');
    await page.getByTestId('reason').fill('様式を統一するため');
    await page.getByTestId('save-draft').click();
    await page.waitForURL(/\/proposals\/[^/]+\/edit/);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]);
    await page.getByRole('heading', { level: 1, name: '修文案の編集' }).waitFor();

    const token = await demoLogin(web.url, HINOHARA);
    const { proposal } = await gqlData(
      web.url,
      'query ($id: ID!) { proposal(id: $id) { title status specId specVersion authorOrganisationId changes { kind requirementId after reason } } }',
      { id },
      token,
    );
    expect(proposal).toEqual({
      title: '様式の定めに関する修文案',
      status: 'DRAFTED',
      specId: SPEC,
      specVersion: VERSION,
      authorOrganisationId: '133078',
      changes: [{ kind: 'MODIFY', requirementId: requirement.requirementId, after: edited, reason: '様式を統一するため' }],
    });

    // 檜原村's staff member is also its approver: the draft can be submitted from the editor.
    await page.getByRole('button', { name: '提出する' }).click();
    await page.waitForURL(new RegExp(`/proposals/${id}$`));
    await page.getByTestId('proposal-status').filter({ hasText: '提出済み' }).waitFor();
    await page.context().close();
  });

  it('switches to English and remembers it; shows dates in 和暦 when chosen', async () => {
    const page = await tab(SAPPORO_STAFF);
    await page.goto(`${web.url}/specs/${SPEC}`);
    await page.getByRole('heading', { level: 1, name: '住民記録システム標準仕様書' }).waitFor();
    const published = page.locator('td time').first();
    const shows = (pattern: RegExp) =>
      until(
        `a date like ${pattern}`,
        () => published.textContent(),
        (text) => pattern.test(text ?? ''),
        10_000,
      );
    await shows(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);

    await page.getByTestId('calendar').selectOption('japanese');
    await shows(/^令和\d+年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    // The dateTime attribute keeps the machine-readable instant.
    expect(await published.getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    await page.getByTestId('language').selectOption('en');
    await page.getByRole('columnheader', { name: 'Published' }).waitFor();
    await until(
      '<html lang="en">',
      () => page.locator('html').getAttribute('lang'),
      (lang) => lang === 'en',
      10_000,
    );
    await shows(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);
    await page.reload();
    await page.getByRole('link', { name: 'Specs' }).waitFor();
    expect(await page.getByTestId('language').inputValue()).toBe('en');
    await page.getByTestId('language').selectOption('ja');
    await page.getByRole('link', { name: '仕様書', exact: true }).waitFor();
    await page.context().close();
  });

  it("is served by the api: index.html for the client's routes (never cached), hashed assets cached for a year, the api's own paths untouched", async () => {
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const page = await fetch(`${web.url}/proposals/${proposalId}?from=1`, { headers: html });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const body = await page.text();
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(body)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${web.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    await asset.arrayBuffer();

    const health = await fetch(`${web.url}/health/live`, { headers: html });
    expect(await health.json()).toEqual({ status: 'ok' });
    const matrix = await fetch(`${web.url}/matrix/proposals/${proposalId}.xlsx`, { headers: html });
    expect(matrix.status).toBe(401); // the api's answer (no token), not the client's page
    expect(matrix.headers.get('content-type')).not.toMatch(/text\/html/);
    await matrix.arrayBuffer();
  });

  it("under OIDC, offers no demo users and says that the organisation's identity provider signs people in", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await startApp({
      seedDemo: false,
      env: {
        PORT: String(port),
        ALLOWED_ORIGINS: url,
        AUTH_MODE: 'oidc',
        OIDC_ISSUER: 'https://id.kyogi.example.jp/realms/kyogi',
        OIDC_AUDIENCE: 'kyogi-api',
        OIDC_JWKS_URL: 'https://id.kyogi.example.jp/realms/kyogi/protocol/openid-connect/certs',
      },
    });
    const { page } = await newTab(browser);
    recordRequests(page, requested);
    await page.goto(`${url}/proposals`);
    await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor();
    await page.getByText('所属団体の認証基盤(IDプロバイダ)が発行するトークンでログインします。').waitFor();
    expect(await page.locator('button.demo-user').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'login-oidc');
    await page.context().close();
  });

  it('has no serious accessibility violations on the main pages, at laptop and tablet sizes, and asks nothing of any other origin', async () => {
    const pages: [string, string, string][] = [
      ['specs', '/specs', '標準仕様書'],
      ['spec', `/specs/${SPEC}`, '住民記録システム標準仕様書'],
      ['spec-version', `/specs/${SPEC}/versions/${VERSION}`, '住民記録システム標準仕様書 第4.0版'],
      ['proposals', '/proposals', '修文案'],
      ['proposal', `/proposals/${proposalId}?from=1&to=2`, '転入届の受付に関する修文案'],
      ['proposal-new', `/proposals/new?specId=${SPEC}&version=${VERSION}&requirementId=${requirements[0].requirementId}`, '修文案の作成'],
    ];
    const { page: login } = await newTab(browser);
    recordRequests(login, requested);
    await login.goto(`${web.url}/`);
    await login.locator('button.demo-user').first().waitFor();
    expect(await seriousA11yViolations(login)).toEqual([]);
    await screenshot(login, 'login');
    await login.context().close();

    for (const size of [
      { name: 'laptop', width: 1280, height: 800 },
      { name: 'tablet', width: 768, height: 1024 },
    ]) {
      const page = await tab(SECRETARIAT, size);
      for (const [name, path, heading] of pages) {
        await page.goto(`${web.url}${path}`);
        await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
        await page.locator('[role="status"]', { hasText: '読み込み中' }).waitFor({ state: 'detached' });
        if (name === 'proposal') await page.getByTestId('revision-row').first().waitFor();
        expect({ page: name, size: size.name, violations: await seriousA11yViolations(page) }).toEqual({ page: name, size: size.name, violations: [] });
        // Nothing wider than the screen (no sideways scrolling on a tablet).
        expect({ page: name, width: await page.evaluate('document.documentElement.scrollWidth') }).toEqual({ page: name, width: size.width });
        await screenshot(page, `${name}-${size.name}`);
      }
      await page.context().close();
    }

    // Every app of this file runs on 127.0.0.1; nothing may go to any other host (fonts, scripts, icons, the IdP).
    const foreign = requested.filter((u) => {
      const url = new URL(u);
      return url.hostname !== '127.0.0.1' || !['http:', 'ws:'].includes(url.protocol);
    });
    expect(requested.length).toBeGreaterThan(20);
    expect(foreign).toEqual([]);
  });
});

async function expectLive(page: Page): Promise<void> {
  await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: 30_000 });
}
