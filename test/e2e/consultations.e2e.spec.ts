/**
 * Consultations from the outside: the built app on a fresh database with the demo seed. デジタル庁's
 * coordinator opens a hidden round over every municipality of 鳥取県 (prefecture 31) on a submitted
 * proposal; every municipality but one drafts and approves its stance in parallel (a member and
 * approver added per municipality by デジタル庁's admin), one changes its stance; the
 * non-respondents shrink to the one left; the tally stays null — in queries and in every
 * tallyChanged notification — until the closing scheduler closes the round by itself a few seconds
 * after closesAt; then the outcome and tally are checked against the stances.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { outcomeOf, tally, type Stance } from '@kyogi/domain/consultations/tally';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(180_000);

const ADMIN = 'admin@digital.example.jp'; // デジタル庁: admin, coordinator
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp'; // 札幌市: member, not in the electorate
const run = randomBytes(4).toString('hex');

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
const tokens: Record<string, string> = {};
const clients: Client[] = [];

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'consultations');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  tokens[ADMIN] = await demoLogin(app.url, ADMIN);
  tokens[SAPPORO_STAFF] = await demoLogin(app.url, SAPPORO_STAFF);
});

afterAll(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await stopAllApps();
  await database?.drop();
});

interface Payload {
  errors: { code: string; message: string; field: string | null }[];
  position: string | null;
  consultationId: string | null;
  draftId: string | null;
  consultation: any;
}

const TALLY =
  'tally { weights { approve object abstain block } counts { approve object abstain block } participatingWeight participatingCount totalWeight electorateCount }';
const CONSULTATION = `id proposalId specId status resultsHidden closesAt electorateCount ${TALLY} outcome { quorumMet thresholdMet blocked passed }
  rules { weighting quorumPercent thresholdPercent thresholdBasis blockVetoes } early closeReason closedAt`;

async function mutate(name: string, inputType: string, input: Record<string, unknown>, token: string): Promise<Payload> {
  const data = await gqlData(
    app.url,
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { consultationId draftId position errors { code message field } consultation { ${CONSULTATION} } } }`,
    { input },
    token,
  );
  return data[name];
}

async function consultation(id: string, token: string, selection = CONSULTATION) {
  return (await gqlData(app.url, `query ($id: ID!) { consultation(id: $id) { ${selection} } }`, { id }, token)).consultation;
}

const nonRespondents = async (id: string): Promise<{ organisationId: string; prefectureCode: string; organisation: { name: string } }[]> =>
  (await consultation(id, tokens[ADMIN], 'nonRespondents(prefectureCode: "31") { organisationId prefectureCode organisation { name } }')).nonRespondents;

let proposalId: string;
let consultationId: string;
let municipalities: string[];
let closesAt: Date;
const finals = new Map<string, Stance>();
const tallyEvents: { change: string; tally: unknown; status: string }[] = [];

describe('a consultation over every municipality of 鳥取県', () => {
  it('is opened by デジタル庁 on a submitted proposal, hidden, with every active municipality of prefecture 31', async () => {
    const drafted = await gqlData(
      app.url,
      `mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id } errors { code message } } }`,
      {
        input: {
          commandId: randomUUID(),
          specId: 'juminkiroku',
          specVersion: '4.0',
          title: '旧氏の記載の選択（協議）',
          changes: [
            { kind: 'MODIFY', requirementId: '2.1.3', after: '旧氏の記載の有無を選択できること。', reason: '旧氏の記載の有無を選択できる必要があるため' },
          ],
        },
      },
      tokens[ADMIN],
    );
    expect(drafted.draftProposal.errors).toEqual([]);
    proposalId = drafted.draftProposal.proposal.id;

    const open = (input: Record<string, unknown>) => mutate('openConsultation', 'OpenConsultationInput', input, tokens[ADMIN]);
    const rules = {
      proposalId,
      electorate: { rule: 'ALL_MUNICIPALITIES_OF_PREFECTURE', prefectureCode: '31' },
      quorumPercent: 50,
      thresholdPercent: 60,
      thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT',
      blockVetoes: true,
      resultsHidden: true,
    };
    // Not submitted yet: refused.
    const early = await open({ ...rules, commandId: randomUUID(), closesAt: new Date(Date.now() + 60_000).toISOString() });
    expect(early.errors.map((e) => e.code)).toEqual(['PROPOSAL_NOT_SUBMITTED']);
    const submitted = await gqlData(
      app.url,
      'mutation ($input: SubmitProposalInput!) { submitProposal(input: $input) { position proposal { status } errors { code } } }',
      { input: { proposalId } },
      tokens[ADMIN],
    );
    expect(submitted.submitProposal.errors).toEqual([]);
    expect(submitted.submitProposal.proposal.status).toBe('SUBMITTED'); // read its write: the lookup sees it
    // Not a coordinator of a national body or prefecture: refused.
    const byStaff = await mutate(
      'openConsultation',
      'OpenConsultationInput',
      { ...rules, closesAt: new Date(Date.now() + 60_000).toISOString() },
      tokens[SAPPORO_STAFF],
    );
    expect(byStaff.errors.map((e) => e.code)).toEqual(['FORBIDDEN']);

    closesAt = new Date(Date.now() + 20_000);
    const opened = await open({ ...rules, commandId: randomUUID(), closesAt: closesAt.toISOString() });
    expect(opened.errors).toEqual([]);
    consultationId = opened.consultationId!;
    expect(opened.consultation).toMatchObject({
      proposalId,
      specId: 'juminkiroku',
      status: 'OPEN',
      resultsHidden: true,
      tally: null,
      outcome: null,
      rules: { weighting: 'EQUAL', quorumPercent: 50, thresholdPercent: 60, thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT', blockVetoes: true },
    });
    const pending = await nonRespondents(consultationId);
    municipalities = pending.map((p) => p.organisationId);
    expect(municipalities.length).toBe(opened.consultation.electorateCount);
    expect(municipalities.length).toBeGreaterThanOrEqual(19); // 鳥取県: 4 cities, 14 towns, 1 village
    expect(municipalities).toContain('312011'); // 鳥取市
    expect(pending.every((p) => p.prefectureCode === '31' && p.organisationId.startsWith('31') && p.organisation.name)).toBe(true);

    const { consultations } = await gqlData(
      app.url,
      'query ($p: ID!) { consultations(proposalId: $p, status: OPEN, first: 10) { totalCount edges { node { id } } } }',
      { p: proposalId },
      tokens[SAPPORO_STAFF],
    );
    expect(consultations.totalCount).toBe(1);
    expect(consultations.edges[0].node.id).toBe(consultationId);

    // Every tally notification, replayed from before the opening (after the submission), then live.
    const client = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${tokens[SAPPORO_STAFF]}` },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => undefined,
    });
    clients.push(client);
    client.subscribe<{ tallyChanged: { change: string; tally: unknown; status: string } }>(
      {
        query: `subscription ($id: ID!, $after: Position) { tallyChanged(consultationId: $id, after: $after) { change status ${TALLY} } }`,
        variables: { id: consultationId, after: submitted.submitProposal.position },
      },
      { next: (r) => r.data && tallyEvents.push(r.data.tallyChanged), error: () => undefined, complete: () => undefined },
    );
  });

  it('takes a stance from every municipality but one, in parallel, each drafted and approved (決裁) by its own people', async () => {
    const voters = municipalities.slice(1);
    // A member and an approver per municipality, added by デジタル庁's admin (a national admin may).
    await Promise.all(
      voters.map(async (organisationId, i) => {
        const email = `kessai-${run}-${i}@${organisationId}.example.jp`;
        const { addMember } = await gqlData(
          app.url,
          // `member` reads the write, so demoLogin finds the new person at once.
          'mutation ($input: AddMemberInput!) { addMember(input: $input) { member { personId } errors { code message } } }',
          { input: { organisationId, displayName: `決裁 ${organisationId}`, email, roles: ['MEMBER', 'APPROVER'] } },
          tokens[ADMIN],
        );
        expect(addMember.errors).toEqual([]);
        tokens[organisationId] = await demoLogin(app.url, email);
      }),
    );
    const stanceOf = (i: number): Stance => (i % 4 === 3 ? 'object' : i % 5 === 4 ? 'abstain' : 'approve');
    const started = Date.now();
    await Promise.all(
      voters.map(async (organisationId, i) => {
        const stance = stanceOf(i);
        const draft = await mutate(
          'draftStance',
          'DraftStanceInput',
          { commandId: randomUUID(), consultationId, stance: stance.toUpperCase(), reason: stance === 'object' ? '事務負担が大きいため' : null },
          tokens[organisationId],
        );
        expect(draft.errors).toEqual([]);
        const approved = await mutate(
          'approveStance',
          'ApproveStanceInput',
          { commandId: randomUUID(), consultationId, draftId: draft.draftId },
          tokens[organisationId],
        );
        expect(approved.errors).toEqual([]);
        expect(approved.consultation.tally).toBeNull(); // hidden
        finals.set(organisationId, stance);
      }),
    );
    console.info(`[e2e figures] consultations: ${voters.length} stances drafted and approved in parallel in ${Date.now() - started} ms`);

    // A change of stance: the first voter now objects; the history keeps both.
    const changer = voters[0];
    const draft = await mutate('draftStance', 'DraftStanceInput', { consultationId, stance: 'OBJECT', reason: '再検討の結果' }, tokens[changer]);
    const changed = await mutate('approveStance', 'ApproveStanceInput', { consultationId, draftId: draft.draftId }, tokens[changer]);
    expect(changed.errors).toEqual([]);
    finals.set(changer, 'object');

    // Without a reason an objection is refused; outside the electorate nobody votes.
    const noReason = await mutate('draftStance', 'DraftStanceInput', { consultationId, stance: 'OBJECT' }, tokens[changer]);
    expect(noReason.errors.map((e) => e.code)).toEqual(['REASON_REQUIRED']);
    const outsider = await mutate('draftStance', 'DraftStanceInput', { consultationId, stance: 'APPROVE' }, tokens[SAPPORO_STAFF]);
    expect(outsider.errors.map((e) => e.code)).toEqual(['NOT_IN_ELECTORATE']);
  });

  it('shows the one non-respondent, keeps the tally hidden, and shows each organisation only its own stance', async () => {
    await consultation(consultationId, tokens[ADMIN], 'id'); // (the mutations above read their writes)
    expect((await nonRespondents(consultationId)).map((p) => p.organisationId)).toEqual([municipalities[0]]);
    const seen = await consultation(consultationId, tokens[ADMIN], `status ${TALLY} stances { organisationId stance }`);
    expect(seen).toEqual({ status: 'OPEN', tally: null, stances: [] });
    const changer = municipalities[1];
    const own = await consultation(consultationId, tokens[changer], `stances { organisationId stance } myDrafts { stance approved }`);
    expect(own.stances).toEqual([{ organisationId: changer, stance: 'OBJECT' }]);
    expect(own.myDrafts.map((d: { stance: string; approved: boolean }) => `${d.stance}:${d.approved}`).sort()).toEqual(['APPROVE:true', 'OBJECT:true']);
  });

  it('is closed by the scheduler a few seconds after closesAt, with the outcome of the final stances', async () => {
    let closed: any;
    while (Date.now() < closesAt.getTime() + 15_000) {
      closed = await consultation(consultationId, tokens[SAPPORO_STAFF], `${CONSULTATION} stances { organisationId stance }`);
      if (closed.status === 'CLOSED') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(closed.status).toBe('CLOSED');
    const lag = new Date(closed.closedAt).getTime() - closesAt.getTime();
    console.info(`[e2e figures] consultations: closed by the scheduler ${lag} ms after closesAt`);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(5_000);
    expect(closed.early).toBe(false);
    expect(closed.closeReason).toBeNull();

    const electorate = municipalities.map((organisationId) => ({ organisationId, weight: 1 }));
    const expected = tally(electorate, finals);
    expect(closed.tally).toEqual(expected);
    expect(closed.outcome).toEqual(
      outcomeOf(expected, { quorumPercent: 50, thresholdPercent: 60, thresholdBasis: 'approve_of_approve_and_object', blockVetoes: true }),
    );
    expect(new Map(closed.stances.map((s: { organisationId: string; stance: string }) => [s.organisationId, s.stance.toLowerCase()]))).toEqual(finals);
    expect((await nonRespondents(consultationId)).map((p) => p.organisationId)).toEqual([municipalities[0]]);

    // Too late for stances now; and closing again decides nothing.
    const late = await mutate('draftStance', 'DraftStanceInput', { consultationId, stance: 'APPROVE' }, tokens[municipalities[2]]);
    expect(late.errors.map((e) => e.code)).toEqual(['CONSULTATION_CLOSED']);
    const again = await mutate('closeConsultation', 'CloseConsultationInput', { id: consultationId, reason: '再度' }, tokens[ADMIN]);
    expect(again.errors).toEqual([]);
    expect(again.position).toBeNull();

    // Every tally notification: numbers only in the close.
    const until = Date.now() + 5_000;
    while (!tallyEvents.some((e) => e.change === 'ConsultationClosed') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(tallyEvents.map((e) => e.change)).toEqual(['ConsultationOpened', ...Array(finals.size + 1).fill('StanceCast'), 'ConsultationClosed']);
    expect(tallyEvents.slice(0, -1).every((e) => e.tally === null && e.status === 'OPEN')).toBe(true);
    expect(tallyEvents.at(-1)).toEqual({ change: 'ConsultationClosed', status: 'CLOSED', tally: expected });
  });
});
