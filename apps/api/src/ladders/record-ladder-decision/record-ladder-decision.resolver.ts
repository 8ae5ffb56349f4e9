import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import type { Pool } from 'pg';
import { DomainError } from '@kyogi/domain/shared/decider';
import { ladderDecider } from '@kyogi/domain/ladders/ladders.decider';
import type { RecordNationalDecision } from '@kyogi/domain/ladders/ladders.commands';
import { CLOCK, READ_DB, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { RecordLadderDecisionInput } from '../../graphql/generated/schema-types';
import { ProposalLookups } from '../../proposals/lookups';
import { LADDER_RUNNER } from '../tokens';
import type { LadderRunner } from '../ladder-runner';
import { failedPayload, type LadderMutationPayload } from '../payloads';

@Resolver('Mutation')
export class RecordLadderDecisionResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly proposals: ProposalLookups,
    @Inject(READ_DB) private readonly db: Pool,
    @Inject(LADDER_RUNNER) private readonly runner: LadderRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The national decision, citing the last round's outcomes; then the proposal is accepted or rejected (as the caller). */
  @Mutation('recordLadderDecision')
  async recordLadderDecision(@Context() context: RequestContext, @Args('input') input: RecordLadderDecisionInput): Promise<LadderMutationPayload> {
    const actor = mutationActor(context, 'ladder.decide');
    if (actor instanceof DomainError) return failedPayload(actor);
    const { ladderId } = input;
    const revised = await revisedSinceChosen(this.db, this.proposals, ladderId);
    if (revised) return failedPayload(revised);
    const command: RecordNationalDecision = {
      type: 'RecordNationalDecision',
      data: {
        ladderId,
        decision: input.decision.toLowerCase() as 'accept' | 'reject',
        rationale: input.rationale,
        citedStage: input.citedStage,
        citedOutcomes: input.citedOutcomes.map(({ consultationId, quorumMet, thresholdMet, blocked, passed }) => ({
          consultationId,
          outcome: { quorumMet, thresholdMet, blocked, passed },
        })),
      },
      metadata: { commandId: input.commandId ?? randomUUID(), now: this.clock(), actor },
    };
    const decided = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(ladderDecider, ladderId, command));
    if (!decided.ok) return failedPayload(decided.error);
    const advanced = await this.runner.advance(ladderId, actor);
    // The decision stands either way; the ladder scheduler retries deciding the proposal.
    if (!advanced.ok) return failedPayload(advanced.error, ladderId, decided.position);
    return { ladderId, position: advanced.position ?? decided.position, errors: [] };
  }
}

// Not a method: Nest would take every method of a Mutation resolver for a field of Mutation.
/** A proposal revised after its ladder was chosen cannot be decided by it: the rounds voted on another text. */
async function revisedSinceChosen(db: Pool, proposals: ProposalLookups, ladderId: string): Promise<DomainError | null> {
  const { rows } = await db.query<{ proposal_id: string; proposal_revision: number }>(
    'SELECT proposal_id, proposal_revision FROM read_models.ladders WHERE ladder_id = $1',
    [ladderId],
  );
  if (!rows[0]) return null; // the decider answers LADDER_NOT_FOUND
  const proposal = await proposals.proposal(rows[0].proposal_id);
  if (proposal && proposal.currentRevision !== rows[0].proposal_revision)
    return new DomainError(
      'PROPOSAL_REVISED',
      `The ladder put revision ${rows[0].proposal_revision} of proposal ${rows[0].proposal_id} to the rounds; it is now at revision ${proposal.currentRevision}.`,
      'ladderId',
    );
  return null;
}
