import { createHash } from 'node:crypto';
import { commentDecider } from '@kyogi/domain/comments/comments.decider';
import type { PostComment } from '@kyogi/domain/comments/comments.commands';
import type { CommentAnchor, CommentQuote } from '@kyogi/domain/comments/comments.events';
import type { ProposalChange } from '@kyogi/domain/proposals/proposals.events';
import { isDomainError, type Actor } from '@kyogi/domain/shared/decider';
import { hasUnstorableCharacters, textLength } from '@kyogi/domain/specs/input-rules';
import { entityIdFor } from '../../command-handling/event-ids';
import { composeBody, MAX_REASON, MAX_SUGGESTION } from '../matrix-body';
import type { MatrixColumnKey } from '../matrix-columns';
import type { MatrixProblem, ParsedMatrix, ParsedMatrixRow } from './matrix-parse';

/** What the import needs to know besides the file, looked up by the caller. */
export interface ImportFacts {
  readonly actor: Actor;
  readonly now: Date;
  readonly proposal: {
    readonly proposalId: string;
    readonly specId: string;
    readonly version: string;
    /** The current revision's changes. */
    readonly changes: readonly ProposalChange[];
  };
  /** Requirements of the proposal's spec version, at least those the rows name: id → title and text. */
  readonly requirements: ReadonlyMap<string, { readonly title: string; readonly text: string }>;
  /** The caller's organisation: how the matrix may name it in 団体 (name, prefecture + name, code, id), and how Kyogi names it. */
  readonly organisation: { readonly accepted: readonly string[]; readonly label: string };
  /** Ids of the comments on this proposal the actor may see (rows that carry one are skipped). */
  readonly existingCommentIds: ReadonlySet<string>;
}

/** A row that is (or would be) posted as a comment. */
export interface PlannedRow {
  readonly row: number;
  /** The No column as written; null when empty. */
  readonly no: string | null;
  readonly requirementId: string;
  readonly requirementTitle: string | null;
  readonly anchor: CommentAnchor;
  readonly line: number | null;
  readonly quote: CommentQuote | null;
  readonly suggestion: string;
  readonly reason: string;
  readonly body: string;
  readonly commandId: string;
  readonly commentId: string;
  readonly command: PostComment;
}

export interface ImportPlan {
  readonly rows: readonly PlannedRow[];
  /** Rows that carry the コメントID of a comment already in Kyogi: left as they are. */
  readonly skipped: readonly { readonly row: number; readonly commentId: string }[];
  /** Every problem found; when there is any, nothing may be stored. */
  readonly problems: readonly MatrixProblem[];
}

/** Normalised for comparing names, ids and numbers typed by people: NFKC (全角 → 半角), no spaces. */
const folded = (text: string): string => text.normalize('NFKC').replace(/\s+/g, '');

/** A text cell as stored: line breaks as \n, surrounding blank lines and spaces gone — but a leading 全角スペース (a paragraph indent) kept for 修文案. */
function cleanCell(text: string | undefined, keepIndent = false): string {
  const unix = (text ?? '').replace(/\r\n?/g, '\n');
  return keepIndent ? unix.replace(/^(?:[ \t\u3000]*\n)+/, '').trimEnd() : unix.trim();
}

const lineStarts = (text: string): number[] => [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)];

/**
 * The command id of a row: derived from what the row posts — proposal, organisation, anchor,
 * quote, text — and how many identical rows came before it in the file, so that uploading the
 * same file again, or the same rows re-saved by Excel (new bytes, same content), or a file fixed
 * after a failure, posts nothing twice. The comment id derives from it (entityIdFor).
 */
export function rowCommandId(
  organisationId: string,
  proposalId: string,
  anchor: CommentAnchor,
  quote: CommentQuote | null,
  body: string,
  occurrence: number,
): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(['kyogi-comment-matrix', proposalId, organisationId, anchor, quote, body, occurrence]), 'utf8')
    .digest('hex');
  return `comment-matrix:${digest.slice(0, 40)}`;
}

function namesCaller(cell: string, accepted: readonly string[]): boolean {
  const names = new Set(accepted.map(folded));
  const text = folded(cell);
  if (names.has(text)) return true;
  const bracketed = /^(.+?)[(（](.+)[)）]$/.exec(text);
  return bracketed !== null && names.has(bracketed[1]) && names.has(bracketed[2]);
}

/** The column of a DomainError of the comment decider. */
function columnOfField(field: string | undefined): MatrixColumnKey | null {
  if (field === undefined) return null;
  if (field.startsWith('anchor') || field === 'proposalId') return 'item';
  if (field.startsWith('quote')) return 'before';
  if (field === 'body') return 'suggestion';
  return null;
}

