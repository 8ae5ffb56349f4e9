/**
 * The audit history and time travel from the outside: the built app on a fresh database with the
 * demo seed.
 *
 * 札幌市 drafts a proposal (修文案), revises it and submits it; 北海道's coordinator opens a round
 * over 札幌市, 函館市, another town of 北海道 and 檜原村, whose stances are drafted and approved
 * (決裁) one after another; 札幌市 changes its mind; the round is closed early. Then:
 * - `consultation(asOf:)` is checked against tallies computed by hand at the instants between
 *   the stances (instants taken from the events' own times, each exactly and 1 ms before);
 * - `proposal(asOf:)` before and after its revision;
 * - `history` pages, filters by actor and type, summaries in Japanese and English, the hash chain;
 * - the rules: a hidden round still open (stances redacted, even for national admins), a draft of
 *   another organisation (NOT_FOUND, as for one that does not exist), members' personal data,
 *   a mandate seen only by its parties;
 * - `organisationActivity`: what 札幌市 did, newest first, for its own people and national admins;
 * - personal data of talent candidates and pool people: in full for the organisers (the pool's
 *   prefecture) in the history and its export, redacted in the history and refused in the export
 *   (WITHHELD_ENTRIES) for everyone else, national admins included.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gql, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';
import { DEMO_CONTENT } from '../../apps/api/src/organisations/seed/demo-content-ids';

jest.setTimeout(180_000);

const ADMIN = 'admin@digital.example.jp'; // デジタル庁: admin, coordinator
const HOKKAIDO = 'coordinator@pref.hokkaido.example.jp'; // 北海道: member, coordinator
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp'; // 札幌市: member
const SAPPORO_APPROVER = 'approver@city.sapporo.example.jp'; // 札幌市: member, approver
const HINOHARA = 'staff@vill.hinohara.example.jp'; // 檜原村: member, approver, admin
const AUDITOR = 'auditor@observer.example.jp'; // observer: viewer
const MIC = 'secretariat@mic.example.jp'; // 総務省: member, approver, coordinator
const SAPPORO = '011002';
const HAKODATE = '012025';
const HINOHARA_ID = '133078';
const run = randomBytes(4).toString('hex');

let app: AppProcess;
/** The position the last mutation wrote: queries on read models wait for it. */
let lastPosition: string | null = null;
let database: { url: string; drop(): Promise<void> };
const tokens: Record<string, string> = {};
let otherTown: string; // a third municipality of 北海道

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'history');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  for (const email of [ADMIN, HOKKAIDO, SAPPORO_STAFF, SAPPORO_APPROVER, HINOHARA, AUDITOR, MIC]) tokens[email] = await demoLogin(app.url, email);
  const towns = (
    await gqlData(app.url, '{ organisations(kind: MUNICIPALITY, prefectureCode: "01", first: 5) { edges { node { id } } } }', {}, tokens[ADMIN])
  ).organisations.edges.map((e: { node: { id: string } }) => e.node.id);
  otherTown = towns.find((id: string) => id !== SAPPORO && id !== HAKODATE);
  for (const organisationId of [HAKODATE, otherTown]) {
    const email = `history-${run}@${organisationId}.example.jp`;
    const added = await gqlData(
      app.url,
      'mutation ($input: AddMemberInput!) { addMember(input: $input) { errors { code } member { personId } } }',
      { input: { organisationId, displayName: `決裁 ${organisationId}`, email, roles: ['MEMBER', 'APPROVER'] } },
      tokens[ADMIN],
    );
    expect(added.addMember.errors).toEqual([]);
    tokens[organisationId] = await demoLogin(app.url, email);
  }
  tokens[SAPPORO] = tokens[SAPPORO_APPROVER];
  tokens[HINOHARA_ID] = tokens[HINOHARA];
});

afterAll(async () => {
  await stopAllApps();
  await database?.drop();
});

interface Payload {
  errors: { code: string; message: string }[];
  position: string | null;
  [key: string]: any;
}

