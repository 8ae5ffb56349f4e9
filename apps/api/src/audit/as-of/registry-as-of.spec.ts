import { organisationDecider } from '@kyogi/domain/organisations/organisations.decider';
import type { OrganisationCommand } from '@kyogi/domain/organisations/organisations.commands';
import { specDecider } from '@kyogi/domain/specs/specs.decider';
import type { SpecCommand } from '@kyogi/domain/specs/specs.commands';
import { ladderDecider } from '@kyogi/domain/ladders/ladders.decider';
import type { LadderCommand } from '@kyogi/domain/ladders/ladders.commands';
import type { RoundRules } from '@kyogi/domain/ladders/ladders.events';
import type { Actor, Decider, DomainCommand, DomainEvent } from '@kyogi/domain/shared/decider';
import { RecordedStream } from './testing/recorded-stream';
import type { RecordedEvent } from '@kyogi/event-store/port';
import { organisationAsOf, organisationAsOfOf } from './organisation-as-of';
import { specAsOf, specVersionAsOf } from './spec-as-of';
import { ladderAsOf, roundOutcomeAsOf, roundsOpenAt } from './ladder-as-of';
import { talentPoolDecider } from '@kyogi/domain/talent/pools.decider';
import type { ArrangementLookup, TalentPoolCommand } from '@kyogi/domain/talent/pools.commands';
import { dispatchesAsOf, talentPoolAsOf, talentPoolAsOfOf } from './talent-pool-as-of';

const SYSTEM: Actor = { personId: 'system', organisationId: 'digital-agency', organisationKind: 'national', roles: ['admin', 'coordinator'] };

/** A stream built by the real decider (RecordedStream), the actor defaulting to the platform's system admin. */
class Stream<S, C extends DomainCommand> extends RecordedStream<S, C> {
  constructor(decider: Decider<S, C, DomainEvent>, id: string) {
    super(decider, id, 200n);
  }
  run(at: string, command: Omit<C, 'metadata'>, by: Actor = SYSTEM): void {
    this.record(at, by, command);
  }
}

const day = (d: string) => new Date(`2025-04-${d}Z`);

describe('an organisation as of a moment', () => {
  const s = new Stream<ReturnType<typeof organisationDecider.initialState>, OrganisationCommand>(organisationDecider, '011002');
  s.run('2025-04-01T00:00:00Z', {
    type: 'RegisterOrganisation',
    data: {
      organisationId: '011002',
      kind: 'municipality',
      name: '札幌市',
      nameKana: 'さっぽろし',
      code: '011002',
      prefectureCode: '01',
      parentId: '010006',
      active: true,
      population: 1_960_000,
    },
  });
  s.run('2025-04-02T00:00:00Z', {
    type: 'AddMember',
    data: { organisationId: '011002', personId: 'p-staff', displayName: '札幌 太郎', email: 'taro@city.sapporo.example.jp', roles: ['member'] },
  });
  s.run('2025-04-03T00:00:00Z', {
    type: 'AddMember',
    data: { organisationId: '011002', personId: 'p-head', displayName: '札幌 花子', email: 'hanako@city.sapporo.example.jp', roles: ['approver'] },
  });
  s.run('2025-04-04T00:00:00Z', { type: 'ChangeMemberRoles', data: { organisationId: '011002', personId: 'p-staff', roles: ['member', 'approver'] } });
  s.run('2025-04-05T00:00:00Z', { type: 'ChangeMemberRoles', data: { organisationId: '011002', personId: 'p-head', roles: ['viewer'] } });
  s.run('2025-04-06T00:00:00Z', { type: 'DeactivateOrganisation', data: { organisationId: '011002', reason: '合併' } });
  const events = s.events;
  const approvers = (at: Date) =>
    organisationAsOfOf(organisationAsOf(events, at)!)!
      .members.filter((m) => m.roles.includes('APPROVER'))
      .map((m) => m.personId);

  it('does not exist before its registration', () => {
    expect(organisationAsOf(events, new Date('2025-03-31T23:59:59.999Z'))).toBeNull();
  });

  it('is as registered, with no members, on its first day', () => {
    expect(organisationAsOf(events, day('01T12:00:00'))).toEqual({
      id: '011002',
      kind: 'MUNICIPALITY',
      name: '札幌市',
      nameKana: 'さっぽろし',
      code: '011002',
      prefectureCode: '01',
      parentId: '010006',
      active: true,
      population: 1_960_000,
      memberCount: 0,
      registeredAt: day('01T00:00:00'),
      updatedAt: day('01T00:00:00'),
      version: 0,
      asOf: { at: day('01T12:00:00'), members: [] },
    });
  });

  it('has the members with the roles they had then: who could approve on each day', () => {
    const view = organisationAsOf(events, day('03T00:00:00'))!;
    expect(view.asOf.members).toEqual([
      { personId: 'p-staff', organisationId: '011002', displayName: '札幌 太郎', email: 'taro@city.sapporo.example.jp', roles: ['MEMBER'] },
      { personId: 'p-head', organisationId: '011002', displayName: '札幌 花子', email: 'hanako@city.sapporo.example.jp', roles: ['APPROVER'] },
    ]);
    expect([view.memberCount, view.version, view.updatedAt]).toEqual([2, 2, day('03T00:00:00')]);
    expect(approvers(day('02T23:59:59'))).toEqual([]);
    expect(approvers(day('03T00:00:00'))).toEqual(['p-head']);
    expect(approvers(day('04T12:00:00'))).toEqual(['p-staff', 'p-head']);
    expect(approvers(day('05T12:00:00'))).toEqual(['p-staff']);
  });

  it('is active until the moment it was deactivated', () => {
    expect(organisationAsOf(events, day('05T23:59:59.999'))!.active).toBe(true);
    expect(organisationAsOf(events, day('06T00:00:00'))!.active).toBe(false);
  });
});

