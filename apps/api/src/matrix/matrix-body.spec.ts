import { composeBody, splitBody } from './matrix-body';
import { columnLetter, columnOfHeader, japanTime } from './matrix-columns';

describe('a comment body made of 修文案 and 理由', () => {
  it.each([
    { suggestion: '旧氏の記載の有無を選択できること。', reason: '窓口で旧氏の記載を求められるため。' },
    { suggestion: '　段落の字下げを含む修文案。\n二行目。', reason: '理由の一行目。\n\n理由の二段落目。' },
    { suggestion: '修文案のみ。', reason: '' },
    { suggestion: '', reason: '理由のみのご意見です。' },
  ])('splits back into the two columns it was made of: %j', (text) => {
    expect(splitBody(composeBody(text))).toEqual(text);
  });

  it('says both under their headings, and a reason alone as it is', () => {
    expect(composeBody({ suggestion: 'A案', reason: 'B理由' })).toBe('【修文案】\nA案\n\n【理由】\nB理由');
    expect(composeBody({ suggestion: 'A案', reason: '' })).toBe('【修文案】\nA案');
    expect(composeBody({ suggestion: '', reason: 'B理由' })).toBe('B理由');
  });

  it('puts a comment written in the app (no headings) under 理由', () => {
    expect(splitBody('賛成です。\n運用上の支障はありません。')).toEqual({ suggestion: '', reason: '賛成です。\n運用上の支障はありません。' });
  });
});

describe('matrix columns', () => {
  it('knows the headers as people type them: full-width, spaced, with notes or other names', () => {
    expect(columnOfHeader('該当項目')).toBe('item');
    expect(columnOfHeader('Ｎｏ')).toBe('no');
    expect(columnOfHeader(' 修 文 案 ')).toBe('suggestion');
    expect(columnOfHeader('修正案')).toBe('suggestion');
    expect(columnOfHeader('理由（必須）')).toBe('reason');
    expect(columnOfHeader('団体名')).toBe('organisation');
    expect(columnOfHeader('コメントＩＤ')).toBe('commentId');
    expect(columnOfHeader('備考')).toBeUndefined();
  });

  it('names columns as Excel does', () => {
    expect([1, 5, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'E', 'Z', 'AA', 'AZ', 'AAA']);
  });

  it('writes instants in Japan time', () => {
    expect(japanTime(new Date('2025-03-31T15:30:00Z'))).toBe('2025-04-01 00:30:00');
  });
});
