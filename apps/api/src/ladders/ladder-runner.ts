import type { Pool } from 'pg';
import { DomainError, type Actor, type OrganisationKind } from '@kyogi/domain/shared/decider';
import { consultationDecider, SYSTEM_PERSON_ID } from '@kyogi/domain/consultations/consultations.decider';
import type { OpenConsultation } from '@kyogi/domain/consultations/consultations.commands';
import type { Outcome } from '@kyogi/domain/consultations/tally';
import { ladderDecider, nextStageToOpen, type LadderState } from '@kyogi/domain/ladders/ladders.decider';
import type { ConsultationResultLookup, RecordStageClosed, RecordStageOpened } from '@kyogi/domain/ladders/ladders.commands';
import { ladderStreamName, type LadderChosenData, type LadderEvent, type StageDefinition } from '@kyogi/domain/ladders/ladders.events';
import { proposalDecider } from '@kyogi/domain/proposals/proposals.decider';
import type { AcceptProposal, RejectProposal } from '@kyogi/domain/proposals/proposals.commands';
import { proposalStreamName } from '@kyogi/domain/proposals/proposals.events';
import type { EventStore, Position } from '@kyogi/event-store/port';
import { decideAndAppend, type CommandOutcome } from '../command-handling/decide-and-append';
import { entityIdFor } from '../command-handling/event-ids';
import { resolveElectorate } from '../consultations/electorate';

export interface LadderRunnerOptions {
  readonly pool: Pick<Pool, 'query'>;
  readonly store: EventStore;
  readonly clock: () => Date;
  readonly log?: (message: string) => void;
}

/** What one advance did: the position of the last event it appended (null when nothing), or the first failure. */
export type AdvanceOutcome =
  { readonly ok: true; readonly position: Position | null; readonly steps: readonly string[] } | { readonly ok: false; readonly error: DomainError };

/** Deterministic command ids: every instance, retry and restart records each step once. */
export const ladderCommandIds = {
  openRound: (ladderId: string, stage: number, round: number) => `ladder:${ladderId}:stage:${stage}:round:${round}`,
  stageOpened: (ladderId: string, stage: number) => `ladder:${ladderId}:stage:${stage}:opened`,
  stageClosed: (ladderId: string, stage: number) => `ladder:${ladderId}:stage:${stage}:closed`,
  proposalDecided: (ladderId: string) => `ladder:${ladderId}:proposal-decided`,
};

/** The consultation id of round `round` (1-based) of stage `stage`: derived, so a retried opening names the same round. */
export const roundConsultationId = (ladderId: string, stage: number, round: number): string => entityIdFor(ladderCommandIds.openRound(ladderId, stage, round));

const MAX_STEPS = 64;

/**
 * Moves a ratification ladder forward from what is recorded, one step at a time:
 * - a stage whose rounds have all closed (read model) is closed with their recorded outcomes;
 * - the next round stage opens: one consultation per prefecture (its active municipalities) or
 *   one round of the prefectures, with the rules fixed when the ladder was chosen, closing
 *   `durationSeconds` after it opens; then the stage records its consultations;
 * - once the national decision is recorded, the proposal is accepted or rejected accordingly.
 *
 * Used by chooseLadder and recordLadderDecision (acting as the person who called them) and by the
 * LadderScheduler under the projector lease (acting as the system, for the owner organisation).
 * Free of Nest. Each step goes through decideAndAppend with a deterministic command id, so any
 * overlap of callers records every step once; the deciders refuse anything out of order.
 */
export class LadderRunner {
  constructor(private readonly options: LadderRunnerOptions) {}

