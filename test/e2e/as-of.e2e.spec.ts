/**
 * "As of" reads of organisations, specs and ladders from the outside: the built app on a fresh
 * database with the demo seed. Each entity goes through several events; their times are taken
 * from the entity's own history, and the state at 2–3 of those instants (each exactly, and 1 ms
 * before the first) is compared with an object written out by hand:
 * - an organisation whose members join and change roles — who could approve (決裁) on each date —
 *   and which is then deactivated; its members still for those who may read them now;
 * - a spec with two versions published one after the other;
 * - a ladder whose one prefectural round closes by itself (no one answers), whose stage then
 *   closes, and which デジタル庁 then decides;
 * - 北海道's talent pool: a person added, dispatched to 札幌市, given more capacity, the dispatch
 *   cut short — people for 北海道 only, the dispatched person's name also for 札幌市.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gql, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(180_000);

const ADMIN = 'admin@digital.example.jp'; // デジタル庁: admin, coordinator — owns juminkiroku
const AUDITOR = 'auditor@observer.example.jp'; // observer: viewer
const HOKKAIDO = 'coordinator@pref.hokkaido.example.jp'; // 北海道: member, coordinator
const SAPPORO = 'staff@city.sapporo.example.jp'; // 札幌市: member
const HINOHARA = 'staff@vill.hinohara.example.jp'; // 檜原村: member, approver, admin
const run = randomBytes(4).toString('hex');

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
const tokens: Record<string, string> = {};
let lastPosition: string | null = null;

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'as-of');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  for (const email of [ADMIN, AUDITOR, HOKKAIDO, SAPPORO, HINOHARA]) tokens[email] = await demoLogin(app.url, email);
});

afterAll(async () => {
  await stopAllApps();
  await database?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function mutate(name: string, input: Record<string, unknown>, selection = '', email = ADMIN): Promise<Record<string, any>> {
  const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
  const data = await gqlData(
    app.url,
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { position errors { code message } ${selection} } }`,
    { input: { commandId: randomUUID(), ...input } },
    tokens[email],
  );
  expect(data[name].errors).toEqual([]);
  lastPosition = data[name].position;
  await sleep(15); // every event its own millisecond, so the instants between them are unambiguous
  return data[name];
}

/** The times of an entity's events, oldest first, with their types (from its history, which reads the stream itself). */
async function timesOf(entity: string, id: string): Promise<{ type: string; occurredAt: string }[]> {
  const data = await gqlData(
    app.url,
    'query ($entity: HistoryEntityKind!, $id: ID!) { history(entity: $entity, id: $id, first: 200) { edges { node { type occurredAt } } } }',
    { entity, id },
    tokens[ADMIN],
  );
  return data.history.edges.map((e: { node: { type: string; occurredAt: string } }) => e.node);
}

const before = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();

