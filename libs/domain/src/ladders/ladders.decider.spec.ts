import fc from 'fast-check';
import { Outcome } from '../consultations/tally';
import { Actor, isDomainError } from '../shared/decider';
import { DeciderSpecification } from '../testing/decider-spec';
import {
  ChooseLadder,
  ChooseLadderData,
  ConsultationResultLookup,
  LadderCommand,
  RecordNationalDecision,
  RecordNationalDecisionData,
  RecordStageClosed,
  RecordStageOpened,
} from './ladders.commands';
import { ladderDecider, LadderState, nextStageToOpen } from './ladders.decider';
import {
  LadderChosen,
  LadderDecided,
  LadderEvent,
  LadderStageClosed,
  LadderStageOpened,
  ladderStreamName,
  RoundOutcome,
  RoundRules,
  StageDefinition,
} from './ladders.events';

const spec = DeciderSpecification.for(ladderDecider);

const actor = (personId: string, organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId,
  organisationId,
  organisationKind,
  roles,
});
const daCoordinator = actor('p-da-coordinator', 'digital-agency', 'national', ['coordinator']);
const daMember = actor('p-da-member', 'digital-agency', 'national', ['member', 'approver']);
const tokyoAdmin = actor('p-tokyo-admin', '130001', 'prefecture', ['admin', 'coordinator']);

const NOW = new Date('2025-05-01T00:00:00.000Z');
const metadata = (by: Actor) => ({ commandId: '01JQ7Z0000000000000000CMD1', now: NOW, actor: by });

const rules: RoundRules = {
  weighting: 'equal',
  populations: null,
  quorumPercent: 50,
  thresholdPercent: 60,
  thresholdBasis: 'approve_of_approve_and_object',
  blockVetoes: true,
  resultsHidden: false,
  durationSeconds: 14 * 24 * 3600,
};
const prefecturesRound: StageDefinition = { kind: 'prefectures_round', rules };
// 北海道, 東京都, 大阪府 → the 47 prefectures → デジタル庁.
const stages: readonly StageDefinition[] = [
  { kind: 'prefectural_rounds', prefectureCodes: ['010006', '130001', '270008'], rules },
  prefecturesRound,
  { kind: 'national_decision' },
];
const passed: Outcome = { quorumMet: true, thresholdMet: true, blocked: false, passed: true };
const failed: Outcome = { quorumMet: true, thresholdMet: false, blocked: false, passed: false };

const chooseData: ChooseLadderData = {
  ladderId: 'L1',
  proposalId: 'P1',
  stages,
  specId: 'juminkiroku',
  proposalRevision: 2,
  specOwnerOrganisationId: 'digital-agency',
  proposalSubmitted: true,
};
const choose = (data: Partial<ChooseLadderData> = {}, by: Actor = daCoordinator): ChooseLadder => ({
  type: 'ChooseLadder',
  data: { ...chooseData, ...data },
  metadata: metadata(by),
});
const openStage = (stage: number, consultationIds: readonly string[], by: Actor = daCoordinator): RecordStageOpened => ({
  type: 'RecordStageOpened',
  data: { ladderId: 'L1', stage, consultationIds },
  metadata: metadata(by),
});
const closeStage = (stage: number, results: readonly ConsultationResultLookup[], by: Actor = daCoordinator): RecordStageClosed => ({
  type: 'RecordStageClosed',
  data: { ladderId: 'L1', stage, results },
  metadata: metadata(by),
});
const stage2Outcomes: readonly RoundOutcome[] = [{ consultationId: 'C-47', outcome: passed }];
const decisionData: RecordNationalDecisionData = {
  ladderId: 'L1',
  decision: 'accept',
  rationale: '都道府県の協議で可決されたため',
  citedStage: 2,
  citedOutcomes: stage2Outcomes,
};
const decideNationally = (data: Partial<RecordNationalDecisionData> = {}, by: Actor = daCoordinator): RecordNationalDecision => ({
  type: 'RecordNationalDecision',
  data: { ...decisionData, ...data },
  metadata: metadata(by),
});

