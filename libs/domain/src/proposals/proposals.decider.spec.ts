import fc from 'fast-check';
import { Actor, isDomainError } from '../shared/decider';
import { SpecEvent } from '../specs/specs.events';
import { specDecider } from '../specs/specs.decider';
import { DeciderSpecification } from '../testing/decider-spec';
import {
  AcceptProposal,
  DecideProposalData,
  DraftProposal,
  DraftProposalData,
  MarkProposalIncorporated,
  MarkProposalIncorporatedData,
  ProposalBase,
  ProposalChangeInput,
  ProposalCommand,
  RejectProposal,
  ReviseProposal,
  ReviseProposalData,
  SubmitProposal,
  WithdrawProposal,
} from './proposals.commands';
import {
  changeTextOf,
  everSubmitted,
  MAX_CHANGES,
  proposalBaseOf,
  proposalDecider,
  ProposalState,
  ProposalStatus,
  proposalVisibleTo,
} from './proposals.decider';
import {
  ProposalAccepted,
  ProposalChange,
  ProposalDrafted,
  ProposalDraftedData,
  ProposalEvent,
  ProposalIncorporated,
  ProposalRejected,
  ProposalRevised,
  proposalStreamName,
  ProposalSubmitted,
  ProposalWithdrawn,
} from './proposals.events';

const spec = DeciderSpecification.for(proposalDecider);

// Actors. Sapporo (a municipality) authors; デジタル庁 owns the spec.
const actor = (personId: string, organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId,
  organisationId,
  organisationKind,
  roles,
});
const sapporoMember = actor('p-sapporo-member', '011002', 'municipality', ['member']);
const sapporoApprover = actor('p-sapporo-approver', '011002', 'municipality', ['member', 'approver']);
const sapporoCoordinator = actor('p-sapporo-coordinator', '011002', 'municipality', ['coordinator']);
const sapporoAdmin = actor('p-sapporo-admin', '011002', 'municipality', ['admin']);
const sapporoViewer = actor('p-sapporo-viewer', '011002', 'municipality', ['viewer']);
const hakodateApprover = actor('p-hakodate-approver', '012025', 'municipality', ['member', 'approver', 'admin']);
const hokkaidoMember = actor('p-hokkaido-member', '010006', 'prefecture', ['member']);
const vendorMember = actor('p-vendor-member', 'sample-vendor', 'vendor', ['member']);
const observerAdmin = actor('p-observer-admin', 'citizens-watch', 'observer', ['member', 'approver', 'coordinator', 'admin']);
const daCoordinator = actor('p-da-coordinator', 'digital-agency', 'national', ['member', 'coordinator']);
const daAdmin = actor('p-da-admin', 'digital-agency', 'national', ['admin']);
const daMember = actor('p-da-member', 'digital-agency', 'national', ['member', 'approver']);
const micCoordinator = actor('p-mic-coordinator', 'mic', 'national', ['coordinator', 'admin']);
const nobody = actor('p-nobody', '011002', 'municipality', []);

const metadata = (by: Actor) => ({ commandId: '01JQ7Z0000000000000000CMD1', now: new Date('2025-04-01T00:00:00Z'), actor: by });

// The base: 住民記録システム標準仕様書 4.0
const base: ProposalBase = {
  exists: true,
  versionPublished: true,
  requirements: {
    '2.1.1': { title: '住民票の写しの交付', text: '住民票の写しを交付できること。' },
    '2.1.2': { title: '広域交付', text: '　広域交付住民票の写しを交付できること。' },
    '3.1': { title: '独自帳票', text: '独自の帳票を印刷できること。' },
  },
};

// Changes as sent, and as recorded
const modifyInput: ProposalChangeInput = {
  changeId: 'c1',
  kind: 'modify',
  requirementId: '2.1.1',
  after: '住民票の写しをコンビニエンスストアでも交付できること。',
  reason: 'コンビニ交付が広く行われているため',
};
const deleteInput: ProposalChangeInput = { changeId: 'c2', kind: 'delete', requirementId: '3.1', after: null, reason: '独自帳票は標準化の対象外とするため' };
const addInput: ProposalChangeInput = {
  changeId: 'c3',
  kind: 'add',
  requirementId: '2.1.4',
  after: '証明書の交付履歴を照会できること。',
  reason: '監査のため',
};
const modify: ProposalChange = { ...modifyInput, requirementTitle: '住民票の写しの交付', before: '住民票の写しを交付できること。' };
const remove: ProposalChange = { ...deleteInput, requirementTitle: '独自帳票', before: '独自の帳票を印刷できること。' };
const add: ProposalChange = { ...addInput, requirementTitle: null, before: null };

const draftData: DraftProposalData = {
  proposalId: 'P1',
  specId: 'juminkiroku',
  version: '4.0',
  title: 'コンビニ交付の明記',
  changes: [modifyInput, deleteInput],
  base,
};
const draftedData: ProposalDraftedData = {
  proposalId: 'P1',
  specId: 'juminkiroku',
  version: '4.0',
  title: 'コンビニ交付の明記',
  changes: [modify, remove],
  authorPersonId: 'p-sapporo-member',
  authorOrganisationId: '011002',
};

