/**
 * What an imported spec version is made of, and the checks shared by the CSV and Markdown readers.
 * Pure: the file arrives as a string (already decoded as UTF-8 by the caller); nothing here throws
 * for bad input — every problem comes back as an ImportError with its 1-based line number.
 */

import { REQUIREMENT_CATEGORIES, type RequirementCategory } from '../specs/specs.events';

export { REQUIREMENT_CATEGORIES, type RequirementCategory }; // one list, owned by the Spec events

/** At most this many requirements per file. */
export const MAX_REQUIREMENTS = 5_000;
/** At most this many bytes of UTF-8 per file: 1 MB, counted as 1 MiB = 1,048,576 bytes. */
export const MAX_IMPORT_BYTES = 1_048_576;
/** A title is one line of at most this many characters (code points). */
export const MAX_TITLE_LENGTH = 200;
/** A requirement's text is at most this many characters (code points), the size the diffs are measured for. */
export const MAX_TEXT_LENGTH = 10_000;

/**
 * A requirement id: digits separated by dots (2.1.3, 10, 0010001), optionally after a prefix of
 * ASCII letters and an optional hyphen (JR-2.1.3, A2.1, KK-10). At most 64 characters. Full-width
 * forms (２．１．３, ＪＲ－２．１) are accepted and stored in ASCII (Unicode NFKC).
 */
export const REQUIREMENT_ID_PATTERN = /^(?:[A-Za-z]+-?)?\d+(?:\.\d+)*$/;
export const MAX_REQUIREMENT_ID_LENGTH = 64;

export interface ImportedRequirement {
  readonly requirementId: string;
  readonly title: string;
  readonly text: string;
  readonly category: RequirementCategory;
}

export type ImportField = 'requirementId' | 'title' | 'text' | 'category';

export type ImportErrorCode =
  | 'FILE_TOO_LARGE'
  | 'NOT_UTF8'
  | 'EMPTY_FILE'
  | 'NO_REQUIREMENTS'
  | 'TOO_MANY_REQUIREMENTS'
  | 'MISSING_COLUMN'
  | 'DUPLICATE_COLUMN'
  | 'UNTERMINATED_QUOTE'
  | 'INVALID_QUOTE'
  | 'WRONG_FIELD_COUNT'
  | 'UNTERMINATED_CODE_FENCE'
  | 'MISSING_ID'
  | 'INVALID_ID'
  | 'DUPLICATE_ID'
  | 'MISSING_TITLE'
  | 'INVALID_TITLE'
  | 'EMPTY_TEXT'
  | 'TEXT_TOO_LONG'
  | 'MISSING_CATEGORY'
  | 'UNKNOWN_CATEGORY';

export interface ImportError {
  /** 1-based line of the file where the problem is (for a field, the line where the field starts). */
  readonly line: number;
  readonly field?: ImportField;
  /** Stable, for clients and tests. */
  readonly code: ImportErrorCode;
  readonly message: string;
}

export type ImportResult = { readonly ok: true; readonly requirements: ImportedRequirement[] } | { readonly ok: false; readonly errors: ImportError[] };

/** A value read from the file with the line it starts on. */
export interface Located {
  readonly value: string;
  readonly line: number;
}

/** One requirement as read by a format reader, before the shared checks. */
export interface RawRequirement {
  /** The line the requirement starts on (CSV row, Markdown heading). */
  readonly line: number;
  readonly requirementId: Located;
  readonly title: Located;
  readonly text: Located;
  /** null when the reader has already reported the category missing. */
  readonly category: Located | null;
}

export const isRequirementCategory = (value: string): value is RequirementCategory => (REQUIREMENT_CATEGORIES as readonly string[]).includes(value);

/** The id in canonical form (NFKC, trimmed): what is stored and compared for duplicates. */
export const normaliseRequirementId = (raw: string): string => raw.normalize('NFKC').trim();

export const isValidRequirementId = (id: string): boolean => id.length <= MAX_REQUIREMENT_ID_LENGTH && REQUIREMENT_ID_PATTERN.test(id);

const codePointLength = (s: string): number => Array.from(s).length;

const show = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** UTF-8 byte length of `text`, without Buffer or TextEncoder (the domain runs anywhere). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Strips a UTF-8 byte order mark (Excel's "CSV UTF-8" writes one). */
export const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * File-level checks made before parsing, each enough on its own to refuse the file: the size limit
 * (reported at the line where the file passes 1 MB) and text that was not decoded from UTF-8 (a
 * U+FFFD replacement character, typically a Shift_JIS file read as UTF-8).
 */
export function checkFile(text: string): ImportError | null {
  if (utf8ByteLength(text) > MAX_IMPORT_BYTES) {
    let bytes = 0;
    let line = 1;
    for (const lineText of text.split(/\r\n|\r|\n/)) {
      bytes += utf8ByteLength(lineText) + 1;
      if (bytes > MAX_IMPORT_BYTES) break;
      line++;
    }
    return {
      line,
      code: 'FILE_TOO_LARGE',
      message: `The file is ${utf8ByteLength(text).toLocaleString('en-US')} bytes; the limit is ${MAX_IMPORT_BYTES.toLocaleString('en-US')} bytes (1 MB), passed at this line. Split it or import fewer requirements.`,
    };
  }
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) {
    const line = countLines(text, bad);
    return {
      line,
      code: 'NOT_UTF8',
      message:
        'The text holds U+FFFD (a byte that was not valid UTF-8): the file is probably Shift_JIS. Save it as UTF-8 (Excel: "CSV UTF-8") and import it again.',
    };
  }
  return null;
}

