/**
 * The consultation pages in a real browser against the built app: 札幌市's member drafts a stance,
 * 札幌市's approver approves it (決裁), and a third browser's tally and respondent list change
 * without a reload — also after a network drop, when a stance cast meanwhile arrives by itself.
 * A hidden round says so instead of a tally; a ladder round shows its stages. axe-core on every
 * page at laptop and tablet sizes, screenshots under test-results/screenshots/, and no request
 * leaves the app's origin.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { demoLogin, gqlData, stopAllApps } from '../support/app-process';
import { DEMO_CONTENT } from '../../apps/api/src/organisations/seed/demo-content-ids';
import { castStance, mutateOk, openRound, submittedProposal, settled } from './support/api-fixtures';
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

jest.setTimeout(240_000);

const ADMIN = 'admin@digital.example.jp'; // デジタル庁: admin, coordinator — opens rounds, owns the demo spec
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp'; // 札幌市: member
const SAPPORO_APPROVER = 'approver@city.sapporo.example.jp'; // 札幌市: member, approver
const HINOHARA = 'staff@vill.hinohara.example.jp'; // 檜原村: member, approver, admin
const AUDITOR = 'auditor@observer.example.jp'; // viewer
const HOKKAIDO = 'coordinator@pref.hokkaido.example.jp'; // 北海道: member, coordinator
const SAPPORO = '011002';
const HINOHARA_ID = '133078';
const TOTTORI_CITY = '312011';

describeInBrowser('the consultation pages', () => {
  let web: WebApp;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  const requested: string[] = [];
  let roundId: string;
  let hiddenRoundId: string;
  let ladderRoundId: string;
  let loneProposalId: string;

  const tab = async (email: string, size?: { width: number; height: number }): Promise<Page> => {
    const { page } = await newTab(browser, size);
    recordRequests(page, requested);
    await signIn(page, web.url, email);
    return page;
  };
  const openPage = async (page: Page, consultationId: string) => {
    await page.goto(`${web.url}/consultations/${consultationId}`);
    await page.getByRole('heading', { level: 1, name: /^意見照会: / }).waitFor();
  };
  const tallyOf = (page: Page) =>
    Promise.all(['approve', 'object', 'abstain', 'block'].map(async (s) => Number(await page.getByTestId(`tally-${s}`).textContent())));
  const orgsIn = (page: Page, section: 'non-respondents' | 'respondents') =>
    page
      .getByTestId(section)
      .locator('[data-org]')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-org')));

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    for (const email of [ADMIN, HINOHARA]) tokens[email] = await demoLogin(web.url, email);
    const lone = await submittedProposal(web.url, tokens[ADMIN], '旧氏の記載の選択(意見照会)');
    loneProposalId = lone.proposalId;
    ({ consultationId: roundId } = await openRound(web.url, tokens[ADMIN], lone.proposalId, [SAPPORO, HINOHARA_ID, TOTTORI_CITY]));
    ({ consultationId: hiddenRoundId } = await openRound(web.url, tokens[ADMIN], lone.proposalId, [SAPPORO, HINOHARA_ID], { resultsHidden: true }));
    // A ladder: 北海道's municipalities → the 47 prefectures → デジタル庁's decision.
    const laddered = await submittedProposal(web.url, tokens[ADMIN], '旧氏の記載の選択(批准)');
    const rules = { quorumPercent: 50, thresholdPercent: 50, thresholdBasis: 'APPROVE_OF_ALL_CAST', blockVetoes: false, durationSeconds: 3600 };
    const chosen = await mutateOk<{ ladder: { stages: { rounds: { consultationId: string }[] }[] } }>(
      web.url,
      tokens[ADMIN],
      'chooseLadder',
      'ChooseLadderInput',
      {
        proposalId: laddered.proposalId,
        stages: [
          { kind: 'PREFECTURAL_ROUNDS', prefectureIds: ['010006'], rules: { ...rules, resultsHidden: false } },
          { kind: 'PREFECTURES_ROUND', rules: { ...rules, resultsHidden: true } },
          { kind: 'NATIONAL_DECISION' },
        ],
      },
      'ladder { stages { rounds { consultationId } } }',
    );
    ladderRoundId = chosen.ladder.stages[0].rounds[0].consultationId;
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllApps();
    await web?.drop();
  });

  it('shows a member’s draft on the approver’s open page, and the approved stance as a change of the tally in a third browser, without a reload, also after a network drop', async () => {
    const member = await tab(SAPPORO_STAFF);
    const approver = await tab(SAPPORO_APPROVER);
    const watcher = await tab(AUDITOR);
    await openPage(watcher, roundId);
    await watcher.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: 30_000 });
    expect(await tallyOf(watcher)).toEqual([0, 0, 0, 0]);
    // Non-respondents first, grouped by prefecture in code order: 北海道, 東京都, 鳥取県.
    expect(await orgsIn(watcher, 'non-respondents')).toEqual([SAPPORO, HINOHARA_ID, TOTTORI_CITY]);
    // (prefecture names arrive after the round itself)
    await watcher.getByTestId('non-respondents').locator('h4', { hasText: '鳥取県' }).waitFor();
    expect(await watcher.getByTestId('non-respondents').locator('h4').allTextContents()).toEqual(['北海道 (1)', '東京都 (1)', '鳥取県 (1)']);
    const sections = await watcher
      .locator('[data-testid="non-respondents"], [data-testid="respondents"]')
      .evaluateAll((s) => s.map((e) => e.getAttribute('data-testid')));
    expect(sections).toEqual(['non-respondents', 'respondents']);
    await watcher.evaluate(() => ((globalThis as unknown as { noReload: boolean }).noReload = true));
    const navigations: string[] = [];
    watcher.on('framenavigated', (frame) => frame === watcher.mainFrame() && navigations.push(frame.url()));

    // The approver (決裁者) has the page open before there is any draft.
    await openPage(approver, roundId);
    await approver.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: 30_000 });
    await approver.getByTestId('draft-form').waitFor(); // 札幌市 is in the electorate; the approver may draft too
    await settled(approver);
    expect(await approver.getByTestId('drafts').count()).toBe(0);
    await approver.evaluate(() => ((globalThis as unknown as { noReload: boolean }).noReload = true));
    const approverNavigations: string[] = [];
    approver.on('framenavigated', (frame) => frame === approver.mainFrame() && approverNavigations.push(frame.url()));

    // The member drafts: an objection needs a reason, so the button waits for one; then approve.
    await openPage(member, roundId);
    const form = member.getByTestId('draft-form');
    await form.getByRole('radio', { name: '反対' }).check();
    expect(await form.getByRole('button', { name: '起案する' }).isDisabled()).toBe(true);
    await form.getByRole('radio', { name: '賛成' }).check();
    await form.getByRole('textbox', { name: /理由/ }).fill('旧氏の選択は住民サービスの向上に資するため');
    await form.getByRole('button', { name: '起案する' }).click();
    await member.getByTestId('stance-status').filter({ hasText: '起案しました' }).waitFor();
    const draft = member.getByTestId('drafts').locator('li', { hasText: '旧氏の選択は住民サービスの向上に資するため' });
    await draft.getByText('決裁待ち').waitFor();
    expect(await member.getByTestId('approve-draft').count()).toBe(0); // a member does not approve
    // A draft is not a stance: the watcher's tally has not moved.
    expect(await tallyOf(watcher)).toEqual([0, 0, 0, 0]);

    // The draft's notice reaches the approver's open page (札幌市's people only): it shows the draft, ready to approve.
    const arrived = approver.getByTestId('drafts').locator('li', { hasText: '旧氏の選択は住民サービスの向上に資するため' });
    await arrived.getByTestId('approve-draft').waitFor({ timeout: 15_000 });
    await arrived.getByTestId('approve-draft').click();
    await approver.getByTestId('official-stance').filter({ hasText: '賛成' }).waitFor();
    expect(approverNavigations).toEqual([]);
    expect(await approver.evaluate(() => (globalThis as unknown as { noReload?: boolean }).noReload)).toBe(true);

    // The third browser: the tally and the lists change by themselves.
    await watcher.getByTestId('tally-approve').filter({ hasText: /^1$/ }).waitFor({ timeout: 15_000 });
    expect(await tallyOf(watcher)).toEqual([1, 0, 0, 0]);
    expect(await watcher.getByTestId('live-update').textContent()).toMatch(/公式見解の決裁/);
    expect(await orgsIn(watcher, 'non-respondents')).toEqual([HINOHARA_ID, TOTTORI_CITY]);
    expect(await orgsIn(watcher, 'respondents')).toEqual([SAPPORO]);
    expect(await watcher.getByTestId('respondents').locator(`[data-org="${SAPPORO}"]`).textContent()).toMatch(/札幌市\s*賛成/);

    // The API says the same.
    const { consultation } = await gqlData(
      web.url,
      'query ($id: ID!) { consultation(id: $id) { tally { counts { approve object } } } }',
      { id: roundId },
      tokens[HINOHARA],
    );
    expect(consultation.tally.counts).toEqual({ approve: 1, object: 0 });

    // The watcher's network drops; 檜原村 objects meanwhile; the page catches up once it is back.
    await watcher.context().setOffline(true);
    await watcher.locator('[data-testid="live-indicator"]:not([data-status="live"])').waitFor({ timeout: 30_000 });
    await castStance(web.url, tokens[HINOHARA], roundId, 'OBJECT', '運用上の支障があるため');
    await watcher.context().setOffline(false);
    await watcher.getByTestId('tally-object').filter({ hasText: /^1$/ }).waitFor({ timeout: 30_000 });
    expect(await tallyOf(watcher)).toEqual([1, 1, 0, 0]);
    expect(await orgsIn(watcher, 'non-respondents')).toEqual([TOTTORI_CITY]);

    expect(navigations).toEqual([]);
    expect(await watcher.evaluate(() => (globalThis as unknown as { noReload?: boolean }).noReload)).toBe(true);
    await screenshot(watcher, 'consultation-watcher');
    await screenshot(approver, 'consultation-approver');
    await Promise.all([member, approver, watcher].map((p) => p.context().close()));
  });

  it('keeps a hidden round’s tally hidden until close, showing only one’s own stance, and shows it live once a coordinator closes it early', async () => {
    await castStance(web.url, tokens[HINOHARA], hiddenRoundId, 'APPROVE');
    const page = await tab(HINOHARA);
    await openPage(page, hiddenRoundId);
    await page.getByTestId('tally-hidden').waitFor();
    expect(await page.getByTestId('tally').count()).toBe(0);
    expect(await page.getByTestId('official-stance').textContent()).toMatch(/賛成/);
    expect(await orgsIn(page, 'non-respondents')).toEqual([SAPPORO]);
    expect(await page.getByTestId('download-csv').isDisabled()).toBe(true);

    // デジタル庁's coordinator closes it early: the tally and the outcome appear on the open page by themselves.
    const coordinator = await tab(ADMIN);
    await openPage(coordinator, hiddenRoundId);
    await coordinator.getByRole('button', { name: 'この意見照会を早期に終了する' }).click();
    await coordinator.getByRole('textbox', { name: '終了の理由' }).fill('回答期限を前倒ししたため');
    await coordinator.getByRole('button', { name: '終了する', exact: true }).click();
    await page.getByTestId('tally').waitFor({ timeout: 15_000 });
    expect(await tallyOf(page)).toEqual([1, 0, 0, 0]);
    expect(await page.getByTestId('consultation-status').textContent()).toBe('終了');
    // 1 of 2 answered (quorum 50 % met), approve 1 of 1 (threshold 60 % met): passed.
    expect(await page.getByTestId('outcome').textContent()).toMatch(/^可決/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    expect(readFileSync((await download.path())!, 'utf8')).toContain('檜原村');
    await Promise.all([page, coordinator].map((p) => p.context().close()));
  });

  it('shows a ladder round with its stages, the current one marked, and lets the prefecture answer for a city that mandated it', async () => {
    const page = await tab(SAPPORO_STAFF);
    await openPage(page, ladderRoundId);
    const ladder = page.getByTestId('ladder');
    await ladder.waitFor();
    expect(await ladder.locator('li.ladder-stage').count()).toBe(3);
    expect(await page.getByTestId('ladder-stage-1').getAttribute('aria-current')).toBe('step');
    expect(await page.getByTestId('ladder-stage-1').textContent()).toMatch(/都道府県ごとの市区町村の意見照会.*受付中/);
    expect(await page.getByTestId('ladder-stage-2').textContent()).toMatch(/待機中/);
    // 札幌市 is one of 北海道's municipalities: it may draft here.
    await page.getByTestId('draft-form').waitFor();
    await page.context().close();

    // 札幌市's approver mandates 北海道 for this round; 北海道's coordinator answers for 札幌市 and approves it.
    await mutateOk(web.url, await demoLogin(web.url, SAPPORO_APPROVER), 'grantMandate', 'GrantMandateInput', {
      granteeOrganisationId: '010006',
      scope: { consultationId: ladderRoundId },
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const prefecture = await tab(HOKKAIDO);
    await openPage(prefecture, ladderRoundId);
    const form = prefecture.getByTestId('draft-form');
    await form.getByTestId('voter').locator(`option[value="${SAPPORO}"]`).waitFor({ state: 'attached' });
    // 北海道 itself is not in its municipalities' round: the mandating city is its only choice.
    expect(
      await form
        .getByTestId('voter')
        .locator('option')
        .evaluateAll((o) => o.map((e) => e.getAttribute('value'))),
    ).toEqual([SAPPORO]);
    await form.getByRole('radio', { name: '棄権' }).check();
    await form.getByRole('button', { name: '起案する' }).click();
    await prefecture.getByTestId('approve-draft').click();
    await prefecture.getByTestId('respondents').locator(`[data-org="${SAPPORO}"]`).filter({ hasText: '北海道 が委任により回答' }).waitFor({ timeout: 15_000 });
    expect(await prefecture.getByTestId(`mandated-stance-${SAPPORO}`).textContent()).toMatch(/棄権/);
    await prefecture.context().close();
  });

  it('lists every round, or those of one proposal, with their state and answers', async () => {
    const page = await tab(AUDITOR);
    await page.goto(`${web.url}/consultations`);
    const rows = page.getByTestId('consultation-list').locator('tbody tr');
    // This file's three rounds, and the demo seed's.
    await rows.nth(3).waitFor();
    expect(await rows.filter({ hasNot: page.locator(`a[href$="/consultations/${DEMO_CONTENT.consultation}"]`) }).count()).toBe(3);
    await page.goto(`${web.url}/consultations?proposal=${loneProposalId}`);
    await page.getByText('修文案「旧氏の記載の選択(意見照会)」の意見照会').waitFor();
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="consultation-list"] tbody tr').length === 2);
    const texts = await rows.allTextContents();
    // Newest first: the hidden round, closed early above (its answers shown now), then the open one.
    expect(texts[0]).toMatch(/終了\s*可決.*1 \/ 2 団体が回答/);
    expect(texts[1]).toMatch(/受付中.*2 \/ 3 団体が回答/);
    await page.getByRole('link', { name: '旧氏の記載の選択(意見照会)' }).last().click();
    await page.getByRole('heading', { level: 1, name: '意見照会: 旧氏の記載の選択(意見照会)' }).waitFor();
    await page.context().close();
  });

  it('has no serious accessibility violations on its pages, at laptop and tablet sizes, and asks nothing of any other origin', async () => {
    const pages: [string, string, RegExp][] = [
      ['consultations', '/consultations', /^意見照会/],
      ['consultation', `/consultations/${roundId}`, /^意見照会: /],
      ['consultation-hidden', `/consultations/${hiddenRoundId}`, /^意見照会: /],
      ['consultation-ladder', `/consultations/${ladderRoundId}`, /^意見照会: /],
    ];
    for (const size of [
      { name: 'laptop', width: 1280, height: 800 },
      { name: 'tablet', width: 768, height: 1024 },
    ]) {
      const page = await tab(SAPPORO_APPROVER, size);
      for (const [name, path, heading] of pages) {
        await page.goto(`${web.url}${path}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await settled(page);
        expect({ page: name, size: size.name, violations: await seriousA11yViolations(page) }).toEqual({ page: name, size: size.name, violations: [] });
        expect({ page: name, width: await page.evaluate('document.documentElement.scrollWidth') }).toEqual({ page: name, width: size.width });
        await screenshot(page, `${name}-${size.name}`);
      }
      await page.context().close();
    }
    const foreign = requested.filter((u) => {
      const url = new URL(u);
      return url.hostname !== '127.0.0.1' || !['http:', 'ws:'].includes(url.protocol);
    });
    expect(requested.length).toBeGreaterThan(20);
    expect(foreign).toEqual([]);
  });
});
