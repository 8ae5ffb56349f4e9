import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { Actor } from '@kyogi/domain/shared/decider';
import type { Terms, TermsChange } from '@kyogi/domain/talent/arrangements.events';
import type { CostTable } from '@kyogi/domain/talent/cost-split';
import { READ_DB } from '../../platform/tokens';
import {
  ARRANGEMENT_SELECT,
  toArrangementView,
  toCostTableView,
  toTermsView,
  type TalentArrangementRow,
  type TalentArrangementView,
  type TalentConsentView,
  type TalentParticipantView,
  type TalentTermsVersionView,
} from '../talent.view';

/** One arrangement; every signed-in role may see it (its candidates only the organisers: see the field resolver). */
export class GetTalentArrangementQuery {
  constructor(
    readonly id: string,
    readonly actor: Actor,
  ) {}
}

@QueryHandler(GetTalentArrangementQuery)
export class GetTalentArrangementHandler implements IQueryHandler<GetTalentArrangementQuery, TalentArrangementView | null> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ id, actor }: GetTalentArrangementQuery): Promise<TalentArrangementView | null> {
    if (actor.roles.length === 0) return null;
    const { rows } = await this.db.query<TalentArrangementRow>(`${ARRANGEMENT_SELECT} WHERE a.arrangement_id = $1`, [id]);
    return rows[0] ? toArrangementView(rows[0]) : null;
  }
}

/** The current version's participants, in terms order. */
export class GetTalentParticipantsQuery {
  constructor(readonly arrangementId: string) {}
}

@QueryHandler(GetTalentParticipantsQuery)
export class GetTalentParticipantsHandler implements IQueryHandler<GetTalentParticipantsQuery, TalentParticipantView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ arrangementId }: GetTalentParticipantsQuery): Promise<TalentParticipantView[]> {
    const { rows } = await this.db.query<{
      organisation_id: string;
      prefecture_code: string | null;
      population: string | null;
      days_per_month: number;
      weight: string;
      share_yen: string;
      subsidy_yen: string;
      net_yen: string;
      answer: 'consented' | 'declined' | null;
      answer_reason: string | null;
      answered_by_person_id: string | null;
      answered_at: Date | null;
    }>(
      `SELECT organisation_id, prefecture_code, population, days_per_month, weight, share_yen, subsidy_yen, net_yen, answer, answer_reason,
              answered_by_person_id, answered_at
         FROM read_models.talent_participants WHERE arrangement_id = $1 ORDER BY ordinal`,
      [arrangementId],
    );
    return rows.map((r) => ({
      organisationId: r.organisation_id,
      prefectureCode: r.prefecture_code,
      population: r.population === null ? null : Number(r.population),
      daysPerMonth: r.days_per_month,
      weight: Number(r.weight),
      shareYen: Number(r.share_yen),
      subsidyYen: Number(r.subsidy_yen),
      netYen: Number(r.net_yen),
      answer: r.answer === null ? null : r.answer === 'consented' ? 'CONSENTED' : 'DECLINED',
      answerReason: r.answer_reason,
      answeredByPersonId: r.answered_by_person_id,
      answeredAt: r.answered_at,
    }));
  }
}

/** Every terms version, oldest first, with each participant's latest answer to it. */
export class GetTalentTermsHistoryQuery {
  constructor(
    readonly arrangementId: string,
    readonly currentVersion: number,
  ) {}
}

@QueryHandler(GetTalentTermsHistoryQuery)
export class GetTalentTermsHistoryHandler implements IQueryHandler<GetTalentTermsHistoryQuery, TalentTermsVersionView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ arrangementId, currentVersion }: GetTalentTermsHistoryQuery): Promise<TalentTermsVersionView[]> {
    const versions = await this.db.query<{
      terms_version: number;
      terms: Terms;
      cost_table: CostTable;
      changes: TermsChange[];
      joined_organisation_ids: string[];
      left_organisation_ids: string[];
      voided_consents: string[];
      reason: string | null;
      created_by_person_id: string;
      created_by_organisation_id: string;
      created_at: Date;
      agreed_at: Date | null;
    }>(
      `SELECT terms_version, terms, cost_table, changes, joined_organisation_ids, left_organisation_ids, voided_consents, reason, created_by_person_id,
              created_by_organisation_id, created_at, agreed_at
         FROM read_models.talent_terms_versions WHERE arrangement_id = $1 ORDER BY terms_version`,
      [arrangementId],
    );
    const consents = await this.db.query<{
      terms_version: number;
      organisation_id: string;
      answer: 'consented' | 'declined';
      reason: string | null;
      answered_by_person_id: string;
      answered_at: Date;
    }>(
      `SELECT c.terms_version, c.organisation_id, c.answer, c.reason, c.answered_by_person_id, c.answered_at
         FROM read_models.talent_consents c WHERE c.arrangement_id = $1 ORDER BY c.terms_version, c.answered_at, c.organisation_id`,
      [arrangementId],
    );
    const byVersion = new Map<number, TalentConsentView[]>();
    for (const c of consents.rows) {
      const list = byVersion.get(c.terms_version) ?? [];
      list.push({
        organisationId: c.organisation_id,
        termsVersion: c.terms_version,
        answer: c.answer === 'consented' ? 'CONSENTED' : 'DECLINED',
        reason: c.reason,
        answeredByPersonId: c.answered_by_person_id,
        answeredAt: c.answered_at,
        current: c.terms_version === currentVersion,
      });
      byVersion.set(c.terms_version, list);
    }
    return versions.rows.map((v) => ({
      version: v.terms_version,
      terms: toTermsView(v.terms),
      costTable: toCostTableView(v.cost_table),
      changes: v.changes.map((change) => change.toUpperCase() as Uppercase<TermsChange>),
      joinedOrganisationIds: v.joined_organisation_ids,
      leftOrganisationIds: v.left_organisation_ids,
      voidedConsents: v.voided_consents,
      reason: v.reason,
      createdByPersonId: v.created_by_person_id,
      createdByOrganisationId: v.created_by_organisation_id,
      createdAt: v.created_at,
      agreedAt: v.agreed_at,
      consents: byVersion.get(v.terms_version) ?? [],
    }));
  }
}

