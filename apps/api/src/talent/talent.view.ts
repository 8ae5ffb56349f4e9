import type { ArrangementPhase, TalentRequirement, Terms, TermsChange } from '@kyogi/domain/talent/arrangements.events';
import type { CostTable, SplitRule } from '@kyogi/domain/talent/cost-split';

/**
 * Talent arrangements and pools as the GraphQL API shows them: enums upper-case, yen as numbers
 * (whole yen; node-postgres gives bigint columns as strings), dates as `YYYY-MM-DD` strings
 * (selected `::text`: a `date` read as a Date would be local midnight).
 */

export const splitRuleToGraphql = (rule: SplitRule): Uppercase<SplitRule> => rule.toUpperCase() as Uppercase<SplitRule>;
export const splitRuleFromGraphql = (rule: string): SplitRule => rule.toLowerCase() as SplitRule;
export const phaseToGraphql = (phase: ArrangementPhase): Uppercase<ArrangementPhase> => phase.toUpperCase() as Uppercase<ArrangementPhase>;
export const phaseFromGraphql = (phase: string): ArrangementPhase => phase.toLowerCase() as ArrangementPhase;

export interface CostTableView {
  readonly splitRule: Uppercase<SplitRule>;
  readonly annualCostYen: number;
  readonly subsidyPercent: number;
  readonly subsidyTotalYen: number;
  readonly netTotalYen: number;
  readonly shares: readonly { organisationId: string; weight: number; shareYen: number; subsidyYen: number; netYen: number }[];
}

export const toCostTableView = (table: CostTable): CostTableView => ({ ...table, splitRule: splitRuleToGraphql(table.splitRule) });

export interface TermsView extends Omit<Terms, 'splitRule'> {
  readonly splitRule: Uppercase<SplitRule>;
}

export const toTermsView = (terms: Terms): TermsView => ({ ...terms, splitRule: splitRuleToGraphql(terms.splitRule) });

export interface TalentArrangementView {
  readonly id: string;
  readonly role: string;
  readonly skills: readonly string[];
  readonly proposerOrganisationId: string;
  readonly proposerKind: 'MUNICIPALITY' | 'PREFECTURE';
  readonly proposedByPersonId: string;
  readonly proposedAt: Date;
  readonly phase: Uppercase<ArrangementPhase>;
  readonly termsVersion: number;
  readonly terms: TermsView;
  readonly costTable: CostTableView;
  readonly hostOrganisationId: string;
  readonly agreed: boolean;
  readonly agreedTermsVersion: number | null;
  readonly agreedAt: Date | null;
  readonly pendingConsents: readonly string[];
  readonly prefectureCodes: readonly string[];
  readonly requirements: readonly TalentRequirement[];
  readonly selectedCandidateId: string | null;
  readonly activatedAt: Date | null;
  readonly endedAt: Date | null;
  readonly endedEarly: boolean | null;
  readonly endReason: string | null;
  readonly streamVersion: number;
  readonly position: string;
}

export interface TalentArrangementRow {
  arrangement_id: string;
  role: string;
  skills: string[];
  proposer_organisation_id: string;
  proposer_kind: 'municipality' | 'prefecture';
  proposed_by_person_id: string;
  proposed_at: Date;
  phase: ArrangementPhase;
  terms_version: number;
  host_organisation_id: string;
  agreed_terms_version: number | null;
  agreed_at: Date | null;
  prefecture_codes: string[];
  requirements: TalentRequirement[];
  selected_candidate_id: string | null;
  activated_at: Date | null;
  ended_at: Date | null;
  ended_early: boolean | null;
  end_reason: string | null;
  proposed_position: string;
  stream_version: string;
  position: string;
  /** The current version's terms and cost table, as recorded. */
  terms: Terms;
  cost_table: CostTable;
  /** Current participants without a consent to the current version, in terms order. */
  pending: string[];
}

/** From read_models.talent_arrangements `a`, with its current version and pending participants. */
export const ARRANGEMENT_SELECT = `SELECT a.arrangement_id, a.role, a.skills, a.proposer_organisation_id, a.proposer_kind, a.proposed_by_person_id, a.proposed_at,
    a.phase, a.terms_version, a.host_organisation_id, a.agreed_terms_version, a.agreed_at, a.prefecture_codes, a.requirements, a.selected_candidate_id,
    a.activated_at, a.ended_at, a.ended_early, a.end_reason, a.proposed_position, a.stream_version, a.position, v.terms, v.cost_table,
    ARRAY(SELECT p.organisation_id FROM read_models.talent_participants p
           WHERE p.arrangement_id = a.arrangement_id AND p.answer IS DISTINCT FROM 'consented' ORDER BY p.ordinal) AS pending
  FROM read_models.talent_arrangements a
  JOIN read_models.talent_terms_versions v ON v.arrangement_id = a.arrangement_id AND v.terms_version = a.terms_version`;

