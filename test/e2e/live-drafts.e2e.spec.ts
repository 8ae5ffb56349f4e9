/**
 * A stance draft's live notice, on the built app over socket.io (/live, room consultation:<id>)
 * and the GraphQL subscription's filter: it reaches the drafting organisation's people (its
 * approver decides on it) and, under a mandate, the organisation the draft is for — and no one
 * else in the room: not another member of the electorate, not an auditor, not the national admin.
 * Absence is checked against a sentinel (the official stance cast afterwards reaches everyone).
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(120_000);

const ADMIN = 'admin@digital.example.jp'; // デジタル庁: national admin and coordinator
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp'; // 札幌市: member
const SAPPORO_APPROVER = 'approver@city.sapporo.example.jp'; // 札幌市: member, approver
const HINOHARA_STAFF = 'staff@vill.hinohara.example.jp'; // 檜原村: member, approver, admin
const AUDITOR = 'auditor@observer.example.jp'; // viewer
const SAPPORO = '011002';
const HINOHARA = '133078';
const TOKYO = '130001';
const ORIGIN = 'http://localhost:3000'; // in the default ALLOWED_ORIGINS

interface RoomChange {
  room: string;
  entity: string;
  id: string;
  change: string;
  position: string;
}

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
const tokens: Record<string, string> = {};
const sockets: Socket[] = [];

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'live-drafts');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  for (const email of [ADMIN, SAPPORO_STAFF, SAPPORO_APPROVER, HINOHARA_STAFF, AUDITOR]) tokens[email] = await demoLogin(app.url, email);
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await stopAllApps();
  await database?.drop();
});

async function mutate<T = Record<string, any>>(
  token: string,
  name: string,
  inputType: string,
  input: Record<string, unknown>,
  selection = '',
): Promise<T & { position: string }> {
  const data = await gqlData(
    app.url,
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { position errors { code message field } ${selection} } }`,
    { input: { commandId: randomUUID(), ...input } },
    token,
  );
  const payload = data[name] as T & { position: string; errors: unknown[] };
  expect({ name, errors: payload.errors }).toEqual({ name, errors: [] });
  return payload;
}

/** A submitted proposal of 札幌市 and a round on it over 札幌市 and 檜原村, opened by the national coordinator. */
async function openRound(): Promise<string> {
  const drafted = await mutate<{ proposal: { id: string } }>(
    tokens[SAPPORO_APPROVER],
    'draftProposal',
    'DraftProposalInput',
    {
      specId: 'juminkiroku',
      specVersion: '4.0',
      title: `起案の通知の試験 ${randomUUID().slice(0, 8)}`,
      changes: [{ kind: 'MODIFY', requirementId: '2.1.3', after: '旧氏の記載の有無を選択できること。', reason: '選択できる必要があるため' }],
    },
    'proposal { id }',
  );
  await mutate(tokens[SAPPORO_APPROVER], 'submitProposal', 'SubmitProposalInput', { proposalId: drafted.proposal.id }, 'proposal { status }');
  const opened = await mutate<{ consultationId: string }>(
    tokens[ADMIN],
    'openConsultation',
    'OpenConsultationInput',
    {
      proposalId: drafted.proposal.id,
      electorate: { organisations: [SAPPORO, HINOHARA] },
      quorumPercent: 50,
      thresholdPercent: 60,
      thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT',
      blockVetoes: true,
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      resultsHidden: false,
    },
    'consultationId',
  );
  return opened.consultationId;
}

/** A connected socket in the round's room, recording the changes it receives. */
async function watcher(token: string, consultationId: string): Promise<RoomChange[]> {
  const socket = io(`${app.url}/live`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { origin: ORIGIN } });
  sockets.push(socket);
  const changes: RoomChange[] = [];
  // The round's opening may still be on its way when the socket joins (the change log trails the
  // commit): it is everyone's and not what this test is about, so only later changes are kept.
  socket.on('change', (change: RoomChange) => change.change !== 'ConsultationOpened' && changes.push(change));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = await socket.timeout(10_000).emitWithAck('join', { room: `consultation:${consultationId}` });
  expect(ack).toMatchObject({ ok: true });
  return changes;
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const kinds = (changes: RoomChange[]) => changes.map((c) => c.change);