async function mutate(name: string, inputType: string, input: Record<string, unknown>, token: string, selection = ''): Promise<Payload> {
  const data = await gqlData(
    app.url,
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { position errors { code message } ${selection} } }`,
    { input },
    token,
  );
  expect(data[name].errors).toEqual([]);
  lastPosition = data[name].position;
  await sleep(15); // every event its own millisecond, so the instants between them are unambiguous
  return data[name];
}

const ENTRY = `eventId streamName entityKind entityId revision position type occurredAt recordedAt actor { personId organisationId roles organisation { name } }
  summary { ja en } hash previousHash redacted correlationId causationId schemaVersion`;

interface Entry {
  eventId: string;
  streamName: string;
  entityKind: string | null;
  entityId: string;
  revision: number;
  position: string;
  type: string;
  occurredAt: string;
  actor: { personId: string; organisationId: string; roles: string[]; organisation: { name: string } | null };
  summary: { ja: string; en: string };
  hash: string;
  previousHash: string | null;
  redacted: boolean;
  correlationId: string | null;
  causationId: string | null;
}

async function history(token: string, entity: string, id: string, args: Record<string, unknown> = {}) {
  const result = await gql(
    app.url,
    `query ($entity: HistoryEntityKind!, $id: ID!, $first: Int, $after: String, $org: ID, $person: ID, $types: [String!]) {
       history(entity: $entity, id: $id, first: $first, after: $after, actorOrganisationId: $org, actorPersonId: $person, types: $types) {
         entityKind entityId streamName eventCount pageInfo { hasNextPage endCursor } edges { cursor node { ${ENTRY} } } } }`,
    { entity, id, ...args },
    token,
  );
  return {
    errors: result.errors,
    page: result.data?.history as
      | { eventCount: number; streamName: string; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Entry }[] }
      | undefined,
  };
}

const entriesOf = async (token: string, entity: string, id: string, args: Record<string, unknown> = {}): Promise<Entry[]> => {
  const { errors, page } = await history(token, entity, id, { first: 200, ...args });
  if (errors) throw new Error(JSON.stringify(errors));
  return page!.edges.map((e) => e.node);
};

const TALLY =
  'tally { counts { approve object abstain block } weights { approve object abstain block } participatingCount participatingWeight totalWeight electorateCount }';
const CONSULTATION = `id status asOf resultsHidden electorateCount ${TALLY} outcome { quorumMet thresholdMet blocked passed } closedAt early closeReason streamVersion position
  stances { organisationId stance reason castAt castByOrganisationId } nonRespondents { organisationId } myDrafts { draftId stance approved }`;

async function consultationAsOf(id: string, asOf: string | null, token = tokens[ADMIN]) {
  return (
    await gqlData(
      app.url,
      `query ($id: ID!, $asOf: DateTime, $waitFor: Position) { consultation(id: $id, asOf: $asOf, waitFor: $waitFor) { ${CONSULTATION} } }`,
      { id, asOf, waitFor: lastPosition },
      token,
    )
  ).consultation;
}

const before = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();
const counts = (approve: number, object: number, abstain: number, block: number) => ({ approve, object, abstain, block });

let proposalId: string;
let proposalEntries: Entry[];
let roundId: string;
let hiddenId: string;
let draftOnlyId: string;

async function stance(consultationId: string, organisationId: string, kind: string, reason: string | null = null) {
  const draft = await mutate(
    'draftStance',
    'DraftStanceInput',
    { commandId: randomUUID(), consultationId, stance: kind, reason },
    tokens[organisationId],
    'draftId',
  );
  return mutate('approveStance', 'ApproveStanceInput', { commandId: randomUUID(), consultationId, draftId: draft.draftId }, tokens[organisationId]);
}

describe('a proposal as of a moment, and its history', () => {
  it('is drafted by 札幌市, revised and submitted; only 札幌市 sees its history while it is a draft', async () => {
    const drafted = await mutate(
      'draftProposal',
      'DraftProposalInput',
      {
        commandId: randomUUID(),
        specId: 'juminkiroku',
        specVersion: '4.0',
        title: '旧氏の記載（第1版）',
        changes: [{ kind: 'MODIFY', requirementId: '2.1.3', after: '旧氏を選択して記載できること。', reason: '旧氏の併記の要望が多いため' }],
      },
      tokens[SAPPORO_STAFF],
      'proposal { id }',
    );
    proposalId = drafted.proposal.id;

    // A draft: its author organisation only. Everyone else gets NOT_FOUND, exactly as for an id that does not exist.
    expect((await entriesOf(tokens[SAPPORO_STAFF], 'PROPOSAL', proposalId)).map((e) => e.type)).toEqual(['ProposalDrafted']);
    const refusals = await Promise.all([
      history(tokens[HINOHARA], 'PROPOSAL', proposalId),
      history(tokens[ADMIN], 'PROPOSAL', proposalId),
      history(tokens[HINOHARA], 'PROPOSAL', 'NOPE-404'),
    ]);
    const shape = (r: (typeof refusals)[number], id: string) => ({
      code: r.errors?.[0].extensions?.code,
      message: r.errors?.[0].message.replace(id, '<id>'),
      page: r.page,
    });
    expect(shape(refusals[0], proposalId)).toEqual({
      code: 'NOT_FOUND',
      message: 'No proposal "<id>": it does not exist, or you may not see it.',
      page: undefined,
    });
    expect(shape(refusals[1], proposalId)).toEqual(shape(refusals[0], proposalId));
    expect(shape(refusals[2], 'NOPE-404')).toEqual(shape(refusals[0], proposalId));
    expect(
      (await gqlData(app.url, 'query ($id: ID!) { proposal(id: $id, asOf: "2030-01-01T00:00:00Z") { id } }', { id: proposalId }, tokens[HINOHARA])).proposal,
    ).toBeNull();

    await mutate(
      'reviseProposal',
      'ReviseProposalInput',
      {
        commandId: randomUUID(),
        proposalId,
        title: '旧氏の記載（第2版）',
        changes: [
          { kind: 'MODIFY', requirementId: '2.1.3', after: '旧氏の記載の有無を選択できること。', reason: '旧氏の記載の有無を選択できる必要があるため' },
          { kind: 'MODIFY', requirementId: '2.1.4', after: '通称を記載できること。', reason: '通称の記載の要望' },
        ],
      },
      tokens[SAPPORO_STAFF],
    );
    await mutate('submitProposal', 'SubmitProposalInput', { commandId: randomUUID(), proposalId }, tokens[SAPPORO_APPROVER]);
    proposalEntries = await entriesOf(tokens[HINOHARA], 'PROPOSAL', proposalId); // submitted: everyone with a role
    expect(proposalEntries.map((e) => [e.revision, e.type, e.actor.personId, e.actor.organisationId, e.actor.roles])).toEqual([
      [0, 'ProposalDrafted', 'demo-sapporo-staff', SAPPORO, ['MEMBER']],
      [1, 'ProposalRevised', 'demo-sapporo-staff', SAPPORO, ['MEMBER']],
      [2, 'ProposalSubmitted', 'demo-sapporo-approver', SAPPORO, ['MEMBER', 'APPROVER']],
    ]);
    expect(proposalEntries.map((e) => e.summary)).toEqual([
      {
        ja: '札幌市が修文案「旧氏の記載（第1版）」を起案しました（juminkiroku 第4.0版に対する変更 1 件）',
        en: '札幌市 (011002) drafted the proposal “旧氏の記載（第1版）” (1 change to juminkiroku 4.0)',
      },
      {
        ja: '札幌市が修文案を第2版に改訂しました（「旧氏の記載（第2版）」、変更 2 件）',
        en: '札幌市 (011002) revised the proposal to revision 2 (“旧氏の記載（第2版）”, 2 changes)',
      },
      { ja: '札幌市が修文案の第2版を提出しました', en: '札幌市 (011002) submitted revision 2 of the proposal' },
    ]);
  });

  it('shows the first text before the revision, the revised text after it, and the submitted proposal now — as the current query does', async () => {
    const PROPOSAL = `id status title currentRevision everSubmitted submittedRevision submittedAt streamVersion position asOf draftedAt updatedAt
      changes { requirementId after } revisions { revision title } revision(n: 2) { title } diff { changes { requirementId before after } }`;
    const asOf = async (at: string | null) =>
      (
        await gqlData(
          app.url,
          `query ($id: ID!, $asOf: DateTime) { proposal(id: $id, asOf: $asOf) { ${PROPOSAL} } }`,
          { id: proposalId, asOf: at },
          tokens[HINOHARA],
        )
      ).proposal;
    const [drafted, revised, submitted] = proposalEntries.map((e) => e.occurredAt);

    expect(await asOf(before(drafted))).toBeNull(); // it did not exist yet
    expect(await asOf(drafted)).toEqual({
      id: proposalId,
      status: 'DRAFTED',
      title: '旧氏の記載（第1版）',
      currentRevision: 1,
      everSubmitted: false,
      submittedRevision: null,
      submittedAt: null,
      streamVersion: 0,
      position: proposalEntries[0].position,
      asOf: drafted,
      draftedAt: drafted,
      updatedAt: drafted,
      changes: [{ requirementId: '2.1.3', after: '旧氏を選択して記載できること。' }],
      revisions: [{ revision: 1, title: '旧氏の記載（第1版）' }],
      revision: null,
      diff: { changes: [{ requirementId: '2.1.3', before: expect.any(String), after: '旧氏を選択して記載できること。' }] },
    });
    expect(await asOf(before(revised))).toMatchObject({ currentRevision: 1, streamVersion: 0 });
    expect(await asOf(revised)).toMatchObject({
      status: 'DRAFTED',
      currentRevision: 2,
      title: '旧氏の記載（第2版）',
      changes: [
        { requirementId: '2.1.3', after: '旧氏の記載の有無を選択できること。' },
        { requirementId: '2.1.4', after: '通称を記載できること。' },
      ],
      revisions: [
        { revision: 1, title: '旧氏の記載（第1版）' },
        { revision: 2, title: '旧氏の記載（第2版）' },
      ],
      revision: { title: '旧氏の記載（第2版）' },
    });
    const now = await asOf(submitted);
    expect(now).toMatchObject({ status: 'SUBMITTED', everSubmitted: true, submittedRevision: 2, submittedAt: submitted, streamVersion: 2 });
    // The same as the query on the read model, but for asOf itself.
    const current = (
      await gqlData(
        app.url,
        `query ($id: ID!, $waitFor: Position) { proposal(id: $id, waitFor: $waitFor) { ${PROPOSAL} } }`,
        { id: proposalId, waitFor: lastPosition },
        tokens[HINOHARA],
      )
    ).proposal;
    expect({ ...now, asOf: null }).toEqual(current);
  });
});

describe('a round as of the instants between its stances', () => {
  let entries: Entry[];

  it('is opened by 北海道 over four organisations, answered one after another, and closed early', async () => {
    const opened = await mutate(
      'openConsultation',
      'OpenConsultationInput',
      {
        commandId: randomUUID(),
        proposalId,
        electorate: { organisations: [SAPPORO, HAKODATE, otherTown, HINOHARA_ID] },
        quorumPercent: 50,
        thresholdPercent: 60,
        thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT',
        blockVetoes: false,
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
        resultsHidden: false,
      },
      tokens[HOKKAIDO],
      'consultationId',
    );
    roundId = opened.consultationId;
    await stance(roundId, SAPPORO, 'APPROVE');
    await stance(roundId, HAKODATE, 'OBJECT', '運用上の支障があるため');
    await stance(roundId, HINOHARA_ID, 'ABSTAIN');
    await stance(roundId, SAPPORO, 'OBJECT', '再検討の結果');
    await mutate('closeConsultation', 'CloseConsultationInput', { commandId: randomUUID(), id: roundId, reason: '回答が揃ったため' }, tokens[HOKKAIDO]);
    entries = await entriesOf(tokens[AUDITOR], 'CONSULTATION', roundId);
    expect(entries.map((e) => `${e.type}:${e.actor.organisationId}`)).toEqual([
      'ConsultationOpened:010006',
      `StanceDrafted:${SAPPORO}`,
      `StanceCast:${SAPPORO}`,
      `StanceDrafted:${HAKODATE}`,
      `StanceCast:${HAKODATE}`,
      `StanceDrafted:${HINOHARA_ID}`,
      `StanceCast:${HINOHARA_ID}`,
      `StanceDrafted:${SAPPORO}`,
      `StanceCast:${SAPPORO}`,
      'ConsultationClosed:010006',
    ]);
  });

  it('has, at each instant, the tally computed by hand', async () => {
    const at = (i: number) => entries[i].occurredAt;
    // [instant, status, counts (approve, object, abstain, block), participating]
    const expected: [string, string, ReturnType<typeof counts>, number][] = [
      [at(0), 'OPEN', counts(0, 0, 0, 0), 0],
      [at(1), 'OPEN', counts(0, 0, 0, 0), 0], // 札幌市's draft is not its stance yet
      [before(at(2)), 'OPEN', counts(0, 0, 0, 0), 0],
      [at(2), 'OPEN', counts(1, 0, 0, 0), 1],
      [before(at(4)), 'OPEN', counts(1, 0, 0, 0), 1],
      [at(4), 'OPEN', counts(1, 1, 0, 0), 2],
      [at(6), 'OPEN', counts(1, 1, 1, 0), 3],
      [before(at(8)), 'OPEN', counts(1, 1, 1, 0), 3],
      [at(8), 'OPEN', counts(0, 2, 1, 0), 3], // 札幌市 changed from approve to object
      [at(9), 'CLOSED', counts(0, 2, 1, 0), 3],
    ];
    const seen = await Promise.all(expected.map(([instant]) => consultationAsOf(roundId, instant)));
    expect(seen.map((c) => [c.asOf, c.status, c.tally.counts, c.tally.participatingCount, c.tally.electorateCount])).toEqual(
      expected.map(([instant, status, c, participating]) => [instant, status, c, participating, 4]),
    );
    expect(await consultationAsOf(roundId, before(at(0)))).toBeNull();
    // Before the close: no outcome; after: quorum 3 of 4 ≥ 50 % met, approve 0 of (0 + 2) < 60 %: not passed.
    expect(seen[8].outcome).toBeNull();
    expect(seen[9]).toMatchObject({
      outcome: { quorumMet: true, thresholdMet: false, blocked: false, passed: false },
      early: true,
      closeReason: '回答が揃ったため',
    });
  });

  it('shows the stances, non-respondents and drafts of that moment', async () => {
    const mid = await consultationAsOf(roundId, entries[4].occurredAt, tokens[SAPPORO_APPROVER]);
    expect(mid.stances).toEqual([
      { organisationId: SAPPORO, stance: 'APPROVE', reason: null, castAt: entries[2].occurredAt, castByOrganisationId: SAPPORO },
      { organisationId: HAKODATE, stance: 'OBJECT', reason: '運用上の支障があるため', castAt: entries[4].occurredAt, castByOrganisationId: HAKODATE },
    ]);
    expect(mid.nonRespondents.map((r: { organisationId: string }) => r.organisationId)).toEqual([otherTown, HINOHARA_ID]);
    expect(mid.myDrafts).toEqual([{ draftId: expect.any(String), stance: 'APPROVE', approved: true }]);
    const end = await consultationAsOf(roundId, entries[9].occurredAt, tokens[SAPPORO_APPROVER]);
    expect(end.stances.find((s: { organisationId: string }) => s.organisationId === SAPPORO)).toMatchObject({ stance: 'OBJECT', reason: '再検討の結果' });
    expect(end.myDrafts.map((d: { stance: string }) => d.stance)).toEqual(['OBJECT', 'APPROVE']);
    // As of now it is the current consultation.
    const now = await consultationAsOf(roundId, new Date(Date.now() + 60_000).toISOString());
    const current = await consultationAsOf(roundId, null);
    expect({ ...now, asOf: null }).toEqual(current);
  });

  it('pages its history by revision, filters it by actor and type, and links every entry to the one before', async () => {
    const pages: Entry[][] = [];
    let after: string | null = null;
    for (;;) {
      const { page } = await history(tokens[AUDITOR], 'CONSULTATION', roundId, { first: 4, after });
      pages.push(page!.edges.map((e) => e.node));
      expect(page!.eventCount).toBe(10);
      if (!page!.pageInfo.hasNextPage) break;
      after = page!.pageInfo.endCursor;
    }
    expect(pages.map((p) => p.length)).toEqual([4, 4, 2]);
    expect(pages.flat()).toEqual(entries);
    expect(entries.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(entries[0].previousHash).toBeNull();
    for (let i = 1; i < entries.length; i++) expect(entries[i].previousHash).toBe(entries[i - 1].hash);
    expect(new Set(entries.map((e) => e.hash)).size).toBe(10);
    expect(entries.every((e) => /^[0-9a-f]{64}$/.test(e.hash) && e.entityKind === 'CONSULTATION' && e.entityId === roundId)).toBe(true);

    const bySapporo = await entriesOf(tokens[AUDITOR], 'CONSULTATION', roundId, { org: SAPPORO });
    expect(bySapporo.map((e) => [e.revision, e.type])).toEqual([
      [1, 'StanceDrafted'],
      [2, 'StanceCast'],
      [7, 'StanceDrafted'],
      [8, 'StanceCast'],
    ]);
    expect((await entriesOf(tokens[AUDITOR], 'CONSULTATION', roundId, { person: 'demo-hokkaido' })).map((e) => e.type)).toEqual([
      'ConsultationOpened',
      'ConsultationClosed',
    ]);
    const casts = await entriesOf(tokens[AUDITOR], 'CONSULTATION', roundId, { types: ['StanceCast'] });
    expect(casts.map((e) => e.summary)).toEqual([
      { ja: '札幌市が賛成の公式見解を決裁しました', en: '札幌市 (011002) cast APPROVE' },
      { ja: '函館市が反対の公式見解を決裁しました（理由: 運用上の支障があるため）', en: '函館市 (012025) cast OBJECT: 運用上の支障があるため' },
      { ja: '檜原村が棄権の公式見解を決裁しました', en: '檜原村 (133078) cast ABSTAIN' },
      {
        ja: '札幌市が公式見解を賛成から反対に変更しました（決裁）（理由: 再検討の結果）',
        en: '札幌市 (011002) changed its stance from APPROVE to OBJECT: 再検討の結果',
      },
    ]);
    const { page: twoCasts } = await history(tokens[AUDITOR], 'CONSULTATION', roundId, { first: 2, types: ['StanceCast', 'ConsultationClosed'], after: '2' });
    expect(twoCasts!.edges.map((e) => e.node.revision)).toEqual([4, 6]);
    expect(twoCasts!.pageInfo).toEqual({ hasNextPage: true, endCursor: '6' });
    expect(entries[9].summary).toEqual({
      ja: '北海道が協議を締切前に終了しました（理由: 回答が揃ったため）。結果: 否決（賛成 0・反対 2・棄権 1・阻止 0、参加 3/4 団体、賛成が基準未満）',
      en: '北海道 (010006) closed the consultation early: 回答が揃ったため. Result: NOT PASSED (approve 0, object 2, abstain 1, block 0; 3 of 4 organisations took part; threshold not met)',
    });
    // Drafts are the drafting organisation's own, in every round.
    expect(entries[3]).toMatchObject({ redacted: true, correlationId: null, summary: { ja: '函館市が見解案を起案しました（内容は非公開）' } });
    expect((await entriesOf(tokens[HAKODATE], 'CONSULTATION', roundId))[3]).toMatchObject({
      redacted: false,
      summary: { ja: '函館市が反対の見解案を起案しました（理由: 運用上の支障があるため）' },
    });
  });

  it('refuses bad arguments with a code', async () => {
    const codes = async (args: Record<string, unknown>) =>
      (await history(tokens[AUDITOR], 'CONSULTATION', roundId, args)).errors?.map((e) => e.extensions?.code);
    expect(await codes({ types: ['StanceCasted'] })).toEqual(['UNKNOWN_EVENT_TYPE']);
    expect(await codes({ first: 0 })).toEqual(['INVALID_PAGE_SIZE']);
    expect(await codes({ after: 'x' })).toEqual(['INVALID_CURSOR']);
  });
});

describe('a round whose results are hidden', () => {
  it('is answered by 札幌市 and 函館市 while open: their stances are redacted for everyone but themselves, national admins included', async () => {
    const opened = await mutate(
      'openConsultation',
      'OpenConsultationInput',
      {
        commandId: randomUUID(),
        proposalId,
        electorate: { organisations: [SAPPORO, HAKODATE] },
        quorumPercent: 50,
        thresholdPercent: 50,
        thresholdBasis: 'APPROVE_OF_ALL_CAST',
        blockVetoes: false,
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
        resultsHidden: true,
      },
      tokens[HOKKAIDO],
      'consultationId',
    );
    hiddenId = opened.consultationId;
    await stance(hiddenId, SAPPORO, 'APPROVE');
    await stance(hiddenId, HAKODATE, 'OBJECT', '費用負担が大きいため');

    const cast = (entries: Entry[]) => entries.filter((e) => e.type === 'StanceCast');
    for (const email of [ADMIN, HINOHARA, AUDITOR]) {
      const seen = cast(await entriesOf(tokens[email], 'CONSULTATION', hiddenId));
      expect(seen.map((e) => [e.actor.organisationId, e.redacted, e.correlationId])).toEqual([
        [SAPPORO, true, null],
        [HAKODATE, true, null],
      ]);
      for (const e of seen) expect(`${e.summary.ja} ${e.summary.en}`).not.toMatch(/賛成|反対|APPROVE|OBJECT|費用負担/);
    }
    expect(cast(await entriesOf(tokens[SAPPORO_STAFF], 'CONSULTATION', hiddenId)).map((e) => [e.redacted, e.summary.en])).toEqual([
      [false, '札幌市 (011002) cast APPROVE'],
      [true, '函館市 (012025) cast a stance (withheld until the round closes)'],
    ]);
    // As of now: no tally for anyone, only one's own stance.
    expect(await consultationAsOf(hiddenId, new Date().toISOString(), tokens[ADMIN])).toMatchObject({ status: 'OPEN', tally: null, stances: [] });
    expect((await consultationAsOf(hiddenId, new Date().toISOString(), tokens[SAPPORO_STAFF])).stances).toEqual([
      expect.objectContaining({ organisationId: SAPPORO, stance: 'APPROVE' }),
    ]);
  });

  it("shows 札幌市's hidden stance in its activity feed to its own people, redacted to national admins", async () => {
    const feed = async (token: string) =>
      (
        await gqlData(
          app.url,
          `query ($id: ID!, $waitFor: Position) { organisationActivity(organisationId: $id, first: 10, waitFor: $waitFor) { edges { node { streamName type redacted summary { en } } } } }`,
          { id: SAPPORO, waitFor: lastPosition },
          token,
        )
      ).organisationActivity.edges.map((e: { node: Entry }) => e.node);
    const own = await feed(tokens[SAPPORO_STAFF]);
    expect(own[0]).toEqual({ streamName: `Consultation-${hiddenId}`, type: 'StanceCast', redacted: false, summary: { en: '札幌市 (011002) cast APPROVE' } });
    expect((await feed(tokens[ADMIN]))[0]).toEqual({
      streamName: `Consultation-${hiddenId}`,
      type: 'StanceCast',
      redacted: true,
      summary: { en: '札幌市 (011002) cast a stance (withheld until the round closes)' },
    });
  });

  it('is shown in full once closed — but as of a moment it was open, still without a tally', async () => {
    const open = await entriesOf(tokens[HINOHARA], 'CONSULTATION', hiddenId);
    await mutate('closeConsultation', 'CloseConsultationInput', { commandId: randomUUID(), id: hiddenId, reason: '早期終了' }, tokens[HOKKAIDO]);
    const closed = await entriesOf(tokens[HINOHARA], 'CONSULTATION', hiddenId);
    expect(closed.filter((e) => e.type === 'StanceCast').map((e) => [e.redacted, e.summary.en])).toEqual([
      [false, '札幌市 (011002) cast APPROVE'],
      [false, '函館市 (012025) cast OBJECT: 費用負担が大きいため'],
    ]);
    expect(closed.filter((e) => e.type === 'StanceDrafted').every((e) => e.redacted)).toBe(true); // drafts stay the drafters'
    expect(closed.slice(0, open.length).map((e) => e.hash)).toEqual(open.map((e) => e.hash)); // the same events, only shown in full
    const lastOpen = open[open.length - 1].occurredAt;
    expect(await consultationAsOf(hiddenId, lastOpen, tokens[HINOHARA])).toMatchObject({ status: 'OPEN', tally: null, outcome: null, stances: [] });
    const after = await consultationAsOf(hiddenId, closed[closed.length - 1].occurredAt, tokens[HINOHARA]);
    expect(after).toMatchObject({ status: 'CLOSED', tally: { counts: counts(1, 1, 0, 0), participatingCount: 2 } });
    expect(after.stances.map((s: { organisationId: string; stance: string }) => [s.organisationId, s.stance])).toEqual([
      [SAPPORO, 'APPROVE'],
      [HAKODATE, 'OBJECT'],
    ]);
  });
});

describe("members' personal data and mandates in the history", () => {
  it("shows the names and e-mail addresses of 札幌市's members to its own people and national admins only", async () => {
    const added = async (email: string) =>
      (await entriesOf(tokens[email], 'ORGANISATION', SAPPORO, { types: ['MemberAdded'] })).map((e) => [e.redacted, e.summary.en]);
    const full = await added(SAPPORO_STAFF);
    expect(full).toContainEqual([false, 'デジタル庁 (digital-agency) added 札幌 三郎 <staff@city.sapporo.example.jp> to 札幌市 (011002) as member']);
    expect(await added(ADMIN)).toEqual(full);
    expect(await added(MIC)).toEqual(full); // a national coordinator
    for (const email of [HINOHARA, HOKKAIDO, AUDITOR]) {
      const redacted = await added(email);
      expect(redacted).toContainEqual([
        true,
        'デジタル庁 (digital-agency) added member demo-sapporo-staff (name and e-mail withheld) to 札幌市 (011002) as member',
      ]);
      expect(JSON.stringify(redacted)).not.toMatch(/@|札幌 三郎|札幌 四郎/);
    }
    const registered = (await entriesOf(tokens[AUDITOR], 'ORGANISATION', SAPPORO))[0];
    expect(registered).toMatchObject({
      type: 'OrganisationRegistered',
      redacted: false,
      summary: { ja: 'デジタル庁が札幌市（市区町村、団体コード 011002）を登録しました' },
    });
  });

  it('shows the seeded specification to everyone with a role, and nothing to a token without one', async () => {
    const spec = await entriesOf(tokens[AUDITOR], 'SPEC', 'juminkiroku');
    expect(spec.map((e) => e.type)).toEqual(['SpecCreated', 'SpecVersionPublished']);
    expect(spec[0].summary.ja).toMatch(/^デジタル庁が標準仕様書「住民記録システム標準仕様書」（juminkiroku、/);
    expect(spec[1].summary.en).toMatch(/^デジタル庁 \(digital-agency\) published juminkiroku version 4\.0 \(\d+ requirements\)$/);
    expect((await history('', 'SPEC', 'juminkiroku')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('shows a mandate to its grantor, its grantee and national admins; NOT_FOUND to others', async () => {
    const granted = await mutate(
      'grantMandate',
      'GrantMandateInput',
      {
        commandId: randomUUID(),
        granteeOrganisationId: '130001',
        scope: { domain: 'juminkiroku' },
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
      tokens[HINOHARA],
      'mandate { id }',
    );
    const id = granted.mandate.id;
    expect((await entriesOf(tokens[HINOHARA], 'MANDATE', id)).map((e) => e.summary.ja)).toEqual([
      expect.stringMatching(/^檜原村が東京都に公式見解の決裁を委任しました（対象: 分野「juminkiroku」の協議、期限 /),
    ]);
    expect((await entriesOf(tokens[ADMIN], 'MANDATE', id)).length).toBe(1);
    expect((await entriesOf(tokens[MIC], 'MANDATE', id)).length).toBe(1); // a national coordinator
    for (const email of [SAPPORO_STAFF, HOKKAIDO, AUDITOR])
      expect((await history(tokens[email], 'MANDATE', id)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe("札幌市's activity feed", () => {
  it("lists what 札幌市 did across everything, newest first, in pages; another organisation's draft only to its own people", async () => {
    const draft = await mutate(
      'draftProposal',
      'DraftProposalInput',
      {
        commandId: randomUUID(),
        specId: 'juminkiroku',
        specVersion: '4.0',
        title: '未提出の修文案',
        changes: [{ kind: 'MODIFY', requirementId: '2.1.3', after: '検討中。', reason: '検討中' }],
      },
      tokens[SAPPORO_STAFF],
      'proposal { id }',
    );
    draftOnlyId = draft.proposal.id;
    const page = async (token: string, first: number, after: string | null = null) =>
      (
        await gqlData(
          app.url,
          `query ($id: ID!, $first: Int, $after: String, $waitFor: Position) {
             organisationActivity(organisationId: $id, first: $first, after: $after, waitFor: $waitFor) {
               organisationId organisation { name } pageInfo { hasNextPage endCursor } edges { cursor node { streamName type revision position actor { organisationId } } } } }`,
          { id: SAPPORO, first, after, waitFor: draft.position },
          token,
        )
      ).organisationActivity;
    const all: { streamName: string; type: string; revision: number; position: string; actor: { organisationId: string } }[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const p = await page(tokens[SAPPORO_STAFF], 5, after);
      expect(p.organisation).toEqual({ name: '札幌市' });
      all.push(...p.edges.map((e: { node: (typeof all)[number] }) => e.node));
      pages++;
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(pages).toBeGreaterThan(1);
    expect(all.every((e) => e.actor.organisationId === SAPPORO)).toBe(true);
    expect([...all].sort((a, b) => (a.position < b.position ? 1 : -1))).toEqual(all); // newest first
    const mine = (e: (typeof all)[number]) => `${e.streamName.split('-')[0]}:${e.type}@${e.revision}`;
    // 札幌市's part in the demo seed's content (its proposals, a comment, a reaction, a stance draft) is in the feed too.
    const demoStreams = new Set([
      ...Object.values(DEMO_CONTENT.proposals).map((id) => `Proposal-${id}`),
      ...Object.values(DEMO_CONTENT.comments).map((id) => `Comment-${id}`),
      `Consultation-${DEMO_CONTENT.consultation}`,
    ]);
    expect(all.some((e) => demoStreams.has(e.streamName))).toBe(true);
    expect(all.filter((e) => !e.streamName.startsWith('Organisation-') && !demoStreams.has(e.streamName)).map(mine)).toEqual([
      'Proposal:ProposalDrafted@0', // the draft of this test
      'Consultation:StanceCast@2', // hidden round
      'Consultation:StanceDrafted@1',
      'Consultation:StanceCast@8', // the first round: the change of mind
      'Consultation:StanceDrafted@7',
      'Consultation:StanceCast@2',
      'Consultation:StanceDrafted@1',
      'Proposal:ProposalSubmitted@2',
      'Proposal:ProposalRevised@1',
      'Proposal:ProposalDrafted@0',
    ]);
    // デジタル庁's admin reads the feed too, without the never-submitted draft.
    const national = await page(tokens[ADMIN], 50);
    const nationalStreams = national.edges.map((e: { node: (typeof all)[number] }) => e.node.streamName);
    expect(nationalStreams).not.toContain(`Proposal-${draftOnlyId}`);
    expect(nationalStreams).not.toContain(`Proposal-${DEMO_CONTENT.proposals.konbini}`); // the demo seed's draft of 札幌市
    expect(national.edges.length).toBe(all.length - 2);
    // Neither its prefecture nor another town.
    for (const email of [HOKKAIDO, HINOHARA, AUDITOR]) {
      const refused = await gql(app.url, 'query ($id: ID!) { organisationActivity(organisationId: $id) { organisationId } }', { id: SAPPORO }, tokens[email]);
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('a talent arrangement as of a moment', () => {
  const FIELDS = `id asOf phase termsVersion agreed agreedTermsVersion agreedAt pendingConsents prefectureCodes hostOrganisationId streamVersion position
    terms { annualCostYen participants { organisationId } } costTable { annualCostYen shares { organisationId shareYen subsidyYen netYen } }
    participants { organisationId shareYen netYen answer answeredAt }
    termsHistory { version changes agreedAt consents { organisationId termsVersion answer current } }
    problems { problemId } candidates { candidateId } checklist { itemId }`;
  const arrangement = async (id: string, asOf: string | null) =>
    (
      await gqlData(
        app.url,
        `query ($id: ID!, $asOf: DateTime, $waitFor: Position) { talentArrangement(id: $id, asOf: $asOf, waitFor: $waitFor) { ${FIELDS} } }`,
        { id, asOf, waitFor: lastPosition },
        tokens[HOKKAIDO],
      )
    ).talentArrangement;

  it('shows the terms 札幌市 and 函館市 had consented to before 北海道 changed the cost, and the new terms after', async () => {
    const terms = (annualCostYen: number) => ({
      startDate: '2027-04-01',
      endDate: '2028-03-31',
      annualCostYen,
      hostOrganisationId: '010006',
      participants: [SAPPORO, HAKODATE].map((organisationId) => ({ organisationId, daysPerMonth: 5 })),
      splitRule: 'EQUAL',
    });
    const proposed = await mutate(
      'proposeTalentArrangement',
      'ProposeTalentArrangementInput',
      { commandId: randomUUID(), role: 'CIO補佐官', skills: ['情報セキュリティ'], terms: terms(12_000_000) },
      tokens[HOKKAIDO],
      'arrangementId',
    );
    const id = proposed.arrangementId;
    const consent = (organisationId: string, termsVersion: number) =>
      mutate('consentToTalentTerms', 'ConsentToTalentTermsInput', { commandId: randomUUID(), arrangementId: id, termsVersion }, tokens[organisationId]);
    await consent(SAPPORO, 1);
    await consent(HAKODATE, 1);
    await mutate(
      'changeTalentTerms',
      'ChangeTalentTermsInput',
      { commandId: randomUUID(), arrangementId: id, terms: terms(16_000_000), reason: '単価の改定' },
      tokens[HOKKAIDO],
    );
    await consent(SAPPORO, 2);

    const entries = await entriesOf(tokens[AUDITOR], 'TALENT_ARRANGEMENT', id);
    expect(entries.map((e) => e.type)).toEqual([
      'TalentArrangementProposed',
      'TalentTermsConsented',
      'TalentTermsConsented',
      'TalentTermsAgreed',
      'TalentTermsChanged',
      'TalentTermsConsented',
    ]);
    expect(entries[3].summary.ja).toBe('全参加団体（2 団体）が条件第1版に同意し、合意が成立しました');

    const agreed = await arrangement(id, entries[3].occurredAt);
    expect(agreed).toMatchObject({
      phase: 'PROBLEMS',
      termsVersion: 1,
      agreed: true,
      agreedTermsVersion: 1,
      agreedAt: entries[3].occurredAt,
      pendingConsents: [],
      terms: { annualCostYen: 12_000_000 },
      participants: [
        { organisationId: SAPPORO, shareYen: 6_000_000, netYen: 3_000_000, answer: 'CONSENTED', answeredAt: entries[1].occurredAt },
        { organisationId: HAKODATE, shareYen: 6_000_000, netYen: 3_000_000, answer: 'CONSENTED', answeredAt: entries[2].occurredAt },
      ],
    });
    const changed = await arrangement(id, entries[4].occurredAt);
    expect(changed).toMatchObject({
      termsVersion: 2,
      agreed: false,
      agreedTermsVersion: 1,
      pendingConsents: [SAPPORO, HAKODATE],
      participants: [
        { organisationId: SAPPORO, shareYen: 8_000_000, answer: null },
        { organisationId: HAKODATE, shareYen: 8_000_000, answer: null },
      ],
    });
    expect(changed.termsHistory.map((v: { version: number; consents: unknown[] }) => [v.version, v.consents.length])).toEqual([
      [1, 2],
      [2, 0],
    ]);
    expect(await arrangement(id, before(entries[0].occurredAt))).toBeNull();
    // As of now it is the current arrangement.
    const now = await arrangement(id, new Date(Date.now() + 60_000).toISOString());
    expect(now.pendingConsents).toEqual([HAKODATE]);
    expect({ ...now, asOf: null }).toEqual(await arrangement(id, null));
  });
});

describe('personal data of talent candidates and pool people in the history and its export', () => {
  const exportOf = async (entity: string, id: string, format: 'jsonl' | 'csv', token: string) => {
    const response = await fetch(`${app.url}/audit/export?entity=${entity}&id=${encodeURIComponent(id)}&format=${format}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, text: await response.text() };
  };
  const added = async (token: string, entity: string, id: string, type: string) =>
    (await entriesOf(token, entity, id, { types: [type] })).map((e) => ({ redacted: e.redacted, correlationId: e.correlationId !== null, summary: e.summary }));

  it("shows a candidate's name and file reference to the arrangement's organisers only, and exports it for them alone", async () => {
    const proposed = await mutate(
      'proposeTalentArrangement',
      'ProposeTalentArrangementInput',
      {
        commandId: randomUUID(),
        role: 'CIO補佐官',
        skills: ['自治体情報システム標準化'],
        terms: {
          startDate: '2027-04-01',
          endDate: '2028-03-31',
          annualCostYen: 10_000_000,
          hostOrganisationId: '010006',
          participants: [SAPPORO, HAKODATE].map((organisationId) => ({ organisationId, daysPerMonth: 5 })),
          splitRule: 'EQUAL',
        },
      },
      tokens[HOKKAIDO],
      'arrangementId',
    );
    const arrangementId = proposed.arrangementId;
    for (const organisationId of [SAPPORO, HAKODATE])
      await mutate('consentToTalentTerms', 'ConsentToTalentTermsInput', { commandId: randomUUID(), arrangementId, termsVersion: 1 }, tokens[organisationId]);
    for (const [i, organisationId] of [SAPPORO, HAKODATE].entries())
      await mutate(
        'listTalentProblems',
        'ListTalentProblemsInput',
        { commandId: randomUUID(), arrangementId, problems: [{ problemId: `p-${i}`, text: '標準化への移行を担う職員がいない' }] },
        tokens[organisationId],
      );
    await mutate(
      'defineTalentRequirements',
      'DefineTalentRequirementsInput',
      { commandId: randomUUID(), arrangementId, requirements: [{ requirementId: 'r1', text: '標準化の移行計画を立てられること', problemIds: ['p-0', 'p-1'] }] },
      tokens[HOKKAIDO],
    );
    await mutate('openTalentSelection', 'OpenTalentSelectionInput', { commandId: randomUUID(), arrangementId }, tokens[HOKKAIDO]);
    await mutate(
      'addTalentCandidate',
      'AddTalentCandidateInput',
      { commandId: randomUUID(), arrangementId, candidateId: 'c-1', name: '山田 花子', reference: '応募番号 2027-001' },
      tokens[HOKKAIDO],
    );

    const shown = await added(tokens[HOKKAIDO], 'TALENT_ARRANGEMENT', arrangementId, 'TalentCandidateAdded');
    expect(shown).toEqual([
      {
        redacted: false,
        correlationId: true,
        summary: {
          ja: '北海道が候補者「山田 花子」（参照: 応募番号 2027-001）を追加しました',
          en: '北海道 (010006) added candidate 山田 花子 (ref. 応募番号 2027-001)',
        },
      },
    ]);
    // A participant, a national admin and an observer: the entry is there, its personal data withheld.
    for (const token of [tokens[SAPPORO_STAFF], tokens[HAKODATE], tokens[ADMIN], tokens[AUDITOR]]) {
      expect(await added(token, 'TALENT_ARRANGEMENT', arrangementId, 'TalentCandidateAdded')).toEqual([
        {
          redacted: true,
          correlationId: false,
          summary: { ja: '北海道が候補者 c-1（氏名は主催団体のみ閲覧可）を追加しました', en: '北海道 (010006) added candidate c-1 (name withheld)' },
        },
      ]);
    }

    const own = await exportOf('TALENT_ARRANGEMENT', arrangementId, 'jsonl', tokens[HOKKAIDO]);
    expect(own.status).toBe(200);
    expect(own.text).toContain('"name":"山田 花子"');
    for (const token of [tokens[SAPPORO_STAFF], tokens[ADMIN]]) {
      const refused = await exportOf('TALENT_ARRANGEMENT', arrangementId, 'jsonl', token);
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.text)).toMatchObject({
        code: 'WITHHELD_ENTRIES',
        message: expect.stringMatching(/revision \d+ \(TalentCandidateAdded\) is withheld from you/),
      });
      expect(refused.text).not.toContain('山田');
    }
  });

  it("shows a pool person's name and file reference to the pool's prefecture only — in its history, its export and 北海道's activity feed", async () => {
    const opened = await mutate(
      'openTalentPool',
      'OpenTalentPoolInput',
      { commandId: randomUUID(), name: `北海道デジタル人材プール ${run}` },
      tokens[HOKKAIDO],
      'poolId',
    );
    const poolId = opened.poolId;
    await mutate(
      'addTalentPoolPerson',
      'AddTalentPoolPersonInput',
      { commandId: randomUUID(), poolId, poolPersonId: 'pp-1', name: '鈴木 次郎', reference: '道職員-0042', capacityDaysPerMonth: 10 },
      tokens[HOKKAIDO],
    );
    expect(await added(tokens[HOKKAIDO], 'TALENT_POOL', poolId, 'PoolPersonAdded')).toEqual([
      {
        redacted: false,
        correlationId: true,
        summary: {
          ja: '北海道が人材プールに「鈴木 次郎」（参照: 道職員-0042）を追加しました（月 10 日）',
          en: '北海道 (010006) added 鈴木 次郎 (ref. 道職員-0042) to the pool (10 days a month)',
        },
      },
    ]);
    const withheld = {
      redacted: true,
      correlationId: false,
      summary: {
        ja: '北海道が人材プールに人材 pp-1（氏名は当該都道府県のみ閲覧可）を追加しました（月 10 日）',
        en: '北海道 (010006) added person pp-1 (name withheld) to the pool (10 days a month)',
      },
    };
    for (const token of [tokens[SAPPORO_STAFF], tokens[HINOHARA], tokens[ADMIN], tokens[MIC], tokens[AUDITOR]])
      expect(await added(token, 'TALENT_POOL', poolId, 'PoolPersonAdded')).toEqual([withheld]);

    for (const format of ['jsonl', 'csv'] as const) {
      const own = await exportOf('TALENT_POOL', poolId, format, tokens[HOKKAIDO]);
      expect(own.status).toBe(200);
      // JSON Lines hold whole events; the CSV (for people) lists who did what, without the events' data.
      if (format === 'jsonl') expect(own.text).toMatch(/"name":"鈴木 次郎".*"reference":"道職員-0042"|"reference":"道職員-0042".*"name":"鈴木 次郎"/);
      else expect(own.text).toMatch(/,1,PoolPersonAdded,demo-hokkaido,北海道 \(010006\),[0-9a-f]{64}/);
      const refused = await exportOf('TALENT_POOL', poolId, format, tokens[SAPPORO_STAFF]);
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.text)).toMatchObject({ code: 'WITHHELD_ENTRIES' });
      expect(refused.text).not.toMatch(/鈴木|道職員/);
    }

    // National admins read 北海道's activity, but not the pool's people.
    const activity = async (token: string) =>
      (
        await gqlData(
          app.url,
          `query ($w: Position) { organisationActivity(organisationId: "010006", types: ["PoolPersonAdded"], first: 5, waitFor: $w) { edges { node { entityId redacted summary { ja } } } } }`,
          { w: lastPosition },
          token,
        )
      ).organisationActivity.edges.map((e: { node: { entityId: string; redacted: boolean; summary: { ja: string } } }) => e.node);
    expect(await activity(tokens[ADMIN])).toEqual([{ entityId: poolId, redacted: true, summary: { ja: withheld.summary.ja } }]);
    expect(await activity(tokens[HOKKAIDO])).toEqual([
      { entityId: poolId, redacted: false, summary: { ja: '北海道が人材プールに「鈴木 次郎」（参照: 道職員-0042）を追加しました（月 10 日）' } },
    ]);
  });
});
