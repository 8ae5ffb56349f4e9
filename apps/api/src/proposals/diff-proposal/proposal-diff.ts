/**
 * A proposal revision as a diff, the way the API serves it: against the base text of its spec
 * version (per change, from `before` to `after`), or against another revision (per requirement,
 * the domain's diffRevisions). Pure: no Nest, so it is unit-tested.
 */
import { DomainError } from '@kyogi/domain/shared/decider';
import type { ProposalChange } from '@kyogi/domain/proposals/proposals.events';
import { diffRevisions, diffText, type DiffSegment, type RevisionDiffStatus } from '@kyogi/domain/text/diff';
import { toChangeView, type ProposalChangeView } from '../proposal.view';

export interface DiffSegmentView {
  readonly op: 'EQUAL' | 'INSERT' | 'DELETE';
  readonly text: string;
}

export interface ChangeDiffView {
  readonly changeId: string;
  readonly kind: ProposalChangeView['kind'];
  readonly requirementId: string;
  readonly requirementTitle: string | null;
  readonly before: string;
  readonly after: string;
  readonly reason: string;
  readonly segments: readonly DiffSegmentView[];
}

export interface RequirementRevisionDiffView {
  readonly requirementId: string;
  readonly status: Uppercase<RevisionDiffStatus>;
  readonly fromChange: ProposalChangeView | null;
  readonly toChange: ProposalChangeView | null;
  readonly kindChanged: boolean;
  readonly segments: readonly DiffSegmentView[];
}

export interface ProposalDiffView {
  readonly revision: number;
  readonly against: number | null;
  readonly changes: readonly ChangeDiffView[];
  readonly requirements: readonly RequirementRevisionDiffView[];
}

const segmentView = (segment: DiffSegment): DiffSegmentView => ({ op: segment.op.toUpperCase() as DiffSegmentView['op'], text: segment.text });

/** The base text a change starts from ('' for an addition) and the text it proposes ('' for a deletion). */
export const baseTextOf = (change: ProposalChange): string => change.before ?? '';
export const proposedTextOf = (change: ProposalChange): string => (change.kind === 'delete' ? '' : (change.after ?? ''));

export function diffAgainstBase(changes: readonly ProposalChange[]): ChangeDiffView[] {
  return changes.map((change) => {
    const before = baseTextOf(change);
    const after = proposedTextOf(change);
    return {
      changeId: change.changeId,
      kind: toChangeView(change).kind,
      requirementId: change.requirementId,
      requirementTitle: change.requirementTitle,
      before,
      after,
      reason: change.reason,
      segments: diffText(before, after).map(segmentView),
    };
  });
}

export function diffBetweenRevisions(from: readonly ProposalChange[], to: readonly ProposalChange[]): RequirementRevisionDiffView[] {
  // diffRevisions hands back the very change objects it was given.
  return diffRevisions(from, to).map((d) => ({
    requirementId: d.requirementId,
    status: d.status.toUpperCase() as Uppercase<RevisionDiffStatus>,
    fromChange: d.fromChange ? toChangeView(d.fromChange as ProposalChange) : null,
    toChange: d.toChange ? toChangeView(d.toChange as ProposalChange) : null,
    kindChanged: d.kindChanged,
    segments: d.segments.map(segmentView),
  }));
}

/**
 * `revision` (default: the current one) against the base, or against revision `against`.
 * `revisions` maps revision numbers to their recorded changes.
 */
export function proposalDiff(
  revisions: ReadonlyMap<number, readonly ProposalChange[]>,
  currentRevision: number,
  revision: number | null | undefined,
  against: number | null | undefined,
): ProposalDiffView | DomainError {
  const number = revision ?? currentRevision;
  const changes = revisions.get(number);
  if (!changes) return new DomainError('REVISION_NOT_FOUND', `The proposal has revisions 1 to ${currentRevision}; there is no revision ${number}.`, 'revision');
  if (against === null || against === undefined) return { revision: number, against: null, changes: diffAgainstBase(changes), requirements: [] };
  const earlier = revisions.get(against);
  if (!earlier) return new DomainError('REVISION_NOT_FOUND', `The proposal has revisions 1 to ${currentRevision}; there is no revision ${against}.`, 'against');
  return { revision: number, against, changes: [], requirements: diffBetweenRevisions(earlier, changes) };
}
