import type { Actor, OrganisationKind, Role } from '@kyogi/domain/shared/decider';
import { isRedacted, mayReadActivityOf, streamVisibleTo, withheldFrom, type StreamFacts } from './access';

const as = (organisationId: string, organisationKind: OrganisationKind, roles: Role[]): Actor => ({
  personId: `p-${organisationId}`,
  organisationId,
  organisationKind,
  roles,
});
const SAPPORO = as('011002', 'municipality', ['member']);
const HAKODATE = as('012025', 'municipality', ['member', 'approver']);
const HOKKAIDO = as('010006', 'prefecture', ['coordinator']);
const DA_ADMIN = as('digital-agency', 'national', ['admin', 'coordinator']);
const MIC_MEMBER = as('mic', 'national', ['member']);
const AUDITOR = as('observer-example', 'observer', ['viewer']);
const NOBODY = as('011002', 'municipality', []);

const event = (type: string, data: Record<string, unknown> = {}) => ({ type, data });

describe('who may see a history', () => {
  it('shows a proposal never submitted, and comments on it, to its author organisation only — not to national admins', () => {
    const draft: StreamFacts = { category: 'Proposal', authorOrganisationId: '011002', everSubmitted: false };
    expect([SAPPORO, HAKODATE, DA_ADMIN, AUDITOR, NOBODY].map((a) => streamVisibleTo(a, draft))).toEqual([true, false, false, false, false]);
    const submitted: StreamFacts = { ...draft, everSubmitted: true };
    expect([SAPPORO, HAKODATE, DA_ADMIN, AUDITOR, NOBODY].map((a) => streamVisibleTo(a, submitted))).toEqual([true, true, true, true, false]);
    const onDraft: StreamFacts = { category: 'Comment', proposal: { authorOrganisationId: '011002', everSubmitted: false } };
    expect([SAPPORO, HAKODATE, DA_ADMIN].map((a) => streamVisibleTo(a, onDraft))).toEqual([true, false, false]);
    expect(streamVisibleTo(AUDITOR, { category: 'Comment', proposal: null })).toBe(true);
  });

  it('shows a mandate to its grantor, its grantee, and national admins and coordinators only', () => {
    const mandate: StreamFacts = { category: 'Mandate', grantorOrganisationId: '011002', granteeOrganisationId: '010006' };
    expect([SAPPORO, HOKKAIDO, HAKODATE, DA_ADMIN, MIC_MEMBER, AUDITOR].map((a) => streamVisibleTo(a, mandate))).toEqual([
      true,
      true,
      false,
      true,
      false,
      false,
    ]);
  });

  it('shows organisations, specs, ladders, consultations, talent and other streams to everyone with a role', () => {
    const facts: StreamFacts[] = [
      { category: 'Organisation', organisationId: '011002' },
      { category: 'Spec' },
      { category: 'Ladder' },
      { category: 'Consultation', resultsHidden: true, closed: false },
      { category: 'TalentArrangement', organiserIds: ['011002'] },
      { category: 'TalentPool', prefectureOrganisationId: '010006' },
      { category: 'Other' },
    ];
    for (const f of facts) {
      expect(streamVisibleTo(AUDITOR, f)).toBe(true);
      expect(streamVisibleTo(NOBODY, f)).toBe(false);
    }
  });
});

