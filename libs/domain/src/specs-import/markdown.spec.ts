import fc from 'fast-check';
import { JUMIN_KIROKU_MARKDOWN, JUMIN_KIROKU_REQUIREMENTS } from './jumin-kiroku.sample';
import { parseRequirementsMarkdown } from './markdown';
import { ImportedRequirement, ImportError, ImportResult, normaliseText, REQUIREMENT_CATEGORIES } from './requirements';

const md = (...lines: string[]): string => lines.join('\n') + '\n';
const errorsOf = (result: ImportResult): Pick<ImportError, 'line' | 'code' | 'field'>[] => {
  if (result.ok) throw new Error(`expected errors, got ${result.requirements.length} requirements`);
  return result.errors.map(({ line, code, field }) => (field ? { line, code, field } : { line, code }));
};
const requirementsOf = (result: ImportResult): ImportedRequirement[] => {
  if (!result.ok) throw new Error(`expected requirements, got ${JSON.stringify(result.errors, null, 1)}`);
  return result.requirements;
};

describe('parseRequirementsMarkdown: good files', () => {
  it('reads the 住民記録 sample: sections and group headings skipped, 区分/Category lines, full-width ids and spaces', () => {
    expect(requirementsOf(parseRequirementsMarkdown(JUMIN_KIROKU_MARKDOWN))).toEqual(JUMIN_KIROKU_REQUIREMENTS);
  });

  it('reads the sample with CRLF and a BOM the same way', () => {
    expect(requirementsOf(parseRequirementsMarkdown('\uFEFF' + JUMIN_KIROKU_MARKDOWN.replace(/\n/g, '\r\n')))).toEqual(JUMIN_KIROKU_REQUIREMENTS);
  });

  it('keeps a fenced block, with # lines inside it, as text', () => {
    const text = md('## 1.1 出力形式', '区分: 実装必須', '', '次の形式で出力すること。', '```', '# これは見出しではない', '## 1.2 これも', '```', '以上。');
    expect(requirementsOf(parseRequirementsMarkdown(text))).toEqual([
      {
        requirementId: '1.1',
        title: '出力形式',
        text: '次の形式で出力すること。\n```\n# これは見出しではない\n## 1.2 これも\n```\n以上。',
        category: '実装必須',
      },
    ]);
  });

  it('accepts letter-prefixed ids, closing #s, any heading level and `category:` in any case', () => {
    const text = md('# JR-1 総則', 'CATEGORY: 標準オプション', '本文。', '###### A2.1.3 深い見出し ##', 'category：実装不可', '', '本文2。');
    expect(requirementsOf(parseRequirementsMarkdown(text))).toEqual([
      { requirementId: 'JR-1', title: '総則', text: '本文。', category: '標準オプション' },
      { requirementId: 'A2.1.3', title: '深い見出し', text: '本文2。', category: '実装不可' },
    ]);
  });
});

