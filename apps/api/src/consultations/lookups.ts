import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DomainError } from '@kyogi/domain/shared/decider';
import type { MandateLookup } from '@kyogi/domain/consultations/consultations.commands';
import type { Weighting } from '@kyogi/domain/consultations/consultations.events';
import type { ElectorateMember } from '@kyogi/domain/consultations/tally';
import { EVENT_STORE, READ_DB } from '../platform/tokens';
import type { EventStore } from '@kyogi/event-store/port';
import { consultationDecider } from '@kyogi/domain/consultations/consultations.decider';
import { currentState } from '../command-handling/decide-and-append';
import type { ElectorateInput, PopulationFigure } from '../graphql/generated/schema-types';
import { resolveElectorate } from './electorate';

/**
 * The lookups of the consultation commands, read from the read models; a draft not projected yet
 * is looked up in the commands' own folded state of the stream (decide-and-append's cache).
 */
@Injectable()
export class ConsultationLookups {
  private mandatesTable: boolean | undefined;

  constructor(
    @Inject(READ_DB) private readonly db: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The electorate of a round: see resolveElectorate. */
  electorate(
    input: ElectorateInput,
    weighting: Weighting,
    populations: readonly PopulationFigure[] | null | undefined,
  ): Promise<ElectorateMember[] | DomainError> {
    return resolveElectorate(this.db, input, weighting, populations);
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
    // A draft made a moment ago may not be projected yet: its own stream says which mandate it was made under.
    const mandateId = rows[0] ? rows[0].mandate_id : await this.draftMandateFromStream(consultationId, draftId);
    if (mandateId === null || !(await this.hasMandates())) return null;
    const found = await this.db.query<{ grantor_organisation_id: string }>(
      'SELECT grantor_organisation_id FROM read_models.mandates WHERE mandate_id = $1 AND NOT revoked AND expires_at > $2',
      [mandateId, now],
    );
    return found.rows[0] ? { mandateId, grantorOrganisationId: found.rows[0].grantor_organisation_id } : null;
  }

  private async draftMandateFromStream(consultationId: string, draftId: string): Promise<string | null> {
    // The commands' folded state of the stream: only events since the last command are read (a hot round holds thousands).
    const state = await currentState(this.store, consultationDecider, consultationId).catch(() => null);
    return state && state.status !== 'unopened' ? (state.drafts.get(draftId)?.mandateId ?? null) : null;
  }

  /** Whether the mandates read model exists (built by the mandates context); checked until it does. */
  private async hasMandates(): Promise<boolean> {
    if (this.mandatesTable) return true;
    const { rows } = await this.db.query<{ found: boolean }>("SELECT to_regclass('read_models.mandates') IS NOT NULL AS found");
    this.mandatesTable = rows[0].found;
    return this.mandatesTable;
  }
}
