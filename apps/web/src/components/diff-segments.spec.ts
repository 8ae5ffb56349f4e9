import { diffText, readable, type Segment } from './diff-segments';

const text = (segments: readonly Segment[], op: 'before' | 'after') =>
  segments
    .filter((s) => s.op === 'EQUAL' || s.op === (op === 'before' ? 'DELETE' : 'INSERT'))
    .map((s) => s.text)
    .join('');

describe('diffText', () => {
  it('marks an appended sentence as one insertion', () => {
    expect(diffText('届出を受け付けること。', '届出を受け付けること。なお、様式は別に定める。')).toEqual([
      { op: 'EQUAL', text: '届出を受け付けること。' },
      { op: 'INSERT', text: 'なお、様式は別に定める。' },
    ]);
  });
  it('reads as phrases: a one-character equal run between two edits is folded into them', () => {
    // 電子申請 → オンライン: the shared 申 would otherwise split the change into confetti.
    const segments = diffText('電子申請による届出', 'オンライン申込による届出');
    expect(segments.filter((s) => s.op !== 'EQUAL').length).toBeLessThanOrEqual(2);
    expect(segments[segments.length - 1]).toEqual({ op: 'EQUAL', text: 'による届出' });
    expect(text(segments, 'before')).toBe('電子申請による届出');
    expect(text(segments, 'after')).toBe('オンライン申込による届出');
  });
  it('shows no change for equal texts, and the whole text for an empty side', () => {
    expect(diffText('同じ', '同じ')).toEqual([{ op: 'EQUAL', text: '同じ' }]);
    expect(diffText('', '新規')).toEqual([{ op: 'INSERT', text: '新規' }]);
    expect(diffText('削除', '')).toEqual([{ op: 'DELETE', text: '削除' }]);
  });
  it('always rebuilds both texts, also across lines and surrogate pairs', () => {
    const cases: [string, string][] = [
      ['第一項\n第二項', '第一項\n第三項\n第四項'],
      ['𠮷野家で食べる', '𠮷野屋で食べた'],
      ['あいうえお', 'かきくけこ'],
    ];
    for (const [before, after] of cases) {
      const segments = diffText(before, after);
      expect([text(segments, 'before'), text(segments, 'after')]).toEqual([before, after]);
    }
  });
});

describe('readable', () => {
  it('keeps an equal run with a line break between edits, and merges neighbours of one kind', () => {
    const input: Segment[] = [
      { op: 'DELETE', text: 'a' },
      { op: 'EQUAL', text: '\n' },
      { op: 'INSERT', text: 'b' },
      { op: 'INSERT', text: 'c' },
      { op: 'EQUAL', text: 'x' },
      { op: 'EQUAL', text: 'y' },
    ];
    expect(readable(input)).toEqual([
      { op: 'DELETE', text: 'a' },
      { op: 'EQUAL', text: '\n' },
      { op: 'INSERT', text: 'bc' },
      { op: 'EQUAL', text: 'xy' },
    ]);
  });
  it('groups a run of changes as all deletions, then all insertions', () => {
    expect(
      readable([
        { op: 'DELETE', text: '甲' },
        { op: 'EQUAL', text: 'の' },
        { op: 'INSERT', text: '乙' },
      ]),
    ).toEqual([
      { op: 'DELETE', text: '甲の' },
      { op: 'INSERT', text: 'の乙' },
    ]);
  });
});
