import * as ExcelJS from 'exceljs';
import { csvField } from '@kyogi/audit/export-format';
import { STANCES, type Outcome, type Stance, type Tally, type ThresholdBasis } from '@kyogi/domain/consultations/tally';
import type { Weighting } from '@kyogi/domain/consultations/consultations.events';
import { japanTime } from '../matrix-columns';

/** One organisation of the electorate and its official stance, if any. */
export interface ResultRow {
  readonly prefectureCode: string | null;
  /** 北海道, …; null for an organisation outside any prefecture (a national body). */
  readonly prefectureName: string | null;
  readonly organisationId: string;
  /** 全国地方公共団体コード, when it has one. */
  readonly organisationCode: string | null;
  readonly organisationName: string;
  readonly weight: number;
  /** Null: no official stance (未回答). */
  readonly stance: Stance | null;
  readonly reason: string | null;
  /** Who cast it: the organisation itself, or the one it mandated. */
  readonly castByName: string | null;
  readonly mandateId: string | null;
  readonly castAt: Date | null;
}

export interface ResultSheetData {
  readonly spec: { readonly specId: string; readonly title: string };
  readonly proposal: { readonly proposalId: string; readonly title: string };
  readonly consultation: {
    readonly consultationId: string;
    readonly openedByName: string;
    readonly status: 'open' | 'closed';
    readonly resultsHidden: boolean;
    readonly weighting: Weighting;
    readonly quorumPercent: number;
    readonly thresholdPercent: number;
    readonly thresholdBasis: ThresholdBasis;
    readonly blockVetoes: boolean;
    readonly openedAt: Date;
    readonly closesAt: Date;
    readonly closedAt: Date | null;
    readonly early: boolean | null;
    readonly closeReason: string | null;
    readonly ladderStage: number | null;
  };
  /** The recorded tally once closed, the live one before. */
  readonly tally: Tally;
  /** Null while open. */
  readonly outcome: Outcome | null;
  /** The electorate, in any order: the sheet groups it by prefecture. */
  readonly rows: readonly ResultRow[];
  readonly exportedAt: Date;
}

export const STANCE_JA: Readonly<Record<Stance, string>> = { approve: '賛成', object: '反対', abstain: '棄権', block: '阻止' };
export const NO_ANSWER = '未回答';
const NO_PREFECTURE = '（都道府県なし）';
const BASIS_JA: Readonly<Record<ThresholdBasis, string>> = {
  approve_of_approve_and_object: '賛成 ÷（賛成＋反対＋阻止）',
  approve_of_all_cast: '賛成 ÷（賛成＋反対＋棄権＋阻止）',
};

export const RESULT_COLUMNS = ['都道府県コード', '都道府県', '団体コード', '団体', '重み', '態度', '理由', '投じた団体', '委任ID', '日時（日本時間）'] as const;

/** The electorate grouped by prefecture (by code, those without one last), then by organisation code. */
export function groupedRows(rows: readonly ResultRow[]): ResultRow[] {
  const key = (row: ResultRow) => [row.prefectureCode ?? '~', row.organisationCode ?? '~', row.organisationId] as const;
  return [...rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  });
}

function fields(row: ResultRow): (string | number)[] {
  return [
    row.prefectureCode ?? '',
    row.prefectureName ?? NO_PREFECTURE,
    row.organisationCode ?? row.organisationId,
    row.organisationName,
    row.weight,
    row.stance === null ? NO_ANSWER : STANCE_JA[row.stance],
    row.reason ?? '',
    row.castByName ?? '',
    row.mandateId ?? '',
    row.castAt ? japanTime(row.castAt) : '',
  ];
}

const yesNo = (met: boolean) => (met ? '満たす' : '満たさない');

