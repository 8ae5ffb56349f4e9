import fc from 'fast-check';
import { Actor, isDomainError } from '../shared/decider';
import { DeciderSpecification } from '../testing/decider-spec';
import {
  ApproveStance,
  CloseConsultation,
  ConsultationCommand,
  DraftStance,
  DraftStanceData,
  MandateLookup,
  OpenConsultation,
  OpenConsultationData,
} from './consultations.commands';
import { consultationDecider, ConsultationState, nonRespondents, outcomeNow, resultsVisibleTo, SYSTEM_PERSON_ID, tallyOf } from './consultations.decider';
import {
  ConsultationClosed,
  ConsultationClosedData,
  ConsultationEvent,
  ConsultationOpened,
  ConsultationOpenedData,
  consultationStreamName,
  StanceCast,
  StanceCastData,
  StanceDrafted,
  StanceDraftedData,
} from './consultations.events';
import { emptyTally, outcomeOf, Stance, STANCES, tally } from './tally';

const spec = DeciderSpecification.for(consultationDecider);

const actor = (personId: string, organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId,
  organisationId,
  organisationKind,
  roles,
});
// 北海道 (010006) runs a round for three of its municipalities.
const hokkaidoCoordinator = actor('p-hokkaido-coord', '010006', 'prefecture', ['member', 'coordinator']);
const hokkaidoApprover = actor('p-hokkaido-approver', '010006', 'prefecture', ['approver']);
const hokkaidoMember = actor('p-hokkaido-member', '010006', 'prefecture', ['member']);
const aomoriCoordinator = actor('p-aomori-coord', '020001', 'prefecture', ['coordinator']);
const daCoordinator = actor('p-da-coord', 'digital-agency', 'national', ['coordinator']);
const sapporoMember = actor('p-sapporo-member', '011002', 'municipality', ['member']);
const sapporoApprover = actor('p-sapporo-approver', '011002', 'municipality', ['approver']);
const sapporoCoordinator = actor('p-sapporo-coord', '011002', 'municipality', ['coordinator']);
const sapporoViewer = actor('p-sapporo-viewer', '011002', 'municipality', ['viewer']);
const hakodateApprover = actor('p-hakodate-approver', '012025', 'municipality', ['member', 'approver']);
const otaruMember = actor('p-otaru-member', '012033', 'municipality', ['member']);
const vendorMember = actor('p-vendor', 'sample-vendor', 'vendor', ['member', 'coordinator']);
const scheduler = actor(SYSTEM_PERSON_ID, 'digital-agency', 'national', ['coordinator']);
const nobody = actor('p-nobody', '011002', 'municipality', []);

const OPENED_AT = new Date('2025-05-01T00:00:00.000Z');
const CLOSES_AT = '2025-05-15T08:00:00.000Z';
const BEFORE_CLOSE = new Date('2025-05-15T07:59:59.999Z');
const AT_CLOSE = new Date(CLOSES_AT);
const metadata = (by: Actor, now: Date = OPENED_AT) => ({ commandId: '01JQ7Z0000000000000000CMD1', now, actor: by });

const electorate = [
  { organisationId: '011002', weight: 1 },
  { organisationId: '012025', weight: 1 },
  { organisationId: '012033', weight: 1 },
];
const openData: OpenConsultationData = {
  consultationId: 'C1',
  proposalId: 'P1',
  specId: 'juminkiroku',
  electorate,
  weighting: 'equal',
  quorumPercent: 50,
  thresholdPercent: 50,
  thresholdBasis: 'approve_of_approve_and_object',
  blockVetoes: true,
  closesAt: CLOSES_AT,
  resultsHidden: false,
  stage: { ladderId: null, stage: null },
  proposalSubmitted: true,
};
const openedData: ConsultationOpenedData = {
  consultationId: 'C1',
  proposalId: 'P1',
  specId: 'juminkiroku',
  openedByPersonId: 'p-hokkaido-coord',
  openedByOrganisationId: '010006',
  openedAt: '2025-05-01T00:00:00.000Z',
  electorate,
  weighting: 'equal',
  quorumPercent: 50,
  thresholdPercent: 50,
  thresholdBasis: 'approve_of_approve_and_object',
  blockVetoes: true,
  closesAt: CLOSES_AT,
  resultsHidden: false,
  ladderId: null,
  stage: null,
};