export interface TalentProblemView {
  readonly problemId: string;
  readonly organisationId: string;
  readonly text: string;
  readonly listedByPersonId: string;
  readonly listedAt: Date;
}

/** 課題の特定: by participant (in the current terms' order; former participants last), then as listed. */
export class GetTalentProblemsQuery {
  constructor(readonly arrangementId: string) {}
}

@QueryHandler(GetTalentProblemsQuery)
export class GetTalentProblemsHandler implements IQueryHandler<GetTalentProblemsQuery, TalentProblemView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ arrangementId }: GetTalentProblemsQuery): Promise<TalentProblemView[]> {
    const { rows } = await this.db.query<{ problem_id: string; organisation_id: string; text: string; listed_by_person_id: string; listed_at: Date }>(
      `SELECT pr.problem_id, pr.organisation_id, pr.text, pr.listed_by_person_id, pr.listed_at
         FROM read_models.talent_problems pr
         LEFT JOIN read_models.talent_participants p ON p.arrangement_id = pr.arrangement_id AND p.organisation_id = pr.organisation_id
        WHERE pr.arrangement_id = $1 ORDER BY p.ordinal NULLS LAST, pr.organisation_id, pr.ordinal`,
      [arrangementId],
    );
    return rows.map((r) => ({
      problemId: r.problem_id,
      organisationId: r.organisation_id,
      text: r.text,
      listedByPersonId: r.listed_by_person_id,
      listedAt: r.listed_at,
    }));
  }
}

export interface TalentCandidateView {
  readonly candidateId: string;
  readonly name: string;
  readonly reference: string;
  readonly selected: boolean;
  readonly addedByPersonId: string;
  readonly addedAt: Date;
}

/** Candidates, as added. Personal data: the caller checks talent.readCandidates first. */
export class GetTalentCandidatesQuery {
  constructor(readonly arrangementId: string) {}
}

@QueryHandler(GetTalentCandidatesQuery)
export class GetTalentCandidatesHandler implements IQueryHandler<GetTalentCandidatesQuery, TalentCandidateView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ arrangementId }: GetTalentCandidatesQuery): Promise<TalentCandidateView[]> {
    const { rows } = await this.db.query<{
      candidate_id: string;
      name: string;
      reference: string;
      selected: boolean;
      added_by_person_id: string;
      added_at: Date;
    }>(
      `SELECT candidate_id, name, reference, selected, added_by_person_id, added_at
         FROM read_models.talent_candidates WHERE arrangement_id = $1 ORDER BY added_at, candidate_id`,
      [arrangementId],
    );
    return rows.map((r) => ({
      candidateId: r.candidate_id,
      name: r.name,
      reference: r.reference,
      selected: r.selected,
      addedByPersonId: r.added_by_person_id,
      addedAt: r.added_at,
    }));
  }
}

export interface TalentChecklistItemView {
  readonly itemId: string;
  readonly label: string;
  readonly done: boolean;
  readonly completedByPersonId: string | null;
  readonly completedAt: Date | null;
}

export class GetTalentChecklistQuery {
  constructor(readonly arrangementId: string) {}
}

@QueryHandler(GetTalentChecklistQuery)
export class GetTalentChecklistHandler implements IQueryHandler<GetTalentChecklistQuery, TalentChecklistItemView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ arrangementId }: GetTalentChecklistQuery): Promise<TalentChecklistItemView[]> {
    const { rows } = await this.db.query<{ item_id: string; label: string; done: boolean; completed_by_person_id: string | null; completed_at: Date | null }>(
      `SELECT item_id, label, done, completed_by_person_id, completed_at FROM read_models.talent_checklist WHERE arrangement_id = $1 ORDER BY ordinal`,
      [arrangementId],
    );
    return rows.map((r) => ({
      itemId: r.item_id,
      label: r.label,
      done: r.done,
      completedByPersonId: r.completed_by_person_id,
      completedAt: r.completed_at,
    }));
  }
}
