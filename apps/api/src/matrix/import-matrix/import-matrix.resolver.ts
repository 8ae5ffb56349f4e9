import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import type { Pool } from 'pg';
import { commentDecider } from '@kyogi/domain/comments/comments.decider';
import { commentStreamName } from '@kyogi/domain/comments/comments.events';
import { DomainError, type Actor } from '@kyogi/domain/shared/decider';
import { comparePositions, formatPosition, type EventStore, type Position } from '@kyogi/event-store/port';
import { CLOCK, EVENT_STORE, READ_DB, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { eventIdFor } from '../../command-handling/event-ids';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { ImportCommentMatrixInput } from '../../graphql/generated/schema-types';
import { ProposalLookups } from '../../proposals/lookups';
import { acceptedNames, organisationLabel, organisationNames } from '../organisation-names';
import { parseMatrix, type MatrixProblem } from './matrix-parse';
import { decodeFile, importErrors } from '../uploaded-matrix';
import { namedRequirementIds, planImport, type PlannedRow } from './matrix-import';

interface RowView {
  readonly row: number;
  readonly no: string | null;
  readonly requirementId: string;
  readonly requirementTitle: string | null;
  readonly anchor: { kind: 'CHANGE' | 'REQUIREMENT'; changeId: string | null; requirementId: string | null };
  readonly line: number | null;
  readonly quote: { start: number; end: number; text: string } | null;
  readonly suggestion: string;
  readonly reason: string;
  readonly body: string;
  readonly commentId: string;
  readonly alreadyImported: boolean;
}

export interface ImportCommentMatrixPayload {
  readonly dryRun: boolean;
  readonly sheet: string | null;
  readonly rows: readonly RowView[];
  readonly skippedRows: readonly { row: number; commentId: string }[];
  readonly problems: readonly MatrixProblem[];
  readonly createdCount: number;
  readonly position: string | null;
  readonly errors: { code: string; message: string; field: string | null }[];
}

function payload(
  dryRun: boolean,
  parts: { sheet?: string; rows?: readonly RowView[]; skipped?: readonly { row: number; commentId: string }[]; problems?: readonly MatrixProblem[] },
  extra: { errors?: readonly DomainError[]; createdCount?: number; position?: Position | null } = {},
): ImportCommentMatrixPayload {
  const problems = parts.problems ?? [];
  return {
    dryRun,
    sheet: parts.sheet ?? null,
    rows: parts.rows ?? [],
    skippedRows: parts.skipped ?? [],
    problems,
    createdCount: extra.createdCount ?? 0,
    position: extra.position ? formatPosition(extra.position) : null,
    errors: importErrors(extra.errors ?? [], problems),
  };
}

function rowView(row: PlannedRow, alreadyImported: boolean): RowView {
  return {
    row: row.row,
    no: row.no,
    requirementId: row.requirementId,
    requirementTitle: row.requirementTitle,
    anchor:
      row.anchor.kind === 'change'
        ? { kind: 'CHANGE', changeId: row.anchor.changeId, requirementId: null }
        : { kind: 'REQUIREMENT', changeId: null, requirementId: row.anchor.requirementId },
    line: row.line,
    quote: row.quote,
    suggestion: row.suggestion,
    reason: row.reason,
    body: row.body,
    commentId: row.commentId,
    alreadyImported,
  };
}

/** Whether each row's comment exists already: its stream starts with the event this row's command appends. */
function alreadyImported(store: EventStore, rows: readonly PlannedRow[]): Promise<boolean[]> {
  return Promise.all(
    rows.map(async (row) => {
      const [first] = await store.readStream(commentStreamName(row.commentId), { maxCount: 1 });
      return first !== undefined && first.id === eventIdFor(row.commandId, 0);
    }),
  );
}

/** The comments of this proposal the actor may see (so an exported matrix's rows are recognised). */
async function visibleCommentIds(db: Pool, proposalId: string, actor: Actor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await db.query<{ comment_id: string }>(
    `SELECT c.comment_id FROM read_models.comments c
      WHERE c.proposal_id = $1 AND c.comment_id = ANY($2::text[]) AND (c.proposal_public OR c.proposal_author_organisation_id = $3)`,
    [proposalId, [...new Set(ids)], actor.organisationId],
  );
  return new Set(rows.map((r) => r.comment_id));
}

@Resolver('Mutation')
export class ImportCommentMatrixResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly proposals: ProposalLookups,
    @Inject(READ_DB) private readonly db: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Parse → look up → plan (every row checked, each command decided against an empty stream) →
   * on a dry run or any problem, answer; else post the rows one by one through the comment
   * decider. Command ids derive from each row's content, so a retry (after a timeout, or a
   * failure half-way) posts only what is missing.
   */
  @Mutation('importCommentMatrix')
  async importCommentMatrix(@Context() context: RequestContext, @Args('input') input: ImportCommentMatrixInput): Promise<ImportCommentMatrixPayload> {
    const dryRun = input.dryRun;
    const actor = mutationActor(context, 'comment.post');
    if (actor instanceof DomainError) return payload(dryRun, {}, { errors: [actor] });
    const bytes = decodeFile(input.fileBase64);
    if (bytes instanceof DomainError) return payload(dryRun, {}, { errors: [bytes] });
    const proposal = await this.proposals.visibleProposal(input.proposalId, actor);
    if (proposal instanceof DomainError) return payload(dryRun, {}, { errors: [proposal] });

    const parsed = await parseMatrix(bytes);
    if (!parsed.ok) return payload(dryRun, { problems: parsed.problems });
    const { matrix } = parsed;
    const requirementIds = namedRequirementIds(matrix.rows);
    const [requirements, organisations, existing] = await Promise.all([
      this.db.query<{ requirement_id: string; title: string; text: string }>(
        'SELECT requirement_id, title, text FROM read_models.requirements WHERE spec_id = $1 AND version = $2 AND requirement_id = ANY($3::text[])',
        [proposal.specId, proposal.version, requirementIds],
      ),
      organisationNames(this.db, [actor.organisationId]),
      visibleCommentIds(
        this.db,
        proposal.proposalId,
        actor,
        matrix.rows.map((r) => (r.cells.commentId ?? '').trim()).filter((id) => id !== ''),
      ),
    ]);
    const own = organisations.get(actor.organisationId);
    const plan = planImport(matrix, {
      actor,
      now: this.clock(),
      proposal: { proposalId: proposal.proposalId, specId: proposal.specId, version: proposal.version, changes: proposal.changes },
      requirements: new Map(requirements.rows.map((r) => [r.requirement_id, { title: r.title, text: r.text }])),
      organisation: { accepted: acceptedNames(own, actor.organisationId), label: organisationLabel(own, actor.organisationId) },
      existingCommentIds: existing,
    });
    const imported = await alreadyImported(this.store, plan.rows);
    const parts = { sheet: matrix.sheetName, skipped: plan.skipped, problems: plan.problems };
    if (dryRun || plan.problems.length > 0) return payload(dryRun, { ...parts, rows: plan.rows.map((row, i) => rowView(row, imported[i])) });

    let created = 0;
    let position: Position | null = null;
    const views: RowView[] = [];
    for (const [i, row] of plan.rows.entries()) {
      const outcome = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(commentDecider, row.commentId, row.command));
      if (!outcome.ok) {
        // Checked a moment ago, so something changed meanwhile (e.g. the proposal was revised): the rows before stay posted; a retry posts the rest.
        const problem: MatrixProblem = {
          code: outcome.error.code,
          message: `${outcome.error.message} (rows above it were posted; import the file again to post the rest)`,
          row: row.row,
          column: null,
        };
        return payload(dryRun, { ...parts, rows: views, problems: [problem] }, { createdCount: created, position });
      }
      if (!imported[i]) created += 1;
      if (outcome.position && (position === null || comparePositions(outcome.position, position) > 0)) position = outcome.position;
      views.push(rowView(row, imported[i]));
    }
    return payload(dryRun, { ...parts, rows: views }, { createdCount: created, position });
  }
}