/**
 * Checks every row of a parsed matrix and plans the PostComment command of each, or lists what is
 * wrong, row by row and cell by cell. A row:
 * - with a コメントID is a comment already in Kyogi (exported with the matrix): skipped — the id
 *   must be one of this proposal's comments;
 * - names in 該当項目 (its first word: the requirement id) a requirement the proposal changes —
 *   the comment is anchored to that change — or else a requirement of the proposal's spec
 *   version — anchored to that requirement;
 * - may give 行番号, a line of that text (the proposal's text for the requirement, or the
 *   requirement's), and 修正前の文, a span of it (on that line, if given): the comment quotes it;
 *   行番号 alone quotes the whole line; 修正前の文 equal to the whole text quotes nothing;
 * - has 修文案, 理由 or both (at most 5,000 and 4,900 characters), no control characters;
 * - names in 団体 the caller's organisation, or nothing: a matrix imports as the caller's
 *   organisation only;
 * - leaves 対応区分 and 対応案 empty: they are the secretariat's answer.
 * Each planned command is then decided against an empty stream by the comment decider itself,
 * so the dry run refuses what the real import would.
 */
export function planImport(matrix: ParsedMatrix, facts: ImportFacts): ImportPlan {
  const problems: MatrixProblem[] = [];
  const rows: PlannedRow[] = [];
  const skipped: { row: number; commentId: string }[] = [];
  const occurrences = new Map<string, number>();
  const { proposal, actor } = facts;

  if (matrix.proposalId !== null && matrix.proposalId !== proposal.proposalId) {
    return {
      rows,
      skipped,
      problems: [
        {
          code: 'OTHER_PROPOSAL',
          message: `This matrix is of proposal ${matrix.proposalId} (its 提案ID); it cannot be imported into proposal ${proposal.proposalId}.`,
          row: null,
          column: null,
        },
      ],
    };
  }

  for (const parsed of matrix.rows) {
    const found: MatrixProblem[] = [...parsed.cellErrors];
    const problem = (key: MatrixColumnKey | null, code: string, message: string) =>
      found.push({ code, message, row: parsed.row, column: key === null ? null : matrix.columnName(key) });
    const cell = (key: MatrixColumnKey) => parsed.cells[key] ?? '';

    const existing = cleanCell(cell('commentId'));
    if (existing !== '') {
      if (facts.existingCommentIds.has(existing)) skipped.push({ row: parsed.row, commentId: existing });
      else problem('commentId', 'UNKNOWN_COMMENT_ID', `${existing} is not a comment on this proposal; empty the cell to post the row as a new comment.`);
      problems.push(...found);
      continue;
    }

    for (const key of ['item', 'line', 'before', 'suggestion', 'reason', 'organisation'] as const) {
      if (hasUnstorableCharacters(cell(key)))
        problem(key, 'CONTROL_CHARACTERS', 'The cell holds control characters (or broken characters) that cannot be stored; retype its text.');
    }
    const organisation = cleanCell(cell('organisation'));
    if (organisation !== '' && !namesCaller(organisation, facts.organisation.accepted)) {
      problem(
        'organisation',
        'OTHER_ORGANISATION',
        `団体 is ${organisation}, not your organisation (${facts.organisation.label}): a matrix is imported as the comments of the organisation that imports it.`,
      );
    }
    for (const key of ['disposition', 'answer'] as const) {
      if (cleanCell(cell(key)) !== '')
        problem(key, 'SECRETARIAT_COLUMN', '対応区分 and 対応案 are the secretariat’s answer to a comment; leave them empty in new rows.');
    }

    // 該当項目 → the change of the proposal for that requirement, or the requirement itself.
    const requirementId = requirementIdOf(cell('item'));
    let anchor: CommentAnchor | null = null;
    let anchored: string | null = null;
    let requirementTitle: string | null = null;
    if (requirementId === '') {
      problem('item', 'MISSING_ITEM', '該当項目 is required: the id of the requirement commented on (e.g. 2.1.3), optionally followed by its title.');
    } else {
      const change = proposal.changes.find((c) => c.requirementId === requirementId);
      const requirement = facts.requirements.get(requirementId);
      if (change) {
        anchor = { kind: 'change', changeId: change.changeId };
        anchored = change.after ?? change.before ?? '';
        requirementTitle = change.requirementTitle ?? requirement?.title ?? null;
      } else if (requirement) {
        anchor = { kind: 'requirement', requirementId };
        anchored = requirement.text;
        requirementTitle = requirement.title;
      } else {
        problem(
          'item',
          'UNKNOWN_ITEM',
          `該当項目 ${requirementId} is neither a requirement this proposal changes nor one of ${proposal.specId} ${proposal.version}; write its requirement id first (e.g. 2.1.3).`,
        );
      }
    }

    // 行番号 and 修正前の文 → the quote.
    const lineCell = folded(cleanCell(cell('line'))).replace(/行目?$/, '');
    let line: number | null = null;
    if (lineCell !== '') {
      if (!/^\d{1,6}$/.test(lineCell) || Number(lineCell) < 1)
        problem('line', 'INVALID_LINE', `行番号 is a line number from 1; got ${cleanCell(cell('line'))}.`);
      else line = Number(lineCell);
    }
    const before = cleanCell(cell('before'));
    let quote: CommentQuote | null = null;
    if (anchored !== null) {
      const starts = lineStarts(anchored);
      const where = requirementId ? `the text of ${requirementId}` : 'the text';
      if (line !== null && line > starts.length) {
        problem('line', 'UNKNOWN_LINE', `行番号 ${line} is beyond ${where}, which has ${starts.length} line${starts.length === 1 ? '' : 's'}.`);
        line = null;
      } else if (before !== '' && !(before === anchored.trim() && (line === null || line === 1))) {
        const lineStart = line === null ? 0 : starts[line - 1];
        const lineEnd = line === null ? anchored.length : (starts[line] ?? anchored.length + 1) - 1;
        let at = anchored.indexOf(before, lineStart);
        if (at > lineEnd) at = -1;
        if (at >= 0) quote = { start: at, end: at + before.length, text: before };
        else {
          const elsewhere = anchored.indexOf(before);
          problem(
            'before',
            'BEFORE_TEXT_NOT_FOUND',
            elsewhere >= 0
              ? `修正前の文 is not on line ${line} of ${where}; it is on line ${anchored.slice(0, elsewhere).split('\n').length}.`
              : `修正前の文 does not occur in ${where} (for a requirement the proposal changes, the proposal's text); copy it exactly, or leave it empty.`,
          );
        }
      } else if (before === '' && line !== null) {
        const start = starts[line - 1];
        const end = (starts[line] ?? anchored.length + 1) - 1;
        const text = anchored.slice(start, end);
        if (text.trim() === '') problem('line', 'BLANK_LINE', `Line ${line} of ${where} is blank; give the line of the text commented on.`);
        else quote = { start, end, text };
      }
    }

    const suggestion = cleanCell(cell('suggestion'), true);
    const reason = cleanCell(cell('reason'));
    if (suggestion === '' && reason === '') {
      problem('suggestion', 'EMPTY_COMMENT', '修文案 and 理由 are both empty: write the wording proposed, the reason, or both.');
    }
    if (textLength(suggestion) > MAX_SUGGESTION)
      problem('suggestion', 'TEXT_TOO_LONG', `修文案 has ${textLength(suggestion)} characters; at most ${MAX_SUGGESTION}.`);
    if (textLength(reason) > MAX_REASON) problem('reason', 'TEXT_TOO_LONG', `理由 has ${textLength(reason)} characters; at most ${MAX_REASON}.`);

    if (found.length === 0 && anchor !== null) {
      const body = composeBody({ suggestion, reason });
      const key = JSON.stringify([anchor, quote, body]);
      const occurrence = occurrences.get(key) ?? 0;
      occurrences.set(key, occurrence + 1);
      const commandId = rowCommandId(actor.organisationId, proposal.proposalId, anchor, quote, body, occurrence);
      const commentId = entityIdFor(commandId);
      const command: PostComment = {
        type: 'PostComment',
        data: {
          commentId,
          proposalId: proposal.proposalId,
          specId: proposal.specId,
          version: proposal.version,
          anchor,
          quote,
          parentCommentId: null,
          body,
          anchoredText: anchored,
          parent: null,
          proposalVisibleToActor: true,
        },
        metadata: { commandId, now: facts.now, actor },
      };
      const decision = commentDecider.decide(command, commentDecider.initialState());
      if (isDomainError(decision)) problem(columnOfField(decision.field), decision.code, decision.message);
      else
        rows.push({
          row: parsed.row,
          no: cleanCell(cell('no')) || null,
          requirementId,
          requirementTitle,
          anchor,
          line: quote === null ? line : anchored!.slice(0, quote.start).split('\n').length,
          quote,
          suggestion,
          reason,
          body,
          commandId,
          commentId,
          command,
        });
    }
    problems.push(...found);
  }

  if (matrix.rows.length === 0) problems.push({ code: 'NO_ROWS', message: 'The matrix has no rows under its header row.', row: null, column: null });
  return { rows, skipped, problems };
}

/**
 * The requirement id at the start of a 該当項目 cell: its first word, full-width digits folded,
 * the id itself when a title follows without a space (`2.1.3住民票の写しの交付`).
 */
export function requirementIdOf(item: string | undefined): string {
  const first = cleanCell(item).normalize('NFKC').split(/\s+/)[0] ?? '';
  return /^(?:[A-Za-z]+-?)?\d+(?:\.\d+)*/.exec(first)?.[0] ?? first;
}

/** The requirement ids the rows name in 該当項目 (to look up their texts). */
export const namedRequirementIds = (rows: readonly ParsedMatrixRow[]): string[] => [
  ...new Set(rows.map((r) => requirementIdOf(r.cells.item)).filter((id) => id !== '')),
];
