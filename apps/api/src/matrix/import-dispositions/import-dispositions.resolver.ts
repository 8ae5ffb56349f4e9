import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { commentDecider, type CommentState } from '@kyogi/domain/comments/comments.decider';
import { commentStreamName, type CommentEvent } from '@kyogi/domain/comments/comments.events';
import { DomainError, type Actor } from '@kyogi/domain/shared/decider';
import { assertStreamName, comparePositions, formatPosition, InvalidStreamNameError, type EventStore, type Position } from '@kyogi/event-store/port';
import { CLOCK, EVENT_STORE, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { ImportMatrixDispositionsInput } from '../../graphql/generated/schema-types';
import { ProposalLookups, signedIn } from '../../proposals/lookups';
import { DISPOSITION_CODES } from '../../comments/comment.view';
import { decodeFile, importErrors } from '../uploaded-matrix';
import { parseMatrix, type MatrixProblem } from '../import-matrix/matrix-parse';
import { planDispositions, type PlannedDisposition } from './matrix-dispositions';

interface DispositionRowView {
  readonly row: number;
  readonly no: string | null;
  readonly commentId: string;
  readonly code: string;
  readonly label: string;
  readonly answer: string;
  readonly change: 'NEW' | 'REVISED' | 'UNCHANGED';
  readonly previous: { code: string; label: string; answer: string; revision: number } | null;
}

export interface ImportMatrixDispositionsPayload {
  readonly dryRun: boolean;
  readonly sheet: string | null;
  readonly rows: readonly DispositionRowView[];
  readonly unansweredRows: readonly { row: number; commentId: string | null }[];
  readonly problems: readonly MatrixProblem[];
  readonly disposedCount: number;
  readonly position: string | null;
  readonly errors: { code: string; message: string; field: string | null }[];
}

function payload(
  dryRun: boolean,
  parts: {
    sheet?: string;
    rows?: readonly DispositionRowView[];
    unanswered?: readonly { row: number; commentId: string | null }[];
    problems?: readonly MatrixProblem[];
  },
  extra: { errors?: readonly DomainError[]; disposedCount?: number; position?: Position | null } = {},
): ImportMatrixDispositionsPayload {
  const problems = parts.problems ?? [];
  return {
    dryRun,
    sheet: parts.sheet ?? null,
    rows: parts.rows ?? [],
    unansweredRows: parts.unanswered ?? [],
    problems,
    disposedCount: extra.disposedCount ?? 0,
    position: extra.position ? formatPosition(extra.position) : null,
    errors: importErrors(extra.errors ?? [], problems),
  };
}

const rowView = (row: PlannedDisposition): DispositionRowView => ({
  row: row.row,
  no: row.no,
  commentId: row.commentId,
  code: DISPOSITION_CODES[row.disposition],
  label: row.disposition,
  answer: row.answer,
  change: row.change === 'new' ? 'NEW' : row.change === 'revised' ? 'REVISED' : 'UNCHANGED',
  previous: row.previous && {
    code: DISPOSITION_CODES[row.previous.disposition],
    label: row.previous.disposition,
    answer: row.previous.answer,
    revision: row.previous.revision,
  },
});

/** The comment named by a row, folded from its stream; unposted when there is none (or the id cannot name one). */
async function commentState(store: EventStore, commentId: string): Promise<CommentState> {
  const streamName = commentStreamName(commentId);
  try {
    assertStreamName(streamName);
  } catch (error) {
    if (error instanceof InvalidStreamNameError) return commentDecider.initialState();
    throw error;
  }
  const events = await store.readStream(streamName);
  return events.reduce((state, e) => commentDecider.evolve(state, { type: e.type, data: e.data } as unknown as CommentEvent), commentDecider.initialState());
}

/**
 * The comments the rows name, as the planner may show them: those on this proposal, and those on
 * another proposal the actor may see or on a requirement (public). A comment on a proposal the
 * actor may not see is left out: for them it does not exist.
 */
async function namedComments(
  store: EventStore,
  proposals: ProposalLookups,
  proposalId: string,
  actor: Actor,
  ids: readonly string[],
): Promise<Map<string, CommentState>> {
  const states = new Map<string, CommentState>();
  const visible = new Map<string, Promise<boolean>>();
  for (const id of new Set(ids)) {
    const state = await commentState(store, id);
    if (state.status === 'unposted') continue;
    if (state.proposalId !== null && state.proposalId !== proposalId) {
      const other = state.proposalId;
      if (!visible.has(other))
        visible.set(
          other,
          proposals.visibleProposal(other, actor).then((found) => !(found instanceof DomainError)),
        );
      if (!(await visible.get(other))) continue;
    }
    states.set(id, state);
  }
  return states;
}

@Resolver('Mutation')
export class ImportMatrixDispositionsResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly proposals: ProposalLookups,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Look up the proposal and its spec's owner (whose coordinators may answer) → parse → fold each
   * named comment → plan (every row decided against its comment's state) → on a dry run or any
   * problem, answer; else dispose the NEW and REVISED rows one by one through the comment decider.
   * Command ids derive from the comment, the revision answered and the answer, so a retry records
   * only what is missing.
   */
  @Mutation('importMatrixDispositions')
  async importMatrixDispositions(
    @Context() context: RequestContext,
    @Args('input') input: ImportMatrixDispositionsInput,
  ): Promise<ImportMatrixDispositionsPayload> {
    const dryRun = input.dryRun;
    const proposal = await this.proposals.visibleProposal(input.proposalId, signedIn(context));
    if (proposal instanceof DomainError) return payload(dryRun, {}, { errors: [proposal] });
    const specOwnerOrganisationId = (await this.proposals.specOwner(proposal.specId)) ?? '';
    const actor = mutationActor(context, 'comment.importDispositions', specOwnerOrganisationId);
    if (actor instanceof DomainError) return payload(dryRun, {}, { errors: [actor] });
    const bytes = decodeFile(input.fileBase64);
    if (bytes instanceof DomainError) return payload(dryRun, {}, { errors: [bytes] });

    const parsed = await parseMatrix(bytes);
    if (!parsed.ok) return payload(dryRun, { problems: parsed.problems });
    const { matrix } = parsed;
    const ids = matrix.rows.map((r) => (r.cells.commentId ?? '').trim()).filter((id) => id !== '');
    const plan = planDispositions(matrix, {
      actor,
      now: this.clock(),
      proposalId: proposal.proposalId,
      specOwnerOrganisationId,
      comments: await namedComments(this.store, this.proposals, proposal.proposalId, actor, ids),
    });
    const parts = { sheet: matrix.sheetName, unanswered: plan.unanswered, problems: plan.problems };
    if (dryRun || plan.problems.length > 0) return payload(dryRun, { ...parts, rows: plan.rows.map(rowView) });

    let disposed = 0;
    let position: Position | null = null;
    const views: DispositionRowView[] = [];
    for (const row of plan.rows) {
      if (row.change !== 'unchanged') {
        const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(commentDecider, row.commentId, row.command));
        if (!outcome.ok) {
          // Checked a moment ago, so something changed meanwhile (e.g. the comment was retracted): the rows above stay; a retry records the rest.
          const problem: MatrixProblem = {
            code: outcome.error.code,
            message: `${outcome.error.message} (rows above it were recorded; import the file again to record the rest)`,
            row: row.row,
            column: null,
          };
          return payload(dryRun, { ...parts, rows: views, problems: [problem] }, { disposedCount: disposed, position });
        }
        if (outcome.position) {
          disposed += 1;
          if (position === null || comparePositions(outcome.position, position) > 0) position = outcome.position;
        }
      }
      views.push(rowView(row));
    }
    return payload(dryRun, { ...parts, rows: views }, { disposedCount: disposed, position });
  }
}
