import type { ChangeKind } from '@kyogi/domain/proposals/proposals.events';
import type { ProposalChangeInput } from '@kyogi/domain/proposals/proposals.commands';
import type { ProposalChangeInput as GraphqlProposalChangeInput } from '../graphql/generated/schema-types';

/**
 * A change id the client did not choose: derived from the requirement id (2.1.3 → 2_1_3), so it
 * stays the same across revisions — comments anchored to the change stay attached — and is
 * unique within a proposal because a proposal changes each requirement once.
 */
export const defaultChangeId = (requirementId: string): string => requirementId.trim().replace(/\./g, '_');

/** The changes as the decider takes them: no `before` (it comes from the spec version). */
export const changesOf = (changes: readonly GraphqlProposalChangeInput[]): ProposalChangeInput[] =>
  changes.map((c) => ({
    changeId: c.changeId?.trim() || defaultChangeId(c.requirementId),
    kind: c.kind.toLowerCase() as ChangeKind,
    requirementId: c.requirementId,
    after: c.after ?? null,
    reason: c.reason,
  }));
