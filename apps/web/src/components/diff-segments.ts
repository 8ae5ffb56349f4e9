/**
 * A text diff for Japanese: by character (Japanese has no spaces between words, so a word diff
 * would mark whole sentences), then equal runs shorter than a few characters between two edits
 * are folded into the edits so that the result reads as phrases, not as confetti.
 * DOM-free (unit-tested in diff-segments.spec.ts); diff-view.tsx shows the segments.
 */
import { diffChars } from 'diff';

export type DiffOp = 'EQUAL' | 'INSERT' | 'DELETE';
export interface Segment {
  readonly op: DiffOp;
  readonly text: string;
}

/** Below this many characters, an equal run between two changes is shown as part of them. */
const MIN_EQUAL_RUN = 2;

export function diffText(before: string, after: string): Segment[] {
  const raw: Segment[] = diffChars(before, after).map((part) => ({ op: part.added ? 'INSERT' : part.removed ? 'DELETE' : 'EQUAL', text: part.value }));
  return readable(raw);
}

/** Folds short equal runs between changes into a deletion + insertion, and merges neighbours of one kind. */
export function readable(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    const between = i > 0 && i < segments.length - 1 && segments[i - 1].op !== 'EQUAL' && segments[i + 1].op !== 'EQUAL';
    if (s.op === 'EQUAL' && between && [...s.text].length < MIN_EQUAL_RUN && !s.text.includes('\n')) {
      out.push({ op: 'DELETE', text: s.text }, { op: 'INSERT', text: s.text });
    } else out.push(s);
  }
  // Group each run of changes as all deletions then all insertions, merged.
  const grouped: Segment[] = [];
  let del = '';
  let ins = '';
  const flush = () => {
    if (del) grouped.push({ op: 'DELETE', text: del });
    if (ins) grouped.push({ op: 'INSERT', text: ins });
    del = ins = '';
  };
  for (const s of out) {
    if (s.op === 'DELETE') del += s.text;
    else if (s.op === 'INSERT') ins += s.text;
    else {
      flush();
      const last = grouped[grouped.length - 1];
      if (last?.op === 'EQUAL') grouped[grouped.length - 1] = { op: 'EQUAL', text: last.text + s.text };
      else grouped.push(s);
    }
  }
  flush();
  return grouped;
}
