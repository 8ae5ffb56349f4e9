/**
 * The 意見照会 matrix and result sheets from the outside: the built app on a fresh database with
 * the demo seed. デジタル庁 drafts and submits a proposal on 住民記録 4.0; 札幌市 and 檜原村 comment,
 * デジタル庁 answers one comment. The matrix downloads as .xlsx with those cells; 札幌市 fills the
 * downloaded matrix in with new rows (Japanese in every column) and imports it: the dry run shows
 * the rows and stores nothing, the import posts them once, a retry posts nothing more, and the
 * re-exported matrix imports as nothing new. Malformed files, another organisation in 団体 and one
 * bad row among good ones store nothing and name the row. デジタル庁 then answers the exported
 * matrix (対応区分 and 対応案, No in 漢数字) and imports the answers as dispositions: a dry run that
 * stores nothing, refusals for others than its coordinators, bad rows named by row and column, one
 * import, a second that records nothing, and a changed answer that revises. Then a hidden round over 札幌市, 函館市
 * and 檜原村 — 札幌市's stance cast by 北海道 under a mandate — has no result sheet until it closes,
 * and then one in Excel and CSV with every organisation's stance.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as ExcelJS from 'exceljs';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(180_000);

const ADMIN = 'admin@digital.example.jp'; // デジタル庁: admin, coordinator — owns juminkiroku
const SAPPORO = 'staff@city.sapporo.example.jp'; // 札幌市: member
const SAPPORO_APPROVER = 'approver@city.sapporo.example.jp'; // 札幌市: member, approver
const HINOHARA = 'staff@vill.hinohara.example.jp'; // 檜原村: member, approver, admin
const HOKKAIDO = 'coordinator@pref.hokkaido.example.jp'; // 北海道: member, coordinator
const AUDITOR = 'auditor@observer.example.jp'; // observer: viewer
const run = randomBytes(4).toString('hex');

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'matrix');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  for (const email of [ADMIN, SAPPORO, SAPPORO_APPROVER, HINOHARA, HOKKAIDO, AUDITOR]) tokens[email] = await demoLogin(app.url, email);
});

afterAll(async () => {
  await stopAllApps();
  await database?.drop();
});

interface Payload {
  errors: { code: string; message: string; field: string | null }[];
  position: string | null;
  [key: string]: any;
}

async function mutate(name: string, input: Record<string, unknown>, email: string, selection = ''): Promise<Payload> {
  const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
  const data = await gqlData(
    app.url,
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { position errors { code message field } ${selection} } }`,
    { input },
    tokens[email],
  );
  return data[name];
}

async function download(path: string, email: string | null): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Buffer }> {
  const response = await fetch(`${app.url}${path}`, { headers: email ? { authorization: `Bearer ${tokens[email]}` } : {} });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    disposition: response.headers.get('content-disposition'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

const json = (bytes: Buffer) => JSON.parse(bytes.toString('utf8'));

async function workbookOf(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return workbook;
}

/** Rows from the header row down, as cell texts (rich text and numbers as text). */
function rowsOf(sheet: ExcelJS.Worksheet, from: number): string[][] {
  const rows: string[][] = [];
  for (let r = from; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    if (!row.hasValues) continue;
    rows.push(Array.from({ length: 11 }, (_, c) => row.getCell(c + 1).text));
  }
  return rows;
}

const IMPORT = `dryRun sheet createdCount
  rows { row no requirementId requirementTitle anchor { kind changeId requirementId } line quote { start end text } suggestion reason body commentId alreadyImported }
  skippedRows { row commentId } problems { code message row column }`;

const importMatrix = (proposalId: string, bytes: Buffer | string, dryRun: boolean, email = SAPPORO) =>
  mutate('importCommentMatrix', { proposalId, fileBase64: typeof bytes === 'string' ? bytes : bytes.toString('base64'), dryRun }, email, IMPORT);

async function commentsOf(proposalId: string, email = ADMIN, waitFor: string | null = null): Promise<any[]> {
  const data = await gqlData(
    app.url,
    `query ($id: ID!, $waitFor: Position) { proposal(id: $id, waitFor: $waitFor) { comments { id body authorOrganisationId anchor { kind changeId requirementId } quote { text } replies { id } } } }`,
    { id: proposalId, waitFor },
    tokens[email],
  );
  return data.proposal.comments;
}

