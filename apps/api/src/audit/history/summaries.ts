/**
 * What an event means, in one sentence in Japanese and one in English: the audit history's
 * "what changed". Pure: the caller passes the organisation names it looked up (one batch per
 * page) and what it must leave out for the caller (decided by access.ts), so a summary never
 * shows more than its entry may.
 *
 * One summariser per event type of libs/domain, in a table typed by the event unions: an event
 * type added to a union without a summary here does not compile, and summaries.spec.ts reads the
 * unions in the *.events.ts files to make sure.
 */
import type { CommentDisposition, CommentEvent } from '@kyogi/domain/comments/comments.events';
import type { ConsultationEvent } from '@kyogi/domain/consultations/consultations.events';
import type { Stance } from '@kyogi/domain/consultations/tally';
import type { LadderEvent, StageDefinition } from '@kyogi/domain/ladders/ladders.events';
import type { MandateEvent, MandateScope } from '@kyogi/domain/mandates/mandates.events';
import type { OrganisationEvent } from '@kyogi/domain/organisations/organisations.events';
import type { ProposalEvent } from '@kyogi/domain/proposals/proposals.events';
import type { Role } from '@kyogi/domain/shared/decider';
import type { SpecEvent } from '@kyogi/domain/specs/specs.events';
import type { TalentArrangementEvent, TermsChange } from '@kyogi/domain/talent/arrangements.events';
import type { SplitRule } from '@kyogi/domain/talent/cost-split';
import type { TalentPoolEvent } from '@kyogi/domain/talent/pools.events';

export interface LocalizedText {
  readonly ja: string;
  readonly en: string;
}

/** An organisation as summaries name it: 札幌市 in Japanese, 札幌市 (011002) in English. */
export interface OrganisationName {
  readonly name: string;
  /** 全国地方公共団体コード, null for other kinds. */
  readonly code: string | null;
}

export type NameLookup = (organisationId: string) => OrganisationName | undefined;

/** What a summary leaves out for the caller (access.ts decides). */
export interface Withheld {
  /** Names, e-mail addresses and file references of people: members, talent candidates, pool people. */
  readonly personalData: boolean;
  /** The stance and reason of a stance draft or an official stance. */
  readonly stance: boolean;
}

export const NOTHING_WITHHELD: Withheld = Object.freeze({ personalData: false, stance: false });

export type KnownEvent =
  OrganisationEvent | SpecEvent | ProposalEvent | CommentEvent | ConsultationEvent | MandateEvent | LadderEvent | TalentArrangementEvent | TalentPoolEvent;
export type KnownEventType = KnownEvent['type'];

/** What every summariser is given. */
interface Say {
  /** The acting organisation (metadata.actor.organisationId), named. */
  readonly actor: LocalizedText;
  org(organisationId: string): LocalizedText;
  readonly withheld: Withheld;
}

type Summariser<T extends KnownEventType> = (data: Extract<KnownEvent, { type: T }>['data'], say: Say) => LocalizedText;

const MAX_QUOTE = 100;
/** Free text shortened for a one-line summary. */
export function quote(text: string | null | undefined, max = MAX_QUOTE): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return [...flat].length > max ? `${[...flat].slice(0, max - 1).join('')}…` : flat;
}

/** `1 change`, `2 changes`. */
const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

const yen = (amount: number): string => new Intl.NumberFormat('ja-JP').format(amount);