// Commands
const openConsultation = (data: Partial<OpenConsultationData> = {}, by: Actor = hokkaidoCoordinator, now = OPENED_AT): OpenConsultation => ({
  type: 'OpenConsultation',
  data: { ...openData, ...data },
  metadata: metadata(by, now),
});
const draftStance = (data: Partial<DraftStanceData> = {}, by: Actor = sapporoMember, now = OPENED_AT): DraftStance => ({
  type: 'DraftStance',
  data: { consultationId: 'C1', draftId: 'D1', organisationId: by.organisationId, stance: 'approve', reason: null, mandate: null, ...data },
  metadata: metadata(by, now),
});
const approveStance = (draftId = 'D1', by: Actor = sapporoApprover, now = OPENED_AT, mandate: MandateLookup | null = null): ApproveStance => ({
  type: 'ApproveStance',
  data: { consultationId: 'C1', draftId, mandate },
  metadata: metadata(by, now),
});
const closeConsultation = (by: Actor = scheduler, now = AT_CLOSE, reason: string | null = null): CloseConsultation => ({
  type: 'CloseConsultation',
  data: { consultationId: 'C1', reason },
  metadata: metadata(by, now),
});

// Events
const opened = (data: Partial<ConsultationOpenedData> = {}): ConsultationOpened => ({ type: 'ConsultationOpened', data: { ...openedData, ...data } });
const drafted = (data: Partial<StanceDraftedData> = {}): StanceDrafted => ({
  type: 'StanceDrafted',
  data: {
    consultationId: 'C1',
    draftId: 'D1',
    organisationId: '011002',
    castByOrganisationId: '011002',
    mandateId: null,
    stance: 'approve',
    reason: null,
    draftedByPersonId: 'p-sapporo-member',
    ...data,
  },
});
const cast = (data: Partial<StanceCastData> = {}): StanceCast => ({
  type: 'StanceCast',
  data: {
    consultationId: 'C1',
    draftId: 'D1',
    organisationId: '011002',
    castByOrganisationId: '011002',
    mandateId: null,
    stance: 'approve',
    reason: null,
    approvedByPersonId: 'p-sapporo-approver',
    supersedes: null,
    ...data,
  },
});
const closed = (data: Partial<ConsultationClosedData> = {}): ConsultationClosed => ({
  type: 'ConsultationClosed',
  data: {
    consultationId: 'C1',
    closedAt: CLOSES_AT,
    early: false,
    reason: null,
    closedByPersonId: SYSTEM_PERSON_ID,
    tally: emptyTally(electorate),
    outcome: { quorumMet: false, thresholdMet: false, blocked: false, passed: false },
    ...data,
  },
});

const fold = (events: readonly ConsultationEvent[]): ConsultationState => events.reduce(consultationDecider.evolve, consultationDecider.initialState());
// Hakodate drafts and approves its own objection.
const hakodateObjects = [
  drafted({
    draftId: 'D2',
    organisationId: '012025',
    castByOrganisationId: '012025',
    stance: 'object',
    reason: '運用負荷が大きい',
    draftedByPersonId: 'p-hakodate-approver',
  }),
  cast({
    draftId: 'D2',
    organisationId: '012025',
    castByOrganisationId: '012025',
    stance: 'object',
    reason: '運用負荷が大きい',
    approvedByPersonId: 'p-hakodate-approver',
  }),
];
const mandate: MandateLookup = { mandateId: 'M1', grantorOrganisationId: '012033' };

