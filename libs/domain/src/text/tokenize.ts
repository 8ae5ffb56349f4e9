/**
 * Tokenisation for diffs that read well in Japanese and in English.
 *
 * Japanese has no spaces, so a word-level diff would see a whole sentence as one word and replace
 * it; a pure character-level diff shreds English words and numbers. The rules below mix both.
 * They work on code points, never on UTF-16 units, so a surrogate pair (𠮷, 😀) is never split.
 *
 * 1. Clusters. A base code point takes along what cannot stand alone: combining marks (\p{M}, which
 *    includes variation selectors and the ideographic variation selectors of 葛󠄀), ZWNJ, emoji skin
 *    tone modifiers, tag characters, a ZWJ together with the code point it joins (👨‍👩‍👧 is one
 *    cluster), and a pair of regional indicators (🇯🇵). A cluster is never split across tokens.
 * 2. Tokens, by the class of a cluster's base:
 *    - whitespace (including U+3000 全角スペース and line breaks): a run is one token;
 *    - katakana (full- and half-width, with ー ｰ ﾞ ﾟ): a run is one token — システム, データベース;
 *    - letters and digits of spaced scripts (Latin, Greek, Cyrillic, Hangul, full-width Ａ-Ｚ and
 *      ０-９): a run is one word token — API, IPv6, ＬＧＷＡＮ, 2024. Inside a run, `.` `,` `．` `，`
 *      between two digits and an apostrophe between two letters continue the word, so 4.0,
 *      2.1.3, 1,000 and don't are single tokens;
 *    - everything else is one token per cluster: each kanji (住, 民, 𠮷), each hiragana (の),
 *      each punctuation mark or symbol (、 。 「 」 ( ) -), each emoji.
 *
 * So 第4.0版 is [第][4.0][版], 住民記録システムの標準仕様書 is
 * [住][民][記][録][システム][の][標][準][仕][様][書], and "Hello, world" is [Hello][,][ ][world].
 * Joining the tokens always gives back the input exactly.
 */

export type TokenKind = 'space' | 'katakana' | 'word' | 'char';

const MARK_LIKE = /^[\p{M}\u200C\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}]$/u;
const ZWJ = '\u200D';
const REGIONAL_INDICATOR = /^[\u{1F1E6}-\u{1F1FF}]$/u;
const SPACE = /^\s$/u;
const KATAKANA = /^[\p{Script=Katakana}\u30FC\uFF70\uFF9E\uFF9F]$/u;
const HAN_OR_KANA = /^[\p{Script=Han}\p{Script=Hiragana}]$/u;
/** CJK symbol and ideograph blocks whose letters (〆, 〻, compatibility ideographs) are not words. */
const CJK_BLOCK = /^[\u2E80-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\u{20000}-\u{3FFFF}]$/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const DIGIT = /^\p{Nd}$/u;
const LETTER = /^\p{L}$/u;
const NUMBER_JOINER = /^[.,．，]$/u;
const WORD_APOSTROPHE = /^['’]$/u;

interface Cluster {
  readonly text: string;
  readonly base: string;
}

function clusters(text: string): Cluster[] {
  const cps = Array.from(text);
  const out: Cluster[] = [];
  let i = 0;
  while (i < cps.length) {
    const base = cps[i];
    let piece = base;
    i++;
    if (REGIONAL_INDICATOR.test(base) && i < cps.length && REGIONAL_INDICATOR.test(cps[i])) piece += cps[i++];
    for (;;) {
      if (i < cps.length && MARK_LIKE.test(cps[i])) piece += cps[i++];
      else if (i < cps.length && cps[i] === ZWJ) {
        piece += cps[i++];
        if (i < cps.length && !SPACE.test(cps[i])) piece += cps[i++];
      } else break;
    }
    out.push({ text: piece, base });
  }
  return out;
}

function classify(base: string): TokenKind {
  if (SPACE.test(base)) return 'space';
  if (KATAKANA.test(base)) return 'katakana';
  if (HAN_OR_KANA.test(base) || CJK_BLOCK.test(base)) return 'char';
  if (LETTER_OR_DIGIT.test(base)) return 'word';
  return 'char';
}

export interface Token {
  readonly text: string;
  readonly kind: TokenKind;
}

/** Splits `text` into tokens (see the rules above); `tokens.map(t => t.text).join('') === text`. */
export function tokenize(text: string): Token[] {
  const cs = clusters(text);
  const kinds = cs.map((c) => classify(c.base));
  const tokens: Token[] = [];
  let i = 0;
  while (i < cs.length) {
    const kind = kinds[i];
    let piece = cs[i].text;
    let j = i + 1;
    if (kind !== 'char') {
      for (;;) {
        if (j < cs.length && kinds[j] === kind) {
          piece += cs[j++].text;
          continue;
        }
        // 4.0, 2.1.3, 1,000, don't: a joiner between two word clusters of the right sort
        if (kind === 'word' && j + 1 < cs.length && kinds[j + 1] === 'word') {
          const prev = cs[j - 1].base;
          const joiner = cs[j].text;
          const next = cs[j + 1].base;
          const joins =
            (NUMBER_JOINER.test(joiner) && DIGIT.test(prev) && DIGIT.test(next)) || (WORD_APOSTROPHE.test(joiner) && LETTER.test(prev) && LETTER.test(next));
          if (joins) {
            piece += joiner + cs[j + 1].text;
            j += 2;
            continue;
          }
        }
        break;
      }
    }
    tokens.push({ text: piece, kind });
    i = j;
  }
  return tokens;
}
