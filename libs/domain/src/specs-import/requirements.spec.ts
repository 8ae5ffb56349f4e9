import fc from 'fast-check';
import { parseRequirementsCsv } from './csv';
import { parseRequirementsMarkdown } from './markdown';
import { countLines, isValidRequirementId, normaliseRequirementId, normaliseText, REQUIREMENT_CATEGORIES, utf8ByteLength } from './requirements';

describe('requirement ids', () => {
  it.each(['1', '2.1.3', '10.20.30.40', '0010001', 'JR-2.1.3', 'A2.1', 'KK-10', 'abc-1.2'])('accepts %s', (id) => {
    expect(isValidRequirementId(id)).toBe(true);
  });

  it.each(['', '2.1.', '.1', '2..1', '2.1.a', 'A-', '-1', '1-2', 'JR 1', '住民-1', '1'.repeat(65), '２．１'])('refuses %j', (id) => {
    expect(isValidRequirementId(id)).toBe(false);
  });

  it('normalises full-width forms and spaces (NFKC, trim)', () => {
    expect(normaliseRequirementId(' ２．１．３\u3000')).toBe('2.1.3');
    expect(normaliseRequirementId('ＪＲ－１')).toBe('JR-1');
  });
});

describe('helpers', () => {
  it('exports the categories', () => {
    expect(REQUIREMENT_CATEGORIES).toEqual(['実装必須', '標準オプション', '実装不可']);
  });

  it('counts UTF-8 bytes like Buffer does, for any well-formed string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => expect(utf8ByteLength(s)).toBe(Buffer.byteLength(s, 'utf8'))));
    expect(utf8ByteLength('a住𠮷')).toBe(1 + 3 + 4);
  });

  it('counts lines across CRLF, LF and CR', () => {
    const text = 'a\r\nb\nc\rd';
    expect([0, 3, 5, 7].map((offset) => countLines(text, offset))).toEqual([1, 2, 3, 4]);
  });

  it('normalises a text: LF line ends, no trailing spaces, no blank lines at either end', () => {
    expect(normaliseText('\r\n  一行目。 \u3000\r\n\r\n二行目。\t\r\n\n')).toBe('一行目。\n\n二行目。');
  });
});

describe('never throws for bad input', () => {
  const csvish = fc.string({ unit: fc.constantFrom('a', '1', '.', ',', '"', '\n', '\r', ' ', '住', '実装必須', 'id,title,text,category\n', '\uFEFF', '𠮷') });
  const mdish = fc.string({ unit: fc.constantFrom('#', '## ', '1.2', ' ', '\n', '区分: ', '実装必須', '```', '~~~', '本文', '\r\n', 'A-') });

  it.each([
    ['CSV', parseRequirementsCsv, csvish],
    ['Markdown', parseRequirementsMarkdown, mdish],
  ] as const)('%s: returns a result for any text, every error on a line of the file', (_, parse, arbitrary) => {
    fc.assert(
      fc.property(fc.oneof(arbitrary, fc.string({ unit: 'binary' })), (text) => {
        const result = parse(text);
        if (result.ok) return;
        const lines = text.split(/\r\n|\r|\n/).length;
        expect(result.errors.length).toBeGreaterThan(0);
        for (const e of result.errors) {
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(lines);
          expect(e.message).not.toBe('');
        }
        expect(result.errors.map((e) => e.line)).toEqual([...result.errors.map((e) => e.line)].sort((a, b) => a - b));
      }),
      { numRuns: 500 },
    );
  });
});
