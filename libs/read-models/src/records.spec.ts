import { copyField, copyText, type Column } from './records';

describe("COPY's text format (records.ts)", () => {
  it('escapes backslash, tab, newline and carriage return, and nothing else', () => {
    expect(copyField('a\\b\tc\nd\re', 'text')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField('\\N', 'text')).toBe('\\\\N');
    expect(copyField('\\.', 'text')).toBe('\\\\.');
    expect(copyField('住民票 "旧氏" \u0001', 'text')).toBe('住民票 "旧氏" \u0001');
  });

  it('writes NULL as \\N and keeps the empty string empty', () => {
    expect(copyField(null, 'text')).toBe('\\N');
    expect(copyField(undefined, 'integer')).toBe('\\N');
    expect(copyField('', 'text')).toBe('');
  });

  it('writes booleans, numbers, bigints, dates and JSON as PostgreSQL reads them', () => {
    expect(copyField(true, 'boolean')).toBe('t');
    expect(copyField(false, 'boolean')).toBe('f');
    expect(copyField(42, 'integer')).toBe('42');
    expect(copyField(2n ** 63n - 1n, 'bigint')).toBe('9223372036854775807');
    expect(copyField(new Date(Date.UTC(2026, 3, 1, 9, 30)), 'timestamptz')).toBe('2026-04-01T09:30:00.000Z');
    // JSON's own escapes (backslashes) are doubled for COPY, which undoes that on reading.
    expect(copyField({ text: 'a\tb\n"c"\\' }, 'jsonb')).toBe(String.raw`{"text":"a\\tb\\n\\"c\\"\\\\"}`);
    // As the INSERT path sends it (records.ts rowsOf): a string in a jsonb column is a JSON string.
    expect(copyField('{"already":"text"}', 'jsonb')).toBe(String.raw`"{\\"already\\":\\"text\\"}"`);
  });

  it('refuses an object or array outside a JSON column rather than guess its text', () => {
    expect(() => copyField(['a', 'b'], 'text[]')).toThrow(TypeError);
    expect(() => copyField({ a: 1 }, 'text')).toThrow(TypeError);
  });

  it('puts a row on a line, its fields in column order, tab-separated', () => {
    const columns: readonly Column[] = [
      ['id', 'integer'],
      ['body', 'text'],
      ['note', 'text'],
    ];
    expect(
      copyText(columns, [
        { body: 'x\ty', id: 1, note: null },
        { id: 2, body: '' },
      ]),
    ).toBe('1\tx\\ty\t\\N\n2\t\t\\N\n');
  });
});
