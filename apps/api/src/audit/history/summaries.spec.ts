import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KNOWN_EVENT_TYPES, organisationIdsIn, quote, summarise, type KnownEvent, type KnownEventType, type NameLookup, type Withheld } from './summaries';

const DOMAIN = path.resolve(__dirname, '../../../../../libs/domain/src');

/** Every event type declared in libs/domain: `DomainEvent<'Type', …>` in each *.events.ts. */
function declaredEventTypes(): string[] {
  const types: string[] = [];
  for (const context of readdirSync(DOMAIN, { withFileTypes: true })) {
    if (!context.isDirectory()) continue;
    for (const file of readdirSync(path.join(DOMAIN, context.name))) {
      if (!file.endsWith('.events.ts')) continue;
      const source = readFileSync(path.join(DOMAIN, context.name, file), 'utf8');
      for (const match of source.matchAll(/DomainEvent<\s*'([A-Za-z]+)'/g)) types.push(match[1]);
    }
  }
  return types.sort();
}

const NAMES: Record<string, { name: string; code: string | null }> = {
  '011002': { name: '札幌市', code: '011002' },
  '012025': { name: '函館市', code: '012025' },
  '010006': { name: '北海道', code: '010006' },
  '133078': { name: '檜原村', code: '133078' },
  'digital-agency': { name: 'デジタル庁', code: null },
};
const names: NameLookup = (id) => NAMES[id];
const OPEN: Withheld = { personalData: false, stance: false };

const TALLY = {
  weights: { approve: 2, object: 1, abstain: 0, block: 0 },
  counts: { approve: 2, object: 1, abstain: 0, block: 0 },
  participatingWeight: 3,
  participatingCount: 3,
  totalWeight: 4,
  electorateCount: 4,
};
const TERMS = {
  startDate: '2025-04-01',
  endDate: '2026-03-31',
  annualCostYen: 20_000_000,
  hostOrganisationId: '011002',
  participants: [
    { organisationId: '011002', prefectureCode: '01', population: null, daysPerMonth: 5 },
    { organisationId: '012025', prefectureCode: '01', population: null, daysPerMonth: 5 },
  ],
  splitRule: 'equal' as const,
  subsidyPercent: 50,
};
const COST = { splitRule: 'equal' as const, annualCostYen: 20_000_000, subsidyPercent: 50, subsidyTotalYen: 10_000_000, netTotalYen: 10_000_000, shares: [] };
const CHANGE = { changeId: 'c1', kind: 'modify' as const, requirementId: '2.1.3', requirementTitle: '旧氏', before: '旧', after: '新', reason: '理由' };

