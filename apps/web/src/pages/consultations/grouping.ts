/**
 * The consultation pages' pure helpers (DOM-free, unit-tested in grouping.spec.ts): who has
 * answered grouped by prefecture, and a share shown as a percentage.
 */

export interface Group<T> {
  code: string | null;
  items: T[];
}

/** Groups by prefecture code (national and other bodies, without one, last), each group in input order. */
export function byPrefecture<T extends { prefectureCode: string | null }>(items: readonly T[]): Group<T>[] {
  const groups = new Map<string | null, T[]>();
  for (const item of items) {
    const list = groups.get(item.prefectureCode) ?? [];
    list.push(item);
    groups.set(item.prefectureCode, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([code, list]) => ({ code, items: list }));
}

/** A share as a percentage with one decimal (a display, never a decision: the server decides). */
export function percent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  return `${(Math.round((part / whole) * 1000) / 10).toLocaleString('ja-JP')}%`;
}
