import * as ExcelJS from 'exceljs';
import { commentDecider, type CommentState } from '@kyogi/domain/comments/comments.decider';
import type { CommentAnchor } from '@kyogi/domain/comments/comments.events';
import { isDomainError, type Actor } from '@kyogi/domain/shared/decider';
import { MATRIX_SHEET } from '../matrix-columns';
import { CHANGES, comment, disposition, LABELS, PROPOSAL, REQUIREMENTS, REVISION_1 } from '../matrix-fixtures';
import { matrixRows } from '../export-matrix/matrix-rows';
import { MATRIX_HEADER_ROW, matrixWorkbookBytes, type MatrixWorkbookData } from '../export-matrix/matrix-workbook';
import { parseMatrix, type ParsedMatrix } from '../import-matrix/matrix-parse';
import { dispositionCommandId, dispositionOfCell, planDispositions, type DispositionFacts } from './matrix-dispositions';

const SECRETARIAT: Actor = { personId: 'p-da', organisationId: 'digital-agency', organisationKind: 'national', roles: ['coordinator'] };

// Three threads of the proposal as exported: 札幌市's (unanswered), 檜原村's (answered 回答のみ before), 札幌市's on 1.1.1 (unanswered).
const sapporo = comment({ body: '【修文案】\n旧氏（ふりがな）等\n\n【理由】\n記載の要望が多いため。' });
const hinohara = comment({ body: '檜原村の意見です。', authorOrganisationId: '133078', disposition: disposition('回答のみ', 'ご意見として承ります。') });
const onRequirement = comment({ anchor: { kind: 'REQUIREMENT', changeId: null, requirementId: '1.1.1' }, body: '1.1.1 への意見。' });

const exported: MatrixWorkbookData = {
  spec: { specId: 'juminkiroku', title: '住民記録システム標準仕様書', version: '4.0' },
  proposal: { proposalId: PROPOSAL.proposalId, title: PROPOSAL.title, revision: 2 },
  exportedAt: new Date('2025-04-03T01:00:00Z'),
  changes: CHANGES,
  rows: matrixRows([sapporo, hinohara, onRequirement], {
    revisions: [REVISION_1, CHANGES],
    requirements: REQUIREMENTS,
    organisationLabel: (id) => LABELS[id] ?? id,
  }),
};

/** A comment's state as its stream folds it: posted, and disposed `answered` if given. */
function state(
  commentId: string,
  overrides: {
    proposalId?: string | null;
    anchor?: CommentAnchor;
    answered?: { disposition: '回答のみ' | '対応する'; answer: string; revision: number };
    retracted?: boolean;
  } = {},
): CommentState {
  const facts = {
    commentId,
    proposalId: overrides.proposalId === undefined ? PROPOSAL.proposalId : overrides.proposalId,
    specId: PROPOSAL.specId,
    version: PROPOSAL.version,
    anchor: overrides.anchor ?? ({ kind: 'change', changeId: 'C-213' } as CommentAnchor),
    parentCommentId: null,
    authorPersonId: 'p-1',
    authorOrganisationId: '011002',
    body: 'ご意見',
    edition: 1,
    reactions: new Map(),
  };
  if (overrides.retracted) return { ...facts, status: 'retracted', disposition: overrides.answered ?? null };
  return overrides.answered ? { ...facts, status: 'disposed', disposition: overrides.answered } : { ...facts, status: 'posted' };
}

const STATES = new Map<string, CommentState>([
  [sapporo.id, state(sapporo.id)],
  [hinohara.id, state(hinohara.id, { answered: { disposition: '回答のみ', answer: 'ご意見として承ります。', revision: 1 } })],
  [onRequirement.id, state(onRequirement.id, { anchor: { kind: 'requirement', requirementId: '1.1.1' } })],
]);

const facts = (overrides: Partial<DispositionFacts> = {}): DispositionFacts => ({
  actor: SECRETARIAT,
  now: new Date('2025-04-05T00:00:00Z'),
  proposalId: PROPOSAL.proposalId,
  specOwnerOrganisationId: 'digital-agency',
  comments: STATES,
  ...overrides,
});

type Answer = { no?: ExcelJS.CellValue; disposition?: ExcelJS.CellValue; answer?: ExcelJS.CellValue; commentId?: ExcelJS.CellValue };
const COLUMN = { no: 1, disposition: 8, answer: 9, commentId: 11 } as const;

