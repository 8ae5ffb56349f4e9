/**
 * Myers' O(ND) difference algorithm in linear space (E. Myers, "An O(ND) Difference Algorithm and
 * Its Variations", 1986, section 4b: find the middle snake from both ends, then recurse on each
 * half), on arrays of token ids. Common prefixes and suffixes are trimmed first at every level, so
 * a long text with a few scattered edits costs little more than reading it.
 *
 * There is no clock in the domain, so the guard against pathological inputs (two long texts with
 * nothing in common) is a work budget counted in diagonal steps, not a deadline: once it is spent,
 * each sub-problem still open is answered with "delete all of a, insert all of b". The result is
 * then valid (applying it still gives b) but no longer minimal. The default budget keeps the
 * worst case for two 10,000-token texts to a few hundred milliseconds.
 */

export type EditOp = 'equal' | 'delete' | 'insert';

/** A run of `count` tokens: equal (in both), delete (from a) or insert (from b), in order. */
export interface EditRun {
  readonly op: EditOp;
  readonly count: number;
}

export const DEFAULT_WORK_BUDGET = 20_000_000;

class Differ {
  readonly runs: EditRun[] = [];
  private budget: number;

  constructor(
    private readonly a: ArrayLike<number>,
    private readonly b: ArrayLike<number>,
    budget: number,
  ) {
    this.budget = budget;
  }

  private emit(op: EditOp, count: number): void {
    if (count <= 0) return;
    const last = this.runs[this.runs.length - 1];
    if (last && last.op === op) this.runs[this.runs.length - 1] = { op, count: last.count + count };
    else this.runs.push({ op, count });
  }

  /** Diffs a[aLo, aHi) against b[bLo, bHi). */
  diff(aLo: number, aHi: number, bLo: number, bHi: number): void {
    const { a, b } = this;
    let prefix = 0;
    while (aLo + prefix < aHi && bLo + prefix < bHi && a[aLo + prefix] === b[bLo + prefix]) prefix++;
    let suffix = 0;
    while (aHi - suffix > aLo + prefix && bHi - suffix > bLo + prefix && a[aHi - suffix - 1] === b[bHi - suffix - 1]) suffix++;
    this.emit('equal', prefix);
    this.middle(aLo + prefix, aHi - suffix, bLo + prefix, bHi - suffix);
    this.emit('equal', suffix);
  }

  private middle(aLo: number, aHi: number, bLo: number, bHi: number): void {
    const n = aHi - aLo;
    const m = bHi - bLo;
    if (n === 0 || m === 0 || this.budget <= 0) {
      this.emit('delete', n);
      this.emit('insert', m);
      return;
    }
    const split = this.middleSnake(aLo, n, bLo, m);
    if (!split) {
      this.emit('delete', n);
      this.emit('insert', m);
      return;
    }
    const [x, y] = split;
    this.diff(aLo, aLo + x, bLo, bLo + y);
    this.diff(aLo + x, aHi, bLo + y, bHi);
  }

  /**
   * The point (x, y) where a shortest edit path crosses the middle snake, searching forward from
   * (0, 0) and backward from (n, m) at once; null when there is no common token or the budget ran out.
   */
  private middleSnake(aLo: number, n: number, bLo: number, m: number): [number, number] | null {
    const { a, b } = this;
    const maxD = Math.ceil((n + m) / 2);
    const offset = maxD;
    const size = 2 * maxD; // as in diff-match-patch's bisect; allocated with 2 spare cells for offset + 1
    const v1 = new Int32Array(size + 2).fill(-1);
    const v2 = new Int32Array(size + 2).fill(-1);
    v1[offset + 1] = 0;
    v2[offset + 1] = 0;
    const delta = n - m;
    const deltaOdd = (delta & 1) !== 0;
    // Diagonals that ran off the grid are skipped from then on.
    let k1start = 0;
    let k1end = 0;
    let k2start = 0;
    let k2end = 0;
    for (let d = 0; d < maxD; d++) {
      if (this.budget <= 0) return null;
      for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
        const k1Offset = offset + k1;
        let x1 = k1 === -d || (k1 !== d && v1[k1Offset - 1] < v1[k1Offset + 1]) ? v1[k1Offset + 1] : v1[k1Offset - 1] + 1;
        let y1 = x1 - k1;
        const start = x1;
        while (x1 < n && y1 < m && a[aLo + x1] === b[bLo + y1]) {
          x1++;
          y1++;
        }
        this.budget -= 1 + x1 - start;
        v1[k1Offset] = x1;
        if (x1 > n) k1end += 2;
        else if (y1 > m) k1start += 2;
        else if (deltaOdd) {
          const k2Offset = offset + delta - k1;
          if (k2Offset >= 0 && k2Offset < size && v2[k2Offset] !== -1 && x1 >= n - v2[k2Offset]) return [x1, y1];
        }
      }
      for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
        const k2Offset = offset + k2;
        let x2 = k2 === -d || (k2 !== d && v2[k2Offset - 1] < v2[k2Offset + 1]) ? v2[k2Offset + 1] : v2[k2Offset - 1] + 1;
        let y2 = x2 - k2;
        const start = x2;
        while (x2 < n && y2 < m && a[aLo + n - x2 - 1] === b[bLo + m - y2 - 1]) {
          x2++;
          y2++;
        }
        this.budget -= 1 + x2 - start;
        v2[k2Offset] = x2;
        if (x2 > n) k2end += 2;
        else if (y2 > m) k2start += 2;
        else if (!deltaOdd) {
          const k1Offset = offset + delta - k2;
          if (k1Offset >= 0 && k1Offset < size && v1[k1Offset] !== -1) {
            const x1 = v1[k1Offset];
            const y1 = offset + x1 - k1Offset;
            if (x1 >= n - x2) return [x1, y1];
          }
        }
      }
    }
    return null;
  }
}

/**
 * A shortest (within the work budget) edit script turning token ids `a` into `b`, as runs in
 * order, adjacent runs of one op merged (a delete run and an insert run may come in either order).
 */
export function diffTokenIds(a: ArrayLike<number>, b: ArrayLike<number>, budget = DEFAULT_WORK_BUDGET): EditRun[] {
  const differ = new Differ(a, b, budget);
  differ.diff(0, a.length, 0, b.length);
  return differ.runs;
}