const TEXT_991 = '標準仕様書に定める帳票以外の独自の帳票を出力する機能は、実装しないこと。';
const PROPOSED_213 =
  '住民票の写し（世帯全員、世帯の一部）を交付できること。\n本籍・筆頭者、続柄、住民票コード、旧氏等の記載の有無を「省略」「記載」から選択できること。';
let proposalId: string;
let sapporoComment: string;
let hinoharaComment: string;
let matrixBytes: Buffer;
let lastPosition: string | null = null;

describe('the 意見照会 matrix of a proposal', () => {
  it('is the author organisation’s alone while the proposal is a draft', async () => {
    const drafted = await mutate(
      'draftProposal',
      {
        commandId: randomUUID(),
        specId: 'juminkiroku',
        specVersion: '4.0',
        title: `旧氏の記載の選択（意見照会 ${run}）`,
        changes: [
          { changeId: 'c-213', kind: 'MODIFY', requirementId: '2.1.3', after: PROPOSED_213, reason: '旧氏の記載の有無を選択できる必要があるため' },
          { changeId: 'c-991', kind: 'DELETE', requirementId: '9.9.1', reason: '別の文書で定めるため' },
        ],
      },
      ADMIN,
      'proposal { id }',
    );
    expect(drafted.errors).toEqual([]);
    proposalId = drafted.proposal.id;

    const own = await download(`/matrix/proposals/${proposalId}.xlsx?waitFor=${drafted.position}`, ADMIN);
    expect(own.status).toBe(200);
    const other = await download(`/matrix/proposals/${proposalId}.xlsx`, SAPPORO);
    expect(other.status).toBe(404);
    expect(json(other.bytes)).toEqual({ code: 'PROPOSAL_NOT_FOUND', message: `Proposal ${proposalId} does not exist.` });
    // A draft of another organisation cannot be imported into either.
    const imported = await importMatrix(proposalId, own.bytes, true);
    expect(imported.errors.map((e) => e.code)).toEqual(['PROPOSAL_NOT_FOUND']);

    const submitted = await mutate('submitProposal', { proposalId }, ADMIN);
    expect(submitted.errors).toEqual([]);
  });

  it('downloads with one row per comment thread, the header block, and the disposition', async () => {
    const posted = await mutate(
      'postComment',
      {
        commandId: randomUUID(),
        proposalId,
        anchor: { kind: 'CHANGE', changeId: 'c-213' },
        quote: { start: PROPOSED_213.indexOf('旧氏等'), end: PROPOSED_213.indexOf('旧氏等') + 3, text: '旧氏等' },
        body: '【修文案】\n旧氏（ふりがなを含む）等\n\n【理由】\nふりがなの記載を求める住民が多いため。',
      },
      SAPPORO,
      'comment { id }',
    );
    expect(posted.errors).toEqual([]);
    sapporoComment = posted.comment.id;
    const hinohara = await mutate(
      'postComment',
      {
        commandId: randomUUID(),
        proposalId,
        anchor: { kind: 'CHANGE', changeId: 'c-991' },
        body: '削除には反対です。小規模団体では独自帳票が必要な場合があります。',
      },
      HINOHARA,
      'comment { id }',
    );
    expect(hinohara.errors).toEqual([]);
    hinoharaComment = hinohara.comment.id;
    const reply = await mutate(
      'postComment',
      { commandId: randomUUID(), proposalId, parentCommentId: hinoharaComment, anchor: { kind: 'CHANGE', changeId: 'c-991' }, body: '札幌市も同意見です。' },
      SAPPORO,
    );
    expect(reply.errors).toEqual([]);
    const disposed = await mutate(
      'disposeComment',
      { commandId: randomUUID(), commentId: sapporoComment, code: 'ADDRESS_WITH_CHANGES', answer: 'ふりがなを含める形で修正します。' },
      ADMIN,
    );
    expect(disposed.errors).toEqual([]);

    const unauthenticated = await download(`/matrix/proposals/${proposalId}.xlsx`, null);
    expect(unauthenticated.status).toBe(401);
    expect(json(unauthenticated.bytes)).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await download(`/matrix/proposals/${proposalId}.pdf`, SAPPORO)).status).toBe(404);
    expect(json((await download('/matrix/proposals/01JNOSUCHPROPOSAL.xlsx', SAPPORO)).bytes)).toMatchObject({ code: 'PROPOSAL_NOT_FOUND' });

    const file = await download(`/matrix/proposals/${proposalId}.xlsx?waitFor=${disposed.position}`, AUDITOR);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.disposition).toContain(`filename*=UTF-8''${encodeURIComponent('意見照会_juminkiroku_4.0_')}`);
    matrixBytes = file.bytes;
    const sheet = (await workbookOf(file.bytes)).getWorksheet('意見照会')!;
    expect(sheet.getCell('B1').text).toBe('住民記録システム標準仕様書（juminkiroku）');
    expect(sheet.getCell('B2').text).toBe('4.0');
    expect(sheet.getCell('B3').text).toBe(`旧氏の記載の選択（意見照会 ${run}）（第1版）`);
    expect(sheet.getCell('B4').text).toBe(proposalId);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 });
    expect(rowsOf(sheet, 5)).toEqual([
      ['No', '該当項目', '行番号', '修正前の文', '修文案', '理由', '団体', '対応区分', '対応案', '返信', 'コメントID'],
      [
        '1',
        '2.1.3 住民票の写しの交付',
        '2',
        '旧氏等',
        '旧氏（ふりがなを含む）等',
        'ふりがなの記載を求める住民が多いため。',
        '北海道札幌市',
        '修正して対応',
        'ふりがなを含める形で修正します。',
        '',
        sapporoComment,
      ],
      [
        '2',
        '9.9.1 独自帳票の出力',
        '',
        TEXT_991,
        '',
        '削除には反対です。小規模団体では独自帳票が必要な場合があります。',
        '東京都檜原村',
        '',
        '',
        '北海道札幌市: 札幌市も同意見です。',
        hinoharaComment,
      ],
    ]);
  });
});

