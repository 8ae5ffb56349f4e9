import { consultationDecider } from '@kyogi/domain/consultations/consultations.decider';
import type { ConsultationCommand } from '@kyogi/domain/consultations/consultations.commands';
import { proposalDecider } from '@kyogi/domain/proposals/proposals.decider';
import type { ProposalCommand } from '@kyogi/domain/proposals/proposals.commands';
import type { Actor, DomainCommand } from '@kyogi/domain/shared/decider';
import { RecordedStream } from './testing/recorded-stream';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import { consultationAsOf, draftsAsOf, nonRespondentsAsOf, stancesAsOf } from './consultation-as-of';
import { eventsUpTo } from './events-up-to';
import { proposalAsOf, revisionsAsOf } from './proposal-as-of';
import { talentArrangementAsOf, talentArrangementAsOfOf } from './talent-arrangement-as-of';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import type { TalentArrangementCommand } from '@kyogi/domain/talent/arrangements.commands';

const as = (personId: string, organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId,
  organisationId,
  organisationKind,
  roles,
});
const HOKKAIDO = as('p-hokkaido', '010006', 'prefecture', ['coordinator']);
const SYSTEM = as('system', '010006', 'prefecture', ['coordinator']);
const voter = (organisationId: string) => as(`p-${organisationId}`, organisationId, 'municipality', ['member', 'approver']);
const SAPPORO = voter('011002');
const HAKODATE = voter('012025');
const HINOHARA = voter('133078');

const PREFECTURES: Record<string, string | null> = { '011002': '01', '012025': '01', '133078': '13', mic: null };
const prefectureOf = (id: string) => PREFECTURES[id] ?? null;

/** A stream built by the real decider (RecordedStream). */
class Stream<S, C extends DomainCommand> extends RecordedStream<S, C> {
  run(at: string, by: Actor, command: Omit<C, 'metadata'>): void {
    this.record(at, by, command);
  }
}

/** A round of four: 札幌市, 函館市 (北海道), 檜原村 (東京都), 総務省 (no prefecture); quorum 50 %, threshold 60 % of approve + object. */
function round(resultsHidden: boolean) {
  const k = new Stream<ReturnType<typeof consultationDecider.initialState>, ConsultationCommand>(consultationDecider, 'K-1');
  k.run('2025-04-01T00:00:00Z', HOKKAIDO, {
    type: 'OpenConsultation',
    data: {
      consultationId: 'K-1',
      proposalId: 'P-1',
      specId: 'juminkiroku',
      electorate: ['mic', '133078', '012025', '011002'].map((organisationId) => ({ organisationId, weight: 1 })),
      weighting: 'equal',
      quorumPercent: 50,
      thresholdPercent: 60,
      thresholdBasis: 'approve_of_approve_and_object',
      blockVetoes: true,
      closesAt: '2025-04-01T06:00:00Z',
      resultsHidden,
      stage: { ladderId: null, stage: null },
      proposalSubmitted: true,
    },
  });
  const stance = (hour: string, by: Actor, draftId: string, stance: string, reason: string | null = null) => {
    k.run(`2025-04-01T${hour}:00:00Z`, by, {
      type: 'DraftStance',
      data: { consultationId: 'K-1', draftId, organisationId: by.organisationId, stance, reason, mandate: null },
    });
    k.run(`2025-04-01T${hour}:05:00Z`, by, { type: 'ApproveStance', data: { consultationId: 'K-1', draftId, mandate: null } });
  };
  stance('01', SAPPORO, 'D-1', 'approve');
  stance('02', HAKODATE, 'D-2', 'object', '運用上の支障');
  stance('03', HINOHARA, 'D-3', 'abstain');
  stance('04', SAPPORO, 'D-4', 'object', '再検討の結果');
  k.run('2025-04-01T06:00:00Z', SYSTEM, { type: 'CloseConsultation', data: { consultationId: 'K-1', reason: null } });
  return k.events;
}

const at = (hhmm: string) => new Date(`2025-04-01T${hhmm}Z`);
const counts = (approve: number, object: number, abstain: number, block: number) => ({ approve, object, abstain, block });