describe('a spec as of a moment', () => {
  const s = new Stream<ReturnType<typeof specDecider.initialState>, SpecCommand>(specDecider, 'juminkiroku');
  s.run('2025-04-01T00:00:00Z', {
    type: 'CreateSpec',
    data: { specId: 'juminkiroku', title: '住民記録システム標準仕様書', domain: '住民記録', ownerOrganisationId: 'digital-agency' },
  });
  const requirement = (requirementId: string, text: string) => ({ requirementId, title: `要件${requirementId}`, text, category: '実装必須' as const });
  s.run('2025-04-02T00:00:00Z', {
    type: 'PublishSpecVersion',
    data: {
      specId: 'juminkiroku',
      version: '3.0',
      requirements: [requirement('1.1', '住民票を交付できること。')],
      incorporatedProposalIds: [],
      incorporatedProposals: {},
    },
  });
  s.run('2025-04-03T00:00:00Z', {
    type: 'PublishSpecVersion',
    data: {
      specId: 'juminkiroku',
      version: '4.0',
      requirements: [requirement('1.1', '住民票の写しを交付できること。'), requirement('1.2', '証明書をコンビニで交付できること。')],
      incorporatedProposalIds: [],
      incorporatedProposals: {},
    },
  });
  const events = s.events;

  it('does not exist before its creation', () => {
    expect(specAsOf(events, new Date('2025-03-31T00:00:00Z'))).toBeNull();
  });

  it('has only the versions published by then, the newest as latest', () => {
    expect(specAsOf(events, day('01T12:00:00'))).toEqual({
      id: 'juminkiroku',
      title: '住民記録システム標準仕様書',
      domain: '住民記録',
      ownerOrganisationId: 'digital-agency',
      latestVersionNumber: null,
      createdAt: day('01T00:00:00'),
      updatedAt: day('01T00:00:00'),
      revision: 0,
      asOf: { at: day('01T12:00:00'), versions: [] },
    });
    const v3 = { specId: 'juminkiroku', version: '3.0', publishedAt: day('02T00:00:00'), requirementCount: 1, incorporatedProposalIds: [] };
    const at2 = specAsOf(events, day('02T12:00:00'))!;
    expect([at2.latestVersionNumber, at2.revision, at2.asOf.versions]).toEqual(['3.0', 1, [v3]]);
    expect(specVersionAsOf(at2, '4.0')).toBeNull();
    const at3 = specAsOf(events, day('03T00:00:00'))!;
    expect([at3.latestVersionNumber, at3.revision, at3.asOf.versions.map((v) => [v.version, v.requirementCount])]).toEqual([
      '4.0',
      2,
      [
        ['3.0', 1],
        ['4.0', 2],
      ],
    ]);
    expect(specVersionAsOf(at3, '4.0')?.publishedAt).toEqual(day('03T00:00:00'));
  });
});

