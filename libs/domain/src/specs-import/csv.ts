import { checkFile, ImportError, ImportField, ImportResult, Located, RawRequirement, sortErrors, stripBom, validateRequirements } from './requirements';

/**
 * Requirements from CSV (RFC 4180), one requirement per row after a header row.
 *
 *   要件ID,要件名,要件,区分
 *   2.1.3,住民票の写しの交付,"住民票の写しを交付できること。
 *   世帯全員、世帯の一部のいずれも選択できること。",実装必須
 *
 * Syntax: fields separated by commas; a field is quoted with double quotes when it holds a comma,
 * a quote (doubled: "") or a line break; records end with CRLF, LF or CR; a UTF-8 BOM is ignored;
 * line breaks inside quoted fields are kept as LF. A quote inside an unquoted field, anything but
 * a comma or a line break after a closing quote, and a quote never closed are errors.
 *
 * Header: the columns below, in any order, matched ignoring case, spaces, `_` and `-` and
 * full-width forms (要件ＩＤ = 要件ID). Other columns (No, 備考, …) are ignored.
 *   requirementId: id, requirementId, 要件ID
 *   title:         title, 要件名
 *   text:          text, 要件
 *   category:      category, 区分, 実装区分
 * Rows: a row whose fields are all empty (a blank line, `,,,`) is skipped. A row with fewer fields
 * than the header, or with more that are not empty (often an unquoted comma in a Japanese text),
 * is an error. Values are trimmed; the text also loses trailing spaces on each line.
 */

export const CSV_COLUMN_ALIASES: Readonly<Record<ImportField, readonly string[]>> = {
  requirementId: ['id', 'requirementId', '要件ID'],
  title: ['title', '要件名'],
  text: ['text', '要件'],
  category: ['category', '区分', '実装区分'],
};

const FIELDS: readonly ImportField[] = ['requirementId', 'title', 'text', 'category'];

const headerKey = (name: string): string =>
  name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

const ALIAS_TO_FIELD = new Map<string, ImportField>(FIELDS.flatMap((field) => CSV_COLUMN_ALIASES[field].map((alias) => [headerKey(alias), field] as const)));

export interface CsvField {
  readonly value: string;
  /** The line the field starts on. */
  readonly line: number;
}

export interface CsvRecord {
  /** The line the record starts on. */
  readonly line: number;
  readonly fields: CsvField[];
}

/**
 * Splits CSV text into records of fields (RFC 4180, see above), collecting syntax errors. An
 * unterminated quote swallows the rest of the file: reading stops there, and the records before it
 * are still returned (and checked), the broken one is not.
 */
export function readCsvRecords(text: string): { records: CsvRecord[]; errors: ImportError[] } {
  const records: CsvRecord[] = [];
  const errors: ImportError[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  const atLineEnd = (): boolean => i >= n || text[i] === '\r' || text[i] === '\n';
  const consumeLineEnd = (): void => {
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else i += 1;
    line++;
  };

  while (i < n) {
    const record: CsvRecord = { line, fields: [] };
    for (;;) {
      const fieldLine = line;
      let value = '';
      if (text[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\r' || c === '\n') {
            value += '\n';
            consumeLineEnd();
            continue;
          }
          const next = nextSpecial(text, i);
          value += text.slice(i, next);
          i = next;
        }
        if (!closed) {
          errors.push({
            line: fieldLine,
            code: 'UNTERMINATED_QUOTE',
            message: `The quoted field ${record.fields.length + 1} starts here and is never closed, so the rest of the file was read as its text: a double quote is missing.`,
          });
          return { records, errors }; // the broken record is left out: its fields are not known
        }
        if (!atLineEnd() && text[i] !== ',') {
          errors.push({
            line,
            code: 'INVALID_QUOTE',
            message: `After the closing quote of field ${record.fields.length + 1}, expected a comma or the end of the line; found ${JSON.stringify(text[i])}. A quote inside a quoted field is written twice ("").`,
          });
          while (!atLineEnd() && text[i] !== ',') i++;
        }
      } else {
        const start = i;
        while (!atLineEnd() && text[i] !== ',') i++;
        value = text.slice(start, i);
        if (value.includes('"')) {
          errors.push({
            line: fieldLine,
            code: 'INVALID_QUOTE',
            message: `A double quote inside the unquoted field ${record.fields.length + 1}: enclose the field in double quotes and write each quote twice ("").`,
          });
        }
      }
      record.fields.push({ value, line: fieldLine });
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (i < n) consumeLineEnd();
      break;
    }
    records.push(record);
  }
  return { records, errors };
}

