/**
 * A comment has one body; the matrix has 修文案 (the wording proposed) and 理由 (why) apart. A
 * row imported from a matrix becomes a body that says both, readable as it stands in the app:
 *
 *   【修文案】
 *   旧氏の記載の有無を選択できること。
 *
 *   【理由】
 *   窓口で…
 *
 * A row with 理由 only is posted as that text alone, the way people comment in the app; one with
 * 修文案 only has the first part. The export splits a body the same way back into the two
 * columns, and puts a body written otherwise (a comment posted in the app) under 理由.
 */
const SUGGESTION = '【修文案】\n';
const REASON = '\n\n【理由】\n';

/** Bounds per column, so that the body stays within the comment decider's MAX_BODY (10,000). */
export const MAX_SUGGESTION = 5000;
export const MAX_REASON = 4900;

export interface MatrixText {
  /** 修文案; '' when none. */
  readonly suggestion: string;
  /** 理由; '' when none. */
  readonly reason: string;
}

/** The body for a row; at least one of the two is non-empty (the import checks). */
export function composeBody({ suggestion, reason }: MatrixText): string {
  if (suggestion === '') return reason;
  return reason === '' ? `${SUGGESTION}${suggestion}` : `${SUGGESTION}${suggestion}${REASON}${reason}`;
}

/** The two columns of a body: composeBody's inverse; any other body is all 理由. */
export function splitBody(body: string): MatrixText {
  if (!body.startsWith(SUGGESTION)) return { suggestion: '', reason: body };
  const rest = body.slice(SUGGESTION.length);
  const at = rest.indexOf(REASON);
  return at < 0 ? { suggestion: rest, reason: '' } : { suggestion: rest.slice(0, at), reason: rest.slice(at + REASON.length) };
}