describe('Consultation decider', () => {
  it('lives in streams named Consultation-<id>', () => {
    expect(consultationDecider.category).toBe('Consultation');
    expect(consultationStreamName('C1')).toBe('Consultation-C1');
  });

  describe('when the consultation is unopened', () => {
    const given = spec.given([]);

    describe('opening', () => {
      it('records the electorate, rules, closing time and the opening organisation', () => {
        given.when(openConsultation()).then([opened()]);
      });

      it('normalises closesAt to UTC milliseconds and records the ladder stage', () => {
        given
          .when(openConsultation({ closesAt: '2025-05-15T17:00+09:00', stage: { ladderId: 'L1', stage: 1 } }))
          .then([opened({ closesAt: '2025-05-15T08:00:00.000Z', ladderId: 'L1', stage: 1 })]);
      });

      it('takes population weights, zeros included', () => {
        const weighted = [
          { organisationId: '011002', weight: 1_973_395 },
          { organisationId: '012025', weight: 0 },
        ];
        given.when(openConsultation({ weighting: 'population', electorate: weighted })).then([opened({ weighting: 'population', electorate: weighted })]);
      });

      it('is open to a national coordinator', () => {
        given.when(openConsultation({}, daCoordinator)).then([opened({ openedByPersonId: 'p-da-coord', openedByOrganisationId: 'digital-agency' })]);
      });

      it.each([
        ['a prefectural member', hokkaidoMember],
        ['a prefectural approver', hokkaidoApprover],
        ['a municipal coordinator', sapporoCoordinator],
        ['a vendor coordinator', vendorMember],
      ])('is forbidden to %s', (_, by) => {
        given.when(openConsultation({}, by)).thenFails('FORBIDDEN');
      });

      it('needs a submitted proposal', () => {
        given.when(openConsultation({ proposalSubmitted: false })).thenFails('PROPOSAL_NOT_SUBMITTED', 'proposalId');
      });

      it('rejects malformed ids', () => {
        given.when(openConsultation({ consultationId: 'C 1' })).thenFails('INVALID_CONSULTATION_ID', 'consultationId');
        given.when(openConsultation({ proposalId: '' })).thenFails('INVALID_PROPOSAL_ID', 'proposalId');
        given.when(openConsultation({ specId: 'Jumin' })).thenFails('INVALID_SPEC_ID', 'specId');
      });

      it('validates the electorate', () => {
        given.when(openConsultation({ electorate: [] })).thenFails('EMPTY_ELECTORATE', 'electorate');
        given.when(openConsultation({ electorate: [...electorate, electorate[0]] })).thenFails('DUPLICATE_ELECTOR', 'electorate[3].organisationId');
        given
          .when(openConsultation({ electorate: [{ organisationId: 'x y', weight: 1 }] }))
          .thenFails('INVALID_ORGANISATION_ID', 'electorate[0].organisationId');
        given.when(openConsultation({ electorate: [{ organisationId: '011002', weight: 2 }] })).thenFails('INVALID_WEIGHT', 'electorate[0].weight');
        for (const weight of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])
          given
            .when(openConsultation({ weighting: 'population', electorate: [{ organisationId: '011002', weight }] }))
            .thenFails('INVALID_WEIGHT', 'electorate[0].weight');
        given
          .when(
            openConsultation({
              weighting: 'population',
              electorate: [
                { organisationId: 'a1', weight: Number.MAX_SAFE_INTEGER },
                { organisationId: 'a2', weight: 1 },
              ],
            }),
          )
          .thenFails('INVALID_WEIGHT', 'electorate[1].weight');
        given.when(openConsultation({ weighting: 'by-size' as never })).thenFails('INVALID_WEIGHTING', 'weighting');
      });

      it('validates quorum, threshold and basis', () => {
        given.when(openConsultation({ quorumPercent: 101 })).thenFails('INVALID_QUORUM', 'quorumPercent');
        given.when(openConsultation({ thresholdPercent: 0 })).thenFails('INVALID_THRESHOLD', 'thresholdPercent');
        given.when(openConsultation({ thresholdBasis: 'simple' as never })).thenFails('INVALID_THRESHOLD_BASIS', 'thresholdBasis');
      });

      it('needs closesAt after now, as an ISO instant with a zone', () => {
        given.when(openConsultation({ closesAt: '2025-05-01T00:00:00.000Z' })).thenFails('INVALID_CLOSES_AT', 'closesAt');
        given.when(openConsultation({ closesAt: '2025-04-30T00:00:00Z' })).thenFails('INVALID_CLOSES_AT', 'closesAt');
        given.when(openConsultation({ closesAt: '2025-05-15 17:00' })).thenFails('INVALID_CLOSES_AT', 'closesAt');
        given.when(openConsultation({ closesAt: '2025-02-30T00:00:00Z' })).thenFails('INVALID_CLOSES_AT', 'closesAt');
        given.when(openConsultation({ closesAt: '2025-05-01T00:00:00.001Z' })).then([opened({ closesAt: '2025-05-01T00:00:00.001Z' })]);
      });

      it('validates the stage info', () => {
        given.when(openConsultation({ stage: { ladderId: 'L1', stage: null } })).thenFails('INVALID_STAGE', 'stage');
        given.when(openConsultation({ stage: { ladderId: null, stage: 1 } })).thenFails('INVALID_STAGE', 'stage');
        given.when(openConsultation({ stage: { ladderId: 'L1', stage: 0 } })).thenFails('INVALID_STAGE', 'stage');
        given.when(openConsultation({ resultsHidden: 'yes' as never })).thenFails('INVALID_RESULTS_HIDDEN', 'resultsHidden');
      });
    });

    it.each<[string, ConsultationCommand]>([
      ['drafted on', draftStance()],
      ['approved on', approveStance()],
      ['closed', closeConsultation()],
    ])('cannot be %s', (_, command) => {
      given.when(command).thenFails('CONSULTATION_NOT_FOUND', 'consultationId');
    });

    it('has no tally, no non-respondents, no visible results', () => {
      const state = consultationDecider.initialState();
      expect(tallyOf(state)).toBeNull();
      expect(outcomeNow(state)).toBeNull();
      expect(nonRespondents(state)).toEqual([]);
      expect(resultsVisibleTo(state, hokkaidoCoordinator)).toBe(false);
    });
  });

  describe('when the consultation is open', () => {
    const given = spec.given([opened()]);

    it('cannot be opened again', () => {
      given.when(openConsultation()).thenFails('CONSULTATION_ALREADY_EXISTS', 'consultationId');
    });

    describe('drafting a stance', () => {
      it('records the draft by a member of an organisation in the electorate', () => {
        given.when(draftStance()).then([drafted()]);
      });

      it('requires a trimmed reason for object and block, keeps an optional one for approve and abstain', () => {
        given.when(draftStance({ stance: 'object', reason: ' 運用負荷が大きい　' })).then([drafted({ stance: 'object', reason: '運用負荷が大きい' })]);
        given.when(draftStance({ stance: 'object', reason: null })).thenFails('REASON_REQUIRED', 'reason');
        given.when(draftStance({ stance: 'block', reason: '　' })).thenFails('REASON_REQUIRED', 'reason');
        given.when(draftStance({ stance: 'abstain', reason: ' ' })).then([drafted({ stance: 'abstain' })]);
        given.when(draftStance({ stance: 'approve', reason: '賛成' })).then([drafted({ reason: '賛成' })]);
        given.when(draftStance({ stance: 'approve', reason: 'x'.repeat(5001) })).thenFails('INVALID_REASON', 'reason');
      });

      it('rejects an unknown stance and a malformed draft id', () => {
        given.when(draftStance({ stance: 'yes' })).thenFails('INVALID_STANCE', 'stance');
        given.when(draftStance({ draftId: '' })).thenFails('INVALID_DRAFT_ID', 'draftId');
      });

      it('is refused for an organisation outside the electorate', () => {
        given.when(draftStance({}, hokkaidoMember)).thenFails('NOT_IN_ELECTORATE', 'organisationId');
      });

      it('is forbidden for another organisation without a mandate, and to viewers', () => {
        given.when(draftStance({ organisationId: '012033' }, sapporoMember)).thenFails('FORBIDDEN', 'organisationId');
        given.when(draftStance({ organisationId: '011002' }, otaruMember)).thenFails('FORBIDDEN', 'organisationId');
        given.when(draftStance({}, sapporoViewer)).thenFails('FORBIDDEN');
        given.when(draftStance({}, nobody)).thenFails('FORBIDDEN');
      });

      it('under a mandate records both organisations and the mandate', () => {
        given
          .when(draftStance({ organisationId: '012033', mandate }, hokkaidoMember))
          .then([drafted({ organisationId: '012033', castByOrganisationId: '010006', mandateId: 'M1', draftedByPersonId: 'p-hokkaido-member' })]);
      });

      it('refuses a mandate from another organisation than the voter', () => {
        given.when(draftStance({ organisationId: '012025', mandate }, hokkaidoMember)).thenFails('FORBIDDEN', 'organisationId');
      });

      it('is refused at and after closesAt, but taken a millisecond before', () => {
        given.when(draftStance({}, sapporoMember, AT_CLOSE)).thenFails('CONSULTATION_CLOSED');
        given.when(draftStance({}, sapporoMember, new Date('2025-06-01T00:00:00Z'))).thenFails('CONSULTATION_CLOSED');
        given.when(draftStance({}, sapporoMember, BEFORE_CLOSE)).then([drafted()]);
      });

      it('decides nothing for a retry of the same draft; refuses other content under the same id', () => {
        spec.given([opened(), drafted()]).when(draftStance()).thenNothing();
        spec
          .given([opened(), drafted()])
          .when(draftStance({ stance: 'abstain' }))
          .thenFails('DRAFT_ALREADY_EXISTS', 'draftId');
      });
    });

    describe('approving a draft', () => {
      const withDraft = spec.given([opened(), drafted()]);

      it('makes it the official stance, by an approver of the drafting organisation', () => {
        withDraft.when(approveStance()).then([cast()]);
      });

      it('is forbidden to a member, and to another organisation’s approver', () => {
        withDraft.when(approveStance('D1', sapporoMember)).thenFails('FORBIDDEN');
        withDraft.when(approveStance('D1', hakodateApprover)).thenFails('FORBIDDEN');
        withDraft.when(approveStance('D1', hokkaidoApprover)).thenFails('FORBIDDEN');
      });

      it('needs an existing draft', () => {
        withDraft.when(approveStance('D9')).thenFails('DRAFT_NOT_FOUND', 'draftId');
      });

      it('decides nothing when the draft is approved already', () => {
        spec.given([opened(), drafted(), cast()]).when(approveStance()).thenNothing();
      });

      it('is refused at closesAt', () => {
        withDraft.when(approveStance('D1', sapporoApprover, AT_CLOSE)).thenFails('CONSULTATION_CLOSED');
      });

      describe('under a mandate', () => {
        const mandated = drafted({ organisationId: '012033', castByOrganisationId: '010006', mandateId: 'M1', draftedByPersonId: 'p-hokkaido-member' });
        const givenMandated = spec.given([opened(), mandated]);

        it('is the grantee’s approver who approves, while the mandate is valid', () => {
          givenMandated
            .when(approveStance('D1', hokkaidoApprover, OPENED_AT, mandate))
            .then([cast({ organisationId: '012033', castByOrganisationId: '010006', mandateId: 'M1', approvedByPersonId: 'p-hokkaido-approver' })]);
        });

        it('is refused once the mandate is revoked or expired (the lookup is null)', () => {
          givenMandated.when(approveStance('D1', hokkaidoApprover, OPENED_AT, null)).thenFails('MANDATE_NOT_VALID', 'mandate');
          givenMandated.when(approveStance('D1', hokkaidoApprover, OPENED_AT, { ...mandate, mandateId: 'M2' })).thenFails('MANDATE_NOT_VALID', 'mandate');
        });

        it('is not the grantor’s to approve', () => {
          givenMandated.when(approveStance('D1', actor('p-otaru-approver', '012033', 'municipality', ['approver']), OPENED_AT, mandate)).thenFails('FORBIDDEN');
        });
      });
    });

    describe('changing a stance', () => {
      it('records a new StanceCast superseding the previous one', () => {
        spec
          .given([opened(), drafted(), cast(), drafted({ draftId: 'D3', stance: 'abstain' })])
          .when(approveStance('D3'))
          .then([cast({ draftId: 'D3', stance: 'abstain', supersedes: 'approve' })]);
      });

      it('keeps one official stance per organisation in the tally, and the history in the events', () => {
        const state = fold([
          opened(),
          drafted(),
          cast(),
          drafted({ draftId: 'D3', stance: 'abstain' }),
          cast({ draftId: 'D3', stance: 'abstain', supersedes: 'approve' }),
        ]);
        expect(tallyOf(state)).toStrictEqual(tally(electorate, new Map([['011002', 'abstain']])));
        expect(nonRespondents(state)).toEqual(['012025', '012033']);
      });

      it('allows approving an older draft again as a change back', () => {
        spec
          .given([opened(), drafted(), drafted({ draftId: 'D3', stance: 'abstain' }), cast({ draftId: 'D3', stance: 'abstain' })])
          .when(approveStance('D1'))
          .then([cast({ supersedes: 'abstain' })]);
      });
    });

    describe('closing', () => {
      const voted = [opened(), drafted(), cast(), ...hakodateObjects];
      const votedTally = tally(
        electorate,
        new Map<string, Stance>([
          ['011002', 'approve'],
          ['012025', 'object'],
        ]),
      );

      it('by the scheduler at closesAt records the exact tally and outcome', () => {
        spec
          .given(voted)
          .when(closeConsultation())
          .then([closed({ tally: votedTally, outcome: { quorumMet: true, thresholdMet: true, blocked: false, passed: true } })]);
      });

      it('by the scheduler after closesAt, with closedAt the time of closing', () => {
        given.when(closeConsultation(scheduler, new Date('2025-05-15T08:00:05Z'))).then([closed({ closedAt: '2025-05-15T08:00:05.000Z' })]);
      });

      it('when due, also by a coordinator of the opening organisation, without a reason', () => {
        given.when(closeConsultation(hokkaidoCoordinator, AT_CLOSE, '締切')).then([closed({ closedByPersonId: 'p-hokkaido-coord' })]);
      });

      it('early by a coordinator of the opening organisation, with a reason', () => {
        spec
          .given(voted)
          .when(closeConsultation(hokkaidoCoordinator, BEFORE_CLOSE, ' 全団体回答済み '))
          .then([
            closed({
              closedAt: '2025-05-15T07:59:59.999Z',
              early: true,
              reason: '全団体回答済み',
              closedByPersonId: 'p-hokkaido-coord',
              tally: votedTally,
              outcome: outcomeOf(votedTally, openedData),
            }),
          ]);
        given.when(closeConsultation(hokkaidoCoordinator, BEFORE_CLOSE, ' ')).thenFails('REASON_REQUIRED', 'reason');
      });

      it('is forbidden early to the scheduler and to other coordinators, and at any time to non-coordinators', () => {
        given.when(closeConsultation(scheduler, BEFORE_CLOSE, '早期')).thenFails('FORBIDDEN');
        given.when(closeConsultation(aomoriCoordinator, BEFORE_CLOSE, '早期')).thenFails('FORBIDDEN');
        given.when(closeConsultation(daCoordinator, BEFORE_CLOSE, '早期')).thenFails('FORBIDDEN');
        given.when(closeConsultation(aomoriCoordinator, AT_CLOSE)).thenFails('FORBIDDEN');
        given.when(closeConsultation(hokkaidoApprover, AT_CLOSE)).thenFails('FORBIDDEN');
        given.when(closeConsultation(actor(SYSTEM_PERSON_ID, 'digital-agency', 'national', ['admin']), AT_CLOSE)).thenFails('FORBIDDEN');
      });

      it('records a failed quorum (nobody answered) and a block', () => {
        given.when(closeConsultation()).then([closed()]);
        const blocking = [opened(), drafted({ stance: 'block', reason: '法令に抵触' }), cast({ stance: 'block', reason: '法令に抵触' }), ...hakodateObjects];
        const blockedTally = tally(
          electorate,
          new Map<string, Stance>([
            ['011002', 'block'],
            ['012025', 'object'],
          ]),
        );
        spec
          .given(blocking)
          .when(closeConsultation())
          .then([closed({ tally: blockedTally, outcome: { quorumMet: true, thresholdMet: false, blocked: true, passed: false } })]);
      });
    });

    it('lists the organisations without an official stance; a draft is not an answer', () => {
      expect(nonRespondents(fold([opened(), drafted()]))).toEqual(['011002', '012025', '012033']);
      expect(nonRespondents(fold([opened(), drafted(), cast(), ...hakodateObjects]))).toEqual(['012033']);
    });

    it('shows results live when not hidden, to everyone with a role', () => {
      const state = fold([opened(), drafted(), cast()]);
      for (const by of [hokkaidoCoordinator, sapporoViewer, vendorMember]) expect(resultsVisibleTo(state, by)).toBe(true);
      expect(resultsVisibleTo(state, nobody)).toBe(false);
      expect(outcomeNow(state)).toStrictEqual({ quorumMet: false, thresholdMet: true, blocked: false, passed: false });
    });

    it('hides results from everyone, the opening coordinator included, when hidden', () => {
      const state = fold([opened({ resultsHidden: true }), drafted(), cast()]);
      for (const by of [hokkaidoCoordinator, daCoordinator, sapporoApprover]) expect(resultsVisibleTo(state, by)).toBe(false);
    });

    it("refuses (throws) a command whose consultationId is not this stream's", () => {
      expect(() => consultationDecider.decide({ ...draftStance(), data: { ...draftStance().data, consultationId: 'C2' } }, fold([opened()]))).toThrow(/C2/);
    });
  });

  describe('when the consultation is closed', () => {
    const given = spec.given([opened({ resultsHidden: true }), drafted(), cast(), closed()]);

    it('refuses stances and approvals', () => {
      given.when(draftStance({ draftId: 'D5' }, sapporoMember, OPENED_AT)).thenFails('CONSULTATION_CLOSED');
      spec
        .given([opened(), drafted(), closed({ early: true, closedAt: '2025-05-02T00:00:00.000Z', reason: '中止' })])
        .when(approveStance('D1', sapporoApprover, new Date('2025-05-03T00:00:00Z')))
        .thenFails('CONSULTATION_CLOSED');
    });

    it('closes only once: a second close decides nothing', () => {
      given.when(closeConsultation()).thenNothing();
      given.when(closeConsultation(hokkaidoCoordinator, BEFORE_CLOSE, '再度')).thenNothing();
    });

    it('shows the recorded tally, and hidden results to everyone with a role', () => {
      const state = fold([opened({ resultsHidden: true }), drafted(), cast(), closed()]);
      expect(tallyOf(state)).toStrictEqual(emptyTally(electorate)); // as recorded
      expect(resultsVisibleTo(state, sapporoViewer)).toBe(true);
      expect(resultsVisibleTo(state, nobody)).toBe(false);
    });
  });

  describe('property: the tally recorded at close is the tally of the final official stances', () => {
    const orgs = ['011002', '012025', '012033', '012041', '012050'];
    const approverOf = (org: string) => actor(`p-${org}-approver`, org, 'municipality', ['member', 'approver']);
    const step = fc.record({
      org: fc.constantFrom(...orgs, '013000'),
      stance: fc.constantFrom<string>(...STANCES, 'bogus'),
      reason: fc.constantFrom(null, '理由'),
      approve: fc.boolean(),
      /** approve an earlier draft instead of this one */
      reapprove: fc.option(fc.nat(30), { freq: 4 }),
      viaMandate: fc.boolean(),
    });

    it('holds for random drafts, approvals and changes of mind', () => {
      fc.assert(
        fc.property(
          fc.array(fc.nat(5_000_000), { minLength: orgs.length, maxLength: orgs.length }),
          fc.constantFrom<'equal' | 'population'>('equal', 'population'),
          fc.array(step, { maxLength: 40 }),
          (populations, weighting, steps) => {
            const members = orgs.map((organisationId, i) => ({ organisationId, weight: weighting === 'equal' ? 1 : populations[i] }));
            let events: ConsultationEvent[] = [];
            const run = (command: ConsultationCommand) => {
              const decision = consultationDecider.decide(command, fold(events));
              if (!isDomainError(decision)) events = [...events, ...decision];
              return decision;
            };
            const openDecision = run(openConsultation({ electorate: members, weighting, resultsHidden: true }));
            expect(isDomainError(openDecision)).toBe(false);
            const drafts: { draftId: string; approver: Actor; mandate: MandateLookup | null }[] = [];
            const final = new Map<string, Stance>();
            steps.forEach((s, i) => {
              const viaMandate = s.viaMandate && s.org !== '013000';
              const by = viaMandate ? hokkaidoMember : actor(`p-${s.org}`, s.org, 'municipality', ['member']);
              const lookup = viaMandate ? { mandateId: `M-${s.org}`, grantorOrganisationId: s.org } : null;
              const draftId = `D${i}`;
              const d = run(draftStance({ draftId, organisationId: s.org, stance: s.stance, reason: s.reason, mandate: lookup }, by, OPENED_AT));
              if (!isDomainError(d)) drafts.push({ draftId, approver: viaMandate ? hokkaidoApprover : approverOf(s.org), mandate: lookup });
              const target =
                s.reapprove !== null && drafts.length > 0 ? drafts[s.reapprove % drafts.length] : isDomainError(d) ? undefined : drafts[drafts.length - 1];
              if (s.approve && target) {
                const a = run(approveStance(target.draftId, target.approver, OPENED_AT, target.mandate));
                if (!isDomainError(a)) for (const e of a) if (e.type === 'StanceCast') final.set(e.data.organisationId, e.data.stance);
              }
            });
            const state = fold(events);
            expect(tallyOf(state)).toStrictEqual(tally(members, final));
            run(closeConsultation());
            const close = events[events.length - 1];
            expect(close.type).toBe('ConsultationClosed');
            if (close.type !== 'ConsultationClosed') return;
            // Recomputed from the events alone: the last StanceCast per organisation.
            const fromEvents = new Map<string, Stance>();
            for (const e of events) if (e.type === 'StanceCast') fromEvents.set(e.data.organisationId, e.data.stance);
            expect(close.data.tally).toStrictEqual(tally(members, fromEvents));
            expect(close.data.tally).toStrictEqual(tally(members, final));
            expect(close.data.outcome).toStrictEqual(outcomeOf(tally(members, final), { ...openData }));
            // supersedes chains are consistent
            const seen = new Map<string, Stance>();
            for (const e of events)
              if (e.type === 'StanceCast') {
                expect(e.data.supersedes).toBe(seen.get(e.data.organisationId) ?? null);
                seen.set(e.data.organisationId, e.data.stance);
              }
            expect(run(closeConsultation())).toEqual([]);
          },
        ),
      );
    });
  });
});
