import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { formatPosition } from '@kyogi/event-store/port';
import { proposalBaseOf, proposalDecider } from '@kyogi/domain/proposals/proposals.decider';
import type { ProposalCommand, ProposalChangeInput } from '@kyogi/domain/proposals/proposals.commands';
import { proposalStreamName } from '@kyogi/domain/proposals/proposals.events';
import type { SpecState } from '@kyogi/domain/specs/specs.decider';
import { Projector } from '../projector';
import type { ReadModelChange } from '../projection';
import { proposalsProjection } from './proposals.projection';
import {
  DA_COORDINATOR,
  Deliberation,
  HAKODATE_APPROVER,
  HAKODATE_MEMBER,
  SAPPORO_APPROVER,
  SAPPORO_MEMBER,
  VENDOR_MEMBER,
} from '../testing/deliberation.test-kit';
import { createTestDatabase, embeddedServerUrl } from '../../../../test/support/databases';

jest.setTimeout(30_000);

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
let pool: Pool;
let projector: Projector;
let kit: Deliberation;
let spec: SpecState;
const published: ReadModelChange[] = [];
const logs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'propproj');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  pool = new Pool({ connectionString: db.url, max: 4 });
  projector = new Projector({ store, pool, projections: [proposalsProjection], publish: (changes) => published.push(...changes), log: (m) => logs.push(m) });
  await projector.start();
  await projector.caughtUp;
  kit = new Deliberation(store, projector);
  spec = await kit.publishJuminKiroku();
});

afterAll(async () => {
  await projector?.stop();
  await pool?.end();
  await store?.close();
  await db?.drop();
});

const BEFORE_213 =
  '住民票の写し（世帯全員、世帯の一部）を交付できること。\n本籍・筆頭者、続柄、住民票コード等の記載の有無を「省略」「記載」から選択できること。';
const modify213: ProposalChangeInput = {
  changeId: 'c-213',
  kind: 'modify',
  requirementId: '2.1.3',
  after: '住民票の写し（世帯全員、世帯の一部）を交付できること。\n本籍・筆頭者、続柄、住民票コード、旧氏等の記載の有無を「省略」「記載」から選択できること。',
  reason: '旧氏の記載の有無も選択できる必要があるため',
};
const delete991: ProposalChangeInput = {
  changeId: 'c-991',
  kind: 'delete',
  requirementId: '9.9.1',
  after: null,
  reason: '独自帳票の禁止は別途通知で定めるため',
};
const add214_1: ProposalChangeInput = {
  changeId: 'c-add',
  kind: 'add',
  requirementId: '2.1.4.1',
  after: '証明書の交付履歴を照会できること。',
  reason: '監査に対応するため',
};

const run = (proposalId: string, command: Omit<ProposalCommand, 'metadata'>, by = SAPPORO_MEMBER) => kit.execute(proposalDecider, proposalId, command, by);
const draft = (proposalId: string, changes: ProposalChangeInput[], by = SAPPORO_MEMBER, title = 'コンビニ交付と旧氏の明記') =>
  run(
    proposalId,
    { type: 'DraftProposal', data: { proposalId, specId: 'juminkiroku', version: '4.0', title, changes, base: proposalBaseOf(spec, '4.0') } },
    by,
  );

async function proposal(id: string) {
  const { rows } = await pool.query(
    `SELECT proposal_id, spec_id, version, title, status, author_person_id, author_organisation_id, current_revision, ever_submitted,
            submitted_revision, submitted_by_person_id, submitted_at, withdrawal_reason, withdrawn_by_person_id, withdrawn_at,
            decision, decision_rationale, decided_revision, decided_by_person_id, decided_at, incorporated_version, incorporated_at,
            search_text, drafted_at, updated_at, drafted_position, stream_version::text AS stream_version, position
       FROM read_models.proposals WHERE proposal_id = $1`,
    [id],
  );
  return rows[0];
}

async function revisions(id: string) {
  const { rows } = await pool.query(
    'SELECT revision, title, changes, revised_by_person_id, revised_at, position FROM read_models.proposal_revisions WHERE proposal_id = $1 ORDER BY revision',
    [id],
  );
  return rows;
}

const scope = (authorOrganisationId: string, isPublic: boolean) => ({ specId: 'juminkiroku', authorOrganisationId, public: isPublic ? 'true' : 'false' });