it("tells 札幌市's approver of its member's draft, and no other organisation in the room", async () => {
  const consultationId = await openRound();
  const [approver, member, otherVoter, auditor, admin] = await Promise.all(
    [SAPPORO_APPROVER, SAPPORO_STAFF, HINOHARA_STAFF, AUDITOR, ADMIN].map((email) => watcher(tokens[email], consultationId)),
  );

  const draft = await mutate<{ draftId: string }>(tokens[SAPPORO_STAFF], 'draftStance', 'DraftStanceInput', { consultationId, stance: 'APPROVE' }, 'draftId');
  await until(() => approver.some((c) => c.position === draft.position), "the draft's notice at 札幌市's approver");
  expect(approver).toEqual([
    { room: `consultation:${consultationId}`, entity: 'consultation', id: consultationId, change: 'StanceDrafted', position: draft.position },
  ]);

  // The sentinel: the approved stance is everyone's; whatever the draft sent anyone arrived before it.
  const cast = await mutate(tokens[SAPPORO_APPROVER], 'approveStance', 'ApproveStanceInput', { consultationId, draftId: draft.draftId });
  for (const changes of [approver, member, otherVoter, auditor, admin])
    await until(() => changes.some((c) => c.position === cast.position), 'the official stance');
  expect(kinds(approver)).toEqual(['StanceDrafted', 'StanceCast']);
  expect(kinds(member)).toEqual(['StanceDrafted', 'StanceCast']);
  for (const outsider of [otherVoter, auditor, admin]) expect(kinds(outsider)).toEqual(['StanceCast']);

  // The GraphQL subscriptions filter alike: the drafts query shows the draft to 札幌市 only.
  const drafts = async (email: string) =>
    (await gqlData(app.url, 'query ($id: ID!) { consultation(id: $id) { myDrafts { draftId } } }', { id: consultationId }, tokens[email])).consultation
      .myDrafts;
  expect(await drafts(SAPPORO_APPROVER)).toEqual([{ draftId: draft.draftId }]);
  expect(await drafts(HINOHARA_STAFF)).toEqual([]);
});

it('tells the grantee that drafts under a mandate and the grantor it drafts for, and not a third organisation', async () => {
  const consultationId = await openRound();
  // 檜原村 mandates 東京都 for this round; a 東京都 approver drafts 檜原村's stance.
  await mutate(tokens[HINOHARA_STAFF], 'grantMandate', 'GrantMandateInput', {
    granteeOrganisationId: TOKYO,
    scope: { consultationId },
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  const tokyoEmail = `approver-${randomUUID().slice(0, 8)}@pref.tokyo.example.jp`;
  await mutate(
    tokens[ADMIN],
    'addMember',
    'AddMemberInput',
    { organisationId: TOKYO, displayName: '東京 決裁者', email: tokyoEmail, roles: ['MEMBER', 'APPROVER'] },
    'member { personId }',
  );
  const tokyo = await demoLogin(app.url, tokyoEmail);
  const [grantee, grantor, third] = await Promise.all([tokyo, tokens[HINOHARA_STAFF], tokens[SAPPORO_APPROVER]].map((token) => watcher(token, consultationId)));

  const draft = await mutate<{ draftId: string }>(
    tokyo,
    'draftStance',
    'DraftStanceInput',
    { consultationId, organisationId: HINOHARA, stance: 'ABSTAIN' },
    'draftId',
  );
  const cast = await mutate(tokyo, 'approveStance', 'ApproveStanceInput', { consultationId, draftId: draft.draftId });
  for (const changes of [grantee, grantor, third]) await until(() => changes.some((c) => c.position === cast.position), 'the official stance');
  expect(kinds(grantee)).toEqual(['StanceDrafted', 'StanceCast']);
  expect(kinds(grantor)).toEqual(['StanceDrafted', 'StanceCast']);
  expect(kinds(third)).toEqual(['StanceCast']);
  expect(grantor[0]).toMatchObject({ change: 'StanceDrafted', position: draft.position });
});
