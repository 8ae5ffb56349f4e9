import type { Pool } from 'pg';
import { DomainError } from '@kyogi/domain/shared/decider';
import type { Stance } from '@kyogi/domain/consultations/tally';
import { CONSULTATION_COLUMNS, toConsultationView, type ConsultationRow } from '../../consultations/consultation.view';
import { japanTime } from '../matrix-columns';
import { organisationLabel, organisationNames, prefectureNames } from '../organisation-names';
import type { ResultSheetData } from './result-sheet';

/**
 * A consultation's result sheet from the read models, for anyone signed in — as the
 * `consultation` query — but the stances of a round whose results are hidden only once it has
 * closed (`resultsVisible`, the rule of Consultation.stances and tally): before that the sheet
 * would be the results, so it is refused (RESULTS_HIDDEN) rather than cut down.
 */
export async function readResultSheet(db: Pool, consultationId: string, exportedAt: Date): Promise<ResultSheetData | DomainError> {
  const { rows } = await db.query<ConsultationRow>(`SELECT ${CONSULTATION_COLUMNS} FROM read_models.consultations WHERE consultation_id = $1`, [
    consultationId,
  ]);
  const row = rows[0];
  if (!row) return new DomainError('NOT_FOUND', `Consultation ${consultationId} does not exist.`);
  const view = toConsultationView(row);
  if (!view.resultsVisible || view.tally === null) {
    return new DomainError(
      'RESULTS_HIDDEN',
      `The results of consultation ${consultationId} are hidden until it closes (${japanTime(view.closesAt)} 日本時間); its result sheet is available then.`,
    );
  }
  const [electorate, proposal, spec, prefectures] = await Promise.all([
    db.query<{
      organisation_id: string;
      weight: string;
      prefecture_code: string | null;
      stance: Stance | null;
      reason: string | null;
      cast_by_organisation_id: string | null;
      mandate_id: string | null;
      cast_at: Date | null;
    }>(
      `SELECT organisation_id, weight, prefecture_code, stance, reason, cast_by_organisation_id, mandate_id, cast_at
         FROM read_models.consultation_electorate WHERE consultation_id = $1 ORDER BY ordinal`,
      [consultationId],
    ),
    db.query<{ title: string }>('SELECT title FROM read_models.proposals WHERE proposal_id = $1', [row.proposal_id]),
    db.query<{ title: string }>('SELECT title FROM read_models.specs WHERE spec_id = $1', [row.spec_id]),
    prefectureNames(db),
  ]);
  const names = await organisationNames(db, [
    row.opened_by_organisation_id,
    ...electorate.rows.flatMap((e) => [e.organisation_id, ...(e.cast_by_organisation_id ? [e.cast_by_organisation_id] : [])]),
  ]);
  const nameOf = (id: string) => names.get(id)?.name ?? id;
  return {
    spec: { specId: row.spec_id, title: spec.rows[0]?.title ?? row.spec_id },
    proposal: { proposalId: row.proposal_id, title: proposal.rows[0]?.title ?? row.proposal_id },
    consultation: {
      consultationId,
      openedByName: organisationLabel(names.get(row.opened_by_organisation_id), row.opened_by_organisation_id),
      status: row.status,
      resultsHidden: row.results_hidden,
      weighting: row.weighting,
      quorumPercent: row.quorum_percent,
      thresholdPercent: row.threshold_percent,
      thresholdBasis: row.threshold_basis,
      blockVetoes: row.block_vetoes,
      openedAt: row.opened_at,
      closesAt: row.closes_at,
      closedAt: row.closed_at,
      early: row.early,
      closeReason: row.close_reason,
      ladderStage: row.stage,
    },
    tally: view.tally,
    outcome: view.outcome,
    rows: electorate.rows.map((e) => ({
      prefectureCode: e.prefecture_code,
      prefectureName: e.prefecture_code === null ? null : (prefectures.get(e.prefecture_code) ?? null),
      organisationId: e.organisation_id,
      organisationCode: names.get(e.organisation_id)?.code ?? null,
      organisationName: nameOf(e.organisation_id),
      weight: Number(e.weight),
      stance: e.stance,
      reason: e.reason,
      castByName: e.stance === null || e.cast_by_organisation_id === null ? null : nameOf(e.cast_by_organisation_id),
      mandateId: e.mandate_id,
      castAt: e.cast_at,
    })),
    exportedAt,
  };
}