describe('a ladder as of a moment', () => {
  const rules: RoundRules = {
    weighting: 'equal',
    populations: null,
    quorumPercent: 50,
    thresholdPercent: 50,
    thresholdBasis: 'approve_of_approve_and_object',
    blockVetoes: false,
    resultsHidden: false,
    durationSeconds: 86_400,
  };
  const s = new Stream<ReturnType<typeof ladderDecider.initialState>, LadderCommand>(ladderDecider, 'P-1');
  s.run('2025-04-01T00:00:00Z', {
    type: 'ChooseLadder',
    data: {
      ladderId: 'P-1',
      proposalId: 'P-1',
      stages: [{ kind: 'prefectural_rounds', prefectureCodes: ['010006', '130001'], rules }, { kind: 'national_decision' }],
      specId: 'juminkiroku',
      proposalRevision: 2,
      specOwnerOrganisationId: 'digital-agency',
      proposalSubmitted: true,
    },
  });
  s.run('2025-04-02T00:00:00Z', { type: 'RecordStageOpened', data: { ladderId: 'P-1', stage: 1, consultationIds: ['K-01', 'K-13'] } });
  const passed = { quorumMet: true, thresholdMet: true, blocked: false, passed: true };
  const failed = { quorumMet: false, thresholdMet: false, blocked: false, passed: false };
  s.run('2025-04-03T12:00:00Z', {
    type: 'RecordStageClosed',
    data: {
      ladderId: 'P-1',
      stage: 1,
      results: [
        { consultationId: 'K-01', closed: true, outcome: passed },
        { consultationId: 'K-13', closed: true, outcome: failed },
      ],
    },
  });
  s.run('2025-04-04T00:00:00Z', {
    type: 'RecordNationalDecision',
    data: {
      ladderId: 'P-1',
      decision: 'accept',
      rationale: '北海道の団体の賛成による',
      citedStage: 1,
      citedOutcomes: [
        { consultationId: 'K-01', outcome: passed },
        { consultationId: 'K-13', outcome: failed },
      ],
    },
  });
  const events = s.events;
  // K-01 closed on the 3rd at 00:00 (before the stage was recorded closed at 12:00), K-13 at 06:00.
  const closedAt = (id: string, at: string, outcome: typeof passed): RecordedEvent[] => [
    { ...events[0], streamName: `Consultation-${id}`, type: 'ConsultationOpened', metadata: { ...events[0].metadata, occurredAt: '2025-04-02T00:00:00.000Z' } },
    { ...events[0], streamName: `Consultation-${id}`, type: 'ConsultationClosed', data: { outcome }, metadata: { ...events[0].metadata, occurredAt: at } },
  ];
  const rounds: Record<string, RecordedEvent[]> = {
    'K-01': closedAt('K-01', '2025-04-03T00:00:00.000Z', passed),
    'K-13': closedAt('K-13', '2025-04-03T06:00:00.000Z', failed),
  };
  const read = (at: Date) => ladderAsOf(events, at, new Map(roundsOpenAt(events, at).map((id) => [id, roundOutcomeAsOf(rounds[id], at)])));
  const roundsOf = (at: Date) => read(at)!.stages[0].rounds.map((r) => [r.consultationId, r.prefectureId, r.outcome?.passed ?? null]);

  it('does not exist before it was chosen', () => {
    expect(read(new Date('2025-03-31T00:00:00Z'))).toBeNull();
  });

  it('is chosen with every stage pending on its first day', () => {
    expect(read(day('01T12:00:00'))).toEqual({
      id: 'P-1',
      proposalId: 'P-1',
      specId: 'juminkiroku',
      proposalRevision: 2,
      ownerOrganisationId: 'digital-agency',
      status: 'RUNNING',
      currentStage: 1,
      stages: [
        {
          stage: 1,
          kind: 'PREFECTURAL_ROUNDS',
          status: 'PENDING',
          prefectureIds: ['010006', '130001'],
          rules: {
            weighting: 'EQUAL',
            quorumPercent: 50,
            thresholdPercent: 50,
            thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT',
            blockVetoes: false,
            resultsHidden: false,
            durationSeconds: 86_400,
          },
          openedAt: null,
          closedAt: null,
          rounds: [],
        },
        { stage: 2, kind: 'NATIONAL_DECISION', status: 'PENDING', prefectureIds: null, rules: null, openedAt: null, closedAt: null, rounds: [] },
      ],
      decision: null,
      rationale: null,
      citedStage: null,
      decidedAt: null,
      decidedByPersonId: null,
      chosenAt: day('01T00:00:00'),
      chosenByPersonId: 'system',
      streamVersion: 0,
      position: expect.any(String),
      asOf: { at: day('01T12:00:00') },
    });
  });

  it('shows each round of the open stage with its outcome once its consultation had closed by then, not before', () => {
    expect(roundsOpenAt(events, day('02T12:00:00'))).toEqual(['K-01', 'K-13']);
    expect(read(day('02T12:00:00'))!.stages[0].status).toBe('OPEN');
    expect(roundsOf(day('02T12:00:00'))).toEqual([
      ['K-01', '010006', null],
      ['K-13', '130001', null],
    ]);
    expect(roundsOf(day('03T03:00:00'))).toEqual([
      ['K-01', '010006', true],
      ['K-13', '130001', null],
    ]);
    expect(roundsOf(day('03T06:00:00'))).toEqual([
      ['K-01', '010006', true],
      ['K-13', '130001', false],
    ]);
  });

  it('closes the stage, then records the national decision', () => {
    const closed = read(day('03T12:00:00'))!;
    expect(roundsOpenAt(events, day('03T12:00:00'))).toEqual([]);
    expect([closed.status, closed.currentStage, closed.stages.map((st) => st.status), closed.stages[0].closedAt]).toEqual([
      'RUNNING',
      2,
      ['CLOSED', 'PENDING'],
      day('03T12:00:00'),
    ]);
    const decided = read(day('04T00:00:00'))!;
    expect([decided.status, decided.currentStage, decided.decision, decided.rationale, decided.citedStage, decided.decidedAt]).toEqual([
      'DECIDED',
      null,
      'ACCEPT',
      '北海道の団体の賛成による',
      1,
      day('04T00:00:00'),
    ]);
    expect(decided.stages.map((st) => st.status)).toEqual(['CLOSED', 'DECIDED']);
    expect(decided.stages[1].rounds.map((r) => [r.consultationId, r.outcome?.passed])).toEqual([
      ['K-01', true],
      ['K-13', false],
    ]);
  });
});

