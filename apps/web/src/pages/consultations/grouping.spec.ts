import { byPrefecture, percent } from './grouping';

describe('byPrefecture', () => {
  it('groups in prefecture code order, bodies without a prefecture last, each group in input order', () => {
    const items = [
      { id: 'tottori-city', prefectureCode: '31' },
      { id: 'national', prefectureCode: null },
      { id: 'sapporo', prefectureCode: '01' },
      { id: 'hinohara', prefectureCode: '13' },
      { id: 'hakodate', prefectureCode: '01' },
      { id: 'vendor', prefectureCode: null },
    ];
    expect(byPrefecture(items).map((g) => [g.code, g.items.map((i) => i.id)])).toEqual([
      ['01', ['sapporo', 'hakodate']],
      ['13', ['hinohara']],
      ['31', ['tottori-city']],
      [null, ['national', 'vendor']],
    ]);
  });
  it('gives no groups for no one', () => {
    expect(byPrefecture([])).toEqual([]);
  });
});

describe('percent', () => {
  it('rounds to one decimal, half up', () => {
    expect(percent(1, 3)).toBe('33.3%');
    expect(percent(2, 3)).toBe('66.7%');
    expect(percent(1, 8)).toBe('12.5%');
    expect(percent(3, 3)).toBe('100%');
  });
  it('shows 0% for an empty whole instead of dividing by zero', () => {
    expect(percent(0, 0)).toBe('0%');
    expect(percent(5, 0)).toBe('0%');
  });
  it('keeps one decimal at most for large weights', () => {
    expect(percent(1234567, 1234567)).toBe('100%');
    expect(percent(59999, 100000)).toBe('60%');
  });
});
