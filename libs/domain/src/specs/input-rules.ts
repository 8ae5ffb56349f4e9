/**
 * Input rules shared by the deliberation contexts (specs, proposals, comments): ids, versions,
 * requirement ids and text. Pure functions; each decider turns a failed check into its own
 * DomainError with the field at fault.
 */

/** Length in code points, so 𠮷 (outside the BMP) counts once, as a reader would count it. */
export const textLength = (text: string): number => [...text].length;

// jsonb cannot hold U+0000 and the hash chain's canonical JSON refuses lone surrogates, so such
// text would fail at append time; the other C0 controls (tab and line feed apart) are copy-paste
// noise from Excel. Refusing them here makes them the input's fault, with a field, not a 500.
const UNSTORABLE = /[\u0000-\u0008\u000B-\u001F\u007F]|\p{Cs}/u;

/** Whether text holds a character that cannot be stored (see UNSTORABLE): for callers that name the field at fault themselves. */
export const hasUnstorableCharacters = (text: string): boolean => UNSTORABLE.test(text);

/** Line breaks as \n: quote offsets and diffs must not depend on the writer's OS. */
const unixLineBreaks = (text: string): string => text.replace(/\r\n?/g, '\n');

/**
 * Titles, reasons, answers, comment bodies: line breaks normalised, then trimmed (also of the
 * ideographic space U+3000). Null when blank, longer than `max` code points or unstorable.
 */
export function cleanLabel(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const text = unixLineBreaks(value).trim();
  return text.length > 0 && textLength(text) <= max && !UNSTORABLE.test(text) ? text : null;
}

/**
 * Requirement text and proposed text: kept as written apart from line breaks, because a leading
 * 全角スペース is a paragraph indent in Japanese documents and quotes point into this text by
 * offset. Null when blank, longer than `max` code points or unstorable.
 */
export function cleanProse(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const text = unixLineBreaks(value);
  return text.trim().length > 0 && textLength(text) <= max && !UNSTORABLE.test(text) ? text : null;
}

const SPEC_ID = /^[a-z0-9-]{2,64}$/;
/** A spec id is a slug, e.g. `juminkiroku`. */
export const isSpecId = (value: unknown): value is string => typeof value === 'string' && SPEC_ID.test(value);

const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Proposal, change and comment ids: a ULID, a UUID or a slug; 1-64 characters. */
export const isEntityId = (value: unknown): value is string => typeof value === 'string' && ENTITY_ID.test(value);

const VERSION = /^\d+(?:\.\d+)*$/;
export const MAX_VERSION_LENGTH = 32;
/** A spec version: digits and dots, e.g. `4.0` or `10.2.1`. */
export const isVersion = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_VERSION_LENGTH && VERSION.test(value);

const REQUIREMENT_ID = /^(?:[A-Za-z]+-?)?\d+(?:\.\d+)*$/;
/** A requirement id: digits and dots (`2.1.3`), optionally after letters and a hyphen (`R-2.1.3`, `JK0010.2`); at most 64 characters. */
export const isRequirementId = (value: unknown): value is string => typeof value === 'string' && value.length <= 64 && REQUIREMENT_ID.test(value);

// Leading zeros do not count: `4.01` and `4.1` are the same number part.
const numberPart = (part: string | undefined): string => (part ?? '0').replace(/^0+(?=\d)/, '');

/**
 * Compares two versions numerically part by part (`4.10` > `4.9`), a missing part being 0
 * (`4` = `4.0`). Parts of any length (compared as digit strings, never as floats).
 * Returns -1, 0 or 1.
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = numberPart(left[i]);
    const y = numberPart(right[i]);
    if (x.length !== y.length) return x.length < y.length ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