/** The exported matrix with the secretariat's answers written into rows 6, 7, 8 (the exported threads, in order), and extra rows below. */
async function answered(answers: Record<number, Answer>, extra: (Answer & { item?: string; reason?: string })[] = []): Promise<ParsedMatrix> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await matrixWorkbookBytes(exported)) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet(MATRIX_SHEET)!;
  for (const [row, cells] of Object.entries(answers))
    for (const [key, value] of Object.entries(cells)) sheet.getCell(Number(row), COLUMN[key as keyof typeof COLUMN]).value = value ?? null;
  extra.forEach((cells, i) => {
    const r = MATRIX_HEADER_ROW + exported.rows.length + 1 + i;
    for (const [key, value] of Object.entries(cells))
      sheet.getCell(r, key === 'item' ? 2 : key === 'reason' ? 6 : COLUMN[key as keyof typeof COLUMN]).value = value ?? null;
  });
  const outcome = await parseMatrix(Buffer.from(await workbook.xlsx.writeBuffer()));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.matrix;
}

describe('the exported matrix answered by the secretariat', () => {
  it('exports the comment ids in the rows the answers go into', () => {
    expect(exported.rows.map((r) => [r.commentId, r.disposition, r.answer])).toEqual([
      [sapporo.id, null, null],
      [hinohara.id, '回答のみ', 'ご意見として承ります。'],
      [onRequirement.id, null, null],
    ]);
  });

  it('plans a new disposition, a revised one, and leaves the unanswered row alone', async () => {
    const matrix = await answered({
      6: { disposition: '修正して対応', answer: '旧氏のふりがなを記載できるよう修正します。\n（第4.1版で対応）' },
      7: { disposition: '今後検討', answer: '次期改定で検討します。' },
    });
    const plan = planDispositions(matrix, facts());
    expect(plan.problems).toEqual([]);
    expect(plan.unanswered).toEqual([{ row: 8, commentId: onRequirement.id }]);
    expect(
      plan.rows.map(({ row, no, commentId, disposition, answer, previous, change }) => ({ row, no, commentId, disposition, answer, previous, change })),
    ).toEqual([
      {
        row: 6,
        no: '1',
        commentId: sapporo.id,
        disposition: '修正して対応',
        answer: '旧氏のふりがなを記載できるよう修正します。\n（第4.1版で対応）',
        previous: null,
        change: 'new',
      },
      {
        row: 7,
        no: '2',
        commentId: hinohara.id,
        disposition: '今後検討',
        answer: '次期改定で検討します。',
        previous: { disposition: '回答のみ', answer: 'ご意見として承ります。', revision: 1 },
        change: 'revised',
      },
    ]);
    // Each command is one the comment decider records, as the secretariat.
    for (const row of plan.rows) {
      const events = commentDecider.decide(row.command, STATES.get(row.commentId)!);
      expect(isDomainError(events) ? events.code : events.map((e) => [e.type, e.data])).toEqual([
        ['CommentDisposed', { commentId: row.commentId, disposition: row.disposition, answer: row.answer, revision: (row.previous?.revision ?? 0) + 1 }],
      ]);
      expect(row.command.metadata.actor).toBe(SECRETARIAT);
    }
  });

  it('is idempotent: the exported answers as they are, or a file imported once, change nothing', async () => {
    // The matrix as exported: 檜原村's row carries its current answer.
    const asExported = planDispositions(await answered({}), facts());
    expect(asExported.problems).toEqual([]);
    expect(asExported.rows.map((r) => [r.row, r.change])).toEqual([[7, 'unchanged']]);

    const matrix = await answered({ 6: { disposition: '対応する', answer: '修正します。' } });
    const first = planDispositions(matrix, facts());
    expect(first.rows.map((r) => [r.row, r.change])).toEqual([
      [6, 'new'],
      [7, 'unchanged'],
    ]);
    // Fold what the first import records into the comments' states, then plan the same file again.
    const after = new Map(STATES);
    for (const row of first.rows) {
      const events = commentDecider.decide(row.command, after.get(row.commentId)!);
      if (isDomainError(events)) throw new Error(events.message);
      after.set(row.commentId, events.reduce(commentDecider.evolve, after.get(row.commentId)!));
    }
    const again = planDispositions(matrix, facts({ comments: after }));
    expect(again.problems).toEqual([]);
    expect(again.rows.map((r) => [r.row, r.change])).toEqual([
      [6, 'unchanged'],
      [7, 'unchanged'],
    ]);
  });

  it('reads 対応区分 as the label (full-width, spaced) or the API code, and nothing else', () => {
    expect(
      ['対応する', ' 修正して 対応 ', '今後検討', '対応しない', '回答のみ', 'ADDRESS', 'not_address', 'ＡＮＳＷＥＲ＿ＯＮＬＹ'].map(dispositionOfCell),
    ).toEqual(['対応する', '修正して対応', '今後検討', '対応しない', '回答のみ', '対応する', '対応しない', '回答のみ']);
    expect(['対応', '済', '1', ''].map(dispositionOfCell)).toEqual([null, null, null, null]);
  });

  it('gives a comment answered A, then B, then A again three distinct command ids', () => {
    const a1 = dispositionCommandId(sapporo.id, 0, '対応する', '修正します。');
    const b = dispositionCommandId(sapporo.id, 1, '対応しない', '修正しません。');
    const a2 = dispositionCommandId(sapporo.id, 2, '対応する', '修正します。');
    expect(new Set([a1, b, a2]).size).toBe(3);
    expect(dispositionCommandId(sapporo.id, 0, '対応する', '修正します。')).toBe(a1);
  });
});

