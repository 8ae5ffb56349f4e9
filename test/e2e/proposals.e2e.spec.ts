/**
 * Proposals (修文案) and comments from the outside: the built app on a fresh database, seeded with
 * the demo organisations and 住民記録システム標準仕様書 4.0 (owned by デジタル庁), driven over HTTP,
 * graphql-ws and socket.io through a whole lifecycle — a draft only 札幌市 can see, revised,
 * submitted by its approver, commented on (threads, a verified quote, editions, a retraction,
 * dispositions, reactions), accepted by the spec owner — and the permission matrix.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { applyDiff, type DiffSegment } from '@kyogi/domain/text/diff';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

// jest.config.js's testTimeout does not reach the e2e project (see organisations.e2e.spec.ts).
jest.setTimeout(120_000);

// The demo people (README), and some added below.
const ADMIN = 'admin@digital.example.jp'; // デジタル庁 (the spec's owner): admin, coordinator
const MIC = 'secretariat@mic.example.jp'; // 総務省: member, approver, coordinator — national, but not the owner
const HOKKAIDO = 'coordinator@pref.hokkaido.example.jp'; // 北海道: member, coordinator
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp'; // 札幌市: member
const SAPPORO_APPROVER = 'approver@city.sapporo.example.jp'; // 札幌市: member, approver
const HINOHARA = 'staff@vill.hinohara.example.jp'; // 檜原村 (another town): member, approver, admin
const VENDOR = 'engineer@vendor.example.jp'; // vendor: member
const AUDITOR = 'auditor@observer.example.jp'; // observer: viewer
const run = randomBytes(4).toString('hex');
const SAPPORO_VIEWER = `viewer-${run}@city.sapporo.example.jp`; // 札幌市: viewer
const OBSERVER_MEMBER = `member-${run}@observer.example.jp`; // observer: member
const DA_ADMIN_ONLY = `admin-only-${run}@digital.example.jp`; // デジタル庁: admin, not coordinator
const EVERYONE = [ADMIN, MIC, HOKKAIDO, SAPPORO_STAFF, SAPPORO_APPROVER, HINOHARA, VENDOR, AUDITOR, SAPPORO_VIEWER, OBSERVER_MEMBER, DA_ADMIN_ONLY];
const SAPPORO = '011002';

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
const tokens: Record<string, string> = {};
const clients: Client[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'proposals');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  tokens[ADMIN] = await demoLogin(app.url, ADMIN);
  for (const [email, organisationId, roles] of [
    [SAPPORO_VIEWER, SAPPORO, ['VIEWER']],
    [OBSERVER_MEMBER, 'observer-example', ['MEMBER']],
    [DA_ADMIN_ONLY, 'digital-agency', ['ADMIN']],
  ] as const) {
    const { addMember } = await gqlData(
      app.url,
      'mutation ($input: AddMemberInput!) { addMember(input: $input) { member { personId } errors { code message } } }',
      { input: { organisationId, displayName: `試験 ${email.split('@')[0]}`, email, roles } },
      tokens[ADMIN],
    );
    expect(addMember.errors).toEqual([]);
  }
  for (const email of EVERYONE) tokens[email] ??= await demoLogin(app.url, email);
});

afterAll(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await stopAllApps();
  await database?.drop();
});

// ---------------------------------------------------------------------------------------------
// GraphQL.

const CHANGE = 'changeId kind requirementId requirementTitle before after reason';
const PROPOSAL = `id specId specVersion title status authorPersonId authorOrganisationId currentRevision everSubmitted submittedRevision
  changes { ${CHANGE} } decision { outcome rationale revision decidedByPersonId } withdrawal { reason } streamVersion position`;
const COMMENT = `id proposalId specId specVersion parentCommentId threadId body edition status anchor { kind changeId requirementId } quote { start end text }
  authorPersonId authorDisplayName authorOrganisationId editions { edition body } retractionReason
  disposition { code label answer revision disposedByOrganisationId } dispositionHistory { code label answer revision }
  reactions { agree disagree byOrganisation { organisationId agree disagree organisation { name } } byPerson { personId reaction } } myReaction`;

interface UserError {
  code: string;
  message: string;
  field: string | null;
}
interface Payload {
  errors: UserError[];
  position: string | null;
  proposal?: any;
  comment?: any;
}

const INPUT_TYPES: Record<string, string> = {
  draftProposal: 'DraftProposalInput',
  reviseProposal: 'ReviseProposalInput',
  submitProposal: 'SubmitProposalInput',
  withdrawProposal: 'WithdrawProposalInput',
  acceptProposal: 'DecideProposalInput',
  rejectProposal: 'DecideProposalInput',
  postComment: 'PostCommentInput',
  editComment: 'EditCommentInput',
  retractComment: 'RetractCommentInput',
  disposeComment: 'DisposeCommentInput',
  reactToComment: 'ReactToCommentInput',
};

async function mutate(name: string, input: Record<string, unknown>, who: string, selection?: string): Promise<Payload> {
  const entity = name.endsWith('Proposal') ? `proposal { ${selection ?? PROPOSAL} }` : `comment { ${selection ?? COMMENT} }`;
  const data = await gqlData(
    app.url,
    `mutation ($input: ${INPUT_TYPES[name]}!) { ${name}(input: $input) { position errors { code message field } ${entity} } }`,
    { input },
    tokens[who],
  );
  return data[name];
}

/** The one error code of a payload, or OK. */
const outcome = (payload: Payload): string => (payload.errors.length ? payload.errors.map((e) => e.code).join(',') : 'OK');

async function proposal(id: string, who: string, selection = PROPOSAL) {
  return (await gqlData(app.url, `query ($id: ID!) { proposal(id: $id) { ${selection} } }`, { id }, tokens[who])).proposal;
}

async function listed(who: string, args = 'specId: "juminkiroku"'): Promise<{ ids: string[]; totalCount: number }> {
  const { proposals } = await gqlData(app.url, `{ proposals(${args}, first: 200) { totalCount edges { node { id } } } }`, undefined, tokens[who]);
  return { ids: proposals.edges.map((e: { node: { id: string } }) => e.node.id), totalCount: proposals.totalCount };
}

async function requirementText(requirementId: string): Promise<string> {
  const { requirement } = await gqlData(
    app.url,
    'query ($id: ID!) { requirement(specId: "juminkiroku", version: "4.0", requirementId: $id) { text } }',
    { id: requirementId },
    tokens[AUDITOR],
  );
  return requirement.text;
}

// ---------------------------------------------------------------------------------------------
// Live: graphql-ws subscriptions and socket.io rooms.

interface Received {
  events: { change: string; position: string; id: string }[];
  errors: unknown[];
}

