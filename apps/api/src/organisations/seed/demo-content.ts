import type { CommandBus } from '@nestjs/cqrs';
import { commentDecider, type CommentState } from '@kyogi/domain/comments/comments.decider';
import type { DisposeComment, ParentCommentFacts, PostComment, ReactToComment } from '@kyogi/domain/comments/comments.commands';
import type { CommentAnchor, CommentEvent } from '@kyogi/domain/comments/comments.events';
import { consultationDecider, type ConsultationState } from '@kyogi/domain/consultations/consultations.decider';
import type { ApproveStance, DraftStance, OpenConsultation } from '@kyogi/domain/consultations/consultations.commands';
import type { ConsultationEvent } from '@kyogi/domain/consultations/consultations.events';
import type { RegisterOrganisationData } from '@kyogi/domain/organisations/organisations.commands';
import { changeTextOf, proposalBaseOf, proposalDecider, type ProposalState } from '@kyogi/domain/proposals/proposals.decider';
import type { DraftProposal, ProposalChangeInput, SubmitProposal } from '@kyogi/domain/proposals/proposals.commands';
import type { ProposalEvent } from '@kyogi/domain/proposals/proposals.events';
import { streamName, type Actor, type Role, type Decider, type DomainCommand, type DomainEvent } from '@kyogi/domain/shared/decider';
import { specDecider } from '@kyogi/domain/specs/specs.decider';
import { talentArrangementDecider, type TalentArrangementState } from '@kyogi/domain/talent/arrangements.decider';
import type { OrganisationLookup, ProposeTalentArrangement } from '@kyogi/domain/talent/arrangements.commands';
import type { TalentArrangementEvent } from '@kyogi/domain/talent/arrangements.events';
import type { EventStore } from '@kyogi/event-store/port';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import type { Clock } from '../../platform/tokens';
import { DEMO_SPEC, DEMO_SPEC_VERSION } from '../../specs/seed/demo-specs';
import { DEMO_CONSULTATION_DAYS, DEMO_CONTENT, DEMO_ELECTORATE, DEMO_TALENT_PARTICIPANTS } from './demo-content-ids';
import { failIfRefused } from './registry-seed';

/** What the content needs of a demo user (demo-seed's DemoUser; passed in, since demo-seed calls this file). */
export interface ContentAuthor {
  readonly personId: string;
  readonly organisationId: string;
  readonly roles: readonly Role[];
}

/** The demo user `personId` as the actor the API would see after demoLogin (roles and organisation kind as registered). */
function actorOf(personId: string, users: readonly ContentAuthor[], organisations: readonly RegisterOrganisationData[]): Actor {
  const user = users.find((u) => u.personId === personId);
  const organisation = user && organisations.find((o) => o.organisationId === user.organisationId);
  if (!user || !organisation) throw new Error(`seed: demo content is written by ${personId}, who is not a demo user of a seeded organisation`);
  return { personId, organisationId: user.organisationId, organisationKind: organisation.kind, roles: user.roles };
}

const MINUTE = 60_000;

/**
 * The demo's living content: 修文案 against 住民記録 4.0 (one still a draft), a comment thread
 * with a reply, a reaction and a disposition, an open 意見照会 with 檜原村's official stance and
 * 札幌市's draft awaiting 決裁, and a 人材シェアリング arrangement just proposed by 北海道. Sent
 * through the CommandBus as the API sends them, as the demo users; the lookups the resolvers read
 * from the read models are taken from the streams and the registry here, since the projections
 * may still be behind. Fixed command ids: a seed cut short resumes without duplicates. Times are
 * the seed's clock plus a few minutes per step, so the content reads like a morning's work.
 */