const chosen: LadderChosen = {
  type: 'LadderChosen',
  data: {
    ladderId: 'L1',
    proposalId: 'P1',
    specId: 'juminkiroku',
    proposalRevision: 2,
    ownerOrganisationId: 'digital-agency',
    stages,
    chosenByPersonId: 'p-da-coordinator',
    chosenAt: NOW.toISOString(),
  },
};
const opened = (stage: number, consultationIds: readonly string[]): LadderStageOpened => ({
  type: 'LadderStageOpened',
  data: { ladderId: 'L1', stage, consultationIds, openedAt: NOW.toISOString() },
});
const closed = (stage: number, outcomes: readonly RoundOutcome[]): LadderStageClosed => ({
  type: 'LadderStageClosed',
  data: { ladderId: 'L1', stage, outcomes, closedAt: NOW.toISOString() },
});
const stage1Ids = ['C-01', 'C-13', 'C-27'];
const stage1Outcomes: readonly RoundOutcome[] = [
  { consultationId: 'C-01', outcome: passed },
  { consultationId: 'C-13', outcome: failed },
  { consultationId: 'C-27', outcome: passed },
];
const result = (consultationId: string, outcome: Outcome | null = passed): ConsultationResultLookup => ({ consultationId, closed: outcome !== null, outcome });
const stage1Results = stage1Outcomes.map(({ consultationId, outcome }) => result(consultationId, outcome));
const decided: LadderDecided = {
  type: 'LadderDecided',
  data: {
    ladderId: 'L1',
    proposalId: 'P1',
    decision: 'accept',
    rationale: '都道府県の協議で可決されたため',
    citedStage: 2,
    citedOutcomes: stage2Outcomes,
    decidedByPersonId: 'p-da-coordinator',
    decidedAt: NOW.toISOString(),
  },
};
const fold = (events: readonly LadderEvent[]): LadderState => events.reduce(ladderDecider.evolve, ladderDecider.initialState());

