import type { Actor, OrganisationKind, Role } from '@kyogi/domain/shared/decider';
import { draftVisibleTo, maySee, permissionToSee, visibleTally } from './visibility';

const actor = (organisationId: string, organisationKind: OrganisationKind, roles: Role[]): Actor => ({
  personId: 'p',
  organisationId,
  organisationKind,
  roles,
});
const change = (type: string, id = '133078', entity = 'organisation') => ({ entity, id, change: type });

describe('who may see a change', () => {
  it('shows a member change only to the organisation itself and to national admins or coordinators', () => {
    expect(maySee(actor('133078', 'municipality', ['viewer']), change('MemberAdded'))).toBe(true);
    expect(maySee(actor('011002', 'municipality', ['admin']), change('MemberAdded'))).toBe(false);
    expect(maySee(actor('observer-example', 'observer', ['viewer']), change('MemberRolesChanged'))).toBe(false);
    expect(maySee(actor('digital-agency', 'national', ['coordinator']), change('MemberAdded'))).toBe(true);
    expect(maySee(actor('mic', 'national', ['member']), change('MemberAdded'))).toBe(false);
  });

  it('shows the public life of an organisation to every signed-in role', () => {
    expect(maySee(actor('observer-example', 'observer', ['viewer']), change('OrganisationRegistered'))).toBe(true);
    expect(maySee(actor('011002', 'municipality', ['member']), change('OrganisationDeactivated'))).toBe(true);
    expect(maySee(actor('011002', 'municipality', []), change('OrganisationRegistered'))).toBe(false);
  });

  it('shows every change of a spec to every signed-in role, and to no one without a role', () => {
    for (const type of ['SpecCreated', 'SpecVersionPublished']) {
      const specChange = change(type, 'juminkiroku', 'spec');
      expect(permissionToSee(specChange)).toBe('spec.read');
      expect(maySee(actor('observer-example', 'observer', ['viewer']), specChange)).toBe(true);
      expect(maySee(actor('vendor-example', 'vendor', ['member']), specChange)).toBe(true);
      expect(maySee(actor('133078', 'municipality', ['member']), specChange)).toBe(true);
      expect(maySee(actor('digital-agency', 'national', ['admin']), specChange)).toBe(true);
      expect(maySee(actor('133078', 'municipality', []), specChange)).toBe(false);
    }
  });

  describe('proposals and their comments', () => {
    const SAPPORO_STAFF = actor('011002', 'municipality', ['member']);
    const SAPPORO_VIEWER = actor('011002', 'municipality', ['viewer']);
    const HAKODATE_ADMIN = actor('012025', 'municipality', ['admin', 'approver', 'coordinator', 'member']);
    const NATIONAL_ADMIN = actor('digital-agency', 'national', ['admin', 'coordinator']);
    const AUDITOR = actor('observer-example', 'observer', ['viewer']);
    const SAPPORO_NO_ROLE = actor('011002', 'municipality', []);
    const everyone = [SAPPORO_STAFF, SAPPORO_VIEWER, HAKODATE_ADMIN, NATIONAL_ADMIN, AUDITOR, SAPPORO_NO_ROLE];
    const proposal = (type: string, isPublic: boolean) => ({
      entity: 'proposal',
      id: 'P-1',
      change: type,
      scope: { specId: 'juminkiroku', authorOrganisationId: '011002', public: String(isPublic) },
    });
    const comment = (type: string, isPublic: boolean, proposalId: string | null = 'P-1') => ({
      entity: 'comment',
      id: 'C-1',
      change: type,
      scope: { proposalId, specId: 'juminkiroku', authorOrganisationId: proposalId ? '011002' : null, public: String(isPublic) },
    });

    it("shows a draft's changes and its comments to the author organisation only — not even to national admins", () => {
      for (const change of [
        proposal('ProposalDrafted', false),
        proposal('ProposalRevised', false),
        proposal('ProposalWithdrawn', false),
        comment('CommentPosted', false),
      ]) {
        expect(permissionToSee(change)).toBe('proposal.read');
        expect(everyone.map((who) => maySee(who, change))).toEqual([true, true, false, false, false, false]);
      }
    });

    it('shows a submitted proposal, its comments and comments on the spec version itself to every signed-in role', () => {
      for (const change of [
        proposal('ProposalSubmitted', true),
        proposal('ProposalAccepted', true),
        comment('CommentDisposed', true),
        comment('CommentPosted', true, null),
      ]) {
        expect(everyone.map((who) => maySee(who, change))).toEqual([true, true, true, true, true, false]);
      }
    });

    it('shows a proposal or comment change that carries no scope to no one', () => {
      for (const change of [
        { entity: 'proposal', id: 'P-1', change: 'ProposalSubmitted' },
        { entity: 'comment', id: 'C-1', change: 'CommentPosted' },
      ]) {
        expect(everyone.map((who) => maySee(who, change))).toEqual([false, false, false, false, false, false]);
      }
    });
  });

  describe('consultations', () => {
    const everyone = [
      actor('311006', 'municipality', ['viewer']),
      actor('31', 'prefecture', ['coordinator']),
      actor('digital-agency', 'national', ['admin', 'coordinator']),
      actor('observer-example', 'observer', ['viewer']),
      actor('311006', 'municipality', []),
    ];
    const TALLY = JSON.stringify({ counts: { approve: 3 } });
    const consultation = (type: string, scope: Record<string, string | null>) => ({ entity: 'consultation', id: 'K-1', change: type, scope });

    it('shows every change of a consultation to every signed-in role', () => {
      for (const c of [
        consultation('ConsultationOpened', { resultsHidden: 'true', status: 'open', tally: null }),
        consultation('StanceCast', { resultsHidden: 'false', status: 'open', tally: TALLY }),
        consultation('ConsultationClosed', { resultsHidden: 'true', status: 'closed', tally: TALLY }),
      ]) {
        expect(permissionToSee(c)).toBe('consultation.read');
        expect(everyone.map((who) => maySee(who, c))).toEqual([true, true, true, true, false]);
      }
    });

    it('shows every step of a ratification ladder to every signed-in role', () => {
      for (const change of ['LadderChosen', 'LadderStageOpened', 'LadderStageClosed', 'LadderDecided']) {
        const ladder = { entity: 'ladder', id: 'P-1', change, scope: { proposalId: 'P-1' } };
        expect(permissionToSee(ladder)).toBe('consultation.read');
        expect(everyone.map((who) => maySee(who, ladder))).toEqual([true, true, true, true, false]);
      }
    });

    it('keeps the tally of a hidden, open round out of every notification', () => {
      expect(visibleTally({ resultsHidden: 'true', status: 'open', tally: TALLY })).toBeNull();
      expect(visibleTally({ resultsHidden: 'true', status: 'open', tally: null })).toBeNull();
      expect(visibleTally({ resultsHidden: 'false', status: 'open', tally: TALLY })).toBe(TALLY);
      expect(visibleTally({ resultsHidden: 'true', status: 'closed', tally: TALLY })).toBe(TALLY);
      expect(visibleTally({ status: 'open', tally: TALLY })).toBeNull(); // hidden unless said otherwise
      // A hidden round's change that carried numbers anyway reaches no one, not even national admins.
      const leaking = consultation('StanceCast', { resultsHidden: 'true', status: 'open', tally: TALLY });
      expect(everyone.map((who) => maySee(who, leaking))).toEqual([false, false, false, false, false]);
    });
  });

  describe('stance drafts', () => {
    // 檜原村 (133078) drafts for itself; 東京都 (130001) drafts for 檜原村 under its mandate.
    const draft = (scope?: Record<string, string | null>) => ({ entity: 'consultation', id: 'K-1', change: 'StanceDrafted', scope });
    const own = draft({ status: 'open', tally: null, organisationId: '133078', draftingOrganisationId: '133078' });
    const mandated = draft({ status: 'open', tally: null, organisationId: '133078', draftingOrganisationId: '130001' });

    it('tells any role of the drafting organisation (its approver decides), and no one else — not even national admins', () => {
      const who = [
        actor('133078', 'municipality', ['approver']),
        actor('133078', 'municipality', ['viewer']),
        actor('011002', 'municipality', ['admin', 'approver']),
        actor('130001', 'prefecture', ['coordinator']),
        actor('digital-agency', 'national', ['admin', 'coordinator']),
        actor('observer-example', 'observer', ['viewer']),
        actor('133078', 'municipality', []),
      ];
      expect(permissionToSee(own)).toBe('consultation.read');
      expect(who.map((a) => maySee(a, own))).toEqual([true, true, false, false, false, false, false]);
    });

    it('tells the grantee that drafted under a mandate and the grantor it is for, and no third organisation', () => {
      expect(maySee(actor('130001', 'prefecture', ['approver']), mandated)).toBe(true);
      expect(maySee(actor('133078', 'municipality', ['member']), mandated)).toBe(true);
      expect(maySee(actor('131130', 'municipality', ['approver']), mandated)).toBe(false);
      expect(maySee(actor('digital-agency', 'national', ['admin']), mandated)).toBe(false);
    });

    it('tells no one about a draft without a scope, or with empty organisations', () => {
      expect(maySee(actor('133078', 'municipality', ['approver']), draft())).toBe(false);
      expect(draftVisibleTo(actor('', 'municipality', ['approver']), { organisationId: '', draftingOrganisationId: null })).toBe(false);
    });

    it('keeps the rule for drafts alone: an official stance is still everyone’s', () => {
      const cast = { ...own, change: 'StanceCast', scope: { resultsHidden: 'false', status: 'open', tally: '{}', organisationId: '133078' } };
      expect(maySee(actor('011002', 'municipality', ['viewer']), cast)).toBe(true);
    });
  });

  describe('mandates', () => {
    // 檜原村 (133078) mandates 東京都 (130001).
    const mandate = (scope?: Record<string, string | null>) => ({ entity: 'mandate', id: 'M-1', change: 'MandateGranted', scope });
    const granted = mandate({ grantorOrganisationId: '133078', granteeOrganisationId: '130001' });

    it('shows a mandate to its grantor, its grantee, and national admins and coordinators only', () => {
      expect(permissionToSee(granted)).toBe('mandate.read');
      expect(maySee(actor('133078', 'municipality', ['viewer']), granted)).toBe(true);
      expect(maySee(actor('130001', 'prefecture', ['member']), granted)).toBe(true);
      expect(maySee(actor('digital-agency', 'national', ['admin']), granted)).toBe(true);
      expect(maySee(actor('mic', 'national', ['coordinator']), granted)).toBe(true);
      expect(maySee(actor('digital-agency', 'national', ['member', 'approver']), granted)).toBe(false);
      expect(maySee(actor('011002', 'municipality', ['admin', 'coordinator']), granted)).toBe(false);
      expect(maySee(actor('133078', 'municipality', []), granted)).toBe(false);
    });

    it('without a scope, shows it to the national roles only', () => {
      expect(maySee(actor('133078', 'municipality', ['admin']), mandate())).toBe(false);
      expect(maySee(actor('digital-agency', 'national', ['coordinator']), mandate())).toBe(true);
    });
  });

  describe('talent sharing', () => {
    // 北海道 (010006) proposes; 016381 hosts; 016390 participates; 011002 (札幌市) is outside.
    const scope = { phase: 'selection', termsVersion: '3', proposerOrganisationId: '010006', hostOrganisationId: '016381', organisationId: null };
    const arrangement = (type: string, s: Record<string, string | null> | null = scope) => ({
      entity: 'talentArrangement',
      id: 'TA-1',
      change: type,
      ...(s === null ? {} : { scope: s }),
    });
    const PROPOSER = actor('010006', 'prefecture', ['coordinator']);
    const HOST_MEMBER = actor('016381', 'municipality', ['member']);
    const PARTICIPANT = actor('016390', 'municipality', ['approver']);
    const OUTSIDER = actor('011002', 'municipality', ['admin', 'coordinator']);
    const NATIONAL_ADMIN = actor('digital-agency', 'national', ['admin', 'coordinator']);
    const AUDITOR = actor('observer-example', 'observer', ['viewer']);
    const HOST_NO_ROLE = actor('016381', 'municipality', []);
    const everyone = [PROPOSER, HOST_MEMBER, PARTICIPANT, OUTSIDER, NATIONAL_ADMIN, AUDITOR, HOST_NO_ROLE];

    it('shows the terms, consents and steps of an arrangement to every signed-in role', () => {
      for (const type of [
        'TalentArrangementProposed',
        'TalentTermsChanged',
        'TalentTermsConsented',
        'TalentTermsDeclined',
        'TalentTermsAgreed',
        'TalentProblemsListed',
        'TalentRequirementsDefined',
        'TalentSelectionOpened',
        'TalentCandidateSelected',
        'TalentChecklistSet',
        'TalentChecklistItemCompleted',
        'TalentArrangementActivated',
        'TalentArrangementEnded',
      ]) {
        expect(permissionToSee(arrangement(type))).toBe('talent.read');
        expect(everyone.map((who) => maySee(who, arrangement(type)))).toEqual([true, true, true, true, true, true, false]);
      }
    });

    it("shows a candidate's addition (personal data) to the organisers only — proposer and host — not to participants, national admins or auditors", () => {
      expect(everyone.map((who) => maySee(who, arrangement('TalentCandidateAdded')))).toEqual([true, true, false, false, false, false, false]);
      // Without a scope the organisers cannot be told apart: no one. A change type nobody has declared public yet: the organisers only.
      expect(everyone.map((who) => maySee(who, arrangement('TalentCandidateAdded', null)))).toEqual([false, false, false, false, false, false, false]);
      expect(everyone.map((who) => maySee(who, arrangement('TalentSomethingNew')))).toEqual([true, true, false, false, false, false, false]);
    });

    it("shows a pool's dispatches to every signed-in role, and its people's changes to the pool's prefecture only", () => {
      const pool = (type: string) => ({
        entity: 'talentPool',
        id: 'HP-1',
        change: type,
        scope: { prefectureOrganisationId: '010006', organisationId: type.startsWith('Pool') && type.includes('Dispatch') ? '016390' : null },
      });
      for (const type of ['TalentPoolOpened', 'PoolPersonDispatched', 'PoolDispatchEnded']) {
        expect(permissionToSee(pool(type))).toBe('talentPool.read');
        expect(everyone.map((who) => maySee(who, pool(type)))).toEqual([true, true, true, true, true, true, false]);
      }
      for (const type of ['PoolPersonAdded', 'PoolPersonCapacityChanged']) {
        expect(everyone.map((who) => maySee(who, pool(type)))).toEqual([true, false, false, false, false, false, false]);
        expect(maySee(actor('010006', 'prefecture', ['viewer']), pool(type))).toBe(true);
        expect(maySee(actor('010006', 'prefecture', []), pool(type))).toBe(false);
      }
    });
  });

  it('decides on the organisation, its kind and the roles, never on the person (room channels are shared on that)', () => {
    const anonymous = (organisationId: string, organisationKind: OrganisationKind, roles: Role[]): Actor => ({
      get personId(): string {
        throw new Error('visibility read the person');
      },
      organisationId,
      organisationKind,
      roles,
    });
    const scoped = (entity: string, type: string, scope: Record<string, string | null>) => ({ ...change(type, 'x-1', entity), scope });
    const changes = [
      change('MemberAdded'),
      change('OrganisationRegistered'),
      change('SpecCreated', 'juminkiroku', 'spec'),
      scoped('proposal', 'ProposalDrafted', { authorOrganisationId: '011002', public: 'false' }),
      scoped('comment', 'CommentPosted', { authorOrganisationId: '011002', public: 'true' }),
      scoped('consultation', 'StanceDrafted', { draftingOrganisationId: '011002', organisationId: '011002' }),
      scoped('consultation', 'StanceCast', { tally: '{"approve":1}', resultsHidden: 'false', status: 'open' }),
      scoped('ladder', 'LadderStageOpened', {}),
      scoped('mandate', 'MandateGranted', { grantorOrganisationId: '011002', granteeOrganisationId: '133078' }),
      scoped('talentArrangement', 'TalentCandidateAdded', { proposerOrganisationId: '011002', hostOrganisationId: '133078' }),
      scoped('talentPool', 'PoolPersonAdded', { prefectureOrganisationId: '010006' }),
    ];
    const actors = [
      anonymous('011002', 'municipality', ['member']),
      anonymous('133078', 'municipality', ['admin', 'member']),
      anonymous('digital-agency', 'national', ['admin']),
      anonymous('observer-example', 'observer', ['viewer']),
      anonymous('011002', 'municipality', []),
    ];
    for (const who of actors) for (const c of changes) expect(() => maySee(who, c)).not.toThrow();
  });

  it('shows nobody a change of an entity it does not know', () => {
    expect(permissionToSee(change('Anything', 'x', 'unknown'))).toBeNull();
    expect(maySee(actor('digital-agency', 'national', ['admin']), change('Anything', 'x', 'unknown'))).toBe(false);
  });
});
