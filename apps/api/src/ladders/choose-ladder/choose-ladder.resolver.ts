import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import type { Pool } from 'pg';
import { DomainError } from '@kyogi/domain/shared/decider';
import { ladderDecider } from '@kyogi/domain/ladders/ladders.decider';
import type { ChooseLadder } from '@kyogi/domain/ladders/ladders.commands';
import type { RoundRules, StageDefinition } from '@kyogi/domain/ladders/ladders.events';
import type { Weighting } from '@kyogi/domain/consultations/consultations.events';
import type { ThresholdBasis } from '@kyogi/domain/consultations/tally';
import { CLOCK, READ_DB, type Clock } from '../../platform/tokens';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { mutationActor } from '../../graphql/mutation-actor';
import type { RequestContext } from '../../graphql/request-context';
import type { ChooseLadderInput, LadderRoundRulesInput, LadderStageInput } from '../../graphql/generated/schema-types';
import { ProposalLookups } from '../../proposals/lookups';
import { resolveElectorate } from '../../consultations/electorate';
import { LADDER_RUNNER } from '../tokens';
import type { LadderRunner } from '../ladder-runner';
import { failedPayload, type LadderMutationPayload } from '../payloads';

/** GraphQL's stage input → the decider's StageDefinition; shapes the decider refuses are passed on for it to name. */
function stageDefinition(input: LadderStageInput): StageDefinition {
  const kind = input.kind.toLowerCase() as StageDefinition['kind'];
  if (kind === 'national_decision') return { kind };
  const rules = input.rules && roundRules(input.rules);
  return (kind === 'prefectural_rounds' ? { kind, prefectureCodes: input.prefectureIds ?? [], rules } : { kind, rules }) as StageDefinition;
}

const roundRules = (input: LadderRoundRulesInput): RoundRules => ({
  weighting: (input.weighting ?? 'EQUAL').toLowerCase() as Weighting,
  populations: input.populations ?? null,
  quorumPercent: input.quorumPercent,
  thresholdPercent: input.thresholdPercent,
  thresholdBasis: input.thresholdBasis.toLowerCase() as ThresholdBasis,
  blockVetoes: input.blockVetoes,
  resultsHidden: input.resultsHidden,
  durationSeconds: input.durationSeconds,
});

@Resolver('Mutation')
export class ChooseLadderResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly proposals: ProposalLookups,
    @Inject(READ_DB) private readonly db: Pool,
    @Inject(LADDER_RUNNER) private readonly runner: LadderRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Chooses the proposal's ladder (its id is the proposal's) and opens stage 1 at once, as the caller. */
  @Mutation('chooseLadder')
  async chooseLadder(@Context() context: RequestContext, @Args('input') input: ChooseLadderInput): Promise<LadderMutationPayload> {
    const actor = mutationActor(context, 'ladder.choose');
    if (actor instanceof DomainError) return failedPayload(actor);
    const proposal = await this.proposals.visibleProposal(input.proposalId, actor);
    if (proposal instanceof DomainError) return failedPayload(proposal);
    const stages = input.stages.map(stageDefinition);
    const electorates = await checkElectorates(this.db, stages);
    if (electorates instanceof DomainError) return failedPayload(electorates);
    const ladderId = proposal.proposalId;
    const command: ChooseLadder = {
      type: 'ChooseLadder',
      data: {
        ladderId,
        proposalId: proposal.proposalId,
        stages,
        specId: proposal.specId,
        proposalRevision: proposal.currentRevision,
        specOwnerOrganisationId: (await this.proposals.specOwner(proposal.specId)) ?? '',
        proposalSubmitted: proposal.status === 'submitted',
      },
      metadata: { commandId: input.commandId ?? randomUUID(), now: this.clock(), actor },
    };
    const chosen = await this.commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(ladderDecider, ladderId, command));
    if (!chosen.ok) return failedPayload(chosen.error);
    const advanced = await this.runner.advance(ladderId, actor);
    // The ladder is chosen either way; a stage that failed to open is retried by the ladder scheduler.
    if (!advanced.ok) return failedPayload(advanced.error, ladderId, chosen.position);
    return { ladderId, position: advanced.position ?? chosen.position, errors: [] };
  }
}

// Not a method: Nest would take every method of a Mutation resolver for a field of Mutation.
/**
 * Every round stage's electorates as they stand now — each prefecture has active municipalities,
 * and population figures cover them — so a ladder does not stall on a later stage.
 */
async function checkElectorates(db: Pool, stages: readonly StageDefinition[]): Promise<DomainError | null> {
  for (const [i, stage] of stages.entries()) {
    if (stage.kind === 'national_decision' || !stage.rules) continue;
    const specs =
      stage.kind === 'prefectural_rounds'
        ? (Array.isArray(stage.prefectureCodes) ? stage.prefectureCodes : []).map((code) => ({
            rule: 'ALL_MUNICIPALITIES_OF_PREFECTURE' as const,
            prefectureCode: String(code).slice(0, 2),
          }))
        : [{ rule: 'ALL_PREFECTURES' as const }];
    for (const spec of specs) {
      const electorate = await resolveElectorate(db, spec, stage.rules.weighting, stage.rules.populations, `stages[${i}].rules.populations`);
      if (electorate instanceof DomainError) return electorate;
      if (electorate.length === 0)
        return new DomainError(
          'EMPTY_ELECTORATE',
          `stages[${i}]: ${'prefectureCode' in spec ? `prefecture ${spec.prefectureCode} has no active municipalities` : 'no active prefectures'}.`,
          stage.kind === 'prefectural_rounds' ? `stages[${i}].prefectureIds` : `stages[${i}]`,
        );
    }
  }
  return null;
}
