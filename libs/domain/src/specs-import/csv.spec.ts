import fc from 'fast-check';
import { parseRequirementsCsv, readCsvRecords } from './csv';
import { JUMIN_KIROKU_CSV, JUMIN_KIROKU_REQUIREMENTS } from './jumin-kiroku.sample';
import { ImportedRequirement, ImportError, ImportResult, MAX_IMPORT_BYTES, normaliseText, REQUIREMENT_CATEGORIES, utf8ByteLength } from './requirements';

const HEADER = 'id,title,text,category';
const csv = (...lines: string[]): string => lines.join('\n') + '\n';
const errorsOf = (result: ImportResult): Pick<ImportError, 'line' | 'code' | 'field'>[] => {
  if (result.ok) throw new Error(`expected errors, got ${result.requirements.length} requirements`);
  return result.errors.map(({ line, code, field }) => (field ? { line, code, field } : { line, code }));
};
const requirementsOf = (result: ImportResult): ImportedRequirement[] => {
  if (!result.ok) throw new Error(`expected requirements, got ${JSON.stringify(result.errors, null, 1)}`);
  return result.requirements;
};

/** The test's own CSV writer (RFC 4180): quote a field holding a comma, a quote, a line break or edge spaces. */
function toCsv(requirements: readonly ImportedRequirement[], options: { newline?: string; bom?: boolean; japaneseHeader?: boolean } = {}): string {
  const newline = options.newline ?? '\r\n';
  const quote = (value: string): string => (/[",\r\n]|^\s|\s$/u.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const header = options.japaneseHeader ? ['要件ID', '要件名', '要件', '区分'] : ['id', 'title', 'text', 'category'];
  const rows = requirements.map((r) => [r.requirementId, r.title, r.text, r.category].map(quote).join(','));
  return (options.bom ? '\uFEFF' : '') + [header.join(','), ...rows].join(newline) + newline;
}

describe('parseRequirementsCsv: good files', () => {
  it('reads the 住民記録 sample as Excel writes it (BOM, CRLF, Japanese headers, extra columns, quoted multi-line texts)', () => {
    expect(requirementsOf(parseRequirementsCsv(JUMIN_KIROKU_CSV))).toEqual(JUMIN_KIROKU_REQUIREMENTS);
  });

  it('reads the same sample written with English headers and LF', () => {
    expect(requirementsOf(parseRequirementsCsv(toCsv(JUMIN_KIROKU_REQUIREMENTS, { newline: '\n' })))).toEqual(JUMIN_KIROKU_REQUIREMENTS);
  });

  it('accepts header variants in any order, case and width, and ignores unknown columns', () => {
    const text = csv(
      'Category, Requirement ID ,備考,TITLE,Text',
      '実装必須,1.1,メモ,作成,作成できること。',
      '標準オプション,要件ＩＤ,,x,y'.replace('要件ＩＤ', '１．２'),
    );
    expect(requirementsOf(parseRequirementsCsv(text))).toEqual([
      { requirementId: '1.1', title: '作成', text: '作成できること。', category: '実装必須' },
      { requirementId: '1.2', title: 'x', text: 'y', category: '標準オプション' },
    ]);
    expect(requirementsOf(parseRequirementsCsv(csv('要件ＩＤ,要件名,要件,実装区分', 'JR-2.1,t,本文,実装不可')))).toEqual([
      { requirementId: 'JR-2.1', title: 't', text: '本文', category: '実装不可' },
    ]);
  });

  it('accepts CR-only line ends, no final line end, blank lines and all-empty rows', () => {
    const text = [HEADER, '1.1,a,"x\r\ny",実装必須', '', ',,,', '1.2,b,z,実装必須'].join('\r');
    expect(requirementsOf(parseRequirementsCsv(text))).toEqual([
      { requirementId: '1.1', title: 'a', text: 'x\ny', category: '実装必須' },
      { requirementId: '1.2', title: 'b', text: 'z', category: '実装必須' },
    ]);
  });

  it('trims values and trailing spaces of text lines, keeps inner blank lines, and allows empty extra fields', () => {
    const text = csv(HEADER, ' 1.1 , 作成 ,"\n  一行目。  \n\n二行目。\u3000\n", 実装必須 ,,');
    expect(requirementsOf(parseRequirementsCsv(text))).toEqual([{ requirementId: '1.1', title: '作成', text: '一行目。\n\n二行目。', category: '実装必須' }]);
  });
});

describe('parseRequirementsCsv: malformed files, every problem with its line', () => {
  it('names each missing column (and accepts nothing else)', () => {
    expect(errorsOf(parseRequirementsCsv(csv('id,title,text', '1.1,a,b')))).toEqual([{ line: 1, code: 'MISSING_COLUMN', field: 'category' }]);
    const result = parseRequirementsCsv(csv('要件ID,要件名', '1.1,a'));
    expect(errorsOf(result)).toEqual([
      { line: 1, code: 'MISSING_COLUMN', field: 'text' },
      { line: 1, code: 'MISSING_COLUMN', field: 'category' },
    ]);
    expect(!result.ok && result.errors[0].message).toBe(
      'The header has no column for the text: expected one named "text" or "要件" (the first row is the header).',
    );
  });

  it('refuses two columns for one field', () => {
    const result = parseRequirementsCsv(csv('id,要件ID,title,text,category', '1,1,a,b,実装必須'));
    expect(errorsOf(result)).toEqual([{ line: 1, code: 'DUPLICATE_COLUMN', field: 'requirementId' }]);
    expect(!result.ok && result.errors[0].message).toContain('Columns 1 ("id") and 2 ("要件ID")');
  });

  it('reports an unterminated quote at the line where the field opens, and still checks the rows before it', () => {
    const text = csv(HEADER, '1.1,a,ok,実装必須', '1.1,b,"複数行の', '本文,実装必須', '1.3,c,never closed,実装必須');
    expect(errorsOf(parseRequirementsCsv(text))).toEqual([
      { line: 3, code: 'UNTERMINATED_QUOTE' },
      // the broken row is not read, so its duplicate id is not reported
    ]);
    expect(errorsOf(parseRequirementsCsv(csv(HEADER, '1.1,a,ok,実装必須', '1.1,b,ok,実装必須', '1.2,"unclosed,x,実装必須')))).toEqual([
      { line: 3, code: 'DUPLICATE_ID', field: 'requirementId' },
      { line: 4, code: 'UNTERMINATED_QUOTE' },
    ]);
  });

  it('refuses a quote inside an unquoted field and text after a closing quote', () => {
    const text = csv(HEADER, '1.1,a,画面に "住所" 欄を設けること。,実装必須', '1.2,"b"c,text,実装必須', '1.3,"ok","fine",実装必須');
    const result = parseRequirementsCsv(text);
    expect(errorsOf(result)).toEqual([
      { line: 2, code: 'INVALID_QUOTE' },
      { line: 3, code: 'INVALID_QUOTE' },
    ]);
    expect(!result.ok && result.errors.map((e) => e.message)).toEqual([
      'A double quote inside the unquoted field 3: enclose the field in double quotes and write each quote twice ("").',
      'After the closing quote of field 2, expected a comma or the end of the line; found "c". A quote inside a quoted field is written twice ("").',
    ]);
  });

  it('refuses rows with too few fields, or too many (an unquoted comma), at the line where the row starts', () => {
    const text = csv(HEADER, '1.1,a,住民票の写し,住民票記載事項証明書を交付できること。,実装必須', '1.2,b', '1.3,c,"two', 'lines",実装必須,', '1.4,d,e');
    const result = parseRequirementsCsv(text);
    expect(errorsOf(result)).toEqual([
      { line: 2, code: 'WRONG_FIELD_COUNT' },
      { line: 3, code: 'WRONG_FIELD_COUNT' },
      { line: 6, code: 'WRONG_FIELD_COUNT' },
    ]);
    expect(!result.ok && result.errors[0].message).toBe(
      'The row has 5 fields; the header has 4. A text holding a comma (、 is fine, "," is not) must be enclosed in double quotes.',
    );
    expect(!result.ok && result.errors[1].message).toBe('The row has 2 fields; the header has 4.');
  });

  it('reports every field problem of every row, a duplicate id with the line of the first, lines counted across quoted line breaks', () => {
    const text = csv(
      HEADER, // 1
      '2.1.3,住民票の写しの交付,"住民票の写しを', // 2
      '交付できること。",実装必須', // 3
      ',名前なし,本文,実装必須', // 4
      '2.1.,不正なID,本文,実装必須', // 5
      '住民票,不正なID,本文,実装必須', // 6
      '2.1.4,,本文,実装必須', // 7
      '2.1.5,本文なし,"  ', // 8
      '",実装必須', // 9
      '2.1.6,区分なし,本文,', // 10
      '2.1.7,区分違い,本文,必須', // 11
      '２．１．３,重複,本文,実装必須', // 12 (full-width: the same id as line 2)
      '2.1.8,"二行の', // 13
      '題名",本文,標準オプション', // 14
      'X-1.1,"",,', // 15
    );
    const result = parseRequirementsCsv(text);
    expect(errorsOf(result)).toEqual([
      { line: 4, code: 'MISSING_ID', field: 'requirementId' },
      { line: 5, code: 'INVALID_ID', field: 'requirementId' },
      { line: 6, code: 'INVALID_ID', field: 'requirementId' },
      { line: 7, code: 'MISSING_TITLE', field: 'title' },
      { line: 8, code: 'EMPTY_TEXT', field: 'text' },
      { line: 10, code: 'MISSING_CATEGORY', field: 'category' },
      { line: 11, code: 'UNKNOWN_CATEGORY', field: 'category' },
      { line: 12, code: 'DUPLICATE_ID', field: 'requirementId' },
      { line: 13, code: 'INVALID_TITLE', field: 'title' },
      { line: 15, code: 'MISSING_TITLE', field: 'title' },
      { line: 15, code: 'EMPTY_TEXT', field: 'text' },
      { line: 15, code: 'MISSING_CATEGORY', field: 'category' },
    ]);
    const messages = !result.ok ? result.errors.map((e) => e.message) : [];
    expect(messages[7]).toBe('The requirement id 2.1.3 is already used at line 2.');
    expect(messages[6]).toBe('Unknown category "必須"; expected one of 実装必須 / 標準オプション / 実装不可.');
    expect(messages[1]).toContain('expected digits separated by dots (2.1.3)');
  });

  it('reports a field at the line it starts on, inside a multi-line row', () => {
    expect(errorsOf(parseRequirementsCsv(csv(HEADER, '1.1,a,"一', '二', '三",未定')))).toEqual([{ line: 4, code: 'UNKNOWN_CATEGORY', field: 'category' }]);
  });

  it('refuses an empty file, a header without rows, and a file that is not UTF-8', () => {
    expect(errorsOf(parseRequirementsCsv(''))).toEqual([{ line: 1, code: 'EMPTY_FILE' }]);
    expect(errorsOf(parseRequirementsCsv('\uFEFF\r\n\r\n'))).toEqual([{ line: 1, code: 'EMPTY_FILE' }]);
    expect(errorsOf(parseRequirementsCsv(csv(HEADER)))).toEqual([{ line: 1, code: 'NO_REQUIREMENTS' }]);
    expect(errorsOf(parseRequirementsCsv(csv(HEADER, '1.1,a,b,実装必須', '1.2,\uFFFD\uFFFD,b,実装必須')))).toEqual([{ line: 3, code: 'NOT_UTF8' }]);
  });

  it('refuses more than 5,000 requirements at the line of the 5,001st, with the other problems', () => {
    const rows = Array.from({ length: 5_001 }, (_, i) => `${i + 1},題名,本文,実装必須`);
    rows[9] = '10,題名,,実装必須';
    expect(errorsOf(parseRequirementsCsv(csv(HEADER, ...rows)))).toEqual([
      { line: 11, code: 'EMPTY_TEXT', field: 'text' },
      { line: 5_002, code: 'TOO_MANY_REQUIREMENTS' },
    ]);
    expect(requirementsOf(parseRequirementsCsv(csv(HEADER, ...rows.slice(0, 5_000).map((r, i) => (i === 9 ? '10,題名,本文,実装必須' : r)))))).toHaveLength(
      5_000,
    );
  });

  it('refuses a file over 1 MB at the line where it passes the limit, without reading it further', () => {
    const rows = Array.from({ length: 400 }, (_, i) => `${i + 1},${'あ'.repeat(100)},${'い'.repeat(1_000)},実装必須`); // ~3,300 bytes each
    const text = csv(HEADER, ...rows);
    const result = parseRequirementsCsv(text);
    expect(errorsOf(result)).toEqual([{ line: expect.any(Number), code: 'FILE_TOO_LARGE' }]);
    const line = !result.ok ? result.errors[0].line : 0;
    const bytesThrough = (l: number): number =>
      text
        .split('\n')
        .slice(0, l)
        .reduce((n, t) => n + utf8ByteLength(t) + 1, 0);
    expect(bytesThrough(line)).toBeGreaterThan(MAX_IMPORT_BYTES);
    expect(bytesThrough(line - 1)).toBeLessThanOrEqual(MAX_IMPORT_BYTES);
    expect(!result.ok && result.errors[0].message).toMatch(/^The file is 1,3\d\d,\d{3} bytes; the limit is 1,048,576 bytes \(1 MB\)/);
  });
});

describe('readCsvRecords', () => {
  it('follows RFC 4180: quoted commas, doubled quotes, embedded line breaks, empty fields', () => {
    const { records, errors } = readCsvRecords('a,"b,c","d""e"\r\n"multi\r\nline",,\r\n"",x');
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.line, r.fields.map((f) => f.value)])).toEqual([
      [1, ['a', 'b,c', 'd"e']],
      [2, ['multi\nline', '', '']],
      [4, ['', 'x']],
    ]);
  });
});

