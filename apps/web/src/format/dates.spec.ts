import { formatDate } from './dates';

// 2026-11-22 12:40 UTC is 21:40 in Japan; 2019-04-30 15:30 UTC is 1 May 2019 00:30 in Japan (令和元年).
describe('formatDate', () => {
  it('writes Japanese dates in Japan time, whatever the zone of the instant given', () => {
    expect(formatDate('2026-11-22T12:40:00Z', { lang: 'ja', calendar: 'gregorian' })).toBe('2026年11月22日 21:40');
    expect(formatDate('2026-11-22T21:40:00+09:00', { lang: 'ja', calendar: 'gregorian' })).toBe('2026年11月22日 21:40');
  });
  it('writes the Japanese era (和暦) when chosen, with 元年 for an era’s first year', () => {
    expect(formatDate('2026-11-22T12:40:00Z', { lang: 'ja', calendar: 'japanese' })).toBe('令和8年11月22日 21:40');
    expect(formatDate('2019-04-30T15:30:00Z', { lang: 'ja', calendar: 'japanese', withTime: false })).toMatch(/^令和(元|1)年5月1日$/);
    // The day before, still 平成 in Japan.
    expect(formatDate('2019-04-30T14:30:00Z', { lang: 'ja', calendar: 'japanese', withTime: false })).toBe('平成31年4月30日');
  });
  it('crosses the date line into the next Japanese day', () => {
    expect(formatDate('2026-12-31T15:00:00Z', { lang: 'ja', calendar: 'gregorian' })).toBe('2027年1月1日 00:00');
  });
  it('writes English dates day-first, 24-hour, in Japan time (the calendar choice is for Japanese)', () => {
    expect(formatDate('2026-11-22T12:40:00Z', { lang: 'en', calendar: 'japanese' })).toBe('22 Nov 2026, 21:40');
    expect(formatDate(new Date('2026-11-22T12:40:00Z'), { lang: 'en', calendar: 'gregorian', withTime: false })).toBe('22 Nov 2026');
  });
  it('gives back what is not a date as it came', () => {
    expect(formatDate('not a date', { lang: 'ja', calendar: 'gregorian' })).toBe('not a date');
  });
});