/** The downloaded matrix with rows added under the exported ones. */
async function filledIn(rows: (string | number | null)[][], edit?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = await workbookOf(matrixBytes);
  const sheet = workbook.getWorksheet('意見照会')!;
  let r = sheet.rowCount + 1;
  for (const values of rows) {
    values.forEach((value, c) => (sheet.getCell(r, c + 1).value = value));
    r += 1;
  }
  edit?.(sheet);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// Japanese in every column: No, 該当項目, 行番号 (全角), 修正前の文, 修文案, 理由, 団体.
const NEW_ROWS = [
  ['三', '2.1.3 住民票の写しの交付', '２', '住民票コード', '住民票コード（希望者のみ）', '住民票コードの記載は本人の希望による。', '札幌市'],
  ['四', '９．９．１ 独自帳票の出力', '１', '独自の帳票', '独自の帳票（条例で定めるものを除く。）', '条例に基づく帳票は必要なため。', '北海道札幌市'],
  ['五', '1.1.1 住民票の作成', null, null, null, '住民票の作成は現行どおりで差し支えない。', '札幌市'],
];

describe('importing a filled-in matrix', () => {
  let filled: Buffer;

  it('shows on a dry run what would be created, and stores nothing', async () => {
    const before = await commentsOf(proposalId);
    filled = await filledIn(NEW_ROWS);
    const dry = await importMatrix(proposalId, filled, true);
    expect(dry.errors).toEqual([]);
    expect(dry).toMatchObject({ dryRun: true, sheet: '意見照会', createdCount: 0, position: null, problems: [] });
    expect(dry.skippedRows).toEqual([
      { row: 6, commentId: sapporoComment },
      { row: 7, commentId: hinoharaComment },
    ]);
    expect(dry.rows.map(({ commentId: _id, ...row }: any) => row)).toEqual([
      {
        row: 8,
        no: '三',
        requirementId: '2.1.3',
        requirementTitle: '住民票の写しの交付',
        anchor: { kind: 'CHANGE', changeId: 'c-213', requirementId: null },
        line: 2,
        quote: { start: PROPOSED_213.indexOf('住民票コード'), end: PROPOSED_213.indexOf('住民票コード') + 6, text: '住民票コード' },
        suggestion: '住民票コード（希望者のみ）',
        reason: '住民票コードの記載は本人の希望による。',
        body: '【修文案】\n住民票コード（希望者のみ）\n\n【理由】\n住民票コードの記載は本人の希望による。',
        alreadyImported: false,
      },
      {
        row: 9,
        no: '四',
        requirementId: '9.9.1',
        requirementTitle: '独自帳票の出力',
        anchor: { kind: 'CHANGE', changeId: 'c-991', requirementId: null },
        line: 1,
        quote: { start: TEXT_991.indexOf('独自の帳票'), end: TEXT_991.indexOf('独自の帳票') + 5, text: '独自の帳票' },
        suggestion: '独自の帳票（条例で定めるものを除く。）',
        reason: '条例に基づく帳票は必要なため。',
        body: '【修文案】\n独自の帳票（条例で定めるものを除く。）\n\n【理由】\n条例に基づく帳票は必要なため。',
        alreadyImported: false,
      },
      {
        row: 10,
        no: '五',
        requirementId: '1.1.1',
        requirementTitle: '住民票の作成',
        anchor: { kind: 'REQUIREMENT', changeId: null, requirementId: '1.1.1' },
        line: null,
        quote: null,
        suggestion: '',
        reason: '住民票の作成は現行どおりで差し支えない。',
        body: '住民票の作成は現行どおりで差し支えない。',
        alreadyImported: false,
      },
    ]);
    expect(await commentsOf(proposalId)).toEqual(before);
  });

  it('posts every row once as a comment of the caller’s organisation; a retry posts nothing more', async () => {
    const imported = await importMatrix(proposalId, filled, false);
    expect(imported.errors).toEqual([]);
    expect(imported).toMatchObject({ dryRun: false, createdCount: 3, problems: [] });
    expect(imported.position).not.toBeNull();
    lastPosition = imported.position;
    const comments = await commentsOf(proposalId, ADMIN, imported.position);
    const posted = comments.filter((c) => imported.rows.some((r: any) => r.commentId === c.id));
    expect(posted.map((c) => [c.authorOrganisationId, c.anchor, c.quote?.text ?? null, c.body])).toEqual(
      imported.rows.map((r: any) => ['011002', r.anchor, r.quote?.text ?? null, r.body]),
    );
    expect(comments).toHaveLength(5);

    const retried = await importMatrix(proposalId, filled, false);
    expect(retried.errors).toEqual([]);
    expect(retried.createdCount).toBe(0);
    expect(retried.rows.map((r: any) => [r.commentId, r.alreadyImported])).toEqual(imported.rows.map((r: any) => [r.commentId, true]));
    const dryAgain = await importMatrix(proposalId, filled, true);
    expect(dryAgain.rows.every((r: any) => r.alreadyImported)).toBe(true);
    expect(await commentsOf(proposalId, ADMIN, retried.position ?? imported.position)).toHaveLength(5);
  });

  it('exports the imported rows back with their ids; that matrix imports as nothing new', async () => {
    const file = await download(`/matrix/proposals/${proposalId}.xlsx?waitFor=${lastPosition}`, SAPPORO);
    const sheet = (await workbookOf(file.bytes)).getWorksheet('意見照会')!;
    const rows = rowsOf(sheet, 6);
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => r.slice(1, 7))).toContainEqual([
      '9.9.1 独自帳票の出力',
      '1',
      '独自の帳票',
      '独自の帳票（条例で定めるものを除く。）',
      '条例に基づく帳票は必要なため。',
      '北海道札幌市',
    ]);
    const again = await importMatrix(proposalId, file.bytes, false);
    expect(again.errors).toEqual([]);
    expect(again).toMatchObject({ createdCount: 0, rows: [] });
    expect(again.skippedRows).toHaveLength(5);
  });
});

