import {
  checkFile,
  ImportError,
  ImportResult,
  isValidRequirementId,
  normaliseRequirementId,
  RawRequirement,
  stripBom,
  validateRequirements,
} from './requirements';

/**
 * Requirements from Markdown, one requirement per heading:
 *
 *   # 住民記録システム標準仕様書 第4.0版          ← a heading without an id: a section, ignored
 *
 *   ## 2.1 証明書の交付                           ← an id, no body, a deeper heading next: a group, ignored
 *
 *   ### 2.1.3 住民票の写しの交付                  ← a requirement: id 2.1.3, title 住民票の写しの交付
 *   区分: 実装必須                                 ← its category, the first non-blank line
 *
 *   住民票の写しを交付できること。                ← its text: every line up to the next heading,
 *                                                   blank lines at both ends dropped, paragraphs kept
 *   世帯全員、世帯の一部のいずれも選択できること。
 *
 * Rules:
 * - Headings are ATX headings (`#` to `######`, then a space; a closing run of `#` is dropped).
 *   Setext headings (underlined with === or ---) are not headings here, just text.
 * - A heading is a requirement when its first word (split at spaces, including U+3000) is a
 *   requirement id (2.1.3, JR-2.1.3; full-width ２．１．３ is read as 2.1.3); the rest is the title.
 *   A first word made only of ASCII letters, digits, dots and hyphens that starts with a digit but
 *   is not a valid id (2.1., 2..1) is reported as an invalid id. Any other heading (第2章 総則,
 *   概要) is a section heading: it ends the text of the requirement before it and is ignored.
 * - A heading with an id whose body is blank and which is followed by a deeper heading is a group
 *   heading (## 2.1 証明書の交付 above ### 2.1.3): ignored.
 * - The category line is `区分: <category>` or `Category: <category>` (any case; `:` or `：`), and
 *   must be the first non-blank line after the heading.
 * - Lines inside a fenced code block (``` or ~~~) are text, never headings; a fence left open is
 *   an error. Text before the first heading is ignored.
 */

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CATEGORY_LINE = /^\s*(?:区分|category)\s*[:：]\s*(.*)$/i;
const ID_LIKE = /^[0-9][0-9A-Za-z.-]*$/;

interface Section {
  readonly level: number;
  readonly line: number;
  readonly content: string;
  readonly body: { text: string; line: number }[];
}

/** Reads requirements from Markdown text (see the format above). Never throws for bad input. */
export function parseRequirementsMarkdown(input: string): ImportResult {
  const text = stripBom(input);
  const fileError = checkFile(text);
  if (fileError) return { ok: false, errors: [fileError] };
  if (text.trim() === '') {
    return { ok: false, errors: [{ line: 1, code: 'EMPTY_FILE', message: 'The file is empty; expected one heading per requirement (## 2.1.3 title).' }] };
  }

  const errors: ImportError[] = [];
  const sections: Section[] = [];
  let fence: { marker: string; line: number } | null = null;
  const lines = text.split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineText = lines[index];
    const line = index + 1;
    const current = sections[sections.length - 1];
    const fenceMatch = FENCE.exec(lineText);
    if (fence) {
      const closes = fenceMatch && fenceMatch[1][0] === fence.marker[0] && fenceMatch[1].length >= fence.marker.length && lineText.trim() === fenceMatch[1];
      if (closes) fence = null;
      current?.body.push({ text: lineText, line });
    } else if (fenceMatch) {
      fence = { marker: fenceMatch[1], line };
      current?.body.push({ text: lineText, line });
    } else {
      const heading = HEADING.exec(lineText);
      if (heading) sections.push({ level: heading[1].length, line, content: (heading[2] ?? '').trim(), body: [] });
      else current?.body.push({ text: lineText, line });
    }
  }
  if (fence) errors.push({ line: fence.line, code: 'UNTERMINATED_CODE_FENCE', message: 'A code block opens here and is never closed.' });

  const raws: RawRequirement[] = [];
  sections.forEach((section, index) => {
    const firstWord = section.content.split(/\s+/u)[0] ?? '';
    const id = normaliseRequirementId(firstWord);
    if (!isValidRequirementId(id) && !ID_LIKE.test(id)) return; // a section heading
    const bodyIsBlank = section.body.every((b) => b.text.trim() === '');
    const next = sections[index + 1];
    if (bodyIsBlank && next && next.level > section.level) return; // a group heading

    const firstContent = section.body.findIndex((b) => b.text.trim() !== '');
    const categoryMatch = firstContent >= 0 ? CATEGORY_LINE.exec(section.body[firstContent].text) : null;
    if (!categoryMatch) {
      errors.push({
        line: firstContent >= 0 ? section.body[firstContent].line : section.line,
        field: 'category',
        code: 'MISSING_CATEGORY',
        message: 'Expected the category line `区分: <category>` (or `Category: <category>`) as the first non-blank line after the heading.',
      });
    }
    const textLines = categoryMatch ? section.body.slice(firstContent + 1) : section.body;
    const firstText = textLines.find((b) => b.text.trim() !== '');
    raws.push({
      line: section.line,
      requirementId: { value: firstWord, line: section.line },
      title: { value: section.content.slice(firstWord.length), line: section.line },
      text: { value: textLines.map((b) => b.text).join('\n'), line: firstText?.line ?? section.line },
      category: categoryMatch ? { value: categoryMatch[1], line: section.body[firstContent].line } : null,
    });
  });

  if (raws.length === 0 && errors.length === 0) {
    return {
      ok: false,
      errors: [
        {
          line: 1,
          code: 'NO_REQUIREMENTS',
          message: 'No requirement heading found; a requirement starts with a heading such as `## 2.1.3 住民票の写しの交付`.',
        },
      ],
    };
  }
  return validateRequirements(raws, errors);
}
