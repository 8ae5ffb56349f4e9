import fc from 'fast-check';
import { applyDiff, diffRevisions, diffText, DiffOptions, DiffSegment, invertDiff, RevisionChange } from './diff';
import { diffTokenIds } from './myers';
import { tokenize } from './tokenize';

/**
 * Strings are built from units, each a whole cluster (an emoji sequence, a surrogate pair, a
 * letter with its combining mark), so that "never split" can be checked against unit boundaries.
 * Some units are prefixes of others (e / e + U+0301, 葛 / 葛 + IVS, 👍 / 👍🏽, 👨‍👩 / 👨‍👩‍👧), so a
 * diff that cut a cluster would find something to match on either side of the cut.
 */
const hiragana = fc.integer({ min: 0x3041, max: 0x3096 }).map((cp) => String.fromCodePoint(cp));
const kanji = fc.constantFrom('住', '民', '記', '録', '票', '写', '交', '付', '第', '版', '𠮷', '𩸽', '葛', '葛\u{E0100}');
const katakana = fc.constantFrom('ア', 'シ', 'ス', 'テ', 'ム', 'ー', 'ｼ', 'ﾃ');
const latin = fc.constantFrom('a', 'e', 'Z', '1', '4', '.', ',', ' ', '\n', "'", 'é', 'e\u0301');
const punctuation = fc.constantFrom('、', '。', '「', '」', '（', '）', '\u3000', '・');
const emoji = fc.constantFrom('😀', '👍', '👍🏽', '👨‍👩', '👨‍👩‍👧', '🇯🇵', '❤️');
const unit = fc.oneof(hiragana, kanji, katakana, latin, punctuation, emoji);
const japaneseUnits = fc.array(fc.oneof(hiragana, kanji, katakana, punctuation), { maxLength: 40 });
const mixedUnits = fc.array(unit, { maxLength: 40 });

type Edit = { at: number; remove: number; insert: string[] };
const edits = fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 5 }), insert: fc.array(unit, { maxLength: 5 }) }), { maxLength: 6 });
/** b is a with a few edits, so that a and b share most of their text, like two revisions. */
const applyEdits = (units: string[], es: Edit[]): string[] => {
  const out = [...units];
  for (const e of es) out.splice(out.length === 0 ? 0 : e.at % (out.length + 1), e.remove, ...e.insert);
  return out;
};
const relatedPair = fc.tuple(fc.oneof(japaneseUnits, mixedUnits), edits).map(([a, es]) => [a, applyEdits(a, es)] as const);
const anyPair = fc.oneof(relatedPair, fc.tuple(mixedUnits, mixedUnits));

const join = (units: readonly string[]): string => units.join('');
const boundaries = (units: readonly string[]): Set<number> => {
  const set = new Set<number>([0]);
  let offset = 0;
  for (const u of units) set.add((offset += u.length));
  return set;
};
const sideText = (segments: DiffSegment[], side: 'a' | 'b'): string =>
  segments
    .filter((s) => s.op === 'equal' || s.op === (side === 'a' ? 'delete' : 'insert'))
    .map((s) => s.text)
    .join('');
const cutPoints = (segments: DiffSegment[], side: 'a' | 'b'): number[] => {
  const points: number[] = [];
  let offset = 0;
  for (const s of segments) {
    if (s.op === 'equal' || s.op === (side === 'a' ? 'delete' : 'insert')) points.push((offset += s.text.length));
  }
  return points;
};

const modes: DiffOptions[] = [{ cleanup: 'semantic' }, { cleanup: 'none' }];

