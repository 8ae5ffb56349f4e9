/** The shapes the consultation pages read (a subset of schema/consultations.graphql and ladders.graphql). */
export type StanceKind = 'APPROVE' | 'OBJECT' | 'ABSTAIN' | 'BLOCK';
export const STANCES: readonly StanceKind[] = ['APPROVE', 'OBJECT', 'ABSTAIN', 'BLOCK'];
/** Object and block need a reason (the decider's REASON_REQUIRED). */
export const NEEDS_REASON: ReadonlySet<StanceKind> = new Set(['OBJECT', 'BLOCK']);

export interface StanceCounts {
  approve: number;
  object: number;
  abstain: number;
  block: number;
}

export interface TallyNode {
  weights: StanceCounts;
  counts: StanceCounts;
  participatingWeight: number;
  participatingCount: number;
  totalWeight: number;
  electorateCount: number;
}

export interface OutcomeNode {
  quorumMet: boolean;
  thresholdMet: boolean;
  blocked: boolean;
  passed: boolean;
}

export interface RulesNode {
  weighting: 'EQUAL' | 'POPULATION';
  quorumPercent: number;
  thresholdPercent: number;
  thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT' | 'APPROVE_OF_ALL_CAST';
  blockVetoes: boolean;
}

export interface NonRespondentNode {
  organisationId: string;
  prefectureCode: string | null;
  weight: number;
  organisation: { name: string } | null;
}

export interface StanceNode {
  organisationId: string;
  prefectureCode: string | null;
  weight: number;
  stance: StanceKind;
  reason: string | null;
  castByOrganisationId: string;
  mandateId: string | null;
  castAt: string;
}

export interface DraftNode {
  draftId: string;
  organisationId: string;
  castByOrganisationId: string;
  mandateId: string | null;
  stance: StanceKind;
  reason: string | null;
  draftedByPersonId: string;
  draftedAt: string;
  approved: boolean;
}

export interface LadderRoundNode {
  consultationId: string;
  prefectureId: string | null;
  outcome: OutcomeNode | null;
}

export interface LadderStageNode {
  stage: number;
  kind: 'PREFECTURAL_ROUNDS' | 'PREFECTURES_ROUND' | 'NATIONAL_DECISION';
  status: 'PENDING' | 'OPEN' | 'CLOSED' | 'DECIDED';
  prefectureIds: string[] | null;
  openedAt: string | null;
  closedAt: string | null;
  rounds: LadderRoundNode[];
}

export interface LadderNode {
  id: string;
  status: 'RUNNING' | 'DECIDED';
  currentStage: number | null;
  stages: LadderStageNode[];
  decision: 'ACCEPT' | 'REJECT' | null;
  rationale: string | null;
  decidedAt: string | null;
}

export interface ConsultationNode {
  id: string;
  proposalId: string;
  specId: string;
  openedByOrganisationId: string;
  openedAt: string;
  closesAt: string;
  resultsHidden: boolean;
  status: 'OPEN' | 'CLOSED';
  electorateCount: number;
  rules: RulesNode;
  tally: TallyNode | null;
  outcome: OutcomeNode | null;
  closedAt: string | null;
  early: boolean | null;
  closeReason: string | null;
  nonRespondents: NonRespondentNode[];
  stances: StanceNode[];
  myDrafts: DraftNode[];
  ladderId: string | null;
  ladderStage: number | null;
  ladder: LadderNode | null;
  asOf?: string | null;
  position: string;
}

const COUNTS = 'approve object abstain block';
export const TALLY_FIELDS = `tally { weights { ${COUNTS} } counts { ${COUNTS} } participatingWeight participatingCount totalWeight electorateCount }`;
export const OUTCOME_FIELDS = 'outcome { quorumMet thresholdMet blocked passed }';

export const CONSULTATION_FIELDS = `id proposalId specId openedByOrganisationId openedAt closesAt resultsHidden status electorateCount
  rules { weighting quorumPercent thresholdPercent thresholdBasis blockVetoes }
  ${TALLY_FIELDS} ${OUTCOME_FIELDS} closedAt early closeReason
  nonRespondents { organisationId prefectureCode weight organisation { name } }
  stances { organisationId prefectureCode weight stance reason castByOrganisationId mandateId castAt }
  myDrafts { draftId organisationId castByOrganisationId mandateId stance reason draftedByPersonId draftedAt approved }
  ladderId ladderStage
  ladder { id status currentStage decision rationale decidedAt
    stages { stage kind status prefectureIds openedAt closedAt rounds { consultationId prefectureId ${OUTCOME_FIELDS} } } }
  position`;

export const CONSULTATION_QUERY = `query Consultation($id: ID!, $waitFor: Position) {
  consultation(id: $id, waitFor: $waitFor) { ${CONSULTATION_FIELDS} }
}`;

export const PROPOSAL_TITLE_QUERY = 'query ProposalTitle($id: ID!) { proposal(id: $id) { id title } }';
