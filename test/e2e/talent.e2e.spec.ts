/**
 * Talent sharing (人材シェアリング) from the outside: the built app on a fresh database with the demo
 * seed, playing the seed's example — "それぞれが500万しか払えなくても4地域集まれば2000万は支払える".
 * 北海道's coordinator proposes a DX推進アドバイザー at 20,000,000 yen a year, employed by one of
 * four 北海道 towns, split equally, 特別交付税 covering 50 %: each town pays 5,000,000, net
 * 2,500,000 — and the cost calculator says so before anything exists. Each town's approver (決裁者)
 * consents; one declines with a reason and then leaves (3 towns: 6,666,667 / 6,666,667 / 6,666,666),
 * voiding the consents given; the town rejoins under a third version and all four consent again.
 * Then the MIC guidebook's steps: 課題の特定 → 人材要件の定義 → 人材の選定 (a name and a reference
 * only, seen by the organisers only) → 受け入れ (a checklist) → active → ended. 北海道's talent pool
 * dispatches a person and refuses an over-allocation. Every step reaches graphql-ws and socket.io
 * subscribers, a candidate's addition only the organisers; other organisations' people are refused.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { talentArrangementStreamName } from '@kyogi/domain/talent/arrangements.events';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';
import { DEMO_CONTENT } from '../../apps/api/src/organisations/seed/demo-content-ids';

jest.setTimeout(180_000);

const ADMIN = 'admin@digital.example.jp'; // デジタル庁: national admin — adds the towns' people
const HOKKAIDO = 'coordinator@pref.hokkaido.example.jp'; // 北海道: member, coordinator — the proposer
const SAPPORO_APPROVER = 'approver@city.sapporo.example.jp'; // 札幌市: member, approver — not a participant
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp'; // 札幌市: member
const AUDITOR = 'auditor@observer.example.jp'; // viewer
const run = randomBytes(4).toString('hex');
const ARRANGEMENT = `ta-${run}`;
const POOL_ARRANGEMENT = `ta-pool-${run}`;
const POOL = `hp-${run}`;

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
const tokens: Record<string, string> = {};
/** The four towns, in terms order; TOWNS[0] hosts. */
let TOWNS: { id: string; name: string }[];
let HOKKAIDO_ID: string;
const approverOf = (i: number) => tokens[`approver:${TOWNS[i].id}`];
const hostCoordinator = () => tokens[`coordinator:${TOWNS[0].id}`];

/** Days in Japan: the term began a month ago and runs for a year. */
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const TODAY = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
const START = addDays(TODAY, -30);
const END = addDays(START, 364);

interface Payload {
  errors: { code: string; message: string; field: string | null }[];
  position: string | null;
  [key: string]: any;
}