describe('what an entry withholds', () => {
  const hiddenOpen: StreamFacts = { category: 'Consultation', resultsHidden: true, closed: false };
  const hiddenClosed: StreamFacts = { category: 'Consultation', resultsHidden: true, closed: true };
  const visibleOpen: StreamFacts = { category: 'Consultation', resultsHidden: false, closed: false };
  const cast = event('StanceCast', { organisationId: '011002', castByOrganisationId: '011002', stance: 'approve' });
  const castUnderMandate = event('StanceCast', { organisationId: '011002', castByOrganisationId: '010006', stance: 'approve' });

  it("withholds another organisation's official stance while a hidden round is open, and no one's after close or in a visible round", () => {
    expect(withheldFrom(SAPPORO, hiddenOpen, cast)).toEqual({ personalData: false, stance: false });
    expect(withheldFrom(HAKODATE, hiddenOpen, cast)).toEqual({ personalData: false, stance: true });
    expect(withheldFrom(DA_ADMIN, hiddenOpen, cast)).toEqual({ personalData: false, stance: true }); // not even national admins
    expect(withheldFrom(HOKKAIDO, hiddenOpen, castUnderMandate).stance).toBe(false); // the casting organisation
    expect(withheldFrom(SAPPORO, hiddenOpen, castUnderMandate).stance).toBe(false); // the voter
    expect(withheldFrom(HAKODATE, hiddenClosed, cast).stance).toBe(false);
    expect(withheldFrom(HAKODATE, visibleOpen, cast).stance).toBe(false);
  });

  it('withholds a stance draft from everyone but the drafting organisation, in every round, open or closed', () => {
    const drafted = event('StanceDrafted', { organisationId: '011002', castByOrganisationId: '010006', stance: 'object' });
    for (const facts of [hiddenOpen, hiddenClosed, visibleOpen]) {
      expect(withheldFrom(HOKKAIDO, facts, drafted).stance).toBe(false);
      expect(withheldFrom(SAPPORO, facts, drafted).stance).toBe(true);
      expect(withheldFrom(DA_ADMIN, facts, drafted).stance).toBe(true);
    }
    expect(withheldFrom(HAKODATE, hiddenOpen, event('ConsultationOpened'))).toEqual({ personalData: false, stance: false });
  });

  it("withholds members' names and e-mails from those who may not read the organisation's members", () => {
    const organisation: StreamFacts = { category: 'Organisation', organisationId: '011002' };
    const added = event('MemberAdded', { organisationId: '011002', email: 'x@example.jp' });
    expect(withheldFrom(SAPPORO, organisation, added).personalData).toBe(false);
    expect(withheldFrom(DA_ADMIN, organisation, added).personalData).toBe(false);
    expect(withheldFrom(HAKODATE, organisation, added).personalData).toBe(true);
    expect(withheldFrom(HOKKAIDO, organisation, added).personalData).toBe(true); // its prefecture does not read its members
    expect(withheldFrom(MIC_MEMBER, organisation, added).personalData).toBe(true);
    expect(withheldFrom(HAKODATE, organisation, event('MemberRolesChanged')).personalData).toBe(false);
  });

  it("withholds candidates' names from all but the organisers, and pool people's names from all but the pool's prefecture", () => {
    const arrangement: StreamFacts = { category: 'TalentArrangement', organiserIds: ['012025', '011002'] };
    const candidate = event('TalentCandidateAdded', { name: '候補 一郎' });
    expect([SAPPORO, HAKODATE, HOKKAIDO, DA_ADMIN].map((a) => withheldFrom(a, arrangement, candidate).personalData)).toEqual([false, false, true, true]);
    expect(withheldFrom(HOKKAIDO, arrangement, event('TalentCandidateSelected')).personalData).toBe(false);
    const pool: StreamFacts = { category: 'TalentPool', prefectureOrganisationId: '010006' };
    const person = event('PoolPersonAdded', { name: '派遣 花子' });
    expect([HOKKAIDO, SAPPORO, DA_ADMIN].map((a) => withheldFrom(a, pool, person).personalData)).toEqual([false, true, true]);
    expect(isRedacted(withheldFrom(SAPPORO, pool, person))).toBe(true);
    expect(isRedacted(withheldFrom(SAPPORO, pool, event('PoolPersonDispatched')))).toBe(false);
  });
});

describe("who may read an organisation's activity feed", () => {
  it('is its own people and national admins and coordinators', () => {
    expect([SAPPORO, HAKODATE, HOKKAIDO, DA_ADMIN, MIC_MEMBER, AUDITOR, NOBODY].map((a) => mayReadActivityOf(a, '011002'))).toEqual([
      true,
      false,
      false,
      true,
      false,
      false,
      false,
    ]);
  });
});
