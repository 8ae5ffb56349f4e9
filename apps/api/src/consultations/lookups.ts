import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DomainError } from '@kyogi/domain/shared/decider';
import type { MandateLookup } from '@kyogi/domain/consultations/consultations.commands';
import type { Weighting } from '@kyogi/domain/consultations/consultations.events';
import type { ElectorateMember } from '@kyogi/domain/consultations/tally';
import { READ_DB } from '../platform/tokens';
import type { ElectorateInput, PopulationFigure } from '../graphql/generated/schema-types';

/**
 * The lookups of the consultation commands, read from the read models (never from the
 * consultation's stream: the one read of the stream per command is decideAndAppend's).
 */
@Injectable()
export class ConsultationLookups {
  private mandatesTable: boolean | undefined;

  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  /**
   * The electorate: explicit organisations (in the order given) or a rule, resolved from
   * read_models.organisations, active organisations only; weights 1 for EQUAL, or the supplied
   * population figures for POPULATION.
   */
  async electorate(
    input: ElectorateInput,
    weighting: Weighting,
    populations: readonly PopulationFigure[] | null | undefined,
  ): Promise<ElectorateMember[] | DomainError> {
    let ids: string[];
    const explicit = input.organisations ?? null;
    if ((explicit === null) === (input.rule === null || input.rule === undefined))
      return new DomainError('INVALID_ELECTORATE', 'Give exactly one of electorate.organisations or electorate.rule.', 'electorate');
    if (explicit !== null) {
      const { rows } = await this.db.query<{ id: string; active: boolean }>('SELECT id, active FROM read_models.organisations WHERE id = ANY($1::text[])', [
        explicit,
      ]);
      const known = new Map(rows.map((r) => [r.id, r.active]));
      const unknown = explicit.find((id) => !known.has(id));
      if (unknown !== undefined) return new DomainError('ORGANISATION_NOT_FOUND', `Organisation ${unknown} does not exist.`, 'electorate.organisations');
      ids = explicit.filter((id) => known.get(id) === true);
    } else if (input.rule === 'ALL_MUNICIPALITIES_OF_PREFECTURE') {
      if (!input.prefectureCode)
        return new DomainError('PREFECTURE_REQUIRED', 'ALL_MUNICIPALITIES_OF_PREFECTURE needs a prefectureCode.', 'electorate.prefectureCode');
      const { rows } = await this.db.query<{ id: string }>(
        `SELECT id FROM read_models.organisations WHERE kind = 'municipality' AND prefecture_code = $1 AND active ORDER BY code NULLS LAST, id`,
        [input.prefectureCode],
      );
      ids = rows.map((r) => r.id);
    } else {
      const { rows } = await this.db.query<{ id: string }>(
        `SELECT id FROM read_models.organisations WHERE kind = 'prefecture' AND active ORDER BY code NULLS LAST, id`,
      );
      ids = rows.map((r) => r.id);
    }
    if (weighting === 'equal') return ids.map((organisationId) => ({ organisationId, weight: 1 }));
    const figures = new Map((populations ?? []).map((p) => [p.organisationId, p.population]));
    const missing = ids.find((id) => !figures.has(id));
    if (missing !== undefined) return new DomainError('POPULATION_REQUIRED', `POPULATION weighting needs a population for ${missing}.`, 'populations');
    return ids.map((organisationId) => ({ organisationId, weight: figures.get(organisationId)! }));
  }

  /**
   * A mandate valid at `now` from `grantorOrganisationId` to `granteeOrganisationId`, for this
   * consultation or for its spec's domain — from read_models.mandates when that read model
   * exists; null otherwise.
   */
  async mandate(granteeOrganisationId: string, grantorOrganisationId: string, consultationId: string, now: Date): Promise<MandateLookup | null> {
    if (!(await this.hasMandates())) return null;
    const { rows } = await this.db.query<{ mandate_id: string; grantor_organisation_id: string }>(
      `SELECT m.mandate_id, m.grantor_organisation_id FROM read_models.mandates m
        WHERE m.grantee_organisation_id = $1 AND m.grantor_organisation_id = $2 AND NOT m.revoked AND m.expires_at > $4
          AND (m.consultation_id = $3
               OR (m.scope_kind = 'domain' AND m.domain = (SELECT s.domain FROM read_models.specs s JOIN read_models.consultations c ON c.spec_id = s.spec_id
                                                            WHERE c.consultation_id = $3)))
        ORDER BY m.expires_at DESC LIMIT 1`,
      [granteeOrganisationId, grantorOrganisationId, consultationId, now],
    );
    return rows[0] ? { mandateId: rows[0].mandate_id, grantorOrganisationId: rows[0].grantor_organisation_id } : null;
  }

  /** For approving a draft made under a mandate: that mandate if still valid at `now`, else null (also for drafts the read model does not have yet). */
  async draftMandate(consultationId: string, draftId: string, now: Date): Promise<MandateLookup | null> {
    const { rows } = await this.db.query<{ mandate_id: string | null }>(
      'SELECT mandate_id FROM read_models.consultation_drafts WHERE consultation_id = $1 AND draft_id = $2',
      [consultationId, draftId],
    );
    const mandateId = rows[0]?.mandate_id ?? null;
    if (mandateId === null || !(await this.hasMandates())) return null;
    const found = await this.db.query<{ grantor_organisation_id: string }>(
      'SELECT grantor_organisation_id FROM read_models.mandates WHERE mandate_id = $1 AND NOT revoked AND expires_at > $2',
      [mandateId, now],
    );
    return found.rows[0] ? { mandateId, grantorOrganisationId: found.rows[0].grantor_organisation_id } : null;
  }

  /** Whether the mandates read model exists (built by the mandates context); checked until it does. */
  private async hasMandates(): Promise<boolean> {
    if (this.mandatesTable) return true;
    const { rows } = await this.db.query<{ found: boolean }>("SELECT to_regclass('read_models.mandates') IS NOT NULL AS found");
    this.mandatesTable = rows[0].found;
    return this.mandatesTable;
  }
}