/** The round and its result as label/value lines, the same in both files. */
function summary(data: ResultSheetData): [string, string][] {
  const c = data.consultation;
  const lines: [string, string][] = [
    ['仕様書', `${data.spec.title}（${data.spec.specId}）`],
    ['提案', `${data.proposal.title}（${data.proposal.proposalId}）`],
    ['協議', `${c.consultationId}${c.ladderStage !== null ? `（批准の第${c.ladderStage}段階）` : ''}、${c.openedByName}が開始`],
    [
      '規則',
      `${c.weighting === 'population' ? '人口による重み付け' : '1団体1票'}、定足数 ${c.quorumPercent}%、可決基準 ${c.thresholdPercent}%（${BASIS_JA[c.thresholdBasis]}）、${c.blockVetoes ? '阻止は拒否権' : '阻止は反対として集計'}${c.resultsHidden ? '、締切まで結果非公開' : ''}`,
    ],
    ['開始', japanTime(c.openedAt)],
    ['締切', japanTime(c.closesAt)],
    [
      '状態',
      c.status === 'closed'
        ? `終了 ${c.closedAt ? japanTime(c.closedAt) : ''}${c.early ? `（締切前に終了: ${c.closeReason ?? ''}）` : ''}`
        : '受付中（集計は暫定）',
    ],
  ];
  if (data.outcome) {
    const o = data.outcome;
    lines.push(['結果', `${o.passed ? '可決' : '否決'}（定足数を${yesNo(o.quorumMet)}、可決基準を${yesNo(o.thresholdMet)}${o.blocked ? '、阻止あり' : ''}）`]);
  }
  lines.push(['出力日時', `${japanTime(data.exportedAt)}（日本時間）`]);
  return lines;
}

/** The tally as a table: stance, organisations, weight. */
function tallyTable(tally: Tally): [string, number, number][] {
  return [
    ...STANCES.map((s): [string, number, number] => [STANCE_JA[s], tally.counts[s], tally.weights[s]]),
    [NO_ANSWER, tally.electorateCount - tally.participatingCount, tally.totalWeight - tally.participatingWeight],
    ['計', tally.electorateCount, tally.totalWeight],
  ];
}

interface PrefectureTotals {
  readonly code: string | null;
  readonly name: string;
  readonly counts: Record<Stance | 'none', number>;
  readonly weights: Record<Stance | 'none', number>;
}

function prefectureTotals(rows: readonly ResultRow[]): PrefectureTotals[] {
  const totals = new Map<string, PrefectureTotals>();
  for (const row of rows) {
    const id = row.prefectureCode ?? '~';
    let t = totals.get(id);
    if (!t) {
      t = {
        code: row.prefectureCode,
        name: row.prefectureName ?? NO_PREFECTURE,
        counts: { approve: 0, object: 0, abstain: 0, block: 0, none: 0 },
        weights: { approve: 0, object: 0, abstain: 0, block: 0, none: 0 },
      };
      totals.set(id, t);
    }
    t.counts[row.stance ?? 'none'] += 1;
    t.weights[row.stance ?? 'none'] += row.weight;
  }
  return [...totals.values()];
}

/**
 * The result sheet as CSV for Excel: a UTF-8 byte order mark (without it Excel reads UTF-8 as
 * Shift_JIS), CRLF line ends, RFC 4180 quoting, and fields a spreadsheet would run as formulas
 * defused (csvField). First the table — one row per organisation of the electorate, grouped by
 * prefecture — then, after an empty line, the round and its tally.
 */
export function resultSheetCsv(data: ResultSheetData): string {
  const line = (values: readonly (string | number)[]) => `${values.map((v) => csvField(String(v))).join(',')}\r\n`;
  let csv = `\uFEFF${line(RESULT_COLUMNS)}`;
  for (const row of groupedRows(data.rows)) csv += line(fields(row));
  csv += '\r\n';
  for (const [label, value] of summary(data)) csv += line([label, value]);
  csv += '\r\n';
  csv += line(['集計', '団体数', '重み']);
  for (const values of tallyTable(data.tally)) csv += line(values);
  return csv;
}

const FONT: Partial<ExcelJS.Font> = { name: 'Meiryo UI', size: 10 };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const GROUP_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FFB4B4B4' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const WIDTHS = [8, 12, 12, 20, 10, 10, 48, 20, 30, 20];

/**
 * The result sheet as an Excel workbook. Sheet 結果: the round (spec, proposal, rules, status,
 * outcome), its tally per stance (organisations and weight), then one row per organisation of
 * the electorate under a heading row per prefecture that counts its answers — headers frozen.
 * Sheet 都道府県別: the counts and weights per prefecture.
 */
