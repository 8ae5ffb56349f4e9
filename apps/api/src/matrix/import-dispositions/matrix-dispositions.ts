/**
 * The secretariat's answers in an exported 意見照会 matrix (対応区分 and 対応案) planned as
 * dispositions of the comments its rows show (コメントID). Pure and Nest-free: the caller parses
 * the file (matrix-parse.ts) and folds the state of every comment the rows name.
 */
import { createHash } from 'node:crypto';
import { commentDecider, type CommentState, type CurrentDisposition } from '@kyogi/domain/comments/comments.decider';
import type { DisposeComment } from '@kyogi/domain/comments/comments.commands';
import { COMMENT_DISPOSITIONS, type CommentDisposition } from '@kyogi/domain/comments/comments.events';
import { isDomainError, type Actor } from '@kyogi/domain/shared/decider';
import { hasUnstorableCharacters } from '@kyogi/domain/specs/input-rules';
import { DISPOSITION_CODES } from '../../comments/comment.view';
import type { MatrixColumnKey } from '../matrix-columns';
import type { MatrixProblem, ParsedMatrix } from '../import-matrix/matrix-parse';

export interface DispositionFacts {
  readonly actor: Actor;
  readonly now: Date;
  readonly proposalId: string;
  /** The owner organisation of the proposal's spec: its coordinators dispose the comments. */
  readonly specOwnerOrganisationId: string;
  /**
   * The comments the rows name, folded from their streams: those on this proposal, and those on
   * another proposal the actor may see (so the row can say so). An id absent here is, for the
   * actor, a comment that does not exist.
   */
  readonly comments: ReadonlyMap<string, CommentState>;
}

/** new: the comment had no disposition; revised: it had another; unchanged: the same code and answer (nothing to record). */
export type DispositionChange = 'new' | 'revised' | 'unchanged';

export interface PlannedDisposition {
  readonly row: number;
  /** The No column as written; null when empty. */
  readonly no: string | null;
  readonly commentId: string;
  readonly disposition: CommentDisposition;
  readonly answer: string;
  /** The comment's disposition before this import. */
  readonly previous: CurrentDisposition | null;
  readonly change: DispositionChange;
  readonly commandId: string;
  readonly command: DisposeComment;
}

/** A row that carries no answer (対応区分 and 対応案 empty): left as it is. */
export interface UnansweredRow {
  readonly row: number;
  readonly commentId: string | null;
}

export interface DispositionPlan {
  readonly rows: readonly PlannedDisposition[];
  readonly unanswered: readonly UnansweredRow[];
  /** Every problem found; when there is any, nothing may be stored. */
  readonly problems: readonly MatrixProblem[];
}

const folded = (text: string): string => text.normalize('NFKC').replace(/[\s\u3000]+/g, '');

const BY_NAME = new Map<string, CommentDisposition>(
  COMMENT_DISPOSITIONS.flatMap((label) => [
    [folded(label), label],
    [DISPOSITION_CODES[label].toLowerCase(), label],
  ]),
);

/** 対応区分 as written — the label (対応する, 修正して対応, 今後検討, 対応しない, 回答のみ; full-width or spaced alike) or the API's code (ADDRESS, …) — or null. */
export const dispositionOfCell = (text: string): CommentDisposition | null => BY_NAME.get(folded(text).toLowerCase()) ?? null;

/**
 * The command id of a row: from the comment, the disposition revision it answers and the answer
 * itself. The same file imported again finds the same answer recorded (the decider records
 * nothing); a comment answered A, then B, then A again gets three distinct commands.
 */
export function dispositionCommandId(commentId: string, previousRevision: number, disposition: CommentDisposition, answer: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(['kyogi-matrix-disposition', commentId, previousRevision, disposition, answer]), 'utf8')
    .digest('hex');
  return `matrix-disposition:${digest.slice(0, 40)}`;
}

const cleanCell = (text: string | undefined): string => (text ?? '').replace(/\r\n?/g, '\n').trim();

/** The column of a DomainError of the comment decider's dispose. */
const columnOfField = (field: string | undefined): MatrixColumnKey | null =>
  field === 'disposition' ? 'disposition' : field === 'answer' ? 'answer' : field === 'commentId' ? 'commentId' : null;

/**
 * Checks every row of a parsed matrix and plans the DisposeComment command of each answered one,
 * or lists what is wrong, row by row and cell by cell. A row:
 * - with 対応区分 and 対応案 both empty is unanswered: left as it is (a comment the secretariat has
 *   not answered yet, or a row that is no comment in Kyogi);
 * - else carries the コメントID of a comment on this proposal (a matrix exported from Kyogi), once
 *   in the file, not retracted;
 * - has in 対応区分 one of 対応する / 修正して対応 / 今後検討 / 対応しない / 回答のみ, and in 対応案
 *   the answer, which every code requires (at most 10,000 characters).
 * Each command is then decided by the comment decider against the comment's own state, so the dry
 * run refuses what the real import would, and a row answering as the comment already is
 * (the same file imported twice) is `unchanged`: nothing to record.
 */