describe('an organisation as of a moment', () => {
  const id = `asof-vendor-${run}`;
  const [ICHIRO, HANAKO] = [`asof-ichiro-${run}`, `asof-hanako-${run}`];
  const FIELDS = 'id kind name code active memberCount version registeredAt updatedAt asOf';
  const MEMBERS = 'members { personId displayName email roles }';
  let times: string[];

  const organisationAsOf = async (asOf: string | null, email = ADMIN, selection = `${FIELDS} ${MEMBERS}`) =>
    gql(
      app.url,
      `query ($id: ID, $asOf: DateTime, $w: Position) { organisation(id: $id, asOf: $asOf, waitFor: $w) { ${selection} } }`,
      { id, asOf, w: lastPosition },
      tokens[email],
    );

  it('is registered, gains two members whose roles then change, and is deactivated', async () => {
    await mutate('registerOrganisation', { id, kind: 'VENDOR', name: `かながわ開発株式会社 ${run}`, nameKana: 'かながわかいはつかぶしきがいしゃ' });
    await mutate('addMember', {
      organisationId: id,
      personId: ICHIRO,
      displayName: '開発 一郎',
      email: `ichiro-${run}@kaihatsu.example.jp`,
      roles: ['MEMBER'],
    });
    await mutate('addMember', {
      organisationId: id,
      personId: HANAKO,
      displayName: '開発 花子',
      email: `hanako-${run}@kaihatsu.example.jp`,
      roles: ['APPROVER'],
    });
    await mutate('changeMemberRoles', { organisationId: id, personId: ICHIRO, roles: ['MEMBER', 'APPROVER'] });
    await mutate('changeMemberRoles', { organisationId: id, personId: HANAKO, roles: ['VIEWER'] });
    await mutate('deactivateOrganisation', { organisationId: id, reason: '事業の終了' });
    const events = await timesOf('ORGANISATION', id);
    expect(events.map((e) => e.type)).toEqual([
      'OrganisationRegistered',
      'MemberAdded',
      'MemberAdded',
      'MemberRolesChanged',
      'MemberRolesChanged',
      'OrganisationDeactivated',
    ]);
    times = events.map((e) => e.occurredAt);
  });

  it('did not exist before it was registered', async () => {
    expect((await organisationAsOf(before(times[0]))).data).toEqual({ organisation: null });
  });

  it('had, at each instant, the members and roles written out by hand: who could approve then', async () => {
    const ichiro = (roles: string[]) => ({ personId: ICHIRO, displayName: '開発 一郎', email: `ichiro-${run}@kaihatsu.example.jp`, roles });
    const hanako = (roles: string[]) => ({ personId: HANAKO, displayName: '開発 花子', email: `hanako-${run}@kaihatsu.example.jp`, roles });
    const expected = (at: number, version: number, active: boolean, members: unknown[]) => ({
      id,
      kind: 'VENDOR',
      name: `かながわ開発株式会社 ${run}`,
      code: null,
      active,
      memberCount: members.length,
      version,
      registeredAt: times[0],
      updatedAt: times[version],
      asOf: times[at],
      members,
    });
    // Registered, no one yet.
    expect((await organisationAsOf(times[0])).data.organisation).toEqual(expected(0, 0, true, []));
    // 開発 花子 approves; 開発 一郎 does not (yet).
    expect((await organisationAsOf(times[2])).data.organisation).toEqual(expected(2, 2, true, [ichiro(['MEMBER']), hanako(['APPROVER'])]));
    // 1 ms before 花子 lost the role: both could approve.
    expect((await organisationAsOf(before(times[4]))).data.organisation).toEqual({
      ...expected(3, 3, true, [ichiro(['MEMBER', 'APPROVER']), hanako(['APPROVER'])]),
      asOf: before(times[4]),
    });
    // Only 一郎 approves; and since its deactivation the organisation is inactive.
    expect((await organisationAsOf(times[4])).data.organisation).toEqual(expected(4, 4, true, [ichiro(['MEMBER', 'APPROVER']), hanako(['VIEWER'])]));
    expect((await organisationAsOf(times[5])).data.organisation).toEqual(expected(5, 5, false, [ichiro(['MEMBER', 'APPROVER']), hanako(['VIEWER'])]));
    // As of now it is the organisation as the live query shows it.
    const now = (await organisationAsOf(new Date(Date.now() + 60_000).toISOString())).data.organisation;
    expect({ ...now, asOf: null }).toEqual((await organisationAsOf(null)).data.organisation);
  });

  it('keeps the members for those who may read them now: an observer sees the organisation, not its people', async () => {
    const denied = await organisationAsOf(times[2], AUDITOR);
    expect(denied.data?.organisation).toMatchObject({ id, active: true, memberCount: 2, asOf: times[2], members: null });
    expect(denied.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([['organisation.members', 'FORBIDDEN']]);
  });

  it('is found by 全国地方公共団体コード too, and the code of no organisation finds nothing', async () => {
    const byCode = async (code: string, asOf: string) =>
      (
        await gqlData(
          app.url,
          'query ($code: String, $asOf: DateTime) { organisation(code: $code, asOf: $asOf) { id name kind asOf } }',
          { code, asOf },
          tokens[AUDITOR],
        )
      ).organisation;
    const asOf = new Date().toISOString();
    expect(await byCode('011002', asOf)).toEqual({ id: '011002', name: '札幌市', kind: 'MUNICIPALITY', asOf });
    expect(await byCode('011002', '2020-01-01T00:00:00.000Z')).toBeNull();
    expect(await byCode(id, asOf)).toBeNull(); // a vendor's slug is no code
  });
});

describe('a spec as of a moment', () => {
  const id = `asof-spec-${run}`;
  const csv = (rows: string[][]) => ['要件ID,要件名,要件,区分', ...rows.map((r) => r.join(','))].join('\n') + '\n';
  let times: string[];
  const FIELDS = `id title domain ownerOrganisationId revision createdAt updatedAt asOf
    latestVersion { version requirementCount publishedAt requirements { edges { node { requirementId text category } } } }
    versions { version requirementCount publishedAt incorporatedProposalIds }`;
  const specAsOf = async (asOf: string | null) =>
    (
      await gqlData(
        app.url,
        `query ($id: ID!, $asOf: DateTime, $w: Position) { spec(id: $id, asOf: $asOf, waitFor: $w) { ${FIELDS} } }`,
        { id, asOf, w: lastPosition },
        tokens[AUDITOR],
      )
    ).spec;

  it('is created and published twice', async () => {
    await mutate('createSpec', { id, title: '戸籍附票システム標準仕様書（時点確認）', domain: '戸籍附票' });
    await mutate('importSpecVersion', {
      specId: id,
      version: '1.0',
      format: 'CSV',
      content: csv([['1.1', '附票の作成', '戸籍の附票を作成できること。', '実装必須']]),
    });
    await mutate('importSpecVersion', {
      specId: id,
      version: '2.0',
      format: 'CSV',
      content: csv([
        ['1.1', '附票の作成', '戸籍の附票を作成し、記載事項を修正できること。', '実装必須'],
        ['1.2', '附票の写しの交付', '附票の写しを交付できること。', '標準オプション'],
      ]),
    });
    const events = await timesOf('SPEC', id);
    expect(events.map((e) => e.type)).toEqual(['SpecCreated', 'SpecVersionPublished', 'SpecVersionPublished']);
    times = events.map((e) => e.occurredAt);
  });

  it('had, at each instant, the versions written out by hand', async () => {
    const common = { id, title: '戸籍附票システム標準仕様書（時点確認）', domain: '戸籍附票', ownerOrganisationId: 'digital-agency', createdAt: times[0] };
    expect(await specAsOf(before(times[0]))).toBeNull();
    expect(await specAsOf(before(times[1]))).toEqual({
      ...common,
      revision: 0,
      updatedAt: times[0],
      asOf: before(times[1]),
      latestVersion: null,
      versions: [],
    });
    const v1 = { version: '1.0', requirementCount: 1, publishedAt: times[1], incorporatedProposalIds: [] };
    expect(await specAsOf(times[1])).toEqual({
      ...common,
      revision: 1,
      updatedAt: times[1],
      asOf: times[1],
      latestVersion: {
        version: '1.0',
        requirementCount: 1,
        publishedAt: times[1],
        requirements: { edges: [{ node: { requirementId: '1.1', text: '戸籍の附票を作成できること。', category: 'MANDATORY' } }] },
      },
      versions: [v1],
    });
    expect(await specAsOf(times[2])).toEqual({
      ...common,
      revision: 2,
      updatedAt: times[2],
      asOf: times[2],
      latestVersion: {
        version: '2.0',
        requirementCount: 2,
        publishedAt: times[2],
        requirements: {
          edges: [
            { node: { requirementId: '1.1', text: '戸籍の附票を作成し、記載事項を修正できること。', category: 'MANDATORY' } },
            { node: { requirementId: '1.2', text: '附票の写しを交付できること。', category: 'STANDARD_OPTION' } },
          ],
        },
      },
      versions: [v1, { version: '2.0', requirementCount: 2, publishedAt: times[2], incorporatedProposalIds: [] }],
    });
    const now = await specAsOf(new Date(Date.now() + 60_000).toISOString());
    expect({ ...now, asOf: null }).toEqual(await specAsOf(null));
  });
});

describe('a ladder as of a moment', () => {
  const OUTCOME = 'outcome { quorumMet thresholdMet blocked passed }';
  const FIELDS = `id proposalId proposalRevision ownerOrganisationId status currentStage decision rationale citedStage decidedAt decidedByPersonId chosenAt streamVersion asOf
    stages { stage kind status prefectureIds openedAt closedAt rules { quorumPercent durationSeconds } rounds { consultationId prefectureId ${OUTCOME} } }`;
  let proposalId: string;
  let tottori: string;
  let ladderTimes: { type: string; occurredAt: string }[];
  let roundId: string;
  let roundClosedAt: string;
  const ladderAsOf = async (asOf: string | null) =>
    (await gqlData(app.url, `query ($id: ID!, $asOf: DateTime) { ladder(id: $id, asOf: $asOf) { ${FIELDS} } }`, { id: proposalId, asOf }, tokens[AUDITOR]))
      .ladder;
  const NO_QUORUM = { quorumMet: false, thresholdMet: false, blocked: false, passed: false };

  it('is chosen for a submitted proposal; its one round closes by itself unanswered; デジタル庁 then rejects', async () => {
    const drafted = await mutate(
      'draftProposal',
      {
        specId: 'juminkiroku',
        specVersion: '4.0',
        title: `旧氏の記載の選択（時点確認 ${run}）`,
        changes: [
          { kind: 'MODIFY', requirementId: '2.1.3', after: '旧氏の記載の有無を選択できること。', reason: '旧氏の記載の有無を選択できる必要があるため' },
        ],
      },
      'proposal { id }',
    );
    proposalId = drafted.proposal.id;
    await mutate('submitProposal', { proposalId });
    const prefectures = await gqlData(app.url, '{ organisations(kind: PREFECTURE, prefectureCode: "31") { edges { node { id } } } }', {}, tokens[ADMIN]);
    tottori = prefectures.organisations.edges[0].node.id; // 鳥取県
    await mutate('chooseLadder', {
      proposalId,
      stages: [
        {
          kind: 'PREFECTURAL_ROUNDS',
          prefectureIds: [tottori],
          rules: {
            quorumPercent: 50,
            thresholdPercent: 60,
            thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT',
            blockVetoes: true,
            resultsHidden: false,
            durationSeconds: 3,
          },
        },
        { kind: 'NATIONAL_DECISION' },
      ],
    });
    // The round closes at its closing time and the runner then closes the stage (polled, as the schedulers run on their own).
    const deadline = Date.now() + 60_000;
    let stageClosed = false;
    while (!stageClosed) {
      if (Date.now() > deadline) throw new Error('timed out waiting for stage 1 to close');
      const now = await gqlData(
        app.url,
        `query ($id: ID!) { ladder(id: $id) { currentStage stages { rounds { consultationId ${OUTCOME} } } } }`,
        { id: proposalId },
        tokens[ADMIN],
      );
      stageClosed = now.ladder?.currentStage === 2;
      if (!stageClosed) await sleep(200);
      else roundId = now.ladder.stages[0].rounds[0].consultationId;
    }
    await mutate('recordLadderDecision', {
      ladderId: proposalId,
      decision: 'REJECT',
      rationale: '鳥取県の市町村の協議で定足数に達しなかったため',
      citedStage: 1,
      citedOutcomes: [{ consultationId: roundId, ...NO_QUORUM }],
    });
    ladderTimes = await timesOf('LADDER', proposalId);
    expect(ladderTimes.map((e) => e.type)).toEqual(['LadderChosen', 'LadderStageOpened', 'LadderStageClosed', 'LadderDecided']);
    const round = await timesOf('CONSULTATION', roundId);
    expect(round.map((e) => e.type)).toEqual(['ConsultationOpened', 'ConsultationClosed']);
    roundClosedAt = round[1].occurredAt;
    // The round closed before the runner recorded the stage closed: between them, the stage is open with the round's outcome known.
    expect(Date.parse(roundClosedAt)).toBeLessThan(Date.parse(ladderTimes[2].occurredAt));
  });

  it('had, at each instant, the stages and outcomes written out by hand', async () => {
    const [chosenAt, openedAt, closedAt, decidedAt] = ladderTimes.map((e) => e.occurredAt);
    const rules = { quorumPercent: 50, durationSeconds: 3 };
    const decision = { stage: 2, kind: 'NATIONAL_DECISION', prefectureIds: null, rules: null };
    const common = { id: proposalId, proposalId, proposalRevision: 1, ownerOrganisationId: 'digital-agency', chosenAt };
    const undecided = { decision: null, rationale: null, citedStage: null, decidedAt: null, decidedByPersonId: null };
    const stage1 = (status: string, closed: string | null, outcome: unknown) => ({
      stage: 1,
      kind: 'PREFECTURAL_ROUNDS',
      status,
      prefectureIds: [tottori],
      openedAt,
      closedAt: closed,
      rules,
      rounds: [{ consultationId: roundId, prefectureId: tottori, outcome }],
    });

    expect(await ladderAsOf(before(chosenAt))).toBeNull();
    // Open, the round still running.
    expect(await ladderAsOf(before(roundClosedAt))).toEqual({
      ...common,
      ...undecided,
      status: 'RUNNING',
      currentStage: 1,
      streamVersion: 1,
      asOf: before(roundClosedAt),
      stages: [stage1('OPEN', null, null), { ...decision, status: 'PENDING', openedAt: null, closedAt: null, rounds: [] }],
    });
    // The round has closed (its own events say so), the stage not yet.
    expect(await ladderAsOf(roundClosedAt)).toEqual({
      ...common,
      ...undecided,
      status: 'RUNNING',
      currentStage: 1,
      streamVersion: 1,
      asOf: roundClosedAt,
      stages: [stage1('OPEN', null, NO_QUORUM), { ...decision, status: 'PENDING', openedAt: null, closedAt: null, rounds: [] }],
    });
    // The stage closed: the national decision is next.
    expect(await ladderAsOf(closedAt)).toMatchObject({
      status: 'RUNNING',
      currentStage: 2,
      streamVersion: 2,
      stages: [stage1('CLOSED', closedAt, NO_QUORUM), { status: 'PENDING' }],
    });
    // Decided.
    expect(await ladderAsOf(decidedAt)).toEqual({
      ...common,
      status: 'DECIDED',
      currentStage: null,
      decision: 'REJECT',
      rationale: '鳥取県の市町村の協議で定足数に達しなかったため',
      citedStage: 1,
      decidedAt,
      decidedByPersonId: 'demo-admin',
      streamVersion: 3,
      asOf: decidedAt,
      stages: [
        stage1('CLOSED', closedAt, NO_QUORUM),
        {
          ...decision,
          status: 'DECIDED',
          openedAt: decidedAt,
          closedAt: decidedAt,
          rounds: [{ consultationId: roundId, prefectureId: null, outcome: NO_QUORUM }],
        },
      ],
    });
    expect({ ...(await ladderAsOf(new Date(Date.now() + 60_000).toISOString())), asOf: null }).toEqual(await ladderAsOf(null));
  });
});

describe('a talent pool as of a moment', () => {
  const poolId = `asof-pool-${run}`;
  const FIELDS = `id name prefectureOrganisationId openedByPersonId openedAt streamVersion asOf people { poolPersonId name reference capacityDaysPerMonth addedAt }
    dispatches { dispatchId poolPersonId personName organisationId arrangementId daysPerMonth startDate endDate plannedEndDate endReason dispatchedAt }`;
  let arrangementId: string;
  let times: string[];
  const poolAsOf = async (asOf: string | null, email = HOKKAIDO) =>
    (
      await gqlData(
        app.url,
        `query ($id: ID!, $asOf: DateTime, $w: Position) { talentPool(id: $id, asOf: $asOf, waitFor: $w) { ${FIELDS} } }`,
        { id: poolId, asOf, w: lastPosition },
        tokens[email],
      )
    ).talentPool;

  it('is opened by 北海道, which adds a person, dispatches them to 札幌市, raises their capacity and cuts the dispatch short', async () => {
    await mutate('openTalentPool', { id: poolId, name: `北海道デジタル人材プール ${run}` }, '', HOKKAIDO);
    await mutate('addTalentPoolPerson', { poolId, poolPersonId: 'pp-1', name: '鈴木 次郎', reference: '道職員-0042', capacityDaysPerMonth: 10 }, '', HOKKAIDO);
    const proposed = await mutate(
      'proposeTalentArrangement',
      {
        role: 'CIO補佐官',
        skills: ['情報セキュリティ'],
        terms: {
          startDate: '2027-04-01',
          endDate: '2028-03-31',
          annualCostYen: 9_000_000,
          hostOrganisationId: '010006',
          participants: ['011002', '012025'].map((organisationId) => ({ organisationId, daysPerMonth: 8 })),
          splitRule: 'EQUAL',
        },
      },
      'arrangementId',
      HOKKAIDO,
    );
    arrangementId = proposed.arrangementId;
    await mutate(
      'dispatchTalentPoolPerson',
      {
        poolId,
        dispatchId: 'd-1',
        poolPersonId: 'pp-1',
        organisationId: '011002',
        arrangementId,
        daysPerMonth: 8,
        startDate: '2027-04-01',
        endDate: '2028-03-31',
      },
      '',
      HOKKAIDO,
    );
    await mutate('changeTalentPoolPersonCapacity', { poolId, poolPersonId: 'pp-1', capacityDaysPerMonth: 12 }, '', HOKKAIDO);
    await mutate('endTalentPoolDispatch', { poolId, dispatchId: 'd-1', endDate: '2027-06-30', reason: '札幌市の職員が育ったため' }, '', HOKKAIDO);
    const events = await timesOf('TALENT_POOL', poolId);
    expect(events.map((e) => e.type)).toEqual([
      'TalentPoolOpened',
      'PoolPersonAdded',
      'PoolPersonDispatched',
      'PoolPersonCapacityChanged',
      'PoolDispatchEnded',
    ]);
    times = events.map((e) => e.occurredAt);
  });

  it('had, at each instant, the people and dispatches written out by hand', async () => {
    const pool = (at: number, people: unknown[], dispatches: unknown[]) => ({
      id: poolId,
      name: `北海道デジタル人材プール ${run}`,
      prefectureOrganisationId: '010006',
      openedByPersonId: 'demo-hokkaido',
      openedAt: times[0],
      streamVersion: at,
      asOf: times[at],
      people,
      dispatches,
    });
    const suzuki = (capacityDaysPerMonth: number) => ({
      poolPersonId: 'pp-1',
      name: '鈴木 次郎',
      reference: '道職員-0042',
      capacityDaysPerMonth,
      addedAt: times[1],
    });
    const d1 = (endDate: string, endReason: string | null, personName: string | null = '鈴木 次郎') => ({
      dispatchId: 'd-1',
      poolPersonId: 'pp-1',
      personName,
      organisationId: '011002',
      arrangementId,
      daysPerMonth: 8,
      startDate: '2027-04-01',
      endDate,
      plannedEndDate: '2028-03-31',
      endReason,
      dispatchedAt: times[2],
    });
    expect(await poolAsOf(before(times[0]))).toBeNull();
    expect(await poolAsOf(times[1])).toEqual(pool(1, [suzuki(10)], []));
    expect(await poolAsOf(times[2])).toEqual(pool(2, [suzuki(10)], [d1('2028-03-31', null)]));
    expect(await poolAsOf(times[4])).toEqual(pool(4, [suzuki(12)], [d1('2027-06-30', '札幌市の職員が育ったため')]));
    // The rules of now: people for 北海道 only; the dispatched person's name also for 札幌市, whom they served.
    expect(await poolAsOf(times[2], SAPPORO)).toEqual({ ...pool(2, [], [d1('2028-03-31', null)]), people: null });
    expect(await poolAsOf(times[2], HINOHARA)).toEqual({ ...pool(2, [], [d1('2028-03-31', null, null)]), people: null });
    expect({ ...(await poolAsOf(new Date(Date.now() + 60_000).toISOString())), asOf: null }).toEqual(await poolAsOf(null));
  });
});
