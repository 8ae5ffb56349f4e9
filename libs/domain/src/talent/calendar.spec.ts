import { dateInJapan, isCalendarDate, yearsLater } from './calendar';

describe('calendar', () => {
  it('accepts real dates only', () => {
    expect(isCalendarDate('2025-04-01')).toBe(true);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(isCalendarDate('2025-4-1')).toBe(false);
    expect(isCalendarDate('2025-04-01T00:00:00Z')).toBe(false);
    expect(isCalendarDate('1999-12-31')).toBe(false);
    expect(isCalendarDate(20250401)).toBe(false);
  });

  it('turns an instant into the day in Japan (UTC+9)', () => {
    expect(dateInJapan(new Date('2025-03-31T14:59:59.999Z'))).toBe('2025-03-31');
    expect(dateInJapan(new Date('2025-03-31T15:00:00.000Z'))).toBe('2025-04-01');
  });

  it('moves a date by whole years, comparably as a string', () => {
    expect(yearsLater('2025-04-01', 5)).toBe('2030-04-01');
    expect(yearsLater('2028-02-29', 1) > '2029-02-28').toBe(true);
  });
});
