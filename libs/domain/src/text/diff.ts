import { DomainError } from '../shared/decider';
import { diffTokenIds } from './myers';
import { tokenize } from './tokenize';

/**
 * Text diffs for requirement texts (Japanese and English) and for two revisions of a proposal.
 *
 * diffText: tokenise both texts (see tokenize.ts: a kanji or hiragana is a token, a katakana run, a
 * Latin word or a number such as 4.0 is one token), run Myers' O(ND) diff on the tokens (myers.ts),
 * then group the result: a change between two equal segments is one delete followed by one insert,
 * adjacent segments of one op are merged, and no segment is empty. Segments therefore always
 * start and end on token boundaries, so a surrogate pair or an emoji sequence is never split.
 *
 * Semantic cleanup (default, `cleanup: 'semantic'`), the rule of diff-match-patch's
 * diff_cleanupSemantic: an equal segment lying between two changes is folded into them (deleted
 * and re-inserted) when its length, in code points, is no greater than the larger side
 * (deleted or inserted length) of the change before it AND of the change after it. Repeated until
 * no such equal segment remains, looking back after each fold. Without it a character-level diff of
 * Japanese matches stray particles: 東京都の住民票 → 大阪府の戸籍謄本 would read
 * [-東京都][+大阪府]の[-住民票][+戸籍謄本]; with it, [-東京都の住民票][+大阪府の戸籍謄本].
 * `cleanup: 'none'` returns the minimal diff as is.
 */

export type DiffOp = 'equal' | 'insert' | 'delete';

export interface DiffSegment {
  readonly op: DiffOp;
  readonly text: string;
}

export interface DiffOptions {
  /** 'semantic' (default) folds small equal islands between changes into them; 'none' keeps the minimal diff. */
  readonly cleanup?: 'semantic' | 'none';
}

/** Thrown by applyDiff when the segments were not computed from this text: a programming error, not user input. */
export const DIFF_DOES_NOT_APPLY = 'DIFF_DOES_NOT_APPLY';

type Item = { kind: 'equal'; text: string; length: number } | { kind: 'change'; del: string; delLength: number; ins: string; insLength: number };

const codePoints = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff || i === 0 || s.charCodeAt(i - 1) < 0xd800 || s.charCodeAt(i - 1) > 0xdbff) n++;
  }
  return n;
};

export function diffText(before: string, after: string, options: DiffOptions = {}): DiffSegment[] {
  if (before === after) return before === '' ? [] : [{ op: 'equal', text: before }];

  const ids = new Map<string, number>();
  const intern = (text: string): number => {
    let id = ids.get(text);
    if (id === undefined) ids.set(text, (id = ids.size));
    return id;
  };
  const tokensA = tokenize(before).map((t) => t.text);
  const tokensB = tokenize(after).map((t) => t.text);
  const runs = diffTokenIds(Int32Array.from(tokensA, intern), Int32Array.from(tokensB, intern));

  // Token runs → alternating equal / change items.
  const items: Item[] = [];
  let ia = 0;
  let ib = 0;
  for (const run of runs) {
    if (run.op === 'equal') {
      const text = tokensA.slice(ia, ia + run.count).join('');
      ia += run.count;
      ib += run.count;
      items.push({ kind: 'equal', text, length: codePoints(text) });
      continue;
    }
    let last = items[items.length - 1];
    if (!last || last.kind !== 'change') {
      last = { kind: 'change', del: '', delLength: 0, ins: '', insLength: 0 };
      items.push(last);
    }
    if (run.op === 'delete') {
      const text = tokensA.slice(ia, ia + run.count).join('');
      ia += run.count;
      last.del += text;
      last.delLength += codePoints(text);
    } else {
      const text = tokensB.slice(ib, ib + run.count).join('');
      ib += run.count;
      last.ins += text;
      last.insLength += codePoints(text);
    }
  }

  if ((options.cleanup ?? 'semantic') === 'semantic') cleanupSemantic(items);

  const segments: DiffSegment[] = [];
  for (const item of items) {
    if (item.kind === 'equal') segments.push({ op: 'equal', text: item.text });
    else {
      if (item.del) segments.push({ op: 'delete', text: item.del });
      if (item.ins) segments.push({ op: 'insert', text: item.ins });
    }
  }
  return segments;
}

/** Folds each equal item between two changes that is no longer than the larger side of either change (see above). */
function cleanupSemantic(items: Item[]): void {
  let i = 1;
  while (i < items.length - 1) {
    const left = items[i - 1];
    const equal = items[i];
    const right = items[i + 1];
    if (
      equal.kind === 'equal' &&
      left.kind === 'change' &&
      right.kind === 'change' &&
      equal.length <= Math.max(left.delLength, left.insLength) &&
      equal.length <= Math.max(right.delLength, right.insLength)
    ) {
      items.splice(i - 1, 3, {
        kind: 'change',
        del: left.del + equal.text + right.del,
        delLength: left.delLength + equal.length + right.delLength,
        ins: left.ins + equal.text + right.ins,
        insLength: left.insLength + equal.length + right.insLength,
      });
      // The change grew: the equal item before it may now qualify.
      i = Math.max(1, i - 2);
    } else i++;
  }
}

/**
 * The text the segments lead to from `before`. Throws a DomainError DIFF_DOES_NOT_APPLY when an
 * equal or delete segment does not match `before` at its position, or `before` is not used up.
 */