describe('a consultation as of a moment', () => {
  const events = round(false);

  it('does not exist before it was opened', () => {
    expect(consultationAsOf(events, new Date('2025-03-31T23:59:59.999Z'), prefectureOf)).toBeNull();
    expect(consultationAsOf([], at('12:00:00'), prefectureOf)).toBeNull();
  });

  it('has the tally computed by hand at every instant between the stances', () => {
    // instant → [counts (approve, object, abstain, block), participating]
    const expected: [string, ReturnType<typeof counts>, number][] = [
      ['00:30:00', counts(0, 0, 0, 0), 0],
      ['01:02:00', counts(0, 0, 0, 0), 0], // 札幌市's draft is not yet its stance
      ['01:05:00', counts(1, 0, 0, 0), 1], // exactly at the approval: included
      ['02:30:00', counts(1, 1, 0, 0), 2],
      ['03:10:00', counts(1, 1, 1, 0), 3],
      ['04:10:00', counts(0, 2, 1, 0), 3], // 札幌市 changed from approve to object
    ];
    for (const [time, c, participating] of expected) {
      const view = consultationAsOf(events, at(time), prefectureOf)!;
      expect({ time, status: view.status, tally: view.tally }).toEqual({
        time,
        status: 'OPEN',
        tally: { weights: c, counts: c, participatingWeight: participating, participatingCount: participating, totalWeight: 4, electorateCount: 4 },
      });
      expect(view.outcome).toBeNull();
    }
  });

  it('shows the stances and non-respondents as they stood, by prefecture, with the time each was cast', () => {
    const view = consultationAsOf(events, at('03:10:00'), prefectureOf)!;
    expect(stancesAsOf(view, null)!.map((s) => [s.organisationId, s.prefectureCode, s.stance, s.reason, s.castAt.toISOString()])).toEqual([
      ['012025', '01', 'OBJECT', '運用上の支障', '2025-04-01T02:05:00.000Z'],
      ['011002', '01', 'APPROVE', null, '2025-04-01T01:05:00.000Z'],
      ['133078', '13', 'ABSTAIN', null, '2025-04-01T03:05:00.000Z'],
    ]);
    expect(nonRespondentsAsOf(view, null)).toEqual([{ organisationId: 'mic', prefectureCode: null, weight: 1 }]);
    expect(nonRespondentsAsOf(consultationAsOf(events, at('01:30:00'), prefectureOf)!, '01')).toEqual([
      { organisationId: '012025', prefectureCode: '01', weight: 1 },
    ]);
    const later = consultationAsOf(events, at('04:10:00'), prefectureOf)!;
    expect(stancesAsOf(later, '011002')).toEqual([
      expect.objectContaining({ organisationId: '011002', stance: 'OBJECT', reason: '再検討の結果', draftId: 'D-4' }),
    ]);
    expect(draftsAsOf(later, '011002')!.map((d) => [d.draftId, d.stance, d.approved, d.draftedAt.toISOString()])).toEqual([
      ['D-4', 'OBJECT', true, '2025-04-01T04:00:00.000Z'],
      ['D-1', 'APPROVE', true, '2025-04-01T01:00:00.000Z'],
    ]);
    expect(draftsAsOf(consultationAsOf(events, at('04:02:00'), prefectureOf)!, '011002')!.map((d) => [d.draftId, d.approved])).toEqual([
      ['D-4', false],
      ['D-1', true],
    ]);
  });

  it('is due but still open until the close is recorded, and closed with the recorded outcome after', () => {
    const due = consultationAsOf(events, new Date('2025-04-01T05:59:59.999Z'), prefectureOf)!;
    expect(due.status).toBe('OPEN');
    const closed = consultationAsOf(events, at('12:00:00'), prefectureOf)!;
    expect(closed).toMatchObject({
      status: 'CLOSED',
      closedAt: new Date('2025-04-01T06:00:00Z'),
      early: false,
      closeReason: null,
      // quorum 3 of 4 ≥ 50 %: met; approve 0 of (0 + 2) < 60 %: not met.
      outcome: { quorumMet: true, thresholdMet: false, blocked: false, passed: false },
      streamVersion: 9,
      position: formatPosition({ commit: 109n, prepare: 9n }),
      resultsVisible: true,
    });
    expect(closed.tally!.counts).toEqual(counts(0, 2, 1, 0));
  });

  it('keeps a hidden round hidden at any moment it was open, even though it is closed now', () => {
    const hidden = round(true);
    const open = consultationAsOf(hidden, at('03:10:00'), prefectureOf)!;
    expect(open).toMatchObject({ status: 'OPEN', resultsHidden: true, resultsVisible: false, tally: null, outcome: null });
    const closed = consultationAsOf(hidden, at('06:00:00'), prefectureOf)!;
    expect(closed).toMatchObject({ status: 'CLOSED', resultsVisible: true });
    expect(closed.tally!.counts).toEqual(counts(0, 2, 1, 0));
  });
});

