/**
 * A proposal on 住民記録システム標準仕様書 4.0 and comments on it, for the matrix specs (test
 * data only: imported by *.spec.ts).
 */
import type { Actor } from '@kyogi/domain/shared/decider';
import type { ProposalChange } from '@kyogi/domain/proposals/proposals.events';
import { JUMIN_KIROKU_REQUIREMENTS } from '@kyogi/domain/specs-import/jumin-kiroku.sample';
import type { CommentView, DispositionView } from '../comments/comment.view';

const requirement = (id: string) => JUMIN_KIROKU_REQUIREMENTS.find((r) => r.requirementId === id)!;

export const REQUIREMENTS = new Map(JUMIN_KIROKU_REQUIREMENTS.map((r) => [r.requirementId, { title: r.title, text: r.text }]));

/** Revision 1 changed 1.2.1 too; revision 2 (current) dropped that change. */
export const REVISION_1: ProposalChange[] = [
  {
    changeId: 'C-121',
    kind: 'modify',
    requirementId: '1.2.1',
    requirementTitle: requirement('1.2.1').title,
    before: requirement('1.2.1').text,
    after: '転入届、転居届、転出届及び世帯変更届を電子申請でも受け付けられること。',
    reason: '電子申請への対応',
  },
];

export const CHANGES: ProposalChange[] = [
  {
    changeId: 'C-213',
    kind: 'modify',
    requirementId: '2.1.3',
    requirementTitle: requirement('2.1.3').title,
    before: requirement('2.1.3').text,
    after: '住民票の写し（世帯全員、世帯の一部）を交付できること。\n本籍・筆頭者、続柄、住民票コード、旧氏等の記載の有無を「省略」「記載」から選択できること。',
    reason: '旧氏の記載の有無を選択できる必要があるため',
  },
  {
    changeId: 'C-991',
    kind: 'delete',
    requirementId: '9.9.1',
    requirementTitle: requirement('9.9.1').title,
    before: requirement('9.9.1').text,
    after: null,
    reason: '独自帳票の禁止は別の文書で定めるため',
  },
  {
    changeId: 'C-322',
    kind: 'add',
    requirementId: '3.2.2',
    requirementTitle: null,
    before: null,
    after: '旧氏の削除の請求を受け付けられること。',
    reason: '旧氏の削除手続に対応するため',
  },
];

export const PROPOSAL = { proposalId: '01JMATRIXPROPOSAL0000000001', specId: 'juminkiroku', version: '4.0', title: '旧氏の記載の選択', revision: 2 };

export const SAPPORO: Actor = { personId: 'p-sapporo', organisationId: '011002', organisationKind: 'municipality', roles: ['member'] };
export const LABELS: Record<string, string> = { '011002': '北海道札幌市', '133078': '東京都檜原村', 'digital-agency': 'デジタル庁' };

let sequence = 0;
export function comment(overrides: Partial<CommentView> = {}): CommentView {
  sequence += 1;
  const id = overrides.id ?? `01JCOMMENT${String(sequence).padStart(16, '0')}`;
  return {
    id,
    proposalId: PROPOSAL.proposalId,
    specId: PROPOSAL.specId,
    specVersion: PROPOSAL.version,
    anchor: { kind: 'CHANGE', changeId: 'C-213', requirementId: null },
    quote: null,
    parentCommentId: null,
    threadId: id,
    body: 'ご意見',
    edition: 1,
    editions: [],
    authorPersonId: 'p-1',
    authorDisplayName: null,
    authorOrganisationId: '011002',
    status: 'POSTED',
    retractionReason: null,
    retractedAt: null,
    disposition: null,
    dispositionHistory: [],
    reactions: { agree: 0, disagree: 0, byOrganisation: [], byPerson: [] },
    myReaction: null,
    replies: [],
    postedAt: new Date('2025-04-01T00:00:00Z'),
    updatedAt: new Date('2025-04-01T00:00:00Z'),
    streamVersion: 0,
    position: '0',
    ...overrides,
  };
}

export const disposition = (label: DispositionView['label'], answer: string): DispositionView => ({
  code: 'ADDRESS_WITH_CHANGES',
  label,
  answer,
  revision: 1,
  disposedByPersonId: 'p-da',
  disposedByOrganisationId: 'digital-agency',
  disposedAt: new Date('2025-04-02T00:00:00Z'),
});