describe.each(modes)('diffText properties (%j)', (options) => {
  it('applying diffText(a, b) to a gives b; equal+delete give a, equal+insert give b', () => {
    fc.assert(
      fc.property(anyPair, ([ua, ub]) => {
        const [a, b] = [join(ua), join(ub)];
        const segments = diffText(a, b, options);
        expect(applyDiff(a, segments)).toBe(b);
        expect(sideText(segments, 'a')).toBe(a);
        expect(sideText(segments, 'b')).toBe(b);
      }),
      { numRuns: 500 },
    );
  });

  it('also holds for arbitrary Unicode (any code point, any grapheme)', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const segments = diffText(a, b, options);
        expect(applyDiff(a, segments)).toBe(b);
        expect(sideText(segments, 'a')).toBe(a);
        for (const s of segments) {
          expect(s.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('diffText(a, a) is one equal segment, or none for the empty text', () => {
    fc.assert(
      fc.property(mixedUnits, (units) => {
        const a = join(units);
        expect(diffText(a, a, options)).toEqual(a === '' ? [] : [{ op: 'equal', text: a }]);
      }),
    );
  });

  it('has no empty segment, no two neighbours with one op, and a delete before an insert', () => {
    fc.assert(
      fc.property(anyPair, ([ua, ub]) => {
        const segments = diffText(join(ua), join(ub), options);
        segments.forEach((s, i) => {
          expect(s.text).not.toBe('');
          if (i > 0) {
            expect(s.op).not.toBe(segments[i - 1].op);
            expect([segments[i - 1].op, s.op]).not.toEqual(['insert', 'delete']);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('cuts only between units: surrogate pairs, emoji sequences and combining marks stay whole', () => {
    fc.assert(
      fc.property(anyPair, ([ua, ub]) => {
        const segments = diffText(join(ua), join(ub), options);
        const [ba, bb] = [boundaries(ua), boundaries(ub)];
        for (const p of cutPoints(segments, 'a')) expect(ba.has(p)).toBe(true);
        for (const p of cutPoints(segments, 'b')) expect(bb.has(p)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('invertDiff turns b back into a', () => {
    fc.assert(
      fc.property(anyPair, ([ua, ub]) => {
        const [a, b] = [join(ua), join(ub)];
        expect(applyDiff(b, invertDiff(diffText(a, b, options)))).toBe(a);
      }),
      { numRuns: 300 },
    );
  });
});

describe('tokenize properties', () => {
  it('joins back to its input, for any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), mixedUnits.map(join)), (s) => {
        expect(
          tokenize(s)
            .map((t) => t.text)
            .join(''),
        ).toBe(s);
      }),
    );
  });
});

describe('Myers properties', () => {
  /** Length of a longest common subsequence, by dynamic programming: the reference for minimality. */
  const lcsLength = (a: number[], b: number[]): number => {
    const row = new Array<number>(b.length + 1).fill(0);
    for (const x of a) {
      let diagonal = 0;
      for (let j = 1; j <= b.length; j++) {
        const up = row[j];
        row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
        diagonal = up;
      }
    }
    return row[b.length];
  };
  const tokens = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 25 });

  it('edits exactly n + m - 2·LCS tokens (a shortest edit script) and replays a into b', () => {
    fc.assert(
      fc.property(tokens, tokens, (a, b) => {
        const runs = diffTokenIds(a, b);
        const edited = runs.filter((r) => r.op !== 'equal').reduce((n, r) => n + r.count, 0);
        expect(edited).toBe(a.length + b.length - 2 * lcsLength(a, b));
        const out: number[] = [];
        let [i, j] = [0, 0];
        for (const r of runs) {
          if (r.op === 'equal') {
            expect(a.slice(i, i + r.count)).toEqual(b.slice(j, j + r.count));
            out.push(...a.slice(i, (i += r.count)));
            j += r.count;
          } else if (r.op === 'delete') i += r.count;
          else out.push(...b.slice(j, (j += r.count)));
        }
        expect([i, j]).toEqual([a.length, b.length]);
        expect(out).toEqual(b);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('diffRevisions properties', () => {
  const kind = fc.constantFrom<RevisionChange['kind']>('add', 'modify', 'delete');
  const changes = fc.array(
    fc.record({
      changeId: fc.constantFrom('c1', 'c2', 'c3'),
      requirementId: fc.constantFrom('1.1', '1.2', '2.1.3', '2.1.10'),
      kind,
      after: fc.option(japaneseUnits.map(join)),
    }),
    { maxLength: 5 },
  );
  const text = (c: RevisionChange | null): string => (c && c.kind !== 'delete' ? (c.after ?? '') : '');

  it('gives one entry per paired change, each diff leading from A’s text to B’s', () => {
    fc.assert(
      fc.property(changes, changes, (a, b) => {
        const diffs = diffRevisions(a, b);
        expect(diffs.filter((d) => d.fromChange).length).toBe(a.length);
        expect(diffs.filter((d) => d.toChange).length).toBe(b.length);
        for (const d of diffs) {
          expect(applyDiff(text(d.fromChange), d.segments)).toBe(text(d.toChange));
          expect(d.status === 'unchanged').toBe(d.fromChange !== null && d.toChange !== null && !d.kindChanged && text(d.fromChange) === text(d.toChange));
        }
      }),
    );
  });
});
