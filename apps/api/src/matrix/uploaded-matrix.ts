import { DomainError } from '@kyogi/domain/shared/decider';
import { MAX_FILE_BYTES, type MatrixProblem } from './import-matrix/matrix-parse';

/** What the two matrix imports (comments, dispositions) share: the uploaded file and how its problems are reported. */

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** The file's bytes, or why not: INVALID_BASE64, or FILE_TOO_LARGE before decoding anything big. */
export function decodeFile(fileBase64: string): Buffer | DomainError {
  const text = fileBase64.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  const size = Math.floor((text.length * 3) / 4) - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);
  if (size > MAX_FILE_BYTES) {
    return new DomainError(
      'FILE_TOO_LARGE',
      `The file is ${size} bytes; a matrix of at most ${MAX_FILE_BYTES} bytes (1 MB) is imported: split it.`,
      'fileBase64',
    );
  }
  if (!BASE64.test(text) || text.length % 4 === 1)
    return new DomainError('INVALID_BASE64', 'fileBase64 is not base64: send the .xlsx file base64-encoded.', 'fileBase64');
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

const where = (problem: MatrixProblem): string =>
  problem.row === null ? '' : `Row ${problem.row}${problem.column === null ? '' : `, column ${problem.column}`}: `;

/** A payload's `errors`: the expected failures, then every problem of the file named by row and column. */
export function importErrors(errors: readonly DomainError[], problems: readonly MatrixProblem[]): { code: string; message: string; field: string | null }[] {
  return [
    ...errors.map((e) => ({ code: e.code, message: e.message, field: e.field ?? null })),
    ...problems.map((p) => ({ code: p.code, message: `${where(p)}${p.message}`, field: 'fileBase64' })),
  ];
}
