import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { DomainError, type Actor } from '@kyogi/domain/shared/decider';
import { CLOCK, READ_DB, type Clock } from '../../platform/tokens';
import { ProposalLookups } from '../../proposals/lookups';
import { GetProposalQuery, GetProposalRevisionsQuery } from '../../proposals/get-proposal/get-proposal.query';
import type { ProposalRevisionView, ProposalView } from '../../proposals/proposal.view';
import { GetCommentThreadsQuery } from '../../comments/list-comments/list-comments.query';
import type { CommentView } from '../../comments/comment.view';
import { organisationLabel, organisationNames } from '../organisation-names';
import { matrixRows } from './matrix-rows';
import type { MatrixWorkbookData } from './matrix-workbook';

const authorsOf = (threads: readonly CommentView[]): string[] => threads.flatMap((t) => [t.authorOrganisationId, ...authorsOf(t.replies)]);

/**
 * What the matrix of a proposal shows, for an actor: the proposal if they may see it (a draft
 * only by its author organisation: ProposalLookups.visibleProposal, the rule of every proposal
 * query), its comment threads as the comment queries show them to that actor, the texts they
 * are anchored to and the organisations' names.
 */
@Injectable()
export class MatrixExportReader {
  constructor(
    @Inject(READ_DB) private readonly db: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly queries: QueryBus,
    private readonly proposals: ProposalLookups,
  ) {}

  /** The workbook's data; PROPOSAL_NOT_FOUND for a proposal that does not exist or that the actor may not see. */
  async matrixOf(proposalId: string, actor: Actor): Promise<MatrixWorkbookData | DomainError> {
    const facts = await this.proposals.visibleProposal(proposalId, actor);
    if (facts instanceof DomainError) return facts;
    const proposal = await this.queries.execute<GetProposalQuery, ProposalView | null>(new GetProposalQuery(proposalId, actor));
    if (!proposal) {
      return new DomainError(
        'READ_MODEL_BEHIND',
        `Proposal ${proposalId} is not in the read models yet; ask again, or pass waitFor with the position its mutation returned.`,
      );
    }
    const [revisions, threads, spec] = await Promise.all([
      this.queries.execute<GetProposalRevisionsQuery, ProposalRevisionView[]>(new GetProposalRevisionsQuery(proposalId)),
      this.queries.execute<GetCommentThreadsQuery, CommentView[]>(new GetCommentThreadsQuery({ proposalId }, actor)),
      this.db.query<{ title: string }>('SELECT title FROM read_models.specs WHERE spec_id = $1', [proposal.specId]),
    ]);
    const requirementIds = [...new Set(threads.flatMap((t) => (t.anchor.kind === 'REQUIREMENT' && t.anchor.requirementId ? [t.anchor.requirementId] : [])))];
    const [requirements, organisations] = await Promise.all([
      this.db.query<{ requirement_id: string; title: string; text: string }>(
        'SELECT requirement_id, title, text FROM read_models.requirements WHERE spec_id = $1 AND version = $2 AND requirement_id = ANY($3::text[])',
        [proposal.specId, proposal.specVersion, requirementIds],
      ),
      organisationNames(this.db, authorsOf(threads)),
    ]);
    const current = revisions.find((r) => r.revision === proposal.currentRevision) ?? revisions[revisions.length - 1];
    return {
      spec: { specId: proposal.specId, title: spec.rows[0]?.title ?? proposal.specId, version: proposal.specVersion },
      proposal: { proposalId, title: proposal.title, revision: proposal.currentRevision },
      exportedAt: this.clock(),
      changes: current?.recorded ?? facts.changes,
      rows: matrixRows(threads, {
        revisions: revisions.map((r) => r.recorded),
        requirements: new Map(requirements.rows.map((r) => [r.requirement_id, { title: r.title, text: r.text }])),
        organisationLabel: (id) => organisationLabel(organisations.get(id), id),
      }),
    };
  }
}
