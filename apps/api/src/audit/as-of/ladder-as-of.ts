/**
 * A ratification ladder "as of" a moment: its stream's events up to then, folded with the ladder
 * decider's own `evolve`, shown as the same LadderView the `ladder` query returns (the same rows
 * the ladders projection would have held then, mapped by the same `toLadderView`). A round of a
 * stage still open at that moment shows its outcome once its consultation had closed by then: the
 * caller folds those consultations' own prefixes (`roundOutcomeAsOf`), so no outcome comes from
 * after the moment. Pure: the caller reads the streams.
 */
import { ladderDecider, type LadderState } from '@kyogi/domain/ladders/ladders.decider';
import type { LadderChosenData, LadderEvent } from '@kyogi/domain/ladders/ladders.events';
import type { ConsultationEvent } from '@kyogi/domain/consultations/consultations.events';
import type { Outcome } from '@kyogi/domain/consultations/tally';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import { toLadderView, type LadderRow, type LadderStageRow, type LadderView, type RoundOutcomes } from '../../ladders/ladder.view';
import { eventsUpTo } from './events-up-to';

export interface LadderAsOf {
  readonly at: Date;
}

export type LadderAsOfView = LadderView & { readonly asOf: LadderAsOf };

/** The as-of part of a ladder read `asOf` a moment; undefined for one read now. */
export const ladderAsOfOf = (view: LadderView): LadderAsOf | undefined => (view as Partial<LadderAsOfView>).asOf;

const asEvent = (recorded: RecordedEvent): LadderEvent => ({ type: recorded.type, data: recorded.data }) as unknown as LadderEvent;

/** The consultations of the stages that were open at `at` (opened, not yet closed): those whose own outcome the view shows as each closes. */
export function roundsOpenAt(events: readonly RecordedEvent[], at: Date): string[] {
  const open = new Map<number, readonly string[]>();
  for (const recorded of eventsUpTo(events, at)) {
    const event = asEvent(recorded);
    if (event.type === 'LadderStageOpened') open.set(event.data.stage, event.data.consultationIds);
    if (event.type === 'LadderStageClosed') open.delete(event.data.stage);
  }
  return [...open.values()].flat();
}

/** A round's outcome as of `at` from its consultation's stream: the one of ConsultationClosed if it had closed by then, else null. */
export function roundOutcomeAsOf(consultationEvents: readonly RecordedEvent[], at: Date): Outcome | null {
  for (const recorded of eventsUpTo(consultationEvents, at)) {
    const event = { type: recorded.type, data: recorded.data } as unknown as ConsultationEvent;
    if (event.type === 'ConsultationClosed') return event.data.outcome;
  }
  return null;
}

/** The ladder as it stood at `at`, or null when it had not been chosen yet. `roundOutcomes`: see roundOutcomeAsOf. */
export function ladderAsOf(events: readonly RecordedEvent[], at: Date, roundOutcomes: RoundOutcomes): LadderAsOfView | null {
  const upTo = eventsUpTo(events, at);
  if (upTo.length === 0) return null;
  let state: LadderState = ladderDecider.initialState();
  let chosen: LadderChosenData | null = null;
  let stages: LadderStageRow[] = [];
  let currentStage: number | null = null;
  let decided: Pick<LadderRow, 'decision' | 'rationale' | 'cited_stage' | 'decided_at' | 'decided_by_person_id'> | null = null;
  const setStage = (stage: number, change: Partial<LadderStageRow>): void => {
    stages = stages.map((row) => (row.stage === stage ? { ...row, ...change } : row));
  };
  // The same changes, event by event, as the ladders projection makes to its rows.
  for (const recorded of upTo) {
    const event = asEvent(recorded);
    state = ladderDecider.evolve(state, event);
    switch (event.type) {
      case 'LadderChosen': {
        const d = event.data;
        chosen = d;
        currentStage = 1;
        stages = d.stages.map((stage, i) => ({
          ladder_id: d.ladderId,
          stage: i + 1,
          kind: stage.kind,
          prefecture_codes: stage.kind === 'prefectural_rounds' ? [...stage.prefectureCodes] : null,
          rules: stage.kind === 'national_decision' ? null : stage.rules,
          consultation_ids: null,
          outcomes: null,
          opened_at: null,
          closed_at: null,
        }));
        break;
      }
      case 'LadderStageOpened':
        setStage(event.data.stage, { consultation_ids: [...event.data.consultationIds], opened_at: new Date(event.data.openedAt) });
        currentStage = event.data.stage;
        break;
      case 'LadderStageClosed':
        setStage(event.data.stage, { outcomes: [...event.data.outcomes], closed_at: new Date(event.data.closedAt) });
        currentStage = event.data.stage + 1;
        break;
      case 'LadderDecided': {
        const d = event.data;
        const decidedAt = new Date(d.decidedAt);
        setStage(stages.length, { outcomes: [...d.citedOutcomes], opened_at: decidedAt, closed_at: decidedAt });
        currentStage = null;
        decided = { decision: d.decision, rationale: d.rationale, cited_stage: d.citedStage, decided_at: decidedAt, decided_by_person_id: d.decidedByPersonId };
        break;
      }
    }
  }
  if (state.status === 'unchosen' || chosen === null) return null;
  const last = upTo[upTo.length - 1];
  const row: LadderRow = {
    ladder_id: chosen.ladderId,
    proposal_id: chosen.proposalId,
    spec_id: chosen.specId,
    proposal_revision: chosen.proposalRevision,
    owner_organisation_id: chosen.ownerOrganisationId,
    status: state.status,
    current_stage: currentStage,
    decision: decided?.decision ?? null,
    rationale: decided?.rationale ?? null,
    cited_stage: decided?.cited_stage ?? null,
    decided_at: decided?.decided_at ?? null,
    decided_by_person_id: decided?.decided_by_person_id ?? null,
    chosen_at: new Date(chosen.chosenAt),
    chosen_by_person_id: chosen.chosenByPersonId,
    version: last.revision.toString(),
    position: formatPosition(last.position),
  };
  return { ...toLadderView(row, stages, roundOutcomes), asOf: { at } };
}