describe('parseRequirementsMarkdown: malformed files, every problem with its line', () => {
  it('reports every problem of every requirement with its line', () => {
    const text = md(
      '# 仕様書', // 1
      '', // 2
      '## 2.1.3 住民票の写しの交付', // 3
      '区分: 実装必須', // 4
      '住民票の写しを交付できること。', // 5
      '## 2.1. 不正なID', // 6
      '区分: 実装必須', // 7
      '本文。', // 8
      '## 2.1.4', // 9
      '区分: 実装必須', // 10
      '本文。', // 11
      '## 2.1.5 区分なし', // 12
      '', // 13
      '本文だけ。', // 14
      '## 2.1.6 区分違い', // 15
      '区分: 必須', // 16
      '本文。', // 17
      '## 2.1.7 本文なし', // 18
      '区分: 標準オプション', // 19
      '', // 20
      '## ２．１．３ 重複', // 21
      '区分: 実装必須', // 22
      '本文。', // 23
      '## 2.1.8 空の区分', // 24
      '区分:', // 25
      '本文。', // 26
      '## 2.1.9 区分も本文もない', // 27
    );
    const result = parseRequirementsMarkdown(text);
    expect(errorsOf(result)).toEqual([
      { line: 6, code: 'INVALID_ID', field: 'requirementId' },
      { line: 9, code: 'MISSING_TITLE', field: 'title' },
      { line: 14, code: 'MISSING_CATEGORY', field: 'category' },
      { line: 16, code: 'UNKNOWN_CATEGORY', field: 'category' },
      { line: 18, code: 'EMPTY_TEXT', field: 'text' },
      { line: 21, code: 'DUPLICATE_ID', field: 'requirementId' },
      { line: 25, code: 'MISSING_CATEGORY', field: 'category' },
      { line: 27, code: 'MISSING_CATEGORY', field: 'category' },
      { line: 27, code: 'EMPTY_TEXT', field: 'text' },
    ]);
    const messages = !result.ok ? result.errors.map((e) => e.message) : [];
    expect(messages[5]).toBe('The requirement id 2.1.3 is already used at line 3.');
    expect(messages[2]).toBe('Expected the category line `区分: <category>` (or `Category: <category>`) as the first non-blank line after the heading.');
  });

  it('reports a code fence never closed at the line where it opens', () => {
    const text = md('## 1.1 出力', '区分: 実装必須', '本文。', '~~~', '## 1.2 飲み込まれた見出し', '区分: 実装必須');
    expect(errorsOf(parseRequirementsMarkdown(text))).toEqual([{ line: 4, code: 'UNTERMINATED_CODE_FENCE' }]);
  });

  it('refuses a file without requirement headings, an empty file, and a file that is not UTF-8', () => {
    expect(errorsOf(parseRequirementsMarkdown(md('# 仕様書', '本文のみ。', '## 第2章 総則')))).toEqual([{ line: 1, code: 'NO_REQUIREMENTS' }]);
    expect(errorsOf(parseRequirementsMarkdown(' \n\n'))).toEqual([{ line: 1, code: 'EMPTY_FILE' }]);
    expect(errorsOf(parseRequirementsMarkdown(md('## 1.1 a', '区分: 実装必須', '文字化け\uFFFD')))).toEqual([{ line: 3, code: 'NOT_UTF8' }]);
  });

  it('treats a setext heading as text, and a heading with an id but text of its own as a requirement, not a group', () => {
    const text = md('## 1 総則', '総則の本文。', '### 1.1 細目', '区分: 実装必須', '細目の本文。', 'Setext', '===');
    expect(errorsOf(parseRequirementsMarkdown(text))).toEqual([{ line: 2, code: 'MISSING_CATEGORY', field: 'category' }]);
    const ok = md('## 1.1 細目', '区分: 実装必須', '細目の本文。', 'Setext', '===');
    expect(requirementsOf(parseRequirementsMarkdown(ok))[0].text).toBe('細目の本文。\nSetext\n===');
  });

  it('refuses more than 5,000 requirements at the heading of the 5,001st', () => {
    const blocks = Array.from({ length: 5_001 }, (_, i) => `## ${i + 1} 題名\n区分: 実装必須\n本文。`);
    expect(errorsOf(parseRequirementsMarkdown(blocks.join('\n')))).toEqual([{ line: 15_001, code: 'TOO_MANY_REQUIREMENTS' }]);
  });
});

describe('parseRequirementsMarkdown: round trip', () => {
  const unit = fc.oneof(
    fc.constantFrom(',', '"', '、', '。', '「', '」', ' ', '\u3000', 'ー', 'A', '1', '.', '😀', '𠮷', ':'),
    fc.integer({ min: 0x3041, max: 0x3096 }).map((cp) => String.fromCodePoint(cp)),
    fc.integer({ min: 0x4e00, max: 0x9fff }).map((cp) => String.fromCodePoint(cp)),
  );
  const title = fc
    .array(unit, { minLength: 1, maxLength: 20 })
    .map((us) => us.join('').trim())
    .filter((t) => t !== '');
  // Lines never start with # or a fence (they would be headings or code), which the writer below does not escape.
  const text = fc
    .array(fc.oneof({ weight: 8, arbitrary: unit }, { weight: 1, arbitrary: fc.constantFrom('\n', '\n\n') }), { minLength: 1, maxLength: 80 })
    .map((us) => normaliseText(us.join('')))
    .filter((t) => t !== '');
  const id = fc.array(fc.nat({ max: 120 }), { minLength: 1, maxLength: 4 }).map((ns) => ns.join('.'));
  const requirements = fc.uniqueArray(fc.record({ requirementId: id, title, text, category: fc.constantFrom(...REQUIREMENT_CATEGORIES) }), {
    minLength: 1,
    maxLength: 10,
    selector: (r) => r.requirementId,
  });
  const toMarkdown = (list: readonly ImportedRequirement[]): string =>
    '# 仕様書\n\n' + list.map((r) => `## ${r.requirementId} ${r.title}\n区分: ${r.category}\n\n${r.text}\n`).join('\n');

  it('parses back what it was given', () => {
    fc.assert(
      fc.property(requirements, (list) => {
        expect(requirementsOf(parseRequirementsMarkdown(toMarkdown(list)))).toEqual(list);
      }),
      { numRuns: 300 },
    );
  });
});
