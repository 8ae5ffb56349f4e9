/**
 * Dates as Japanese offices write them: 2026年11月22日 21:40, or in the Japanese era (和暦):
 * 令和8年11月22日 21:40. English: 22 Nov 2026, 21:40. Always in Japan time, whatever the
 * terminal's zone, since deadlines are Japanese deadlines.
 */
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

export type Calendar = 'gregorian' | 'japanese';
const STORAGE_KEY = 'kyogi.calendar';
const TIME_ZONE = 'Asia/Tokyo';

const listeners = new Set<() => void>();
let calendar: Calendar = (() => {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'japanese' ? 'japanese' : 'gregorian';
  } catch {
    return 'gregorian';
  }
})();

export const currentCalendar = (): Calendar => calendar;

export function setCalendar(next: Calendar): void {
  calendar = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // private mode: for this page only
  }
  for (const listener of [...listeners]) listener();
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: locale.startsWith('ja') ? 'long' : 'short',
      day: 'numeric',
      ...(locale.includes('ca-japanese') ? { era: 'long' } : {}),
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

/** Formats an ISO date-time (or a Date) for the language and calendar; an invalid value comes back as given. */
export function formatDate(value: string | Date, options: { lang: string; calendar: Calendar; withTime?: boolean }): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  const withTime = options.withTime ?? true;
  if (!options.lang.startsWith('ja')) return formatter('en-GB', withTime).format(date);
  const locale = options.calendar === 'japanese' ? 'ja-JP-u-ca-japanese' : 'ja-JP';
  // ja-JP writes "2026年11月22日 21:40"; the era form comes as "令和8年11月22日 21:40".
  return formatter(locale, withTime).format(date);
}

/** A formatter that follows the language and the calendar chosen in the header. */
export function useFormatDate(): (value: string | Date, withTime?: boolean) => string {
  const { i18n } = useTranslation();
  const cal = useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, currentCalendar);
  return (value, withTime = true) => formatDate(value, { lang: i18n.language, calendar: cal, withTime });
}

export function useCalendar(): Calendar {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, currentCalendar);
}
