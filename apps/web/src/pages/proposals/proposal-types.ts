/** The shapes the proposal pages read (a subset of schema/proposals.graphql). */
export type ChangeKind = 'ADD' | 'MODIFY' | 'DELETE';
export type DispositionCode = 'ADDRESS' | 'ADDRESS_WITH_CHANGES' | 'CONSIDER_LATER' | 'NOT_ADDRESS' | 'ANSWER_ONLY';
export const DISPOSITION_CODES: readonly DispositionCode[] = ['ADDRESS', 'ADDRESS_WITH_CHANGES', 'CONSIDER_LATER', 'NOT_ADDRESS', 'ANSWER_ONLY'];

export interface CommentNode {
  id: string;
  anchor: { kind: 'CHANGE' | 'REQUIREMENT'; changeId: string | null; requirementId: string | null };
  quote: { text: string } | null;
  parentCommentId: string | null;
  body: string;
  edition: number;
  authorPersonId: string;
  authorDisplayName: string | null;
  authorOrganisation: { name: string } | null;
  status: 'POSTED' | 'DISPOSED' | 'RETRACTED';
  retractionReason: string | null;
  disposition: { code: DispositionCode; label: string; answer: string; revision: number; disposedAt: string } | null;
  reactions: { agree: number; disagree: number };
  myReaction: 'AGREE' | 'DISAGREE' | null;
  postedAt: string;
  replies?: CommentNode[];
}

const COMMENT_FIELDS = `id anchor { kind changeId requirementId } quote { text } parentCommentId body edition authorPersonId authorDisplayName
  authorOrganisation { name } status retractionReason disposition { code label answer revision disposedAt }
  reactions { agree disagree } myReaction postedAt`;

/** Threads to a fixed depth (GraphQL has no recursion): deeper replies are shown flat at the last level. */
export const COMMENT_TREE = `${COMMENT_FIELDS} replies { ${COMMENT_FIELDS} replies { ${COMMENT_FIELDS} replies { ${COMMENT_FIELDS} } } }`;

export interface ChangeDiffNode {
  changeId: string;
  kind: ChangeKind;
  requirementId: string;
  requirementTitle: string | null;
  before: string;
  after: string;
  reason: string;
}

export interface ProposalNode {
  id: string;
  title: string;
  status: string;
  specId: string;
  specVersion: string;
  spec: { title: string; ownerOrganisationId: string } | null;
  authorOrganisationId: string;
  authorOrganisation: { name: string } | null;
  currentRevision: number;
  draftedAt: string;
  submittedAt: string | null;
  updatedAt: string;
  decision: { outcome: string; rationale: string; revision: number; decidedAt: string } | null;
  withdrawal: { reason: string; withdrawnAt: string } | null;
  incorporatedInVersion: string | null;
  revisions: { revision: number; title: string; revisedAt: string }[];
  diff: { changes: ChangeDiffNode[] };
  comments: CommentNode[];
}

export const PROPOSAL_QUERY = `query Proposal($id: ID!, $waitFor: Position) {
  proposal(id: $id, waitFor: $waitFor) {
    id title status specId specVersion spec { title ownerOrganisationId } authorOrganisationId authorOrganisation { name }
    currentRevision draftedAt submittedAt updatedAt
    decision { outcome rationale revision decidedAt }
    withdrawal { reason withdrawnAt }
    incorporatedInVersion
    revisions { revision title revisedAt }
    diff { changes { changeId kind requirementId requirementTitle before after reason } }
    comments { ${COMMENT_TREE} }
  }
}`;