// Commands
const draftProposal = (data: Partial<DraftProposalData> = {}, by: Actor = sapporoMember): DraftProposal => ({
  type: 'DraftProposal',
  data: { ...draftData, ...data },
  metadata: metadata(by),
});
const withChange = (i: number, overrides: Record<string, unknown>) =>
  draftData.changes.map((c, j) => (j === i ? ({ ...c, ...overrides } as ProposalChangeInput) : c));
const reviseProposal = (data: Partial<ReviseProposalData> = {}, by: Actor = sapporoMember): ReviseProposal => ({
  type: 'ReviseProposal',
  data: { proposalId: 'P1', title: 'コンビニ交付の明記（改訂）', changes: [modifyInput, addInput], base, ...data },
  metadata: metadata(by),
});
const submitProposal = (by: Actor = sapporoApprover): SubmitProposal => ({ type: 'SubmitProposal', data: { proposalId: 'P1' }, metadata: metadata(by) });
const withdrawProposal = (reason = '他団体の提案に統合するため', by: Actor = sapporoApprover): WithdrawProposal => ({
  type: 'WithdrawProposal',
  data: { proposalId: 'P1', reason },
  metadata: metadata(by),
});
const decision = (data: Partial<DecideProposalData>): DecideProposalData => ({
  proposalId: 'P1',
  revision: 1,
  rationale: '多数の団体が同様の運用をしているため',
  specOwnerOrganisationId: 'digital-agency',
  ladder: null,
  ...data,
});
const acceptProposal = (data: Partial<DecideProposalData> = {}, by: Actor = daCoordinator): AcceptProposal => ({
  type: 'AcceptProposal',
  data: decision(data),
  metadata: metadata(by),
});
const rejectProposal = (data: Partial<DecideProposalData> = {}, by: Actor = daCoordinator): RejectProposal => ({
  type: 'RejectProposal',
  data: decision(data),
  metadata: metadata(by),
});
const markIncorporated = (data: Partial<MarkProposalIncorporatedData> = {}, by: Actor = daCoordinator): MarkProposalIncorporated => ({
  type: 'MarkProposalIncorporated',
  data: { proposalId: 'P1', specId: 'juminkiroku', version: '4.1', specOwnerOrganisationId: 'digital-agency', ...data },
  metadata: metadata(by),
});

// Events
const drafted = (data: Partial<ProposalDraftedData> = {}): ProposalDrafted => ({ type: 'ProposalDrafted', data: { ...draftedData, ...data } });
const revised = (revision = 2, changes: readonly ProposalChange[] = [modify, add], title = 'コンビニ交付の明記（改訂）'): ProposalRevised => ({
  type: 'ProposalRevised',
  data: { proposalId: 'P1', revision, title, changes },
});
const submitted = (revision = 1): ProposalSubmitted => ({ type: 'ProposalSubmitted', data: { proposalId: 'P1', revision } });
const withdrawn = (reason = '他団体の提案に統合するため'): ProposalWithdrawn => ({ type: 'ProposalWithdrawn', data: { proposalId: 'P1', reason } });
const accepted = (revision = 1): ProposalAccepted => ({
  type: 'ProposalAccepted',
  data: { proposalId: 'P1', revision, rationale: '多数の団体が同様の運用をしているため' },
});
const rejected = (revision = 1): ProposalRejected => ({
  type: 'ProposalRejected',
  data: { proposalId: 'P1', revision, rationale: '多数の団体が同様の運用をしているため' },
});
const incorporated = (version = '4.1'): ProposalIncorporated => ({ type: 'ProposalIncorporated', data: { proposalId: 'P1', specId: 'juminkiroku', version } });

const fold = (events: readonly ProposalEvent[]): ProposalState => events.reduce(proposalDecider.evolve, proposalDecider.initialState());

