import * as ExcelJS from 'exceljs';
import { outcomeOf, tally, type Stance } from '@kyogi/domain/consultations/tally';
import { buildResultWorkbook, groupedRows, RESULT_COLUMNS, resultSheetCsv, resultWorkbookBytes, type ResultRow, type ResultSheetData } from './result-sheet';

const row = (overrides: Partial<ResultRow> & Pick<ResultRow, 'organisationId'>): ResultRow => ({
  prefectureCode: '01',
  prefectureName: '北海道',
  organisationCode: overrides.organisationId,
  organisationName: overrides.organisationId,
  weight: 1,
  stance: null,
  reason: null,
  castByName: null,
  mandateId: null,
  castAt: null,
  ...overrides,
});

const ROWS: ResultRow[] = [
  row({
    organisationId: '312011',
    prefectureCode: '31',
    prefectureName: '鳥取県',
    organisationName: '鳥取市',
    stance: 'approve',
    castByName: '鳥取県',
    mandateId: 'M-1',
    castAt: new Date('2025-04-10T01:02:03Z'),
  }),
  row({
    organisationId: '011002',
    organisationName: '札幌市',
    stance: 'object',
    reason: '運用上の支障, "窓口"\n二行目',
    castByName: '札幌市',
    castAt: new Date('2025-04-09T15:00:00Z'),
  }),
  row({ organisationId: '012025', organisationName: '函館市' }),
  row({
    organisationId: '313025',
    prefectureCode: '31',
    prefectureName: '鳥取県',
    organisationName: '倉吉市',
    stance: 'block',
    reason: '=1+1',
    castByName: '倉吉市',
    castAt: new Date('2025-04-10T00:00:00Z'),
  }),
  row({ organisationId: 'mic', prefectureCode: null, prefectureName: null, organisationCode: null, organisationName: '総務省', weight: 0 }),
];
const stances = new Map(ROWS.filter((r) => r.stance).map((r) => [r.organisationId, r.stance as Stance]));
const electorate = ROWS.map((r) => ({ organisationId: r.organisationId, weight: r.weight }));
const rules = { quorumPercent: 50, thresholdPercent: 60, thresholdBasis: 'approve_of_approve_and_object', blockVetoes: true } as const;
const TALLY = tally(electorate, stances);

const DATA: ResultSheetData = {
  spec: { specId: 'juminkiroku', title: '住民記録システム標準仕様書' },
  proposal: { proposalId: 'P-1', title: '旧氏の記載の選択' },
  consultation: {
    consultationId: 'K-1',
    openedByName: 'デジタル庁',
    status: 'closed',
    resultsHidden: true,
    weighting: 'equal',
    ...rules,
    openedAt: new Date('2025-04-01T00:00:00Z'),
    closesAt: new Date('2025-04-15T08:00:00Z'),
    closedAt: new Date('2025-04-11T00:00:00Z'),
    early: true,
    closeReason: '全団体が回答したため',
    ladderStage: null,
  },
  tally: TALLY,
  outcome: outcomeOf(TALLY, rules),
  rows: ROWS,
  exportedAt: new Date('2025-04-12T00:00:00Z'),
};

describe('the result sheet as CSV', () => {
  const csv = resultSheetCsv(DATA);
  const lines = csv.split('\r\n');

  it('starts with a byte order mark for Excel and ends every line with CRLF', () => {
    expect(csv.startsWith('\uFEFF都道府県コード,都道府県,団体コード,団体,重み,態度,理由,投じた団体,委任ID,日時（日本時間）\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '').includes('\r')).toBe(false);
  });

  it('has one row per organisation, grouped by prefecture, with its stance or 未回答, reason, who cast it and when', () => {
    expect(lines.slice(1, 7)).toEqual([
      '01,北海道,011002,札幌市,1,反対,"運用上の支障, ""窓口""\n二行目",札幌市,,2025-04-10 00:00:00',
      '01,北海道,012025,函館市,1,未回答,,,,',
      '31,鳥取県,312011,鳥取市,1,賛成,,鳥取県,M-1,2025-04-10 10:02:03',
      "31,鳥取県,313025,倉吉市,1,阻止,'=1+1,倉吉市,,2025-04-10 09:00:00",
      ',（都道府県なし）,mic,総務省,0,未回答,,,,',
      '',
    ]);
  });

  it('then gives the round and its tally', () => {
    expect(lines).toContain('状態,終了 2025-04-11 09:00:00（締切前に終了: 全団体が回答したため）');
    expect(lines).toContain('結果,否決（定足数を満たす、可決基準を満たさない、阻止あり）');
    expect(lines.slice(lines.indexOf('集計,団体数,重み'), -1)).toEqual([
      '集計,団体数,重み',
      '賛成,1,1',
      '反対,1,1',
      '棄権,0,0',
      '阻止,1,1',
      '未回答,2,1',
      '計,5,4',
    ]);
  });
});

describe('the result sheet as Excel', () => {
  it('has the round, the tally, and the organisations under a heading per prefecture, headers frozen', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await resultWorkbookBytes(DATA)) as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('結果')!;
    const values: unknown[][] = [];
    const numbers: number[] = [];
    sheet.eachRow((r, n) => {
      values.push((r.values as unknown[]).slice(1));
      numbers.push(n);
    });
    expect(values[0]).toEqual(['協議結果']);
    expect(values).toContainEqual(['集計', '団体数', '重み']);
    expect(values).toContainEqual(['未回答', 2, 1]);
    const header = values.findIndex((v) => v[0] === RESULT_COLUMNS[0]);
    expect(values[header]).toEqual([...RESULT_COLUMNS]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: numbers[header] });
    const table = values.slice(header + 1).map((v) => (v.length === 1 || (typeof v[0] === 'string' && v[1] === v[0]) ? v[0] : v.slice(1, 6)));
    expect(table).toEqual([
      '北海道　2団体（賛成 0・反対 1・棄権 0・阻止 0・未回答 1）',
      ['北海道', '011002', '札幌市', 1, '反対'],
      ['北海道', '012025', '函館市', 1, '未回答'],
      '鳥取県　2団体（賛成 1・反対 0・棄権 0・阻止 1・未回答 0）',
      ['鳥取県', '312011', '鳥取市', 1, '賛成'],
      ['鳥取県', '313025', '倉吉市', 1, '阻止'],
      '（都道府県なし）　1団体（賛成 0・反対 0・棄権 0・阻止 0・未回答 1）',
      ['（都道府県なし）', 'mic', '総務省', 0, '未回答'],
    ]);
  });

  it('counts each prefecture on a second sheet', () => {
    const sheet = buildResultWorkbook(DATA).getWorksheet('都道府県別')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 8)).toEqual(['都道府県コード', '都道府県', '団体数', '賛成', '反対', '棄権', '阻止']);
    expect((sheet.getRow(3).values as unknown[]).slice(1, 9)).toEqual(['31', '鳥取県', 2, 1, 0, 0, 1, 0]);
  });

  it('groups by prefecture code, organisations without one last', () => {
    expect(groupedRows(ROWS).map((r) => r.organisationId)).toEqual(['011002', '012025', '312011', '313025', 'mic']);
  });
});
