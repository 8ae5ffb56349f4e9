import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { formatPosition } from '@kyogi/event-store/port';
import type { Actor } from '@kyogi/domain/shared/decider';
import { changeTextOf, proposalBaseOf, proposalDecider, proposalVisibleTo, type ProposalState } from '@kyogi/domain/proposals/proposals.decider';
import type { ProposalCommand } from '@kyogi/domain/proposals/proposals.commands';
import { commentDecider, reactionTotals, type CommentState } from '@kyogi/domain/comments/comments.decider';
import type { CommentCommand, PostCommentData } from '@kyogi/domain/comments/comments.commands';
import { commentStreamName } from '@kyogi/domain/comments/comments.events';
import type { Decider, DomainCommand, DomainEvent } from '@kyogi/domain/shared/decider';
import { requirementOf, type SpecState } from '@kyogi/domain/specs/specs.decider';
import { Projector } from '../projector';
import type { ReadModelChange } from '../projection';
import { proposalsProjection } from '../proposals/proposals.projection';
import { COPY_MIN_ROWS } from '../records';
import { actor, DA_COORDINATOR, Deliberation, HAKODATE_MEMBER, SAPPORO_APPROVER, SAPPORO_MEMBER, VENDOR_MEMBER } from '../testing/deliberation.test-kit';
import { commentsProjection } from './comments.projection';
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

const HOKKAIDO_COORDINATOR = actor('p-hokkaido-coordinator', '010006', 'prefecture', ['coordinator']);
const SAPPORO_OTHER = actor('p-sapporo-other', '011002', 'municipality', ['member']);

// The comments projection runs first: it must not depend on the proposals read model.
beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'cmtproj');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  pool = new Pool({ connectionString: db.url, max: 4 });
  projector = new Projector({
    store,
    pool,
    projections: [commentsProjection, proposalsProjection],
    publish: (changes) => published.push(...changes.filter((c) => c.entity === 'comment')),
    log: (m) => logs.push(m),
  });
  await projector.start();
  await projector.caughtUp;
  kit = new Deliberation(store, projector);
  spec = await kit.publishJuminKiroku();
  const proposal = (command: Omit<ProposalCommand, 'metadata'>, by: Actor) => kit.execute(proposalDecider, 'P-1', command, by);
  await proposal(
    {
      type: 'DraftProposal',
      data: {
        proposalId: 'P-1',
        specId: 'juminkiroku',
        version: '4.0',
        title: '旧氏の明記',
        changes: [
          {
            changeId: 'c-213',
            kind: 'modify',
            requirementId: '2.1.3',
            after: '住民票の写しを交付できること。\n旧氏の記載の有無を選択できること。',
            reason: '旧氏の併記に対応するため',
          },
        ],
        base: proposalBaseOf(spec, '4.0'),
      },
    },
    SAPPORO_MEMBER,
  );
});

afterAll(async () => {
  await projector?.stop();
  await pool?.end();
  await store?.close();
  await db?.drop();
});

const proposalState = async () => (await kit.state(proposalDecider as unknown as Decider<ProposalState, DomainCommand, DomainEvent>, 'P-1')).state;
const commentState = async (id: string) => (await kit.state(commentDecider as unknown as Decider<CommentState, DomainCommand, DomainEvent>, id)).state;
const run = (commentId: string, command: Omit<CommentCommand, 'metadata'>, by: Actor) => kit.execute(commentDecider, commentId, command, by);

/** PostComment with its lookups filled as the API fills them (here from the decider states). */
async function post(by: Actor, data: Partial<PostCommentData> & Pick<PostCommentData, 'commentId' | 'body'>) {
  const proposal = await proposalState();
  const proposalId = data.proposalId === undefined ? 'P-1' : data.proposalId;
  const anchor = data.anchor ?? { kind: 'change', changeId: 'c-213' };
  const parent = data.parentCommentId ? await commentState(data.parentCommentId) : null;
  const anchoredText = anchor.kind === 'change' ? changeTextOf(proposal, anchor.changeId) : (requirementOf(spec, '4.0', anchor.requirementId)?.text ?? null);
  return run(
    data.commentId,
    {
      type: 'PostComment',
      data: {
        proposalId,
        specId: 'juminkiroku',
        version: '4.0',
        anchor,
        quote: null,
        parentCommentId: null,
        anchoredText,
        parent:
          parent && parent.status !== 'unposted'
            ? { specId: parent.specId, version: parent.version, proposalId: parent.proposalId, anchor: parent.anchor }
            : null,
        proposalVisibleToActor: proposalVisibleTo(proposal, by),
        ...data,
      },
    },
    by,
  );
}

