import fc from 'fast-check';
import { Actor, isDomainError } from '../shared/decider';
import { DeciderSpecification } from '../testing/decider-spec';
import { CostTable, splitCost } from './cost-split';
import { OrganisationLookup, TalentArrangementCommand, TermsInput, TermsParticipantInput } from './arrangements.commands';
import { isAgreed, pendingConsents, TalentArrangement, talentArrangementDecider, TalentArrangementState, termsChanges } from './arrangements.decider';
import {
  TalentArrangementEvent,
  TalentArrangementProposed,
  TalentArrangementProposedData,
  talentArrangementStreamName,
  TalentTermsAgreed,
  TalentTermsChanged,
  TalentTermsChangedData,
  TalentTermsConsented,
  TalentTermsDeclined,
  Terms,
} from './arrangements.events';

const spec = DeciderSpecification.for(talentArrangementDecider);

const actor = (personId: string, organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId,
  organisationId,
  organisationKind,
  roles,
});

// Four small towns of 北海道 (prefecture code 01) share one CIO補佐官; town A proposes and employs.
const [A, B, C, D] = ['016381', '016390', '016403', '016411'];
const TOWNS = [A, B, C, D];
const HOKKAIDO = '010006';
const SHIBUYA = '131130'; // 東京都, outside the arrangement
const coordinatorOf = (organisationId: string) => actor(`p-${organisationId}-coord`, organisationId, 'municipality', ['member', 'coordinator']);
const approverOf = (organisationId: string) => actor(`p-${organisationId}-approver`, organisationId, 'municipality', ['approver']);
const memberOf = (organisationId: string) => actor(`p-${organisationId}-member`, organisationId, 'municipality', ['member']);
const adminOf = (organisationId: string) => actor(`p-${organisationId}-admin`, organisationId, 'municipality', ['admin']);
const hokkaidoCoordinator = actor('p-hokkaido-coord', HOKKAIDO, 'prefecture', ['coordinator']);
const vendorCoordinator = actor('p-vendor-coord', 'sample-vendor', 'vendor', ['coordinator']);
const daCoordinator = actor('p-da-coord', 'digital-agency', 'national', ['coordinator', 'admin']);

const LOOKUP: readonly OrganisationLookup[] = [
  ...TOWNS.map((organisationId) => ({ organisationId, kind: 'municipality' as const, prefectureCode: '01', active: true })),
  { organisationId: HOKKAIDO, kind: 'prefecture', prefectureCode: '01', active: true },
  { organisationId: '130001', kind: 'prefecture', prefectureCode: '13', active: true },
  { organisationId: SHIBUYA, kind: 'municipality', prefectureCode: '13', active: true },
  { organisationId: '016951', kind: 'municipality', prefectureCode: '01', active: false },
  { organisationId: 'sample-vendor', kind: 'vendor', prefectureCode: null, active: true },
];

const NOW = new Date('2025-01-15T00:00:00.000Z');
const metadata = (by: Actor, now: Date = NOW) => ({ commandId: '01JQ7Z0000000000000000CMD1', now, actor: by });

// Terms as given in commands, and as recorded.
const participantsInput = (ids: readonly string[] = TOWNS, days = 5): TermsParticipantInput[] =>
  ids.map((organisationId) => ({ organisationId, population: null, daysPerMonth: days }));
const termsInput = (overrides: Partial<TermsInput> = {}): TermsInput => ({
  startDate: '2025-04-01',
  endDate: '2026-03-31',
  annualCostYen: 20_000_000,
  hostOrganisationId: A,
  participants: participantsInput(),
  splitRule: 'equal',
  subsidyPercent: null,
  ...overrides,
});
const terms = (ids: readonly string[] = TOWNS, overrides: Partial<Terms> = {}): Terms => ({
  startDate: '2025-04-01',
  endDate: '2026-03-31',
  annualCostYen: 20_000_000,
  hostOrganisationId: A,
  participants: ids.map((organisationId) => ({ organisationId, prefectureCode: organisationId === SHIBUYA ? '13' : '01', population: null, daysPerMonth: 5 })),
  splitRule: 'equal',
  subsidyPercent: 50,
  ...overrides,
});
/** The split of recorded terms, for fixtures; the split itself is tested in cost-split.spec.ts. */
function costTableOf(t: Terms): CostTable {
  const table = splitCost(t);
  if (isDomainError(table)) throw new Error(table.message);
  return table;
}
const equalRow = (organisationId: string, shareYen: number, subsidyYen: number) => ({
  organisationId,
  weight: 1,
  shareYen,
  subsidyYen,
  netYen: shareYen - subsidyYen,
});

// Commands
type Data<T extends TalentArrangementCommand['type']> = Extract<TalentArrangementCommand, { type: T }>['data'];
function command<T extends TalentArrangementCommand['type']>(type: T, data: Omit<Data<T>, 'arrangementId'>, by: Actor, now = NOW): TalentArrangementCommand {
  return { type, data: { arrangementId: 'TA1', ...data }, metadata: metadata(by, now) } as TalentArrangementCommand;
}
const propose = (terms: Partial<TermsInput> = {}, by: Actor = coordinatorOf(A), extra: Partial<Data<'ProposeTalentArrangement'>> = {}) =>
  command(
    'ProposeTalentArrangement',
    { role: 'CIO補佐官', skills: ['自治体システム標準化', '情報セキュリティ'], terms: termsInput(terms), organisations: LOOKUP, ...extra },
    by,
  );
const changeTerms = (t: Partial<TermsInput>, reason = '人件費の見直し', by: Actor = coordinatorOf(A)) =>
  command('ChangeTalentTerms', { terms: termsInput(t), reason, organisations: LOOKUP }, by);