describe('a matrix that cannot be imported stores nothing', () => {
  const codes = (payload: Payload) => payload.problems.map((p: any) => [p.code, p.row, p.column]);
  let count: number;
  beforeAll(async () => {
    count = (await commentsOf(proposalId, ADMIN, lastPosition)).length;
  });
  afterEach(async () => {
    expect(await commentsOf(proposalId)).toHaveLength(count);
  });

  it('refuses a file that is not an .xlsx', async () => {
    const csv = await importMatrix(proposalId, Buffer.from('No,該当項目,修文案,理由\r\n1,2.1.3,案,理由\r\n'), false);
    expect(codes(csv)).toEqual([['NOT_XLSX', null, null]]);
    expect(csv.errors).toEqual([{ code: 'NOT_XLSX', message: expect.stringContaining('not an .xlsx'), field: 'fileBase64' }]);
    const garbage = await importMatrix(proposalId, '%%% not base64 %%%', false);
    expect(garbage.errors.map((e) => e.code)).toEqual(['INVALID_BASE64']);
    const big = await importMatrix(proposalId, randomBytes(1_100_000), false);
    expect(big.errors).toEqual([{ code: 'FILE_TOO_LARGE', message: expect.stringContaining('1 MB'), field: 'fileBase64' }]);
  });

  it('refuses a workbook whose sheets lack the matrix header', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('意見照会');
    sheet.getRow(1).values = ['番号', '項目', '意見'];
    sheet.getRow(2).values = [1, '2.1.3', '賛成です'];
    const payload = await importMatrix(proposalId, Buffer.from(await workbook.xlsx.writeBuffer()), false);
    expect(codes(payload)).toEqual([['NO_MATRIX_SHEET', null, null]]);
  });

  it('names the row and column of another organisation in 団体', async () => {
    const payload = await importMatrix(proposalId, await filledIn([NEW_ROWS[2], ['六', '2.1.3', null, null, '案', '檜原村として', '東京都檜原村']]), false);
    expect(codes(payload)).toEqual([['OTHER_ORGANISATION', 9, 'G (団体)']]);
    expect(payload.errors[0].message).toContain('Row 9, column G (団体): 団体 is 東京都檜原村, not your organisation (北海道札幌市)');
    expect(payload.createdCount).toBe(0);
  });

  it('stores none of the good rows when one row among them is wrong, naming that row', async () => {
    const payload = await importMatrix(
      proposalId,
      await filledIn([
        ['七', '2.1.3', null, null, '新しい案一', '理由一', '札幌市'],
        ['八', '8.8.8 存在しない項目', null, null, '新しい案二', '理由二', '札幌市'],
        ['九', '2.1.3', null, null, '新しい案三', '理由三', '札幌市'],
      ]),
      false,
    );
    expect(codes(payload)).toEqual([['UNKNOWN_ITEM', 9, 'B (該当項目)']]);
    expect(payload.rows.map((r: any) => r.row)).toEqual([8, 10]);
    expect(payload.createdCount).toBe(0);
    expect(payload.position).toBeNull();
  });

  it('refuses a viewer', async () => {
    const payload = await importMatrix(proposalId, matrixBytes, false, AUDITOR);
    expect(payload.errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
  });
});