describe('a talent pool as of a moment', () => {
  const HOKKAIDO: Actor = { personId: 'p-hokkaido', organisationId: '010006', organisationKind: 'prefecture', roles: ['coordinator'] };
  const viewer = (organisationId: string, organisationKind: Actor['organisationKind']): Actor => ({
    personId: `p-${organisationId}`,
    organisationId,
    organisationKind,
    roles: ['member'],
  });
  const arrangement = (arrangementId: string, organisationIds: string[]): ArrangementLookup => ({
    arrangementId,
    phase: 'problems',
    hostOrganisationId: '010006',
    startDate: '2027-04-01',
    endDate: '2028-03-31',
    participants: organisationIds.map((organisationId) => ({ organisationId, daysPerMonth: 5 })),
  });
  const s = new Stream<ReturnType<typeof talentPoolDecider.initialState>, TalentPoolCommand>(talentPoolDecider, 'pool-1');
  s.run('2025-04-01T00:00:00Z', { type: 'OpenTalentPool', data: { poolId: 'pool-1', name: '北海道人材プール' } }, HOKKAIDO);
  s.run(
    '2025-04-02T00:00:00Z',
    { type: 'AddPoolPerson', data: { poolId: 'pool-1', poolPersonId: 'pp-1', name: '鈴木 次郎', reference: '道-1', capacityDaysPerMonth: 10 } },
    HOKKAIDO,
  );
  const dispatch = (dispatchId: string, organisationId: string, arrangementId: string, organisationIds: string[]) => ({
    type: 'DispatchPoolPerson' as const,
    data: {
      poolId: 'pool-1',
      dispatchId,
      poolPersonId: 'pp-1',
      organisationId,
      arrangementId,
      daysPerMonth: 5,
      startDate: '2027-04-01',
      endDate: '2028-03-31',
      arrangement: arrangement(arrangementId, organisationIds),
    },
  });
  s.run('2025-04-03T00:00:00Z', dispatch('d-2', '012025', 'A-1', ['011002', '012025']), HOKKAIDO);
  s.run('2025-04-04T00:00:00Z', dispatch('d-1', '011002', 'A-2', ['011002']), HOKKAIDO);
  s.run(
    '2025-04-05T00:00:00Z',
    { type: 'EndPoolDispatch', data: { poolId: 'pool-1', dispatchId: 'd-2', endDate: '2027-09-30', reason: '期間短縮' } },
    HOKKAIDO,
  );
  const events = s.events;

  it('does not exist before it was opened, and has only the dispatches made by then, each ending as then in force', () => {
    expect(talentPoolAsOf(events, day('01T00:00:00'))?.asOf.people).toEqual([]);
    expect(talentPoolAsOf(events, new Date('2025-03-31T23:59:59.999Z'))).toBeNull();
    const at3 = talentPoolAsOf(events, day('03T12:00:00'))!;
    expect(at3.asOf.dispatches.map((d) => [d.dispatchId, d.endDate, d.plannedEndDate, d.endReason])).toEqual([['d-2', '2028-03-31', '2028-03-31', null]]);
    const at5 = talentPoolAsOf(events, day('05T00:00:00'))!;
    expect(at5.asOf.dispatches.map((d) => [d.dispatchId, d.endDate, d.plannedEndDate, d.endReason, d.dispatchedAt])).toEqual([
      ['d-2', '2027-09-30', '2028-03-31', '期間短縮', day('03T00:00:00')],
      ['d-1', '2028-03-31', '2028-03-31', null, day('04T00:00:00')],
    ]);
    expect(talentPoolAsOfOf(at5)?.people.map((p) => [p.poolPersonId, p.addedAt])).toEqual([['pp-1', day('02T00:00:00')]]);
  });

  it('filters dispatches as the live query does, naming the person for the prefecture and the organisation served only', () => {
    const view = talentPoolAsOf(events, day('05T00:00:00'))!;
    const names = (actor: Actor, filter = { organisationId: null as string | null, arrangementId: null as string | null }) =>
      dispatchesAsOf(view, filter, actor)!.map((d) => [d.dispatchId, d.personName]);
    expect(names(HOKKAIDO)).toEqual([
      ['d-2', '鈴木 次郎'],
      ['d-1', '鈴木 次郎'],
    ]);
    expect(names(viewer('011002', 'municipality'))).toEqual([
      ['d-2', null],
      ['d-1', '鈴木 次郎'],
    ]);
    expect(names(viewer('133078', 'municipality'))).toEqual([
      ['d-2', null],
      ['d-1', null],
    ]);
    expect(names(HOKKAIDO, { organisationId: '012025', arrangementId: null })).toEqual([['d-2', '鈴木 次郎']]);
    expect(names(HOKKAIDO, { organisationId: null, arrangementId: 'A-2' })).toEqual([['d-1', '鈴木 次郎']]);
    expect(dispatchesAsOf(view, { organisationId: null, arrangementId: null }, { ...HOKKAIDO, roles: [] })).toEqual([]);
  });
});