  async advance(ladderId: string, caller: Actor | null): Promise<AdvanceOutcome> {
    const steps: string[] = [];
    let position: Position | null = null;
    for (let step = 0; step < MAX_STEPS; step++) {
      const ladder = await this.load(ladderId);
      if (ladder === null) return { ok: false, error: new DomainError('LADDER_NOT_FOUND', `Ladder ${ladderId} does not exist.`, 'ladderId') };
      const system = await this.systemActor(ladder.chosen.ownerOrganisationId);
      const next = await this.nextStep(ladder, caller ?? system, caller?.roles.includes('coordinator') ? caller : system);
      if (next === null) return { ok: true, position, steps };
      const outcome = await next.run();
      if (!outcome.ok) {
        this.options.log?.(`ladder ${ladderId}: ${next.name}: ${outcome.error.code} ${outcome.error.message}`);
        return { ok: false, error: outcome.error };
      }
      if (outcome.position) position = outcome.position;
      steps.push(next.name);
    }
    throw new Error(`Ladder ${ladderId} did not settle in ${MAX_STEPS} steps`);
  }

  private async load(ladderId: string): Promise<{ state: LadderState; chosen: LadderChosenData } | null> {
    const recorded = await this.options.store.readStream(ladderStreamName(ladderId));
    if (!recorded.length) return null;
    const events = recorded.map((e) => ({ type: e.type, data: e.data }) as unknown as LadderEvent);
    const state = events.reduce(ladderDecider.evolve, ladderDecider.initialState());
    return { state, chosen: (events[0] as Extract<LadderEvent, { type: 'LadderChosen' }>).data };
  }

  /** The one step to take now, or null when the ladder waits (for rounds to close, or for the national decision). */
  private async nextStep(
    { state, chosen }: { state: LadderState; chosen: LadderChosenData },
    actor: Actor,
    /** Opening a round takes a coordinator: the caller when it is one, otherwise the system. */
    opener: Actor,
  ): Promise<{ name: string; run: () => Promise<CommandOutcome | AdvanceOutcome> } | null> {
    if (state.status === 'unchosen') return null;
    const ladderId = state.ladderId;
    if (state.status === 'decided') {
      const status = await this.proposalStatus(state.proposalId);
      if (status !== 'submitted') return null; // decided already (or withdrawn: nothing left to decide)
      return { name: `proposal ${state.decision}ed`, run: () => this.decideProposal(chosen, state.decision, state.rationale, actor) };
    }
    const open = state.stages.findIndex((stage) => stage.consultationIds !== null && stage.outcomes === null);
    if (open >= 0) {
      const stage = open + 1;
      const ids = state.stages[open].consultationIds!;
      const results = await this.results(ids);
      if (!results.every((r) => r.closed)) return null;
      const command: RecordStageClosed = {
        type: 'RecordStageClosed',
        data: { ladderId, stage, results },
        metadata: { commandId: ladderCommandIds.stageClosed(ladderId, stage), now: this.options.clock(), actor },
      };
      return { name: `stage ${stage} closed`, run: () => decideAndAppend(this.options.store, ladderDecider, ladderId, command) };
    }
    const stage = nextStageToOpen(state);
    if (stage === null) return null;
    return { name: `stage ${stage} opened`, run: () => this.openStage(chosen, stage, state.stages[stage - 1].definition, opener) };
  }

