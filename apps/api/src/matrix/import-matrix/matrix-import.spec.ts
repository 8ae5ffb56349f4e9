import * as ExcelJS from 'exceljs';
import { commentDecider } from '@kyogi/domain/comments/comments.decider';
import { isDomainError } from '@kyogi/domain/shared/decider';
import { composeBody } from '../matrix-body';
import { MATRIX_SHEET } from '../matrix-columns';
import { CHANGES, comment, disposition, LABELS, PROPOSAL, REQUIREMENTS, REVISION_1, SAPPORO } from '../matrix-fixtures';
import { matrixRows } from '../export-matrix/matrix-rows';
import { MATRIX_HEADER_ROW, matrixWorkbookBytes, type MatrixWorkbookData } from '../export-matrix/matrix-workbook';
import { MAX_ROWS, parseMatrix, type ParsedMatrix } from './matrix-parse';
import { planImport, requirementIdOf, type ImportFacts } from './matrix-import';

const proposed213 = CHANGES[0].after!;
const hinohara = comment({ body: '檜原村の意見です。', authorOrganisationId: '133078', disposition: disposition('回答のみ', 'ご意見として承ります。') });
const sapporoEarlier = comment({ anchor: { kind: 'REQUIREMENT', changeId: null, requirementId: '1.1.1' }, body: '札幌市の以前の意見。' });

const exported: MatrixWorkbookData = {
  spec: { specId: 'juminkiroku', title: '住民記録システム標準仕様書', version: '4.0' },
  proposal: { proposalId: PROPOSAL.proposalId, title: PROPOSAL.title, revision: 2 },
  exportedAt: new Date('2025-04-03T01:00:00Z'),
  changes: CHANGES,
  rows: matrixRows([hinohara, sapporoEarlier], {
    revisions: [REVISION_1, CHANGES],
    requirements: REQUIREMENTS,
    organisationLabel: (id) => LABELS[id] ?? id,
  }),
};

const facts = (overrides: Partial<ImportFacts> = {}): ImportFacts => ({
  actor: SAPPORO,
  now: new Date('2025-04-04T00:00:00Z'),
  proposal: { proposalId: PROPOSAL.proposalId, specId: PROPOSAL.specId, version: PROPOSAL.version, changes: CHANGES },
  requirements: REQUIREMENTS,
  organisation: { accepted: ['北海道札幌市', '札幌市', '011002'], label: '北海道札幌市' },
  existingCommentIds: new Set([hinohara.id, sapporoEarlier.id]),
  ...overrides,
});

type Cells = Partial<
  Record<'no' | 'item' | 'line' | 'before' | 'suggestion' | 'reason' | 'organisation' | 'disposition' | 'answer' | 'commentId', ExcelJS.CellValue>
>;
const COLUMN = { no: 1, item: 2, line: 3, before: 4, suggestion: 5, reason: 6, organisation: 7, disposition: 8, answer: 9, commentId: 11 } as const;