async function mutate(name: string, inputType: string, input: Record<string, unknown>, token: string, selection = ''): Promise<Payload> {
  const data = await gqlData(
    app.url,
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { position errors { code message field } ${selection} } }`,
    { input },
    token,
  );
  return data[name];
}
const codes = (payload: Payload) => payload.errors.map((e) => e.code);

const COST_TABLE = 'splitRule annualCostYen subsidyPercent subsidyTotalYen netTotalYen shares { organisationId weight shareYen subsidyYen netYen }';
const ARRANGEMENT_FIELDS = `id role skills phase termsVersion agreed agreedTermsVersion pendingConsents proposerOrganisationId proposerKind hostOrganisationId
  prefectureCodes host { name }
  terms { startDate endDate annualCostYen hostOrganisationId splitRule subsidyPercent participants { organisationId prefectureCode daysPerMonth } }
  costTable { ${COST_TABLE} }
  participants { organisationId organisation { name } shareYen subsidyYen netYen answer answerReason }
  termsHistory { version changes joinedOrganisationIds leftOrganisationIds voidedConsents reason agreedAt costTable { ${COST_TABLE} }
                 consents { organisationId termsVersion answer reason current } }
  problems { problemId organisationId text } requirements { requirementId text problemIds }
  candidates { candidateId name reference selected } selectedCandidateId
  checklist { itemId label done } activatedAt endedAt endedEarly endReason`;

const arrangementAs = async (token: string, id = ARRANGEMENT, waitFor: string | null = null) =>
  (await gqlData(app.url, `query ($id: ID!, $w: Position) { talentArrangement(id: $id, waitFor: $w) { ${ARRANGEMENT_FIELDS} } }`, { id, w: waitFor }, token))
    .talentArrangement;

/** An arrangement mutation, answering the arrangement as the caller then sees it. */
const step = (name: string, inputType: string, input: Record<string, unknown>, token: string) =>
  mutate(name, inputType, { commandId: randomUUID(), arrangementId: ARRANGEMENT, ...input }, token, `arrangementId arrangement { ${ARRANGEMENT_FIELDS} }`);
const consent = (i: number, termsVersion: number, token = approverOf(i), organisationId?: string) =>
  step('consentToTalentTerms', 'ConsentToTalentTermsInput', { termsVersion, ...(organisationId ? { organisationId } : {}) }, token);

const termsFor = (towns: readonly { id: string }[], extra: Record<string, unknown> = {}) => ({
  startDate: START,
  endDate: END,
  annualCostYen: 20_000_000,
  hostOrganisationId: TOWNS[0].id,
  participants: towns.map((t) => ({ organisationId: t.id, daysPerMonth: 5 })),
  splitRule: 'EQUAL',
  ...extra,
});

const calculate = async (input: Record<string, unknown>, token = tokens[AUDITOR]) =>
  (
    await gqlData(
      app.url,
      `query ($input: TalentCostCalculationInput!) { talentCostCalculation(input: $input) { costTable { ${COST_TABLE} } errors { code message field } } }`,
      { input },
      token,
    )
  ).talentCostCalculation;

const yen = (n: number) => n.toLocaleString('en-US');

/** Adds a person with `roles` to a town (デジタル庁's admin may, as a national admin) and signs them in. */
async function addPerson(organisationId: string, label: string, roles: string[]): Promise<void> {
  const email = `talent-${label}-${run}@${organisationId}.example.jp`;
  const payload = await mutate(
    'addMember',
    'AddMemberInput',
    { organisationId, displayName: `${label} ${organisationId}`, email, roles },
    tokens[ADMIN],
    'member { personId }',
  );
  expect(payload.errors).toEqual([]);
  tokens[`${label}:${organisationId}`] = await demoLogin(app.url, email);
}

// Live subscribers, from before the arrangement exists: a participant (not an organiser) and the proposer.
const clients: Client[] = [];
const sockets: Socket[] = [];
const seenByParticipant: string[] = [];
const seenByProposer: string[] = [];
const seenInRoom: string[] = [];

function watch(token: string, into: string[], after: string): void {
  const client = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
  });
  clients.push(client);
  client.subscribe<{ talentArrangementChanged: { change: string; arrangementId: string } }>(
    {
      query: 'subscription ($id: ID!, $after: Position) { talentArrangementChanged(id: $id, after: $after) { change arrangementId position } }',
      variables: { id: ARRANGEMENT, after },
    },
    { next: (r) => r.data && into.push(r.data.talentArrangementChanged.change), error: () => undefined, complete: () => undefined },
  );
}

async function until<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'talent');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  for (const email of [ADMIN, HOKKAIDO, SAPPORO_APPROVER, SAPPORO_STAFF, AUDITOR]) tokens[email] = await demoLogin(app.url, email);
  const { me, organisations } = await gqlData(
    app.url,
    `{ me { organisation { id name } }
       organisations(kind: MUNICIPALITY, prefectureCode: "01", first: 200) { edges { node { id name } } } }`,
    {},
    tokens[HOKKAIDO],
  );
  HOKKAIDO_ID = me.organisation.id;
  // Four real towns (町) of 北海道, from the seed.
  TOWNS = organisations.edges
    .map((e: { node: { id: string; name: string } }) => e.node)
    .filter((o: { name: string }) => o.name.endsWith('町'))
    .slice(0, 4);
  expect(TOWNS).toHaveLength(4);
  for (const town of TOWNS) await addPerson(town.id, 'approver', ['MEMBER', 'APPROVER']);
  await addPerson(TOWNS[0].id, 'coordinator', ['MEMBER', 'COORDINATOR']);
  console.info(`[e2e figures] talent: ${me.organisation.name} (${HOKKAIDO_ID}) proposes for ${TOWNS.map((t) => `${t.name} (${t.id})`).join(', ')}`);

  // From the position the read models have reached now: whatever comes later is replayed or live, nothing missed.
  const { serverInfo } = await gqlData(app.url, '{ serverInfo { readModelPosition } }', {}, tokens[AUDITOR]);
  const before: string = serverInfo.readModelPosition;
  watch(approverOf(1), seenByParticipant, before);
  watch(tokens[HOKKAIDO], seenByProposer, before);
  const socket = io(`${app.url}/live`, { auth: { token: approverOf(2) }, transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  socket.on('change', (change: { change: string }) => seenInRoom.push(change.change));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = await socket.timeout(10_000).emitWithAck('join', { room: `talent-arrangement:${ARRANGEMENT}`, after: before });
  expect(ack).toMatchObject({ ok: true, room: `talent-arrangement:${ARRANGEMENT}` });
});

afterAll(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await stopAllApps();
  await database?.drop();
});

describe('four 北海道 towns share one DX推進アドバイザー at 20,000,000 yen a year', () => {
  let proposedAt: string;

  it('answers the cost calculator — each town pays 5,000,000, net 2,500,000 — without creating anything', async () => {
    const arrangementCount = async () => (await gqlData(app.url, '{ talentArrangements { totalCount } }', {}, tokens[AUDITOR])).talentArrangements.totalCount;
    const before = await arrangementCount(); // the demo seed's arrangement
    const four = await calculate({ annualCostYen: 20_000_000, splitRule: 'EQUAL', participants: TOWNS.map((t) => ({ organisationId: t.id })) });
    expect(four.errors).toEqual([]);
    expect(four.costTable).toEqual({
      splitRule: 'EQUAL',
      annualCostYen: 20_000_000,
      subsidyPercent: 50,
      subsidyTotalYen: 10_000_000,
      netTotalYen: 10_000_000,
      shares: TOWNS.map((t) => ({ organisationId: t.id, weight: 1, shareYen: 5_000_000, subsidyYen: 2_500_000, netYen: 2_500_000 })),
    });
    const three = await calculate({ annualCostYen: 20_000_000, splitRule: 'EQUAL', participants: TOWNS.slice(0, 3).map((t) => ({ organisationId: t.id })) });
    expect(three.costTable.shares.map((s: any) => s.shareYen)).toEqual([6_666_667, 6_666_667, 6_666_666]);
    expect(three.costTable.shares.reduce((sum: number, s: any) => sum + s.shareYen, 0)).toBe(20_000_000);
    expect(three.costTable.shares.reduce((sum: number, s: any) => sum + s.subsidyYen, 0)).toBe(10_000_000);
    console.info(
      `[e2e figures] talent: calculator, 4 towns: ${yen(5_000_000)} each, net ${yen(2_500_000)}; 3 towns: ${three.costTable.shares
        .map((s: any) => `${yen(s.shareYen)} (subsidy ${yen(s.subsidyYen)}, net ${yen(s.netYen)})`)
        .join(' / ')}`,
    );
    // A refused input names the field at fault, and still creates nothing.
    const byPopulation = await calculate({ annualCostYen: 20_000_000, splitRule: 'POPULATION', participants: TOWNS.map((t) => ({ organisationId: t.id })) });
    expect(byPopulation).toEqual({ costTable: null, errors: [expect.objectContaining({ code: 'MISSING_POPULATION', field: 'participants[0].population' })] });
    const weighted = await calculate({
      annualCostYen: 20_000_000,
      splitRule: 'POPULATION',
      subsidyPercent: 0,
      participants: TOWNS.map((t, i) => ({ organisationId: t.id, population: 1_000 * (i + 1) })),
    });
    expect(weighted.costTable.shares.map((s: any) => s.shareYen)).toEqual([2_000_000, 4_000_000, 6_000_000, 8_000_000]);
    expect(await arrangementCount()).toBe(before);
  });

  it('is proposed by 北海道’s coordinator, hosted by one town: the cost table is the calculator’s', async () => {
    const propose = (input: Record<string, unknown>, token = tokens[HOKKAIDO]) =>
      mutate(
        'proposeTalentArrangement',
        'ProposeTalentArrangementInput',
        { commandId: randomUUID(), id: ARRANGEMENT, role: 'DX推進アドバイザー', skills: ['業務改革', 'クラウド調達'], terms: termsFor(TOWNS), ...input },
        token,
        `arrangementId arrangement { ${ARRANGEMENT_FIELDS} }`,
      );
    expect(codes(await propose({}, tokens[SAPPORO_STAFF]))).toEqual(['FORBIDDEN']);
    expect(codes(await propose({}, approverOf(0)))).toEqual(['FORBIDDEN']); // an approver does not propose
    expect((await propose({ terms: termsFor(TOWNS, { hostOrganisationId: 'digital-agency' }) })).errors).toEqual([
      expect.objectContaining({ code: 'NOT_A_LOCAL_GOVERNMENT', field: 'terms.hostOrganisationId' }),
    ]);
    expect((await propose({ terms: termsFor(TOWNS, { annualCostYen: 20_000_000.5 }) })).errors).toEqual([
      expect.objectContaining({ code: 'INVALID_ANNUAL_COST', field: 'terms.annualCostYen' }),
    ]);

    const commandId = randomUUID();
    const proposed = await propose({ commandId });
    expect(proposed.errors).toEqual([]);
    proposedAt = proposed.position!;
    const arrangement = proposed.arrangement;
    expect(arrangement).toMatchObject({
      id: ARRANGEMENT,
      role: 'DX推進アドバイザー',
      phase: 'PROBLEMS',
      termsVersion: 1,
      agreed: false,
      agreedTermsVersion: null,
      pendingConsents: TOWNS.map((t) => t.id),
      proposerOrganisationId: HOKKAIDO_ID,
      proposerKind: 'PREFECTURE',
      hostOrganisationId: TOWNS[0].id,
      host: { name: TOWNS[0].name },
      prefectureCodes: ['01'],
      terms: { startDate: START, endDate: END, annualCostYen: 20_000_000, splitRule: 'EQUAL', subsidyPercent: 50 },
      candidates: [], // the proposer is an organiser
    });
    expect(arrangement.participants).toEqual(
      TOWNS.map((t) => ({
        organisationId: t.id,
        organisation: { name: t.name },
        shareYen: 5_000_000,
        subsidyYen: 2_500_000,
        netYen: 2_500_000,
        answer: null,
        answerReason: null,
      })),
    );
    const calculated = await calculate({ annualCostYen: 20_000_000, splitRule: 'EQUAL', participants: TOWNS.map((t) => ({ organisationId: t.id })) });
    expect(arrangement.costTable).toEqual(calculated.costTable);
    expect(arrangement.termsHistory).toEqual([expect.objectContaining({ version: 1, changes: [], reason: null, costTable: calculated.costTable })]);

    // A retry with the same command id stores nothing twice and answers as the first time.
    const retried = await propose({ commandId });
    expect(retried.errors).toEqual([]);
    expect(retried.position).toBe(proposed.position);
    const list = async (args: string, token = tokens[AUDITOR]) =>
      (await gqlData(app.url, `query ($w: Position) { talentArrangements(${args}waitFor: $w) { totalCount edges { node { id } } } }`, { w: proposedAt }, token))
        .talentArrangements;
    // Besides the demo seed's arrangement (北海道's, of other municipalities): only this one is new.
    const ids = async (args: string) => (await list(args)).edges.map((e: { node: { id: string } }) => e.node.id);
    expect((await ids('')).filter((id: string) => id !== DEMO_CONTENT.arrangement)).toEqual([ARRANGEMENT]);
    expect(await ids(`participantOrganisationId: "${TOWNS[3].id}", `)).toEqual([ARRANGEMENT]);
    expect((await list('participantOrganisationId: "011002", ')).totalCount).toBe(0);
    expect((await ids('prefectureCode: "01", phase: PROBLEMS, ')).sort()).toEqual([ARRANGEMENT, DEMO_CONTENT.arrangement].sort());
    expect((await list('prefectureCode: "13", ')).totalCount).toBe(0);
    // Every signed-in role reads the arrangement; its candidates only the organisers.
    expect((await arrangementAs(tokens[AUDITOR])).candidates).toBeNull();
    expect((await arrangementAs(approverOf(1))).candidates).toBeNull();
  });

  it('is agreed only when all four approvers consented; another organisation cannot answer for a town', async () => {
    // 札幌市's approver for a town; 北海道's coordinator and the host town's coordinator (no 決裁 role).
    const outsider = await consent(0, 1, tokens[SAPPORO_APPROVER], TOWNS[0].id);
    expect(outsider.errors).toEqual([expect.objectContaining({ code: 'FORBIDDEN', field: 'organisationId' })]);
    expect(codes(await consent(0, 1, tokens[HOKKAIDO], TOWNS[0].id))).toEqual(['FORBIDDEN']);
    expect(codes(await consent(0, 1, hostCoordinator()))).toEqual(['FORBIDDEN']);
    expect(codes(await consent(1, 1, approverOf(1), TOWNS[2].id))).toEqual(['FORBIDDEN']);

    let answered: Payload | undefined;
    for (const i of [0, 1, 2]) {
      answered = await consent(i, 1);
      expect(answered.errors).toEqual([]);
    }
    expect(answered!.arrangement).toMatchObject({ phase: 'PROBLEMS', agreed: false, pendingConsents: [TOWNS[3].id] });

    const decline = (reason: string) => step('declineTalentTerms', 'DeclineTalentTermsInput', { termsVersion: 1, reason }, approverOf(3));
    expect((await decline('  ')).errors).toEqual([expect.objectContaining({ code: 'REASON_REQUIRED', field: 'reason' })]);
    const declined = await decline('今年度の予算で負担できないため');
    expect(declined.errors).toEqual([]);
    expect(declined.arrangement).toMatchObject({ agreed: false, pendingConsents: [TOWNS[3].id] });
    expect(declined.arrangement.participants.map((p: any) => p.answer)).toEqual(['CONSENTED', 'CONSENTED', 'CONSENTED', 'DECLINED']);
    expect(declined.arrangement.participants[3].answerReason).toBe('今年度の予算で負担できないため');
  });

  it('takes a new version when a town leaves: 3 towns pay 6,666,667 / 6,666,667 / 6,666,666, and earlier consents are void', async () => {
    const left = await step('leaveTalentArrangement', 'LeaveTalentArrangementInput', { reason: '予算の都合により参加を見送る' }, approverOf(3));
    expect(left.errors).toEqual([]);
    const arrangement = left.arrangement;
    expect(arrangement).toMatchObject({ termsVersion: 2, agreed: false, agreedTermsVersion: null, pendingConsents: TOWNS.slice(0, 3).map((t) => t.id) });
    expect(arrangement.participants.map((p: any) => [p.shareYen, p.subsidyYen, p.netYen, p.answer])).toEqual([
      [6_666_667, 3_333_334, 3_333_333, null],
      [6_666_667, 3_333_333, 3_333_334, null],
      [6_666_666, 3_333_333, 3_333_333, null],
    ]);
    const calculated = await calculate({
      annualCostYen: 20_000_000,
      splitRule: 'EQUAL',
      participants: TOWNS.slice(0, 3).map((t) => ({ organisationId: t.id })),
    });
    expect(arrangement.costTable).toEqual(calculated.costTable);
    const [v1, v2] = arrangement.termsHistory;
    expect(v2).toMatchObject({
      version: 2,
      changes: ['PARTICIPANTS'],
      joinedOrganisationIds: [],
      leftOrganisationIds: [TOWNS[3].id],
      voidedConsents: TOWNS.slice(0, 3).map((t) => t.id),
      reason: '予算の都合により参加を見送る',
      consents: [],
    });
    expect(v1.consents.map((c: any) => `${c.answer}:${c.current}`)).toEqual(['CONSENTED:false', 'CONSENTED:false', 'CONSENTED:false', 'DECLINED:false']);
    console.info(
      `[e2e figures] talent: version 2 without ${TOWNS[3].name}: ${arrangement.participants
        .map((p: any) => `${p.organisation.name} ${yen(p.shareYen)} (net ${yen(p.netYen)})`)
        .join(' / ')}; consents voided: ${v2.voidedConsents.length}`,
    );

    expect((await consent(0, 1)).errors).toEqual([expect.objectContaining({ code: 'TERMS_VERSION_STALE', field: 'termsVersion' })]);
    expect(codes(await consent(3, 2))).toEqual(['NOT_A_PARTICIPANT']);
    expect((await consent(0, 2)).errors).toEqual([]);
  });

  it('takes a third version when the town rejoins; all four consent again, the fourth agreeing the terms', async () => {
    const change = (terms: Record<string, unknown>) =>
      step('changeTalentTerms', 'ChangeTalentTermsInput', { terms, reason: `${TOWNS[3].name}が補正予算で再参加` }, tokens[HOKKAIDO]);
    expect(codes(await step('changeTalentTerms', 'ChangeTalentTermsInput', { terms: termsFor(TOWNS), reason: '再参加' }, approverOf(0)))).toEqual([
      'FORBIDDEN',
    ]);
    const rejoined = await change(termsFor(TOWNS));
    expect(rejoined.errors).toEqual([]);
    expect(rejoined.arrangement).toMatchObject({ termsVersion: 3, agreed: false, pendingConsents: TOWNS.map((t) => t.id) });
    expect(rejoined.arrangement.termsHistory[2]).toMatchObject({
      version: 3,
      changes: ['PARTICIPANTS'],
      joinedOrganisationIds: [TOWNS[3].id],
      leftOrganisationIds: [],
      voidedConsents: [TOWNS[0].id],
    });
    expect(rejoined.arrangement.participants.map((p: any) => p.netYen)).toEqual([2_500_000, 2_500_000, 2_500_000, 2_500_000]);
    // The same terms again make no new version.
    const again = await change(termsFor(TOWNS));
    expect(again.errors).toEqual([]);
    expect(again.position).toBeNull();

    for (const i of [0, 1, 2]) {
      const answered = await consent(i, 3);
      expect(answered.errors).toEqual([]);
      expect(answered.arrangement.agreed).toBe(false);
    }
    const last = await consent(3, 3);
    expect(last.errors).toEqual([]);
    expect(last.arrangement).toMatchObject({ agreed: true, agreedTermsVersion: 3, pendingConsents: [] });
    expect(last.arrangement.termsHistory.map((v: any) => v.agreedAt !== null)).toEqual([false, false, true]);
    expect(last.arrangement.participants.every((p: any) => p.answer === 'CONSENTED')).toBe(true);
    // A consent stands for its version: declining it afterwards is refused.
    expect(codes(await step('declineTalentTerms', 'DeclineTalentTermsInput', { termsVersion: 3, reason: '撤回' }, approverOf(3)))).toEqual([
      'ALREADY_CONSENTED',
    ]);
  });

  it('goes through 課題の特定 → 人材要件の定義 → 人材の選定 → 受け入れ → active → ended', async () => {
    const define = () =>
      step(
        'defineTalentRequirements',
        'DefineTalentRequirementsInput',
        {
          requirements: [
            { requirementId: 'r1', text: '自治体情報システム標準化への移行計画を立てられること', problemIds: ['p-0', 'p-1'] },
            { requirementId: 'r2', text: '窓口業務のデジタル化を住民目線で設計できること', problemIds: ['p-2', 'p-3'] },
          ],
        },
        tokens[HOKKAIDO],
      );
    expect(codes(await define())).toEqual(['PROBLEMS_MISSING']);
    const problems = ['標準化への移行が遅れている', '庁内にIT人材がいない', '窓口の待ち時間が長い', '電子申請の利用が少ない'];
    expect(
      codes(
        await step(
          'listTalentProblems',
          'ListTalentProblemsInput',
          { organisationId: TOWNS[0].id, problems: [{ problemId: 'p-x', text: '代理' }] },
          approverOf(1),
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    for (const [i, text] of problems.entries()) {
      const listed = await step('listTalentProblems', 'ListTalentProblemsInput', { problems: [{ problemId: `p-${i}`, text }] }, approverOf(i));
      expect(listed.errors).toEqual([]);
    }
    const defined = await define();
    expect(defined.errors).toEqual([]);
    expect(defined.arrangement.phase).toBe('REQUIREMENTS');
    expect(defined.arrangement.problems.map((p: any) => `${p.organisationId}:${p.problemId}`)).toEqual(TOWNS.map((t, i) => `${t.id}:p-${i}`));
    expect(defined.arrangement.requirements.map((r: any) => r.requirementId)).toEqual(['r1', 'r2']);

    expect(codes(await step('openTalentSelection', 'OpenTalentSelectionInput', {}, hostCoordinator()))).toEqual(['FORBIDDEN']); // the proposer's step
    const opened = await step('openTalentSelection', 'OpenTalentSelectionInput', {}, tokens[HOKKAIDO]);
    expect(opened.arrangement.phase).toBe('SELECTION');

    const add = (candidateId: string, name: string, reference: string, token: string) =>
      step('addTalentCandidate', 'AddTalentCandidateInput', { candidateId, name, reference }, token);
    expect(codes(await add('c-0', '名前', '参照', approverOf(1)))).toEqual(['FORBIDDEN']);
    expect((await add('c-1', '山田 花子', '応募番号 2026-017', hostCoordinator())).errors).toEqual([]);
    const added = await add('c-2', '佐藤 一郎', '応募番号 2026-023', tokens[HOKKAIDO]);
    expect(added.arrangement.candidates).toEqual([
      { candidateId: 'c-1', name: '山田 花子', reference: '応募番号 2026-017', selected: false },
      { candidateId: 'c-2', name: '佐藤 一郎', reference: '応募番号 2026-023', selected: false },
    ]);
    expect((await arrangementAs(hostCoordinator(), ARRANGEMENT, added.position)).candidates).toHaveLength(2);
    expect((await arrangementAs(approverOf(2), ARRANGEMENT, added.position)).candidates).toBeNull();
    expect((await arrangementAs(tokens[ADMIN], ARRANGEMENT, added.position)).candidates).toBeNull();

    const selected = await step('selectTalentCandidate', 'SelectTalentCandidateInput', { candidateId: 'c-1' }, hostCoordinator());
    expect(selected.errors).toEqual([]);
    expect(selected.arrangement).toMatchObject({ phase: 'ONBOARDING', selectedCandidateId: 'c-1' });

    const items = [
      { itemId: 'contract', label: '任用手続（会計年度任用職員）' },
      { itemId: 'account', label: '庁内ネットワークのアカウント発行' },
      { itemId: 'desk', label: '各町の執務場所の確保' },
    ];
    const checklist = await step('setTalentOnboardingChecklist', 'SetTalentOnboardingChecklistInput', { items }, hostCoordinator());
    expect(checklist.arrangement.checklist).toEqual(items.map((item) => ({ ...item, done: false })));
    const activate = () => step('activateTalentArrangement', 'ActivateTalentArrangementInput', {}, tokens[HOKKAIDO]);
    expect(codes(await activate())).toEqual(['CHECKLIST_INCOMPLETE']);
    expect(codes(await step('completeTalentChecklistItem', 'CompleteTalentChecklistItemInput', { itemId: 'desk' }, approverOf(2)))).toEqual(['FORBIDDEN']);
    for (const item of items) {
      const done = await step('completeTalentChecklistItem', 'CompleteTalentChecklistItemInput', { itemId: item.itemId }, hostCoordinator());
      expect(done.errors).toEqual([]);
    }
    const active = await activate();
    expect(active.errors).toEqual([]);
    expect(active.arrangement.phase).toBe('ACTIVE');
    expect(active.arrangement.checklist.every((item: any) => item.done)).toBe(true);

    const end = (reason?: string) => step('endTalentArrangement', 'EndTalentArrangementInput', reason ? { reason } : {}, hostCoordinator());
    expect((await end()).errors).toEqual([expect.objectContaining({ code: 'REASON_REQUIRED', field: 'reason' })]);
    const ended = await end('任期途中で本人の都合により退任');
    expect(ended.errors).toEqual([]);
    expect(ended.arrangement).toMatchObject({ phase: 'ENDED', endedEarly: true, endReason: '任期途中で本人の都合により退任' });
    expect(codes(await consent(0, 3))).toEqual(['ARRANGEMENT_ENDED']);
  });

  it('keeps a candidate’s personal data to a name and a reference in the event log', async () => {
    const store = await PostgresEventStore.connect({ connectionString: database.url });
    try {
      const events = await store.readStream(talentArrangementStreamName(ARRANGEMENT));
      const added = events.filter((e) => e.type === 'TalentCandidateAdded');
      expect(added.map((e) => Object.keys(e.data).sort())).toEqual([
        ['addedByPersonId', 'arrangementId', 'candidateId', 'name', 'reference'],
        ['addedByPersonId', 'arrangementId', 'candidateId', 'name', 'reference'],
      ]);
      const later = events.slice(events.indexOf(added[1]) + 1);
      expect(JSON.stringify(later.map((e) => e.data))).not.toMatch(/山田|佐藤|応募番号/);
      // What each town consented to pay is recorded with the version, not recomputed later.
      const agreed = events.filter((e) => e.type === 'TalentTermsChanged').at(-1)!.data as { costTable: { shares: { netYen: number }[] } };
      expect(agreed.costTable.shares.map((s) => s.netYen)).toEqual([2_500_000, 2_500_000, 2_500_000, 2_500_000]);
      console.info(`[e2e figures] talent: ${events.length} events in ${talentArrangementStreamName(ARRANGEMENT)}`);
    } finally {
      await store.close();
    }
  });

  it('lets 北海道 run a talent pool: dispatches within a person’s capacity, over-allocation refused', async () => {
    const pool = (name: string, inputType: string, input: Record<string, unknown>, token = tokens[HOKKAIDO]) =>
      mutate(name, inputType, { commandId: randomUUID(), ...input }, token, 'poolId');
    expect(codes(await pool('openTalentPool', 'OpenTalentPoolInput', { id: POOL, name: '町のプール' }, hostCoordinator()))).toEqual(['FORBIDDEN']);
    expect((await pool('openTalentPool', 'OpenTalentPoolInput', { id: POOL, name: '北海道デジタル人材プール' })).errors).toEqual([]);
    expect(
      (
        await pool('addTalentPoolPerson', 'AddTalentPoolPersonInput', {
          poolId: POOL,
          poolPersonId: 'pp-1',
          name: '鈴木 次郎',
          reference: '道職員-0042',
          capacityDaysPerMonth: 10,
        })
      ).errors,
    ).toEqual([]);
    // An arrangement 北海道 hosts, for two of the towns, 8 days a month each.
    const hosted = await mutate(
      'proposeTalentArrangement',
      'ProposeTalentArrangementInput',
      {
        commandId: randomUUID(),
        id: POOL_ARRANGEMENT,
        role: 'CIO補佐官',
        skills: ['情報セキュリティ'],
        terms: {
          ...termsFor(TOWNS.slice(0, 2), { hostOrganisationId: HOKKAIDO_ID, annualCostYen: 9_000_000 }),
          participants: TOWNS.slice(0, 2).map((t) => ({ organisationId: t.id, daysPerMonth: 8 })),
        },
      },
      tokens[HOKKAIDO],
      'arrangementId',
    );
    expect(hosted.errors).toEqual([]);
    const dispatch = (input: Record<string, unknown>, token?: string) =>
      pool(
        'dispatchTalentPoolPerson',
        'DispatchTalentPoolPersonInput',
        { poolId: POOL, poolPersonId: 'pp-1', arrangementId: POOL_ARRANGEMENT, startDate: START, endDate: END, ...input },
        token,
      );
    expect(codes(await dispatch({ dispatchId: 'd-0', organisationId: TOWNS[0].id, daysPerMonth: 8 }, hostCoordinator()))).toEqual(['FORBIDDEN']);
    expect((await dispatch({ dispatchId: 'd-1', organisationId: TOWNS[0].id, daysPerMonth: 8 })).errors).toEqual([]);
    const over = await dispatch({ dispatchId: 'd-2', organisationId: TOWNS[1].id, daysPerMonth: 8 });
    expect(over.errors).toEqual([expect.objectContaining({ code: 'OVER_ALLOCATED', field: 'daysPerMonth' })]);
    console.info(`[e2e figures] talent: pool over-allocation refused: ${over.errors[0].message}`);
    const fits = await dispatch({ dispatchId: 'd-2', organisationId: TOWNS[1].id, daysPerMonth: 2 });
    expect(fits.errors).toEqual([]);
    expect(codes(await dispatch({ dispatchId: 'd-3', organisationId: TOWNS[2].id, daysPerMonth: 1 }))).toEqual(['NOT_A_PARTICIPANT']);
    expect(codes(await dispatch({ dispatchId: 'd-4', organisationId: TOWNS[0].id, daysPerMonth: 1, arrangementId: ARRANGEMENT }))).toEqual([
      'ARRANGEMENT_ENDED',
    ]);
    expect(
      codes(
        await pool('changeTalentPoolPersonCapacity', 'ChangeTalentPoolPersonCapacityInput', { poolId: POOL, poolPersonId: 'pp-1', capacityDaysPerMonth: 9 }),
      ),
    ).toEqual(['CAPACITY_BELOW_ALLOCATED']);
    const shortened = await pool('endTalentPoolDispatch', 'EndTalentPoolDispatchInput', {
      poolId: POOL,
      dispatchId: 'd-1',
      endDate: addDays(START, 90),
      reason: '町の職員が育ったため',
    });
    expect(shortened.errors).toEqual([]);

    const POOL_FIELDS = `id name prefectureOrganisationId prefecture { name } people { poolPersonId name reference capacityDaysPerMonth }
      dispatches { dispatchId poolPersonId personName organisationId arrangementId daysPerMonth startDate endDate plannedEndDate endReason }`;
    const poolAs = async (token: string) =>
      (
        await gqlData(
          app.url,
          `query ($id: ID!, $w: Position) { talentPool(id: $id, waitFor: $w) { ${POOL_FIELDS} } }`,
          { id: POOL, w: shortened.position },
          token,
        )
      ).talentPool;
    const asPrefecture = await poolAs(tokens[HOKKAIDO]);
    expect(asPrefecture).toMatchObject({
      prefectureOrganisationId: HOKKAIDO_ID,
      people: [{ poolPersonId: 'pp-1', name: '鈴木 次郎', capacityDaysPerMonth: 10 }],
    });
    expect(asPrefecture.dispatches).toEqual([
      {
        dispatchId: 'd-1',
        poolPersonId: 'pp-1',
        personName: '鈴木 次郎',
        organisationId: TOWNS[0].id,
        arrangementId: POOL_ARRANGEMENT,
        daysPerMonth: 8,
        startDate: START,
        endDate: addDays(START, 90),
        plannedEndDate: END,
        endReason: '町の職員が育ったため',
      },
      expect.objectContaining({ dispatchId: 'd-2', personName: '鈴木 次郎', organisationId: TOWNS[1].id, daysPerMonth: 2, endDate: END }),
    ]);
    // The person's name: for the prefecture and the town served; not for the other town, nor an auditor.
    const asSecondTown = await poolAs(approverOf(1));
    expect(asSecondTown.people).toBeNull();
    expect(asSecondTown.dispatches.map((d: any) => d.personName)).toEqual([null, '鈴木 次郎']);
    const asAuditor = await poolAs(tokens[AUDITOR]);
    expect(asAuditor.people).toBeNull();
    expect(asAuditor.dispatches.map((d: any) => d.personName)).toEqual([null, null]);
    const { talentPools } = await gqlData(app.url, `query ($p: ID) { talentPools(prefectureOrganisationId: $p) { id } }`, { p: HOKKAIDO_ID }, tokens[AUDITOR]);
    expect(talentPools).toEqual([{ id: POOL }]);
    // With the days freed after d-1 ends, the dispatch refused above fits.
    const later = await dispatch({ dispatchId: 'd-5', organisationId: TOWNS[1].id, daysPerMonth: 8, startDate: addDays(START, 91) });
    expect(later.errors).toEqual([]);
    const { talentArrangement } = await gqlData(
      app.url,
      'query ($id: ID!, $w: Position) { talentArrangement(id: $id, waitFor: $w) { dispatches { dispatchId organisationId daysPerMonth } } }',
      { id: POOL_ARRANGEMENT, w: later.position },
      tokens[AUDITOR],
    );
    expect(talentArrangement.dispatches).toEqual([
      { dispatchId: 'd-1', organisationId: TOWNS[0].id, daysPerMonth: 8 },
      { dispatchId: 'd-2', organisationId: TOWNS[1].id, daysPerMonth: 2 },
      { dispatchId: 'd-5', organisationId: TOWNS[1].id, daysPerMonth: 8 },
    ]);
  });

  it('reached the live subscribers with every change in order — a candidate’s addition only the organisers', async () => {
    const steps = [
      'TalentArrangementProposed',
      ...Array(3).fill('TalentTermsConsented'),
      'TalentTermsDeclined',
      'TalentTermsChanged', // a town left
      'TalentTermsConsented',
      'TalentTermsChanged', // it rejoined
      ...Array(4).fill('TalentTermsConsented'),
      'TalentTermsAgreed',
      ...Array(4).fill('TalentProblemsListed'),
      'TalentRequirementsDefined',
      'TalentSelectionOpened',
      'TalentCandidateAdded',
      'TalentCandidateAdded',
      'TalentCandidateSelected',
      'TalentChecklistSet',
      ...Array(3).fill('TalentChecklistItemCompleted'),
      'TalentArrangementActivated',
      'TalentArrangementEnded',
    ];
    const publicSteps = steps.filter((s) => s !== 'TalentCandidateAdded');
    await until(
      'every live change',
      () => seenByProposer.length >= steps.length && seenByParticipant.length >= publicSteps.length && seenInRoom.length >= publicSteps.length,
    );
    expect(seenByProposer).toEqual(steps);
    expect(seenByParticipant).toEqual(publicSteps);
    expect(seenInRoom).toEqual(publicSteps);
    console.info(
      `[e2e figures] talent: ${seenByProposer.length} changes reached the proposer over graphql-ws, ${seenByParticipant.length} a participant (graphql-ws) and ${seenInRoom.length} a participant in room talent-arrangement:${ARRANGEMENT} (socket.io)`,
    );
  });
});