/** The next index at or after `from` holding a quote or a line break (or the end). */
function nextSpecial(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x0d || c === 0x0a) return i;
    i++;
  }
  return i;
}

const isBlank = (record: CsvRecord): boolean => record.fields.every((f) => f.value.trim() === '');

/** Reads requirements from CSV text (see the format above). Never throws for bad input. */
export function parseRequirementsCsv(input: string): ImportResult {
  const text = stripBom(input);
  const fileError = checkFile(text);
  if (fileError) return { ok: false, errors: [fileError] };

  const { records, errors } = readCsvRecords(text);
  const rows = records.filter((r) => !isBlank(r));
  const header = rows[0];
  if (!header) {
    if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
    return {
      ok: false,
      errors: [
        {
          line: 1,
          code: 'EMPTY_FILE',
          message: `The file is empty; expected a header row (id,title,text,category or 要件ID,要件名,要件,区分) and one row per requirement.`,
        },
      ],
    };
  }

  const columnOf = new Map<ImportField, number>();
  header.fields.forEach((f, index) => {
    const field = ALIAS_TO_FIELD.get(headerKey(f.value));
    if (!field) return;
    const previous = columnOf.get(field);
    if (previous !== undefined) {
      errors.push({
        line: f.line,
        field,
        code: 'DUPLICATE_COLUMN',
        message: `Columns ${previous + 1} (${JSON.stringify(header.fields[previous].value.trim())}) and ${index + 1} (${JSON.stringify(f.value.trim())}) both give the ${field}.`,
      });
    } else columnOf.set(field, index);
  });
  for (const field of FIELDS) {
    if (!columnOf.has(field)) {
      errors.push({
        line: header.line,
        field,
        code: 'MISSING_COLUMN',
        message: `The header has no column for the ${field}: expected one named ${CSV_COLUMN_ALIASES[field].map((a) => JSON.stringify(a)).join(' or ')} (the first row is the header).`,
      });
    }
  }
  if (errors.some((e) => e.code === 'MISSING_COLUMN' || e.code === 'DUPLICATE_COLUMN')) return { ok: false, errors: sortErrors(errors) };

  if (rows.length === 1 && errors.length === 0) {
    return { ok: false, errors: [{ line: header.line, code: 'NO_REQUIREMENTS', message: 'The file has a header but no requirement rows.' }] };
  }

  const width = header.fields.length;
  const raws: RawRequirement[] = [];
  for (const row of rows.slice(1)) {
    const count = row.fields.length;
    const extraFilled = row.fields.slice(width).some((f) => f.value.trim() !== '');
    if (count < width || extraFilled) {
      errors.push({
        line: row.line,
        code: 'WRONG_FIELD_COUNT',
        message:
          count < width
            ? `The row has ${count} field${count === 1 ? '' : 's'}; the header has ${width}.`
            : `The row has ${count} fields; the header has ${width}. A text holding a comma (、 is fine, "," is not) must be enclosed in double quotes.`,
      });
      continue;
    }
    const at = (field: ImportField): Located => row.fields[columnOf.get(field)!];
    raws.push({ line: row.line, requirementId: at('requirementId'), title: at('title'), text: at('text'), category: at('category') });
  }
  return validateRequirements(raws, errors);
}