describe('Proposal decider', () => {
  it('lives in streams named Proposal-<id>', () => {
    expect(proposalDecider.category).toBe('Proposal');
    expect(proposalStreamName('01JQ7Z8K3M4N5P6Q7R8S9T0V1W')).toBe('Proposal-01JQ7Z8K3M4N5P6Q7R8S9T0V1W');
  });

  describe('when the proposal is undrafted', () => {
    const given = spec.given([]);

    describe('drafting', () => {
      it('records the changes with the before text and title from the base, authored by the actor and their organisation', () => {
        given.when(draftProposal()).then([drafted()]);
      });

      it('takes before from the base, never from the client', () => {
        const sneaky = { ...modifyInput, before: '改ざんされた修正前の文' } as ProposalChangeInput;
        given.when(draftProposal({ changes: [sneaky, deleteInput] })).then([drafted()]);
      });

      it('records an addition with before and requirementTitle null', () => {
        given.when(draftProposal({ changes: [addInput] })).then([drafted({ changes: [add] })]);
      });

      it('trims the title and reasons, keeps the proposed text as written but with \\n line breaks', () => {
        const after = '　住民票の写しを\r\nコンビニエンスストアでも交付できること。';
        given
          .when(draftProposal({ title: ' コンビニ交付の明記　', changes: [{ ...modifyInput, after, reason: ' コンビニ交付が広く行われているため\u3000' }] }))
          .then([drafted({ changes: [{ ...modify, after: '　住民票の写しを\nコンビニエンスストアでも交付できること。' }] })]);
      });

      it.each([
        ['a municipal member', sapporoMember],
        ['a municipal approver', sapporoApprover],
        ['a municipal coordinator', sapporoCoordinator],
        ['a municipal admin', sapporoAdmin],
        ['a prefectural member', hokkaidoMember],
        ['a national member', daMember],
        ['a vendor member', vendorMember],
      ])('is open to %s', (_, by) => {
        given.when(draftProposal({}, by)).then([drafted({ authorPersonId: by.personId, authorOrganisationId: by.organisationId })]);
      });

      it.each([
        ['a viewer', sapporoViewer],
        ['an observer, even with every role (observers comment, they do not propose)', observerAdmin],
        ['someone without any role', nobody],
      ])('is forbidden to %s', (_, by) => {
        given.when(draftProposal({}, by)).thenFails('FORBIDDEN');
      });

      it('needs an existing spec and a published version', () => {
        given.when(draftProposal({ base: { ...base, exists: false, versionPublished: false } })).thenFails('SPEC_NOT_FOUND', 'specId');
        given.when(draftProposal({ base: { exists: true, versionPublished: false, requirements: {} } })).thenFails('VERSION_NOT_PUBLISHED', 'version');
      });

      it('rejects malformed ids, spec ids and versions', () => {
        given.when(draftProposal({ proposalId: 'P 1' })).thenFails('INVALID_PROPOSAL_ID', 'proposalId');
        given.when(draftProposal({ proposalId: '' })).thenFails('INVALID_PROPOSAL_ID', 'proposalId');
        given.when(draftProposal({ specId: 'Jumin Kiroku' })).thenFails('INVALID_SPEC_ID', 'specId');
        given.when(draftProposal({ version: 'v4' })).thenFails('INVALID_VERSION', 'version');
      });

      it.each([
        ['blank', '　'],
        ['201 characters', '案'.repeat(201)],
      ])('rejects a title that is %s', (_, title) => {
        given.when(draftProposal({ title })).thenFails('INVALID_TITLE', 'title');
      });

      describe('changes', () => {
        it('needs at least one', () => {
          given.when(draftProposal({ changes: [] })).thenFails('NO_CHANGES', 'changes');
        });

        it(`takes at most ${MAX_CHANGES}`, () => {
          const many = Array.from({ length: MAX_CHANGES + 1 }, (_, i) => ({ ...addInput, changeId: `c${i}`, requirementId: `9.${i}` }));
          given.when(draftProposal({ changes: many })).thenFails('TOO_MANY_CHANGES', 'changes');
          const decided = proposalDecider.decide(draftProposal({ changes: many.slice(0, MAX_CHANGES) }), proposalDecider.initialState());
          expect(isDomainError(decided)).toBe(false);
        });

        it('rejects something that is not a change', () => {
          given.when(draftProposal({ changes: [modifyInput, null as never] })).thenFails('INVALID_CHANGE', 'changes[1]');
        });

        it.each(['', 'c 1', 'ç1', 'c'.repeat(65)])('rejects the change id %j', (changeId) => {
          given.when(draftProposal({ changes: withChange(1, { changeId }) })).thenFails('INVALID_CHANGE_ID', 'changes[1].changeId');
        });

        it('rejects a repeated change id at the repetition', () => {
          given.when(draftProposal({ changes: withChange(1, { changeId: 'c1' }) })).thenFails('DUPLICATE_CHANGE_ID', 'changes[1].changeId');
        });

        it.each(['replace', 'ADD', null])('rejects the kind %j', (kind) => {
          given.when(draftProposal({ changes: withChange(0, { kind }) })).thenFails('INVALID_CHANGE_KIND', 'changes[0].kind');
        });

        it('rejects a malformed requirement id', () => {
          given.when(draftProposal({ changes: withChange(0, { requirementId: '2.1.' }) })).thenFails('INVALID_REQUIREMENT_ID', 'changes[0].requirementId');
        });

        it('allows one change per requirement', () => {
          given
            .when(draftProposal({ changes: withChange(1, { requirementId: '2.1.1', kind: 'delete', after: null }) }))
            .thenFails('DUPLICATE_REQUIREMENT_CHANGE', 'changes[1].requirementId');
        });

        it('adds only a requirement id the version does not have', () => {
          given.when(draftProposal({ changes: [{ ...addInput, requirementId: '2.1.2' }] })).thenFails('REQUIREMENT_ALREADY_EXISTS', 'changes[0].requirementId');
        });

        it('modifies or deletes only a requirement the version has', () => {
          given.when(draftProposal({ changes: withChange(0, { requirementId: '9.9' }) })).thenFails('REQUIREMENT_NOT_FOUND', 'changes[0].requirementId');
          given.when(draftProposal({ changes: withChange(1, { requirementId: '9.9' }) })).thenFails('REQUIREMENT_NOT_FOUND', 'changes[1].requirementId');
        });

        it('does not take an Object.prototype key for a requirement', () => {
          const decided = proposalDecider.decide(
            draftProposal({
              changes: [{ ...modifyInput, requirementId: 'A1' }],
              base: { ...base, requirements: Object.create({ A1: { title: 't', text: 'x' } }) },
            }),
            proposalDecider.initialState(),
          );
          expect(decided).toMatchObject({ code: 'REQUIREMENT_NOT_FOUND' });
        });

        it.each([
          ['a modification without text', 0, { after: null }],
          ['a modification with blank text', 0, { after: ' \n' }],
          ['a modification of 10,001 characters', 0, { after: 'あ'.repeat(10_001) }],
          ['a modification with a NUL', 0, { after: '交付\u0000' }],
          ['a deletion with text', 1, { after: '消す' }],
          ['a deletion with empty text instead of null', 1, { after: '' }],
        ])('rejects %s', (_, i, overrides) => {
          given.when(draftProposal({ changes: withChange(i, overrides) })).thenFails('INVALID_CHANGE_TEXT', `changes[${i}].after`);
        });

        it('rejects an addition without text', () => {
          given.when(draftProposal({ changes: [{ ...addInput, after: null }] })).thenFails('INVALID_CHANGE_TEXT', 'changes[0].after');
        });

        it('rejects a modification that changes nothing, also when only line breaks differ in encoding', () => {
          given.when(draftProposal({ changes: withChange(0, { after: '住民票の写しを交付できること。' }) })).thenFails('UNCHANGED_TEXT', 'changes[0].after');
          const multiLine: ProposalBase = { ...base, requirements: { ...base.requirements, '2.1.1': { title: 't', text: '一行目\n二行目' } } };
          given.when(draftProposal({ base: multiLine, changes: withChange(0, { after: '一行目\r\n二行目' }) })).thenFails('UNCHANGED_TEXT', 'changes[0].after');
        });

        it('treats a different leading 全角スペース as a modification', () => {
          given
            .when(draftProposal({ changes: [{ ...modifyInput, after: '　住民票の写しを交付できること。' }] }))
            .then([drafted({ changes: [{ ...modify, after: '　住民票の写しを交付できること。' }] })]);
        });

        it.each([
          ['empty', ''],
          ['blank', '\u3000 '],
          ['5,001 characters', '理'.repeat(5001)],
          ['missing', null],
        ])('requires a reason (理由), not %s', (_, reason) => {
          given.when(draftProposal({ changes: withChange(1, { reason }) })).thenFails('INVALID_REASON', 'changes[1].reason');
        });

        it('names the change in the message', () => {
          const decided = proposalDecider.decide(draftProposal({ changes: withChange(1, { reason: '' }) }), proposalDecider.initialState());
          expect(decided).toMatchObject({ message: expect.stringContaining('Change c2 (changes[1])') });
        });
      });
    });

    it.each<[string, ProposalCommand]>([
      ['revised', reviseProposal()],
      ['submitted', submitProposal()],
      ['withdrawn', withdrawProposal()],
      ['accepted', acceptProposal()],
      ['rejected', rejectProposal()],
      ['marked incorporated', markIncorporated()],
    ])('cannot be %s', (_, command) => {
      given.when(command).thenFails('PROPOSAL_NOT_FOUND', 'proposalId');
    });

    it('is visible to nobody', () => {
      expect(proposalVisibleTo(proposalDecider.initialState(), sapporoMember)).toBe(false);
    });
  });

  describe('when the proposal is drafted', () => {
    const given = spec.given([drafted()]);

    it('cannot be drafted again, not even with the same data', () => {
      given.when(draftProposal()).thenFails('PROPOSAL_ALREADY_EXISTS', 'proposalId');
    });

    describe('revising', () => {
      it('records revision 2 with before texts from the base, keeping revision 1 in the stream', () => {
        given.when(reviseProposal()).then([revised(2, [modify, add])]);
      });

      it.each([
        ['another member of the author organisation', actor('p-sapporo-2', '011002', 'municipality', ['member'])],
        ['an approver of the author organisation', sapporoApprover],
      ])('is open to %s', (_, by) => {
        given.when(reviseProposal({}, by)).then([revised()]);
      });

      it.each([
        ['a viewer of the author organisation', sapporoViewer],
        ['another municipality', hakodateApprover],
        ['the spec owner', daCoordinator],
        ['a national admin', daAdmin],
      ])('is forbidden to %s', (_, by) => {
        given.when(reviseProposal({}, by)).thenFails('FORBIDDEN');
      });

      it('decides nothing when title and changes are the same', () => {
        given.when(reviseProposal({ title: ' コンビニ交付の明記 ', changes: [modifyInput, deleteInput] })).thenNothing();
      });

      it('compares with the latest revision, and keeps the changes in order (a reorder is a revision)', () => {
        spec.given([drafted(), revised()]).when(reviseProposal()).thenNothing();
        spec
          .given([drafted(), revised()])
          .when(reviseProposal({ changes: [addInput, modifyInput] }))
          .then([revised(3, [add, modify])]);
      });

      it('follows the drafting rules', () => {
        given.when(reviseProposal({ changes: [] })).thenFails('NO_CHANGES', 'changes');
        given.when(reviseProposal({ title: '' })).thenFails('INVALID_TITLE', 'title');
        given.when(reviseProposal({ changes: [{ ...modifyInput, after: '住民票の写しを交付できること。' }] })).thenFails('UNCHANGED_TEXT', 'changes[0].after');
        given.when(reviseProposal({ changes: [{ ...addInput, reason: ' ' }] })).thenFails('INVALID_REASON', 'changes[0].reason');
      });
    });

    describe('submitting', () => {
      it.each([
        ['an approver', sapporoApprover],
        ['a coordinator', sapporoCoordinator],
        ['an admin', sapporoAdmin],
      ])('is the author organisation’s act, by %s', (_, by) => {
        given.when(submitProposal(by)).then([submitted(1)]);
      });

      it('records the current revision', () => {
        spec
          .given([drafted(), revised(2), revised(3)])
          .when(submitProposal())
          .then([submitted(3)]);
      });

      it.each([
        ['a member of the author organisation (drafting is not submitting)', sapporoMember],
        ['a viewer of the author organisation', sapporoViewer],
        ['an approver of another municipality', hakodateApprover],
        ['a national admin', daAdmin],
      ])('is forbidden to %s', (_, by) => {
        given.when(submitProposal(by)).thenFails('FORBIDDEN');
      });
    });

    describe('withdrawing', () => {
      it('is open to any member of the author organisation, with a trimmed reason', () => {
        given.when(withdrawProposal(' 他団体の提案に統合するため ', sapporoMember)).then([withdrawn()]);
      });

      it('needs a reason of up to 2000 characters', () => {
        given.when(withdrawProposal('  ')).thenFails('INVALID_REASON', 'reason');
        given.when(withdrawProposal('x'.repeat(2001))).thenFails('INVALID_REASON', 'reason');
      });

      it('is forbidden to another organisation and to a viewer', () => {
        given.when(withdrawProposal(undefined, hakodateApprover)).thenFails('FORBIDDEN');
        given.when(withdrawProposal(undefined, sapporoViewer)).thenFails('FORBIDDEN');
      });
    });

    it('cannot be accepted or rejected before submission', () => {
      given.when(acceptProposal()).thenFails('PROPOSAL_NOT_SUBMITTED');
      given.when(rejectProposal()).thenFails('PROPOSAL_NOT_SUBMITTED');
    });

    it('cannot be decided by anyone but the spec owner, even a draft', () => {
      given.when(acceptProposal({}, micCoordinator)).thenFails('FORBIDDEN');
    });

    it('cannot be marked incorporated', () => {
      given.when(markIncorporated()).thenFails('PROPOSAL_NOT_ACCEPTED');
    });

    it('is visible only to its author organisation, whatever the role, not even to national admins or the spec owner', () => {
      const state = fold([drafted()]);
      for (const by of [sapporoMember, sapporoViewer, sapporoAdmin]) expect(proposalVisibleTo(state, by)).toBe(true);
      for (const by of [hakodateApprover, hokkaidoMember, daAdmin, daCoordinator, micCoordinator, observerAdmin, nobody])
        expect(proposalVisibleTo(state, by)).toBe(false);
    });

    it("refuses (throws) a command whose proposalId is not this stream's: a bug in the caller", () => {
      expect(() => proposalDecider.decide({ ...submitProposal(), data: { proposalId: 'P2' } }, fold([drafted()]))).toThrow(/P2/);
    });
  });

  describe('when the proposal is submitted', () => {
    const given = spec.given([drafted(), submitted()]);

    it('cannot be submitted again', () => {
      given.when(submitProposal()).thenFails('PROPOSAL_ALREADY_SUBMITTED');
    });

    it('can be revised by the author organisation, and stays submitted', () => {
      given.when(reviseProposal()).then([revised()]);
      expect(fold([drafted(), submitted(), revised()]).status).toBe('submitted');
    });

    describe('withdrawing', () => {
      it('is the organisation’s act, as submitting was: an approver, coordinator or admin', () => {
        given.when(withdrawProposal(undefined, sapporoApprover)).then([withdrawn()]);
        given.when(withdrawProposal(undefined, sapporoCoordinator)).then([withdrawn()]);
      });

      it('is forbidden to a member', () => {
        given.when(withdrawProposal(undefined, sapporoMember)).thenFails('FORBIDDEN');
      });
    });

    describe.each([
      ['accepting', acceptProposal, (revision: number): ProposalEvent => accepted(revision)],
      ['rejecting', rejectProposal, (revision: number): ProposalEvent => rejected(revision)],
    ])('%s', (_, command, event) => {
      it('records the revision decided and the rationale, for a coordinator or admin of the spec owner', () => {
        given.when(command({}, daCoordinator)).then([event(1)]);
        given.when(command({}, daAdmin)).then([event(1)]);
      });

      it('records the latest revision', () => {
        spec
          .given([drafted(), submitted(), revised(2)])
          .when(command({ revision: 2 }))
          .then([event(2)]);
      });

      it('refuses a decision on a revision that is no longer current', () => {
        spec
          .given([drafted(), submitted(), revised(2)])
          .when(command({ revision: 1 }))
          .thenFails('PROPOSAL_REVISION_STALE', 'revision');
      });

      it('trims the rationale and requires one', () => {
        given.when(command({ rationale: '  多数の団体が同様の運用をしているため　' })).then([event(1)]);
        given.when(command({ rationale: ' ' })).thenFails('INVALID_RATIONALE', 'rationale');
        given.when(command({ rationale: 'x'.repeat(10_001) })).thenFails('INVALID_RATIONALE', 'rationale');
      });

      it.each([
        ['a member of the spec owner', daMember],
        ['a coordinator of another national body', micCoordinator],
        ['the author organisation', sapporoAdmin],
      ])('is forbidden to %s', (_, by) => {
        given.when(command({}, by)).thenFails('FORBIDDEN');
      });

      it('goes by the specOwnerOrganisationId lookup', () => {
        given.when(command({ specOwnerOrganisationId: 'mic' }, micCoordinator)).then([event(1)]);
        given.when(command({ specOwnerOrganisationId: 'mic' }, daCoordinator)).thenFails('FORBIDDEN');
      });

      it('on a ratification ladder, is decided only by that ladder’s national decision', () => {
        given.when(command({ ladder: { ladderId: 'P1', deciding: false } })).thenFails('PROPOSAL_ON_LADDER');
        given.when(command({ ladder: { ladderId: 'P1', deciding: true } })).then([event(1)]);
      });
    });

    it('cannot be marked incorporated before acceptance', () => {
      given.when(markIncorporated()).thenFails('PROPOSAL_NOT_ACCEPTED');
    });

    it('is visible to everyone with a role', () => {
      const state = fold([drafted(), submitted()]);
      for (const by of [sapporoViewer, hakodateApprover, daAdmin, observerAdmin, vendorMember]) expect(proposalVisibleTo(state, by)).toBe(true);
      expect(proposalVisibleTo(state, nobody)).toBe(false);
    });
  });

  describe('when the proposal is withdrawn', () => {
    const givenDraft = spec.given([drafted(), withdrawn()]);
    const givenSubmitted = spec.given([drafted(), submitted(), withdrawn()]);

    it.each<[string, ProposalCommand]>([
      ['revised', reviseProposal()],
      ['submitted', submitProposal()],
      ['withdrawn again', withdrawProposal()],
      ['accepted', acceptProposal()],
      ['rejected', rejectProposal()],
      ['marked incorporated', markIncorporated()],
    ])('cannot be %s', (_, command) => {
      givenDraft.when(command).thenFails('PROPOSAL_WITHDRAWN');
      givenSubmitted.when(command).thenFails('PROPOSAL_WITHDRAWN');
    });

    it('stays private to its author organisation if it was never submitted', () => {
      expect(proposalVisibleTo(fold([drafted(), withdrawn()]), daAdmin)).toBe(false);
      expect(proposalVisibleTo(fold([drafted(), withdrawn()]), sapporoViewer)).toBe(true);
    });

    it('stays public if it was submitted', () => {
      expect(proposalVisibleTo(fold([drafted(), submitted(), withdrawn()]), daAdmin)).toBe(true);
    });
  });

  describe.each([
    ['accepted', [drafted(), submitted(), accepted()]],
    ['rejected', [drafted(), submitted(), rejected()]],
    ['incorporated', [drafted(), submitted(), accepted(), incorporated()]],
  ])('when the proposal is %s', (status, events) => {
    const given = spec.given(events);

    it.each<[string, ProposalCommand]>([
      ['revised', reviseProposal()],
      ['submitted', submitProposal()],
      ['withdrawn', withdrawProposal()],
      ['accepted', acceptProposal()],
      ['rejected', rejectProposal()],
    ])('cannot be %s', (_, command) => {
      given.when(command).thenFails('PROPOSAL_ALREADY_DECIDED');
    });

    it('says what was decided on which revision', () => {
      expect(proposalDecider.decide(acceptProposal(), fold(events))).toMatchObject({ message: expect.stringContaining(`${status} (revision 1)`) });
    });

    it('remains visible to everyone with a role', () => {
      expect(proposalVisibleTo(fold(events), hakodateApprover)).toBe(true);
    });
  });

  describe('when the proposal is accepted', () => {
    const given = spec.given([drafted(), submitted(), accepted()]);

    it('is marked incorporated in a later version by a coordinator or admin of the spec owner', () => {
      given.when(markIncorporated()).then([incorporated('4.1')]);
      given.when(markIncorporated({ version: '10' }, daAdmin)).then([incorporated('10')]);
    });

    it.each(['4.0', '4', '3.9'])('is not incorporated in version %j, not later than its base 4.0', (version) => {
      given.when(markIncorporated({ version })).thenFails('VERSION_NOT_LATER', 'version');
    });

    it('rejects a malformed version or another spec', () => {
      given.when(markIncorporated({ version: 'next' })).thenFails('INVALID_VERSION', 'version');
      given.when(markIncorporated({ specId: 'zeimu' })).thenFails('PROPOSAL_OF_ANOTHER_SPEC', 'specId');
    });

    it('is forbidden to others than the spec owner', () => {
      given.when(markIncorporated({}, micCoordinator)).thenFails('FORBIDDEN');
      given.when(markIncorporated({}, daMember)).thenFails('FORBIDDEN');
    });
  });

  it('when rejected, it is never incorporated', () => {
    spec.given([drafted(), submitted(), rejected()]).when(markIncorporated()).thenFails('PROPOSAL_NOT_ACCEPTED');
  });

  it('when incorporated, it is not incorporated again', () => {
    const decided = proposalDecider.decide(markIncorporated({ version: '5.0' }), fold([drafted(), submitted(), accepted(), incorporated('4.1')]));
    expect(decided).toMatchObject({ code: 'PROPOSAL_ALREADY_INCORPORATED', message: expect.stringContaining('4.1') });
  });

  describe('helpers', () => {
    it('proposalBaseOf builds the base lookup from the Spec stream', () => {
      const specEvents: SpecEvent[] = [
        {
          type: 'SpecCreated',
          data: { specId: 'juminkiroku', title: '住民記録システム標準仕様書', domain: '住民記録', ownerOrganisationId: 'digital-agency' },
        },
        {
          type: 'SpecVersionPublished',
          data: {
            specId: 'juminkiroku',
            version: '4.0',
            requirements: Object.entries(base.requirements).map(([requirementId, r]) => ({ requirementId, ...r, category: '実装必須' as const })),
            incorporatedProposalIds: [],
          },
        },
      ];
      const foldSpec = (events: SpecEvent[]) => events.reduce(specDecider.evolve, specDecider.initialState());
      expect(proposalBaseOf(foldSpec(specEvents), '4.0')).toEqual(base);
      expect(proposalBaseOf(foldSpec(specEvents), '5.0')).toEqual({ exists: true, versionPublished: false, requirements: {} });
      expect(proposalBaseOf(foldSpec(specEvents.slice(0, 1)), '4.0')).toEqual({ exists: true, versionPublished: false, requirements: {} });
      expect(proposalBaseOf(specDecider.initialState(), '4.0')).toEqual({ exists: false, versionPublished: false, requirements: {} });
    });

    it('changeTextOf gives what a comment on a change quotes: the proposed text, or the deleted text, of the current revision', () => {
      expect(changeTextOf(fold([drafted()]), 'c1')).toBe(modify.after);
      expect(changeTextOf(fold([drafted()]), 'c2')).toBe(remove.before);
      expect(changeTextOf(fold([drafted(), revised()]), 'c2')).toBeNull();
      expect(changeTextOf(fold([drafted(), revised()]), 'c3')).toBe(add.after);
      expect(changeTextOf(proposalDecider.initialState(), 'c1')).toBeNull();
    });

    it('proposalVisibleTo also takes the two facts a read model keeps, even next to a status column', () => {
      expect(proposalVisibleTo({ authorOrganisationId: '011002', everSubmitted: false }, daAdmin)).toBe(false);
      expect(proposalVisibleTo({ authorOrganisationId: '011002', everSubmitted: false }, sapporoViewer)).toBe(true);
      expect(proposalVisibleTo({ authorOrganisationId: '011002', everSubmitted: true }, daAdmin)).toBe(true);
      const summary = { status: 'withdrawn' as const, authorOrganisationId: '011002', everSubmitted: true };
      expect(proposalVisibleTo(summary, daAdmin)).toBe(true);
    });

    it('everSubmitted follows the status', () => {
      expect(everSubmitted(fold([drafted()]))).toBe(false);
      expect(everSubmitted(fold([drafted(), withdrawn()]))).toBe(false);
      expect(everSubmitted(fold([drafted(), submitted(), withdrawn()]))).toBe(true);
      expect(everSubmitted(fold([drafted(), submitted(), rejected()]))).toBe(true);
    });
  });

  describe('evolve', () => {
    it('starts undrafted', () => {
      expect(proposalDecider.initialState()).toEqual({ status: 'undrafted' });
    });

    it('keeps what decisions need: author, base version, current revision and its changes', () => {
      expect(fold([drafted(), revised(2), submitted(2), accepted(2), incorporated('4.1')])).toEqual({
        status: 'incorporated',
        proposalId: 'P1',
        specId: 'juminkiroku',
        version: '4.0',
        authorPersonId: 'p-sapporo-member',
        authorOrganisationId: '011002',
        revision: 2,
        title: 'コンビニ交付の明記（改訂）',
        changes: [modify, add],
        decidedRevision: 2,
        incorporatedInVersion: '4.1',
      });
      expect(fold([drafted(), submitted(), withdrawn()])).toMatchObject({ status: 'withdrawn', wasSubmitted: true });
    });

    it('throws on a transition the decider never makes (a corrupt or foreign stream)', () => {
      expect(() => fold([submitted()])).toThrow(/without ProposalDrafted/);
      expect(() => fold([drafted(), drafted()])).toThrow(/twice/);
      expect(() => fold([drafted(), accepted()])).toThrow(/ProposalAccepted when proposal P1 is drafted/);
      expect(() => fold([drafted(), revised(3)])).toThrow(/revision 3 after revision 1/);
      expect(() => fold([drafted(), withdrawn(), submitted()])).toThrow(/withdrawn/);
      expect(() => fold([drafted(), submitted(), rejected(), incorporated()])).toThrow(/rejected/);
    });
  });

  describe('properties', () => {
    const titles = fc.constantFrom('案A', '案B');
    const afters = fc.constantFrom('住民票の写しを交付できること。', '住民票の写しをコンビニでも交付できること。', '住民票の写しを郵送でも交付できること。');
    const content = fc.record({ title: titles, after: afters });
    const reviseTo = ({ title, after }: { title: string; after: string }): ReviseProposal =>
      reviseProposal({ title, changes: [{ ...modifyInput, requirementId: '2.1.2', after }] });

    it('revisions are numbered 2, 3, … without gaps; an identical revision records nothing; a decision records the latest', () => {
      fc.assert(
        fc.property(fc.array(content, { maxLength: 12 }), fc.boolean(), (contents, submitFirst) => {
          let state = fold(submitFirst ? [drafted(), submitted()] : [drafted()]);
          const numbers: number[] = [];
          let last = { title: draftedData.title, after: null as string | null };
          for (const c of contents) {
            const decided = proposalDecider.decide(reviseTo(c), state);
            if (isDomainError(decided)) throw new Error(decided.message);
            const same = c.title === last.title && c.after === last.after;
            expect(decided).toHaveLength(same ? 0 : 1);
            for (const event of decided) {
              if (event.type === 'ProposalRevised') numbers.push(event.data.revision);
              state = proposalDecider.evolve(state, event);
            }
            last = c;
          }
          expect(numbers).toEqual(numbers.map((_, i) => i + 2));
          if (state.status === 'undrafted') throw new Error('unreachable');
          expect(state.revision).toBe(numbers.length + 1);
          if (!submitFirst) {
            const submittedNow = proposalDecider.decide(submitProposal(), state);
            expect(submittedNow).toEqual([submitted(numbers.length + 1)]);
            if (!isDomainError(submittedNow)) state = submittedNow.reduce(proposalDecider.evolve, state);
          }
          expect(proposalDecider.decide(acceptProposal({ revision: numbers.length + 1 }), state)).toEqual([accepted(numbers.length + 1)]);
        }),
      );
    });

    const ALLOWED: Record<ProposalStatus, readonly ProposalStatus[]> = {
      drafted: ['drafted', 'submitted', 'withdrawn'],
      submitted: ['submitted', 'accepted', 'rejected', 'withdrawn'],
      accepted: ['accepted', 'incorporated'],
      rejected: ['rejected'],
      withdrawn: ['withdrawn'],
      incorporated: ['incorporated'],
    };
    const anyone = fc.constantFrom(sapporoMember, sapporoApprover, sapporoViewer, hakodateApprover, daCoordinator, daMember, micCoordinator);
    // Mostly the actor who would normally send the command, so that runs get through the lifecycle.
    const usualActor: Actor[] = [sapporoMember, sapporoApprover, sapporoApprover, daCoordinator, daCoordinator, daCoordinator, sapporoMember];
    // Dead ends (withdraw, reject) and no-ops (draft again) less often than the steps forward.
    // A decision names the current revision (resolved against the state) or, less often, any one.
    type CommandAt = (current: number) => ProposalCommand;
    const commandFor: fc.Arbitrary<CommandAt> = fc
      .constantFrom(0, 0, 1, 1, 2, 3, 3, 4, 5, 5, 6)
      .chain((kind) =>
        fc.tuple(
          fc.constant(kind),
          fc.oneof({ arbitrary: fc.constant(usualActor[kind]), weight: 3 }, { arbitrary: anyone, weight: 1 }),
          content,
          fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 4 }), weight: 1 }),
        ),
      )
      .map(([kind, by, c, revision]): CommandAt => (current) => {
        const r = revision ?? current;
        switch (kind) {
          case 0:
            return { ...reviseTo(c), metadata: metadata(by) };
          case 1:
            return submitProposal(by);
          case 2:
            return withdrawProposal('理由', by);
          case 3:
            return acceptProposal({ revision: r }, by);
          case 4:
            return rejectProposal({ revision: r }, by);
          case 5:
            return markIncorporated({ version: `4.${r % 3}` }, by);
          default:
            return draftProposal({}, by);
        }
      });

    it('any sequence of commands by anyone moves only along the lifecycle, and a never-submitted proposal stays hidden from other organisations', () => {
      const reached = new Set<ProposalStatus>();
      fc.assert(
        fc.property(fc.array(commandFor, { minLength: 10, maxLength: 30 }), (commands) => {
          let state = fold([drafted()]);
          for (const commandAt of commands) {
            if (state.status === 'undrafted') throw new Error('unreachable');
            const before: ProposalStatus = state.status;
            const decided = proposalDecider.decide(commandAt(state.revision), state);
            if (!isDomainError(decided)) state = decided.reduce(proposalDecider.evolve, state);
            if (state.status === 'undrafted') throw new Error('unreachable');
            expect(ALLOWED[before]).toContain(state.status);
            reached.add(state.status);
            if (!everSubmitted(state)) {
              for (const outsider of [hakodateApprover, daCoordinator, micCoordinator]) expect(proposalVisibleTo(state, outsider)).toBe(false);
            }
          }
        }),
        { numRuns: 300 },
      );
      // Not vacuous: the random runs get through the whole lifecycle.
      expect([...reached].sort()).toEqual(['accepted', 'drafted', 'incorporated', 'rejected', 'submitted', 'withdrawn']);
    });
  });
});