describe('proposalsProjection driven by proposalDecider events', () => {
  let draftedAt: Date;
  let draftedPosition: string;

  it('drafts: one private row at revision 1, the revision with before texts from the base, a change only the author organisation may see', async () => {
    published.length = 0;
    const drafted = await draft('P-1', [modify213, delete991]);
    draftedAt = drafted.now;
    draftedPosition = formatPosition(drafted.position);

    expect(await proposal('P-1')).toEqual({
      proposal_id: 'P-1',
      spec_id: 'juminkiroku',
      version: '4.0',
      title: 'コンビニ交付と旧氏の明記',
      status: 'drafted',
      author_person_id: 'p-sapporo-member',
      author_organisation_id: '011002',
      current_revision: 1,
      ever_submitted: false,
      submitted_revision: null,
      submitted_by_person_id: null,
      submitted_at: null,
      withdrawal_reason: null,
      withdrawn_by_person_id: null,
      withdrawn_at: null,
      decision: null,
      decision_rationale: null,
      decided_revision: null,
      decided_by_person_id: null,
      decided_at: null,
      incorporated_version: null,
      incorporated_at: null,
      search_text: [
        'コンビニ交付と旧氏の明記',
        '2.1.3',
        '住民票の写しの交付',
        modify213.after,
        modify213.reason,
        '9.9.1',
        '独自帳票の出力',
        delete991.reason,
      ].join('\n'),
      drafted_at: drafted.now,
      updated_at: drafted.now,
      drafted_position: draftedPosition,
      stream_version: '0',
      position: draftedPosition,
    });
    expect(await revisions('P-1')).toEqual([
      {
        revision: 1,
        title: 'コンビニ交付と旧氏の明記',
        changes: [
          { ...modify213, requirementTitle: '住民票の写しの交付', before: BEFORE_213 },
          { ...delete991, requirementTitle: '独自帳票の出力', before: '標準仕様書に定める帳票以外の独自の帳票を出力する機能は、実装しないこと。' },
        ],
        revised_by_person_id: 'p-sapporo-member',
        revised_at: drafted.now,
        position: draftedPosition,
      },
    ]);
    expect(published).toEqual([{ entity: 'proposal', id: 'P-1', change: 'ProposalDrafted', position: draftedPosition, scope: scope('011002', false) }]);
  });

  it('revises: a second revision row, the first kept; title, current revision and search text follow the new revision', async () => {
    published.length = 0;
    const revised = await run('P-1', {
      type: 'ReviseProposal',
      data: { proposalId: 'P-1', title: 'コンビニ交付と旧氏の明記（第2版）', changes: [modify213, add214_1], base: proposalBaseOf(spec, '4.0') },
    });

    const row = await proposal('P-1');
    expect(row).toMatchObject({
      status: 'drafted',
      title: 'コンビニ交付と旧氏の明記（第2版）',
      current_revision: 2,
      ever_submitted: false,
      drafted_at: draftedAt,
      drafted_position: draftedPosition,
      updated_at: revised.now,
      stream_version: '1',
      position: formatPosition(revised.position),
    });
    expect(row.search_text).toContain('証明書の交付履歴を照会できること。');
    expect(row.search_text).not.toContain(delete991.reason);
    const all = await revisions('P-1');
    expect(all.map((r) => [r.revision, r.title, r.changes.map((c: { changeId: string }) => c.changeId)])).toEqual([
      [1, 'コンビニ交付と旧氏の明記', ['c-213', 'c-991']],
      [2, 'コンビニ交付と旧氏の明記（第2版）', ['c-213', 'c-add']],
    ]);
    expect(all[1].changes[1]).toEqual({ ...add214_1, requirementTitle: null, before: null });
    expect(published).toEqual([
      { entity: 'proposal', id: 'P-1', change: 'ProposalRevised', position: formatPosition(revised.position), scope: scope('011002', false) },
    ]);
  });

  it('submits: public from now on, with the revision submitted and who submitted it', async () => {
    published.length = 0;
    const submitted = await run('P-1', { type: 'SubmitProposal', data: { proposalId: 'P-1' } }, SAPPORO_APPROVER);
    expect(await proposal('P-1')).toMatchObject({
      status: 'submitted',
      ever_submitted: true,
      submitted_revision: 2,
      submitted_by_person_id: 'p-sapporo-approver',
      submitted_at: submitted.now,
      stream_version: '2',
    });
    expect(published).toEqual([
      { entity: 'proposal', id: 'P-1', change: 'ProposalSubmitted', position: formatPosition(submitted.position), scope: scope('011002', true) },
    ]);
  });

  it("accepts (the spec owner's coordinator) and marks incorporated: decision, rationale and revision kept through incorporation", async () => {
    published.length = 0;
    const accepted = await run(
      'P-1',
      {
        type: 'AcceptProposal',
        data: { proposalId: 'P-1', revision: 2, rationale: '旧氏の併記は法定事項のため', specOwnerOrganisationId: 'digital-agency', ladder: null },
      },
      DA_COORDINATOR,
    );
    expect(await proposal('P-1')).toMatchObject({
      status: 'accepted',
      decision: 'accepted',
      decision_rationale: '旧氏の併記は法定事項のため',
      decided_revision: 2,
      decided_by_person_id: 'p-da-coordinator',
      decided_at: accepted.now,
    });
    const incorporated = await run(
      'P-1',
      {
        type: 'MarkProposalIncorporated',
        data: { proposalId: 'P-1', specId: 'juminkiroku', version: '4.1', specOwnerOrganisationId: 'digital-agency', ladder: null },
      },
      DA_COORDINATOR,
    );
    expect(await proposal('P-1')).toMatchObject({
      status: 'incorporated',
      decision: 'accepted',
      decided_revision: 2,
      incorporated_version: '4.1',
      incorporated_at: incorporated.now,
      ever_submitted: true,
      stream_version: '4',
      position: formatPosition(incorporated.position),
    });
    expect(published.map((c) => [c.change, c.scope.public])).toEqual([
      ['ProposalAccepted', 'true'],
      ['ProposalIncorporated', 'true'],
    ]);
  });

  it('keeps a draft withdrawn before submission private, a submitted one public after withdrawal; records rejections', async () => {
    published.length = 0;
    await draft('P-2', [delete991], HAKODATE_MEMBER, '独自帳票の削除');
    const withdrawn = await run('P-2', { type: 'WithdrawProposal', data: { proposalId: 'P-2', reason: '  取り下げます  ' } }, HAKODATE_MEMBER);
    expect(await proposal('P-2')).toMatchObject({
      status: 'withdrawn',
      ever_submitted: false,
      withdrawal_reason: '取り下げます',
      withdrawn_by_person_id: 'p-hakodate-member',
      withdrawn_at: withdrawn.now,
      author_organisation_id: '012025',
    });

    await draft('P-3', [modify213], HAKODATE_MEMBER, '旧氏');
    await run('P-3', { type: 'SubmitProposal', data: { proposalId: 'P-3' } }, HAKODATE_APPROVER);
    await run('P-3', { type: 'WithdrawProposal', data: { proposalId: 'P-3', reason: '他団体の提案に統合' } }, HAKODATE_APPROVER);
    expect(await proposal('P-3')).toMatchObject({ status: 'withdrawn', ever_submitted: true, submitted_revision: 1 });

    await draft('P-4', [add214_1], VENDOR_MEMBER, '交付履歴');
    await run('P-4', { type: 'SubmitProposal', data: { proposalId: 'P-4' } }, { ...VENDOR_MEMBER, roles: ['approver'] });
    const rejected = await run(
      'P-4',
      { type: 'RejectProposal', data: { proposalId: 'P-4', revision: 1, rationale: '対象外', specOwnerOrganisationId: 'digital-agency', ladder: null } },
      DA_COORDINATOR,
    );
    expect(await proposal('P-4')).toMatchObject({ status: 'rejected', decision: 'rejected', decided_revision: 1, decided_at: rejected.now });

    expect(published.map((c) => [c.id, c.change, c.scope.authorOrganisationId, c.scope.public])).toEqual([
      ['P-2', 'ProposalDrafted', '012025', 'false'],
      ['P-2', 'ProposalWithdrawn', '012025', 'false'],
      ['P-3', 'ProposalDrafted', '012025', 'false'],
      ['P-3', 'ProposalSubmitted', '012025', 'true'],
      ['P-3', 'ProposalWithdrawn', '012025', 'true'],
      ['P-4', 'ProposalDrafted', 'vendor-example', 'false'],
      ['P-4', 'ProposalSubmitted', 'vendor-example', 'true'],
      ['P-4', 'ProposalRejected', 'vendor-example', 'true'],
    ]);
  });

  it('has, for every proposal, the stream version and position of its last event, one revision row per revision, and the drafted order', async () => {
    for (const id of ['P-1', 'P-2', 'P-3', 'P-4']) {
      const [last] = await store.readStream(proposalStreamName(id), { direction: 'backwards', maxCount: 1 });
      const row = await proposal(id);
      expect(row).toMatchObject({ stream_version: last.revision.toString(), position: formatPosition(last.position) });
      expect((await revisions(id)).map((r) => r.revision)).toEqual(Array.from({ length: row.current_revision }, (_, i) => i + 1));
    }
    const { rows } = await pool.query('SELECT proposal_id FROM read_models.proposals ORDER BY drafted_position');
    expect(rows.map((r) => r.proposal_id)).toEqual(['P-1', 'P-2', 'P-3', 'P-4']);
    expect(logs).toEqual([]);
  });

  it('rebuilds to the same rows from the log', async () => {
    const snapshot = async () => [
      (await pool.query('SELECT * FROM read_models.proposals ORDER BY proposal_id')).rows,
      (await pool.query('SELECT * FROM read_models.proposal_revisions ORDER BY proposal_id, revision')).rows,
    ];
    const before = await snapshot();
    await projector.stop();
    await pool.query('DROP TABLE read_models.proposal_revisions, read_models.proposals');
    await pool.query(`DELETE FROM read_models.checkpoints WHERE projection = 'proposals'`);
    projector = new Projector({ store, pool, projections: [proposalsProjection], log: (m) => logs.push(m) });
    await projector.start();
    await projector.caughtUp;
    expect(await snapshot()).toEqual(before);
  });
});