describe('a proposal as of a moment', () => {
  const p = new Stream<ReturnType<typeof proposalDecider.initialState>, ProposalCommand>(proposalDecider, 'P-1');
  const base = {
    exists: true,
    versionPublished: true,
    requirements: { '2.1.3': { title: '旧氏', text: '旧氏を記載すること。' }, '3.1': { title: '転入', text: '転入を記録すること。' } },
  };
  const change = (after: string) => ({ changeId: 'c1', kind: 'modify' as const, requirementId: '2.1.3', after, reason: '理由' });
  p.run('2025-04-01T00:00:00Z', SAPPORO, {
    type: 'DraftProposal',
    data: { proposalId: 'P-1', specId: 'juminkiroku', version: '4.0', title: '第1版', changes: [change('旧氏を選択して記載すること。')], base },
  });
  p.run('2025-04-02T00:00:00Z', SAPPORO, {
    type: 'ReviseProposal',
    data: {
      proposalId: 'P-1',
      title: '第2版',
      changes: [change('旧氏の記載の有無を選択できること。'), { ...change('転入を即日記録すること。'), changeId: 'c2', requirementId: '3.1' }],
      base,
    },
  });
  p.run('2025-04-03T00:00:00Z', SAPPORO, { type: 'SubmitProposal', data: { proposalId: 'P-1' } });
  p.run('2025-04-04T00:00:00Z', as('p-da', 'digital-agency', 'national', ['coordinator']), {
    type: 'AcceptProposal',
    data: { proposalId: 'P-1', revision: 2, rationale: '賛成多数', specOwnerOrganisationId: 'digital-agency', ladder: null },
  });

  it('is the draft with its first text before the revision, and the revised, submitted, accepted proposal after', () => {
    expect(proposalAsOf(p.events, new Date('2025-03-31T00:00:00Z'))).toBeNull();
    const before = proposalAsOf(p.events, new Date('2025-04-01T12:00:00Z'))!;
    expect(before).toMatchObject({
      status: 'DRAFTED',
      title: '第1版',
      currentRevision: 1,
      everSubmitted: false,
      submittedAt: null,
      decision: null,
      streamVersion: 0,
    });
    expect(revisionsAsOf(before)!.map((r) => [r.revision, r.changes.map((c) => c.after)])).toEqual([[1, ['旧氏を選択して記載すること。']]]);
    expect(revisionsAsOf(before, 2)).toEqual([]);
    const revised = proposalAsOf(p.events, new Date('2025-04-02T12:00:00Z'))!;
    expect(revised).toMatchObject({ status: 'DRAFTED', title: '第2版', currentRevision: 2, streamVersion: 1 });
    expect(revisionsAsOf(revised, 2)![0].changes.map((c) => [c.requirementId, c.before, c.after])).toEqual([
      ['2.1.3', '旧氏を記載すること。', '旧氏の記載の有無を選択できること。'],
      ['3.1', '転入を記録すること。', '転入を即日記録すること。'],
    ]);
    const decided = proposalAsOf(p.events, new Date('2025-05-01T00:00:00Z'))!;
    expect(decided).toMatchObject({
      status: 'ACCEPTED',
      everSubmitted: true,
      submittedRevision: 2,
      submittedAt: new Date('2025-04-03T00:00:00Z'),
      decision: { outcome: 'ACCEPTED', rationale: '賛成多数', revision: 2, decidedByPersonId: 'p-da', decidedAt: new Date('2025-04-04T00:00:00Z') },
      draftedAt: new Date('2025-04-01T00:00:00Z'),
      updatedAt: new Date('2025-04-04T00:00:00Z'),
      streamVersion: 3,
    });
    expect(revisionsAsOf(decided)!.map((r) => [r.revision, r.revisedByPersonId, r.revisedAt.toISOString()])).toEqual([
      [1, 'p-011002', '2025-04-01T00:00:00.000Z'],
      [2, 'p-011002', '2025-04-02T00:00:00.000Z'],
    ]);
  });
});