/** One event of every type, with data as the deciders record it. */
const FIXTURES: { readonly [T in KnownEventType]: Extract<KnownEvent, { type: T }>['data'] } = {
  OrganisationRegistered: {
    organisationId: '011002',
    kind: 'municipality',
    name: '札幌市',
    nameKana: 'さっぽろし',
    code: '011002',
    prefectureCode: '01',
    parentId: '010006',
    active: true,
    population: 1_973_395,
  },
  MemberAdded: { organisationId: '011002', personId: 'p-1', displayName: '札幌 三郎', email: 'staff@city.sapporo.example.jp', roles: ['member', 'approver'] },
  MemberRolesChanged: { organisationId: '011002', personId: 'p-1', roles: ['member'] },
  OrganisationDeactivated: { organisationId: '011002', reason: '合併のため' },
  SpecCreated: { specId: 'juminkiroku', title: '住民記録システム標準仕様書', domain: '住民記録', ownerOrganisationId: 'digital-agency' },
  SpecVersionPublished: { specId: 'juminkiroku', version: '4.1', requirements: [], incorporatedProposalIds: ['P-1'] },
  ProposalDrafted: {
    proposalId: 'P-1',
    specId: 'juminkiroku',
    version: '4.0',
    title: '旧氏の記載',
    changes: [CHANGE],
    authorPersonId: 'p-1',
    authorOrganisationId: '011002',
  },
  ProposalRevised: { proposalId: 'P-1', revision: 2, title: '旧氏の記載（改）', changes: [CHANGE, { ...CHANGE, changeId: 'c2' }] },
  ProposalSubmitted: { proposalId: 'P-1', revision: 2 },
  ProposalWithdrawn: { proposalId: 'P-1', reason: '別案に統合するため' },
  ProposalAccepted: { proposalId: 'P-1', revision: 2, rationale: '多数の賛成' },
  ProposalRejected: { proposalId: 'P-1', revision: 2, rationale: '時期尚早' },
  ProposalIncorporated: { proposalId: 'P-1', specId: 'juminkiroku', version: '4.1' },
  CommentPosted: {
    commentId: 'C-1',
    proposalId: 'P-1',
    specId: 'juminkiroku',
    version: '4.0',
    anchor: { kind: 'change', changeId: 'c1' },
    quote: null,
    parentCommentId: null,
    body: '賛成します',
    authorPersonId: 'p-2',
    authorOrganisationId: '012025',
  },
  CommentEdited: { commentId: 'C-1', edition: 2, body: '条件付きで賛成します' },
  CommentRetracted: { commentId: 'C-1', reason: '誤りのため' },
  CommentDisposed: { commentId: 'C-1', disposition: '修正して対応', answer: '次版で修正します', revision: 1 },
  ReactionChanged: { commentId: 'C-1', personId: 'p-3', organisationId: '133078', reaction: 'agree' },
  ConsultationOpened: {
    consultationId: 'K-1',
    proposalId: 'P-1',
    specId: 'juminkiroku',
    openedByPersonId: 'p-9',
    openedByOrganisationId: '010006',
    openedAt: '2025-04-01T00:00:00.000Z',
    electorate: [
      { organisationId: '011002', weight: 1 },
      { organisationId: '012025', weight: 1 },
    ],
    weighting: 'equal',
    quorumPercent: 50,
    thresholdPercent: 60,
    thresholdBasis: 'approve_of_approve_and_object',
    blockVetoes: true,
    closesAt: '2025-04-08T03:00:00.000Z',
    resultsHidden: true,
    ladderId: null,
    stage: null,
  },
  StanceDrafted: {
    consultationId: 'K-1',
    draftId: 'D-1',
    organisationId: '011002',
    castByOrganisationId: '011002',
    mandateId: null,
    stance: 'object',
    reason: '運用上の支障',
    draftedByPersonId: 'p-1',
  },
  StanceCast: {
    consultationId: 'K-1',
    draftId: 'D-1',
    organisationId: '011002',
    castByOrganisationId: '011002',
    mandateId: null,
    stance: 'approve',
    reason: null,
    approvedByPersonId: 'p-4',
    supersedes: null,
  },
  ConsultationClosed: {
    consultationId: 'K-1',
    closedAt: '2025-04-08T03:00:00.000Z',
    early: false,
    reason: null,
    closedByPersonId: 'system',
    tally: TALLY,
    outcome: { quorumMet: true, thresholdMet: true, blocked: false, passed: true },
  },
  MandateGranted: {
    mandateId: 'M-1',
    grantorOrganisationId: '133078',
    granteeOrganisationId: '010006',
    scope: { kind: 'domain', domain: 'juminkiroku' },
    expiresAt: '2025-06-30T15:00:00.000Z',
    grantedAt: '2025-04-01T00:00:00.000Z',
    grantedByPersonId: 'p-5',
  },
  MandateRevoked: { mandateId: 'M-1', reason: '自ら回答するため', revokedAt: '2025-04-02T00:00:00.000Z', revokedByPersonId: 'p-5' },
  LadderChosen: {
    ladderId: 'P-1',
    proposalId: 'P-1',
    specId: 'juminkiroku',
    proposalRevision: 2,
    ownerOrganisationId: 'digital-agency',
    stages: [
      {
        kind: 'prefectural_rounds',
        prefectureCodes: ['01', '13'],
        rules: {
          quorumPercent: 50,
          thresholdPercent: 50,
          thresholdBasis: 'approve_of_all_cast',
          blockVetoes: false,
          weighting: 'equal',
          populations: null,
          resultsHidden: false,
          durationSeconds: 60,
        },
      },
      { kind: 'national_decision' },
    ],
    chosenByPersonId: 'demo-admin',
    chosenAt: '2025-04-01T00:00:00.000Z',
  },
  LadderStageOpened: { ladderId: 'P-1', stage: 1, consultationIds: ['K-1', 'K-2'], openedAt: '2025-04-01T00:00:00.000Z' },
  LadderStageClosed: {
    ladderId: 'P-1',
    stage: 1,
    outcomes: [
      { consultationId: 'K-1', outcome: { quorumMet: true, thresholdMet: true, blocked: false, passed: true } },
      { consultationId: 'K-2', outcome: { quorumMet: false, thresholdMet: false, blocked: false, passed: false } },
    ],
    closedAt: '2025-04-02T00:00:00.000Z',
  },
  LadderDecided: {
    ladderId: 'P-1',
    proposalId: 'P-1',
    decision: 'accept',
    rationale: '第1段階の結果による',
    citedStage: 1,
    citedOutcomes: [],
    decidedByPersonId: 'demo-admin',
    decidedAt: '2025-04-03T00:00:00.000Z',
  },
  TalentArrangementProposed: {
    arrangementId: 'T-1',
    role: 'CIO補佐官',
    skills: ['DX'],
    proposerOrganisationId: '011002',
    proposerKind: 'municipality',
    proposerPrefectureCode: '01',
    proposedByPersonId: 'p-1',
    proposedAt: '2025-04-01T00:00:00.000Z',
    termsVersion: 1,
    terms: TERMS,
    costTable: COST,
  },
  TalentTermsChanged: {
    arrangementId: 'T-1',
    termsVersion: 2,
    terms: { ...TERMS, annualCostYen: 24_000_000 },
    costTable: COST,
    changes: ['participants', 'cost'],
    joinedOrganisationIds: ['133078'],
    leftOrganisationIds: [],
    voidedConsents: ['012025'],
    reason: '檜原村の参加',
    changedByPersonId: 'p-1',
    changedByOrganisationId: '011002',
    changedAt: '2025-04-02T00:00:00.000Z',
  },
  TalentTermsConsented: {
    arrangementId: 'T-1',
    termsVersion: 2,
    organisationId: '012025',
    consentedByPersonId: 'p-6',
    consentedAt: '2025-04-03T00:00:00.000Z',
  },
  TalentTermsDeclined: {
    arrangementId: 'T-1',
    termsVersion: 2,
    organisationId: '133078',
    reason: '予算が足りない',
    declinedByPersonId: 'p-7',
    declinedAt: '2025-04-03T00:00:00.000Z',
  },
  TalentTermsAgreed: { arrangementId: 'T-1', termsVersion: 2, organisationIds: ['011002', '012025'], agreedAt: '2025-04-04T00:00:00.000Z' },
  TalentProblemsListed: { arrangementId: 'T-1', organisationId: '012025', problems: [{ problemId: 'x', text: '人手不足' }], listedByPersonId: 'p-6' },
  TalentRequirementsDefined: {
    arrangementId: 'T-1',
    requirements: [{ requirementId: 'r1', text: 'クラウドの経験', problemIds: ['x'] }],
    definedByPersonId: 'p-1',
  },
  TalentSelectionOpened: { arrangementId: 'T-1', openedByPersonId: 'p-1' },
  TalentCandidateAdded: { arrangementId: 'T-1', candidateId: 'cand-1', name: '候補 一郎', reference: '応募-0042', addedByPersonId: 'p-1' },
  TalentCandidateSelected: { arrangementId: 'T-1', candidateId: 'cand-1', termsVersion: 2, selectedByPersonId: 'p-1', selectedAt: '2025-05-01T00:00:00.000Z' },
  TalentChecklistSet: { arrangementId: 'T-1', items: [{ itemId: 'pc', label: 'PC貸与' }], setByPersonId: 'p-1' },
  TalentChecklistItemCompleted: { arrangementId: 'T-1', itemId: 'pc', completedByPersonId: 'p-1', completedAt: '2025-05-02T00:00:00.000Z' },
  TalentArrangementActivated: {
    arrangementId: 'T-1',
    termsVersion: 2,
    candidateId: 'cand-1',
    activatedByPersonId: 'p-1',
    activatedAt: '2025-05-03T00:00:00.000Z',
  },
  TalentArrangementEnded: {
    arrangementId: 'T-1',
    endedFromPhase: 'active',
    early: true,
    reason: '本人の都合',
    endedByPersonId: 'p-1',
    endedAt: '2025-09-30T00:00:00.000Z',
  },
  TalentPoolOpened: {
    poolId: 'pool-1',
    name: '北海道DX人材プール',
    prefectureOrganisationId: '010006',
    openedByPersonId: 'p-9',
    openedAt: '2025-04-01T00:00:00.000Z',
  },
  PoolPersonAdded: { poolId: 'pool-1', poolPersonId: 'pp-1', name: '派遣 花子', reference: '職員-7', capacityDaysPerMonth: 10, addedByPersonId: 'p-9' },
  PoolPersonCapacityChanged: { poolId: 'pool-1', poolPersonId: 'pp-1', capacityDaysPerMonth: 8, previousCapacityDaysPerMonth: 10, changedByPersonId: 'p-9' },
  PoolPersonDispatched: {
    poolId: 'pool-1',
    dispatchId: 'dsp-1',
    poolPersonId: 'pp-1',
    organisationId: '012025',
    arrangementId: 'T-1',
    daysPerMonth: 4,
    startDate: '2025-04-01',
    endDate: '2025-09-30',
    dispatchedByPersonId: 'p-9',
    dispatchedAt: '2025-04-01T00:00:00.000Z',
  },
  PoolDispatchEnded: {
    poolId: 'pool-1',
    dispatchId: 'dsp-1',
    endDate: '2025-06-30',
    previousEndDate: '2025-09-30',
    reason: '配置換え',
    endedByPersonId: 'p-9',
  },
};

