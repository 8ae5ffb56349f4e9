/**
 * Calendar dates of terms and dispatches: `YYYY-MM-DD`, a day in Japan (会計年度 run from
 * 04-01 to 03-31). Compared as strings, which orders them as dates.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** A real calendar date (no 2025-02-30) in 2000-2199. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 2000 || year > 2199) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The date in Japan at `now`: a term that starts on 04-01 has started at 00:00 JST, not at 09:00. */
export const dateInJapan = (now: Date): string => new Date(now.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);

/** The same day `years` later, as a string (02-29 stays 02-29: only compared, never parsed). */
export const yearsLater = (date: string, years: number): string => `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;
