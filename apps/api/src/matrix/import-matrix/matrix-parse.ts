import * as ExcelJS from 'exceljs';
import { columnLetter, columnOfHeader, HEADER_LABELS, headerOf, MATRIX_COLUMNS, MATRIX_SHEET, REQUIRED_COLUMNS, type MatrixColumnKey } from '../matrix-columns';
import { checkXlsxArchive } from './zip-guard';

/** The largest file the import reads: 1 MB, which travels as about 1.4 MB of base64 inside the 2 MB GraphQL request limit. */
export const MAX_FILE_BYTES = 1_048_576;
/** Rows with anything in them, under the header row. */
export const MAX_ROWS = 500;
const MAX_UNPACKED_BYTES = 32 * 1_048_576;
const MAX_PARTS = 1000;
/** How far down a sheet the header row is looked for. */
const HEADER_SEARCH_ROWS = 30;

/** A problem with the file as a whole (row null) or with one cell of it. */
export interface MatrixProblem {
  readonly code: string;
  readonly message: string;
  /** The row as Excel numbers it; null for the file. */
  readonly row: number | null;
  /** `E (修文案)`: the column letter and its header; null for the file or the whole row. */
  readonly column: string | null;
}

export interface ParsedMatrixRow {
  /** The row as Excel numbers it. */
  readonly row: number;
  /** The text of each matrix column the sheet has (line breaks as \n; not trimmed). */
  readonly cells: Readonly<Partial<Record<MatrixColumnKey, string>>>;
  /** Cells holding an Excel error (#N/A, #REF!, …) instead of a value. */
  readonly cellErrors: readonly MatrixProblem[];
}

export interface ParsedMatrix {
  readonly sheetName: string;
  readonly headerRow: number;
  /** The proposal id of the header block (提案ID), when the sheet has one. */
  readonly proposalId: string | null;
  /** `E (修文案)` for a column the sheet has; the header alone for one it lacks. */
  readonly columnName: (key: MatrixColumnKey) => string;
  /** Rows with anything in a matrix column (No aside), in sheet order. */
  readonly rows: readonly ParsedMatrixRow[];
}

export type ParseOutcome = { readonly ok: true; readonly matrix: ParsedMatrix } | { readonly ok: false; readonly problems: readonly MatrixProblem[] };

const fileProblem = (code: string, message: string): ParseOutcome => ({ ok: false, problems: [{ code, message, row: null, column: null }] });

type CellText = { readonly text: string } | { readonly error: string };

/** A cell as text: rich text joined, a formula's cached result, a hyperlink's text, a date as YYYY-MM-DD, an Excel error as such. */
export function cellText(value: ExcelJS.CellValue): CellText {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value.replace(/\r\n?/g, '\n') };
  if (typeof value === 'number') return { text: Number.isFinite(value) ? String(value) : '' };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return { text: Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10) };
  if (typeof value === 'object') {
    if ('error' in value) return { error: String(value.error) };
    if ('richText' in value && Array.isArray(value.richText))
      return {
        text: value.richText
          .map((run) => run.text ?? '')
          .join('')
          .replace(/\r\n?/g, '\n'),
      };
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      return result === undefined ? { text: '' } : cellText(result as ExcelJS.CellValue);
    }
    if ('hyperlink' in value && 'text' in value) return cellText(value.text as ExcelJS.CellValue);
  }
  return { text: '' };
}

/** The header row of a sheet: the first of its top rows naming every required column; its columns by key. */
function findHeader(sheet: ExcelJS.Worksheet): { row: number; columns: Map<MatrixColumnKey, number> } | null {
  for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, sheet.rowCount); r++) {
    const columns = new Map<MatrixColumnKey, number>();
    sheet.getRow(r).eachCell({ includeEmpty: false }, (cell, c) => {
      const found = cellText(cell.value);
      const key = 'text' in found ? columnOfHeader(found.text) : undefined;
      if (key && !columns.has(key)) columns.set(key, c);
    });
    if (REQUIRED_COLUMNS.every((key) => columns.has(key))) return { row: r, columns };
  }
  return null;
}