export function buildResultWorkbook(data: ResultSheetData): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Kyogi';
  workbook.created = data.exportedAt;
  const sheet = workbook.addWorksheet('結果', { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = WIDTHS.map((width) => ({ width }));

  let r = 1;
  sheet.getCell(r, 1).value = '協議結果';
  sheet.getCell(r, 1).font = { ...FONT, size: 14, bold: true };
  r += 1;
  for (const [label, value] of summary(data)) {
    sheet.getCell(r, 1).value = label;
    sheet.getCell(r, 1).font = { ...FONT, bold: true };
    sheet.getCell(r, 2).value = value;
    sheet.getCell(r, 2).font = FONT;
    sheet.mergeCells(r, 2, r, WIDTHS.length);
    r += 1;
  }
  r += 1;
  ['集計', '団体数', '重み'].forEach((h, i) => {
    const cell = sheet.getCell(r, i + 1);
    cell.value = h;
    cell.font = { ...FONT, bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
  });
  r += 1;
  for (const values of tallyTable(data.tally)) {
    values.forEach((value, i) => {
      const cell = sheet.getCell(r, i + 1);
      cell.value = value;
      cell.font = { ...FONT, bold: values[0] === '計' };
      cell.border = BORDER;
      if (i > 0) cell.numFmt = '#,##0';
    });
    r += 1;
  }
  r += 1;

  const headerRow = r;
  RESULT_COLUMNS.forEach((h, i) => {
    const cell = sheet.getCell(r, i + 1);
    cell.value = h;
    cell.font = { ...FONT, bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}` }];
  r += 1;
  const totals = new Map(prefectureTotals(data.rows).map((t) => [t.code ?? '~', t]));
  let group: string | undefined;
  for (const row of groupedRows(data.rows)) {
    const id = row.prefectureCode ?? '~';
    if (id !== group) {
      group = id;
      const t = totals.get(id)!;
      const heading = sheet.getCell(r, 1);
      heading.value = `${t.name}　${Object.values(t.counts).reduce((a, b) => a + b, 0)}団体（${STANCES.map((s) => `${STANCE_JA[s]} ${t.counts[s]}`).join('・')}・${NO_ANSWER} ${t.counts.none}）`;
      heading.font = { ...FONT, bold: true };
      for (let c = 1; c <= WIDTHS.length; c++) sheet.getCell(r, c).fill = GROUP_FILL;
      sheet.mergeCells(r, 1, r, WIDTHS.length);
      r += 1;
    }
    const values = fields(row);
    values.forEach((value, i) => {
      const cell = sheet.getCell(r, i + 1);
      cell.value = value === '' ? null : i === 4 ? Number(value) : String(value);
      cell.font = { ...FONT, color: row.stance === null && i === 5 ? { argb: 'FFC00000' } : undefined };
      cell.border = BORDER;
      cell.alignment = { vertical: 'top', wrapText: i === 6 };
      if (i === 4) cell.numFmt = '#,##0';
    });
    sheet.getRow(r).outlineLevel = 1;
    r += 1;
  }

  const byPrefecture = workbook.addWorksheet('都道府県別', { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2' }] });
  const kinds = [...STANCES, 'none'] as const;
  const label = (k: (typeof kinds)[number]) => (k === 'none' ? NO_ANSWER : STANCE_JA[k]);
  const headers = ['都道府県コード', '都道府県', '団体数', ...kinds.map(label), ...kinds.map((k) => `${label(k)}（重み）`)];
  byPrefecture.columns = headers.map((h, i) => ({ width: i < 2 ? 14 : h.includes('重み') ? 14 : 9 }));
  headers.forEach((h, i) => {
    const cell = byPrefecture.getCell(1, i + 1);
    cell.value = h;
    cell.font = { ...FONT, bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  });
  [...totals.values()]
    .sort((a, b) => ((a.code ?? '~') < (b.code ?? '~') ? -1 : 1))
    .forEach((t, i) => {
      const values = [
        t.code ?? '',
        t.name,
        Object.values(t.counts).reduce((a, b) => a + b, 0),
        ...kinds.map((k) => t.counts[k]),
        ...kinds.map((k) => t.weights[k]),
      ];
      values.forEach((value, c) => {
        const cell = byPrefecture.getCell(i + 2, c + 1);
        cell.value = value === '' ? null : value;
        cell.font = FONT;
        cell.border = BORDER;
        if (c >= 2) cell.numFmt = '#,##0';
      });
    });
  return workbook;
}

export async function resultWorkbookBytes(data: ResultSheetData): Promise<Buffer> {
  return Buffer.from(await buildResultWorkbook(data).xlsx.writeBuffer());
}