export function planDispositions(matrix: ParsedMatrix, facts: DispositionFacts): DispositionPlan {
  const problems: MatrixProblem[] = [];
  const rows: PlannedDisposition[] = [];
  const unanswered: UnansweredRow[] = [];
  const seen = new Map<string, number>();

  if (matrix.proposalId !== null && matrix.proposalId !== facts.proposalId) {
    const message = `This matrix is of proposal ${matrix.proposalId} (its 提案ID); its answers cannot be imported into proposal ${facts.proposalId}.`;
    return { rows, unanswered, problems: [{ code: 'OTHER_PROPOSAL', message, row: null, column: null }] };
  }

  for (const parsed of matrix.rows) {
    const found: MatrixProblem[] = parsed.cellErrors.filter((p) =>
      ['disposition', 'answer', 'commentId', 'no'].some((key) => p.column === matrix.columnName(key as MatrixColumnKey)),
    );
    const problem = (key: MatrixColumnKey | null, code: string, message: string) =>
      found.push({ code, message, row: parsed.row, column: key === null ? null : matrix.columnName(key) });
    const cell = (key: MatrixColumnKey) => parsed.cells[key] ?? '';
    const commentId = cleanCell(cell('commentId'));
    const code = cleanCell(cell('disposition'));
    const answer = cleanCell(cell('answer'));

    if (code === '' && answer === '') {
      // Unanswered — unless a cell of the answer holds an Excel error instead of a value.
      if (found.length === 0) unanswered.push({ row: parsed.row, commentId: commentId || null });
      problems.push(...found);
      continue;
    }
    if (commentId === '') {
      problem(
        'commentId',
        'MISSING_COMMENT_ID',
        'コメントID is empty: an answer is imported onto a comment in Kyogi, named by the コメントID of the exported matrix (post new comments with importCommentMatrix).',
      );
    } else {
      const earlier = seen.get(commentId);
      if (earlier !== undefined)
        problem('commentId', 'DUPLICATE_COMMENT_ID', `コメントID ${commentId} is answered on row ${earlier} already: answer each comment once.`);
      else seen.set(commentId, parsed.row);
    }
    const disposition = code === '' ? null : dispositionOfCell(code);
    if (code === '') problem('disposition', 'MISSING_DISPOSITION', `対応区分 is empty but 対応案 is not: write one of ${COMMENT_DISPOSITIONS.join(', ')}.`);
    else if (disposition === null) problem('disposition', 'UNKNOWN_DISPOSITION', `対応区分 ${code} is not one of ${COMMENT_DISPOSITIONS.join(', ')}.`);
    if (answer === '' && code !== '')
      problem('answer', 'MISSING_ANSWER', `対応案 is empty: 対応区分 ${disposition ?? code} needs the answer to the comment (every code does).`);
    if (hasUnstorableCharacters(cell('answer')))
      problem('answer', 'CONTROL_CHARACTERS', 'The cell holds control characters (or broken characters) that cannot be stored; retype its text.');

    const state = commentId === '' ? undefined : facts.comments.get(commentId);
    if (commentId !== '' && (state === undefined || state.status === 'unposted')) {
      problem('commentId', 'UNKNOWN_COMMENT_ID', `${commentId} is not a comment on this proposal; keep the コメントID the matrix was exported with.`);
    } else if (state !== undefined && state.status !== 'unposted' && state.proposalId !== facts.proposalId) {
      problem(
        'commentId',
        'OTHER_PROPOSAL_COMMENT',
        state.proposalId === null
          ? `${commentId} is a comment on requirement ${state.anchor.kind === 'requirement' ? state.anchor.requirementId : ''} of ${state.specId} ${state.version}, not on proposal ${facts.proposalId}.`
          : `${commentId} is a comment on proposal ${state.proposalId}, not on proposal ${facts.proposalId}: import that proposal's matrix into it.`,
      );
    }

    if (found.length === 0 && state !== undefined && state.status !== 'unposted' && disposition !== null) {
      const previous = state.status === 'posted' ? null : state.disposition;
      const commandId = dispositionCommandId(commentId, previous?.revision ?? 0, disposition, answer);
      const command: DisposeComment = {
        type: 'DisposeComment',
        data: { commentId, disposition, answer, specOwnerOrganisationId: facts.specOwnerOrganisationId, proposalVisibleToActor: true },
        metadata: { commandId, now: facts.now, actor: facts.actor },
      };
      const decision = commentDecider.decide(command, state);
      if (isDomainError(decision))
        problem(columnOfField(decision.field) ?? (decision.code === 'COMMENT_RETRACTED' ? 'commentId' : null), decision.code, decision.message);
      else
        rows.push({
          row: parsed.row,
          no: cleanCell(cell('no')) || null,
          commentId,
          disposition,
          answer,
          previous,
          change: decision.length === 0 ? 'unchanged' : previous === null ? 'new' : 'revised',
          commandId,
          command,
        });
    }
    problems.push(...found);
  }

  if (matrix.rows.length === 0) problems.push({ code: 'NO_ROWS', message: 'The matrix has no rows under its header row.', row: null, column: null });
  return { rows, unanswered, problems };
}
