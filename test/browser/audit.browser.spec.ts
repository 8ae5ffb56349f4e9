/**
 * The audit page in a real browser against the built app: a round's timeline straight from its
 * events (who, which organisation, when, what; drafts withheld from the auditor), filtered by type
 * and organisation, growing live when a stance is cast; the as-of picker (Japan time) shows the
 * earlier tally beside today's, and nothing before the round was opened; English and 和暦 on
 * request; the whole log verifies; an export the caller may not have in full is refused with the
 * server's reason, one it may have is saved as JSON Lines. axe-core at laptop and tablet sizes,
 * screenshots, and no request to any other origin.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { demoLogin, gqlData, stopAllApps } from '../support/app-process';
import { addPerson, castStance, openRound, submittedProposal, settled, until } from './support/api-fixtures';
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

const ADMIN = 'admin@digital.example.jp'; // デジタル庁: admin, coordinator
const SAPPORO_APPROVER = 'approver@city.sapporo.example.jp'; // 札幌市: member, approver
const HINOHARA = 'staff@vill.hinohara.example.jp'; // 檜原村: member, approver, admin
const AUDITOR = 'auditor@observer.example.jp'; // 情報公開オンブズマン: viewer
const SAPPORO = '011002';
const HINOHARA_ID = '133078';
const TOTTORI_CITY = '312011';

/** An instant as the datetime-local picker takes it: Japan time (UTC+9, no daylight saving), to the second. */
const japanLocal = (ms: number) => new Date(ms + 9 * 3_600_000).toISOString().slice(0, 19);

interface Entry {
  type: string;
  occurredAt: string;
  actor: { organisationId: string };
  summary: { ja: string; en: string };
}

