import * as ExcelJS from 'exceljs';
import { composeBody } from '../matrix-body';
import { CHANGES_SHEET, MATRIX_COLUMNS, MATRIX_SHEET } from '../matrix-columns';
import { CHANGES, comment, disposition, LABELS, PROPOSAL, REQUIREMENTS, REVISION_1 } from '../matrix-fixtures';
import { lineAt, matrixRows, quoteLine, type MatrixRow } from './matrix-rows';
import { buildMatrixWorkbook, MATRIX_HEADER_ROW, matrixWorkbookBytes, type MatrixWorkbookData } from './matrix-workbook';

const valuesOf = (row: ExcelJS.Row): ExcelJS.CellValue[] => (row.values as ExcelJS.CellValue[]).slice(1);
const facts = { revisions: [REVISION_1, CHANGES], requirements: REQUIREMENTS, organisationLabel: (id: string) => LABELS[id] ?? id };
const proposed213 = CHANGES[0].after!;

describe('matrix rows from comment threads', () => {
  const onDeletion = comment({ anchor: { kind: 'CHANGE', changeId: 'C-991', requirementId: null }, body: '削除に反対です。' });
  const quoted = comment({
    body: composeBody({ suggestion: '旧氏（ふりがなを含む）等の記載の有無を選択できること。', reason: '旧氏のふりがなも対象とするため。' }),
    quote: { start: proposed213.indexOf('旧氏等'), end: proposed213.indexOf('旧氏等') + 3, text: '旧氏等' },
    authorOrganisationId: '133078',
    disposition: disposition('修正して対応', 'ふりがなを含める形で修正します。'),
    replies: [
      comment({ body: '同意します。', authorOrganisationId: '011002' }),
      comment({ body: '撤回しました。', status: 'RETRACTED' }),
      comment({ body: '補足です。', authorOrganisationId: 'digital-agency' }),
    ],
  });
  const onRequirement = comment({ anchor: { kind: 'REQUIREMENT', changeId: null, requirementId: '1.1.1' }, body: '変更不要です。' });
  const onDroppedChange = comment({ anchor: { kind: 'CHANGE', changeId: 'C-121', requirementId: null }, body: '電子申請に賛成。' });
  const retracted = comment({ status: 'RETRACTED', body: '取り下げます。' });
  const rows = matrixRows([onDeletion, quoted, onRequirement, retracted, onDroppedChange], facts);

  it('has one row per thread not retracted, in the order of the changes, then of the requirements', () => {
    expect(rows.map((r) => r.commentId)).toEqual([quoted.id, onDeletion.id, onDroppedChange.id, onRequirement.id]);
    expect(rows.map((r) => r.item)).toEqual(['2.1.3 住民票の写しの交付', '9.9.1 独自帳票の出力', '1.2.1 異動届の受付', '1.1.1 住民票の作成']);
  });

  it('shows the quote and its line, or the whole text commented on, as 修正前の文', () => {
    expect(rows[0]).toMatchObject({ line: 2, before: '旧氏等' });
    expect(rows[1]).toMatchObject({ line: null, before: CHANGES[1].before }); // a deletion: the text deleted
    expect(rows[2]).toMatchObject({ before: REVISION_1[0].after });
    expect(rows[3]).toMatchObject({ before: REQUIREMENTS.get('1.1.1')!.text });
  });

  it('splits the body into 修文案 and 理由, names the organisation and gives the disposition and the replies', () => {
    expect(rows[0]).toEqual<MatrixRow>({
      item: '2.1.3 住民票の写しの交付',
      line: 2,
      before: '旧氏等',
      suggestion: '旧氏（ふりがなを含む）等の記載の有無を選択できること。',
      reason: '旧氏のふりがなも対象とするため。',
      organisation: '東京都檜原村',
      disposition: '修正して対応',
      answer: 'ふりがなを含める形で修正します。',
      replies: '北海道札幌市: 同意します。\n\nデジタル庁: 補足です。',
      commentId: quoted.id,
    });
    expect(rows[1]).toMatchObject({ suggestion: '', reason: '削除に反対です。', disposition: null, answer: null, replies: '' });
  });

  it('finds the line of a quote in text that has changed since, or gives none when it is gone', () => {
    const text = '一行目\n二行目の旧氏\n三行目';
    expect(lineAt(text, text.indexOf('旧氏'))).toBe(2);
    expect(quoteLine(text, { start: 0, end: 2, text: '旧氏' })).toBe(2);
    expect(quoteLine(text, { start: 0, end: 2, text: '新氏' })).toBeNull();
  });
});