describe('importing the secretariat’s answers (対応区分 and 対応案) as dispositions', () => {
  const DISPOSE = `dryRun sheet disposedCount
    rows { row no commentId code label answer change previous { code label answer revision } }
    unansweredRows { row commentId } problems { code message row column }`;
  const importAnswers = (bytes: Buffer, dryRun: boolean, email = ADMIN) =>
    mutate('importMatrixDispositions', { proposalId, fileBase64: bytes.toString('base64'), dryRun }, email, DISPOSE);
  const dispositionsOf = async (waitFor: string | null = null): Promise<Record<string, unknown>> => {
    const data = await gqlData(
      app.url,
      'query ($id: ID!, $waitFor: Position) { proposal(id: $id, waitFor: $waitFor) { comments { id disposition { code label answer revision disposedByOrganisationId } } } }',
      { id: proposalId, waitFor },
      tokens[ADMIN],
    );
    return Object.fromEntries(data.proposal.comments.map((c: any) => [c.id, c.disposition]));
  };
  /** The matrix as exported now, with answers written into the rows of the named comments; No in 漢数字. */
  const answered = async (answers: Record<string, [string, string]>, extra: (string | null)[][] = []): Promise<Buffer> => {
    const workbook = await workbookOf(exportedNow);
    const sheet = workbook.getWorksheet('意見照会')!;
    const numerals = ['一', '二', '三', '四', '五', '六', '七', '八'];
    for (let r = 6; r <= sheet.rowCount; r++) {
      const id = sheet.getCell(r, 11).text;
      if (!id) continue;
      sheet.getCell(r, 1).value = numerals[r - 6];
      const answer = answers[id];
      if (answer) [sheet.getCell(r, 8).value, sheet.getCell(r, 9).value] = answer;
    }
    let r = sheet.rowCount + 1;
    for (const values of extra) (values.forEach((value, c) => (sheet.getCell(r, c + 1).value = value)), (r += 1));
    return Buffer.from(await workbook.xlsx.writeBuffer());
  };
  let exportedNow: Buffer;
  let rowOf: Record<string, number>;
  let imported: { byRequirement: Record<string, string> };
  let answers: Record<string, [string, string]>;
  let before: Record<string, unknown>;

  beforeAll(async () => {
    exportedNow = (await download(`/matrix/proposals/${proposalId}.xlsx?waitFor=${lastPosition}`, ADMIN)).bytes;
    const sheet = (await workbookOf(exportedNow)).getWorksheet('意見照会')!;
    const rows = rowsOf(sheet, 6);
    rowOf = Object.fromEntries(rows.map((r, i) => [r[10], 6 + i]));
    // The three comments 札幌市 imported, by the requirement of their row.
    imported = {
      byRequirement: Object.fromEntries(rows.filter((r) => r[10] !== sapporoComment && r[10] !== hinoharaComment).map((r) => [r[1].split(' ')[0], r[10]])),
    };
    expect(Object.keys(imported.byRequirement).sort()).toEqual(['1.1.1', '2.1.3', '9.9.1']);
    answers = {
      [hinoharaComment]: ['対応しない', '独自帳票の禁止は維持します。\n条例に基づく帳票は別途整理します。'],
      [imported.byRequirement['2.1.3']]: ['今後検討', '住民票コードの記載は次期改定で検討します。'],
      [imported.byRequirement['9.9.1']]: ['修正して対応', '「条例で定めるものを除く。」を加えます。'],
    };
    before = await dispositionsOf(lastPosition);
  });

  it('shows on a dry run what would change — Japanese in every column — and stores nothing', async () => {
    const dry = await importAnswers(await answered(answers), true);
    expect(dry.errors).toEqual([]);
    expect(dry).toMatchObject({ dryRun: true, sheet: '意見照会', disposedCount: 0, position: null, problems: [] });
    const no = (id: string) => ['一', '二', '三', '四', '五'][rowOf[id] - 6];
    expect(dry.rows).toEqual(
      [
        {
          row: rowOf[sapporoComment],
          no: no(sapporoComment),
          commentId: sapporoComment,
          code: 'ADDRESS_WITH_CHANGES',
          label: '修正して対応',
          answer: 'ふりがなを含める形で修正します。',
          change: 'UNCHANGED',
          previous: { code: 'ADDRESS_WITH_CHANGES', label: '修正して対応', answer: 'ふりがなを含める形で修正します。', revision: 1 },
        },
        {
          row: rowOf[hinoharaComment],
          no: no(hinoharaComment),
          commentId: hinoharaComment,
          code: 'NOT_ADDRESS',
          label: '対応しない',
          answer: '独自帳票の禁止は維持します。\n条例に基づく帳票は別途整理します。',
          change: 'NEW',
          previous: null,
        },
        {
          row: rowOf[imported.byRequirement['2.1.3']],
          no: no(imported.byRequirement['2.1.3']),
          commentId: imported.byRequirement['2.1.3'],
          code: 'CONSIDER_LATER',
          label: '今後検討',
          answer: '住民票コードの記載は次期改定で検討します。',
          change: 'NEW',
          previous: null,
        },
        {
          row: rowOf[imported.byRequirement['9.9.1']],
          no: no(imported.byRequirement['9.9.1']),
          commentId: imported.byRequirement['9.9.1'],
          code: 'ADDRESS_WITH_CHANGES',
          label: '修正して対応',
          answer: '「条例で定めるものを除く。」を加えます。',
          change: 'NEW',
          previous: null,
        },
      ].sort((a, b) => a.row - b.row),
    );
    expect(dry.unansweredRows).toEqual([{ row: rowOf[imported.byRequirement['1.1.1']], commentId: imported.byRequirement['1.1.1'] }]);
    expect(await dispositionsOf()).toEqual(before);
  });

  it('is only for a coordinator of the spec’s owner', async () => {
    const file = await answered(answers);
    for (const email of [SAPPORO, HOKKAIDO, AUDITOR]) {
      const refused = await importAnswers(file, true, email);
      expect(refused.errors).toEqual([
        { code: 'FORBIDDEN', message: "comment.importDispositions requires the coordinator role in the spec's owner organisation", field: null },
      ]);
      expect(refused.rows).toEqual([]);
    }
  });

  it('names every bad row by row and column and stores none of the good ones', async () => {
    const bad = await importAnswers(
      await answered(
        {
          ...answers,
          [imported.byRequirement['2.1.3']]: ['検討済み', '住民票コードは検討済みです。'],
          [imported.byRequirement['9.9.1']]: ['修正して対応', ''],
        },
        [['六', '2.1.3 住民票の写しの交付', null, null, null, '追加の意見', '札幌市', '回答のみ', '承知しました。', null, '01JNOSUCHCOMMENT0000000001']],
      ),
      false,
    );
    const newRow = 6 + Object.keys(rowOf).length;
    expect(bad.problems.map((p: any) => [p.code, p.row, p.column])).toEqual(
      [
        ['UNKNOWN_DISPOSITION', rowOf[imported.byRequirement['2.1.3']], 'H (対応区分)'],
        ['MISSING_ANSWER', rowOf[imported.byRequirement['9.9.1']], 'I (対応案)'],
        ['UNKNOWN_COMMENT_ID', newRow, 'K (コメントID)'],
      ].sort((a, b) => (a[1] as number) - (b[1] as number)),
    );
    expect(bad.errors.map((e) => e.message)).toContain(
      `Row ${rowOf[imported.byRequirement['2.1.3']]}, column H (対応区分): 対応区分 検討済み is not one of 対応する, 修正して対応, 今後検討, 対応しない, 回答のみ.`,
    );
    expect(bad).toMatchObject({ disposedCount: 0, position: null });
    expect(await dispositionsOf()).toEqual(before);
  });

  it('records each answer once; importing the same file again records nothing; a changed answer revises', async () => {
    const file = await answered(answers);
    const done = await importAnswers(file, false);
    expect(done.errors).toEqual([]);
    expect(done).toMatchObject({ dryRun: false, disposedCount: 3, problems: [] });
    expect(done.position).not.toBeNull();
    const after = await dispositionsOf(done.position);
    const recorded = (code: string, label: string, answer: string, revision = 1) => ({
      code,
      label,
      answer,
      revision,
      disposedByOrganisationId: 'digital-agency',
    });
    expect(after).toEqual({
      ...before,
      [hinoharaComment]: recorded('NOT_ADDRESS', '対応しない', '独自帳票の禁止は維持します。\n条例に基づく帳票は別途整理します。'),
      [imported.byRequirement['2.1.3']]: recorded('CONSIDER_LATER', '今後検討', '住民票コードの記載は次期改定で検討します。'),
      [imported.byRequirement['9.9.1']]: recorded('ADDRESS_WITH_CHANGES', '修正して対応', '「条例で定めるものを除く。」を加えます。'),
    });

    const again = await importAnswers(file, false);
    expect(again.errors).toEqual([]);
    expect(again).toMatchObject({ disposedCount: 0, position: null });
    expect(again.rows.map((r: any) => r.change)).toEqual(['UNCHANGED', 'UNCHANGED', 'UNCHANGED', 'UNCHANGED']);
    expect(await dispositionsOf(done.position)).toEqual(after);

    // The matrix exported now carries the answers; 檜原村's answer changed there revises its disposition.
    exportedNow = (await download(`/matrix/proposals/${proposalId}.xlsx?waitFor=${done.position}`, ADMIN)).bytes;
    const row = rowsOf((await workbookOf(exportedNow)).getWorksheet('意見照会')!, 6).find((r) => r[10] === hinoharaComment)!;
    expect(row.slice(7, 9)).toEqual(['対応しない', '独自帳票の禁止は維持します。\n条例に基づく帳票は別途整理します。']);
    const revised = await importAnswers(await answered({ [hinoharaComment]: ['回答のみ', 'ご意見として承ります。'] }), false);
    expect(revised.errors).toEqual([]);
    expect(revised.disposedCount).toBe(1);
    expect(revised.rows.find((r: any) => r.commentId === hinoharaComment)).toMatchObject({
      change: 'REVISED',
      previous: { code: 'NOT_ADDRESS', label: '対応しない', revision: 1 },
    });
    expect((await dispositionsOf(revised.position))[hinoharaComment]).toEqual(recorded('ANSWER_ONLY', '回答のみ', 'ご意見として承ります。', 2));
  });
});

