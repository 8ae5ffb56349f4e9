import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { Actor } from '@kyogi/domain/shared/decider';
import type { Stance } from '@kyogi/domain/consultations/tally';
import { READ_DB } from '../../platform/tokens';
import { CONSULTATION_COLUMNS, stanceToGraphql, toConsultationView, type ConsultationRow, type ConsultationView } from '../consultation.view';

/** One consultation; every signed-in role may see it (its tally only when the results are visible). */
export class GetConsultationQuery {
  constructor(
    readonly id: string,
    readonly actor: Actor,
  ) {}
}

@QueryHandler(GetConsultationQuery)
export class GetConsultationHandler implements IQueryHandler<GetConsultationQuery, ConsultationView | null> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ id, actor }: GetConsultationQuery): Promise<ConsultationView | null> {
    if (actor.roles.length === 0) return null;
    const { rows } = await this.db.query<ConsultationRow>(`SELECT ${CONSULTATION_COLUMNS} FROM read_models.consultations WHERE consultation_id = $1`, [id]);
    return rows[0] ? toConsultationView(rows[0]) : null;
  }
}

export interface NonRespondentView {
  readonly organisationId: string;
  readonly prefectureCode: string | null;
  readonly weight: number;
}

/** Organisations of the electorate without an official stance, by prefecture, then electorate order. */
export class GetNonRespondentsQuery {
  constructor(
    readonly consultationId: string,
    readonly prefectureCode: string | null,
  ) {}
}

@QueryHandler(GetNonRespondentsQuery)
export class GetNonRespondentsHandler implements IQueryHandler<GetNonRespondentsQuery, NonRespondentView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ consultationId, prefectureCode }: GetNonRespondentsQuery): Promise<NonRespondentView[]> {
    const { rows } = await this.db.query<{ organisation_id: string; prefecture_code: string | null; weight: string }>(
      `SELECT organisation_id, prefecture_code, weight FROM read_models.consultation_electorate
        WHERE consultation_id = $1 AND stance IS NULL AND ($2::text IS NULL OR prefecture_code = $2)
        ORDER BY prefecture_code NULLS LAST, ordinal`,
      [consultationId, prefectureCode],
    );
    return rows.map((r) => ({ organisationId: r.organisation_id, prefectureCode: r.prefecture_code, weight: Number(r.weight) }));
  }
}

export interface OfficialStanceView {
  readonly organisationId: string;
  readonly prefectureCode: string | null;
  readonly weight: number;
  readonly stance: Uppercase<Stance>;
  readonly reason: string | null;
  readonly draftId: string;
  readonly castByOrganisationId: string;
  readonly mandateId: string | null;
  readonly castAt: Date;
}

/** Current official stances; `onlyOf` set: only those of (or cast by) that organisation. */
export class GetStancesQuery {
  constructor(
    readonly consultationId: string,
    readonly onlyOf: string | null,
  ) {}
}

@QueryHandler(GetStancesQuery)
export class GetStancesHandler implements IQueryHandler<GetStancesQuery, OfficialStanceView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ consultationId, onlyOf }: GetStancesQuery): Promise<OfficialStanceView[]> {
    const { rows } = await this.db.query<{
      organisation_id: string;
      prefecture_code: string | null;
      weight: string;
      stance: Stance;
      reason: string | null;
      draft_id: string;
      cast_by_organisation_id: string;
      mandate_id: string | null;
      cast_at: Date;
    }>(
      `SELECT organisation_id, prefecture_code, weight, stance, reason, draft_id, cast_by_organisation_id, mandate_id, cast_at
         FROM read_models.consultation_electorate
        WHERE consultation_id = $1 AND stance IS NOT NULL AND ($2::text IS NULL OR organisation_id = $2 OR cast_by_organisation_id = $2)
        ORDER BY prefecture_code NULLS LAST, ordinal`,
      [consultationId, onlyOf],
    );
    return rows.map((r) => ({
      organisationId: r.organisation_id,
      prefectureCode: r.prefecture_code,
      weight: Number(r.weight),
      stance: stanceToGraphql(r.stance),
      reason: r.reason,
      draftId: r.draft_id,
      castByOrganisationId: r.cast_by_organisation_id,
      mandateId: r.mandate_id,
      castAt: r.cast_at,
    }));
  }
}

/** The drafts made by one organisation (for itself or under a mandate), newest first. */
export class GetDraftsQuery {
  constructor(
    readonly consultationId: string,
    readonly castByOrganisationId: string,
  ) {}
}

@QueryHandler(GetDraftsQuery)
export class GetDraftsHandler implements IQueryHandler<GetDraftsQuery, unknown[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ consultationId, castByOrganisationId }: GetDraftsQuery): Promise<unknown[]> {
    const { rows } = await this.db.query<{
      draft_id: string;
      organisation_id: string;
      cast_by_organisation_id: string;
      mandate_id: string | null;
      stance: Stance;
      reason: string | null;
      drafted_by_person_id: string;
      drafted_at: Date;
      approved: boolean;
    }>(
      `SELECT draft_id, organisation_id, cast_by_organisation_id, mandate_id, stance, reason, drafted_by_person_id, drafted_at, approved
         FROM read_models.consultation_drafts WHERE consultation_id = $1 AND cast_by_organisation_id = $2 ORDER BY drafted_at DESC, draft_id`,
      [consultationId, castByOrganisationId],
    );
    return rows.map((r) => ({
      draftId: r.draft_id,
      organisationId: r.organisation_id,
      castByOrganisationId: r.cast_by_organisation_id,
      mandateId: r.mandate_id,
      stance: stanceToGraphql(r.stance),
      reason: r.reason,
      draftedByPersonId: r.drafted_by_person_id,
      draftedAt: r.drafted_at,
      approved: r.approved,
    }));
  }
}
