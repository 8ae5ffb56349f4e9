/**
 * The talent-sharing pages in a real browser against the built app: the cost calculator's every
 * number (weights, shares before and after the subsidy, totals) equals the API's
 * talentCostCalculation for the same inputs, as the rule, the participants and the allotment
 * change; a refused input names its field. On an arrangement of three 北海道 towns, a town's
 * approver consents (決裁) in one browser and the proposer's browser shows it without a reload,
 * then a change of terms voids it — version by version in the consent matrix. axe-core on every
 * page at laptop and tablet sizes, screenshots, and no request to any other origin.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { demoLogin, gqlData, stopAllApps } from '../support/app-process';
import { addPerson, mutateOk, until, settled } from './support/api-fixtures';
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

const ADMIN = 'admin@digital.example.jp'; // デジタル庁: national admin — adds the towns' approvers
const HOKKAIDO = 'coordinator@pref.hokkaido.example.jp'; // 北海道: member, coordinator — the proposer
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp'; // 札幌市: member, not a participant

interface Row {
  organisationId: string;
  weight: number;
  shareYen: number;
  subsidyYen: number;
  netYen: number;
}
interface Table {
  rows: Row[];
  totals: { annualCostYen: number; subsidyTotalYen: number; netTotalYen: number };
}

const COST_TABLE = 'annualCostYen subsidyTotalYen netTotalYen shares { organisationId weight shareYen subsidyYen netYen }';

describeInBrowser('the talent-sharing pages', () => {
  let web: WebApp;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  const requested: string[] = [];
  let towns: { id: string; name: string }[];
  const arrangementId = `ta-browser-${randomUUID().slice(0, 8)}`;
  const approvers: string[] = [];

  const tab = async (who: { email: string } | { token: string }, size?: { width: number; height: number }): Promise<Page> => {
    const { page } = await newTab(browser, size);
    recordRequests(page, requested);
    if ('email' in who) await signIn(page, web.url, who.email);
    else {
      // A person added for the test: no demo-user button, so the token goes where the client keeps it.
      await page.goto(`${web.url}/`);
      await page.evaluate(
        (token) =>
          (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem(
            'kyogi.token',
            JSON.stringify({ token, expiresAt: null }),
          ),
        who.token,
      );
      await page.reload();
      await page.getByTestId('who').waitFor();
    }
    return page;
  };

  /** What the API computes for these inputs. */
  const apiTable = async (input: Record<string, unknown>): Promise<Table> => {
    const { talentCostCalculation } = await gqlData(
      web.url,
      `query ($input: TalentCostCalculationInput!) { talentCostCalculation(input: $input) { costTable { ${COST_TABLE} } errors { code field } } }`,
      { input },
      tokens[SAPPORO_STAFF],
    );
    expect(talentCostCalculation.errors).toEqual([]);
    const t = talentCostCalculation.costTable;
    return { rows: t.shares, totals: { annualCostYen: t.annualCostYen, subsidyTotalYen: t.subsidyTotalYen, netTotalYen: t.netTotalYen } };
  };

  /** What the page shows: the numbers behind each cell (data-yen, data-value), row by row. */
  const pageTable = async (page: Page): Promise<Table | null> => {
    if ((await page.getByTestId('calc-result').count()) === 0) return null;
    if ((await page.getByTestId('calc-status').getAttribute('data-busy')) === 'true') return null;
    return page.getByTestId('calc-result').evaluate((table) => {
      const num = (el: { getAttribute(name: string): string | null } | null, attr: string) => Number(el?.getAttribute(attr));
      const rows = [...table.querySelectorAll('tbody tr')].map((tr) => ({
        organisationId: (tr.getAttribute('data-testid') ?? '').replace('calc-row-', ''),
        weight: num(tr.querySelector('[data-testid="weight"]'), 'data-value'),
        shareYen: num(tr.querySelector('[data-testid="share"]'), 'data-yen'),
        subsidyYen: num(tr.querySelector('[data-testid="subsidy"]'), 'data-yen'),
        netYen: num(tr.querySelector('[data-testid="net"]'), 'data-yen'),
      }));
      return {
        rows,
        totals: {
          annualCostYen: num(table.querySelector('[data-testid="total-share"]'), 'data-yen'),
          subsidyTotalYen: num(table.querySelector('[data-testid="total-subsidy"]'), 'data-yen'),
          netTotalYen: num(table.querySelector('[data-testid="total-net"]'), 'data-yen'),
        },
      };
    });
  };

  const shows = (page: Page, expected: Table, what: string) =>
    until(
      what,
      () => pageTable(page),
      (seen) => JSON.stringify(seen) === JSON.stringify(expected),
      15_000,
    );

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    for (const email of [ADMIN, HOKKAIDO, SAPPORO_STAFF]) tokens[email] = await demoLogin(web.url, email);
    const { organisations } = await gqlData(
      web.url,
      '{ organisations(kind: MUNICIPALITY, prefectureCode: "01", first: 200) { edges { node { id name } } } }',
      {},
      tokens[HOKKAIDO],
    );
    towns = organisations.edges
      .map((e: { node: { id: string; name: string } }) => e.node)
      .filter((o: { name: string }) => o.name.endsWith('町'))
      .slice(0, 3);
    expect(towns).toHaveLength(3);
    for (const town of towns.slice(0, 2)) approvers.push(await addPerson(web.url, tokens[ADMIN], town.id, 'approver', ['MEMBER', 'APPROVER']));
    const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    const end = new Date(Date.parse(`${today}T00:00:00Z`) + 364 * 86_400_000).toISOString().slice(0, 10);
    await mutateOk(
      web.url,
      tokens[HOKKAIDO],
      'proposeTalentArrangement',
      'ProposeTalentArrangementInput',
      {
        id: arrangementId,
        role: 'DX推進アドバイザー',
        skills: ['業務改革', 'クラウド調達'],
        terms: {
          startDate: today,
          endDate: end,
          annualCostYen: 20_000_000,
          hostOrganisationId: towns[0].id,
          participants: towns.map((t, i) => ({ organisationId: t.id, population: 4_000 + i * 2_500, daysPerMonth: 5 })),
          splitRule: 'EQUAL',
        },
      },
      'arrangement { id }',
    );
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllApps();
    await web?.drop();
  });

  it('shows, as the rule, the participants and the allotment change, exactly the numbers the API computes', async () => {
    const page = await tab({ email: SAPPORO_STAFF });
    await page.goto(`${web.url}/talent/calculator`);
    await page.getByRole('heading', { level: 1, name: '費用分担の試算' }).waitFor();
    await page.getByTestId('annual-cost').fill('12345679');
    await page.getByTestId('subsidy-percent').fill('45');
    for (const town of towns) {
      await page.getByTestId('participant-search').fill(town.name);
      await page.getByTestId(`add-${town.id}`).click();
      await page.getByTestId(`input-row-${town.id}`).waitFor();
    }
    const populations = [7_001, 15_234, 3_333];
    await page.getByRole('radio', { name: '人口割' }).check();
    for (const [i, town] of towns.entries()) await page.getByTestId(`input-row-${town.id}`).getByTestId('population').fill(String(populations[i]));
    const byPopulation = await apiTable({
      annualCostYen: 12_345_679,
      subsidyPercent: 45,
      splitRule: 'POPULATION',
      participants: towns.map((t, i) => ({ organisationId: t.id, population: populations[i] })),
    });
    await shows(page, byPopulation, 'the population split');
    // Exact integers that add up: the shares to the cost, the subsidies to ⌊cost × 45 %⌋.
    expect(byPopulation.rows.reduce((sum, r) => sum + r.shareYen, 0)).toBe(12_345_679);
    expect(byPopulation.totals.subsidyTotalYen).toBe(Math.floor((12_345_679 * 45) / 100));
    await screenshot(page, 'talent-calculator-population');

    // The allotment: days per month.
    const days = [3, 8, 13];
    await page.getByRole('radio', { name: '従事日数割' }).check();
    for (const [i, town] of towns.entries()) await page.getByTestId(`input-row-${town.id}`).getByTestId('days').fill(String(days[i]));
    await shows(
      page,
      await apiTable({
        annualCostYen: 12_345_679,
        subsidyPercent: 45,
        splitRule: 'ALLOTTED_DAYS',
        participants: towns.map((t, i) => ({ organisationId: t.id, daysPerMonth: days[i] })),
      }),
      'the allotted-days split',
    );

    // A participant leaves: the others share it all.
    await page.getByTestId(`remove-${towns[1].id}`).click();
    await shows(
      page,
      await apiTable({
        annualCostYen: 12_345_679,
        subsidyPercent: 45,
        splitRule: 'ALLOTTED_DAYS',
        participants: [0, 2].map((i) => ({ organisationId: towns[i].id, daysPerMonth: days[i] })),
      }),
      'the split without the second town',
    );

    // Equal again, and a missing population under the population rule is named by its field.
    await page.getByRole('radio', { name: '均等割' }).check();
    await shows(
      page,
      await apiTable({ annualCostYen: 12_345_679, subsidyPercent: 45, splitRule: 'EQUAL', participants: [0, 2].map((i) => ({ organisationId: towns[i].id })) }),
      'the equal split',
    );
    await page.getByRole('radio', { name: '人口割' }).check();
    await page.getByTestId(`input-row-${towns[0].id}`).getByTestId('population').fill('');
    await page.getByTestId('calc-errors').filter({ hasText: 'participants[0].population' }).waitFor({ timeout: 15_000 });
    // In Japanese first (the field named as people read it), the server's English kept under it as detail.
    expect(await page.getByTestId('calc-errors').locator('p').first().textContent()).toBe(
      '参加団体 #1 › 人口：人口割で按分するには、すべての参加団体の人口を入力してください。',
    );
    expect(await page.getByTestId('calc-errors').locator('p[lang="en"]').textContent()).toMatch(/^participants\[0\]\.population: /);
    expect(await page.getByTestId('calc-result').count()).toBe(0);
    await page.context().close();
  });

  it('shows a town’s consent in the proposer’s browser without a reload, and a change of terms voiding it, version by version', async () => {
    const proposer = await tab({ email: HOKKAIDO });
    const approver = await tab({ token: approvers[0] });
    for (const page of [proposer, approver]) {
      await page.goto(`${web.url}/talent/${arrangementId}`);
      await page.getByRole('heading', { level: 1, name: /^DX推進アドバイザー/ }).waitFor();
    }
    await proposer.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: 30_000 });
    await proposer.evaluate(() => ((globalThis as unknown as { noReload: boolean }).noReload = true));

    // The participants' shares are the arrangement's cost table; the what-if calculator starts there.
    const { talentArrangement } = await gqlData(
      web.url,
      `query ($id: ID!) { talentArrangement(id: $id) { costTable { ${COST_TABLE} } } }`,
      { id: arrangementId },
      tokens[HOKKAIDO],
    );
    const recorded: Table = {
      rows: talentArrangement.costTable.shares,
      totals: {
        annualCostYen: talentArrangement.costTable.annualCostYen,
        subsidyTotalYen: talentArrangement.costTable.subsidyTotalYen,
        netTotalYen: talentArrangement.costTable.netTotalYen,
      },
    };
    await shows(proposer, recorded, 'the what-if calculator at the current terms');
    expect(recorded.rows.map((r) => r.shareYen)).toEqual([6_666_667, 6_666_667, 6_666_666]);
    expect(await proposer.getByTestId('phases').locator('[aria-current="step"]').textContent()).toMatch(/課題の特定/);

    const cell = (page: Page, town: number, version: number) => page.getByTestId(`consent-${towns[town].id}-v${version}`);
    expect(await cell(proposer, 0, 1).getAttribute('data-answer')).toBe('PENDING');
    // Only a participant's approver is offered the answer.
    expect(await proposer.getByTestId('answer-form').count()).toBe(0);
    await approver.getByTestId('consent').click();
    await cell(approver, 0, 1).and(approver.locator('[data-answer="CONSENTED"]')).waitFor({ timeout: 15_000 });
    await cell(proposer, 0, 1).and(proposer.locator('[data-answer="CONSENTED"]')).waitFor({ timeout: 15_000 });
    expect(await proposer.getByTestId(`participant-${towns[0].id}`).getByTestId('answer').textContent()).toMatch(/同意/);

    // The proposer takes the third town out: version 2, the consent to version 1 void.
    const current = await gqlData(
      web.url,
      'query ($id: ID!) { talentArrangement(id: $id) { terms { startDate endDate annualCostYen hostOrganisationId splitRule subsidyPercent participants { organisationId population daysPerMonth } } } }',
      { id: arrangementId },
      tokens[HOKKAIDO],
    );
    const terms = current.talentArrangement.terms;
    await mutateOk(web.url, tokens[HOKKAIDO], 'changeTalentTerms', 'ChangeTalentTermsInput', {
      arrangementId,
      reason: '第三の町は翌年度から参加するため',
      terms: { ...terms, participants: terms.participants.slice(0, 2) },
    });
    await proposer.getByTestId('terms-version').filter({ hasText: '第2版' }).waitFor({ timeout: 15_000 });
    expect(await cell(proposer, 0, 2).getAttribute('data-answer')).toBe('PENDING');
    expect(await cell(proposer, 0, 1).textContent()).toMatch(/新しい版により無効/);
    expect(await cell(proposer, 2, 2).getAttribute('data-answer')).toBe('NONE');
    expect(await proposer.getByTestId('participants').locator('tbody tr').count()).toBe(2);
    expect(await proposer.evaluate(() => (globalThis as unknown as { noReload?: boolean }).noReload)).toBe(true);
    await screenshot(proposer, 'talent-arrangement-proposer');
    await Promise.all([proposer, approver].map((p) => p.context().close()));
  });

  it('has no serious accessibility violations on its pages, at laptop and tablet sizes, and asks nothing of any other origin', async () => {
    const pages: [string, string, RegExp][] = [
      ['talent', '/talent', /^人材シェアリング$/],
      ['talent-calculator', '/talent/calculator', /^費用分担の試算$/],
      ['talent-arrangement', `/talent/${arrangementId}`, /^DX推進アドバイザー/],
    ];
    for (const size of [
      { name: 'laptop', width: 1280, height: 800 },
      { name: 'tablet', width: 768, height: 1024 },
    ]) {
      const page = await tab({ token: approvers[1] }, size);
      for (const [name, path, heading] of pages) {
        await page.goto(`${web.url}${path}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await settled(page);
        if (name === 'talent-arrangement') await page.getByTestId('calc-result').waitFor();
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