describe('the events up to a moment', () => {
  it('is the longest prefix of events that had occurred by then', () => {
    const stamp = (occurredAt: string, revision: number) => ({ revision: BigInt(revision), metadata: { occurredAt } }) as unknown as RecordedEvent;
    const events = [stamp('2025-04-01T00:00:00Z', 0), stamp('2025-04-01T02:00:00Z', 1), stamp('2025-04-01T01:00:00Z', 2), stamp('2025-04-01T03:00:00Z', 3)];
    expect(eventsUpTo(events, at('01:30:00')).map((e) => e.revision)).toEqual([0n]);
    expect(eventsUpTo(events, at('02:00:00')).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
    expect(eventsUpTo(events, at('23:00:00'))).toHaveLength(4);
  });
});

describe('a talent arrangement as of a moment', () => {
  const [A, B, C, D] = ['016381', '016390', '016403', '016411'];
  const coordinator = (organisationId: string) => as(`p-${organisationId}-coord`, organisationId, 'municipality', ['member', 'coordinator']);
  const approver = (organisationId: string) => as(`p-${organisationId}-approver`, organisationId, 'municipality', ['approver']);
  const organisations = [A, B, C, D].map((organisationId) => ({ organisationId, kind: 'municipality' as const, prefectureCode: '01', active: true }));
  const termsOf = (ids: string[], annualCostYen: number) => ({
    startDate: '2025-04-01',
    endDate: '2026-03-31',
    annualCostYen,
    hostOrganisationId: A,
    participants: ids.map((organisationId) => ({ organisationId, population: null, daysPerMonth: 5 })),
    splitRule: 'equal' as const,
    subsidyPercent: 50,
  });
  const t = new Stream<ReturnType<typeof talentArrangementDecider.initialState>, TalentArrangementCommand>(talentArrangementDecider, 'T-1');
  t.run('2025-03-01T00:00:00Z', coordinator(A), {
    type: 'ProposeTalentArrangement',
    data: { arrangementId: 'T-1', role: 'CIO補佐官', skills: ['DX'], terms: termsOf([A, B, C], 18_000_000), organisations },
  });
  const consent = (day: string, organisationId: string, termsVersion: number) =>
    t.run(`2025-03-${day}T00:00:00Z`, approver(organisationId), { type: 'ConsentToTalentTerms', data: { arrangementId: 'T-1', organisationId, termsVersion } });
  consent('02', B, 1);
  consent('03', C, 1);
  consent('04', A, 1); // the last consent: agreed
  t.run('2025-03-05T00:00:00Z', coordinator(A), {
    type: 'ChangeTalentTerms',
    data: { arrangementId: 'T-1', terms: termsOf([A, B, C, D], 24_000_000), reason: 'D町の参加', organisations },
  });
  consent('06', B, 2);
  const asOf = (day: string) => talentArrangementAsOf(t.events, new Date(`2025-03-${day}T12:00:00Z`), [A])!;

  it('shows the terms each town had consented to, and who was still pending, on each day', () => {
    expect(talentArrangementAsOf(t.events, new Date('2025-02-28T00:00:00Z'), [A])).toBeNull();
    const third = asOf('03');
    expect(third).toMatchObject({ termsVersion: 1, agreed: false, agreedTermsVersion: null, agreedAt: null, pendingConsents: [A], phase: 'PROBLEMS' });
    expect(talentArrangementAsOfOf(third)!.participants.map((p) => [p.organisationId, p.shareYen, p.subsidyYen, p.netYen, p.answer])).toEqual([
      [A, 6_000_000, 3_000_000, 3_000_000, null],
      [B, 6_000_000, 3_000_000, 3_000_000, 'CONSENTED'],
      [C, 6_000_000, 3_000_000, 3_000_000, 'CONSENTED'],
    ]);
    expect(asOf('04')).toMatchObject({ termsVersion: 1, agreed: true, agreedTermsVersion: 1, agreedAt: new Date('2025-03-04T00:00:00Z'), pendingConsents: [] });
    const changed = asOf('05');
    expect(changed).toMatchObject({
      termsVersion: 2,
      agreed: false,
      agreedTermsVersion: 1,
      pendingConsents: [A, B, C, D],
      terms: { annualCostYen: 24_000_000 },
    });
    expect(talentArrangementAsOfOf(changed)!.participants.map((p) => [p.organisationId, p.shareYen, p.answer])).toEqual([
      [A, 6_000_000, null],
      [B, 6_000_000, null],
      [C, 6_000_000, null],
      [D, 6_000_000, null],
    ]);
    const history = talentArrangementAsOfOf(asOf('06'))!.termsHistory;
    expect(history.map((v) => [v.version, v.terms.annualCostYen, v.changes, v.joinedOrganisationIds, v.agreedAt?.toISOString() ?? null])).toEqual([
      [1, 18_000_000, [], [], '2025-03-04T00:00:00.000Z'],
      [2, 24_000_000, ['PARTICIPANTS', 'COST'], [D], null],
    ]);
    expect(history.map((v) => v.consents.map((c) => [c.organisationId, c.answer, c.current]))).toEqual([
      [
        [B, 'CONSENTED', false],
        [C, 'CONSENTED', false],
        [A, 'CONSENTED', false],
      ],
      [[B, 'CONSENTED', true]],
    ]);
    expect(asOf('06').pendingConsents).toEqual([A, C, D]);
  });
});