/** The value next to the 提案ID label in the header block, if there is one. */
function headerBlockProposalId(sheet: ExcelJS.Worksheet, headerRow: number): string | null {
  for (let r = 1; r < headerRow; r++) {
    const row = sheet.getRow(r);
    const label = cellText(row.getCell(1).value);
    if ('text' in label && label.text.normalize('NFKC').replace(/\s/g, '') === HEADER_LABELS.proposalId) {
      const value = cellText(row.getCell(2).value);
      return 'text' in value && value.text.trim() ? value.text.trim() : null;
    }
  }
  return null;
}

/**
 * Reads a filled-in 意見照会 matrix: an .xlsx whose sheet 意見照会 — or else the first sheet that
 * has one — holds a header row naming at least 該当項目, 修文案 and 理由 (in any order, among the
 * other matrix columns; full-width letters and spaces do not matter) within its first 30 rows.
 * Every row below it with anything in a matrix column is a row of the matrix. Problems with the
 * file itself (not an .xlsx, too large, no matrix sheet, too many rows) come back instead.
 */
export async function parseMatrix(bytes: Buffer): Promise<ParseOutcome> {
  if (bytes.length === 0) return fileProblem('NOT_XLSX', 'The file is empty.');
  if (bytes.length > MAX_FILE_BYTES) {
    return fileProblem('FILE_TOO_LARGE', `The file is ${bytes.length} bytes; a matrix of at most ${MAX_FILE_BYTES} bytes (1 MB) is imported.`);
  }
  const archive = checkXlsxArchive(bytes, { maxUnpackedBytes: MAX_UNPACKED_BYTES, maxEntries: MAX_PARTS });
  if (archive) return fileProblem(archive.code, archive.message);

  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (error) {
    return fileProblem('NOT_XLSX', `The file could not be read as an .xlsx workbook (${error instanceof Error ? error.message : String(error)}).`);
  }
  const sheets = [...workbook.worksheets].sort((a, b) => Number(b.name === MATRIX_SHEET) - Number(a.name === MATRIX_SHEET));
  let found: { sheet: ExcelJS.Worksheet; row: number; columns: Map<MatrixColumnKey, number> } | null = null;
  for (const sheet of sheets) {
    const header = findHeader(sheet);
    if (header) {
      found = { sheet, ...header };
      break;
    }
  }
  if (!found) {
    return fileProblem(
      'NO_MATRIX_SHEET',
      `No sheet has the matrix's header row (${MATRIX_COLUMNS.slice(0, 9)
        .map((c) => c.header)
        .join(' / ')}) in its first ${HEADER_SEARCH_ROWS} rows; at least ${REQUIRED_COLUMNS.map(headerOf).join(', ')} are needed.`,
    );
  }
  const { sheet, row: headerRow, columns } = found;
  const columnName = (key: MatrixColumnKey): string => {
    const index = columns.get(key);
    return index === undefined ? headerOf(key) : `${columnLetter(index)} (${headerOf(key)})`;
  };

  const rows: ParsedMatrixRow[] = [];
  let tooMany = false;
  sheet.eachRow({ includeEmpty: false }, (excelRow, r) => {
    if (r <= headerRow || tooMany) return;
    const cells: Partial<Record<MatrixColumnKey, string>> = {};
    const cellErrors: MatrixProblem[] = [];
    let filled = false;
    for (const [key, c] of columns) {
      const value = cellText(excelRow.getCell(c).value);
      if ('error' in value) {
        cellErrors.push({
          code: 'CELL_ERROR',
          message: `The cell holds the Excel error ${value.error} instead of a value.`,
          row: r,
          column: columnName(key),
        });
        filled ||= key !== 'no';
        continue;
      }
      cells[key] = value.text;
      if (key !== 'no' && value.text.trim() !== '') filled = true;
    }
    if (!filled) return;
    if (rows.length === MAX_ROWS) {
      tooMany = true;
      return;
    }
    rows.push({ row: r, cells, cellErrors });
  });
  if (tooMany) return fileProblem('TOO_MANY_ROWS', `The matrix has more than ${MAX_ROWS} rows; import at most ${MAX_ROWS} at a time.`);
  return { ok: true, matrix: { sheetName: sheet.name, headerRow, proposalId: headerBlockProposalId(sheet, headerRow), columnName, rows } };
}