export function applyDiff(before: string, segments: readonly DiffSegment[]): string {
  let position = 0;
  let result = '';
  segments.forEach((segment, index) => {
    if (segment.op === 'insert') {
      result += segment.text;
      return;
    }
    if (!before.startsWith(segment.text, position)) {
      throw new DomainError(
        DIFF_DOES_NOT_APPLY,
        `Segment ${index} (${segment.op} ${JSON.stringify(segment.text.slice(0, 40))}) does not match the text at offset ${position}.`,
      );
    }
    if (segment.op === 'equal') result += segment.text;
    position += segment.text.length;
  });
  if (position !== before.length) {
    throw new DomainError(DIFF_DOES_NOT_APPLY, `The segments cover ${position} of ${before.length} UTF-16 units of the text.`);
  }
  return result;
}

/**
 * The diff from `after` back to `before`: inserts become deletes and vice versa, and within each
 * change the delete is put first again, so invertDiff(diffText(a, b)) has the shape of a diffText
 * result and applyDiff(b, invertDiff(diffText(a, b))) === a.
 */
export function invertDiff(segments: readonly DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  let dels: string[] = [];
  let inss: string[] = [];
  const flush = (): void => {
    if (dels.length) out.push({ op: 'delete', text: dels.join('') });
    if (inss.length) out.push({ op: 'insert', text: inss.join('') });
    dels = [];
    inss = [];
  };
  for (const segment of segments) {
    if (segment.text === '') continue;
    if (segment.op === 'equal') {
      flush();
      const last = out[out.length - 1];
      if (last && last.op === 'equal') out[out.length - 1] = { op: 'equal', text: last.text + segment.text };
      else out.push({ op: 'equal', text: segment.text });
    } else if (segment.op === 'insert') dels.push(segment.text);
    else inss.push(segment.text);
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Two revisions of a proposal

export type RevisionChangeKind = 'add' | 'modify' | 'delete';

/** One change of a proposal revision, as much as a revision diff needs (defined here so text/ imports no other context). */
export interface RevisionChange {
  readonly changeId: string;
  readonly requirementId: string;
  readonly kind: RevisionChangeKind;
  /** The proposed text; null (or ignored) for a delete. */
  readonly after: string | null;
}

/**
 * added: only revision B changes the requirement; removed: only revision A does; modified: both,
 * with a different kind or text; unchanged: both, same kind and text.
 */
export type RevisionDiffStatus = 'added' | 'removed' | 'modified' | 'unchanged';

export interface RequirementRevisionDiff {
  readonly requirementId: string;
  readonly status: RevisionDiffStatus;
  /** The change in revision A, null when A does not touch the requirement. */
  readonly fromChange: RevisionChange | null;
  /** The change in revision B, null when B does not touch the requirement. */
  readonly toChange: RevisionChange | null;
  readonly kindChanged: boolean;
  /** From A's proposed text to B's; a missing change or a delete proposes the empty text. */
  readonly segments: DiffSegment[];
}

const proposedText = (change: RevisionChange | null): string => (change && change.kind !== 'delete' ? (change.after ?? '') : '');

/**
 * Per-requirement diffs between revisions A and B of one proposal, ordered by requirement id
 * (numerically by dotted part: 2.1.9 before 2.1.10). Changes are paired by requirement id; if a
 * revision holds several changes for one requirement, the k-th of A pairs with the k-th of B.
 */
export function diffRevisions(changesA: readonly RevisionChange[], changesB: readonly RevisionChange[], options: DiffOptions = {}): RequirementRevisionDiff[] {
  const key = (change: RevisionChange, seen: Map<string, number>): string => {
    const k = seen.get(change.requirementId) ?? 0;
    seen.set(change.requirementId, k + 1);
    return `${k}\u0000${change.requirementId}`;
  };
  const pairs = new Map<string, { requirementId: string; occurrence: number; a: RevisionChange | null; b: RevisionChange | null }>();
  const seenA = new Map<string, number>();
  for (const change of changesA) {
    const k = key(change, seenA);
    pairs.set(k, { requirementId: change.requirementId, occurrence: seenA.get(change.requirementId)!, a: change, b: null });
  }
  const seenB = new Map<string, number>();
  for (const change of changesB) {
    const k = key(change, seenB);
    const pair = pairs.get(k);
    if (pair) pair.b = change;
    else pairs.set(k, { requirementId: change.requirementId, occurrence: seenB.get(change.requirementId)!, a: null, b: change });
  }
  return [...pairs.values()]
    .sort((x, y) => compareRequirementIds(x.requirementId, y.requirementId) || x.occurrence - y.occurrence)
    .map(({ requirementId, a, b }) => {
      const fromText = proposedText(a);
      const toText = proposedText(b);
      const kindChanged = a !== null && b !== null && a.kind !== b.kind;
      const status: RevisionDiffStatus = !a ? 'added' : !b ? 'removed' : kindChanged || fromText !== toText ? 'modified' : 'unchanged';
      return { requirementId, status, fromChange: a, toChange: b, kindChanged, segments: diffText(fromText, toText, options) };
    });
}

/** Orders requirement ids by their runs of digits as numbers and the rest as text: 2.1.9 < 2.1.10 < 2.2 < A-1. */
export function compareRequirementIds(x: string, y: string): number {
  const parts = (s: string): string[] => s.match(/\d+|\D+/g) ?? [];
  const px = parts(x);
  const py = parts(y);
  for (let i = 0; i < Math.min(px.length, py.length); i++) {
    const a = px[i];
    const b = py[i];
    if (a === b) continue;
    const aNum = /^\d/.test(a);
    const bNum = /^\d/.test(b);
    if (aNum && bNum) {
      const diff = Number(a) - Number(b);
      if (diff !== 0) return diff;
      return a.length - b.length; // 01 after 1
    }
    if (aNum !== bNum) return aNum ? -1 : 1;
    return a < b ? -1 : 1;
  }
  return px.length - py.length || (x < y ? -1 : x > y ? 1 : 0);
}