describe('parseRequirementsCsv: round trip', () => {
  const unit = fc.oneof(
    fc.constantFrom(',', '"', '、', '。', '「', '」', ' ', '\u3000', 'ー', 'A', '1', '.', '😀', '𠮷'),
    fc.integer({ min: 0x3041, max: 0x3096 }).map((cp) => String.fromCodePoint(cp)),
    fc.integer({ min: 0x4e00, max: 0x9fff }).map((cp) => String.fromCodePoint(cp)),
    fc.integer({ min: 0x30a1, max: 0x30fa }).map((cp) => String.fromCodePoint(cp)),
  );
  const title = fc
    .array(unit, { minLength: 1, maxLength: 20 })
    .map((us) => us.join('').trim())
    .filter((t) => t !== '');
  const text = fc
    .array(fc.oneof({ weight: 8, arbitrary: unit }, { weight: 1, arbitrary: fc.constantFrom('\n', '\n\n', '\r\n') }), { minLength: 1, maxLength: 80 })
    .map((us) => normaliseText(us.join('')))
    .filter((t) => t !== '');
  const id = fc.oneof(
    fc.array(fc.nat({ max: 120 }), { minLength: 1, maxLength: 4 }).map((ns) => ns.join('.')),
    fc.tuple(fc.constantFrom('JR-', 'A', 'KK-'), fc.nat({ max: 99 })).map(([p, n]) => `${p}${n}.1`),
  );
  const requirement = fc.record({ requirementId: id, title, text, category: fc.constantFrom(...REQUIREMENT_CATEGORIES) });
  const requirements = fc.uniqueArray(requirement, { minLength: 1, maxLength: 15, selector: (r) => r.requirementId });

  it('parses back what a CSV writer wrote: Japanese text with commas, quotes and line breaks', () => {
    fc.assert(
      fc.property(requirements, fc.constantFrom('\r\n', '\n'), fc.boolean(), fc.boolean(), (list, newline, bom, japaneseHeader) => {
        expect(requirementsOf(parseRequirementsCsv(toCsv(list, { newline, bom, japaneseHeader })))).toEqual(list);
      }),
      { numRuns: 300 },
    );
  });
});
