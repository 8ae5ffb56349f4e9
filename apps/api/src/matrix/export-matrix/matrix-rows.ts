import type { ProposalChange } from '@kyogi/domain/proposals/proposals.events';
import type { CommentView } from '../../comments/comment.view';
import { splitBody } from '../matrix-body';

/** One row of the matrix: one comment thread (its top comment; replies in 返信). */
export interface MatrixRow {
  /** 該当項目: the requirement id, then its title when known (`2.1.3 住民票の写しの交付`). */
  readonly item: string;
  /** 行番号: the line of the anchored text the comment's quote starts on; null without a quote. */
  readonly line: number | null;
  /** 修正前の文: the quoted span, or the whole text the comment is anchored to. */
  readonly before: string;
  readonly suggestion: string;
  readonly reason: string;
  /** 団体: the author organisation as people name it (北海道札幌市). */
  readonly organisation: string;
  /** 対応区分: the current disposition code (対応する, …); null before the secretariat answered. */
  readonly disposition: string | null;
  /** 対応案: the secretariat's answer. */
  readonly answer: string | null;
  /** 返信: the replies, oldest first, one paragraph each (`札幌市: …`). */
  readonly replies: string;
  readonly commentId: string;
}

export interface MatrixRowFacts {
  /** The proposal's changes, every revision, oldest first: a comment on a change a later revision removed still names its requirement. */
  readonly revisions: readonly (readonly ProposalChange[])[];
  /** Requirements of the proposal's spec version commented on directly: id → title and text. */
  readonly requirements: ReadonlyMap<string, { readonly title: string; readonly text: string }>;
  /** Organisation id → how the matrix names it. */
  readonly organisationLabel: (organisationId: string) => string;
}

/** The 1-based line of `text` holding offset `index`. */
export const lineAt = (text: string, index: number): number => text.slice(0, index).split('\n').length;

/**
 * The line the quote starts on in the text as it stands: at its offsets if the text there is
 * still the quote, else where the quote occurs now; null when it no longer occurs.
 */
export function quoteLine(text: string, quote: { start: number; end: number; text: string }): number | null {
  if (text.slice(quote.start, quote.end) === quote.text) return lineAt(text, quote.start);
  const at = text.indexOf(quote.text);
  return at < 0 ? null : lineAt(text, at);
}

/** The text comments anchored to a change quote from: the proposed text, or for a deletion the text deleted (the decider's changeTextOf). */
const changeText = (change: ProposalChange): string => change.after ?? change.before ?? '';

const itemOf = (requirementId: string, title: string | null | undefined): string => (title ? `${requirementId} ${title}` : requirementId);

function repliesOf(thread: CommentView, label: (organisationId: string) => string): string[] {
  return thread.replies.flatMap((reply) => [
    ...(reply.status === 'RETRACTED' ? [] : [`${label(reply.authorOrganisationId)}: ${reply.body}`]),
    ...repliesOf(reply, label),
  ]);
}

/**
 * The matrix rows of a proposal's comment threads (as GetCommentThreadsQuery returns them, top
 * comments oldest first): threads whose top comment was retracted are left out (the commenter
 * withdrew that opinion; its history keeps it), as are retracted replies. Rows follow the
 * proposal's changes in order (changes of earlier revisions after them), then the requirements
 * commented on directly, each group oldest first.
 */
export function matrixRows(threads: readonly CommentView[], facts: MatrixRowFacts): MatrixRow[] {
  const current = facts.revisions[facts.revisions.length - 1] ?? [];
  const changes = new Map<string, { change: ProposalChange; order: number }>();
  current.forEach((change, order) => changes.set(change.changeId, { change, order }));
  let later = current.length;
  for (const revision of [...facts.revisions].reverse())
    for (const change of revision) if (!changes.has(change.changeId)) changes.set(change.changeId, { change, order: later++ });
  const requirementIds = [...new Set(threads.flatMap((t) => (t.anchor.requirementId ? [t.anchor.requirementId] : [])))].sort(naturalCompare);

  const keyed = threads
    .filter((thread) => thread.status !== 'RETRACTED')
    .map((thread, posted) => {
      let item: string;
      let anchored: string;
      let order: number;
      if (thread.anchor.kind === 'CHANGE') {
        const found = changes.get(thread.anchor.changeId ?? '');
        item = found ? itemOf(found.change.requirementId, found.change.requirementTitle) : (thread.anchor.changeId ?? '');
        anchored = found ? changeText(found.change) : '';
        order = found ? found.order : later;
      } else {
        const requirementId = thread.anchor.requirementId ?? '';
        const requirement = facts.requirements.get(requirementId);
        item = itemOf(requirementId, requirement?.title);
        anchored = requirement?.text ?? '';
        order = later + 1 + requirementIds.indexOf(requirementId);
      }
      const { suggestion, reason } = splitBody(thread.body);
      const row: MatrixRow = {
        item,
        line: thread.quote ? quoteLine(anchored, thread.quote) : null,
        before: thread.quote ? thread.quote.text : anchored,
        suggestion,
        reason,
        organisation: facts.organisationLabel(thread.authorOrganisationId),
        disposition: thread.disposition?.label ?? null,
        answer: thread.disposition?.answer ?? null,
        replies: repliesOf(thread, facts.organisationLabel).join('\n\n'),
        commentId: thread.id,
      };
      return { row, order, posted };
    });
  return keyed.sort((a, b) => a.order - b.order || a.posted - b.posted).map((k) => k.row);
}

/** Requirement ids in reading order: 2.1.10 after 2.1.9. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'ja', { numeric: true });
}