async function comment(id: string) {
  const { rows } = await pool.query(
    `SELECT comment_id, proposal_id, spec_id, version, anchor_kind, anchor_change_id, anchor_requirement_id, quote_start, quote_end, quote_text,
            parent_comment_id, thread_id, body, edition, author_person_id, author_organisation_id, status, retraction_reason, retracted_at,
            disposition, disposition_answer, disposition_revision, disposed_at, agree_count, disagree_count,
            proposal_author_organisation_id, proposal_public, posted_at, updated_at, posted_position, stream_version::text AS stream_version, position
       FROM read_models.comments WHERE comment_id = $1`,
    [id],
  );
  return rows[0];
}

const draftScope = { proposalId: 'P-1', specId: 'juminkiroku', authorOrganisationId: '011002', public: 'false' };
const publicScope = { ...draftScope, public: 'true' };

describe('commentsProjection driven by commentDecider events', () => {
  it('posts on a draft: the comment with its anchor and verified quote, edition 1, private like the draft', async () => {
    published.length = 0;
    const quote = { start: 16, end: 18, text: '旧氏' };
    const posted = await post(SAPPORO_MEMBER, { commentId: 'C-1', body: '旧氏の「ふりがな」も含めるべきでは。', quote });
    const position = formatPosition(posted.position);
    expect(await comment('C-1')).toEqual({
      comment_id: 'C-1',
      proposal_id: 'P-1',
      spec_id: 'juminkiroku',
      version: '4.0',
      anchor_kind: 'change',
      anchor_change_id: 'c-213',
      anchor_requirement_id: null,
      quote_start: 16,
      quote_end: 18,
      quote_text: '旧氏',
      parent_comment_id: null,
      thread_id: 'C-1',
      body: '旧氏の「ふりがな」も含めるべきでは。',
      edition: 1,
      author_person_id: 'p-sapporo-member',
      author_organisation_id: '011002',
      status: 'posted',
      retraction_reason: null,
      retracted_at: null,
      disposition: null,
      disposition_answer: null,
      disposition_revision: null,
      disposed_at: null,
      agree_count: 0,
      disagree_count: 0,
      proposal_author_organisation_id: '011002',
      proposal_public: false,
      posted_at: posted.now,
      updated_at: posted.now,
      posted_position: position,
      stream_version: '0',
      position,
    });
    // Edition 1 is the comment row itself until the first edit: no edition row.
    const { rows } = await pool.query('SELECT edition FROM read_models.comment_editions WHERE comment_id = $1', ['C-1']);
    expect(rows).toEqual([]);
    expect(published).toEqual([{ entity: 'comment', id: 'C-1', change: 'CommentPosted', position, scope: draftScope }]);
  });

  it('threads replies under the top comment, replies to replies too', async () => {
    await post(SAPPORO_OTHER, { commentId: 'C-2', body: '賛成です。', parentCommentId: 'C-1' });
    await post(SAPPORO_MEMBER, { commentId: 'C-3', body: 'ありがとうございます。', parentCommentId: 'C-2' });
    expect(await comment('C-2')).toMatchObject({ parent_comment_id: 'C-1', thread_id: 'C-1', proposal_public: false });
    expect(await comment('C-3')).toMatchObject({ parent_comment_id: 'C-2', thread_id: 'C-1' });
  });

  it("makes the draft's comments public when the proposal is submitted; later changes say so", async () => {
    published.length = 0;
    await kit.execute(proposalDecider, 'P-1', { type: 'SubmitProposal', data: { proposalId: 'P-1' } }, SAPPORO_APPROVER);
    for (const id of ['C-1', 'C-2', 'C-3']) expect(await comment(id)).toMatchObject({ proposal_public: true });
    expect(published).toEqual([]); // a submission is a proposal change, not a comment change

    const posted = await post(HAKODATE_MEMBER, { commentId: 'C-4', body: '函館市も同意見です。' });
    expect(await comment('C-4')).toMatchObject({ author_organisation_id: '012025', proposal_author_organisation_id: '011002', proposal_public: true });
    expect(published).toEqual([{ entity: 'comment', id: 'C-4', change: 'CommentPosted', position: formatPosition(posted.position), scope: publicScope }]);
  });

  it('keeps every edition; the comment shows the latest', async () => {
    published.length = 0;
    const edited = await run('C-1', { type: 'EditComment', data: { commentId: 'C-1', body: '旧氏のふりがなも記載事項に含めるべきです。' } }, SAPPORO_MEMBER);
    const again = await run(
      'C-1',
      { type: 'EditComment', data: { commentId: 'C-1', body: '旧氏（ふりがなを含む）の記載を選択できるべきです。' } },
      SAPPORO_MEMBER,
    );
    expect(await comment('C-1')).toMatchObject({
      body: '旧氏（ふりがなを含む）の記載を選択できるべきです。',
      edition: 3,
      updated_at: again.now,
      stream_version: '2',
      position: formatPosition(again.position),
    });
    const { rows } = await pool.query('SELECT edition, body, edited_at FROM read_models.comment_editions WHERE comment_id = $1 ORDER BY edition', ['C-1']);
    expect(rows.map((r) => [r.edition, r.body])).toEqual([
      [1, '旧氏の「ふりがな」も含めるべきでは。'],
      [2, '旧氏のふりがなも記載事項に含めるべきです。'],
      [3, '旧氏（ふりがなを含む）の記載を選択できるべきです。'],
    ]);
    expect(rows[1].edited_at).toEqual(edited.now);
    // Edition 1, stored at the first edit, is the comment as posted.
    const original = await pool.query('SELECT posted_at, posted_position FROM read_models.comments WHERE comment_id = $1', ['C-1']);
    const first = await pool.query('SELECT edited_at, position FROM read_models.comment_editions WHERE comment_id = $1 AND edition = 1', ['C-1']);
    expect(first.rows).toEqual([{ edited_at: original.rows[0].posted_at, position: original.rows[0].posted_position }]);
    expect(published.map((c) => [c.id, c.change, c.scope.public])).toEqual([
      ['C-1', 'CommentEdited', 'true'],
      ['C-1', 'CommentEdited', 'true'],
    ]);
  });

  it('keeps every disposition; the comment shows the current one', async () => {
    const dispose = (disposition: '今後検討' | '修正して対応', answer: string) =>
      run(
        'C-1',
        { type: 'DisposeComment', data: { commentId: 'C-1', disposition, answer, specOwnerOrganisationId: 'digital-agency', proposalVisibleToActor: true } },
        DA_COORDINATOR,
      );
    const first = await dispose('今後検討', '次期改定で検討します。');
    const second = await dispose('修正して対応', '第4.1版で旧氏のふりがなを追加します。');
    expect(await comment('C-1')).toMatchObject({
      status: 'disposed',
      disposition: '修正して対応',
      disposition_answer: '第4.1版で旧氏のふりがなを追加します。',
      disposition_revision: 2,
      disposed_at: second.now,
    });
    const { rows } = await pool.query(
      `SELECT revision, disposition, answer, disposed_by_person_id, disposed_by_organisation_id, disposed_at
         FROM read_models.comment_dispositions WHERE comment_id = $1 ORDER BY revision`,
      ['C-1'],
    );
    expect(rows).toEqual([
      {
        revision: 1,
        disposition: '今後検討',
        answer: '次期改定で検討します。',
        disposed_by_person_id: 'p-da-coordinator',
        disposed_by_organisation_id: 'digital-agency',
        disposed_at: first.now,
      },
      {
        revision: 2,
        disposition: '修正して対応',
        answer: '第4.1版で旧氏のふりがなを追加します。',
        disposed_by_person_id: 'p-da-coordinator',
        disposed_by_organisation_id: 'digital-agency',
        disposed_at: second.now,
      },
    ]);
  });

  it('counts each person once with their latest reaction, per organisation as the decider does; a cleared reaction leaves no row', async () => {
    const react = (by: Actor, reaction: 'agree' | 'disagree' | null) =>
      run('C-1', { type: 'ReactToComment', data: { commentId: 'C-1', reaction, proposalVisibleToActor: true } }, by);
    await react(SAPPORO_OTHER, 'agree');
    await react(HAKODATE_MEMBER, 'disagree');
    await react(HAKODATE_MEMBER, 'agree'); // changes their mind
    await react(VENDOR_MEMBER, 'disagree');
    await react(HOKKAIDO_COORDINATOR, 'agree');
    await react(HOKKAIDO_COORDINATOR, null); // clears

    expect(await comment('C-1')).toMatchObject({ agree_count: 2, disagree_count: 1 });
    const { rows } = await pool.query(
      `SELECT organisation_id, count(*) FILTER (WHERE reaction = 'agree')::int AS agree, count(*) FILTER (WHERE reaction = 'disagree')::int AS disagree
         FROM read_models.comment_reactions WHERE comment_id = $1 GROUP BY organisation_id ORDER BY organisation_id`,
      ['C-1'],
    );
    expect(rows).toEqual([
      { organisation_id: '011002', agree: 1, disagree: 0 },
      { organisation_id: '012025', agree: 1, disagree: 0 },
      { organisation_id: 'vendor-example', agree: 0, disagree: 1 },
    ]);
    // The same totals as the decider's own count.
    const byOrganisation = rows.map(({ organisation_id, agree, disagree }) => ({ organisationId: organisation_id, agree, disagree }));
    expect({ agree: 2, disagree: 1, byOrganisation }).toEqual(reactionTotals(await commentState('C-1')));
  });

  it('retracts: the comment stays, marked, with the reason', async () => {
    const retracted = await run('C-4', { type: 'RetractComment', data: { commentId: 'C-4', reason: '誤投稿のため' } }, HAKODATE_MEMBER);
    expect(await comment('C-4')).toMatchObject({
      status: 'retracted',
      retraction_reason: '誤投稿のため',
      retracted_at: retracted.now,
      body: '函館市も同意見です。',
    });
  });

  it('posts on a requirement of the version itself: public, with no proposal and no proposal author', async () => {
    published.length = 0;
    const posted = await post(VENDOR_MEMBER, {
      commentId: 'C-5',
      proposalId: null,
      anchor: { kind: 'requirement', requirementId: '2.1.5' },
      quote: { start: 0, end: 9, text: 'マイナンバーカード' },
      body: 'コンビニ交付の対象証明書を列挙すべきです。',
    });
    expect(await comment('C-5')).toMatchObject({
      proposal_id: null,
      anchor_kind: 'requirement',
      anchor_requirement_id: '2.1.5',
      anchor_change_id: null,
      quote_text: 'マイナンバーカード',
      proposal_author_organisation_id: null,
      proposal_public: true,
    });
    expect(published).toEqual([
      {
        entity: 'comment',
        id: 'C-5',
        change: 'CommentPosted',
        position: formatPosition(posted.position),
        scope: { proposalId: null, specId: 'juminkiroku', authorOrganisationId: null, public: 'true' },
      },
    ]);
  });

  it('has, for every comment, the stream version and position of its last event; nothing logged as an error', async () => {
    for (const id of ['C-1', 'C-2', 'C-3', 'C-4', 'C-5']) {
      const [last] = await store.readStream(commentStreamName(id), { direction: 'backwards', maxCount: 1 });
      expect(await comment(id)).toMatchObject({ stream_version: last.revision.toString(), position: formatPosition(last.position) });
    }
    expect(logs).toEqual([]);
  });

  it('keeps any text of a comment as posted, one by one live and in bulk in a rebuild (tabs, newlines, backslashes, Japanese)', async () => {
    // Enough comments, each with a reaction, that the rebuild below writes them with COPY (COPY_MIN_ROWS), unlike these live commits.
    const ids = Array.from({ length: COPY_MIN_ROWS + 20 }, (_, i) => `C-bulk-${i}`);
    const body = (i: number) => `意見 ${i}\t列\n改行 \\N \\ \\t "引用" ${'\n'.repeat(i % 3)}末尾`;
    for (const [i, commentId] of ids.entries()) {
      await post(i % 2 ? SAPPORO_OTHER : HAKODATE_MEMBER, { commentId, body: body(i) });
      await run(
        commentId,
        { type: 'ReactToComment', data: { commentId, reaction: i % 2 ? 'agree' : 'disagree', proposalVisibleToActor: true } },
        SAPPORO_MEMBER,
      );
    }
    const { rows } = await pool.query<{ comment_id: string; body: string; agree_count: number; disagree_count: number }>(
      `SELECT comment_id, body, agree_count, disagree_count FROM read_models.comments WHERE comment_id LIKE 'C-bulk-%' ORDER BY posted_position`,
    );
    expect(rows).toEqual(ids.map((comment_id, i) => ({ comment_id, body: body(i), agree_count: i % 2, disagree_count: 1 - (i % 2) })));
  });

  it('rebuilds alone (the proposals read model untouched) to the same rows', async () => {
    const tables = ['comment_proposals', 'comments', 'comment_editions', 'comment_dispositions', 'comment_reactions'];
    const snapshot = async () => Promise.all(tables.map(async (t) => (await pool.query(`SELECT * FROM read_models.${t} ORDER BY 1, 2`)).rows));
    const before = await snapshot();
    await projector.stop();
    await pool.query(`DROP TABLE ${commentsProjection.tables.join(', ')}`);
    await pool.query(`DELETE FROM read_models.checkpoints WHERE projection = 'comments'`);
    projector = new Projector({ store, pool, projections: [commentsProjection, proposalsProjection], log: (m) => logs.push(m) });
    await projector.start();
    await projector.caughtUp;
    expect(await snapshot()).toEqual(before);
    // No failure: the one line says the deferred foreign key of the reactions was added back at the end.
    expect(logs).toEqual([expect.stringMatching(/^read models rebuilt from the start: their deferred indexes and constraints built in \d+ ms$/)]);
    const { rows } = await pool.query<{ conname: string }>(
      `SELECT conname FROM pg_constraint WHERE conrelid = 'read_models.comment_reactions'::regclass AND contype = 'f'`,
    );
    expect(rows).toEqual([{ conname: 'comment_reactions_comment_id_fkey' }]);
  });
});
