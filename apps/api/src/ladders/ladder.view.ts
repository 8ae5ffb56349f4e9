import type { Outcome, ThresholdBasis } from '@kyogi/domain/consultations/tally';
import type { Weighting } from '@kyogi/domain/consultations/consultations.events';
import type { RoundOutcome, RoundRules, StageKind } from '@kyogi/domain/ladders/ladders.events';

/** A round of a stage as the API shows it; `consultation` is resolved by a field resolver. */
export interface LadderRoundView {
  readonly consultationId: string;
  readonly prefectureId: string | null;
  readonly outcome: Outcome | null;
}

export interface LadderStageView {
  readonly stage: number;
  readonly kind: Uppercase<StageKind>;
  readonly status: 'PENDING' | 'OPEN' | 'CLOSED' | 'DECIDED';
  readonly prefectureIds: readonly string[] | null;
  readonly rules: {
    readonly weighting: Uppercase<Weighting>;
    readonly quorumPercent: number;
    readonly thresholdPercent: number;
    readonly thresholdBasis: Uppercase<ThresholdBasis>;
    readonly blockVetoes: boolean;
    readonly resultsHidden: boolean;
    readonly durationSeconds: number;
  } | null;
  readonly openedAt: Date | null;
  readonly closedAt: Date | null;
  readonly rounds: readonly LadderRoundView[];
}

/** A ladder as the GraphQL API shows it (enums upper-case, as in the schema). */
export interface LadderView {
  readonly id: string;
  readonly proposalId: string;
  readonly specId: string;
  readonly proposalRevision: number;
  readonly ownerOrganisationId: string;
  readonly status: 'RUNNING' | 'DECIDED';
  readonly currentStage: number | null;
  readonly stages: readonly LadderStageView[];
  readonly decision: 'ACCEPT' | 'REJECT' | null;
  readonly rationale: string | null;
  readonly citedStage: number | null;
  readonly decidedAt: Date | null;
  readonly decidedByPersonId: string | null;
  readonly chosenAt: Date;
  readonly chosenByPersonId: string;
  readonly streamVersion: number;
  readonly position: string;
}

export interface LadderRow {
  readonly ladder_id: string;
  readonly proposal_id: string;
  readonly spec_id: string;
  readonly proposal_revision: number;
  readonly owner_organisation_id: string;
  readonly status: 'running' | 'decided';
  readonly current_stage: number | null;
  readonly decision: 'accept' | 'reject' | null;
  readonly rationale: string | null;
  readonly cited_stage: number | null;
  readonly decided_at: Date | null;
  readonly decided_by_person_id: string | null;
  readonly chosen_at: Date;
  readonly chosen_by_person_id: string;
  readonly version: string;
  readonly position: string;
}

export interface LadderStageRow {
  readonly ladder_id: string;
  readonly stage: number;
  readonly kind: StageKind;
  readonly prefecture_codes: string[] | null;
  readonly rules: RoundRules | null;
  readonly consultation_ids: string[] | null;
  readonly outcomes: RoundOutcome[] | null;
  readonly opened_at: Date | null;
  readonly closed_at: Date | null;
}

/** consultation id → its outcome once closed (for rounds of a stage that has not closed yet). */
export type RoundOutcomes = ReadonlyMap<string, Outcome | null>;

function stageView(row: LadderStageRow, ladder: LadderRow, liveOutcomes: RoundOutcomes): LadderStageView {
  const recorded = new Map((row.outcomes ?? []).map((o) => [o.consultationId, o.outcome]));
  const decisionStage = row.kind === 'national_decision';
  const rounds: LadderRoundView[] = decisionStage
    ? (row.outcomes ?? []).map((o) => ({ consultationId: o.consultationId, prefectureId: null, outcome: o.outcome }))
    : (row.consultation_ids ?? []).map((consultationId, i) => ({
        consultationId,
        prefectureId: row.prefecture_codes?.[i] ?? null,
        outcome: recorded.get(consultationId) ?? liveOutcomes.get(consultationId) ?? null,
      }));
  const status = decisionStage
    ? ladder.status === 'decided'
      ? 'DECIDED'
      : 'PENDING'
    : row.closed_at !== null
      ? 'CLOSED'
      : row.opened_at !== null
        ? 'OPEN'
        : 'PENDING';
  return {
    stage: row.stage,
    kind: row.kind.toUpperCase() as Uppercase<StageKind>,
    status,
    prefectureIds: row.prefecture_codes,
    rules: row.rules && {
      weighting: row.rules.weighting.toUpperCase() as Uppercase<Weighting>,
      quorumPercent: row.rules.quorumPercent,
      thresholdPercent: row.rules.thresholdPercent,
      thresholdBasis: row.rules.thresholdBasis.toUpperCase() as Uppercase<ThresholdBasis>,
      blockVetoes: row.rules.blockVetoes,
      resultsHidden: row.rules.resultsHidden,
      durationSeconds: row.rules.durationSeconds,
    },
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    rounds,
  };
}

export function toLadderView(row: LadderRow, stages: readonly LadderStageRow[], liveOutcomes: RoundOutcomes): LadderView {
  return {
    id: row.ladder_id,
    proposalId: row.proposal_id,
    specId: row.spec_id,
    proposalRevision: row.proposal_revision,
    ownerOrganisationId: row.owner_organisation_id,
    status: row.status === 'decided' ? 'DECIDED' : 'RUNNING',
    currentStage: row.current_stage,
    stages: [...stages].sort((a, b) => a.stage - b.stage).map((stage) => stageView(stage, row, liveOutcomes)),
    decision: row.decision === null ? null : row.decision === 'accept' ? 'ACCEPT' : 'REJECT',
    rationale: row.rationale,
    citedStage: row.cited_stage,
    decidedAt: row.decided_at,
    decidedByPersonId: row.decided_by_person_id,
    chosenAt: row.chosen_at,
    chosenByPersonId: row.chosen_by_person_id,
    streamVersion: Number(row.version),
    position: row.position,
  };
}
