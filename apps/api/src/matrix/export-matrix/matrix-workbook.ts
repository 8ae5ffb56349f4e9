import * as ExcelJS from 'exceljs';
import type { ProposalChange } from '@kyogi/domain/proposals/proposals.events';
import { CHANGES_SHEET, HEADER_LABELS, japanTime, MATRIX_COLUMNS, MATRIX_SHEET } from '../matrix-columns';
import type { MatrixRow } from './matrix-rows';

export interface MatrixWorkbookData {
  readonly spec: { readonly specId: string; readonly title: string; readonly version: string };
  readonly proposal: { readonly proposalId: string; readonly title: string; readonly revision: number };
  readonly exportedAt: Date;
  /** The proposal's changes in its current revision (the second sheet). */
  readonly changes: readonly ProposalChange[];
  readonly rows: readonly MatrixRow[];
}

/** The header block above the matrix: four label/value lines, then the column headers on this row. */
export const MATRIX_HEADER_ROW = 5;

const KIND_JA: Record<ProposalChange['kind'], string> = { add: '追加', modify: '修正', delete: '削除' };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FFB4B4B4' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
// Japanese reads well in a Japanese UI font; Excel falls back on machines without it.
const FONT: Partial<ExcelJS.Font> = { name: 'Meiryo UI', size: 10 };

/** The sheet's row for a text: at least one line, about one more per 40 full-width characters of the widest wrapped column. */
function rowHeight(texts: readonly { text: string; width: number }[]): number {
  const lines = Math.max(
    1,
    ...texts.map(({ text, width }) => text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(visualWidth(line) / Math.max(1, width - 1))), 0)),
  );
  return Math.min(409, 15 * lines + 3); // 409 points: Excel's tallest row
}

/** Width in Excel's character units: full-width characters count twice. */
function visualWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{20000}-\u{3FFFD}]/u.test(ch) ? 2 : 1;
  return width;
}

/**
 * The 意見照会 matrix of a proposal as an Excel workbook: on the first sheet the header block
 * (spec, version, proposal, its id, when exported), the column headers (frozen with the block,
 * filterable), one row per comment thread; text wraps and rows are tall enough to read it. The
 * second sheet lists the proposal's changes (修正前の文 and the proposed text) for those who fill
 * in new rows. Everything is written as text: nothing a commenter wrote becomes a formula.
 */
export function buildMatrixWorkbook(data: MatrixWorkbookData): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Kyogi';
  workbook.created = data.exportedAt;
  const sheet = workbook.addWorksheet(MATRIX_SHEET, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: MATRIX_HEADER_ROW, topLeftCell: `A${MATRIX_HEADER_ROW + 1}`, zoomScale: 100 }],
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `1:${MATRIX_HEADER_ROW}` },
  });
  sheet.columns = MATRIX_COLUMNS.map((column) => ({ key: column.key, width: column.width }));

  const block: [string, string][] = [
    [HEADER_LABELS.spec, `${data.spec.title}（${data.spec.specId}）`],
    [HEADER_LABELS.version, data.spec.version],
    [HEADER_LABELS.proposal, `${data.proposal.title}（第${data.proposal.revision}版）`],
    [HEADER_LABELS.proposalId, data.proposal.proposalId],
  ];
  block.forEach(([label, value], i) => {
    const row = sheet.getRow(i + 1);
    row.getCell(1).value = label;
    row.getCell(1).font = { ...FONT, bold: true };
    row.getCell(2).value = value;
    row.getCell(2).font = { ...FONT, bold: i === 2 };
    sheet.mergeCells(i + 1, 2, i + 1, 6);
  });
  const stamp = sheet.getRow(4);
  stamp.getCell(7).value = HEADER_LABELS.exportedAt;
  stamp.getCell(7).font = { ...FONT, bold: true };
  stamp.getCell(8).value = `${japanTime(data.exportedAt)}（日本時間）`;
  stamp.getCell(8).font = FONT;
  sheet.mergeCells(4, 8, 4, 9);

  const header = sheet.getRow(MATRIX_HEADER_ROW);
  MATRIX_COLUMNS.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = column.header;
    cell.font = { ...FONT, bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
  header.height = 20;
  sheet.autoFilter = { from: { row: MATRIX_HEADER_ROW, column: 1 }, to: { row: MATRIX_HEADER_ROW, column: MATRIX_COLUMNS.length } };

  data.rows.forEach((matrixRow, i) => {
    const values: Record<(typeof MATRIX_COLUMNS)[number]['key'], string | number | null> = {
      no: i + 1,
      item: matrixRow.item,
      line: matrixRow.line,
      before: matrixRow.before,
      suggestion: matrixRow.suggestion,
      reason: matrixRow.reason,
      organisation: matrixRow.organisation,
      disposition: matrixRow.disposition,
      answer: matrixRow.answer,
      replies: matrixRow.replies,
      commentId: matrixRow.commentId,
    };
    const row = sheet.getRow(MATRIX_HEADER_ROW + 1 + i);
    MATRIX_COLUMNS.forEach((column, c) => {
      const cell = row.getCell(c + 1);
      const value = values[column.key];
      cell.value = value === '' ? null : value;
      cell.font = FONT;
      cell.border = BORDER;
      cell.alignment = { vertical: 'top', wrapText: true, horizontal: column.key === 'no' || column.key === 'line' ? 'center' : 'left' };
    });
    row.height = rowHeight(MATRIX_COLUMNS.map((column) => ({ text: String(values[column.key] ?? ''), width: column.width })));
  });

  addChangesSheet(workbook, data.changes);
  return workbook;
}

const CHANGE_COLUMNS = [
  { header: '該当項目', width: 24 },
  { header: '種別', width: 8 },
  { header: '修正前の文', width: 48 },
  { header: '提案の文', width: 48 },
  { header: '提案理由', width: 42 },
] as const;

function addChangesSheet(workbook: ExcelJS.Workbook, changes: readonly ProposalChange[]): void {
  const sheet = workbook.addWorksheet(CHANGES_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2' }] });
  sheet.columns = CHANGE_COLUMNS.map((column) => ({ width: column.width }));
  const header = sheet.getRow(1);
  CHANGE_COLUMNS.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = column.header;
    cell.font = { ...FONT, bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
  });
  changes.forEach((change, i) => {
    const values = [
      change.requirementTitle ? `${change.requirementId} ${change.requirementTitle}` : change.requirementId,
      KIND_JA[change.kind],
      change.before,
      change.after,
      change.reason,
    ];
    const row = sheet.getRow(i + 2);
    values.forEach((value, c) => {
      const cell = row.getCell(c + 1);
      cell.value = value;
      cell.font = FONT;
      cell.border = BORDER;
      cell.alignment = { vertical: 'top', wrapText: true };
    });
    row.height = rowHeight(values.map((value, c) => ({ text: value ?? '', width: CHANGE_COLUMNS[c].width })));
  });
}

/** The workbook as the bytes of an .xlsx file. */
export async function matrixWorkbookBytes(data: MatrixWorkbookData): Promise<Buffer> {
  return Buffer.from(await buildMatrixWorkbook(data).xlsx.writeBuffer());
}