/** The exported matrix, filled in as a municipality would: new rows under the exported ones. */
async function filledIn(rows: Cells[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await matrixWorkbookBytes(exported)) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet(MATRIX_SHEET)!;
  let r = MATRIX_HEADER_ROW + exported.rows.length + 1;
  for (const cells of rows) {
    for (const [key, value] of Object.entries(cells)) sheet.getCell(r, COLUMN[key as keyof typeof COLUMN]).value = value ?? null;
    r += 1;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function parsed(bytes: Buffer): Promise<ParsedMatrix> {
  const outcome = await parseMatrix(bytes);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.matrix;
}

const NEW_ROWS: Cells[] = [
  {
    no: 3,
    item: '2.1.3 住民票の写しの交付',
    line: 2,
    before: '旧氏等',
    suggestion: '旧氏（ふりがなを含む）等',
    reason: 'ふりがなの記載を求める住民が多いため。',
    organisation: '札幌市',
  },
  {
    item: '１．１．１', // full-width, as typed with an IME
    suggestion: { richText: [{ text: '転入、出生、' }, { text: '職権記載等', font: { bold: true } }, { text: 'により…' }] },
    reason: '',
    organisation: '北海道札幌市',
  },
  { item: '9.9.1', line: '１', reason: '削除に賛成します。\r\n独自帳票は不要です。' },
  { item: '3.2.2 （新設）', before: '旧氏の削除の請求', reason: '新設に賛成。', organisation: '011002' },
];

describe('a matrix exported, filled in by a municipality and imported (round trip)', () => {
  it('reads the new rows as comments of the municipality, and skips the exported ones', async () => {
    const matrix = await parsed(await filledIn(NEW_ROWS));
    expect(matrix).toMatchObject({ sheetName: MATRIX_SHEET, headerRow: MATRIX_HEADER_ROW, proposalId: PROPOSAL.proposalId });
    const plan = planImport(matrix, facts());
    expect(plan.problems).toEqual([]);
    expect(plan.skipped).toEqual([
      { row: 6, commentId: hinohara.id },
      { row: 7, commentId: sapporoEarlier.id },
    ]);
    expect(
      plan.rows.map(({ row, no, requirementId, anchor, line, quote, suggestion, reason, body }) => ({
        row,
        no,
        requirementId,
        anchor,
        line,
        quote,
        suggestion,
        reason,
        body,
      })),
    ).toEqual([
      {
        row: 8,
        no: '3',
        requirementId: '2.1.3',
        anchor: { kind: 'change', changeId: 'C-213' },
        line: 2,
        quote: { start: proposed213.indexOf('旧氏等'), end: proposed213.indexOf('旧氏等') + 3, text: '旧氏等' },
        suggestion: '旧氏（ふりがなを含む）等',
        reason: 'ふりがなの記載を求める住民が多いため。',
        body: '【修文案】\n旧氏（ふりがなを含む）等\n\n【理由】\nふりがなの記載を求める住民が多いため。',
      },
      {
        row: 9,
        no: null,
        requirementId: '1.1.1',
        anchor: { kind: 'requirement', requirementId: '1.1.1' },
        line: null,
        quote: null,
        suggestion: '転入、出生、職権記載等により…',
        reason: '',
        body: '【修文案】\n転入、出生、職権記載等により…',
      },
      {
        row: 10,
        no: null,
        requirementId: '9.9.1',
        anchor: { kind: 'change', changeId: 'C-991' },
        line: 1,
        quote: { start: 0, end: CHANGES[1].before!.length, text: CHANGES[1].before },
        suggestion: '',
        reason: '削除に賛成します。\n独自帳票は不要です。',
        body: '削除に賛成します。\n独自帳票は不要です。',
      },
      {
        row: 11,
        no: null,
        requirementId: '3.2.2',
        anchor: { kind: 'change', changeId: 'C-322' },
        line: 1,
        quote: { start: 0, end: 8, text: '旧氏の削除の請求' },
        suggestion: '',
        reason: '新設に賛成。',
        body: '新設に賛成。',
      },
    ]);
  });

  it('plans commands the comment decider accepts, posted as the municipality', async () => {
    const plan = planImport(await parsed(await filledIn(NEW_ROWS)), facts());
    for (const row of plan.rows) {
      const events = commentDecider.decide(row.command, commentDecider.initialState());
      expect(isDomainError(events)).toBe(false);
      expect(events).toEqual([
        {
          type: 'CommentPosted',
          data: expect.objectContaining({ commentId: row.commentId, proposalId: PROPOSAL.proposalId, body: row.body, authorOrganisationId: '011002' }),
        },
      ]);
    }
  });

  it('gives each row the same command id however often the file is planned, saved again or fixed', async () => {
    const once = planImport(await parsed(await filledIn(NEW_ROWS)), facts());
    const again = planImport(await parsed(await filledIn(NEW_ROWS)), facts({ now: new Date('2025-05-01T00:00:00Z') }));
    expect(again.rows.map((r) => r.commandId)).toEqual(once.rows.map((r) => r.commandId));
    expect(new Set(once.rows.map((r) => r.commentId)).size).toBe(NEW_ROWS.length);
    // A row put right later keeps the others' ids; two identical rows are two comments.
    const fixed = planImport(
      await parsed(await filledIn([...NEW_ROWS.slice(0, 2), { ...NEW_ROWS[2], reason: '別の理由' }, NEW_ROWS[3], NEW_ROWS[3]])),
      facts(),
    );
    expect(fixed.rows.map((r) => r.commandId)[0]).toBe(once.rows[0].commandId);
    expect(fixed.rows.map((r) => r.commandId)[3]).toBe(once.rows[3].commandId);
    expect(fixed.rows[2].commandId).not.toBe(once.rows[2].commandId);
    expect(fixed.rows[4].commandId).not.toBe(fixed.rows[3].commandId);
    // Another organisation posting the same text gets other ids.
    const other = planImport(await parsed(await filledIn([{ ...NEW_ROWS[0], organisation: '' }])), facts({ actor: { ...SAPPORO, organisationId: '133078' } }));
    expect(other.rows[0].commandId).not.toBe(once.rows[0].commandId);
  });
});

describe('rows with problems', () => {
  const problemsOf = async (rows: Cells[], overrides: Partial<ImportFacts> = {}) => {
    const plan = planImport(await parsed(await filledIn(rows)), facts(overrides));
    return plan.problems.map(({ code, row, column }) => ({ code, row, column }));
  };

  it('names the row and column of another organisation in 団体, and plans nothing for that row', async () => {
    const plan = planImport(await parsed(await filledIn([NEW_ROWS[0], { ...NEW_ROWS[2], organisation: '東京都檜原村' }])), facts());
    expect(plan.problems).toEqual([
      { code: 'OTHER_ORGANISATION', row: 9, column: 'G (団体)', message: expect.stringContaining('東京都檜原村, not your organisation (北海道札幌市)') },
    ]);
    expect(plan.rows.map((r) => r.row)).toEqual([8]);
  });

  it('names unknown 該当項目 and 行番号, 修正前の文 not in the text, empty and long text, control characters and filled-in answers', async () => {
    expect(
      await problemsOf([
        { item: '8.8.8 存在しない項目', reason: '理由' },
        { item: '', reason: '該当項目なし' },
        { item: '2.1.3', line: 9, reason: '理由' },
        { item: '2.1.3', line: '二', reason: '理由' },
        { item: '2.1.3', before: '存在しない文', reason: '理由' },
        { item: '2.1.3', line: 1, before: '旧氏等', reason: '理由' },
        { item: '2.1.3', suggestion: '', reason: '　' },
        { item: '2.1.3', suggestion: 'あ'.repeat(5001), reason: 'い'.repeat(4901) },
        { item: '2.1.3', reason: '制御文字_x0007_入り' }, // Excel's escape of U+0007
        { item: '2.1.3', reason: '理由', disposition: '対応する', answer: '対応します' },
        { item: '2.1.3', reason: '理由', commentId: '01JNOSUCHCOMMENT' },
        { item: '1.2.4', line: 2, reason: '空行' },
      ]),
    ).toEqual([
      { code: 'UNKNOWN_ITEM', row: 8, column: 'B (該当項目)' },
      { code: 'MISSING_ITEM', row: 9, column: 'B (該当項目)' },
      { code: 'UNKNOWN_LINE', row: 10, column: 'C (行番号)' },
      { code: 'INVALID_LINE', row: 11, column: 'C (行番号)' },
      { code: 'BEFORE_TEXT_NOT_FOUND', row: 12, column: 'D (修正前の文)' },
      { code: 'BEFORE_TEXT_NOT_FOUND', row: 13, column: 'D (修正前の文)' },
      { code: 'EMPTY_COMMENT', row: 14, column: 'E (修文案)' },
      { code: 'TEXT_TOO_LONG', row: 15, column: 'E (修文案)' },
      { code: 'TEXT_TOO_LONG', row: 15, column: 'F (理由)' },
      { code: 'CONTROL_CHARACTERS', row: 16, column: 'F (理由)' },
      { code: 'SECRETARIAT_COLUMN', row: 17, column: 'H (対応区分)' },
      { code: 'SECRETARIAT_COLUMN', row: 17, column: 'I (対応案)' },
      { code: 'UNKNOWN_COMMENT_ID', row: 18, column: 'K (コメントID)' },
      { code: 'BLANK_LINE', row: 19, column: 'C (行番号)' },
    ]);
  });

  it('says on which line 修正前の文 is when 行番号 names another', async () => {
    const plan = planImport(await parsed(await filledIn([{ item: '2.1.3', line: 1, before: '旧氏等', reason: '理由' }])), facts());
    expect(plan.problems[0].message).toBe('修正前の文 is not on line 1 of the text of 2.1.3; it is on line 2.');
  });

  it('refuses a viewer through the comment decider itself', async () => {
    expect(await problemsOf([NEW_ROWS[0]], { actor: { ...SAPPORO, roles: ['viewer'] } })).toEqual([{ code: 'FORBIDDEN', row: 8, column: null }]);
  });

  it('refuses the matrix of another proposal, and one with no rows', async () => {
    expect(await problemsOf([NEW_ROWS[0]], { proposal: { ...facts().proposal, proposalId: '01JANOTHERPROPOSAL' } })).toEqual([
      { code: 'OTHER_PROPOSAL', row: null, column: null },
    ]);
    const empty = await matrixWorkbookBytes({ ...exported, rows: [] });
    expect((await parsed(empty)).rows).toEqual([]);
    expect(planImport(await parsed(empty), facts()).problems.map((p) => p.code)).toEqual(['NO_ROWS']);
  });

  it('takes the requirement id at the start of 該当項目', () => {
    expect(['2.1.3 住民票の写しの交付', '２．１．３　住民票', '2.1.3住民票の写しの交付', 'R-2.1.3', ' 2.1.3 3つの記載'].map(requirementIdOf)).toEqual([
      '2.1.3',
      '2.1.3',
      '2.1.3',
      'R-2.1.3',
      '2.1.3',
    ]);
  });
});

describe('reading a workbook as a matrix', () => {
  async function workbook(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
    const book = new ExcelJS.Workbook();
    build(book);
    return Buffer.from(await book.xlsx.writeBuffer());
  }

  it('finds the header row on any sheet, in any order, under other names, and skips blank rows', async () => {
    const bytes = await workbook((book) => {
      book.addWorksheet('表紙').getCell('A1').value = '住民記録システム標準仕様書 意見照会';
      const sheet = book.addWorksheet('回答');
      sheet.getCell('A2').value = '札幌市 回答';
      sheet.getRow(4).values = ['団体名', '理由（必須）', '該当箇所', '修正案', '備考'];
      sheet.getRow(5).values = ['札幌市', '理由一', '2.1.3', '案一', 'メモ'];
      sheet.getRow(6).values = [null, null, null, null, '備考だけの行'];
      sheet.getRow(8).values = ['札幌市', { formula: 'CONCAT("理由","二")', result: '理由二' }, '9.9.1', null];
      sheet.getRow(9).values = ['札幌市', { error: '#N/A' } as ExcelJS.CellErrorValue, '1.1.1', null];
    });
    const outcome = await parseMatrix(bytes);
    expect(outcome.ok).toBe(true);
    const matrix = (outcome as { matrix: ParsedMatrix }).matrix;
    expect(matrix).toMatchObject({ sheetName: '回答', headerRow: 4, proposalId: null });
    expect(matrix.rows.map((r) => [r.row, r.cells.item, r.cells.reason, r.cells.suggestion])).toEqual([
      [5, '2.1.3', '理由一', '案一'],
      [8, '9.9.1', '理由二', ''],
      [9, '1.1.1', undefined, ''],
    ]);
    expect(matrix.rows[2].cellErrors).toEqual([{ code: 'CELL_ERROR', row: 9, column: 'B (理由)', message: expect.stringContaining('#N/A') }]);
    expect(matrix.columnName('line')).toBe('行番号');
  });

  it('refuses a workbook without the header row, a file that is not one, and too many rows', async () => {
    const noHeader = await workbook((book) => {
      book.addWorksheet('意見照会').getRow(1).values = ['No', '項目', '意見'];
    });
    expect(await parseMatrix(noHeader)).toEqual({
      ok: false,
      problems: [{ code: 'NO_MATRIX_SHEET', row: null, column: null, message: expect.stringContaining('該当項目, 修文案, 理由') }],
    });
    expect(await parseMatrix(Buffer.from('No,該当項目,修文案,理由\r\n'))).toMatchObject({ ok: false, problems: [{ code: 'NOT_XLSX' }] });
    expect(await parseMatrix(Buffer.alloc(0))).toMatchObject({ ok: false, problems: [{ code: 'NOT_XLSX' }] });
    expect(await parseMatrix(Buffer.alloc(1_048_577))).toMatchObject({ ok: false, problems: [{ code: 'FILE_TOO_LARGE' }] });
    const tooMany = await workbook((book) => {
      const sheet = book.addWorksheet('意見照会');
      sheet.getRow(1).values = ['該当項目', '修文案', '理由'];
      for (let r = 2; r <= MAX_ROWS + 2; r++) sheet.getRow(r).values = ['2.1.3', '', `理由${r}`];
    });
    expect(await parseMatrix(tooMany)).toMatchObject({ ok: false, problems: [{ code: 'TOO_MANY_ROWS' }] });
  });

  it('reads a body composed the way the import composes it back into its columns on export', () => {
    const body = composeBody({ suggestion: '案', reason: '理由' });
    expect(matrixRows([comment({ body })], { revisions: [CHANGES], requirements: REQUIREMENTS, organisationLabel: () => '' })[0]).toMatchObject({
      suggestion: '案',
      reason: '理由',
    });
  });
});