describe('Ladder decider', () => {
  it('lives in streams named Ladder-<id>', () => {
    expect(ladderDecider.category).toBe('Ladder');
    expect(ladderStreamName('L1')).toBe('Ladder-L1');
  });

  describe('when no ladder is chosen', () => {
    const given = spec.given([]);

    it('is chosen by a coordinator or admin of the spec owner, for a submitted proposal', () => {
      given.when(choose()).then([chosen]);
    });

    it('is forbidden to others', () => {
      given.when(choose({}, daMember)).thenFails('FORBIDDEN');
      given.when(choose({}, tokyoAdmin)).thenFails('FORBIDDEN');
    });

    it('needs a submitted proposal and valid ids', () => {
      given.when(choose({ proposalSubmitted: false })).thenFails('PROPOSAL_NOT_SUBMITTED', 'proposalId');
      given.when(choose({ ladderId: 'L 1' })).thenFails('INVALID_LADDER_ID', 'ladderId');
    });

    it('needs rounds first and the national decision last, once', () => {
      given.when(choose({ stages: [{ kind: 'national_decision' }] })).thenFails('INVALID_STAGES', 'stages');
      given.when(choose({ stages: [prefecturesRound, prefecturesRound] })).thenFails('INVALID_STAGES', 'stages[1]');
      given.when(choose({ stages: [{ kind: 'national_decision' }, prefecturesRound, { kind: 'national_decision' }] })).thenFails('INVALID_STAGES', 'stages[0]');
      given.when(choose({ stages: [{ kind: 'referendum' } as never, { kind: 'national_decision' }] })).thenFails('INVALID_STAGES', 'stages[0].kind');
    });

    it('needs distinct, valid prefecture codes for prefectural rounds', () => {
      const rounds = (prefectureCodes: string[]) => choose({ stages: [{ kind: 'prefectural_rounds', prefectureCodes, rules }, { kind: 'national_decision' }] });
      given.when(rounds([])).thenFails('INVALID_STAGES', 'stages[0].prefectureCodes');
      given.when(rounds(['130001', '130001'])).thenFails('INVALID_STAGES', 'stages[0].prefectureCodes');
      given.when(rounds(['133078'])).thenFails('INVALID_STAGES', 'stages[0].prefectureCodes');
      given.when(rounds(['480001'])).thenFails('INVALID_STAGES', 'stages[0].prefectureCodes');
    });

    it('needs the rules of every round stage, each named by its field', () => {
      const withRules = (changed: Record<string, unknown>) =>
        choose({ stages: [{ kind: 'prefectures_round', rules: { ...rules, ...changed } as RoundRules }, { kind: 'national_decision' }] });
      given.when(choose({ stages: [{ kind: 'prefectures_round' } as never, { kind: 'national_decision' }] })).thenFails('INVALID_STAGES', 'stages[0].rules');
      given.when(withRules({ quorumPercent: 101 })).thenFails('INVALID_QUORUM', 'stages[0].rules.quorumPercent');
      given.when(withRules({ thresholdPercent: 0 })).thenFails('INVALID_THRESHOLD', 'stages[0].rules.thresholdPercent');
      given.when(withRules({ weighting: 'by_area' })).thenFails('INVALID_STAGES', 'stages[0].rules.weighting');
      given.when(withRules({ durationSeconds: 0 })).thenFails('INVALID_STAGES', 'stages[0].rules.durationSeconds');
      given.when(withRules({ durationSeconds: 1.5 })).thenFails('INVALID_STAGES', 'stages[0].rules.durationSeconds');
      given.when(withRules({ resultsHidden: 'yes' })).thenFails('INVALID_STAGES', 'stages[0].rules.resultsHidden');
      given.when(withRules({ populations: [{ organisationId: '310000', population: 1 }] })).thenFails('INVALID_STAGES', 'stages[0].rules.populations');
      given.when(withRules({ weighting: 'population', populations: [] })).thenFails('INVALID_STAGES', 'stages[0].rules.populations');
      given
        .when(withRules({ weighting: 'population', populations: [{ organisationId: '310000', population: -1 }] }))
        .thenFails('INVALID_STAGES', 'stages[0].rules.populations[0].population');
      given
        .when(
          withRules({
            weighting: 'population',
            populations: [
              { organisationId: '310000', population: 1 },
              { organisationId: '310000', population: 2 },
            ],
          }),
        )
        .thenFails('INVALID_STAGES', 'stages[0].rules.populations[1]');
    });

    it('records population figures with population weighting', () => {
      const populations = [{ organisationId: '310000', population: 535_000 }];
      const weighted: StageDefinition = { kind: 'prefectures_round', rules: { ...rules, weighting: 'population', populations } };
      given
        .when(choose({ stages: [weighted, { kind: 'national_decision' }] }))
        .then([{ ...chosen, data: { ...chosen.data, stages: [weighted, { kind: 'national_decision' }] } }]);
    });

    it('needs the proposal revision and spec it is chosen for', () => {
      given.when(choose({ proposalRevision: 0 })).thenFails('INVALID_REVISION', 'proposalRevision');
      given.when(choose({ specId: '' })).thenFails('INVALID_SPEC_ID', 'specId');
    });

    it('records nothing else', () => {
      given.when(openStage(1, stage1Ids)).thenFails('LADDER_NOT_FOUND', 'ladderId');
      given.when(closeStage(1, stage1Results)).thenFails('LADDER_NOT_FOUND', 'ladderId');
      given.when(decideNationally()).thenFails('LADDER_NOT_FOUND', 'ladderId');
    });
  });

  describe('when the ladder is chosen', () => {
    const given = spec.given([chosen]);

    it('cannot be chosen again', () => {
      given.when(choose()).thenFails('LADDER_ALREADY_EXISTS', 'ladderId');
    });

    it('opens stage 1 with one round per prefecture', () => {
      given.when(openStage(1, stage1Ids)).then([opened(1, stage1Ids)]);
      expect(nextStageToOpen(fold([chosen]))).toBe(1);
    });

    it('refuses another number of rounds, duplicates, and other stages', () => {
      given.when(openStage(1, ['C-01'])).thenFails('WRONG_ROUND_COUNT', 'consultationIds');
      given.when(openStage(1, ['C-01', 'C-01', 'C-27'])).thenFails('INVALID_CONSULTATION_IDS', 'consultationIds');
      given.when(openStage(2, ['C-47'])).thenFails('STAGE_OUT_OF_ORDER', 'stage');
      given.when(openStage(3, ['C-X'])).thenFails('NOT_A_ROUND', 'stage');
      given.when(openStage(4, ['C-X'])).thenFails('STAGE_NOT_FOUND', 'stage');
    });

    it('is run by the owner only', () => {
      given.when(openStage(1, stage1Ids, tokyoAdmin)).thenFails('FORBIDDEN');
    });

    it('cannot close an unopened stage nor decide', () => {
      given.when(closeStage(1, stage1Results)).thenFails('STAGE_NOT_OPENED', 'stage');
      given.when(decideNationally()).thenFails('DECISION_TOO_EARLY');
    });
  });

  describe('when stage 1 is open', () => {
    const given = spec.given([chosen, opened(1, stage1Ids)]);

    it('opening it again with the same rounds decides nothing; other rounds fail', () => {
      given.when(openStage(1, stage1Ids)).thenNothing();
      given.when(openStage(1, ['C-01', 'C-13', 'C-99'])).thenFails('STAGE_ALREADY_OPENED', 'stage');
    });

    it('does not open stage 2 before stage 1 closes', () => {
      given.when(openStage(2, ['C-47'])).thenFails('STAGE_OUT_OF_ORDER', 'stage');
      expect(nextStageToOpen(fold([chosen, opened(1, stage1Ids)]))).toBeNull();
    });

    it('closes with the outcome of every round, in the order opened', () => {
      given.when(closeStage(1, [...stage1Results].reverse())).then([closed(1, stage1Outcomes)]);
    });

    it('does not close while a round is open, a result is missing, or one is foreign', () => {
      given.when(closeStage(1, [result('C-01'), result('C-13', null), result('C-27')])).thenFails('CONSULTATION_NOT_CLOSED', 'results');
      given.when(closeStage(1, [result('C-01'), result('C-27')])).thenFails('MISSING_RESULT', 'results');
      given.when(closeStage(1, [...stage1Results, result('C-99')])).thenFails('UNKNOWN_RESULT', 'results');
    });
  });

  describe('when stage 1 is closed', () => {
    const given = spec.given([chosen, opened(1, stage1Ids), closed(1, stage1Outcomes)]);

    it('opens stage 2 with one round', () => {
      given.when(openStage(2, ['C-47'])).then([opened(2, ['C-47'])]);
      given.when(openStage(2, ['C-47', 'C-48'])).thenFails('WRONG_ROUND_COUNT', 'consultationIds');
    });

    it('closing again with the same outcomes decides nothing; other outcomes fail', () => {
      given.when(closeStage(1, stage1Results)).thenNothing();
      given
        .when(
          closeStage(
            1,
            stage1Results.map((r) => ({ ...r, outcome: failed })),
          ),
        )
        .thenFails('STAGE_ALREADY_CLOSED', 'stage');
    });

    it('is not yet decided', () => {
      given.when(decideNationally({ citedStage: 1, citedOutcomes: stage1Outcomes })).thenFails('DECISION_TOO_EARLY');
    });
  });

  describe('when the last round is closed', () => {
    const history = [chosen, opened(1, stage1Ids), closed(1, stage1Outcomes), opened(2, ['C-47']), closed(2, stage2Outcomes)];
    const given = spec.given(history);

    it('is decided by the owner, citing the recorded outcome, with a trimmed rationale', () => {
      given.when(decideNationally({ rationale: ' 都道府県の協議で可決されたため ' })).then([decided]);
      given
        .when(
          decideNationally({
            decision: 'reject',
            citedOutcomes: [{ consultationId: 'C-47', outcome: { passed: true, blocked: false, thresholdMet: true, quorumMet: true } }],
          }),
        )
        .then([{ ...decided, data: { ...decided.data, decision: 'reject' } }]);
    });

    it('refuses a citation that does not match what was recorded', () => {
      given.when(decideNationally({ citedOutcomes: [{ consultationId: 'C-47', outcome: failed }] })).thenFails('CITATION_MISMATCH', 'citedOutcomes');
      given.when(decideNationally({ citedOutcomes: [{ consultationId: 'C-48', outcome: passed }] })).thenFails('CITATION_MISMATCH', 'citedOutcomes');
      given.when(decideNationally({ citedStage: 1, citedOutcomes: stage1Outcomes })).thenFails('CITATION_MISMATCH', 'citedOutcomes');
      given.when(decideNationally({ citedOutcomes: [] })).thenFails('CITATION_MISMATCH', 'citedOutcomes');
    });

    it('needs a rationale, a decision, and the owner', () => {
      given.when(decideNationally({ rationale: '　' })).thenFails('INVALID_RATIONALE', 'rationale');
      given.when(decideNationally({ decision: 'maybe' as never })).thenFails('INVALID_DECISION', 'decision');
      given.when(decideNationally({}, daMember)).thenFails('FORBIDDEN');
      given.when(decideNationally({}, tokyoAdmin)).thenFails('FORBIDDEN');
    });

    it('cannot open the national decision as a round', () => {
      given.when(openStage(3, ['C-X'])).thenFails('NOT_A_ROUND', 'stage');
    });
  });

  describe('when decided', () => {
    const given = spec.given([chosen, opened(1, stage1Ids), closed(1, stage1Outcomes), opened(2, ['C-47']), closed(2, stage2Outcomes), decided]);

    it('records nothing more', () => {
      given.when(decideNationally()).thenFails('LADDER_DECIDED');
      given.when(closeStage(2, [result('C-47')])).thenFails('LADDER_DECIDED');
      given.when(openStage(2, ['C-47'])).thenFails('LADDER_DECIDED');
    });
  });

  it('property: any sequence of commands keeps the stages in order', () => {
    const outcome = fc.constantFrom(passed, failed);
    const ids = fc.constantFrom(['C-01', 'C-13', 'C-27'], ['C-47'], ['C-48'], ['C-01', 'C-13'], [] as string[]);
    // Well-formed steps too, so that runs reach later stages and the decision often.
    const step = fc.constantFrom<LadderCommand>(
      openStage(1, stage1Ids),
      closeStage(1, stage1Results),
      openStage(2, ['C-47']),
      closeStage(2, [result('C-47')]),
      closeStage(1, [result('C-47')]),
      decideNationally(),
      decideNationally({ citedStage: 1, citedOutcomes: [{ consultationId: 'C-47', outcome: passed }] }),
    );
    const command: fc.Arbitrary<LadderCommand> = fc.oneof(
      step,
      step,
      fc.constantFrom(choose(), choose({ stages: [prefecturesRound, { kind: 'national_decision' }] }), choose({}, tokyoAdmin)),
      fc.tuple(fc.integer({ min: 0, max: 4 }), ids).map(([stage, consultationIds]) => openStage(stage, consultationIds)),
      fc
        .tuple(
          fc.integer({ min: 0, max: 4 }),
          fc.array(fc.tuple(fc.constantFrom('C-01', 'C-13', 'C-27', 'C-47', 'C-48'), fc.option(outcome)), { maxLength: 4 }),
        )
        .map(([stage, results]) =>
          closeStage(
            stage,
            results.map(([id, o]) => result(id, o)),
          ),
        ),
      fc
        .tuple(
          fc.constantFrom<'accept' | 'reject'>('accept', 'reject'),
          fc.integer({ min: 1, max: 3 }),
          fc.array(fc.tuple(fc.constantFrom('C-47', 'C-01'), outcome), { maxLength: 2 }),
        )
        .map(([decision, citedStage, cited]) =>
          decideNationally({ decision, citedStage, citedOutcomes: cited.map(([consultationId, o]) => ({ consultationId, outcome: o })) }),
        ),
    );
    // The path to a decision, a random prefix of it, with random commands before each step.
    const happyPath: readonly LadderCommand[] = [
      choose(),
      openStage(1, stage1Ids),
      closeStage(1, stage1Results),
      openStage(2, ['C-47']),
      closeStage(2, [result('C-47')]),
      decideNationally(),
    ];
    const happyPathWithNoise = fc
      .tuple(
        fc.integer({ min: 0, max: happyPath.length }),
        fc.array(fc.array(command, { maxLength: 5 }), { minLength: happyPath.length + 1, maxLength: happyPath.length + 1 }),
      )
      .map(([steps, noise]) => noise.flatMap((commands, i) => (i < steps ? [...commands, happyPath[i]] : commands)));
    let decidedRuns = 0;
    fc.assert(
      fc.property(happyPathWithNoise, (commands) => {
        let state = ladderDecider.initialState();
        for (const c of commands) {
          const decision = ladderDecider.decide(c, state);
          if (isDomainError(decision)) continue;
          for (const event of decision) {
            const before = state;
            state = ladderDecider.evolve(state, event);
            if (event.type === 'LadderDecided' && before.status !== 'unchosen') {
              const recorded = before.stages[before.stages.length - 2].outcomes;
              expect(event.data.citedOutcomes).toStrictEqual(recorded);
            }
          }
          if (state.status === 'unchosen') continue;
          // Opened stages are a prefix; each opened stage after the first follows a closed one; closed ⇒ opened.
          state.stages.forEach((stage, i) => {
            if (stage.outcomes !== null) expect(stage.consultationIds).not.toBeNull();
            if (stage.consultationIds !== null && i > 0) expect(state.status !== 'unchosen' && state.stages[i - 1].outcomes).not.toBeNull();
            if (stage.definition.kind === 'national_decision') expect(stage.consultationIds).toBeNull();
          });
          if (state.status === 'decided') expect(state.stages.slice(0, -1).every((stage) => stage.outcomes !== null)).toBe(true);
        }
        if (state.status === 'decided') decidedRuns += 1;
      }),
      { numRuns: 300 },
    );
    // The generator reaches the decision, so the property is not vacuous there.
    expect(decidedRuns).toBeGreaterThan(0);
  });
});
