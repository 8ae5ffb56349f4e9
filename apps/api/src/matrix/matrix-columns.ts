/**
 * The columns of the 意見照会 matrix, shared by the export (matrix-workbook.ts) and the import
 * (import-matrix/matrix-parse.ts). The first nine are the matrix municipalities know; 返信 and
 * コメントID are Kyogi's: the replies of a thread, and the comment a row shows — a row that
 * carries a コメントID is a comment already in Kyogi, so an exported matrix filled in with new rows
 * imports only those.
 */
export const MATRIX_COLUMNS = [
  { key: 'no', header: 'No', aliases: ['No.', '番号', '通番'], width: 6 },
  { key: 'item', header: '該当項目', aliases: ['該当箇所', '項目'], width: 24 },
  { key: 'line', header: '行番号', aliases: ['行'], width: 8 },
  { key: 'before', header: '修正前の文', aliases: ['修正前', '現行の文'], width: 42 },
  { key: 'suggestion', header: '修文案', aliases: ['修正案'], width: 42 },
  { key: 'reason', header: '理由', aliases: ['修正理由', '意見・理由', '意見及び理由'], width: 42 },
  { key: 'organisation', header: '団体', aliases: ['団体名'], width: 18 },
  { key: 'disposition', header: '対応区分', aliases: [], width: 14 },
  { key: 'answer', header: '対応案', aliases: ['回答', '対応方針'], width: 42 },
  { key: 'replies', header: '返信', aliases: [], width: 36 },
  { key: 'commentId', header: 'コメントID', aliases: [], width: 30 },
] as const;

export type MatrixColumnKey = (typeof MATRIX_COLUMNS)[number]['key'];

/** The columns a sheet must have to be read as a matrix. */
export const REQUIRED_COLUMNS: readonly MatrixColumnKey[] = ['item', 'suggestion', 'reason'];

/** The name of the matrix sheet in the workbooks Kyogi writes (the import also finds the header row on another sheet). */
export const MATRIX_SHEET = '意見照会';
/** The proposal's changes, for reference: not read by the import. */
export const CHANGES_SHEET = '修文案の変更一覧';

/** The header block's labels (column A above the header row); the import checks 提案ID against the proposal it imports into. */
export const HEADER_LABELS = { spec: '仕様書', version: '版', proposal: '提案', proposalId: '提案ID', exportedAt: '出力日時' } as const;

/** A header as the import compares it: NFKC (full-width letters and digits folded), without spaces and brackets' notes. */
export const normaliseHeader = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .replace(/[（(][^）)]*[）)]$/, '')
    .toLowerCase();

const HEADER_INDEX = new Map<string, MatrixColumnKey>(
  MATRIX_COLUMNS.flatMap((column) => [column.header, ...column.aliases].map((name) => [normaliseHeader(name), column.key] as [string, MatrixColumnKey])),
);

/** The column a header cell names, if any. */
export const columnOfHeader = (text: string): MatrixColumnKey | undefined => HEADER_INDEX.get(normaliseHeader(text));

export const headerOf = (key: MatrixColumnKey): string => MATRIX_COLUMNS.find((c) => c.key === key)!.header;

/** Excel's column letters: 1 → A, 27 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** An instant as people in Japan read it: 2025-06-01 09:30:00 (the sheets say 日本時間). */
export function japanTime(at: Date): string {
  return new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