function subscribe(who: string, query: string, variables: Record<string, unknown>, field: string, idField: string): Received {
  const client = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${tokens[who]}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
  });
  clients.push(client);
  const received: Received = { events: [], errors: [] };
  client.subscribe<Record<string, { change: string; position: string } & Record<string, string>>>(
    { query, variables },
    {
      next: (r) =>
        r.data
          ? received.events.push({ change: r.data[field].change, position: r.data[field].position, id: r.data[field][idField] })
          : received.errors.push(r.errors),
      error: (e) => received.errors.push(e),
      complete: () => undefined,
    },
  );
  return received;
}

const proposalChanged = (who: string, id: string, after?: string) =>
  subscribe(
    who,
    'subscription ($id: ID!, $after: Position) { proposalChanged(id: $id, after: $after) { proposalId change position proposal { id status } } }',
    { id, after: after ?? null },
    'proposalChanged',
    'proposalId',
  );
const commentAdded = (who: string, proposalId: string, after?: string) =>
  subscribe(
    who,
    'subscription ($id: ID!, $after: Position) { commentAdded(proposalId: $id, after: $after) { commentId proposalId change position comment { id body } } }',
    { id: proposalId, after: after ?? null },
    'commentAdded',
    'commentId',
  );

interface RoomClient {
  socket: Socket;
  changes: { room: string; entity: string; id: string; change: string; position: string }[];
}