describe('rows with problems', () => {
  const problemsOf = async (
    answers: Record<number, Answer>,
    extra: (Answer & { item?: string; reason?: string })[] = [],
    overrides: Partial<DispositionFacts> = {},
  ) => {
    const plan = planDispositions(await answered(answers, extra), facts(overrides));
    return { plan, problems: plan.problems.map(({ code, row, column }) => ({ code, row, column })) };
  };

  it('names an unknown 対応区分, an empty 対応案 or 対応区分, by row and column, and plans nothing for those rows', async () => {
    const { plan, problems } = await problemsOf({
      6: { disposition: '対応済み', answer: '対応しました。' },
      7: { disposition: '対応しない', answer: '' },
      8: { disposition: '', answer: '回答します。' },
    });
    expect(problems).toEqual([
      { code: 'UNKNOWN_DISPOSITION', row: 6, column: 'H (対応区分)' },
      { code: 'MISSING_ANSWER', row: 7, column: 'I (対応案)' },
      { code: 'MISSING_DISPOSITION', row: 8, column: 'H (対応区分)' },
    ]);
    expect(plan.problems[0].message).toBe('対応区分 対応済み is not one of 対応する, 修正して対応, 今後検討, 対応しない, 回答のみ.');
    expect(plan.problems[1].message).toContain('対応区分 対応しない needs the answer');
    expect(plan.rows).toEqual([]);
  });

  it('names a コメントID that is unknown, of another proposal, of a requirement, of a retracted comment, repeated or missing', async () => {
    const other = state('01JOTHERPROPOSALCOMMENT0001', { proposalId: '01JOTHERPROPOSAL0000000001' });
    const direct = state('01JREQUIREMENTCOMMENT00001', { proposalId: null, anchor: { kind: 'requirement', requirementId: '1.1.1' } });
    const retracted = state(onRequirement.id, { retracted: true });
    const comments = new Map([...STATES, ['01JOTHERPROPOSALCOMMENT0001', other], ['01JREQUIREMENTCOMMENT00001', direct], [onRequirement.id, retracted]]);
    const answer = { disposition: '回答のみ', answer: '承知しました。' };
    const { plan, problems } = await problemsOf(
      { 6: answer, 7: { ...answer, commentId: sapporo.id }, 8: answer },
      [
        { ...answer, commentId: '01JNOSUCHCOMMENT0000000001', item: '2.1.3' },
        { ...answer, commentId: '01JOTHERPROPOSALCOMMENT0001', item: '2.1.3' },
        { ...answer, commentId: '01JREQUIREMENTCOMMENT00001', item: '1.1.1' },
        { ...answer, item: '2.1.3', reason: '新しい行' },
      ],
      { comments },
    );
    expect(problems).toEqual([
      { code: 'DUPLICATE_COMMENT_ID', row: 7, column: 'K (コメントID)' },
      { code: 'COMMENT_RETRACTED', row: 8, column: 'K (コメントID)' },
      { code: 'UNKNOWN_COMMENT_ID', row: 9, column: 'K (コメントID)' },
      { code: 'OTHER_PROPOSAL_COMMENT', row: 10, column: 'K (コメントID)' },
      { code: 'OTHER_PROPOSAL_COMMENT', row: 11, column: 'K (コメントID)' },
      { code: 'MISSING_COMMENT_ID', row: 12, column: 'K (コメントID)' },
    ]);
    expect(plan.problems[0].message).toContain('answered on row 6 already');
    expect(plan.problems[3].message).toContain('on proposal 01JOTHERPROPOSAL0000000001, not on proposal');
    expect(plan.problems[4].message).toContain('on requirement 1.1.1 of juminkiroku 4.0');
    // Row 6 is fine on its own: planned, yet nothing may be stored while any row has a problem.
    expect(plan.rows.map((r) => r.row)).toEqual([6]);
  });

  it('refuses a matrix of another proposal as a whole, and an actor the decider refuses row by row', async () => {
    const other = planDispositions(await answered({}), facts({ proposalId: '01JOTHERPROPOSAL0000000001' }));
    expect(other.problems.map((p) => [p.code, p.row])).toEqual([['OTHER_PROPOSAL', null]]);
    const { problems } = await problemsOf({ 6: { disposition: '対応する', answer: '修正します。' } }, [], {
      actor: { ...SECRETARIAT, roles: ['admin'] },
    });
    expect(problems).toEqual([
      { code: 'FORBIDDEN', row: 6, column: null },
      { code: 'FORBIDDEN', row: 7, column: null },
    ]);
  });
});
