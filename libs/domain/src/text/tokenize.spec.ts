import { tokenize } from './tokenize';

const texts = (s: string): string[] => tokenize(s).map((t) => t.text);

describe('tokenize', () => {
  it('splits kanji and hiragana into characters and keeps a katakana run whole', () => {
    expect(texts('住民記録システムの標準仕様書')).toEqual(['住', '民', '記', '録', 'システム', 'の', '標', '準', '仕', '様', '書']);
  });

  it('keeps a version number whole between kanji: 第4.0版', () => {
    expect(texts('第4.0版')).toEqual(['第', '4.0', '版']);
    expect(texts('住民記録システム標準仕様書【第4.0版】')).toEqual([
      '住',
      '民',
      '記',
      '録',
      'システム',
      '標',
      '準',
      '仕',
      '様',
      '書',
      '【',
      '第',
      '4.0',
      '版',
      '】',
    ]);
  });

  it('reads requirement ids, thousands and full-width numbers as one token', () => {
    expect(texts('要件2.1.3を参照')).toEqual(['要', '件', '2.1.3', 'を', '参', '照']);
    expect(texts('1,000件')).toEqual(['1,000', '件']);
    expect(texts('第４．０版')).toEqual(['第', '４．０', '版']);
    expect(texts('2.1.3.')).toEqual(['2.1.3', '.']);
  });

  it('splits English into words, spaces and punctuation', () => {
    expect(texts("Hello, world! It's  IPv6.")).toEqual(['Hello', ',', ' ', 'world', '!', ' ', "It's", '  ', 'IPv6', '.']);
  });

  it('keeps Latin words, full-width letters and half-width katakana runs inside Japanese', () => {
    expect(texts('LGWAN接続のＡＰＩとｼｽﾃﾑ')).toEqual(['LGWAN', '接', '続', 'の', 'ＡＰＩ', 'と', 'ｼｽﾃﾑ']);
    expect(texts('データ・ベース')).toEqual(['データ', '・', 'ベース']);
  });

  it('treats 々, 〆 and 、。「」 as single characters and U+3000 as space', () => {
    expect(texts('人々の〆切、「確認」。\u3000次')).toEqual(['人', '々', 'の', '〆', '切', '、', '「', '確', '認', '」', '。', '\u3000', '次']);
  });

  it('never splits a surrogate pair, a variation sequence or an emoji sequence', () => {
    expect(texts('𠮷野家')).toEqual(['𠮷', '野', '家']);
    expect(texts('葛\u{E0100}城')).toEqual(['葛\u{E0100}', '城']);
    expect(texts('a👨‍👩‍👧b🇯🇵👍🏽')).toEqual(['a', '👨‍👩‍👧', 'b', '🇯🇵', '👍🏽']);
    expect(texts('e\u0301t\u00e9')).toEqual(['e\u0301t\u00e9']);
  });

  it('groups whitespace runs, line breaks included', () => {
    expect(texts('a \n\tb')).toEqual(['a', ' \n\t', 'b']);
  });

  it('gives back the input when joined', () => {
    const s = '住民票の写し（世帯全員）を交付できること。Version 4.0, 2024年 👍';
    expect(texts(s).join('')).toBe(s);
    expect(tokenize('')).toEqual([]);
  });
});
