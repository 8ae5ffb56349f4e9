import { isDomainError } from '../shared/decider';
import { applyDiff, compareRequirementIds, diffRevisions, diffText, DiffSegment, invertDiff, RevisionChange } from './diff';
import { diffTokenIds } from './myers';

const eq = (text: string): DiffSegment => ({ op: 'equal', text });
const ins = (text: string): DiffSegment => ({ op: 'insert', text });
const del = (text: string): DiffSegment => ({ op: 'delete', text });

/** A seeded generator, so the sizes and timings below are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}
const KANJI = '住民記録票写交付請求者本人確認転入届出世帯主続柄氏名生年月日性別住所国籍在留資格証明書発行手数料';
const HIRAGANA = 'のをにはがでとへもやからまでよりこと';
function japaneseText(length: number, rnd: () => number): string {
  let t = '';
  while (t.length < length) {
    const x = rnd();
    if (x < 0.5) t += KANJI[Math.floor(rnd() * KANJI.length)];
    else if (x < 0.8) t += HIRAGANA[Math.floor(rnd() * HIRAGANA.length)];
    else if (x < 0.88) t += ['システム', 'データ', 'マイナンバーカード'][Math.floor(rnd() * 3)];
    else if (x < 0.92) t += `第${Math.floor(rnd() * 10)}.${Math.floor(rnd() * 10)}版`;
    else t += rnd() < 0.5 ? '、' : '。';
  }
  return t.slice(0, length);
}
function scatterEdits(text: string, edits: number, rnd: () => number): string {
  const chars = Array.from(text);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rnd() * chars.length);
    chars.splice(at, Math.floor(rnd() * 4), ...Array.from(['修正', '追加する', 'API', ''][Math.floor(rnd() * 4)]));
  }
  return chars.join('');
}

describe('diffText', () => {
  it('shows a one-character change in Japanese as one small change, not a replaced line', () => {
    expect(diffText('住民記録システムの標準仕様書', '住民記録システムの標準仕様')).toEqual([eq('住民記録システムの標準仕様'), del('書')]);
    expect(diffText('住民票の写しを交付できること。', '住民票の写しを即日交付できること。')).toEqual([
      eq('住民票の写しを'),
      ins('即日'),
      eq('交付できること。'),
    ]);
  });

  it('replaces a katakana word and a version number whole', () => {
    expect(diffText('データを連携する', 'ファイルを連携する')).toEqual([del('データ'), ins('ファイル'), eq('を連携する')]);
    expect(diffText('標準仕様書第4.0版', '標準仕様書第5.0版')).toEqual([eq('標準仕様書第'), del('4.0'), ins('5.0'), eq('版')]);
  });

  it('diffs English by words', () => {
    expect(diffText('The system shall print the certificate.', 'The system shall issue the certificate.')).toEqual([
      eq('The system shall '),
      del('print'),
      ins('issue'),
      eq(' the certificate.'),
    ]);
  });

  it('folds small equal islands between changes (semantic cleanup), unless told not to', () => {
    expect(diffText('東京都の住民票', '大阪府の戸籍謄本')).toEqual([del('東京都の住民票'), ins('大阪府の戸籍謄本')]);
    expect(diffText('東京都の住民票', '大阪府の戸籍謄本', { cleanup: 'none' })).toEqual([
      del('東京都'),
      ins('大阪府'),
      eq('の'),
      del('住民票'),
      ins('戸籍謄本'),
    ]);
    expect(diffText('the cat sat on the mat', 'a dog sat on the mat')).toEqual([del('the cat'), ins('a dog'), eq(' sat on the mat')]);
    // a long enough equal stays
    expect(diffText('転入届を受け付けること', '転出届を受理すること')).toEqual([
      eq('転'),
      del('入'),
      ins('出'),
      eq('届を受'),
      del('け付け'),
      ins('理す'),
      eq('ること'),
    ]);
  });

  it('handles empty texts', () => {
    expect(diffText('', '')).toEqual([]);
    expect(diffText('', '追加')).toEqual([ins('追加')]);
    expect(diffText('削除', '')).toEqual([del('削除')]);
    expect(diffText('同じ', '同じ')).toEqual([eq('同じ')]);
  });

  it('never splits a surrogate pair or an emoji sequence', () => {
    expect(diffText('𠮷野家', '吉野家')).toEqual([del('𠮷'), ins('吉'), eq('野家')]);
    expect(diffText('家族👨‍👩‍👧', '家族👨‍👩‍👦')).toEqual([eq('家族'), del('👨‍👩‍👧'), ins('👨‍👩‍👦')]);
  });

  it('diffs a 10,000-character Japanese text with 50 scattered edits well under a second', () => {
    const rnd = lcg(4);
    const before = japaneseText(10_000, rnd);
    const after = scatterEdits(before, 50, rnd);
    const started = performance.now();
    const segments = diffText(before, after);
    const elapsed = performance.now() - started;
    expect(applyDiff(before, segments)).toBe(after);
    expect(
      segments
        .filter((s) => s.op === 'equal')
        .map((s) => s.text.length)
        .reduce((a, b) => a + b, 0),
    ).toBeGreaterThan(9_000);
    expect(elapsed).toBeLessThan(500);
  });

  it('stays bounded for two unrelated 10,000-character texts (the work budget) and still applies', () => {
    const before = japaneseText(10_000, lcg(1));
    const after = japaneseText(10_000, lcg(2));
    const started = performance.now();
    const segments = diffText(before, after);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(applyDiff(before, segments)).toBe(after);
  });
});

describe('diffTokenIds (Myers)', () => {
  it('finds the shortest edit script', () => {
    const a = Array.from('ABCABBA', (c) => c.charCodeAt(0));
    const b = Array.from('CBABAC', (c) => c.charCodeAt(0));
    const runs = diffTokenIds(a, b);
    const edits = runs.filter((r) => r.op !== 'equal').reduce((n, r) => n + r.count, 0);
    expect(edits).toBe(5); // D = 5 in Myers' paper
  });

  it('falls back to delete-all, insert-all when the budget is spent', () => {
    expect(diffTokenIds([1, 2, 3], [3, 2, 1], 0)).toEqual([
      { op: 'delete', count: 3 },
      { op: 'insert', count: 3 },
    ]);
  });
});

describe('applyDiff and invertDiff', () => {
  it('applies and inverts', () => {
    const a = '住民票の写しを交付できること。';
    const b = '住民票記載事項証明書を交付できること。';
    const d = diffText(a, b);
    expect(applyDiff(a, d)).toBe(b);
    expect(applyDiff(b, invertDiff(d))).toBe(a);
  });

  it('puts the delete first in each inverted change and merges what touches', () => {
    expect(invertDiff([eq('a'), del('b'), ins('c'), eq('d')])).toEqual([eq('a'), del('c'), ins('b'), eq('d')]);
    expect(invertDiff([eq('a'), eq('b'), ins(''), ins('x')])).toEqual([eq('ab'), del('x')]);
  });

  it('refuses segments that were not computed from this text', () => {
    const error = (() => {
      try {
        applyDiff('住民票', [eq('戸籍'), ins('x')]);
      } catch (e) {
        return e;
      }
    })();
    expect(isDomainError(error) && error.code).toBe('DIFF_DOES_NOT_APPLY');
    expect(() => applyDiff('住民票', [eq('住民')])).toThrow(/cover 2 of 3/);
    expect(() => applyDiff('住民票', [del('住民票の')])).toThrow(/does not match/);
  });
});

describe('diffRevisions', () => {
  const change = (changeId: string, requirementId: string, kind: RevisionChange['kind'], after: string | null): RevisionChange => ({
    changeId,
    requirementId,
    kind,
    after,
  });

  it('pairs changes by requirement and diffs the proposed texts, added and removed changes included', () => {
    const a = [
      change('c1', '2.1.3', 'modify', '住民票の写しを交付できること。'),
      change('c2', '2.1.10', 'modify', '広域交付に対応すること。'),
      change('c3', '3.1.1', 'delete', null),
    ];
    const b = [
      change('c1', '2.1.3', 'modify', '住民票の写しを即日交付できること。'),
      change('c4', '2.1.9', 'add', 'コンビニ交付に対応すること。'),
      change('c3', '3.1.1', 'delete', null),
    ];
    const diffs = diffRevisions(a, b);
    expect(diffs.map((d) => [d.requirementId, d.status])).toEqual([
      ['2.1.3', 'modified'],
      ['2.1.9', 'added'],
      ['2.1.10', 'removed'],
      ['3.1.1', 'unchanged'],
    ]);
    expect(diffs[0].segments).toEqual([eq('住民票の写しを'), ins('即日'), eq('交付できること。')]);
    expect(diffs[1]).toMatchObject({ fromChange: null, toChange: { changeId: 'c4' }, segments: [ins('コンビニ交付に対応すること。')] });
    expect(diffs[2]).toMatchObject({ fromChange: { changeId: 'c2' }, toChange: null, segments: [del('広域交付に対応すること。')] });
    expect(diffs[3].segments).toEqual([]);
  });

  it('reports a change of kind: a modification turned into a deletion', () => {
    const [d] = diffRevisions([change('c1', '1.1', 'modify', '記録すること。')], [change('c1', '1.1', 'delete', null)]);
    expect(d).toMatchObject({ status: 'modified', kindChanged: true, segments: [del('記録すること。')] });
  });

  it('pairs several changes of one requirement in order', () => {
    const diffs = diffRevisions([change('x', '1', 'add', 'あ'), change('y', '1', 'add', 'い')], [change('x', '1', 'add', 'あ')]);
    expect(diffs.map((d) => d.status)).toEqual(['unchanged', 'removed']);
  });
});

describe('compareRequirementIds', () => {
  it('orders dotted numbers numerically', () => {
    expect(['2.1.10', 'A-1', '10', '2.1.9', '2.2', '2.1', '1.10.1', '1.9.9'].sort(compareRequirementIds)).toEqual([
      '1.9.9',
      '1.10.1',
      '2.1',
      '2.1.9',
      '2.1.10',
      '2.2',
      '10',
      'A-1',
    ]);
  });
});