describe('the result sheet of a consultation', () => {
  let consultationId: string;
  let mandateId: string;
  let closesAt: Date;

  it('is refused while a hidden round is open', async () => {
    closesAt = new Date(Date.now() + 10 * 60_000);
    const opened = await mutate(
      'openConsultation',
      {
        commandId: randomUUID(),
        proposalId,
        electorate: { organisations: ['011002', '012025', '133078'] },
        quorumPercent: 50,
        thresholdPercent: 50,
        thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT',
        blockVetoes: true,
        closesAt: closesAt.toISOString(),
        resultsHidden: true,
      },
      ADMIN,
      'consultationId',
    );
    expect(opened.errors).toEqual([]);
    consultationId = opened.consultationId;

    const granted = await mutate(
      'grantMandate',
      { commandId: randomUUID(), granteeOrganisationId: '010006', scope: { consultationId }, expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
      SAPPORO_APPROVER,
      'mandate { id }',
    );
    expect(granted.errors).toEqual([]);
    mandateId = granted.mandate.id;
    const cast = async (email: string, organisationId: string | null, stance: string, reason: string | null) => {
      const drafted = await mutate('draftStance', { commandId: randomUUID(), consultationId, organisationId, stance, reason }, email, 'draftId');
      expect(drafted.errors).toEqual([]);
      const approved = await mutate('approveStance', { commandId: randomUUID(), consultationId, draftId: drafted.draftId }, email);
      expect(approved.errors).toEqual([]);
      return approved.position;
    };
    await cast(HINOHARA, null, 'APPROVE', null);
    const position = await cast(HOKKAIDO, '011002', 'OBJECT', '窓口の運用に支障が出るため、「記載」を既定とすべき。');

    for (const file of ['results.xlsx', 'results.csv']) {
      const hidden = await download(`/consultations/${consultationId}/${file}?waitFor=${position}`, HINOHARA);
      expect(hidden.status).toBe(403);
      expect(json(hidden.bytes)).toMatchObject({ code: 'RESULTS_HIDDEN', message: expect.stringContaining('hidden until it closes') });
    }
    expect((await download(`/consultations/${consultationId}/results.pdf`, HINOHARA)).status).toBe(404);
    expect((await download('/consultations/01JNOSUCHROUND/results.csv', HINOHARA)).status).toBe(404);
    expect((await download(`/consultations/${consultationId}/results.csv`, null)).status).toBe(401);
  });

  it('gives, once closed, every organisation of the electorate with its stance, reason, who cast it and when, grouped by prefecture', async () => {
    const closed = await mutate('closeConsultation', { commandId: randomUUID(), id: consultationId, reason: '回答が出揃ったため' }, ADMIN);
    expect(closed.errors).toEqual([]);

    const csvFile = await download(`/consultations/${consultationId}/results.csv?waitFor=${closed.position}`, AUDITOR);
    expect(csvFile.status).toBe(200);
    expect(csvFile.type).toBe('text/csv; charset=utf-8');
    expect([...csvFile.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = csvFile.bytes.toString('utf8').slice(1);
    expect(csv.replace(/\r\n/g, '').includes('\n')).toBe(false); // no reason here spans lines: every line ends in CRLF
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('都道府県コード,都道府県,団体コード,団体,重み,態度,理由,投じた団体,委任ID,日時（日本時間）');
    const table = lines.slice(1, lines.indexOf('')).map((line) => line.split(','));
    expect(table.map((f) => f.slice(0, 9))).toEqual([
      ['01', '北海道', '011002', '札幌市', '1', '反対', '窓口の運用に支障が出るため、「記載」を既定とすべき。', '北海道', mandateId],
      ['01', '北海道', '012025', '函館市', '1', '未回答', '', '', ''],
      ['13', '東京都', '133078', '檜原村', '1', '賛成', '', '檜原村', ''],
    ]);
    expect(table[0][9]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(lines).toContain('結果,可決（定足数を満たす、可決基準を満たす）');
    expect(lines.slice(lines.indexOf('集計,団体数,重み'), -1)).toEqual([
      '集計,団体数,重み',
      '賛成,1,1',
      '反対,1,1',
      '棄権,0,0',
      '阻止,0,0',
      '未回答,1,1',
      '計,3,3',
    ]);

    const xlsx = await download(`/consultations/${consultationId}/results.xlsx`, SAPPORO);
    expect(xlsx.status).toBe(200);
    const sheet = (await workbookOf(xlsx.bytes)).getWorksheet('結果')!;
    const texts: string[][] = [];
    sheet.eachRow((row) => texts.push(Array.from({ length: 10 }, (_, c) => row.getCell(c + 1).text)));
    const header = texts.findIndex((t) => t[0] === '都道府県コード');
    expect(texts.slice(header + 1).map((t) => (t[1] === t[0] ? t[0] : t.slice(2, 9)))).toEqual([
      '北海道　2団体（賛成 0・反対 1・棄権 0・阻止 0・未回答 1）',
      ['011002', '札幌市', '1', '反対', '窓口の運用に支障が出るため、「記載」を既定とすべき。', '北海道', mandateId],
      ['012025', '函館市', '1', '未回答', '', '', ''],
      '東京都　1団体（賛成 1・反対 0・棄権 0・阻止 0・未回答 0）',
      ['133078', '檜原村', '1', '賛成', '', '檜原村', ''],
    ]);
    expect(texts).toContainEqual(['未回答', '1', '1', '', '', '', '', '', '', '']);
  });
});