  private async openStage(chosen: LadderChosenData, stage: number, definition: StageDefinition, actor: Actor): Promise<CommandOutcome | AdvanceOutcome> {
    if (definition.kind === 'national_decision') throw new Error('the national decision is not opened');
    const { ladderId } = chosen;
    const electorates =
      definition.kind === 'prefectural_rounds'
        ? definition.prefectureCodes.map((code) => ({ rule: 'ALL_MUNICIPALITIES_OF_PREFECTURE' as const, prefectureCode: code.slice(0, 2) }))
        : [{ rule: 'ALL_PREFECTURES' as const }];
    const { rules } = definition;
    const openedAt = this.options.clock();
    const closesAt = new Date(openedAt.getTime() + rules.durationSeconds * 1000).toISOString();
    const consultationIds: string[] = [];
    for (const [i, spec] of electorates.entries()) {
      const electorate = await resolveElectorate(this.options.pool, spec, rules.weighting, rules.populations, `stages[${stage - 1}].rules.populations`);
      if (electorate instanceof DomainError) return { ok: false, error: electorate };
      const consultationId = roundConsultationId(ladderId, stage, i + 1);
      const command: OpenConsultation = {
        type: 'OpenConsultation',
        data: {
          consultationId,
          proposalId: chosen.proposalId,
          specId: chosen.specId,
          electorate,
          weighting: rules.weighting,
          quorumPercent: rules.quorumPercent,
          thresholdPercent: rules.thresholdPercent,
          thresholdBasis: rules.thresholdBasis,
          blockVetoes: rules.blockVetoes,
          closesAt,
          resultsHidden: rules.resultsHidden,
          stage: { ladderId, stage },
          proposalSubmitted: (await this.proposalStatus(chosen.proposalId)) === 'submitted',
        },
        metadata: { commandId: ladderCommandIds.openRound(ladderId, stage, i + 1), now: openedAt, actor },
      };
      const opened = await decideAndAppend(this.options.store, consultationDecider, consultationId, command);
      if (!opened.ok) return opened;
      consultationIds.push(consultationId);
    }
    const command: RecordStageOpened = {
      type: 'RecordStageOpened',
      data: { ladderId, stage, consultationIds },
      metadata: { commandId: ladderCommandIds.stageOpened(ladderId, stage), now: openedAt, actor },
    };
    return decideAndAppend(this.options.store, ladderDecider, ladderId, command);
  }

  private decideProposal(chosen: LadderChosenData, decision: 'accept' | 'reject', rationale: string, actor: Actor): Promise<CommandOutcome> {
    const command: AcceptProposal | RejectProposal = {
      type: decision === 'accept' ? 'AcceptProposal' : 'RejectProposal',
      data: {
        proposalId: chosen.proposalId,
        revision: chosen.proposalRevision,
        rationale,
        specOwnerOrganisationId: chosen.ownerOrganisationId,
        ladder: { ladderId: chosen.ladderId, deciding: true },
      },
      metadata: { commandId: ladderCommandIds.proposalDecided(chosen.ladderId), now: this.options.clock(), actor },
    };
    return decideAndAppend(this.options.store, proposalDecider, chosen.proposalId, command);
  }

  /** Each round's status and recorded outcome, from the consultations read model (a round it does not have yet counts as open). */
  private async results(consultationIds: readonly string[]): Promise<ConsultationResultLookup[]> {
    const { rows } = await this.options.pool.query<{ consultation_id: string; status: string; outcome: Outcome | null }>(
      'SELECT consultation_id, status, outcome FROM read_models.consultations WHERE consultation_id = ANY($1::text[])',
      [consultationIds],
    );
    const byId = new Map(rows.map((row) => [row.consultation_id, row]));
    return consultationIds.map((consultationId) => {
      const row = byId.get(consultationId);
      const closed = row?.status === 'closed' && row.outcome !== null;
      return { consultationId, closed, outcome: closed ? row!.outcome : null };
    });
  }

  /** From the proposal's stream, not the read model: a decision just recorded must count at once. */
  private async proposalStatus(proposalId: string): Promise<string> {
    const recorded = await this.options.store.readStream(proposalStreamName(proposalId));
    const state = recorded.reduce((s, e) => proposalDecider.evolve(s, { type: e.type, data: e.data } as never), proposalDecider.initialState());
    return state.status;
  }

  private async systemActor(ownerOrganisationId: string): Promise<Actor> {
    const { rows } = await this.options.pool.query<{ kind: OrganisationKind }>('SELECT kind FROM read_models.organisations WHERE id = $1', [
      ownerOrganisationId,
    ]);
    return { personId: SYSTEM_PERSON_ID, organisationId: ownerOrganisationId, organisationKind: rows[0]?.kind ?? 'national', roles: ['coordinator'] };
  }
}
