import type { Outcome, Stance, Tally, ThresholdBasis } from '@kyogi/domain/consultations/tally';
import type { Weighting } from '@kyogi/domain/consultations/consultations.events';

/** A consultation as the GraphQL API shows it (enums upper-case, as in the schema). */
export interface ConsultationView {
  readonly id: string;
  readonly proposalId: string;
  readonly specId: string;
  readonly openedByPersonId: string;
  readonly openedByOrganisationId: string;
  readonly openedAt: Date;
  readonly rules: {
    readonly weighting: Uppercase<Weighting>;
    readonly quorumPercent: number;
    readonly thresholdPercent: number;
    readonly thresholdBasis: Uppercase<ThresholdBasis>;
    readonly blockVetoes: boolean;
  };
  readonly closesAt: Date;
  readonly resultsHidden: boolean;
  /** The ladder and stage this round belongs to; null for a lone round. */
  readonly ladderId: string | null;
  readonly ladderStage: number | null;
  readonly status: 'OPEN' | 'CLOSED';
  readonly electorateCount: number;
  /** Null while hidden and open; the recorded tally once closed. */
  readonly tally: Tally | null;
  readonly outcome: Outcome | null;
  readonly closedAt: Date | null;
  readonly early: boolean | null;
  readonly closeReason: string | null;
  readonly streamVersion: number;
  readonly position: string;
  /** Whether stances and tally may be shown (not hidden, or closed). */
  readonly resultsVisible: boolean;
}

export interface ConsultationRow {
  consultation_id: string;
  proposal_id: string;
  spec_id: string;
  opened_by_person_id: string;
  opened_by_organisation_id: string;
  opened_at: Date;
  weighting: Weighting;
  quorum_percent: number;
  threshold_percent: number;
  threshold_basis: ThresholdBasis;
  block_vetoes: boolean;
  closes_at: Date;
  results_hidden: boolean;
  ladder_id: string | null;
  stage: number | null;
  status: 'open' | 'closed';
  tally: Tally;
  outcome: Outcome | null;
  final_tally: Tally | null;
  closed_at: Date | null;
  early: boolean | null;
  close_reason: string | null;
  opened_position: string;
  stream_version: string;
  position: string;
}

export const CONSULTATION_COLUMNS = `consultation_id, proposal_id, spec_id, opened_by_person_id, opened_by_organisation_id, opened_at, weighting,
  quorum_percent, threshold_percent, threshold_basis, block_vetoes, closes_at, results_hidden, ladder_id, stage, status, tally, outcome, final_tally, closed_at, early,
  close_reason, opened_position, stream_version, position`;

export function toConsultationView(row: ConsultationRow): ConsultationView {
  const closed = row.status === 'closed';
  const resultsVisible = closed || !row.results_hidden;
  return {
    id: row.consultation_id,
    proposalId: row.proposal_id,
    specId: row.spec_id,
    openedByPersonId: row.opened_by_person_id,
    openedByOrganisationId: row.opened_by_organisation_id,
    openedAt: row.opened_at,
    rules: {
      weighting: row.weighting.toUpperCase() as Uppercase<Weighting>,
      quorumPercent: row.quorum_percent,
      thresholdPercent: row.threshold_percent,
      thresholdBasis: row.threshold_basis.toUpperCase() as Uppercase<ThresholdBasis>,
      blockVetoes: row.block_vetoes,
    },
    closesAt: row.closes_at,
    resultsHidden: row.results_hidden,
    ladderId: row.ladder_id,
    ladderStage: row.stage,
    status: closed ? 'CLOSED' : 'OPEN',
    electorateCount: row.tally.electorateCount,
    tally: !resultsVisible ? null : closed ? (row.final_tally ?? row.tally) : row.tally,
    outcome: closed ? row.outcome : null,
    closedAt: row.closed_at,
    early: row.early,
    closeReason: row.close_reason,
    streamVersion: Number(row.stream_version),
    position: row.position,
    resultsVisible,
  };
}

export const stanceToGraphql = (stance: Stance): Uppercase<Stance> => stance.toUpperCase() as Uppercase<Stance>;
export const stanceFromGraphql = (stance: string): string => stance.toLowerCase();
