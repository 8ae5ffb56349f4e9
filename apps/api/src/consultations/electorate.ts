import type { Pool } from 'pg';
import { DomainError } from '@kyogi/domain/shared/decider';
import type { Weighting } from '@kyogi/domain/consultations/consultations.events';
import type { ElectorateMember } from '@kyogi/domain/consultations/tally';

export type ElectorateRule = 'ALL_MUNICIPALITIES_OF_PREFECTURE' | 'ALL_PREFECTURES';

export interface ElectorateSpec {
  readonly organisations?: readonly string[] | null;
  readonly rule?: ElectorateRule | null;
  /** The two-digit prefecture code (e.g. '31') for ALL_MUNICIPALITIES_OF_PREFECTURE. */
  readonly prefectureCode?: string | null;
}

export interface PopulationFigureInput {
  readonly organisationId: string;
  readonly population: number;
}

/**
 * The electorate of a round: explicit organisations (in the order given) or a rule, resolved
 * from read_models.organisations, active organisations only; weights 1 for EQUAL, or the supplied
 * population figures for POPULATION. Free of Nest: the ladder runner resolves its rounds with it.
 */
export async function resolveElectorate(
  db: Pick<Pool, 'query'>,
  input: ElectorateSpec,
  weighting: Weighting,
  populations: readonly PopulationFigureInput[] | null | undefined,
  populationsField = 'populations',
): Promise<ElectorateMember[] | DomainError> {
  let ids: string[];
  const explicit = input.organisations ?? null;
  if ((explicit === null) === (input.rule === null || input.rule === undefined))
    return new DomainError('INVALID_ELECTORATE', 'Give exactly one of electorate.organisations or electorate.rule.', 'electorate');
  if (explicit !== null) {
    const { rows } = await db.query<{ id: string; active: boolean }>('SELECT id, active FROM read_models.organisations WHERE id = ANY($1::text[])', [explicit]);
    const known = new Map(rows.map((r) => [r.id, r.active]));
    const unknown = explicit.find((id) => !known.has(id));
    if (unknown !== undefined) return new DomainError('ORGANISATION_NOT_FOUND', `Organisation ${unknown} does not exist.`, 'electorate.organisations');
    ids = explicit.filter((id) => known.get(id) === true);
  } else if (input.rule === 'ALL_MUNICIPALITIES_OF_PREFECTURE') {
    if (!input.prefectureCode)
      return new DomainError('PREFECTURE_REQUIRED', 'ALL_MUNICIPALITIES_OF_PREFECTURE needs a prefectureCode.', 'electorate.prefectureCode');
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM read_models.organisations WHERE kind = 'municipality' AND prefecture_code = $1 AND active ORDER BY code NULLS LAST, id`,
      [input.prefectureCode],
    );
    ids = rows.map((r) => r.id);
  } else {
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM read_models.organisations WHERE kind = 'prefecture' AND active ORDER BY code NULLS LAST, id`,
    );
    ids = rows.map((r) => r.id);
  }
  if (weighting === 'equal') return ids.map((organisationId) => ({ organisationId, weight: 1 }));
  const figures = new Map((populations ?? []).map((p) => [p.organisationId, p.population]));
  const missing = ids.find((id) => !figures.has(id));
  if (missing !== undefined) return new DomainError('POPULATION_REQUIRED', `POPULATION weighting needs a population for ${missing}.`, populationsField);
  return ids.map((organisationId) => ({ organisationId, weight: figures.get(organisationId)! }));
}
