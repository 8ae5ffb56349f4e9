/**
 * The demo content (apps/api/src/organisations/seed/demo-content.ts) from the outside: after
 * `npm start` the web client's proposal, consultation and talent pages show something happening.
 * 札幌市's submitted 修文案 with a comment thread (a reply, a reaction, a disposition), 札幌市's
 * draft visible only to 札幌市, 檜原村's submitted one; an open 意見照会 with 檜原村's official
 * stance and 札幌市's draft awaiting 決裁, which approver@city.sapporo approves (the tally
 * changes); a 人材シェアリング arrangement proposed by 北海道. A second start on the same
 * DATA_DIR seeds nothing more.
 */
import { randomUUID } from 'node:crypto';
import { DEMO_CONTENT, DEMO_ELECTORATE, DEMO_TALENT_PARTICIPANTS } from '../../apps/api/src/organisations/seed/demo-content-ids';
import { demoLogin, gqlData, makeDataDir, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(300_000);

const ADMIN = 'admin@digital.example.jp';
const HOKKAIDO = 'coordinator@pref.hokkaido.example.jp';
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp';
const SAPPORO_APPROVER = 'approver@city.sapporo.example.jp';
const HINOHARA = 'staff@vill.hinohara.example.jp';
const AUDITOR = 'auditor@observer.example.jp';
const SAPPORO = '011002';
const HINOHARA_ORG = '133078';

const dataDir = makeDataDir('demo-content');
let app: AppProcess;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  app = await startApp({ dataDir, seedDemo: true, env: { LOG_LEVEL: 'log' } });
  for (const who of [ADMIN, HOKKAIDO, SAPPORO_STAFF, SAPPORO_APPROVER, HINOHARA, AUDITOR]) tokens[who] = await demoLogin(app.url, who);
});

afterAll(() => stopAllApps());

const COMMENT = `id parentCommentId authorOrganisationId body status reactions { agree disagree } disposition { label answer disposedByOrganisationId }`;
const PROPOSAL = 'id title status authorOrganisationId specVersion changes { changeId requirementId kind after reason }';
const TALLY = 'tally { counts { approve object abstain block } participatingCount electorateCount }';
const CONSULTATION = `id proposalId status resultsHidden closesAt openedAt openedByOrganisationId electorateCount ${TALLY}
  stances { organisationId stance } myDrafts { draftId organisationId stance approved } nonRespondents { organisationId }`;

const proposalsAs = async (who: string) =>
  (await gqlData(app.url, `{ proposals(specId: "juminkiroku", first: 20) { totalCount edges { node { ${PROPOSAL} } } } }`, undefined, tokens[who]))
    .proposals as { totalCount: number; edges: { node: any }[] };
const threadsAs = async (who: string) =>
  (
    await gqlData(
      app.url,
      `query ($id: ID!) { proposal(id: $id) { comments { ${COMMENT} replies { ${COMMENT} } } } }`,
      { id: DEMO_CONTENT.proposals.online },
      tokens[who],
    )
  ).proposal.comments as any[];
const consultationAs = async (who: string, waitFor: string | null = null) =>
  (
    await gqlData(
      app.url,
      `query ($id: ID!, $w: Position) { consultation(id: $id, waitFor: $w) { ${CONSULTATION} } }`,
      { id: DEMO_CONTENT.consultation, w: waitFor },
      tokens[who],
    )
  ).consultation;

