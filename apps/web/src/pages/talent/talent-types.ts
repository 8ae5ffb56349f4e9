/** The shapes the talent pages read (a subset of schema/talent.graphql). Money is whole yen, carried as a JSON number. */
export type SplitRule = 'EQUAL' | 'POPULATION' | 'ALLOTTED_DAYS';
export const SPLIT_RULES: readonly SplitRule[] = ['EQUAL', 'POPULATION', 'ALLOTTED_DAYS'];
export type TalentPhase = 'PROBLEMS' | 'REQUIREMENTS' | 'SELECTION' | 'ONBOARDING' | 'ACTIVE' | 'ENDED';
export const PHASES: readonly TalentPhase[] = ['PROBLEMS', 'REQUIREMENTS', 'SELECTION', 'ONBOARDING', 'ACTIVE', 'ENDED'];
export type TermsAnswer = 'CONSENTED' | 'DECLINED';

export interface CostShareNode {
  organisationId: string;
  organisation: { name: string } | null;
  weight: number;
  shareYen: number;
  subsidyYen: number;
  netYen: number;
}

export interface CostTableNode {
  splitRule: SplitRule;
  annualCostYen: number;
  subsidyPercent: number;
  subsidyTotalYen: number;
  netTotalYen: number;
  shares: CostShareNode[];
}

export const COST_TABLE_FIELDS =
  'splitRule annualCostYen subsidyPercent subsidyTotalYen netTotalYen shares { organisationId organisation { name } weight shareYen subsidyYen netYen }';

export interface TermsParticipantNode {
  organisationId: string;
  prefectureCode: string | null;
  population: number | null;
  daysPerMonth: number;
}

export interface TermsNode {
  startDate: string;
  endDate: string;
  annualCostYen: number;
  hostOrganisationId: string;
  participants: TermsParticipantNode[];
  splitRule: SplitRule;
  subsidyPercent: number;
}

export interface ConsentNode {
  organisationId: string;
  termsVersion: number;
  answer: TermsAnswer;
  reason: string | null;
  answeredAt: string;
  current: boolean;
}

export interface TermsVersionNode {
  version: number;
  terms: TermsNode;
  changes: string[];
  joinedOrganisationIds: string[];
  leftOrganisationIds: string[];
  voidedConsents: string[];
  reason: string | null;
  createdAt: string;
  agreedAt: string | null;
  consents: ConsentNode[];
}

export interface ParticipantNode {
  organisationId: string;
  organisation: { name: string } | null;
  prefectureCode: string | null;
  population: number | null;
  daysPerMonth: number;
  weight: number;
  shareYen: number;
  subsidyYen: number;
  netYen: number;
  answer: TermsAnswer | null;
  answerReason: string | null;
  answeredAt: string | null;
}

export interface ArrangementNode {
  id: string;
  role: string;
  skills: string[];
  proposerOrganisationId: string;
  proposer: { name: string } | null;
  proposedAt: string;
  phase: TalentPhase;
  termsVersion: number;
  terms: TermsNode;
  costTable: CostTableNode;
  hostOrganisationId: string;
  host: { name: string } | null;
  agreed: boolean;
  agreedTermsVersion: number | null;
  agreedAt: string | null;
  pendingConsents: string[];
  participants: ParticipantNode[];
  termsHistory: TermsVersionNode[];
  problems: { problemId: string; organisationId: string; text: string }[];
  requirements: { requirementId: string; text: string; problemIds: string[] }[];
  checklist: { itemId: string; label: string; done: boolean }[];
  activatedAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  position: string;
  asOf?: string | null;
}

export const ARRANGEMENT_FIELDS = `id role skills proposerOrganisationId proposer { name } proposedAt phase termsVersion
  terms { startDate endDate annualCostYen hostOrganisationId splitRule subsidyPercent participants { organisationId prefectureCode population daysPerMonth } }
  costTable { ${COST_TABLE_FIELDS} }
  hostOrganisationId host { name } agreed agreedTermsVersion agreedAt pendingConsents
  participants { organisationId organisation { name } prefectureCode population daysPerMonth weight shareYen subsidyYen netYen answer answerReason answeredAt }
  termsHistory { version changes joinedOrganisationIds leftOrganisationIds voidedConsents reason createdAt agreedAt
    terms { startDate endDate annualCostYen hostOrganisationId splitRule subsidyPercent participants { organisationId prefectureCode population daysPerMonth } }
    consents { organisationId termsVersion answer reason answeredAt current } }
  problems { problemId organisationId text } requirements { requirementId text problemIds }
  checklist { itemId label done } activatedAt endedAt endReason position`;

/** Whole yen as Japanese offices write it: 5,000,000円 (English: ¥5,000,000). */
export function formatYen(value: number, lang: string): string {
  const digits = Math.round(value).toLocaleString('ja-JP');
  return lang.startsWith('ja') ? `${digits}円` : `¥${digits}`;
}