export async function seedDemoContent(
  commands: CommandBus,
  store: EventStore,
  clock: Clock,
  users: readonly ContentAuthor[],
  organisations: readonly RegisterOrganisationData[],
): Promise<{ commands: number }> {
  const start = clock().getTime();
  let sent = 0;
  const as = (personId: string) => actorOf(personId, users, organisations);
  const [admin, hokkaido, sapporoStaff, sapporoApprover, hinohara, vendor] = [
    'demo-admin',
    'demo-hokkaido',
    'demo-sapporo-staff',
    'demo-sapporo-approver',
    'demo-hinohara',
    'demo-vendor',
  ].map(as);

  /** One command, `minutes` after the seed's clock; a refusal stops the seed naming the step. */
  async function send<S, C extends DomainCommand, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    streamId: string,
    step: string,
    minutes: number,
    actor: Actor,
    command: Pick<C, 'type' | 'data'>,
  ): Promise<void> {
    const full = { ...command, metadata: { commandId: `seed-demo:content:${step}`, now: new Date(start + minutes * MINUTE), actor } } as C;
    failIfRefused(`demo content ${step}`, await commands.execute<DecideCommand, CommandOutcome>(new DecideCommand(decider, streamId, full)));
    sent++;
  }

  // 修文案: the base is the published 4.0 on the Spec stream, as proposalBaseOf builds it.
  const base = proposalBaseOf(await stateOf(store, specDecider, DEMO_SPEC.specId), DEMO_SPEC_VERSION);
  const draft = (step: string, minutes: number, actor: Actor, proposalId: string, title: string, changes: readonly ProposalChangeInput[]) =>
    send<ProposalState, DraftProposal, ProposalEvent>(proposalDecider, proposalId, step, minutes, actor, {
      type: 'DraftProposal',
      data: { proposalId, specId: DEMO_SPEC.specId, version: DEMO_SPEC_VERSION, title, changes, base },
    });
  const submit = (step: string, minutes: number, actor: Actor, proposalId: string) =>
    send<ProposalState, SubmitProposal, ProposalEvent>(proposalDecider, proposalId, step, minutes, actor, { type: 'SubmitProposal', data: { proposalId } });

  const { online, furigana, konbini } = DEMO_CONTENT.proposals;
  await draft('proposal:online:draft', 0, sapporoStaff, online, '異動届のオンライン受付（マイナポータル経由）の記録', [
    {
      changeId: 'c1',
      kind: 'modify',
      requirementId: '1.2.1',
      after:
        '転入届、転居届、転出届及び世帯変更届を受け付け、異動年月日、届出年月日及び届出人を記録できること。\nマイナポータルを経由して電子申請された転出届及び転入予約については、申請日時及び申請の識別番号を併せて記録できること。',
      reason: '転出・転入手続のワンストップ化により、マイナポータル経由の電子申請が増えており、窓口受付と同じ画面で受付経路を確認できる必要があるため。',
    },
    {
      changeId: 'c2',
      kind: 'modify',
      requirementId: '1.2.4',
      after: '誤記等を発見した場合、職権により住民票の記載事項を修正できること。\n\n修正前の記載内容及び修正の理由は、履歴として保持すること。',
      reason: '職権修正の事後検証（監査・開示請求への対応）で、修正理由が記録されていないと経緯を説明できないため。',
    },
  ]);
  await submit('proposal:online:submit', 20, sapporoApprover, online);
  await draft('proposal:furigana:draft', 30, hinohara, furigana, '旧氏の併記におけるふりがなの扱いの明確化', [
    {
      changeId: 'c1',
      kind: 'modify',
      requirementId: '3.2.1',
      after:
        '旧氏の記載の請求を受け付け、住民票に旧氏（ふりがなを含む）を併記できること。\n氏名の振り仮名の記載に係る法改正に対応し、旧氏の振り仮名と氏の振り仮名を区別して記録できること。',
      reason:
        '戸籍法等の改正により氏名の振り仮名が戸籍の記載事項となったため、旧氏の振り仮名との対応を明確にする必要がある。小規模団体ではベンダーごとの解釈の差が運用負担になっている。',
    },
  ]);
  await submit('proposal:furigana:submit', 35, hinohara, furigana);
  await draft('proposal:konbini:draft', 40, sapporoStaff, konbini, 'コンビニ交付の停止予定の住民への周知', [
    {
      changeId: 'c1',
      kind: 'modify',
      requirementId: '2.1.5',
      after:
        'マイナンバーカードを利用したコンビニエンスストア等における証明書の自動交付（コンビニ交付）に対応し、証明書交付センター（J-LIS）とデータ連携できること。\nシステムメンテナンス等によるコンビニ交付の停止予定を、住民向けに周知できること。',
      reason: '停止時間帯を知らずに来店した住民からの問合せが多いため（札幌市内で検討中、提出前）。',
    },
  ]);

  // Comments on 札幌市's submitted proposal, anchored to its changes (the anchored text as changeTextOf reads it).
  const submitted = await stateOf(store, proposalDecider, online);
  const comment = (step: string, minutes: number, actor: Actor, commentId: string, changeId: string, body: string, parentCommentId: string | null) => {
    const anchor: CommentAnchor = { kind: 'change', changeId };
    const parent: ParentCommentFacts | null = parentCommentId
      ? { specId: DEMO_SPEC.specId, version: DEMO_SPEC_VERSION, proposalId: online, anchor: { kind: 'change', changeId } }
      : null;
    return send<CommentState, PostComment, CommentEvent>(commentDecider, commentId, step, minutes, actor, {
      type: 'PostComment',
      data: {
        commentId,
        proposalId: online,
        specId: DEMO_SPEC.specId,
        version: DEMO_SPEC_VERSION,
        anchor,
        quote: null,
        parentCommentId,
        body,
        anchoredText: changeTextOf(submitted, changeId),
        parent,
        proposalVisibleToActor: true,
      },
    });
  };
  const ids = DEMO_CONTENT.comments;
  await comment(
    'comment:hinohara',
    60,
    hinohara,
    ids.hinohara,
    'c1',
    '檜原村では電子申請の件数が少なく、窓口受付と同じ項目で記録できれば十分です。申請の識別番号は任意項目としていただけると、小規模団体の入力負担が増えずに済みます。',
    null,
  );
  await comment(
    'comment:hokkaido',
    75,
    hokkaido,
    ids.hokkaido,
    'c2',
    '道内の市町村からも、職権修正の理由が残らず監査で説明に苦慮したとの声があります。修正理由は定型の区分と自由記述の併用とするのが実務的と考えます。',
    null,
  );
  await comment(
    'comment:vendor',
    90,
    vendor,
    ids.vendor,
    'c1',
    'マイナポータルから連携される申請番号は既に保持しているため、対応は可能です。転入予約の取消しが後から届く場合の記録方法も要件で示していただけると助かります。',
    null,
  );
  await comment(
    'comment:reply',
    110,
    sapporoStaff,
    ids.reply,
    'c1',
    'ご指摘ありがとうございます。取消しも申請の識別番号で突合できるよう、「取消しの受付日時」を追記する方向で検討します。',
    ids.vendor,
  );
  await send<CommentState, ReactToComment, CommentEvent>(commentDecider, ids.hinohara, 'comment:hinohara:react', 115, sapporoApprover, {
    type: 'ReactToComment',
    data: { commentId: ids.hinohara, reaction: 'agree', proposalVisibleToActor: true },
  });
  // Disposing is the spec owner's coordinator's act (comment.dispose): デジタル庁's admin+coordinator.
  await send<CommentState, DisposeComment, CommentEvent>(commentDecider, ids.hokkaido, 'comment:hokkaido:dispose', 130, admin, {
    type: 'DisposeComment',
    data: {
      commentId: ids.hokkaido,
      disposition: '修正して対応',
      answer: '修正理由は「誤記」「届出漏れ」「他機関からの通知」等の区分と自由記述で記録する方向で、次版の要件に反映します。',
      specOwnerOrganisationId: DEMO_SPEC.ownerOrganisationId,
      proposalVisibleToActor: true,
    },
  });

  // 意見照会 on the submitted proposal, closing 14 days after the seed, results visible as stances come in.
  const consultationId = DEMO_CONTENT.consultation;
  await send<ConsultationState, OpenConsultation, ConsultationEvent>(consultationDecider, consultationId, 'consultation:open', 150, admin, {
    type: 'OpenConsultation',
    data: {
      consultationId,
      proposalId: online,
      specId: DEMO_SPEC.specId,
      electorate: DEMO_ELECTORATE.map((organisationId) => ({ organisationId, weight: 1 })),
      weighting: 'equal',
      quorumPercent: 50,
      thresholdPercent: 50,
      thresholdBasis: 'approve_of_approve_and_object',
      blockVetoes: false,
      closesAt: new Date(start + DEMO_CONSULTATION_DAYS * 24 * 60 * MINUTE).toISOString(),
      resultsHidden: false,
      stage: { ladderId: null, stage: null },
      proposalSubmitted: true,
    },
  });
  const stance = (step: string, minutes: number, actor: Actor, draftId: string, reason: string) =>
    send<ConsultationState, DraftStance, ConsultationEvent>(consultationDecider, consultationId, step, minutes, actor, {
      type: 'DraftStance',
      data: { consultationId, draftId, organisationId: actor.organisationId, stance: 'approve', reason, mandate: null },
    });
  await stance('consultation:hinohara:draft', 170, hinohara, DEMO_CONTENT.hinoharaDraft, '申請の識別番号が任意項目となる前提で賛成します。');
  await send<ConsultationState, ApproveStance, ConsultationEvent>(consultationDecider, consultationId, 'consultation:hinohara:approve', 175, hinohara, {
    type: 'ApproveStance',
    data: { consultationId, draftId: DEMO_CONTENT.hinoharaDraft, mandate: null },
  });
  // 札幌市's draft stays a draft: approver@city.sapporo gives the 決裁 in the web client.
  await stance(
    'consultation:sapporo:draft',
    190,
    sapporoStaff,
    DEMO_CONTENT.sapporoDraft,
    '提案団体として賛成します。取消しの記録は次の改訂で追記する予定です。',
  );

  // 人材シェアリング: 北海道 proposes a shared CIO補佐官 for three municipalities near 札幌市, from the next fiscal year.
  const year = new Date(start).getUTCFullYear();
  const participants = DEMO_TALENT_PARTICIPANTS;
  await send<TalentArrangementState, ProposeTalentArrangement, TalentArrangementEvent>(
    talentArrangementDecider,
    DEMO_CONTENT.arrangement,
    'talent:propose',
    210,
    hokkaido,
    {
      type: 'ProposeTalentArrangement',
      data: {
        arrangementId: DEMO_CONTENT.arrangement,
        role: 'CIO補佐官（情報システム標準化担当）',
        skills: ['自治体情報システム標準化', 'ガバメントクラウド移行', '情報セキュリティ'],
        terms: {
          startDate: `${year + 1}-04-01`,
          endDate: `${year + 2}-03-31`,
          annualCostYen: 9_600_000,
          hostOrganisationId: participants[0],
          participants: participants.map((organisationId, i) => ({ organisationId, population: null, daysPerMonth: i === 0 ? 8 : 6 })),
          splitRule: 'allotted_days',
          subsidyPercent: null,
        },
        organisations: lookupsOf([hokkaido.organisationId, ...participants], organisations),
      },
    },
  );
  return { commands: sent };
}

/** The organisations lookup as the talent handler reads it from the read model, taken from the seeded registry instead. */
function lookupsOf(ids: readonly string[], organisations: readonly RegisterOrganisationData[]): OrganisationLookup[] {
  return ids.map((id) => {
    const found = organisations.find((o) => o.organisationId === id);
    if (!found) throw new Error(`seed: demo content names organisation ${id}, which the registry lacks`);
    return { organisationId: id, kind: found.kind, prefectureCode: found.prefectureCode, active: found.active };
  });
}

async function stateOf<S, C extends DomainCommand, E extends DomainEvent>(store: EventStore, decider: Decider<S, C, E>, streamId: string): Promise<S> {
  const recorded = await store.readStream(streamName(decider.category, streamId));
  return recorded.reduce((state, e) => decider.evolve(state, { type: e.type, data: e.data } as DomainEvent as E), decider.initialState());
}