describeInBrowser('the audit page', () => {
  let web: WebApp;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  const requested: string[] = [];
  let proposalId: string;
  let roundId: string;
  let entries: Entry[];

  const tab = async (email: string, size?: { width: number; height: number }): Promise<Page> => {
    const { page } = await newTab(browser, size);
    recordRequests(page, requested);
    await signIn(page, web.url, email);
    return page;
  };
  const timelineTypes = (page: Page) => page.getByTestId('timeline-entry').evaluateAll((items) => items.map((li) => li.getAttribute('data-type')));
  const tallyIn = (page: Page, where: 'as-of-state' | 'now-state') =>
    Promise.all(['approve', 'object', 'abstain', 'block'].map(async (s) => Number(await page.getByTestId(where).getByTestId(`tally-${s}`).textContent())));
  const historyOf = async (): Promise<Entry[]> =>
    (
      await gqlData(
        web.url,
        'query ($id: ID!) { history(entity: CONSULTATION, id: $id, first: 200) { edges { node { type occurredAt actor { organisationId } summary { ja en } } } } }',
        { id: roundId },
        tokens[AUDITOR],
      )
    ).history.edges.map((e: { node: Entry }) => e.node);

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    for (const email of [ADMIN, SAPPORO_APPROVER, HINOHARA, AUDITOR]) tokens[email] = await demoLogin(web.url, email);
    // 鳥取市 gets its first person (an approver) now: its history has a before and an after.
    tokens[TOTTORI_CITY] = await addPerson(web.url, tokens[ADMIN], TOTTORI_CITY, 'kessai', ['MEMBER', 'APPROVER']);
    ({ proposalId } = await submittedProposal(web.url, tokens[ADMIN], '旧氏の記載の選択(監査)'));
    ({ consultationId: roundId } = await openRound(web.url, tokens[ADMIN], proposalId, [SAPPORO, HINOHARA_ID, TOTTORI_CITY]));
    await castStance(web.url, tokens[SAPPORO_APPROVER], roundId, 'APPROVE');
    // The second stance a whole second later, so that a picker to the second falls between the two.
    const [, , cast] = await historyOf();
    const between = Math.ceil((Date.parse(cast.occurredAt) + 1) / 1000) * 1000;
    while (Date.now() < between + 300) await new Promise((r) => setTimeout(r, 50));
    await castStance(web.url, tokens[HINOHARA], roundId, 'OBJECT', '運用上の支障があるため');
    entries = await historyOf();
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllApps();
    await web?.drop();
  });

  it('shows the timeline with who, when and what, filters it by type, organisation and person, and grows it live', async () => {
    expect(entries.map((e) => `${e.type}:${e.actor.organisationId}`)).toEqual([
      'ConsultationOpened:digital-agency',
      `StanceDrafted:${SAPPORO}`,
      `StanceCast:${SAPPORO}`,
      `StanceDrafted:${HINOHARA_ID}`,
      `StanceCast:${HINOHARA_ID}`,
    ]);
    const page = await tab(AUDITOR);
    await page.goto(`${web.url}/audit?entity=CONSULTATION&id=${roundId}`);
    await page.getByRole('heading', { level: 1, name: /^監査/ }).waitFor();
    await page.getByTestId('timeline-entry').nth(4).waitFor();
    expect(await timelineTypes(page)).toEqual(entries.map((e) => e.type));
    const texts = await page.getByTestId('timeline-entry').allTextContents();
    // Each entry: the Japanese summary and the acting organisation; a draft's stance is withheld from the auditor.
    expect(texts[2]).toContain(entries[2].summary.ja);
    expect(texts[2]).toContain('札幌市');
    expect(texts[1]).toContain('一部非表示');
    expect(texts[2]).not.toContain('一部非表示');

    await page.getByTestId('filter-type').selectOption('StanceCast');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="timeline-entry"]').length === 2);
    expect(await timelineTypes(page)).toEqual(['StanceCast', 'StanceCast']);
    await page.getByTestId('filter-type').selectOption('');
    await page.getByTestId('filter-organisation').selectOption(HINOHARA_ID);
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="timeline-entry"]').length === 2);
    expect(await timelineTypes(page)).toEqual(['StanceDrafted', 'StanceCast']);
    await page.getByTestId('filter-organisation').selectOption('');
    await page.getByTestId('filter-person').selectOption('demo-sapporo-approver');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="timeline-entry"]').length === 2);
    expect((await page.getByTestId('timeline-entry').allTextContents()).every((text) => text.includes('demo-sapporo-approver'))).toBe(true);
    await page.getByTestId('filter-person').selectOption('');
    await page.getByTestId('timeline-entry').nth(4).waitFor();

    // 鳥取市 abstains: the open page shows the two new events without a reload.
    await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: 30_000 });
    await castStance(web.url, tokens[TOTTORI_CITY], roundId, 'ABSTAIN');
    await page.getByTestId('timeline-entry').nth(6).waitFor({ timeout: 15_000 });
    expect((await timelineTypes(page)).slice(5)).toEqual(['StanceDrafted', 'StanceCast']);

    // English, and the Japanese era.
    await page.getByTestId('language').selectOption('en');
    await page.getByRole('heading', { level: 1, name: /^Audit/ }).waitFor();
    // Wait for what is checked (the re-render after a switch), never for a fixed time.
    await until(
      'the English summary',
      () => page.getByTestId('timeline-entry').nth(2).textContent(),
      (text) => !!text?.includes(entries[2].summary.en),
      10_000,
    );
    await page.getByTestId('language').selectOption('ja');
    await page.getByTestId('calendar').selectOption('japanese');
    const firstTime = page.getByTestId('timeline-entry').first().locator('.timeline-head time');
    await until(
      'a date in 和暦',
      () => firstTime.textContent(),
      (text) => /^令和\d+年/.test(text ?? ''),
      10_000,
    );
    await page.getByTestId('calendar').selectOption('gregorian');
    await screenshot(page, 'audit-timeline');
    await page.context().close();
  });

  it('shows with the as-of picker the earlier tally beside today’s, nothing before the round opened, and an organisation before its first person', async () => {
    const page = await tab(AUDITOR);
    await page.goto(`${web.url}/audit?entity=CONSULTATION&id=${roundId}`);
    await page.getByTestId('as-of-input').waitFor();
    // Between 札幌市's approval and 檜原村's objection.
    const between = Math.ceil((Date.parse(entries[2].occurredAt) + 1) / 1000) * 1000;
    expect(between).toBeLessThan(Date.parse(entries[4].occurredAt));
    await page.getByTestId('as-of-input').fill(japanLocal(between));
    await page.getByTestId('as-of-show').click();
    await page.getByTestId('as-of-state').getByTestId('tally').waitFor();
    await page.locator('[data-testid="now-state"] [data-testid="tally"]').waitFor();
    const now = await tallyIn(page, 'now-state');
    expect(await tallyIn(page, 'as-of-state')).toEqual([1, 0, 0, 0]);
    expect(now.slice(0, 2)).toEqual([1, 1]);
    expect(new URL(page.url()).searchParams.get('asOf')).toBe(new Date(between).toISOString());
    await screenshot(page, 'audit-as-of');

    // A moment before the opening: it did not exist.
    const before = Math.floor(Date.parse(entries[0].occurredAt) / 1000) * 1000 - 1000;
    await page.getByTestId('as-of-input').fill(japanLocal(before));
    await page.getByTestId('as-of-show').click();
    await page.getByTestId('as-of-state').getByText('この時点ではまだ存在していません。').waitFor();

    // An entry's own moment, from the timeline: the state right after 檜原村's objection.
    await page.getByTestId('timeline-entry').nth(4).getByRole('button', { name: 'この時点の状態を表示' }).click();
    await page.getByTestId('as-of-state').getByTestId('tally-object').filter({ hasText: /^1$/ }).waitFor();
    expect(await tallyIn(page, 'as-of-state')).toEqual([1, 1, 0, 0]);

    // An organisation as of its registration, before its first person was added.
    await page.goto(`${web.url}/audit?entity=ORGANISATION&id=${TOTTORI_CITY}`);
    const registered = page.getByTestId('timeline-entry').first();
    await registered.waitFor();
    expect(await timelineTypes(page)).toEqual(['OrganisationRegistered', 'MemberAdded']);
    await registered.getByRole('button', { name: 'この時点の状態を表示' }).click();
    await page.getByTestId('as-of-state').getByTestId('state-member-count').filter({ hasText: /^0$/ }).waitFor();
    expect(await page.getByTestId('now-state').getByTestId('state-member-count').textContent()).toBe('1');
    await page.context().close();
  });

  it('verifies the log, refuses an export withheld in part with the server’s reason, and saves one that is whole', async () => {
    const page = await tab(AUDITOR);
    await page.goto(`${web.url}/audit?entity=CONSULTATION&id=${roundId}`);
    // A new platform has signed no checkpoint yet: every chain matches, and the page says what is missing.
    await page.getByTestId('verify').click();
    const verified = page.getByTestId('verify-result');
    await verified.waitFor({ timeout: 60_000 });
    expect([await verified.getAttribute('data-ok'), await verified.getAttribute('data-chains')]).toEqual(['false', 'intact']);
    expect(await verified.textContent()).toMatch(/署名付きチェックポイントがまだない/);
    // デジタル庁's admin signs one; verified again, the log and the checkpoint match.
    const { createAuditCheckpoint } = await gqlData(
      web.url,
      'mutation { createAuditCheckpoint { checkpoint { sequence } errors { code message } } }',
      {},
      tokens[ADMIN],
    );
    expect(createAuditCheckpoint.errors).toEqual([]);
    await page.getByTestId('verify').click();
    await page.locator('[data-testid="verify-result"][data-ok="true"]').waitFor({ timeout: 60_000 });
    expect(await verified.textContent()).toMatch(/改ざんは見つかりません/);
    expect(await verified.textContent()).toContain(`チェックポイント 第${createAuditCheckpoint.checkpoint.sequence}号`);

    // The drafts are the drafting towns' own: the auditor may not have this history whole.
    await page.getByTestId('export-csv').click();
    await page.getByRole('alert').filter({ hasText: 'WITHHELD_ENTRIES' }).waitFor();

    // A submitted proposal's history is whole for everyone: saved as JSON Lines the verify tool reads.
    await page.goto(`${web.url}/audit?entity=PROPOSAL&id=${proposalId}`);
    await page.getByTestId('timeline-entry').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-jsonl').click()]);
    expect(download.suggestedFilename()).toMatch(/\.jsonl$/);
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(records)).toContain(`Proposal-${proposalId}`);
    await page.getByTestId('export-status').filter({ hasText: '保存しました' }).waitFor();
    await page.context().close();
  });

  it('has no serious accessibility violations, at laptop and tablet sizes, and asks nothing of any other origin', async () => {
    const between = new Date(Math.ceil((Date.parse(entries[2].occurredAt) + 1) / 1000) * 1000).toISOString();
    const pages: [string, string][] = [
      ['audit', '/audit'],
      ['audit-consultation', `/audit?entity=CONSULTATION&id=${roundId}&asOf=${encodeURIComponent(between)}`],
      ['audit-proposal', `/audit?entity=PROPOSAL&id=${proposalId}`],
    ];
    for (const size of [
      { name: 'laptop', width: 1280, height: 800 },
      { name: 'tablet', width: 768, height: 1024 },
    ]) {
      const page = await tab(AUDITOR, size);
      for (const [name, path] of pages) {
        await page.goto(`${web.url}${path}`);
        await page.getByRole('heading', { level: 1, name: /^監査/ }).waitFor();
        await settled(page);
        if (name !== 'audit') await page.getByTestId('timeline-entry').first().waitFor();
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