async function roomClient(who: string): Promise<RoomClient> {
  const socket = io(`${app.url}/live`, { auth: { token: tokens[who] }, transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  const client: RoomClient = { socket, changes: [] };
  socket.on('change', (change: RoomClient['changes'][number]) => client.changes.push(change));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return client;
}

const join = (client: RoomClient, room: string): Promise<{ ok: boolean; code?: string; message?: string }> =>
  client.socket.timeout(10_000).emitWithAck('join', { room });

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const quiet = (ms = 400) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// The lifecycle. The tests below run in order and share this state.

const BEFORE_213 =
  '住民票の写し（世帯全員、世帯の一部）を交付できること。\n本籍・筆頭者、続柄、住民票コード等の記載の有無を「省略」「記載」から選択できること。';
const AFTER_213_R1 =
  '住民票の写し（世帯全員、世帯の一部）を交付できること。\n本籍・筆頭者、続柄、住民票コード、旧氏等の記載の有無を「省略」「記載」から選択できること。';
const AFTER_213_R2 =
  '住民票の写し（世帯全員、世帯の一部）を交付できること。\n本籍・筆頭者、続柄、住民票コード、旧氏及びそのふりがな等の記載の有無を「省略」「記載」から個別に選択できること。';
const ADDED_214_1 = '証明書の交付履歴（交付日時、交付方法及び請求者）を照会できること。';

const lifecycle = {
  id: '',
  draftPosition: '',
  draftCommentId: '',
  topCommentId: '',
  replyId: '',
  replyToReplyId: '',
  requirementCommentId: '',
};
let staffWatch: Received;
let hinoharaWatch: Received;
let adminWatch: Received;
let adminComments: Received;
let staffRoom: RoomClient;
let hinoharaRoom: RoomClient;

describe('a draft of 札幌市', () => {
  it('is drafted by 札幌市 staff against 4.0: revision 1, before texts from the version, readable at once', async () => {
    const payload = await mutate(
      'draftProposal',
      {
        commandId: randomUUID(),
        specId: 'juminkiroku',
        specVersion: '4.0',
        title: '旧氏の記載の選択',
        changes: [
          { kind: 'MODIFY', requirementId: '2.1.3', after: AFTER_213_R1, reason: '旧氏の記載の有無を選択できる必要があるため' },
          // A deletion sends no text; a sneaky "before" cannot even be sent (not in the input type).
          { changeId: 'del-991', kind: 'DELETE', requirementId: '9.9.1', reason: '独自帳票の扱いは別途通知で定めるため' },
        ],
      },
      SAPPORO_STAFF,
    );
    expect(payload.errors).toEqual([]);
    expect(payload.position).toEqual(expect.any(String));
    expect(payload.proposal).toMatchObject({
      specId: 'juminkiroku',
      specVersion: '4.0',
      title: '旧氏の記載の選択',
      status: 'DRAFTED',
      authorPersonId: 'demo-sapporo-staff',
      authorOrganisationId: SAPPORO,
      currentRevision: 1,
      everSubmitted: false,
      submittedRevision: null,
      decision: null,
      streamVersion: 0,
    });
    expect(payload.proposal.changes).toEqual([
      {
        changeId: '2_1_3',
        kind: 'MODIFY',
        requirementId: '2.1.3',
        requirementTitle: '住民票の写しの交付',
        before: await requirementText('2.1.3'),
        after: AFTER_213_R1,
        reason: '旧氏の記載の有無を選択できる必要があるため',
      },
      {
        changeId: 'del-991',
        kind: 'DELETE',
        requirementId: '9.9.1',
        requirementTitle: '独自帳票の出力',
        before: await requirementText('9.9.1'),
        after: null,
        reason: '独自帳票の扱いは別途通知で定めるため',
      },
    ]);
    expect(payload.proposal.changes[0].before).toBe(BEFORE_213);
    lifecycle.id = payload.proposal.id;
    lifecycle.draftPosition = payload.position!;
  });

  it('is listed and readable for 札幌市 only: not for another town, an auditor or デジタル庁 (by id, in lists, in counts)', async () => {
    for (const who of [SAPPORO_STAFF, SAPPORO_APPROVER, SAPPORO_VIEWER]) {
      expect(await proposal(lifecycle.id, who, 'id status spec { id title }')).toEqual({
        id: lifecycle.id,
        status: 'DRAFTED',
        spec: { id: 'juminkiroku', title: expect.stringContaining('住民記録') },
      });
      expect((await listed(who)).ids).toContain(lifecycle.id);
    }
    for (const who of [HINOHARA, AUDITOR, ADMIN, DA_ADMIN_ONLY, MIC, HOKKAIDO, VENDOR]) {
      expect(await proposal(lifecycle.id, who, 'id')).toBeNull();
      const list = await listed(who);
      expect(list.ids).not.toContain(lifecycle.id);
      expect(list.totalCount).toBe(list.ids.length);
      expect((await listed(who, `search: "旧氏"`)).ids).not.toContain(lifecycle.id);
      // 札幌市's drafts (this one and the demo seed's) are not even counted; its submitted demo proposal is.
      expect((await listed(who, `authorOrganisationId: "${SAPPORO}", status: DRAFTED`)).totalCount).toBe(0);
    }
    expect(await listed(SAPPORO_STAFF, `authorOrganisationId: "${SAPPORO}", status: DRAFTED, search: "旧氏"`)).toEqual({ ids: [lifecycle.id], totalCount: 1 });
  });

  it('does not exist for anyone else: their mutations on it are PROPOSAL_NOT_FOUND, their comments too', async () => {
    const id = lifecycle.id;
    const attempts = await Promise.all([
      mutate('reviseProposal', { proposalId: id, title: '乗っ取り', changes: [{ kind: 'DELETE', requirementId: '9.9.1', reason: 'x' }] }, HINOHARA),
      mutate('submitProposal', { proposalId: id }, HINOHARA),
      mutate('withdrawProposal', { proposalId: id, reason: 'x' }, HINOHARA),
      mutate('acceptProposal', { proposalId: id, rationale: 'x' }, ADMIN),
      mutate('rejectProposal', { proposalId: id, rationale: 'x' }, ADMIN),
      mutate('postComment', { proposalId: id, anchor: { kind: 'CHANGE', changeId: '2_1_3' }, body: '見えないはず' }, ADMIN),
    ]);
    expect(attempts.map((p) => [outcome(p), p.errors[0]?.field, 'proposal' in p ? p.proposal : p.comment])).toEqual(
      attempts.map(() => ['PROPOSAL_NOT_FOUND', 'proposalId', null]),
    );
  });

  it('tells its live changes to 札幌市 only (graphql-ws and socket.io), and lets only 札幌市 into its room', async () => {
    staffWatch = proposalChanged(SAPPORO_STAFF, lifecycle.id);
    hinoharaWatch = proposalChanged(HINOHARA, lifecycle.id);
    adminWatch = proposalChanged(ADMIN, lifecycle.id);
    adminComments = commentAdded(ADMIN, lifecycle.id);
    staffRoom = await roomClient(SAPPORO_STAFF);
    hinoharaRoom = await roomClient(HINOHARA);
    const adminRoom = await roomClient(ADMIN);
    expect(await join(staffRoom, `proposal:${lifecycle.id}`)).toMatchObject({ ok: true });
    for (const refused of [hinoharaRoom, adminRoom]) {
      expect(await join(refused, `proposal:${lifecycle.id}`)).toEqual({
        ok: false,
        code: 'FORBIDDEN',
        message: `there is no proposal ${lifecycle.id} that you may see`,
      });
    }
    // The same answer as for a proposal that does not exist.
    expect(await join(adminRoom, 'proposal:NO-SUCH-PROPOSAL')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    await quiet(300); // graphql-ws does not acknowledge a subscribe

    // 札幌市 comments on its own draft: only 札幌市 sees it.
    const comment = await mutate(
      'postComment',
      { proposalId: lifecycle.id, anchor: { kind: 'CHANGE', changeId: '2_1_3' }, body: '旧氏のふりがなも対象にすべきか、庁内で確認します。' },
      SAPPORO_APPROVER,
    );
    expect(comment.errors).toEqual([]);
    lifecycle.draftCommentId = comment.comment.id;
    await until(() => staffRoom.changes.some((c) => c.entity === 'comment'), 'the draft comment in 札幌市 staff’s room');
    expect(await gqlData(app.url, 'query ($id: ID!) { comment(id: $id) { id } }', { id: lifecycle.draftCommentId }, tokens[HINOHARA])).toEqual({
      comment: null,
    });
  });
});

describe('revising', () => {
  it('keeps both revisions and serves the diff between them', async () => {
    const payload = await mutate(
      'reviseProposal',
      {
        proposalId: lifecycle.id,
        title: '旧氏及びふりがなの記載の選択',
        changes: [
          { kind: 'MODIFY', requirementId: '2.1.3', after: AFTER_213_R2, reason: '旧氏のふりがなも選択の対象とするため' },
          { changeId: 'add-2141', kind: 'ADD', requirementId: '2.1.4.1', after: ADDED_214_1, reason: '交付の監査に対応するため' },
        ],
      },
      SAPPORO_STAFF,
    );
    expect(payload.errors).toEqual([]);
    expect(payload.proposal).toMatchObject({ status: 'DRAFTED', currentRevision: 2, title: '旧氏及びふりがなの記載の選択', streamVersion: 1 });

    const read = await proposal(
      lifecycle.id,
      SAPPORO_STAFF,
      `revisions { revision title changes { changeId after } revisedByPersonId } first: revision(n: 1) { title changes { changeId } } none: revision(n: 3) { title }
       diff(revision: 2, against: 1) { revision against changes { changeId } requirements { requirementId status kindChanged fromChange { changeId after } toChange { changeId after } segments { op text } } }`,
    );
    expect(read.revisions.map((r: any) => [r.revision, r.title, r.changes.map((c: any) => c.changeId), r.revisedByPersonId])).toEqual([
      [1, '旧氏の記載の選択', ['2_1_3', 'del-991'], 'demo-sapporo-staff'],
      [2, '旧氏及びふりがなの記載の選択', ['2_1_3', 'add-2141'], 'demo-sapporo-staff'],
    ]);
    expect(read.first).toEqual({ title: '旧氏の記載の選択', changes: [{ changeId: '2_1_3' }, { changeId: 'del-991' }] });
    expect(read.none).toBeNull();
    expect(read.diff).toMatchObject({ revision: 2, against: 1, changes: [] });
    expect(read.diff.requirements.map((r: any) => [r.requirementId, r.status, r.fromChange?.changeId ?? null, r.toChange?.changeId ?? null])).toEqual([
      ['2.1.3', 'MODIFIED', '2_1_3', '2_1_3'],
      ['2.1.4.1', 'ADDED', null, 'add-2141'],
      ['9.9.1', 'REMOVED', 'del-991', null],
    ]);
    // Applying the served diff to revision 1's text gives revision 2's.
    const modified = read.diff.requirements[0];
    expect(applyDiff(AFTER_213_R1, toSegments(modified.segments))).toBe(AFTER_213_R2);
    expect(modified.segments.filter((s: any) => s.op !== 'EQUAL').map((s: any) => `${s.op} ${s.text}`)).toEqual(
      expect.arrayContaining(['INSERT 及びそのふりがな', 'INSERT 個別に']),
    );
  });

  it('diffs a revision against the base text of the version: applying each served diff to the base gives the revision (Japanese, no spaces)', async () => {
    const { diff, revision } = await proposal(
      lifecycle.id,
      SAPPORO_STAFF,
      'diff { revision against requirements { requirementId } changes { changeId kind requirementId before after segments { op text } } } revision(n: 2) { changes { changeId after } }',
    );
    expect(diff).toMatchObject({ revision: 2, against: null, requirements: [] });
    const base = { '2.1.3': await requirementText('2.1.3'), '2.1.4.1': '' } as Record<string, string>;
    for (const change of diff.changes) {
      expect(change.before).toBe(base[change.requirementId]);
      const proposed = revision.changes.find((c: any) => c.changeId === change.changeId).after;
      expect(applyDiff(base[change.requirementId], toSegments(change.segments))).toBe(proposed);
    }
    // Word-level within Japanese: the untouched sentence stays one equal segment, the insertions are short.
    const [modified, added] = diff.changes;
    expect(modified.segments[0]).toEqual({ op: 'EQUAL', text: '住民票の写し（世帯全員、世帯の一部）を交付できること。\n本籍・筆頭者、続柄、住民票コード' });
    expect(modified.segments.filter((s: any) => s.op === 'INSERT').map((s: any) => s.text)).toEqual(['、旧氏及びそのふりがな', '個別に']);
    expect(added).toMatchObject({ kind: 'ADD', before: '', after: ADDED_214_1, segments: [{ op: 'INSERT', text: ADDED_214_1 }] });

    const revision1 = await proposal(lifecycle.id, SAPPORO_STAFF, 'diff(revision: 1) { changes { changeId kind after segments { op text } } }');
    expect(revision1.diff.changes[1]).toEqual({
      changeId: 'del-991',
      kind: 'DELETE',
      after: '',
      segments: [{ op: 'DELETE', text: await requirementText('9.9.1') }],
    });

    const missing = await gqlDataOrErrors(`query ($id: ID!) { proposal(id: $id) { diff(revision: 7) { revision } } }`, { id: lifecycle.id }, SAPPORO_STAFF);
    expect(missing.errors?.map((e: any) => e.extensions?.code)).toEqual(['REVISION_NOT_FOUND']);
  });

  it('told 札幌市 of the revision and the draft comment, and no one else', async () => {
    await until(() => staffWatch.events.length >= 1, "札幌市's proposalChanged");
    await until(() => staffRoom.changes.some((c) => c.change === 'ProposalRevised'), "札幌市's room");
    await quiet();
    expect(staffWatch.events.map((e) => e.change)).toEqual(['ProposalRevised']);
    expect(staffRoom.changes.map((c) => `${c.entity} ${c.change}`)).toEqual(['comment CommentPosted', 'proposal ProposalRevised']);
    expect(hinoharaWatch).toEqual({ events: [], errors: [] });
    expect(adminWatch).toEqual({ events: [], errors: [] });
    expect(adminComments).toEqual({ events: [], errors: [] });
    expect(hinoharaRoom.changes).toEqual([]);
  });
});

describe('submitting', () => {
  it("is 札幌市's approver's act: its staff and viewer may not, the approver may, once", async () => {
    const staff = await mutate('submitProposal', { proposalId: lifecycle.id }, SAPPORO_STAFF);
    expect(staff).toMatchObject({ proposal: null, position: null, errors: [{ code: 'FORBIDDEN' }] });
    expect(outcome(await mutate('submitProposal', { proposalId: lifecycle.id }, SAPPORO_VIEWER))).toBe('FORBIDDEN');
    const submitted = await mutate('submitProposal', { proposalId: lifecycle.id }, SAPPORO_APPROVER);
    expect(submitted.errors).toEqual([]);
    expect(submitted.proposal).toMatchObject({ status: 'SUBMITTED', everSubmitted: true, submittedRevision: 2, streamVersion: 2 });
    expect(outcome(await mutate('submitProposal', { proposalId: lifecycle.id }, SAPPORO_APPROVER))).toBe('PROPOSAL_ALREADY_SUBMITTED');
  });

  it('makes it, and the comment made while it was a draft, visible to everyone with a role', async () => {
    for (const who of [HINOHARA, AUDITOR, ADMIN, VENDOR]) {
      expect(await proposal(lifecycle.id, who, 'id status')).toEqual({ id: lifecycle.id, status: 'SUBMITTED' });
      expect((await listed(who, 'status: SUBMITTED')).ids).toContain(lifecycle.id);
    }
    const threads = await proposal(lifecycle.id, AUDITOR, 'comments { id body }');
    expect(threads.comments).toEqual([{ id: lifecycle.draftCommentId, body: '旧氏のふりがなも対象にすべきか、庁内で確認します。' }]);
  });

  it('reaches every live subscriber now; 檜原村 may join the room', async () => {
    await until(() => hinoharaWatch.events.length >= 1 && adminWatch.events.length >= 1 && staffWatch.events.length >= 2, 'ProposalSubmitted everywhere');
    expect(hinoharaWatch.events.map((e) => e.change)).toEqual(['ProposalSubmitted']);
    expect(adminWatch.events.map((e) => e.change)).toEqual(['ProposalSubmitted']);
    expect(staffWatch.events.map((e) => e.change)).toEqual(['ProposalRevised', 'ProposalSubmitted']);
    expect(await join(hinoharaRoom, `proposal:${lifecycle.id}`)).toMatchObject({ ok: true });
  });
});

describe('comments', () => {
  it('posts a comment anchored to a change with a verified quote; a quote that is not the text is refused', async () => {
    const proposed = AFTER_213_R2;
    const start = proposed.indexOf('旧氏及びそのふりがな');
    const wrong = await mutate(
      'postComment',
      { proposalId: lifecycle.id, anchor: { kind: 'CHANGE', changeId: '2_1_3' }, quote: { start, end: start + 10, text: '旧氏及び氏名の振り仮' }, body: 'x' },
      HINOHARA,
    );
    expect(wrong.errors).toEqual([{ code: 'QUOTE_MISMATCH', field: 'quote.text', message: expect.any(String) }]);
    const missingAnchor = await mutate('postComment', { proposalId: lifecycle.id, anchor: { kind: 'CHANGE', changeId: 'del-991' }, body: 'x' }, HINOHARA);
    expect(outcome(missingAnchor)).toBe('ANCHOR_NOT_FOUND'); // revision 2 no longer deletes 9.9.1

    const posted = await mutate(
      'postComment',
      {
        proposalId: lifecycle.id,
        anchor: { kind: 'CHANGE', changeId: '2_1_3' },
        quote: { start, end: start + 10, text: '旧氏及びそのふりがな' },
        body: 'ふりがなの記載は、証明書の様式にも影響します。',
      },
      HINOHARA,
    );
    expect(posted.errors).toEqual([]);
    expect(posted.comment).toMatchObject({
      proposalId: lifecycle.id,
      specId: 'juminkiroku',
      specVersion: '4.0',
      parentCommentId: null,
      body: 'ふりがなの記載は、証明書の様式にも影響します。',
      edition: 1,
      // Never edited: its one edition is the comment as posted (no edition row is stored for it).
      editions: [{ edition: 1, body: 'ふりがなの記載は、証明書の様式にも影響します。' }],
      status: 'POSTED',
      anchor: { kind: 'CHANGE', changeId: '2_1_3', requirementId: null },
      quote: { start, end: start + 10, text: '旧氏及びそのふりがな' },
      authorPersonId: 'demo-hinohara',
      authorDisplayName: '檜原 五郎',
      authorOrganisationId: '133078',
      disposition: null,
      reactions: { agree: 0, disagree: 0, byOrganisation: [], byPerson: [] },
      myReaction: null,
    });
    lifecycle.topCommentId = posted.comment.id;
    expect(posted.comment.threadId).toBe(lifecycle.topCommentId);
  });

  it('threads replies (a vendor replies, 札幌市 replies to the reply); a viewer may not comment', async () => {
    const reply = await mutate(
      'postComment',
      {
        proposalId: lifecycle.id,
        anchor: { kind: 'CHANGE', changeId: '2_1_3' },
        parentCommentId: lifecycle.topCommentId,
        body: '帳票の改修が必要になります。',
      },
      VENDOR,
    );
    expect(reply.errors).toEqual([]);
    lifecycle.replyId = reply.comment.id;
    const replyToReply = await mutate(
      'postComment',
      { proposalId: lifecycle.id, anchor: { kind: 'CHANGE', changeId: '2_1_3' }, parentCommentId: lifecycle.replyId, body: '改修範囲を確認します。' },
      SAPPORO_STAFF,
    );
    expect(replyToReply.comment).toMatchObject({ parentCommentId: lifecycle.replyId, threadId: lifecycle.topCommentId });
    lifecycle.replyToReplyId = replyToReply.comment.id;

    const elsewhere = await mutate(
      'postComment',
      { proposalId: lifecycle.id, anchor: { kind: 'CHANGE', changeId: 'add-2141' }, parentCommentId: lifecycle.topCommentId, body: 'x' },
      VENDOR,
    );
    expect(outcome(elsewhere)).toBe('PARENT_COMMENT_ELSEWHERE');
    expect(outcome(await mutate('postComment', { proposalId: lifecycle.id, anchor: { kind: 'CHANGE', changeId: '2_1_3' }, body: 'x' }, AUDITOR))).toBe(
      'FORBIDDEN',
    );

    const { comments } = await proposal(lifecycle.id, AUDITOR, 'comments { id replies { id replies { id replies { id } } } }');
    expect(comments).toEqual([
      { id: lifecycle.draftCommentId, replies: [] },
      { id: lifecycle.topCommentId, replies: [{ id: lifecycle.replyId, replies: [{ id: lifecycle.replyToReplyId, replies: [] }] }] },
    ]);
    const onAdded = await proposal(lifecycle.id, AUDITOR, 'comments(changeId: "add-2141") { id }');
    expect(onAdded.comments).toEqual([]);
  });

  it('comments on a requirement of the version itself, readable through commentsOnRequirement', async () => {
    const text = await requirementText('2.1.5');
    const posted = await mutate(
      'postComment',
      {
        specId: 'juminkiroku',
        specVersion: '4.0',
        anchor: { kind: 'REQUIREMENT', requirementId: '2.1.5' },
        quote: { start: 0, end: 9, text: text.slice(0, 9) },
        body: 'コンビニ交付の対象証明書を列挙すべきです。',
      },
      OBSERVER_MEMBER, // observers comment (they do not propose)
    );
    expect(posted.errors).toEqual([]);
    expect(posted.comment).toMatchObject({ proposalId: null, anchor: { kind: 'REQUIREMENT', requirementId: '2.1.5' }, quote: { text: 'マイナンバーカード' } });
    lifecycle.requirementCommentId = posted.comment.id;
    const { commentsOnRequirement } = await gqlData(
      app.url,
      '{ commentsOnRequirement(specId: "juminkiroku", version: "4.0", requirementId: "2.1.5") { id body authorOrganisation { name } } }',
      undefined,
      tokens[HINOHARA],
    );
    expect(commentsOnRequirement).toEqual([
      { id: lifecycle.requirementCommentId, body: 'コンビニ交付の対象証明書を列挙すべきです。', authorOrganisation: { name: '情報公開オンブズマン（監査）' } },
    ]);
  });

  it('keeps every edition; only the author edits', async () => {
    const edited = await mutate(
      'editComment',
      { commentId: lifecycle.topCommentId, body: 'ふりがなの記載は、証明書の様式と帳票の改修に影響します。' },
      HINOHARA,
    );
    expect(edited.errors).toEqual([]);
    expect(edited.comment).toMatchObject({
      edition: 2,
      body: 'ふりがなの記載は、証明書の様式と帳票の改修に影響します。',
      editions: [
        { edition: 1, body: 'ふりがなの記載は、証明書の様式にも影響します。' },
        { edition: 2, body: 'ふりがなの記載は、証明書の様式と帳票の改修に影響します。' },
      ],
    });
    expect(outcome(await mutate('editComment', { commentId: lifecycle.topCommentId, body: '改ざん' }, VENDOR))).toBe('FORBIDDEN');
    expect(outcome(await mutate('editComment', { commentId: lifecycle.topCommentId, body: '改ざん' }, AUDITOR))).toBe('FORBIDDEN');
  });

  it('retracts: the comment stays, marked, and takes no more edits or reactions', async () => {
    expect(outcome(await mutate('retractComment', { commentId: lifecycle.replyId, reason: 'x' }, HINOHARA))).toBe('FORBIDDEN');
    const retracted = await mutate('retractComment', { commentId: lifecycle.replyId, reason: '別途、個別に連絡します。' }, VENDOR);
    expect(retracted.comment).toMatchObject({ status: 'RETRACTED', retractionReason: '別途、個別に連絡します。', body: '帳票の改修が必要になります。' });
    expect(outcome(await mutate('editComment', { commentId: lifecycle.replyId, body: '再開' }, VENDOR))).toBe('COMMENT_RETRACTED');
    expect(outcome(await mutate('reactToComment', { commentId: lifecycle.replyId, reaction: 'AGREE' }, HINOHARA))).toBe('COMMENT_RETRACTED');
    expect(outcome(await mutate('retractComment', { commentId: lifecycle.replyId, reason: 'again' }, VENDOR))).toBe('COMMENT_RETRACTED');
  });

  it("is disposed by デジタル庁's coordinator with a code and an answer, then the disposition is revised (history kept)", async () => {
    const first = await mutate('disposeComment', { commentId: lifecycle.topCommentId, code: 'CONSIDER_LATER', answer: '次期改定で検討します。' }, ADMIN);
    expect(first.errors).toEqual([]);
    expect(first.comment).toMatchObject({
      status: 'DISPOSED',
      disposition: { code: 'CONSIDER_LATER', label: '今後検討', answer: '次期改定で検討します。', revision: 1, disposedByOrganisationId: 'digital-agency' },
    });
    const second = await mutate(
      'disposeComment',
      { commentId: lifecycle.topCommentId, code: 'ADDRESS_WITH_CHANGES', answer: '第4.1版で旧氏のふりがなを追加します。' },
      ADMIN,
    );
    expect(second.comment.disposition).toMatchObject({ code: 'ADDRESS_WITH_CHANGES', label: '修正して対応', revision: 2 });
    expect(second.comment.dispositionHistory).toEqual([
      { code: 'CONSIDER_LATER', label: '今後検討', answer: '次期改定で検討します。', revision: 1 },
      { code: 'ADDRESS_WITH_CHANGES', label: '修正して対応', answer: '第4.1版で旧氏のふりがなを追加します。', revision: 2 },
    ]);
    expect(second.comment.edition).toBe(2); // a disposition is not an edit
  });

  it('counts reactions per organisation and per person, each person once with their latest reaction', async () => {
    const react = async (who: string, reaction: string | null) => {
      const payload = await mutate('reactToComment', { commentId: lifecycle.topCommentId, reaction }, who);
      expect(payload.errors).toEqual([]);
      return payload.comment;
    };
    await react(SAPPORO_STAFF, 'AGREE');
    await react(SAPPORO_APPROVER, 'AGREE');
    await react(HINOHARA, 'DISAGREE');
    await react(VENDOR, 'AGREE');
    await react(HINOHARA, 'AGREE'); // changes their mind
    await react(OBSERVER_MEMBER, 'DISAGREE');
    const last = await react(SAPPORO_APPROVER, null); // clears
    expect(outcome(await mutate('reactToComment', { commentId: lifecycle.topCommentId, reaction: 'AGREE' }, AUDITOR))).toBe('FORBIDDEN');

    expect(last.reactions).toEqual({
      agree: 3,
      disagree: 1,
      byOrganisation: [
        { organisationId: SAPPORO, agree: 1, disagree: 0, organisation: { name: '札幌市' } },
        { organisationId: '133078', agree: 1, disagree: 0, organisation: { name: '檜原村' } },
        { organisationId: 'observer-example', agree: 0, disagree: 1, organisation: { name: '情報公開オンブズマン（監査）' } },
        { organisationId: 'vendor-example', agree: 1, disagree: 0, organisation: { name: '株式会社サンプル行政システム' } },
      ],
      byPerson: expect.arrayContaining([
        { personId: 'demo-sapporo-staff', reaction: 'AGREE' },
        { personId: 'demo-hinohara', reaction: 'AGREE' },
        { personId: 'demo-vendor', reaction: 'AGREE' },
      ]),
    });
    expect(last.reactions.byPerson).toHaveLength(4);
    expect(last.myReaction).toBeNull(); // the approver cleared theirs
    const mine = async (who: string) =>
      (await gqlData(app.url, 'query ($id: ID!) { comment(id: $id) { myReaction } }', { id: lifecycle.topCommentId }, tokens[who])).comment.myReaction;
    expect(await Promise.all([SAPPORO_STAFF, HINOHARA, OBSERVER_MEMBER, AUDITOR].map(mine))).toEqual(['AGREE', 'AGREE', 'DISAGREE', null]);
  });

  it('told commentAdded subscribers of new comments on the proposal, never of the one made while it was a draft', async () => {
    await until(() => adminComments.events.length >= 3, 'three commentAdded events');
    await until(() => hinoharaRoom.changes.filter((c) => c.entity === 'comment').length >= 14, "the comment changes in 檜原村's room");
    await quiet();
    expect(adminComments.events.map((e) => e.id)).toEqual([lifecycle.topCommentId, lifecycle.replyId, lifecycle.replyToReplyId]);
    expect(adminComments.events.every((e) => e.change === 'CommentPosted')).toBe(true);
    // Replayed from the start of the proposal: the draft-time comment stays private to 札幌市.
    const replayed = commentAdded(ADMIN, lifecycle.id, lifecycle.draftPosition);
    const replayedForSapporo = commentAdded(SAPPORO_STAFF, lifecycle.id, lifecycle.draftPosition);
    await until(() => replayed.events.length >= 3 && replayedForSapporo.events.length >= 4, 'the replays');
    await quiet();
    expect(replayed.events.map((e) => e.id)).toEqual([lifecycle.topCommentId, lifecycle.replyId, lifecycle.replyToReplyId]);
    expect(replayedForSapporo.events.map((e) => e.id)).toEqual([lifecycle.draftCommentId, lifecycle.topCommentId, lifecycle.replyId, lifecycle.replyToReplyId]);
    // 檜原村's room got the comment changes after it joined: posts, the edit, the retraction, the dispositions, the reactions.
    const hinoharaSaw = hinoharaRoom.changes.filter((c) => c.entity === 'comment').map((c) => c.change);
    expect(hinoharaSaw.slice(0, 5)).toEqual(['CommentPosted', 'CommentPosted', 'CommentPosted', 'CommentEdited', 'CommentRetracted']);
    expect(hinoharaSaw.filter((c) => c === 'CommentDisposed')).toHaveLength(2);
    expect(hinoharaSaw.filter((c) => c === 'ReactionChanged')).toHaveLength(7);
  });
});

describe('deciding', () => {
  it('is for the spec owner’s coordinators and admins only; a decision on a revision read before a later one is stale', async () => {
    const id = lifecycle.id;
    const refused = await Promise.all(
      [MIC, HOKKAIDO, SAPPORO_APPROVER, HINOHARA, AUDITOR, VENDOR].map(async (who) => [
        who,
        outcome(await mutate('acceptProposal', { proposalId: id, rationale: '妥当' }, who)),
      ]),
    );
    expect(refused).toEqual([MIC, HOKKAIDO, SAPPORO_APPROVER, HINOHARA, AUDITOR, VENDOR].map((who) => [who, 'FORBIDDEN']));
    const stale = await mutate('acceptProposal', { proposalId: id, revision: 1, rationale: '妥当' }, ADMIN);
    expect(stale.errors).toEqual([{ code: 'PROPOSAL_REVISION_STALE', field: 'revision', message: expect.stringContaining('revision 2') }]);
    const blank = await mutate('acceptProposal', { proposalId: id, revision: 2, rationale: '　' }, ADMIN);
    expect(outcome(blank)).toBe('INVALID_RATIONALE');

    const accepted = await mutate('acceptProposal', { proposalId: id, revision: 2, rationale: '旧氏のふりがなの記載は法定事項であるため採用する。' }, ADMIN);
    expect(accepted.errors).toEqual([]);
    expect(accepted.proposal).toMatchObject({
      status: 'ACCEPTED',
      decision: { outcome: 'ACCEPTED', rationale: '旧氏のふりがなの記載は法定事項であるため採用する。', revision: 2, decidedByPersonId: 'demo-admin' },
      streamVersion: 3,
    });
  });

  it('refuses every further step with its code', async () => {
    const id = lifecycle.id;
    const attempts = {
      revise: await mutate(
        'reviseProposal',
        { proposalId: id, title: '再改訂', changes: [{ kind: 'DELETE', requirementId: '9.9.1', reason: 'x' }] },
        SAPPORO_STAFF,
      ),
      submit: await mutate('submitProposal', { proposalId: id }, SAPPORO_APPROVER),
      withdraw: await mutate('withdrawProposal', { proposalId: id, reason: 'やはり取り下げ' }, SAPPORO_APPROVER),
      reject: await mutate('rejectProposal', { proposalId: id, rationale: '撤回' }, ADMIN),
      accept: await mutate('acceptProposal', { proposalId: id, rationale: 'もう一度' }, ADMIN),
    };
    expect(Object.fromEntries(Object.entries(attempts).map(([step, payload]) => [step, outcome(payload)]))).toEqual({
      revise: 'PROPOSAL_ALREADY_DECIDED',
      submit: 'PROPOSAL_ALREADY_DECIDED',
      withdraw: 'PROPOSAL_ALREADY_DECIDED',
      reject: 'PROPOSAL_ALREADY_DECIDED',
      accept: 'PROPOSAL_ALREADY_DECIDED',
    });
  });

  it('reached every proposalChanged subscriber it may reach; a replay from the draft skips what was private', async () => {
    await until(() => hinoharaWatch.events.length >= 2 && staffWatch.events.length >= 3 && adminWatch.events.length >= 2, 'ProposalAccepted');
    await quiet();
    expect(staffWatch.events.map((e) => e.change)).toEqual(['ProposalRevised', 'ProposalSubmitted', 'ProposalAccepted']);
    expect(hinoharaWatch.events.map((e) => e.change)).toEqual(['ProposalSubmitted', 'ProposalAccepted']);
    expect(adminWatch.events.map((e) => e.change)).toEqual(['ProposalSubmitted', 'ProposalAccepted']);
    expect(staffWatch.events.map((e) => e.position)).toEqual([...staffWatch.events.map((e) => e.position)].sort());

    const replayHinohara = proposalChanged(HINOHARA, lifecycle.id, lifecycle.draftPosition);
    const replayStaff = proposalChanged(SAPPORO_STAFF, lifecycle.id, 'start');
    await until(() => replayHinohara.events.length >= 2 && replayStaff.events.length >= 4, 'the replays');
    await quiet();
    expect(replayHinohara.events.map((e) => e.change)).toEqual(['ProposalSubmitted', 'ProposalAccepted']);
    expect(replayStaff.events.map((e) => e.change)).toEqual(['ProposalDrafted', 'ProposalRevised', 'ProposalSubmitted', 'ProposalAccepted']);
    expect(hinoharaRoom.changes.filter((c) => c.entity === 'proposal').map((c) => c.change)).toEqual(['ProposalAccepted']);
  });
});

describe('other transitions', () => {
  const draft = async (who = SAPPORO_STAFF, title = `別の修文案 ${run}`) => {
    const payload = await mutate(
      'draftProposal',
      {
        specId: 'juminkiroku',
        specVersion: '4.0',
        title,
        changes: [{ kind: 'MODIFY', requirementId: '1.1.2', after: '住民票コードを記載できること。', reason: '簡素化' }],
      },
      who,
    );
    expect(payload.errors).toEqual([]);
    return payload.proposal.id as string;
  };

  it('refuses to decide on a draft, to submit a withdrawn proposal, to draft against an unpublished version or with nothing to change', async () => {
    const id = await draft();
    expect(outcome(await mutate('acceptProposal', { proposalId: id, rationale: 'x' }, SAPPORO_APPROVER))).toBe('FORBIDDEN');
    // デジタル庁 cannot even see the draft to decide on it.
    expect(outcome(await mutate('acceptProposal', { proposalId: id, rationale: 'x' }, ADMIN))).toBe('PROPOSAL_NOT_FOUND');
    const withdrawn = await mutate('withdrawProposal', { proposalId: id, reason: '内容を再検討するため' }, SAPPORO_STAFF);
    expect(withdrawn.proposal).toMatchObject({ status: 'WITHDRAWN', everSubmitted: false, withdrawal: { reason: '内容を再検討するため' } });
    expect(outcome(await mutate('submitProposal', { proposalId: id }, SAPPORO_APPROVER))).toBe('PROPOSAL_WITHDRAWN');
    expect(outcome(await mutate('withdrawProposal', { proposalId: id, reason: 'x' }, SAPPORO_APPROVER))).toBe('PROPOSAL_WITHDRAWN');
    // Withdrawn before submission: still private.
    expect(await proposal(id, HINOHARA, 'id')).toBeNull();

    // The owner's own draft is visible to its coordinator, who still cannot decide on it before it is submitted.
    const own = await draft(ADMIN, `デジタル庁の修文案 ${run}`);
    expect(outcome(await mutate('acceptProposal', { proposalId: own, rationale: 'x' }, ADMIN))).toBe('PROPOSAL_NOT_SUBMITTED');

    const unpublished = await mutate(
      'draftProposal',
      { specId: 'juminkiroku', specVersion: '9.9', title: 't', changes: [{ kind: 'DELETE', requirementId: '9.9.1', reason: 'x' }] },
      SAPPORO_STAFF,
    );
    expect(unpublished.errors).toEqual([{ code: 'VERSION_NOT_PUBLISHED', field: 'version', message: expect.any(String) }]);
    const noSpec = await mutate(
      'draftProposal',
      { specId: 'no-such-spec', specVersion: '4.0', title: 't', changes: [{ kind: 'DELETE', requirementId: '9.9.1', reason: 'x' }] },
      SAPPORO_STAFF,
    );
    expect(outcome(noSpec)).toBe('SPEC_NOT_FOUND');
    const none = await mutate('draftProposal', { specId: 'juminkiroku', specVersion: '4.0', title: 't', changes: [] }, SAPPORO_STAFF);
    expect(outcome(none)).toBe('NO_CHANGES');
    const unknown = await mutate(
      'draftProposal',
      { specId: 'juminkiroku', specVersion: '4.0', title: 't', changes: [{ kind: 'MODIFY', requirementId: '8.8.8', after: 'x', reason: 'x' }] },
      SAPPORO_STAFF,
    );
    expect(unknown.errors).toEqual([{ code: 'REQUIREMENT_NOT_FOUND', field: 'changes[0].requirementId', message: expect.any(String) }]);
  });

  it('rejects a submitted proposal with a rationale; a submitted proposal withdrawn stays public', async () => {
    const rejectedId = await draft(HINOHARA, `檜原村の修文案 ${run}`);
    expect(outcome(await mutate('submitProposal', { proposalId: rejectedId }, HINOHARA))).toBe('OK');
    const rejected = await mutate('rejectProposal', { proposalId: rejectedId, rationale: '住民票コードの記載要件は変更しない。' }, DA_ADMIN_ONLY);
    expect(rejected.proposal).toMatchObject({ status: 'REJECTED', decision: { outcome: 'REJECTED', revision: 1 } });

    const withdrawnId = await draft(SAPPORO_APPROVER, `取り下げる修文案 ${run}`);
    expect(outcome(await mutate('submitProposal', { proposalId: withdrawnId }, SAPPORO_APPROVER))).toBe('OK');
    expect(outcome(await mutate('withdrawProposal', { proposalId: withdrawnId, reason: 'x' }, SAPPORO_STAFF))).toBe('FORBIDDEN'); // approvers only, once submitted
    expect(outcome(await mutate('withdrawProposal', { proposalId: withdrawnId, reason: 'x' }, HINOHARA))).toBe('FORBIDDEN'); // not its author
    expect(outcome(await mutate('withdrawProposal', { proposalId: withdrawnId, reason: '他団体の提案に統合' }, SAPPORO_APPROVER))).toBe('OK');
    expect(await proposal(withdrawnId, HINOHARA, 'status everSubmitted')).toEqual({ status: 'WITHDRAWN', everSubmitted: true });
    expect((await listed(AUDITOR, 'status: [REJECTED, WITHDRAWN]')).ids).toEqual([withdrawnId, rejectedId]); // newest first
  });

  it('answers a retried draft (same commandId) as the first time and stores nothing twice', async () => {
    const input = {
      commandId: randomUUID(),
      specId: 'juminkiroku',
      specVersion: '4.0',
      title: `再送 ${run}`,
      changes: [{ kind: 'DELETE', requirementId: '9.9.1', reason: '再送の確認' }],
    };
    const first = await mutate('draftProposal', input, SAPPORO_STAFF);
    const again = await mutate('draftProposal', input, SAPPORO_STAFF);
    expect(again).toEqual(first);
    expect((await listed(SAPPORO_STAFF, `search: "再送 ${run}"`)).totalCount).toBe(1);
  });
});

describe('the permission matrix, end to end (a representative set; the whole table is in libs/auth/src/permissions.spec.ts)', () => {
  it('draftProposal: any member or above of a kind that proposes; viewers and observers FORBIDDEN', async () => {
    const results: Record<string, string> = {};
    for (const who of EVERYONE) {
      results[who] = outcome(
        await mutate(
          'draftProposal',
          { specId: 'juminkiroku', specVersion: '4.0', title: `権限 ${who}`, changes: [{ kind: 'DELETE', requirementId: '9.9.1', reason: '権限の確認' }] },
          who,
          'id',
        ),
      );
    }
    expect(results).toEqual({
      [ADMIN]: 'OK',
      [MIC]: 'OK',
      [HOKKAIDO]: 'OK',
      [SAPPORO_STAFF]: 'OK',
      [SAPPORO_APPROVER]: 'OK',
      [HINOHARA]: 'OK',
      [VENDOR]: 'OK',
      [AUDITOR]: 'FORBIDDEN',
      [SAPPORO_VIEWER]: 'FORBIDDEN',
      [OBSERVER_MEMBER]: 'FORBIDDEN',
      [DA_ADMIN_ONLY]: 'OK',
    });
  });

  it("submitProposal on 札幌市's draft: its approver only; its member and viewer FORBIDDEN; everyone else does not see it", async () => {
    const id = (
      await mutate(
        'draftProposal',
        { specId: 'juminkiroku', specVersion: '4.0', title: `提出権限 ${run}`, changes: [{ kind: 'DELETE', requirementId: '9.9.1', reason: '権限の確認' }] },
        SAPPORO_STAFF,
        'id',
      )
    ).proposal.id;
    const order = [...EVERYONE.filter((who) => who !== SAPPORO_APPROVER), SAPPORO_APPROVER]; // the one that succeeds last
    const results: Record<string, string> = {};
    for (const who of order) results[who] = outcome(await mutate('submitProposal', { proposalId: id }, who, 'id'));
    expect(results).toEqual({
      [ADMIN]: 'PROPOSAL_NOT_FOUND',
      [MIC]: 'PROPOSAL_NOT_FOUND',
      [HOKKAIDO]: 'PROPOSAL_NOT_FOUND',
      [SAPPORO_STAFF]: 'FORBIDDEN',
      [HINOHARA]: 'PROPOSAL_NOT_FOUND',
      [VENDOR]: 'PROPOSAL_NOT_FOUND',
      [AUDITOR]: 'PROPOSAL_NOT_FOUND',
      [SAPPORO_VIEWER]: 'FORBIDDEN',
      [OBSERVER_MEMBER]: 'PROPOSAL_NOT_FOUND',
      [DA_ADMIN_ONLY]: 'PROPOSAL_NOT_FOUND',
      [SAPPORO_APPROVER]: 'OK',
    });

    // Then rejectProposal: the owner's coordinators and admins only.
    const decideOrder = [...EVERYONE.filter((who) => who !== ADMIN), ADMIN];
    const decided: Record<string, string> = {};
    for (const who of decideOrder) decided[who] = outcome(await mutate('rejectProposal', { proposalId: id, rationale: '権限の確認' }, who, 'id'));
    expect(decided).toEqual({
      ...Object.fromEntries(EVERYONE.map((who) => [who, 'FORBIDDEN'])),
      [DA_ADMIN_ONLY]: 'OK', // decides (an admin of the owner) …
      [ADMIN]: 'PROPOSAL_ALREADY_DECIDED', // … so the coordinator, allowed too, finds it decided
    });
  });

  it('postComment, reactToComment: any role but viewer, of any kind; disposeComment: the owner’s coordinator only (an admin alone is not enough)', async () => {
    const posted: Record<string, string> = {};
    const reacted: Record<string, string> = {};
    for (const who of EVERYONE) {
      posted[who] = outcome(
        await mutate('postComment', { proposalId: lifecycle.id, anchor: { kind: 'CHANGE', changeId: 'add-2141' }, body: `権限 ${who}` }, who, 'id'),
      );
      reacted[who] = outcome(await mutate('reactToComment', { commentId: lifecycle.requirementCommentId, reaction: 'AGREE' }, who, 'id'));
    }
    const commenters = Object.fromEntries(EVERYONE.map((who) => [who, [AUDITOR, SAPPORO_VIEWER].includes(who) ? 'FORBIDDEN' : 'OK']));
    expect(posted).toEqual(commenters);
    expect(reacted).toEqual(commenters);

    const disposed: Record<string, string> = {};
    for (const who of [...EVERYONE.filter((w) => w !== ADMIN), ADMIN]) {
      disposed[who] = outcome(
        await mutate('disposeComment', { commentId: lifecycle.requirementCommentId, code: 'ANSWER_ONLY', answer: '承知しました。' }, who, 'id'),
      );
    }
    expect(disposed).toEqual({ ...Object.fromEntries(EVERYONE.map((who) => [who, 'FORBIDDEN'])), [ADMIN]: 'OK' });
  });

  it('refuses every mutation without a token as UNAUTHENTICATED (a request error, not a payload)', async () => {
    for (const [name, input] of [
      ['draftProposal', { specId: 'juminkiroku', specVersion: '4.0', title: 't', changes: [] }],
      ['submitProposal', { proposalId: lifecycle.id }],
      ['acceptProposal', { proposalId: lifecycle.id, rationale: 'x' }],
      ['postComment', { proposalId: lifecycle.id, anchor: { kind: 'CHANGE', changeId: '2_1_3' }, body: 'x' }],
      ['disposeComment', { commentId: lifecycle.topCommentId, code: 'ANSWER_ONLY', answer: 'x' }],
    ] as const) {
      const result = await gqlDataOrErrors(`mutation ($input: ${INPUT_TYPES[name]}!) { ${name}(input: $input) { errors { code } } }`, { input }, undefined);
      expect(result.errors?.map((e: any) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    }
  });
});

// ---------------------------------------------------------------------------------------------

function toSegments(served: { op: string; text: string }[]): DiffSegment[] {
  return served.map((s) => ({ op: s.op.toLowerCase() as DiffSegment['op'], text: s.text }));
}

async function gqlDataOrErrors(query: string, variables: Record<string, unknown>, who: string | undefined): Promise<{ data: any; errors: any[] | undefined }> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: any; errors: any[] | undefined };
}