describe('the matrix workbook', () => {
  const data: MatrixWorkbookData = {
    spec: { specId: 'juminkiroku', title: '住民記録システム標準仕様書', version: '4.0' },
    proposal: { proposalId: PROPOSAL.proposalId, title: PROPOSAL.title, revision: 2 },
    exportedAt: new Date('2025-04-03T01:00:00Z'),
    changes: CHANGES,
    rows: matrixRows(
      [
        comment({ body: composeBody({ suggestion: '=HYPERLINK("http://example.com","押して")', reason: '長い理由。'.repeat(60) }) }),
        comment({ body: '意見のみ', authorOrganisationId: '133078', disposition: disposition('対応しない', '現行どおりとします。') }),
      ],
      facts,
    ),
  };

  async function reopened(): Promise<ExcelJS.Workbook> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await matrixWorkbookBytes(data)) as unknown as ExcelJS.Buffer);
    return workbook;
  }

  it('has the header block, the column headers frozen with it, and one row per thread', async () => {
    const sheet = (await reopened()).getWorksheet(MATRIX_SHEET)!;
    expect(sheet.getCell('A1').value).toBe('仕様書');
    expect(sheet.getCell('B1').value).toBe('住民記録システム標準仕様書（juminkiroku）');
    expect(sheet.getCell('B2').value).toBe('4.0');
    expect(sheet.getCell('B3').value).toBe('旧氏の記載の選択（第2版）');
    expect(sheet.getCell('A4').value).toBe('提案ID');
    expect(sheet.getCell('B4').value).toBe(PROPOSAL.proposalId);
    expect(sheet.getCell('H4').value).toBe('2025-04-03 10:00:00（日本時間）');
    expect(valuesOf(sheet.getRow(MATRIX_HEADER_ROW)).slice(0, 9)).toEqual([
      'No',
      '該当項目',
      '行番号',
      '修正前の文',
      '修文案',
      '理由',
      '団体',
      '対応区分',
      '対応案',
    ]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: MATRIX_HEADER_ROW });
    const first = sheet.getRow(MATRIX_HEADER_ROW + 1);
    const second = sheet.getRow(MATRIX_HEADER_ROW + 2);
    expect(valuesOf(first).slice(0, 7)).toEqual([
      1,
      '2.1.3 住民票の写しの交付',
      undefined,
      proposed213,
      '=HYPERLINK("http://example.com","押して")',
      '長い理由。'.repeat(60),
      '北海道札幌市',
    ]);
    expect(valuesOf(second).slice(0, 9)).toEqual([
      2,
      '2.1.3 住民票の写しの交付',
      undefined,
      proposed213,
      undefined,
      '意見のみ',
      '東京都檜原村',
      '対応しない',
      '現行どおりとします。',
    ]);
    expect(sheet.getRow(MATRIX_HEADER_ROW + 3).hasValues).toBe(false);
  });

  it('writes what commenters wrote as text, never as a formula', async () => {
    const cell = (await reopened()).getWorksheet(MATRIX_SHEET)!.getCell(MATRIX_HEADER_ROW + 1, 5);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.formula).toBeUndefined();
  });

  it('sizes columns for Japanese text, wraps it and makes long rows taller', () => {
    const sheet = buildMatrixWorkbook(data).getWorksheet(MATRIX_SHEET)!;
    expect(MATRIX_COLUMNS.map((_, i) => sheet.getColumn(i + 1).width)).toEqual(MATRIX_COLUMNS.map((c) => c.width));
    const first = sheet.getRow(MATRIX_HEADER_ROW + 1);
    expect(first.getCell(6).alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    expect(first.height).toBeGreaterThan(sheet.getRow(MATRIX_HEADER_ROW + 2).height);
  });

  it('lists the proposal changes on a second sheet', async () => {
    const sheet = (await reopened()).getWorksheet(CHANGES_SHEET)!;
    expect(valuesOf(sheet.getRow(1))).toEqual(['該当項目', '種別', '修正前の文', '提案の文', '提案理由']);
    expect(valuesOf(sheet.getRow(3))).toEqual(['9.9.1 独自帳票の出力', '削除', CHANGES[1].before, undefined, CHANGES[1].reason]);
    expect(valuesOf(sheet.getRow(4)).slice(0, 2)).toEqual(['3.2.2', '追加']);
  });
});