const consent = (organisationId: string, termsVersion = 1, by: Actor = approverOf(organisationId), now = NOW) =>
  command('ConsentToTalentTerms', { organisationId, termsVersion }, by, now);
const decline = (organisationId: string, reason = '予算が議会で否決された', termsVersion = 1, by: Actor = approverOf(organisationId)) =>
  command('DeclineTalentTerms', { organisationId, termsVersion, reason }, by);
const leave = (organisationId: string, reason = '単独で採用できたため', by: Actor = approverOf(organisationId)) =>
  command('LeaveTalentArrangement', { organisationId, reason }, by);
const listProblems = (
  organisationId: string,
  problems = [{ problemId: `P-${organisationId}`, text: '標準準拠システムへの移行計画が立てられない' }],
  by = memberOf(organisationId),
) => command('ListTalentProblems', { organisationId, problems }, by);
const REQUIREMENTS = [{ requirementId: 'R1', text: 'ガバメントクラウド移行の経験', problemIds: [`P-${A}`, `P-${B}`] }];
const defineRequirements = (requirements = REQUIREMENTS, by: Actor = coordinatorOf(A)) => command('DefineTalentRequirements', { requirements }, by);
const openSelection = (by: Actor = coordinatorOf(A)) => command('OpenTalentSelection', {}, by);
const addCandidate = (candidateId = 'K1', name = '山田 花子', reference = '応募-2025-003', by: Actor = coordinatorOf(A)) =>
  command('AddTalentCandidate', { candidateId, name, reference }, by);
const selectCandidate = (candidateId = 'K1', by: Actor = coordinatorOf(A)) => command('SelectTalentCandidate', { candidateId }, by);
const CHECKLIST = [
  { itemId: 'badge', label: '庁舎入館証の発行' },
  { itemId: 'account', label: '庁内ネットワークのアカウント発行' },
];
const setChecklist = (items = CHECKLIST, by: Actor = coordinatorOf(A)) => command('SetOnboardingChecklist', { items }, by);
const completeItem = (itemId: string, by: Actor = memberOf(A)) => command('CompleteChecklistItem', { itemId }, by);
const START = new Date('2025-03-31T15:00:00.000Z'); // 2025-04-01 00:00 in Japan
const activate = (now = START, by: Actor = coordinatorOf(A)) => command('ActivateTalentArrangement', {}, by, now);
const end = (reason: string | null, now: Date, by: Actor = coordinatorOf(A)) => command('EndTalentArrangement', { reason }, by, now);

// Events
const proposed = (data: Partial<TalentArrangementProposedData> = {}): TalentArrangementProposed => ({
  type: 'TalentArrangementProposed',
  data: {
    arrangementId: 'TA1',
    role: 'CIO補佐官',
    skills: ['自治体システム標準化', '情報セキュリティ'],
    proposerOrganisationId: A,
    proposerKind: 'municipality',
    proposerPrefectureCode: '01',
    proposedByPersonId: `p-${A}-coord`,
    proposedAt: NOW.toISOString(),
    termsVersion: 1,
    terms: terms(),
    costTable: costTableOf(terms()),
    ...data,
  },
});
const changed = (termsVersion: number, t: Terms, data: Partial<TalentTermsChangedData> = {}): TalentTermsChanged => ({
  type: 'TalentTermsChanged',
  data: {
    arrangementId: 'TA1',
    termsVersion,
    terms: t,
    costTable: costTableOf(t),
    changes: ['cost'],
    joinedOrganisationIds: [],
    leftOrganisationIds: [],
    voidedConsents: [],
    reason: '人件費の見直し',
    changedByPersonId: `p-${A}-coord`,
    changedByOrganisationId: A,
    changedAt: NOW.toISOString(),
    ...data,
  },
});
const consented = (organisationId: string, termsVersion = 1): TalentTermsConsented => ({
  type: 'TalentTermsConsented',
  data: { arrangementId: 'TA1', termsVersion, organisationId, consentedByPersonId: `p-${organisationId}-approver`, consentedAt: NOW.toISOString() },
});
const declined = (organisationId: string, reason = '予算が議会で否決された', termsVersion = 1): TalentTermsDeclined => ({
  type: 'TalentTermsDeclined',
  data: { arrangementId: 'TA1', termsVersion, organisationId, reason, declinedByPersonId: `p-${organisationId}-approver`, declinedAt: NOW.toISOString() },
});
const agreed = (termsVersion = 1, organisationIds: readonly string[] = TOWNS): TalentTermsAgreed => ({
  type: 'TalentTermsAgreed',
  data: { arrangementId: 'TA1', termsVersion, organisationIds, agreedAt: NOW.toISOString() },
});
const allConsented = (version = 1, ids: readonly string[] = TOWNS): TalentArrangementEvent[] => [
  ...ids.map((id) => consented(id, version)),
  agreed(version, ids),
];
const problemsListed = (organisationId: string): TalentArrangementEvent => ({
  type: 'TalentProblemsListed',
  data: {
    arrangementId: 'TA1',
    organisationId,
    problems: [{ problemId: `P-${organisationId}`, text: '標準準拠システムへの移行計画が立てられない' }],
    listedByPersonId: `p-${organisationId}-member`,
  },
});
const requirementsDefined: TalentArrangementEvent = {
  type: 'TalentRequirementsDefined',
  data: { arrangementId: 'TA1', requirements: REQUIREMENTS, definedByPersonId: `p-${A}-coord` },
};
const selectionOpened: TalentArrangementEvent = { type: 'TalentSelectionOpened', data: { arrangementId: 'TA1', openedByPersonId: `p-${A}-coord` } };
const candidateAdded: TalentArrangementEvent = {
  type: 'TalentCandidateAdded',
  data: { arrangementId: 'TA1', candidateId: 'K1', name: '山田 花子', reference: '応募-2025-003', addedByPersonId: `p-${A}-coord` },
};
const candidateSelected = (termsVersion = 1): TalentArrangementEvent => ({
  type: 'TalentCandidateSelected',
  data: { arrangementId: 'TA1', candidateId: 'K1', termsVersion, selectedByPersonId: `p-${A}-coord`, selectedAt: NOW.toISOString() },
});
const checklistSet = (items = CHECKLIST): TalentArrangementEvent => ({
  type: 'TalentChecklistSet',
  data: { arrangementId: 'TA1', items, setByPersonId: `p-${A}-coord` },
});
const itemCompleted = (itemId: string): TalentArrangementEvent => ({
  type: 'TalentChecklistItemCompleted',
  data: { arrangementId: 'TA1', itemId, completedByPersonId: `p-${A}-member`, completedAt: NOW.toISOString() },
});
const activated: TalentArrangementEvent = {
  type: 'TalentArrangementActivated',
  data: { arrangementId: 'TA1', termsVersion: 1, candidateId: 'K1', activatedByPersonId: `p-${A}-coord`, activatedAt: START.toISOString() },
};