describe('the demo content', () => {
  it('lists 修文案 against 住民記録 4.0: two submitted for everyone, 札幌市 also sees its own draft', async () => {
    const { online, furigana, konbini } = DEMO_CONTENT.proposals;
    const byAuditor = await proposalsAs(AUDITOR);
    const seen = Object.fromEntries(byAuditor.edges.map((e) => [e.node.id, e.node]));
    expect(Object.keys(seen).sort()).toEqual([furigana, online].sort());
    expect(seen[online]).toMatchObject({ status: 'SUBMITTED', authorOrganisationId: SAPPORO, specVersion: '4.0' });
    expect(seen[online].changes.map((c: { requirementId: string }) => c.requirementId)).toEqual(['1.2.1', '1.2.4']);
    expect(seen[furigana]).toMatchObject({ status: 'SUBMITTED', authorOrganisationId: HINOHARA_ORG });

    const bySapporo = await proposalsAs(SAPPORO_STAFF);
    const draft = bySapporo.edges.find((e) => e.node.id === konbini)?.node;
    expect(draft).toMatchObject({ status: 'DRAFTED', authorOrganisationId: SAPPORO });
    expect(draft.changes[0]).toMatchObject({ requirementId: '2.1.5', kind: 'MODIFY' });
  });

  it('shows the comment thread on 札幌市 proposal: 檜原村, 北海道 and the vendor, a reply, a reaction and a disposition', async () => {
    const threads = Object.fromEntries((await threadsAs(HINOHARA)).map((c) => [c.id as string, c]));
    const ids = DEMO_CONTENT.comments;
    expect(Object.keys(threads).sort()).toEqual([ids.hinohara, ids.hokkaido, ids.vendor].sort());
    expect(threads[ids.hinohara]).toMatchObject({ authorOrganisationId: HINOHARA_ORG, reactions: { agree: 1, disagree: 0 }, disposition: null });
    expect(threads[ids.hokkaido]).toMatchObject({
      authorOrganisationId: '010006',
      disposition: { label: '修正して対応', disposedByOrganisationId: 'digital-agency' },
    });
    expect(threads[ids.vendor]).toMatchObject({ authorOrganisationId: 'vendor-example' });
    expect(threads[ids.vendor].replies).toEqual([expect.objectContaining({ id: ids.reply, parentCommentId: ids.vendor, authorOrganisationId: SAPPORO })]);
  });

  it('has an open 意見照会 with 檜原村 official stance; approver@city.sapporo approves 札幌市 draft and the tally changes', async () => {
    const before = await consultationAs(SAPPORO_APPROVER);
    expect(before).toMatchObject({
      proposalId: DEMO_CONTENT.proposals.online,
      status: 'OPEN',
      resultsHidden: false,
      openedByOrganisationId: 'digital-agency',
      electorateCount: DEMO_ELECTORATE.length,
      stances: [{ organisationId: HINOHARA_ORG, stance: 'APPROVE' }],
      tally: { counts: { approve: 1, object: 0, abstain: 0, block: 0 }, participatingCount: 1, electorateCount: DEMO_ELECTORATE.length },
    });
    // Closes 14 days after the seed ran (the seed's clock: this start).
    expect(Date.parse(before.closesAt) - Date.parse(before.openedAt)).toBeGreaterThan(13.8 * 24 * 3600_000);
    expect(Date.parse(before.closesAt) - Date.parse(before.openedAt)).toBeLessThanOrEqual(14 * 24 * 3600_000);
    expect(before.myDrafts).toEqual([{ draftId: DEMO_CONTENT.sapporoDraft, organisationId: SAPPORO, stance: 'APPROVE', approved: false }]);
    expect(before.nonRespondents.map((n: { organisationId: string }) => n.organisationId)).toContain(SAPPORO);

    const approved = await gqlData(
      app.url,
      `mutation ($input: ApproveStanceInput!) { approveStance(input: $input) { position errors { code message field } } }`,
      { input: { commandId: randomUUID(), consultationId: DEMO_CONTENT.consultation, draftId: DEMO_CONTENT.sapporoDraft } },
      tokens[SAPPORO_APPROVER],
    );
    expect(approved.approveStance.errors).toEqual([]);
    const after = await consultationAs(SAPPORO_APPROVER, approved.approveStance.position);
    expect(after.tally).toMatchObject({ counts: { approve: 2, object: 0 }, participatingCount: 2 });
    expect(after.stances.map((s: { organisationId: string }) => s.organisationId).sort()).toEqual([HINOHARA_ORG, SAPPORO].sort());
    expect(after.myDrafts).toEqual([expect.objectContaining({ draftId: DEMO_CONTENT.sapporoDraft, approved: true })]);
  });

  it('has a 人材シェアリング arrangement proposed by 北海道, awaiting its participants', async () => {
    const { talentArrangements } = await gqlData(
      app.url,
      `{ talentArrangements(prefectureCode: "01") { totalCount edges { node { id role phase proposerOrganisationId hostOrganisationId pendingConsents
        participants { organisationId daysPerMonth netYen } costTable { annualCostYen subsidyTotalYen netTotalYen } } } } }`,
      undefined,
      tokens[HOKKAIDO],
    );
    expect(talentArrangements.totalCount).toBe(1);
    const arrangement = talentArrangements.edges[0].node;
    expect(arrangement).toMatchObject({
      id: DEMO_CONTENT.arrangement,
      phase: 'PROBLEMS',
      proposerOrganisationId: '010006',
      hostOrganisationId: DEMO_TALENT_PARTICIPANTS[0],
      pendingConsents: [...DEMO_TALENT_PARTICIPANTS],
      costTable: { annualCostYen: 9_600_000, subsidyTotalYen: 4_800_000, netTotalYen: 4_800_000 },
    });
    expect(arrangement.participants.map((p: { organisationId: string }) => p.organisationId)).toEqual([...DEMO_TALENT_PARTICIPANTS]);
    // Split by allotted days (8, 6, 6 of 20): the host pays the most.
    const net = arrangement.participants.map((p: { netYen: number }) => p.netYen);
    expect(net.reduce((a: number, b: number) => a + b, 0)).toBe(4_800_000);
    expect(net[0]).toBeGreaterThan(net[1]);
  });

  it('a second start on the same DATA_DIR adds nothing', async () => {
    const count = async () => {
      const proposals = await proposalsAs(SAPPORO_STAFF);
      const { consultations } = await gqlData(app.url, '{ consultations { totalCount } }', undefined, tokens[ADMIN]);
      const { talentArrangements } = await gqlData(app.url, '{ talentArrangements { totalCount } }', undefined, tokens[ADMIN]);
      return {
        proposals: proposals.totalCount,
        consultations: consultations.totalCount,
        arrangements: talentArrangements.totalCount,
        threads: (await threadsAs(SAPPORO_STAFF)).length,
      };
    };
    const first = await count();
    expect(first).toEqual({ proposals: 3, consultations: 1, arrangements: 1, threads: 3 });
    expect(app.stdout()).toMatch(/seeded the demo content: \d+ commands/);
    await app.stop();
    app = await startApp({ dataDir, seedDemo: true, env: { LOG_LEVEL: 'log' } });
    expect(app.stdout()).not.toMatch(/seeded the demo content/);
    for (const who of [ADMIN, SAPPORO_STAFF]) tokens[who] = await demoLogin(app.url, who);
    expect(await count()).toEqual(first);
    // 札幌市's stance approved before the restart stays approved (the seed did not draft it again).
    expect((await consultationAs(SAPPORO_STAFF)).myDrafts).toEqual([expect.objectContaining({ draftId: DEMO_CONTENT.sapporoDraft, approved: true })]);
  });
});