/** The 1-based line of UTF-16 offset `offset` (CRLF, LF and CR each end a line). */
export function countLines(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) line++;
  }
  return line;
}

/** Trims a requirement text: CRLF/CR become LF, trailing spaces go from each line, blank lines from both ends. */
export function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t\u3000]+$/u, ''))
    .join('\n')
    .trim();
}

/**
 * The checks shared by both formats, in file order: id present, well-formed and unique; title
 * present and one line; text present and within its length; category one of
 * REQUIREMENT_CATEGORIES; no more than MAX_REQUIREMENTS. Every problem is reported; the
 * requirements come back only when there is none (also none in `errors` passed in).
 */
export function validateRequirements(raws: readonly RawRequirement[], errors: ImportError[]): ImportResult {
  const requirements: ImportedRequirement[] = [];
  const firstLineOf = new Map<string, number>();
  raws.forEach((raw, index) => {
    if (index === MAX_REQUIREMENTS) {
      errors.push({
        line: raw.line,
        code: 'TOO_MANY_REQUIREMENTS',
        message: `More than ${MAX_REQUIREMENTS.toLocaleString('en-US')} requirements (the ${(MAX_REQUIREMENTS + 1).toLocaleString('en-US')}th starts here); the limit is ${MAX_REQUIREMENTS.toLocaleString('en-US')} per file.`,
      });
    }
    let ok = true;
    const fail = (located: Located, field: ImportField, code: ImportErrorCode, message: string): void => {
      ok = false;
      errors.push({ line: located.line, field, code, message });
    };

    const requirementId = normaliseRequirementId(raw.requirementId.value);
    if (requirementId === '') fail(raw.requirementId, 'requirementId', 'MISSING_ID', 'The requirement id is empty.');
    else if (!isValidRequirementId(requirementId)) {
      fail(
        raw.requirementId,
        'requirementId',
        'INVALID_ID',
        `The requirement id ${show(requirementId)} is not valid: expected digits separated by dots (2.1.3), optionally after letters and a hyphen (JR-2.1.3), at most ${MAX_REQUIREMENT_ID_LENGTH} characters.`,
      );
    } else {
      const first = firstLineOf.get(requirementId);
      if (first !== undefined)
        fail(raw.requirementId, 'requirementId', 'DUPLICATE_ID', `The requirement id ${requirementId} is already used at line ${first}.`);
      else firstLineOf.set(requirementId, raw.requirementId.line);
    }

    const title = raw.title.value.trim();
    if (title === '') fail(raw.title, 'title', 'MISSING_TITLE', 'The title is empty.');
    else if (/[\r\n]/.test(title)) fail(raw.title, 'title', 'INVALID_TITLE', 'The title spans several lines; a title is one line.');
    else if (codePointLength(title) > MAX_TITLE_LENGTH) {
      fail(raw.title, 'title', 'INVALID_TITLE', `The title is ${codePointLength(title)} characters long; the limit is ${MAX_TITLE_LENGTH}.`);
    }

    const text = normaliseText(raw.text.value);
    if (text === '') fail(raw.text, 'text', 'EMPTY_TEXT', 'The requirement text is empty.');
    else if (codePointLength(text) > MAX_TEXT_LENGTH) {
      fail(
        raw.text,
        'text',
        'TEXT_TOO_LONG',
        `The text is ${codePointLength(text).toLocaleString('en-US')} characters long; the limit is ${MAX_TEXT_LENGTH.toLocaleString('en-US')}.`,
      );
    }

    const category = raw.category?.value.trim() ?? '';
    if (!raw.category) ok = false;
    else if (category === '')
      fail(raw.category, 'category', 'MISSING_CATEGORY', `The category is empty; expected one of ${REQUIREMENT_CATEGORIES.join(' / ')}.`);
    else if (!isRequirementCategory(category)) {
      fail(raw.category, 'category', 'UNKNOWN_CATEGORY', `Unknown category ${show(category)}; expected one of ${REQUIREMENT_CATEGORIES.join(' / ')}.`);
    }

    if (ok && isRequirementCategory(category)) requirements.push({ requirementId, title, text, category });
  });
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  return { ok: true, requirements };
}

/** By line; the order of discovery within a line (a stable sort). */
export const sortErrors = (errors: readonly ImportError[]): ImportError[] => [...errors].sort((a, b) => a.line - b.line);