const fold = (events: readonly TalentArrangementEvent[]): TalentArrangement => {
  const state = events.reduce(talentArrangementDecider.evolve, talentArrangementDecider.initialState());
  if (state.phase === 'unproposed') throw new Error('not proposed');
  return state;
};

// Phases reached, as event histories.
const PROPOSED = [proposed()];
const AGREED = [proposed(), ...allConsented()];
const PROBLEMS_LISTED = [...AGREED, ...TOWNS.map(problemsListed)];
const REQUIREMENTS_DEFINED = [...PROBLEMS_LISTED, requirementsDefined];
const SELECTION = [...REQUIREMENTS_DEFINED, selectionOpened, candidateAdded];
const ONBOARDING = [...SELECTION, candidateSelected(), checklistSet()];
const READY = [...ONBOARDING, itemCompleted('badge'), itemCompleted('account')];
const ACTIVE = [...READY, activated];

describe('Talent arrangement decider', () => {
  it('lives in streams named TalentArrangement-<id>', () => {
    expect(talentArrangementDecider.category).toBe('TalentArrangement');
    expect(talentArrangementStreamName('TA1')).toBe('TalentArrangement-TA1');
  });

  describe('when nothing is proposed yet', () => {
    const given = spec.given([]);

    it('is proposed by a town: four towns × 5,000,000 yen for one 20,000,000 yen CIO補佐官, half of it 特別交付税', () => {
      given.when(propose()).then([
        proposed({
          costTable: {
            splitRule: 'equal',
            annualCostYen: 20_000_000,
            subsidyPercent: 50,
            subsidyTotalYen: 10_000_000,
            netTotalYen: 10_000_000,
            shares: TOWNS.map((id) => equalRow(id, 5_000_000, 2_500_000)),
          },
        }),
      ]);
    });

    it('is proposed by the prefecture acting as coordinator, without taking part itself', () => {
      given.when(propose({ hostOrganisationId: HOKKAIDO }, hokkaidoCoordinator)).then([
        proposed({
          proposerOrganisationId: HOKKAIDO,
          proposerKind: 'prefecture',
          proposedByPersonId: 'p-hokkaido-coord',
          terms: terms(TOWNS, { hostOrganisationId: HOKKAIDO }),
        }),
      ]);
    });

    it('keeps a subsidy share given explicitly, also 0', () => {
      const t = terms(TOWNS, { subsidyPercent: 0 });
      given.when(propose({ subsidyPercent: 0 })).then([proposed({ terms: t, costTable: costTableOf(t) })]);
    });

    it('splits by population figures supplied with the terms', () => {
      const populations = [3_000, 8_000, 12_000, 27_000];
      const participants = TOWNS.map((organisationId, i) => ({ organisationId, population: populations[i], daysPerMonth: 5 }));
      const t = terms(TOWNS, { splitRule: 'population', participants: participants.map((p) => ({ ...p, prefectureCode: '01' })) });
      given.when(propose({ splitRule: 'population', participants })).then([proposed({ terms: t, costTable: costTableOf(t) })]);
      expect(costTableOf(t).shares.map((s) => s.shareYen)).toEqual([1_200_000, 3_200_000, 4_800_000, 10_800_000]);
    });

    it('needs the proposer involved: a town among the participants, a prefecture over at least one of them', () => {
      given.when(propose({ participants: participantsInput([B, C]) })).thenFails('PROPOSER_NOT_INVOLVED', 'terms.participants');
      const tokyo = actor('p-tokyo-coord', '130001', 'prefecture', ['coordinator']);
      given.when(propose({}, tokyo)).thenFails('PROPOSER_NOT_INVOLVED', 'terms.participants');
    });

    it.each([
      ['a member', memberOf(A)],
      ['an approver', approverOf(A)],
      ['a vendor coordinator', vendorCoordinator],
      ['a national coordinator', daCoordinator],
    ])('is forbidden to %s', (_, by) => {
      given.when(propose({}, by)).thenFails('FORBIDDEN');
    });

    it('is allowed to an admin of the town', () => {
      expect(isDomainError(talentArrangementDecider.decide(propose({}, adminOf(A)), talentArrangementDecider.initialState()))).toBe(false);
    });

    it.each<[string, Partial<TermsInput>, string, string]>([
      ['an impossible start date', { startDate: '2025-02-30' }, 'INVALID_START_DATE', 'terms.startDate'],
      ['an end before the start', { endDate: '2025-03-31' }, 'INVALID_END_DATE', 'terms.endDate'],
      ['a term of 5 years', { endDate: '2030-04-01' }, 'TERM_TOO_LONG', 'terms.endDate'],
      ['an unknown host', { hostOrganisationId: '999999' }, 'UNKNOWN_ORGANISATION', 'terms.hostOrganisationId'],
      ['a vendor as host', { hostOrganisationId: 'sample-vendor' }, 'NOT_A_LOCAL_GOVERNMENT', 'terms.hostOrganisationId'],
      ['one participant', { participants: participantsInput([A]) }, 'TOO_FEW_PARTICIPANTS', 'terms.participants'],
      ['an inactive participant', { participants: participantsInput([A, '016951']) }, 'ORGANISATION_INACTIVE', 'terms.participants[1].organisationId'],
      ['a vendor participant', { participants: participantsInput([A, 'sample-vendor']) }, 'NOT_A_LOCAL_GOVERNMENT', 'terms.participants[1].organisationId'],
      ['an unknown participant', { participants: participantsInput([A, '017000']) }, 'UNKNOWN_ORGANISATION', 'terms.participants[1].organisationId'],
      ['a participant twice', { participants: participantsInput([A, B, A]) }, 'DUPLICATE_PARTICIPANT', 'terms.participants[2].organisationId'],
      ['more days than a month', { participants: participantsInput(TOWNS, 8) }, 'INVALID_ALLOTMENT', 'terms.participants'],
      ['no days at all', { participants: participantsInput(TOWNS, 0) }, 'INVALID_ALLOTMENT', 'terms.participants'],
      [
        'a missing allotment',
        { participants: [...participantsInput([A]), { organisationId: B, population: null, daysPerMonth: null as unknown as number }] },
        'MISSING_DAYS_PER_MONTH',
        'terms.participants[1].daysPerMonth',
      ],
      ['a cost with sen', { annualCostYen: 19_999_999.5 }, 'INVALID_ANNUAL_COST', 'terms.annualCostYen'],
      ['a cost beyond the bound', { annualCostYen: 2_000_000_000 }, 'ANNUAL_COST_TOO_LARGE', 'terms.annualCostYen'],
      ['a subsidy over 100%', { subsidyPercent: 150 }, 'INVALID_SUBSIDY_PERCENT', 'terms.subsidyPercent'],
      ['population split without figures', { splitRule: 'population' }, 'MISSING_POPULATION', 'terms.participants[0].population'],
      ['an unknown split rule', { splitRule: 'by_area' as never }, 'INVALID_SPLIT_RULE', 'terms.splitRule'],
    ])('refuses %s', (_, t, code, field) => {
      given.when(propose(t)).thenFails(code, field);
    });

    it('validates the id, the role and the skills', () => {
      given.when(propose({}, coordinatorOf(A), { arrangementId: 'TA 1' } as never)).thenFails('INVALID_ARRANGEMENT_ID', 'arrangementId');
      given.when(propose({}, coordinatorOf(A), { role: '　' })).thenFails('INVALID_ROLE', 'role');
      given.when(propose({}, coordinatorOf(A), { skills: [] })).thenFails('INVALID_SKILLS', 'skills');
      given.when(propose({}, coordinatorOf(A), { skills: ['RPA', 'RPA'] })).thenFails('INVALID_SKILLS', 'skills[1]');
      given
        .when(propose({}, coordinatorOf(A), { organisations: LOOKUP.filter((o) => o.organisationId !== A) }))
        .thenFails('UNKNOWN_ORGANISATION', 'organisations');
    });

    it('knows no arrangement for any other command', () => {
      given.when(consent(A)).thenFails('ARRANGEMENT_NOT_FOUND', 'arrangementId');
      given.when(changeTerms({})).thenFails('ARRANGEMENT_NOT_FOUND', 'arrangementId');
      given.when(end('中止', NOW)).thenFails('ARRANGEMENT_NOT_FOUND', 'arrangementId');
      expect(pendingConsents(talentArrangementDecider.initialState())).toEqual([]);
      expect(isAgreed(talentArrangementDecider.initialState())).toBe(false);
    });
  });

  describe('when the terms are proposed', () => {
    const given = spec.given(PROPOSED);

    it('cannot be proposed again', () => {
      given.when(propose()).thenFails('ARRANGEMENT_ALREADY_EXISTS', 'arrangementId');
    });

    it('takes a consent from an approver (決裁者) of a participant, for the version named', () => {
      given.when(consent(B)).then([consented(B)]);
      expect(pendingConsents(fold([...PROPOSED, consented(B)]))).toEqual([A, C, D]);
    });

    it.each([
      ['a member', memberOf(B)],
      ['a coordinator', coordinatorOf(B)],
      ['an admin', adminOf(B)],
      ['an approver of another town', approverOf(C)],
    ])('takes no consent from %s', (_, by) => {
      given.when(consent(B, 1, by)).thenFails('FORBIDDEN', 'organisationId');
    });

    it('takes no consent from an organisation outside the arrangement', () => {
      given.when(consent(SHIBUYA)).thenFails('NOT_A_PARTICIPANT', 'organisationId');
    });

    it('takes no consent to a version that is not the current one', () => {
      given.when(consent(B, 2)).thenFails('TERMS_VERSION_STALE', 'termsVersion');
      given.when(consent(B, 0)).thenFails('TERMS_VERSION_STALE', 'termsVersion');
    });

    it('takes a decline with its reason, and none without', () => {
      given.when(decline(C)).then([declined(C)]);
      given.when(decline(C, '  ')).thenFails('REASON_REQUIRED', 'reason');
    });

    it('has its terms changed by the proposer: a new version, with what changed', () => {
      const t = terms(TOWNS, { annualCostYen: 18_000_000 });
      given.when(changeTerms({ annualCostYen: 18_000_000 })).then([changed(2, t)]);
    });

    it('decides nothing for the same terms again (a retry)', () => {
      given.when(changeTerms({}, '')).thenNothing();
    });

    it('needs a reason for a change', () => {
      given.when(changeTerms({ annualCostYen: 18_000_000 }, '')).thenFails('REASON_REQUIRED', 'reason');
    });

    it('does not have its terms changed by anyone else', () => {
      given.when(changeTerms({ annualCostYen: 18_000_000 }, '値下げ', coordinatorOf(B))).thenFails('FORBIDDEN');
      given.when(changeTerms({ annualCostYen: 18_000_000 }, '値下げ', approverOf(A))).thenFails('FORBIDDEN');
    });

    it('validates changed terms like proposed ones', () => {
      given.when(changeTerms({ participants: participantsInput([B, C]) })).thenFails('PROPOSER_NOT_INVOLVED', 'terms.participants');
      given.when(changeTerms({ annualCostYen: -1 })).thenFails('INVALID_ANNUAL_COST', 'terms.annualCostYen');
    });

    it('is in 課題の特定 and does not go on to requirements before every participant has listed its problems', () => {
      expect(fold(PROPOSED).phase).toBe('problems');
      spec
        .given([...PROPOSED, problemsListed(A), problemsListed(B)])
        .when(defineRequirements())
        .thenFails('PROBLEMS_MISSING');
    });

    it('does not select or activate before its phase', () => {
      given.when(openSelection()).thenFails('WRONG_PHASE');
      given.when(addCandidate()).thenFails('WRONG_PHASE');
      given.when(activate()).thenFails('WRONG_PHASE');
    });
  });

  describe('when three of four towns have consented', () => {
    const given = spec.given([...PROPOSED, consented(A), consented(B), consented(C)]);

    it('is agreed with the last consent', () => {
      given.when(consent(D)).then([consented(D), agreed()]);
      expect(isAgreed(fold([...PROPOSED, consented(A), consented(B), consented(C)]))).toBe(false);
    });

    it('voids the three consents when the terms change', () => {
      const t = terms(TOWNS, { subsidyPercent: 30 });
      given.when(changeTerms({ subsidyPercent: 30 })).then([changed(2, t, { changes: ['subsidy'], voidedConsents: [A, B, C] })]);
    });
  });

  describe('when every participant has consented', () => {
    const given = spec.given(AGREED);

    it('is agreed on version 1', () => {
      expect(isAgreed(fold(AGREED))).toBe(true);
      expect(fold(AGREED).agreedVersion).toBe(1);
      expect(pendingConsents(fold(AGREED))).toEqual([]);
    });

    it('decides nothing for a consent given again', () => {
      given.when(consent(B)).thenNothing();
    });

    it('does not take back a consent by declining', () => {
      given.when(decline(B)).thenFails('ALREADY_CONSENTED', 'termsVersion');
    });

    it('lets a town leave: version 2 among three, every consent void, the indivisible yen to the earlier towns', () => {
      const t = terms([A, B, C]);
      given.when(leave(D)).then([
        changed(2, t, {
          costTable: {
            splitRule: 'equal',
            annualCostYen: 20_000_000,
            subsidyPercent: 50,
            subsidyTotalYen: 10_000_000,
            netTotalYen: 10_000_000,
            shares: [equalRow(A, 6_666_667, 3_333_334), equalRow(B, 6_666_667, 3_333_333), equalRow(C, 6_666_666, 3_333_333)],
          },
          changes: ['participants'],
          leftOrganisationIds: [D],
          voidedConsents: TOWNS,
          reason: '単独で採用できたため',
          changedByPersonId: `p-${D}-approver`,
          changedByOrganisationId: D,
        }),
      ]);
    });

    it('lets only an approver of the town itself take it out, never the proposer', () => {
      given.when(leave(D, '理由', coordinatorOf(D))).thenFails('FORBIDDEN', 'organisationId');
      given.when(leave(D, '理由', approverOf(C))).thenFails('FORBIDDEN', 'organisationId');
      given.when(leave(A)).thenFails('PROPOSER_NOT_INVOLVED', 'terms.participants');
      given.when(leave(D, '')).thenFails('REASON_REQUIRED', 'reason');
      given.when(leave(SHIBUYA)).thenFails('NOT_A_PARTICIPANT', 'organisationId');
    });

    it('does not let the last-but-one participant leave', () => {
      const two = [proposed({ terms: terms([A, B]), costTable: costTableOf(terms([A, B])) })];
      spec.given(two).when(leave(B)).thenFails('TOO_FEW_PARTICIPANTS', 'terms.participants');
    });
  });

  describe('when a town has left and rejoined', () => {
    const three = terms([A, B, C]);
    const left = changed(2, three, {
      changes: ['participants'],
      leftOrganisationIds: [D],
      voidedConsents: TOWNS,
      reason: '単独で採用できたため',
      changedByPersonId: `p-${D}-approver`,
      changedByOrganisationId: D,
    });
    const history = [...AGREED, left, consented(A, 2), consented(B, 2)];

    it('voids consents to version 2 when the town rejoins: version 3, back to 5,000,000 yen each', () => {
      spec
        .given(history)
        .when(changeTerms({}, `${D}が再参加`))
        .then([changed(3, terms(), { changes: ['participants'], joinedOrganisationIds: [D], voidedConsents: [A, B], reason: `${D}が再参加` })]);
      expect(costTableOf(terms()).shares.map((s) => s.shareYen)).toEqual([5_000_000, 5_000_000, 5_000_000, 5_000_000]);
    });

    const rejoined = [...history, changed(3, terms(), { changes: ['participants'], joinedOrganisationIds: [D], voidedConsents: [A, B], reason: '再参加' })];

    it('takes no consent to the voided versions', () => {
      spec.given(rejoined).when(consent(C, 2)).thenFails('TERMS_VERSION_STALE', 'termsVersion');
      spec.given(rejoined).when(consent(A, 1)).thenFails('TERMS_VERSION_STALE', 'termsVersion');
    });

    it('is not agreed until all four consent to version 3; version 1 stays the last agreed', () => {
      const state = fold(rejoined);
      expect(state.termsVersion).toBe(3);
      expect(isAgreed(state)).toBe(false);
      expect(state.agreedVersion).toBe(1);
      expect(pendingConsents(state)).toEqual(TOWNS);
      spec
        .given([...rejoined, consented(A, 3), consented(B, 3), consented(D, 3)])
        .when(consent(C, 3))
        .then([consented(C, 3), agreed(3)]);
    });
  });

  describe('when a participant has declined', () => {
    const history = [...PROPOSED, consented(A), declined(C)];
    const given = spec.given(history);

    it('waits for it', () => {
      expect(pendingConsents(fold(history))).toEqual([B, C, D]);
    });

    it('decides nothing for the same decline again, records a new reason', () => {
      given.when(decline(C)).thenNothing();
      given.when(decline(C, '費用負担が大きすぎる')).then([declined(C, '費用負担が大きすぎる')]);
    });

    it('may still take its consent to that version after all', () => {
      given.when(consent(C)).then([consented(C)]);
    });

    it('has its terms changed by the proposer in answer: the decline and the consents are void', () => {
      const t = terms(TOWNS, { annualCostYen: 16_000_000 });
      given
        .when(changeTerms({ annualCostYen: 16_000_000 }, 'C町の意見を受けて減額'))
        .then([changed(2, t, { voidedConsents: [A], reason: 'C町の意見を受けて減額' })]);
      expect(fold([...history, changed(2, t)]).answers.size).toBe(0);
    });
  });

  describe('during 課題の特定 (problems)', () => {
    const given = spec.given(AGREED);

    it('takes the problems of a participant from its members', () => {
      given.when(listProblems(B)).then([problemsListed(B)]);
    });

    it('takes problems only for the actor’s own participating organisation', () => {
      given.when(listProblems(B, undefined, memberOf(C))).thenFails('FORBIDDEN', 'organisationId');
      given.when(listProblems(SHIBUYA)).thenFails('NOT_A_PARTICIPANT', 'organisationId');
    });

    it('validates the problems', () => {
      given.when(listProblems(B, [])).thenFails('INVALID_PROBLEMS', 'problems');
      given.when(listProblems(B, [{ problemId: 'x y', text: '課題' }])).thenFails('INVALID_PROBLEM_ID', 'problems[0].problemId');
      given.when(listProblems(B, [{ problemId: 'x', text: '' }])).thenFails('INVALID_PROBLEM', 'problems[0].text');
      spec
        .given([...AGREED, problemsListed(A)])
        .when(listProblems(B, [{ problemId: `P-${A}`, text: '同じ番号' }]))
        .thenFails('DUPLICATE_PROBLEM_ID', 'problems[0].problemId');
    });

    it('decides nothing for the same list again', () => {
      spec
        .given([...AGREED, problemsListed(B)])
        .when(listProblems(B))
        .thenNothing();
    });

    it('goes on to 人材要件の定義 when the proposer defines requirements from the listed problems', () => {
      spec.given(PROBLEMS_LISTED).when(defineRequirements()).then([requirementsDefined]);
      expect(fold(REQUIREMENTS_DEFINED).phase).toBe('requirements');
    });

    it('refuses requirements that answer no listed problem, and requirements from anyone but the proposer', () => {
      const given = spec.given(PROBLEMS_LISTED);
      given
        .when(defineRequirements([{ requirementId: 'R1', text: '経験', problemIds: ['P-unknown'] }]))
        .thenFails('UNKNOWN_PROBLEM', 'requirements[0].problemIds');
      given.when(defineRequirements([{ requirementId: 'R1', text: '経験', problemIds: [] }])).thenFails('UNKNOWN_PROBLEM', 'requirements[0].problemIds');
      given.when(defineRequirements(REQUIREMENTS, coordinatorOf(B))).thenFails('FORBIDDEN');
      given.when(defineRequirements([])).thenFails('INVALID_REQUIREMENTS', 'requirements');
    });
  });

  describe('during 人材要件の定義 (requirements)', () => {
    const given = spec.given(REQUIREMENTS_DEFINED);

    it('redefines the requirements, or decides nothing for the same ones', () => {
      given.when(defineRequirements()).thenNothing();
      const more = [...REQUIREMENTS, { requirementId: 'R2', text: '情報セキュリティポリシー策定', problemIds: [`P-${C}`] }];
      given
        .when(defineRequirements(more))
        .then([{ type: 'TalentRequirementsDefined', data: { arrangementId: 'TA1', requirements: more, definedByPersonId: `p-${A}-coord` } }]);
    });

    it('does not let a town drop a problem a requirement cites', () => {
      given.when(listProblems(B, [{ problemId: 'P-other', text: '別の課題' }])).thenFails('PROBLEM_CITED', 'problems');
      given.when(listProblems(C, [{ problemId: 'P-other', text: '別の課題' }])).then([
        {
          type: 'TalentProblemsListed',
          data: { arrangementId: 'TA1', organisationId: C, problems: [{ problemId: 'P-other', text: '別の課題' }], listedByPersonId: `p-${C}-member` },
        },
      ]);
    });

    it('opens the selection (人材の選定), once', () => {
      given.when(openSelection()).then([selectionOpened]);
      spec
        .given([...REQUIREMENTS_DEFINED, selectionOpened])
        .when(openSelection())
        .thenNothing();
      given.when(openSelection(coordinatorOf(B))).thenFails('FORBIDDEN');
    });
  });

  describe('during 人材の選定 (selection)', () => {
    const given = spec.given(SELECTION);

    it('records a candidate by name and reference only, from the host or the proposer', () => {
      const hokkaidoHosted = [
        proposed({ terms: terms(TOWNS, { hostOrganisationId: HOKKAIDO }), costTable: costTableOf(terms(TOWNS, { hostOrganisationId: HOKKAIDO })) }),
        ...SELECTION.slice(1),
      ];
      spec
        .given(hokkaidoHosted)
        .when(addCandidate('K2', ' 佐藤 一郎 ', 'R7-応募-12', hokkaidoCoordinator))
        .then([
          {
            type: 'TalentCandidateAdded',
            data: { arrangementId: 'TA1', candidateId: 'K2', name: '佐藤 一郎', reference: 'R7-応募-12', addedByPersonId: 'p-hokkaido-coord' },
          },
        ]);
      given.when(addCandidate('K2', '佐藤 一郎', 'R7-応募-12', coordinatorOf(B))).thenFails('FORBIDDEN');
    });

    it('decides nothing for the same candidate again, refuses other details under its id', () => {
      given.when(addCandidate()).thenNothing();
      given.when(addCandidate('K1', '山田 太郎')).thenFails('CANDIDATE_ALREADY_EXISTS', 'candidateId');
      given.when(addCandidate('K2', '')).thenFails('INVALID_NAME', 'name');
      given.when(addCandidate('K2', '佐藤', '')).thenFails('INVALID_REFERENCE', 'reference');
    });

    it('selects a candidate under the agreed terms, naming it by id only (→ 受け入れ)', () => {
      given.when(selectCandidate()).then([candidateSelected()]);
      expect(fold([...SELECTION, candidateSelected()]).phase).toBe('onboarding');
    });

    it('does not select while the current terms wait for consents', () => {
      spec
        .given([...SELECTION, changed(2, terms(TOWNS, { annualCostYen: 22_000_000 }), { voidedConsents: TOWNS })])
        .when(selectCandidate())
        .thenFails('TERMS_NOT_AGREED');
    });

    it('selects only a recorded candidate', () => {
      given.when(selectCandidate('K9')).thenFails('CANDIDATE_NOT_FOUND', 'candidateId');
    });

    it('takes no more problems', () => {
      given.when(listProblems(B)).thenFails('WRONG_PHASE');
    });
  });

  describe('during 受け入れ (onboarding)', () => {
    const given = spec.given(ONBOARDING);

    it('has its checklist set by a coordinator of the host or the proposer', () => {
      spec
        .given([...SELECTION, candidateSelected()])
        .when(setChecklist())
        .then([checklistSet()]);
      given.when(setChecklist()).thenNothing();
      given.when(setChecklist([])).thenFails('INVALID_CHECKLIST', 'items');
      given.when(setChecklist([{ itemId: 'badge', label: '' }])).thenFails('INVALID_CHECKLIST', 'items[0].label');
      given.when(setChecklist(CHECKLIST, coordinatorOf(B))).thenFails('FORBIDDEN');
      given.when(setChecklist(CHECKLIST, memberOf(A))).thenFails('FORBIDDEN');
    });

    it('has its checklist ticked off by members of the host or the proposer', () => {
      given.when(completeItem('badge')).then([itemCompleted('badge')]);
      given.when(completeItem('badge', memberOf(B))).thenFails('FORBIDDEN');
      given.when(completeItem('parking')).thenFails('CHECKLIST_ITEM_NOT_FOUND', 'itemId');
      spec
        .given([...ONBOARDING, itemCompleted('badge')])
        .when(completeItem('badge'))
        .thenNothing();
    });

    it('keeps items done when the checklist is reset with them', () => {
      const items = [CHECKLIST[0], { itemId: 'plan', label: '業務計画書の作成' }];
      const state = fold([...ONBOARDING, itemCompleted('badge'), checklistSet(items)]);
      expect(state.checklist).toEqual([
        { itemId: 'badge', label: '庁舎入館証の発行', done: true },
        { itemId: 'plan', label: '業務計画書の作成', done: false },
      ]);
    });

    it('is not activated before the checklist is done', () => {
      given.when(activate()).thenFails('CHECKLIST_INCOMPLETE');
      spec
        .given([...SELECTION, candidateSelected()])
        .when(activate())
        .thenFails('CHECKLIST_INCOMPLETE');
    });

    it('is activated on the first day of the term in Japan, not before', () => {
      spec.given(READY).when(activate()).then([activated]);
      spec
        .given(READY)
        .when(activate(new Date('2025-03-31T14:59:59.999Z')))
        .thenFails('TERM_NOT_STARTED');
      spec
        .given(READY)
        .when(activate(new Date('2026-03-31T15:00:00.000Z')))
        .thenFails('TERM_OVER');
    });

    it('is not activated while changed terms wait for consents', () => {
      spec
        .given([...READY, changed(2, terms(TOWNS, { annualCostYen: 24_000_000 }), { voidedConsents: TOWNS })])
        .when(activate())
        .thenFails('TERMS_NOT_AGREED');
    });
  });

  describe('when active', () => {
    const given = spec.given(ACTIVE);

    it('decides nothing when activated again', () => {
      given.when(activate()).thenNothing();
    });

    it('keeps the agreed version in force while a change waits for consents', () => {
      const state = fold([...ACTIVE, changed(2, terms(TOWNS, { annualCostYen: 24_000_000 }), { voidedConsents: TOWNS })]);
      expect(state).toMatchObject({ phase: 'active', termsVersion: 2, agreedVersion: 1 });
      expect(isAgreed(state)).toBe(false);
    });

    it('ends early only with a reason', () => {
      const now = new Date('2025-09-30T03:00:00.000Z');
      given.when(end(null, now)).thenFails('REASON_REQUIRED', 'reason');
      given.when(end('本人の退職', now)).then([
        {
          type: 'TalentArrangementEnded',
          data: {
            arrangementId: 'TA1',
            endedFromPhase: 'active',
            early: true,
            reason: '本人の退職',
            endedByPersonId: `p-${A}-coord`,
            endedAt: now.toISOString(),
          },
        },
      ]);
    });

    it('ends at the end of its term without a reason', () => {
      const now = new Date('2026-03-31T03:00:00.000Z'); // the last day, in Japan
      given.when(end('任期満了', now)).then([
        {
          type: 'TalentArrangementEnded',
          data: { arrangementId: 'TA1', endedFromPhase: 'active', early: false, reason: null, endedByPersonId: `p-${A}-coord`, endedAt: now.toISOString() },
        },
      ]);
      given.when(end(null, now, coordinatorOf(B))).thenFails('FORBIDDEN');
    });
  });

  describe('when ended', () => {
    const endedEvent: TalentArrangementEvent = {
      type: 'TalentArrangementEnded',
      data: {
        arrangementId: 'TA1',
        endedFromPhase: 'problems',
        early: true,
        reason: '応募者なし',
        endedByPersonId: `p-${A}-coord`,
        endedAt: NOW.toISOString(),
      },
    };
    const given = spec.given([...PROPOSED, endedEvent]);

    it('takes nothing more', () => {
      given.when(consent(B)).thenFails('ARRANGEMENT_ENDED');
      given.when(changeTerms({ annualCostYen: 1_000_000 })).thenFails('ARRANGEMENT_ENDED');
      given.when(leave(B)).thenFails('ARRANGEMENT_ENDED');
      given.when(listProblems(B)).thenFails('WRONG_PHASE');
    });

    it('decides nothing when ended again', () => {
      given.when(end('再送', NOW)).thenNothing();
    });
  });

  it('names what changed between two terms versions', () => {
    expect(termsChanges(terms(), terms())).toEqual([]);
    expect(termsChanges(terms(), terms([B, A, C, D]))).toEqual(['participants']);
    expect(termsChanges(terms(), terms(TOWNS, { hostOrganisationId: B, endDate: '2027-03-31', splitRule: 'allotted_days' }))).toEqual([
      'host',
      'term',
      'split',
    ]);
    const moreDays = { ...terms(), participants: terms().participants.map((p, i) => (i === 0 ? { ...p, daysPerMonth: 8 } : p)) };
    expect(termsChanges(terms(), moreDays)).toEqual(['allotment']);
    const figures = { ...terms(), participants: terms().participants.map((p) => ({ ...p, population: 5_000 })) };
    expect(termsChanges(terms(), figures)).toEqual(['split']);
  });

  it('property: agreed exactly when every current participant has consented to the current version', () => {
    type Step = { kind: 'consent' | 'decline' | 'leave' | 'rejoin'; town: number; stale: boolean } | { kind: 'cost'; yen: number };
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant<'consent'>('consent'), town: fc.integer({ min: 0, max: 3 }), stale: fc.boolean() }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constantFrom<'decline' | 'leave' | 'rejoin'>('decline', 'leave', 'rejoin'),
          town: fc.integer({ min: 0, max: 3 }),
          stale: fc.constant(false),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant<'cost'>('cost'), yen: fc.integer({ min: 1, max: 30_000_000 }) }) },
    );
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        let state: TalentArrangementState = fold(PROPOSED);
        let lastTerms = termsInput();
        for (const step of steps) {
          const current = state as TalentArrangement;
          const ids = current.terms.participants.map((p) => p.organisationId);
          let cmd: TalentArrangementCommand;
          if (step.kind === 'cost') {
            lastTerms = { ...lastTerms, annualCostYen: step.yen };
            cmd = changeTerms(lastTerms);
          } else if (step.kind === 'rejoin') {
            const back = TOWNS.filter((id) => ids.includes(id) || id === TOWNS[step.town]);
            lastTerms = { ...lastTerms, participants: participantsInput(back) };
            cmd = changeTerms(lastTerms);
          } else if (step.kind === 'leave') {
            cmd = leave(TOWNS[step.town]);
          } else {
            const version = step.stale ? current.termsVersion - 1 : current.termsVersion;
            cmd = step.kind === 'consent' ? consent(TOWNS[step.town], version) : decline(TOWNS[step.town], '再検討', version);
          }
          const decision = talentArrangementDecider.decide(cmd, state);
          if (isDomainError(decision)) {
            if (step.kind === 'leave' && decision.code === 'TOO_FEW_PARTICIPANTS') continue;
            if (step.kind === 'leave' && decision.code === 'PROPOSER_NOT_INVOLVED') continue;
            if (decision.code === 'NOT_A_PARTICIPANT' || decision.code === 'TERMS_VERSION_STALE' || decision.code === 'ALREADY_CONSENTED') continue;
            throw new Error(`${decision.code}: ${decision.message}`);
          }
          for (const e of decision) {
            // Every event about terms names the current version (or creates the next one).
            if (e.type === 'TalentTermsConsented' || e.type === 'TalentTermsDeclined' || e.type === 'TalentTermsAgreed')
              expect(e.data.termsVersion).toBe(current.termsVersion);
            if (e.type === 'TalentTermsChanged') expect(e.data.termsVersion).toBe(current.termsVersion + 1);
          }
          if (step.kind === 'leave' && current.terms.participants.length > 2 && TOWNS[step.town] !== A && ids.includes(TOWNS[step.town]))
            expect(decision.map((e) => e.type)).toEqual(['TalentTermsChanged']);
          state = decision.reduce(talentArrangementDecider.evolve, state);
          const now = state as TalentArrangement;
          const everyone = now.terms.participants.every((p) => now.answers.get(p.organisationId)?.kind === 'consented');
          expect(isAgreed(now)).toBe(everyone);
          expect(pendingConsents(now).length === 0).toBe(everyone);
          expect(now.costTable.shares.reduce((sum, s) => sum + s.shareYen, 0)).toBe(now.terms.annualCostYen);
        }
      }),
    );
  });
});