/** An instant in Japan time for the Japanese text: 2025-04-01 09:00 (JST). */
export function jst(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t + 9 * 3600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}（日本時間）`;
}
const utc = (iso: string): string => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

const ROLE_JA: Record<Role, string> = { viewer: '閲覧者', member: '職員', approver: '決裁者', coordinator: '調整担当', admin: '管理者' };
const rolesJa = (roles: readonly Role[]) => (roles.length ? roles.map((r) => ROLE_JA[r] ?? r).join('・') : 'なし');
const rolesEn = (roles: readonly Role[]) => (roles.length ? roles.join(', ') : 'no role');

const STANCE_JA: Record<Stance, string> = { approve: '賛成', object: '反対', abstain: '棄権', block: '阻止' };
const stanceJa = (stance: Stance) => STANCE_JA[stance] ?? stance;
const stanceEn = (stance: Stance) => String(stance).toUpperCase();

const KIND_JA: Record<string, string> = {
  national: '国の機関',
  prefecture: '都道府県',
  municipality: '市区町村',
  vendor: 'ベンダー',
  observer: 'オブザーバー',
};
const KIND_EN: Record<string, string> = {
  national: 'national body',
  prefecture: 'prefecture',
  municipality: 'municipality',
  vendor: 'vendor',
  observer: 'observer',
};

const DISPOSITION_EN: Record<CommentDisposition, string> = {
  対応する: 'address',
  修正して対応: 'address with changes',
  今後検討: 'consider later',
  対応しない: 'not address',
  回答のみ: 'answer only',
};

const SPLIT_JA: Record<SplitRule, string> = { equal: '均等割', population: '人口割', allotted_days: '日数割' };
const SPLIT_EN: Record<SplitRule, string> = { equal: 'equally', population: 'by population', allotted_days: 'by allotted days' };

const TERMS_CHANGE_JA: Record<TermsChange, string> = {
  participants: '参加団体',
  host: '雇用団体',
  cost: '費用',
  term: '期間',
  split: '按分方法',
  subsidy: '特別交付税',
  allotment: '日数配分',
};

const reasonJa = (reason: string | null | undefined) => (reason ? `（理由: ${quote(reason)}）` : '');
const reasonEn = (reason: string | null | undefined) => (reason ? `: ${quote(reason)}` : '');
const list = (items: readonly LocalizedText[]) => ({ ja: items.map((i) => i.ja).join('、'), en: items.map((i) => i.en).join(', ') });

function scopeText(scope: MandateScope): LocalizedText {
  return scope.kind === 'consultation'
    ? { ja: `協議 ${scope.consultationId}`, en: `consultation ${scope.consultationId}` }
    : { ja: `分野「${scope.domain}」の協議`, en: `consultations in the domain ${scope.domain}` };
}

function stageText(stage: StageDefinition): LocalizedText {
  switch (stage.kind) {
    case 'prefectural_rounds':
      return {
        ja: `都道府県ごとの市区町村協議（${stage.prefectureCodes.length} 都道府県）`,
        en: `prefectural rounds (${stage.prefectureCodes.length} prefectures)`,
      };
    case 'prefectures_round':
      return { ja: '都道府県の協議', en: 'a round of the prefectures' };
    case 'national_decision':
      return { ja: '国の決定', en: 'the national decision' };
    default:
      return { ja: String((stage as { kind: unknown }).kind), en: String((stage as { kind: unknown }).kind) };
  }
}

const SUMMARISERS: { readonly [T in KnownEventType]: Summariser<T> } = {
  // ---- organisations ---------------------------------------------------------------------
  OrganisationRegistered: (d, { actor }) => {
    const code = d.code ? { ja: `、団体コード ${d.code}`, en: `, code ${d.code}` } : { ja: '', en: '' };
    return {
      ja: `${actor.ja}が${d.name}（${KIND_JA[d.kind] ?? d.kind}${code.ja}）を登録しました${d.active ? '' : '（活動なし）'}`,
      en: `${actor.en} registered ${d.name} (${KIND_EN[d.kind] ?? d.kind}${code.en})${d.active ? '' : ', inactive'}`,
    };
  },
  MemberAdded: (d, { actor, org, withheld }) => ({
    ja: `${actor.ja}が${org(d.organisationId).ja}に${withheld.personalData ? `メンバー ${d.personId}（氏名・メールアドレスは非公開）` : `${d.displayName}（${d.email}）`}を追加しました（役割: ${rolesJa(d.roles)}）`,
    en: `${actor.en} added ${withheld.personalData ? `member ${d.personId} (name and e-mail withheld)` : `${d.displayName} <${d.email}>`} to ${org(d.organisationId).en} as ${rolesEn(d.roles)}`,
  }),
  MemberRolesChanged: (d, { actor, org }) => ({
    ja: `${actor.ja}が${org(d.organisationId).ja}のメンバー ${d.personId} の役割を${rolesJa(d.roles)}に変更しました`,
    en: `${actor.en} changed the roles of member ${d.personId} of ${org(d.organisationId).en} to ${rolesEn(d.roles)}`,
  }),
  OrganisationDeactivated: (d, { actor, org }) => ({
    ja: `${actor.ja}が${org(d.organisationId).ja}を無効化しました${reasonJa(d.reason)}`,
    en: `${actor.en} deactivated ${org(d.organisationId).en}${reasonEn(d.reason)}`,
  }),

  // ---- specs -----------------------------------------------------------------------------
  SpecCreated: (d, { actor, org }) => ({
    ja: `${actor.ja}が標準仕様書「${d.title}」（${d.specId}、分野: ${d.domain}、所管: ${org(d.ownerOrganisationId).ja}）を作成しました`,
    en: `${actor.en} created the specification “${d.title}” (${d.specId}, domain ${d.domain}, owned by ${org(d.ownerOrganisationId).en})`,
  }),
  SpecVersionPublished: (d, { actor }) => {
    const incorporated = d.incorporatedProposalIds?.length ?? 0;
    return {
      ja: `${actor.ja}が${d.specId} 第${d.version}版を公開しました（要件 ${d.requirements.length} 件${incorporated ? `、修文案 ${incorporated} 件を反映` : ''}）`,
      en: `${actor.en} published ${d.specId} version ${d.version} (${count(d.requirements.length, 'requirement')}${incorporated ? `, incorporating ${count(incorporated, 'proposal')}` : ''})`,
    };
  },

  // ---- proposals (修文案) ------------------------------------------------------------------
  ProposalDrafted: (d, { actor }) => ({
    ja: `${actor.ja}が修文案「${quote(d.title)}」を起案しました（${d.specId} 第${d.version}版に対する変更 ${d.changes.length} 件）`,
    en: `${actor.en} drafted the proposal “${quote(d.title)}” (${count(d.changes.length, 'change')} to ${d.specId} ${d.version})`,
  }),
  ProposalRevised: (d, { actor }) => ({
    ja: `${actor.ja}が修文案を第${d.revision}版に改訂しました（「${quote(d.title)}」、変更 ${d.changes.length} 件）`,
    en: `${actor.en} revised the proposal to revision ${d.revision} (“${quote(d.title)}”, ${count(d.changes.length, 'change')})`,
  }),
  ProposalSubmitted: (d, { actor }) => ({
    ja: `${actor.ja}が修文案の第${d.revision}版を提出しました`,
    en: `${actor.en} submitted revision ${d.revision} of the proposal`,
  }),
  ProposalWithdrawn: (d, { actor }) => ({
    ja: `${actor.ja}が修文案を取り下げました${reasonJa(d.reason)}`,
    en: `${actor.en} withdrew the proposal${reasonEn(d.reason)}`,
  }),
  ProposalAccepted: (d, { actor }) => ({
    ja: `${actor.ja}が修文案の第${d.revision}版を採択しました${reasonJa(d.rationale)}`,
    en: `${actor.en} accepted revision ${d.revision} of the proposal${reasonEn(d.rationale)}`,
  }),
  ProposalRejected: (d, { actor }) => ({
    ja: `${actor.ja}が修文案の第${d.revision}版を不採択としました${reasonJa(d.rationale)}`,
    en: `${actor.en} rejected revision ${d.revision} of the proposal${reasonEn(d.rationale)}`,
  }),
  ProposalIncorporated: (d, { actor }) => ({
    ja: `${actor.ja}が修文案を${d.specId} 第${d.version}版に反映済みとしました`,
    en: `${actor.en} marked the proposal incorporated into ${d.specId} version ${d.version}`,
  }),

  // ---- comments --------------------------------------------------------------------------
  CommentPosted: (d, { actor }) => {
    const anchor =
      d.anchor.kind === 'change'
        ? { ja: `変更 ${d.anchor.changeId}`, en: `change ${d.anchor.changeId}` }
        : { ja: `要件 ${d.anchor.requirementId}`, en: `requirement ${d.anchor.requirementId}` };
    return {
      ja: `${actor.ja}が${anchor.ja}に${d.parentCommentId ? '返信' : 'コメント'}を投稿しました: 「${quote(d.body)}」`,
      en: `${actor.en} posted a ${d.parentCommentId ? 'reply' : 'comment'} on ${anchor.en}: “${quote(d.body)}”`,
    };
  },
  CommentEdited: (d, { actor }) => ({
    ja: `${actor.ja}がコメントを編集しました（第${d.edition}版）: 「${quote(d.body)}」`,
    en: `${actor.en} edited the comment (edition ${d.edition}): “${quote(d.body)}”`,
  }),
  CommentRetracted: (d, { actor }) => ({
    ja: `${actor.ja}がコメントを撤回しました${reasonJa(d.reason)}`,
    en: `${actor.en} retracted the comment${reasonEn(d.reason)}`,
  }),
  CommentDisposed: (d, { actor }) => ({
    ja: `${actor.ja}がコメントの対応区分を「${d.disposition}」としました（第${d.revision}回）: ${quote(d.answer)}`,
    en: `${actor.en} disposed the comment as 「${d.disposition}」 (${DISPOSITION_EN[d.disposition] ?? d.disposition}, revision ${d.revision}): ${quote(d.answer)}`,
  }),
  ReactionChanged: (d, { actor }) =>
    d.reaction === null
      ? { ja: `${actor.ja}がコメントへの反応を取り消しました`, en: `${actor.en} cleared its reaction to the comment` }
      : d.reaction === 'agree'
        ? { ja: `${actor.ja}がコメントに賛同しました`, en: `${actor.en} agreed with the comment` }
        : { ja: `${actor.ja}がコメントに不賛同を示しました`, en: `${actor.en} disagreed with the comment` },

  // ---- consultations (協議) ----------------------------------------------------------------
  ConsultationOpened: (d, { actor }) => {
    const weighting = d.weighting === 'population' ? { ja: '人口比例', en: 'weighted by population' } : { ja: '1団体1票', en: 'one organisation one vote' };
    return {
      ja:
        `${actor.ja}が協議を開始しました（${d.electorate.length} 団体、${weighting.ja}、定足数 ${d.quorumPercent}%、可決 ${d.thresholdPercent}%` +
        `${d.blockVetoes ? '、阻止あり' : ''}${d.resultsHidden ? '、結果は締切まで非公開' : ''}、締切 ${jst(d.closesAt)}）`,
      en:
        `${actor.en} opened a consultation of ${count(d.electorate.length, 'organisation')} (${weighting.en}, quorum ${d.quorumPercent}%, threshold ${d.thresholdPercent}%` +
        `${d.blockVetoes ? ', a block vetoes' : ''}${d.resultsHidden ? ', results hidden until close' : ''}, closes ${utc(d.closesAt)})`,
    };
  },
  StanceDrafted: (d, { org, withheld }) => {
    const by = org(d.castByOrganisationId);
    const mandated = d.organisationId !== d.castByOrganisationId;
    const voter = org(d.organisationId);
    if (withheld.stance)
      return {
        ja: `${by.ja}が${mandated ? `委任に基づき${voter.ja}の` : ''}見解案を起案しました（内容は非公開）`,
        en: `${by.en} drafted a stance${mandated ? ` for ${voter.en} under a mandate` : ''} (content withheld)`,
      };
    return {
      ja: `${by.ja}が${mandated ? `委任に基づき${voter.ja}の` : ''}${stanceJa(d.stance)}の見解案を起案しました${reasonJa(d.reason)}`,
      en: `${by.en} drafted ${stanceEn(d.stance)}${mandated ? ` for ${voter.en} under mandate ${d.mandateId}` : ''}${reasonEn(d.reason)}`,
    };
  },
  StanceCast: (d, { org, withheld }) => {
    const by = org(d.castByOrganisationId);
    const mandated = d.organisationId !== d.castByOrganisationId;
    const voter = org(d.organisationId);
    if (withheld.stance)
      return {
        ja: `${by.ja}が${mandated ? `委任に基づき${voter.ja}の` : ''}公式見解を決裁しました（内容は締切まで非公開）`,
        en: `${by.en} cast a stance${mandated ? ` for ${voter.en} under a mandate` : ''} (withheld until the round closes)`,
      };
    const forVoter = mandated ? { ja: `委任に基づき${voter.ja}の`, en: ` for ${voter.en} under mandate ${d.mandateId}` } : { ja: '', en: '' };
    if (d.supersedes !== null)
      return {
        ja: `${by.ja}が${forVoter.ja}公式見解を${stanceJa(d.supersedes)}から${stanceJa(d.stance)}に変更しました（決裁）${reasonJa(d.reason)}`,
        en: `${by.en} changed its stance${forVoter.en} from ${stanceEn(d.supersedes)} to ${stanceEn(d.stance)}${reasonEn(d.reason)}`,
      };
    return {
      ja: `${by.ja}が${forVoter.ja}${stanceJa(d.stance)}の公式見解を決裁しました${reasonJa(d.reason)}`,
      en: `${by.en} cast ${stanceEn(d.stance)}${forVoter.en}${reasonEn(d.reason)}`,
    };
  },
  ConsultationClosed: (d, { actor }) => {
    const c = d.tally.counts;
    const result = d.outcome.passed ? { ja: '可決', en: 'PASSED' } : { ja: '否決', en: 'NOT PASSED' };
    const why = [
      ...(d.outcome.quorumMet ? [] : [{ ja: '定足数未達', en: 'quorum not met' }]),
      ...(d.outcome.blocked ? [{ ja: '阻止あり', en: 'blocked' }] : []),
      ...(!d.outcome.thresholdMet && d.outcome.quorumMet ? [{ ja: '賛成が基準未満', en: 'threshold not met' }] : []),
    ];
    const counts = {
      ja: `賛成 ${c.approve}・反対 ${c.object}・棄権 ${c.abstain}・阻止 ${c.block}、参加 ${d.tally.participatingCount}/${d.tally.electorateCount} 団体`,
      en: `approve ${c.approve}, object ${c.object}, abstain ${c.abstain}, block ${c.block}; ${d.tally.participatingCount} of ${d.tally.electorateCount} organisations took part`,
    };
    const head = d.early
      ? { ja: `${actor.ja}が協議を締切前に終了しました${reasonJa(d.reason)}`, en: `${actor.en} closed the consultation early${reasonEn(d.reason)}` }
      : { ja: '協議が締切により終了しました', en: 'The consultation closed when due' };
    return {
      ja: `${head.ja}。結果: ${result.ja}（${counts.ja}${why.length ? `、${list(why).ja}` : ''}）`,
      en: `${head.en}. Result: ${result.en} (${counts.en}${why.length ? `; ${list(why).en}` : ''})`,
    };
  },

  // ---- mandates (委任) ---------------------------------------------------------------------
  MandateGranted: (d, { org }) => ({
    ja: `${org(d.grantorOrganisationId).ja}が${org(d.granteeOrganisationId).ja}に公式見解の決裁を委任しました（対象: ${scopeText(d.scope).ja}、期限 ${jst(d.expiresAt)}）`,
    en: `${org(d.grantorOrganisationId).en} mandated ${org(d.granteeOrganisationId).en} to cast its stances (${scopeText(d.scope).en}) until ${utc(d.expiresAt)}`,
  }),
  MandateRevoked: (d, { actor }) => ({
    ja: `${actor.ja}が委任を取り消しました${reasonJa(d.reason)}`,
    en: `${actor.en} revoked the mandate${reasonEn(d.reason)}`,
  }),

  // ---- ratification ladders --------------------------------------------------------------
  LadderChosen: (d, { actor }) => {
    const stages = list(d.stages.map(stageText));
    return {
      ja: `${actor.ja}が修文案（第${d.proposalRevision}版）の批准手順を決定しました（${d.stages.length} 段階: ${stages.ja}）`,
      en: `${actor.en} chose a ${d.stages.length}-stage ratification ladder for revision ${d.proposalRevision} of the proposal (${stages.en})`,
    };
  },
  LadderStageOpened: (d) => ({
    ja: `第${d.stage}段階が始まりました（協議 ${d.consultationIds.length} 件）`,
    en: `Stage ${d.stage} opened (${count(d.consultationIds.length, 'round')})`,
  }),
  LadderStageClosed: (d) => {
    const passed = d.outcomes.filter((o) => o.outcome.passed).length;
    return {
      ja: `第${d.stage}段階が終了しました（可決 ${passed}/${d.outcomes.length} 件）`,
      en: `Stage ${d.stage} closed: ${passed} of ${count(d.outcomes.length, 'round')} passed`,
    };
  },
  LadderDecided: (d, { actor }) => ({
    ja: `${actor.ja}が国の決定として修文案を${d.decision === 'accept' ? '採択' : '不採択と'}しました（第${d.citedStage}段階の結果を引用）${reasonJa(d.rationale)}`,
    en: `${actor.en} ${d.decision === 'accept' ? 'accepted' : 'rejected'} the proposal as the national decision, citing stage ${d.citedStage}${reasonEn(d.rationale)}`,
  }),

  // ---- talent arrangements (人材シェアリング) ------------------------------------------------
  TalentArrangementProposed: (d, { actor }) => ({
    ja:
      `${actor.ja}が人材シェアリング「${quote(d.role)}」を提案しました（参加 ${d.terms.participants.length} 団体、年額 ${yen(d.terms.annualCostYen)} 円、` +
      `${SPLIT_JA[d.terms.splitRule] ?? d.terms.splitRule}、特別交付税 ${d.terms.subsidyPercent}%、${d.terms.startDate}〜${d.terms.endDate}）`,
    en:
      `${actor.en} proposed sharing a ${quote(d.role)} among ${count(d.terms.participants.length, 'organisation')} (¥${yen(d.terms.annualCostYen)} a year, ` +
      `split ${SPLIT_EN[d.terms.splitRule] ?? d.terms.splitRule}, ${d.terms.subsidyPercent}% subsidy, ${d.terms.startDate} to ${d.terms.endDate})`,
  }),
  TalentTermsChanged: (d, { actor, org }) => {
    const joined = d.joinedOrganisationIds.length ? list(d.joinedOrganisationIds.map(org)) : null;
    const left = d.leftOrganisationIds.length ? list(d.leftOrganisationIds.map(org)) : null;
    return {
      ja:
        `${actor.ja}が条件を第${d.termsVersion}版に変更しました（${d.changes.map((c) => TERMS_CHANGE_JA[c] ?? c).join('・')}` +
        `${joined ? `、参加: ${joined.ja}` : ''}${left ? `、離脱: ${left.ja}` : ''}、年額 ${yen(d.terms.annualCostYen)} 円）${reasonJa(d.reason)}`,
      en:
        `${actor.en} changed the terms to version ${d.termsVersion} (${d.changes.join(', ')}` +
        `${joined ? `; joined: ${joined.en}` : ''}${left ? `; left: ${left.en}` : ''}; ¥${yen(d.terms.annualCostYen)} a year)${reasonEn(d.reason)}`,
    };
  },
  TalentTermsConsented: (d, { org }) => ({
    ja: `${org(d.organisationId).ja}が条件第${d.termsVersion}版に同意しました（決裁）`,
    en: `${org(d.organisationId).en} consented to terms version ${d.termsVersion}`,
  }),
  TalentTermsDeclined: (d, { org }) => ({
    ja: `${org(d.organisationId).ja}が条件第${d.termsVersion}版に同意しませんでした${reasonJa(d.reason)}`,
    en: `${org(d.organisationId).en} declined terms version ${d.termsVersion}${reasonEn(d.reason)}`,
  }),
  TalentTermsAgreed: (d) => ({
    ja: `全参加団体（${d.organisationIds.length} 団体）が条件第${d.termsVersion}版に同意し、合意が成立しました`,
    en: `All ${d.organisationIds.length} participants consented: terms version ${d.termsVersion} is agreed`,
  }),
  TalentProblemsListed: (d, { org }) => ({
    ja: `${org(d.organisationId).ja}が課題を ${d.problems.length} 件挙げました（課題の特定）`,
    en: `${org(d.organisationId).en} listed ${count(d.problems.length, 'problem')}`,
  }),
  TalentRequirementsDefined: (d, { actor }) => ({
    ja: `${actor.ja}が人材要件を ${d.requirements.length} 件定義しました（人材要件の定義）`,
    en: `${actor.en} defined ${count(d.requirements.length, 'requirement')} for the hire`,
  }),
  TalentSelectionOpened: (_d, { actor }) => ({
    ja: `${actor.ja}が人材の選定を開始しました`,
    en: `${actor.en} opened the selection`,
  }),
  TalentCandidateAdded: (d, { actor, withheld }) => ({
    ja: `${actor.ja}が候補者${withheld.personalData ? ` ${d.candidateId}（氏名は主催団体のみ閲覧可）` : `「${d.name}」（参照: ${d.reference}）`}を追加しました`,
    en: `${actor.en} added candidate ${withheld.personalData ? `${d.candidateId} (name withheld)` : `${d.name} (ref. ${d.reference})`}`,
  }),
  TalentCandidateSelected: (d, { actor }) => ({
    ja: `${actor.ja}が候補者 ${d.candidateId} を選定しました（条件第${d.termsVersion}版）`,
    en: `${actor.en} selected candidate ${d.candidateId} under terms version ${d.termsVersion}`,
  }),
  TalentChecklistSet: (d, { actor }) => ({
    ja: `${actor.ja}が受け入れチェックリストを ${d.items.length} 項目に設定しました`,
    en: `${actor.en} set the onboarding checklist (${count(d.items.length, 'item')})`,
  }),
  TalentChecklistItemCompleted: (d, { actor }) => ({
    ja: `${actor.ja}がチェック項目 ${d.itemId} を完了しました`,
    en: `${actor.en} completed checklist item ${d.itemId}`,
  }),
  TalentArrangementActivated: (d, { actor }) => ({
    ja: `${actor.ja}が受け入れを完了し、勤務が始まりました（候補者 ${d.candidateId}、条件第${d.termsVersion}版）`,
    en: `${actor.en} started the hire (candidate ${d.candidateId}, terms version ${d.termsVersion})`,
  }),
  TalentArrangementEnded: (d, { actor }) => ({
    ja: `${actor.ja}が人材シェアリングを終了しました${d.early ? `（期間満了前）${reasonJa(d.reason)}` : ''}`,
    en: `${actor.en} ended the arrangement${d.early ? ` early${reasonEn(d.reason)}` : ''}`,
  }),

  // ---- talent pools ----------------------------------------------------------------------
  TalentPoolOpened: (d, { actor }) => ({
    ja: `${actor.ja}が人材プール「${quote(d.name)}」を開設しました`,
    en: `${actor.en} opened the talent pool “${quote(d.name)}”`,
  }),
  PoolPersonAdded: (d, { actor, withheld }) => ({
    ja: `${actor.ja}が人材プールに${withheld.personalData ? `人材 ${d.poolPersonId}（氏名は当該都道府県のみ閲覧可）` : `「${d.name}」（参照: ${d.reference}）`}を追加しました（月 ${d.capacityDaysPerMonth} 日）`,
    en: `${actor.en} added ${withheld.personalData ? `person ${d.poolPersonId} (name withheld)` : `${d.name} (ref. ${d.reference})`} to the pool (${d.capacityDaysPerMonth} days a month)`,
  }),
  PoolPersonCapacityChanged: (d, { actor }) => ({
    ja: `${actor.ja}が人材 ${d.poolPersonId} の派遣可能日数を月 ${d.previousCapacityDaysPerMonth} 日から ${d.capacityDaysPerMonth} 日に変更しました`,
    en: `${actor.en} changed the capacity of person ${d.poolPersonId} from ${d.previousCapacityDaysPerMonth} to ${d.capacityDaysPerMonth} days a month`,
  }),
  PoolPersonDispatched: (d, { actor, org }) => ({
    ja: `${actor.ja}が人材 ${d.poolPersonId} を${org(d.organisationId).ja}に派遣しました（月 ${d.daysPerMonth} 日、${d.startDate}〜${d.endDate}）`,
    en: `${actor.en} dispatched person ${d.poolPersonId} to ${org(d.organisationId).en} (${d.daysPerMonth} days a month, ${d.startDate} to ${d.endDate})`,
  }),
  PoolDispatchEnded: (d, { actor }) => ({
    ja: `${actor.ja}が派遣 ${d.dispatchId} を ${d.endDate} で終了しました（当初 ${d.previousEndDate} まで）${reasonJa(d.reason)}`,
    en: `${actor.en} ended dispatch ${d.dispatchId} on ${d.endDate} (planned until ${d.previousEndDate})${reasonEn(d.reason)}`,
  }),
};

/** Every event type of libs/domain that has a summary. */
export const KNOWN_EVENT_TYPES: readonly KnownEventType[] = Object.keys(SUMMARISERS) as KnownEventType[];

export const isKnownEventType = (type: string): type is KnownEventType => Object.hasOwn(SUMMARISERS, type);

/** Names an organisation: 札幌市 / 札幌市 (011002); an organisation not found by its id. */
export function nameOf(names: NameLookup, organisationId: string): LocalizedText {
  const found = names(organisationId);
  if (!found) return { ja: organisationId, en: organisationId };
  return { ja: found.name, en: `${found.name} (${found.code ?? organisationId})` };
}

/**
 * The summary of one event for one caller. An event type this module does not know (another
 * context's, or a newer one) is named by its type only; so is an event whose data does not have
 * the shape its type promises (never shown half-summarised).
 */
export function summarise(
  event: { readonly type: string; readonly data: Record<string, unknown> },
  actorOrganisationId: string,
  names: NameLookup,
  withheld: Withheld = NOTHING_WITHHELD,
): LocalizedText {
  const say: Say = { actor: nameOf(names, actorOrganisationId), org: (id) => nameOf(names, id), withheld };
  if (isKnownEventType(event.type)) {
    try {
      return (SUMMARISERS[event.type] as Summariser<KnownEventType>)(event.data as never, say);
    } catch {
      // fall through to the generic summary
    }
  }
  return { ja: `${say.actor.ja}の操作: ${event.type}`, en: `${event.type} by ${say.actor.en}` };
}

/** The organisations a summary of this event may name (for one batch lookup per page). */
export function organisationIdsIn(event: { readonly type: string; readonly data: Record<string, unknown> }): string[] {
  const d = event.data ?? {};
  const ids = new Set<string>();
  for (const key of [
    'organisationId',
    'castByOrganisationId',
    'grantorOrganisationId',
    'granteeOrganisationId',
    'ownerOrganisationId',
    'proposerOrganisationId',
  ])
    if (typeof d[key] === 'string') ids.add(d[key] as string);
  for (const key of ['joinedOrganisationIds', 'leftOrganisationIds', 'organisationIds'])
    if (Array.isArray(d[key])) for (const id of d[key] as unknown[]) if (typeof id === 'string') ids.add(id);
  return [...ids];
}