export function toArrangementView(row: TalentArrangementRow): TalentArrangementView {
  return {
    id: row.arrangement_id,
    role: row.role,
    skills: row.skills,
    proposerOrganisationId: row.proposer_organisation_id,
    proposerKind: row.proposer_kind === 'prefecture' ? 'PREFECTURE' : 'MUNICIPALITY',
    proposedByPersonId: row.proposed_by_person_id,
    proposedAt: row.proposed_at,
    phase: phaseToGraphql(row.phase),
    termsVersion: row.terms_version,
    terms: toTermsView(row.terms),
    costTable: toCostTableView(row.cost_table),
    hostOrganisationId: row.host_organisation_id,
    agreed: row.agreed_terms_version === row.terms_version,
    agreedTermsVersion: row.agreed_terms_version,
    agreedAt: row.agreed_at,
    pendingConsents: row.pending,
    prefectureCodes: row.prefecture_codes,
    requirements: row.requirements,
    selectedCandidateId: row.selected_candidate_id,
    activatedAt: row.activated_at,
    endedAt: row.ended_at,
    endedEarly: row.ended_early,
    endReason: row.end_reason,
    streamVersion: Number(row.stream_version),
    position: row.position,
  };
}

export interface TalentParticipantView {
  readonly organisationId: string;
  readonly prefectureCode: string | null;
  readonly population: number | null;
  readonly daysPerMonth: number;
  readonly weight: number;
  readonly shareYen: number;
  readonly subsidyYen: number;
  readonly netYen: number;
  readonly answer: 'CONSENTED' | 'DECLINED' | null;
  readonly answerReason: string | null;
  readonly answeredByPersonId: string | null;
  readonly answeredAt: Date | null;
}

export interface TalentConsentView {
  readonly organisationId: string;
  readonly termsVersion: number;
  readonly answer: 'CONSENTED' | 'DECLINED';
  readonly reason: string | null;
  readonly answeredByPersonId: string;
  readonly answeredAt: Date;
  readonly current: boolean;
}

export interface TalentTermsVersionView {
  readonly version: number;
  readonly terms: TermsView;
  readonly costTable: CostTableView;
  readonly changes: readonly Uppercase<TermsChange>[];
  readonly joinedOrganisationIds: readonly string[];
  readonly leftOrganisationIds: readonly string[];
  readonly voidedConsents: readonly string[];
  readonly reason: string | null;
  readonly createdByPersonId: string;
  readonly createdByOrganisationId: string;
  readonly createdAt: Date;
  readonly agreedAt: Date | null;
  readonly consents: readonly TalentConsentView[];
}

export interface TalentPoolView {
  readonly id: string;
  readonly name: string;
  readonly prefectureOrganisationId: string;
  readonly openedByPersonId: string;
  readonly openedAt: Date;
  readonly streamVersion: number;
  readonly position: string;
}

export interface TalentPoolRow {
  pool_id: string;
  name: string;
  prefecture_organisation_id: string;
  opened_by_person_id: string;
  opened_at: Date;
  stream_version: string;
  position: string;
}

export const POOL_COLUMNS = 'pool_id, name, prefecture_organisation_id, opened_by_person_id, opened_at, stream_version, position';

export const toPoolView = (row: TalentPoolRow): TalentPoolView => ({
  id: row.pool_id,
  name: row.name,
  prefectureOrganisationId: row.prefecture_organisation_id,
  openedByPersonId: row.opened_by_person_id,
  openedAt: row.opened_at,
  streamVersion: Number(row.stream_version),
  position: row.position,
});

export interface TalentDispatchView {
  readonly dispatchId: string;
  readonly poolId: string;
  readonly poolPersonId: string;
  /** Null unless the caller may read the pool's people (its prefecture, or the organisation served). */
  readonly personName: string | null;
  readonly organisationId: string;
  readonly arrangementId: string;
  readonly daysPerMonth: number;
  readonly startDate: string;
  readonly endDate: string;
  readonly plannedEndDate: string;
  readonly endReason: string | null;
  readonly dispatchedByPersonId: string;
  readonly dispatchedAt: Date;
}