const say = (type: KnownEventType, actor = '011002', withheld: Withheld = OPEN, data: object = FIXTURES[type]) =>
  summarise({ type, data: data as Record<string, unknown> }, actor, names, withheld);

describe('event summaries', () => {
  it('has a summary for every event type declared in libs/domain, and for nothing else', () => {
    const declared = declaredEventTypes();
    expect(declared.length).toBeGreaterThanOrEqual(47);
    expect([...KNOWN_EVENT_TYPES].sort()).toEqual(declared);
    expect(Object.keys(FIXTURES).sort()).toEqual(declared);
  });

  it.each(KNOWN_EVENT_TYPES.map((type) => [type]))('summarises %s in Japanese and English, naming organisations, with nothing undefined', (type) => {
    const { ja, en } = say(type);
    for (const text of [ja, en]) {
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toMatch(/undefined|\[object|NaN|\bnull\b/);
      expect(text).not.toContain(type); // a real sentence, not the generic fallback
    }
    expect(ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(en).toMatch(/^[A-Z0-9\u3040-\u30ff\u4e00-\u9fff¥]/);
  });

  it('says who cast which stance, as in the brief', () => {
    expect(say('StanceCast')).toEqual({ ja: '札幌市が賛成の公式見解を決裁しました', en: '札幌市 (011002) cast APPROVE' });
    expect(
      say('StanceCast', '010006', OPEN, { ...FIXTURES.StanceCast, castByOrganisationId: '010006', mandateId: 'M-1', stance: 'object', reason: '運用上の支障' }),
    ).toEqual({
      ja: '北海道が委任に基づき札幌市の反対の公式見解を決裁しました（理由: 運用上の支障）',
      en: '北海道 (010006) cast OBJECT for 札幌市 (011002) under mandate M-1: 運用上の支障',
    });
    expect(say('StanceCast', '011002', OPEN, { ...FIXTURES.StanceCast, supersedes: 'object' })).toEqual({
      ja: '札幌市が公式見解を反対から賛成に変更しました（決裁）',
      en: '札幌市 (011002) changed its stance from OBJECT to APPROVE',
    });
  });

  it('summarises a close with its tally and outcome, and opening rules with Japan time', () => {
    expect(say('ConsultationClosed', '010006')).toEqual({
      ja: '協議が締切により終了しました。結果: 可決（賛成 2・反対 1・棄権 0・阻止 0、参加 3/4 団体）',
      en: 'The consultation closed when due. Result: PASSED (approve 2, object 1, abstain 0, block 0; 3 of 4 organisations took part)',
    });
    expect(
      say('ConsultationClosed', '010006', OPEN, {
        ...FIXTURES.ConsultationClosed,
        early: true,
        reason: '全団体が回答したため',
        outcome: { quorumMet: true, thresholdMet: true, blocked: true, passed: false },
      }).ja,
    ).toBe('北海道が協議を締切前に終了しました（理由: 全団体が回答したため）。結果: 否決（賛成 2・反対 1・棄権 0・阻止 0、参加 3/4 団体、阻止あり）');
    expect(say('ConsultationOpened', '010006')).toEqual({
      ja: '北海道が協議を開始しました（2 団体、1団体1票、定足数 50%、可決 60%、阻止あり、結果は締切まで非公開、締切 2025-04-08 12:00（日本時間））',
      en: '北海道 (010006) opened a consultation of 2 organisations (one organisation one vote, quorum 50%, threshold 60%, a block vetoes, results hidden until close, closes 2025-04-08 03:00 UTC)',
    });
  });

  it('withholds a stance and its reason when told to, and says so', () => {
    for (const type of ['StanceDrafted', 'StanceCast'] as const) {
      const { ja, en } = say(type, '011002', { personalData: false, stance: true });
      expect(`${ja} ${en}`).not.toMatch(/賛成|反対|APPROVE|OBJECT|運用上の支障/);
      expect(ja).toContain('非公開');
      expect(en).toContain('withheld');
    }
    expect(say('StanceDrafted')).toEqual({
      ja: '札幌市が反対の見解案を起案しました（理由: 運用上の支障）',
      en: '札幌市 (011002) drafted OBJECT: 運用上の支障',
    });
  });

  it('withholds names, e-mail addresses and file references of people when told to', () => {
    const cases: [KnownEventType, string[]][] = [
      ['MemberAdded', ['札幌 三郎', 'staff@city.sapporo.example.jp']],
      ['TalentCandidateAdded', ['候補 一郎', '応募-0042']],
      ['PoolPersonAdded', ['派遣 花子', '職員-7']],
    ];
    for (const [type, secrets] of cases) {
      const open = say(type);
      const closed = say(type, '011002', { personalData: true, stance: false });
      for (const secret of secrets) {
        expect(`${open.ja} ${open.en}`).toContain(secret);
        expect(`${closed.ja} ${closed.en}`).not.toContain(secret);
      }
      expect(closed.en).toContain('withheld');
    }
    expect(say('MemberAdded', 'digital-agency', { personalData: true, stance: false })).toEqual({
      ja: 'デジタル庁が札幌市にメンバー p-1（氏名・メールアドレスは非公開）を追加しました（役割: 職員・決裁者）',
      en: 'デジタル庁 (digital-agency) added member p-1 (name and e-mail withheld) to 札幌市 (011002) as member, approver',
    });
  });

  it('summarises talent terms with yen and the organisations that joined', () => {
    expect(say('TalentTermsChanged')).toEqual({
      ja: '札幌市が条件を第2版に変更しました（参加団体・費用、参加: 檜原村、年額 24,000,000 円）（理由: 檜原村の参加）',
      en: '札幌市 (011002) changed the terms to version 2 (participants, cost; joined: 檜原村 (133078); ¥24,000,000 a year): 檜原村の参加',
    });
  });

  it('names an organisation it cannot find by its id, and an unknown or malformed event by its type', () => {
    expect(say('ProposalSubmitted', 'org-x')).toEqual({ ja: 'org-xが修文案の第2版を提出しました', en: 'org-x submitted revision 2 of the proposal' });
    expect(summarise({ type: 'CheckpointSigned', data: {} }, 'platform', names)).toEqual({
      ja: 'platformの操作: CheckpointSigned',
      en: 'CheckpointSigned by platform',
    });
    expect(summarise({ type: 'ProposalDrafted', data: { title: 'x' } }, '011002', names)).toEqual({
      ja: '札幌市の操作: ProposalDrafted',
      en: 'ProposalDrafted by 札幌市 (011002)',
    });
  });

  it('shortens long free text', () => {
    expect(quote('あ'.repeat(150))).toBe(`${'あ'.repeat(99)}…`);
    expect(quote(' 改行\nあり ')).toBe('改行 あり');
  });

  it('lists the organisations a summary may name, for one lookup per page', () => {
    expect(organisationIdsIn({ type: 'StanceCast', data: { ...FIXTURES.StanceCast, castByOrganisationId: '010006' } }).sort()).toEqual(['010006', '011002']);
    expect(organisationIdsIn({ type: 'TalentTermsChanged', data: FIXTURES.TalentTermsChanged as never }).sort()).toEqual(['133078']);
    expect(organisationIdsIn({ type: 'MandateGranted', data: FIXTURES.MandateGranted as never }).sort()).toEqual(['010006', '133078']);
  });
});
