import fc from 'fast-check';
import { Actor, isDomainError } from '../shared/decider';
import { DeciderSpecification } from '../testing/decider-spec';
import {
  CommentCommand,
  DisposeComment,
  DisposeCommentData,
  EditComment,
  PostComment,
  PostCommentData,
  ReactToComment,
  RetractComment,
} from './comments.commands';
import { commentDecider, CommentState, MAX_BODY, reactionsOf, reactionTotals } from './comments.decider';
import {
  COMMENT_DISPOSITIONS,
  CommentDisposed,
  CommentDisposition,
  CommentEdited,
  CommentEvent,
  CommentPosted,
  CommentPostedData,
  CommentRetracted,
  commentStreamName,
  Reaction,
  ReactionChanged,
} from './comments.events';

const spec = DeciderSpecification.for(commentDecider);

// Actors. デジタル庁 owns the spec.
const actor = (personId: string, organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId,
  organisationId,
  organisationKind,
  roles,
});
const sapporoMember = actor('p-sapporo-member', '011002', 'municipality', ['member']);
const sapporoApprover = actor('p-sapporo-approver', '011002', 'municipality', ['member', 'approver']);
const sapporoViewer = actor('p-sapporo-viewer', '011002', 'municipality', ['viewer']);
const hakodateMember = actor('p-hakodate-member', '012025', 'municipality', ['member']);
const hokkaidoCoordinator = actor('p-hokkaido-coordinator', '010006', 'prefecture', ['coordinator']);
const vendorMember = actor('p-vendor-member', 'sample-vendor', 'vendor', ['member']);
const observerMember = actor('p-observer-member', 'citizens-watch', 'observer', ['member']);
const daCoordinator = actor('p-da-coordinator', 'digital-agency', 'national', ['member', 'coordinator']);
const daAdmin = actor('p-da-admin', 'digital-agency', 'national', ['admin']);
const micCoordinator = actor('p-mic-coordinator', 'mic', 'national', ['coordinator']);
const nobody = actor('p-nobody', '011002', 'municipality', []);

const metadata = (by: Actor) => ({ commandId: '01JQ7Z0000000000000000CMD1', now: new Date('2025-04-01T00:00:00Z'), actor: by });

const requirementText = '住民票の写しを交付できること。';
const changeText = '住民票の写しをコンビニエンスストアでも交付できること。';

// A top-level comment on requirement 2.1.1 of version 4.0, not on a proposal.
const postData: PostCommentData = {
  commentId: 'C1',
  proposalId: null,
  specId: 'juminkiroku',
  version: '4.0',
  anchor: { kind: 'requirement', requirementId: '2.1.1' },
  quote: null,
  parentCommentId: null,
  body: '郵送による交付も明記すべきです。',
  anchoredText: requirementText,
  parent: null,
  proposalVisibleToActor: false,
};
const postedData: CommentPostedData = {
  commentId: 'C1',
  proposalId: null,
  specId: 'juminkiroku',
  version: '4.0',
  anchor: { kind: 'requirement', requirementId: '2.1.1' },
  quote: null,
  parentCommentId: null,
  body: '郵送による交付も明記すべきです。',
  authorPersonId: 'p-sapporo-member',
  authorOrganisationId: '011002',
};
// The same on change c1 of proposal P1.
const onChange: Partial<PostCommentData> = {
  proposalId: 'P1',
  anchor: { kind: 'change', changeId: 'c1' },
  anchoredText: changeText,
  proposalVisibleToActor: true,
};
const onChangePosted: Partial<CommentPostedData> = { proposalId: 'P1', anchor: { kind: 'change', changeId: 'c1' } };

// Commands
const postComment = (data: Partial<PostCommentData> = {}, by: Actor = sapporoMember): PostComment => ({
  type: 'PostComment',
  data: { ...postData, ...data },
  metadata: metadata(by),
});
const editComment = (body = '郵送およびオンラインによる交付も明記すべきです。', by: Actor = sapporoMember): EditComment => ({
  type: 'EditComment',
  data: { commentId: 'C1', body },
  metadata: metadata(by),
});
const retractComment = (reason = '他の意見と重複するため', by: Actor = sapporoMember): RetractComment => ({
  type: 'RetractComment',
  data: { commentId: 'C1', reason },
  metadata: metadata(by),
});
const disposeComment = (data: Partial<DisposeCommentData> = {}, by: Actor = daCoordinator): DisposeComment => ({
  type: 'DisposeComment',
  data: {
    commentId: 'C1',
    disposition: '今後検討',
    answer: '次期改定で検討します。',
    specOwnerOrganisationId: 'digital-agency',
    proposalVisibleToActor: true,
    ...data,
  },
  metadata: metadata(by),
});
const react = (reaction: Reaction | null, by: Actor = hakodateMember, proposalVisibleToActor = true): ReactToComment => ({
  type: 'ReactToComment',
  data: { commentId: 'C1', reaction, proposalVisibleToActor },
  metadata: metadata(by),
});

// Events
const posted = (data: Partial<CommentPostedData> = {}): CommentPosted => ({ type: 'CommentPosted', data: { ...postedData, ...data } });
const edited = (edition = 2, body = '郵送およびオンラインによる交付も明記すべきです。'): CommentEdited => ({
  type: 'CommentEdited',
  data: { commentId: 'C1', edition, body },
});
const retracted = (reason = '他の意見と重複するため'): CommentRetracted => ({ type: 'CommentRetracted', data: { commentId: 'C1', reason } });
const disposed = (revision = 1, disposition: CommentDisposition = '今後検討', answer = '次期改定で検討します。'): CommentDisposed => ({
  type: 'CommentDisposed',
  data: { commentId: 'C1', disposition, answer, revision },
});
const reacted = (by: Actor, reaction: Reaction | null): ReactionChanged => ({
  type: 'ReactionChanged',
  data: { commentId: 'C1', personId: by.personId, organisationId: by.organisationId, reaction },
});

const fold = (events: readonly CommentEvent[]): CommentState => events.reduce(commentDecider.evolve, commentDecider.initialState());

describe('Comment decider', () => {
  it('lives in streams named Comment-<id>', () => {
    expect(commentDecider.category).toBe('Comment');
    expect(commentStreamName('C1')).toBe('Comment-C1');
  });

  it('has the five disposition codes of 意見照会', () => {
    expect(COMMENT_DISPOSITIONS).toEqual(['対応する', '修正して対応', '今後検討', '対応しない', '回答のみ']);
  });

  describe('when the comment is unposted', () => {
    const given = spec.given([]);

    describe('posting', () => {
      it('posts a comment on a requirement, attributed to the person and their organisation', () => {
        given.when(postComment()).then([posted()]);
      });

      it('posts a comment on a change of a proposal the actor may see', () => {
        given.when(postComment(onChange)).then([posted(onChangePosted)]);
      });

      it('posts a comment on a requirement within a proposal', () => {
        given.when(postComment({ proposalId: 'P1', proposalVisibleToActor: true })).then([posted({ proposalId: 'P1' })]);
      });

      it('ignores proposalVisibleToActor for a comment without a proposal', () => {
        given.when(postComment({ proposalVisibleToActor: true })).then([posted()]);
      });

      it('trims the body', () => {
        given.when(postComment({ body: '\u3000郵送による交付も明記すべきです。\r\n' })).then([posted()]);
      });

      it.each([
        ['a municipal member', sapporoMember],
        ['a municipal approver', sapporoApprover],
        ['a prefectural coordinator', hokkaidoCoordinator],
        ['a vendor member (vendors comment, they do not vote)', vendorMember],
        ['an observer member (observers comment, they do not vote)', observerMember],
        ['a national admin', daAdmin],
      ])('is open to %s', (_, by) => {
        given.when(postComment({}, by)).then([posted({ authorPersonId: by.personId, authorOrganisationId: by.organisationId })]);
      });

      it('is forbidden to a viewer and to someone without a role', () => {
        given.when(postComment({}, sapporoViewer)).thenFails('FORBIDDEN');
        given.when(postComment({}, nobody)).thenFails('FORBIDDEN');
      });

      it('treats a proposal the actor may not see (a draft of another organisation) as missing', () => {
        given.when(postComment({ ...onChange, proposalVisibleToActor: false })).thenFails('PROPOSAL_NOT_FOUND', 'proposalId');
        given.when(postComment({ ...onChange, proposalId: 'P 1' })).thenFails('PROPOSAL_NOT_FOUND', 'proposalId');
      });

      it('rejects malformed ids and versions', () => {
        given.when(postComment({ commentId: '' })).thenFails('INVALID_COMMENT_ID', 'commentId');
        given.when(postComment({ specId: 'Jumin' })).thenFails('INVALID_SPEC_ID', 'specId');
        given.when(postComment({ version: '第4版' })).thenFails('INVALID_VERSION', 'version');
      });

      describe('the anchor', () => {
        it('anchors to a change only within a proposal', () => {
          given.when(postComment({ anchor: { kind: 'change', changeId: 'c1' } })).thenFails('INVALID_ANCHOR', 'anchor');
        });

        it('rejects a malformed anchor', () => {
          given.when(postComment({ ...onChange, anchor: { kind: 'change', changeId: '' } })).thenFails('INVALID_ANCHOR', 'anchor.changeId');
          given.when(postComment({ anchor: { kind: 'requirement', requirementId: '2.1.' } })).thenFails('INVALID_ANCHOR', 'anchor.requirementId');
          given.when(postComment({ anchor: { kind: 'paragraph' } as never })).thenFails('INVALID_ANCHOR', 'anchor.kind');
          given.when(postComment({ anchor: null as never })).thenFails('INVALID_ANCHOR', 'anchor');
        });

        it('keeps only the anchor’s own fields', () => {
          const anchor = { kind: 'requirement', requirementId: '2.1.1', changeId: 'c9' } as never;
          given.when(postComment({ anchor })).then([posted()]);
        });

        it('must exist: the lookup gives its text', () => {
          given.when(postComment({ anchoredText: null })).thenFails('ANCHOR_NOT_FOUND', 'anchor');
          given.when(postComment({ ...onChange, anchoredText: null })).thenFails('ANCHOR_NOT_FOUND', 'anchor');
        });
      });

      describe('the quote', () => {
        it('quotes a span of the anchored text', () => {
          const quote = { start: 0, end: 5, text: '住民票の写' };
          given.when(postComment({ quote })).then([posted({ quote })]);
        });

        it('quotes the whole text, and a span of a change', () => {
          given
            .when(postComment({ quote: { start: 0, end: requirementText.length, text: requirementText } }))
            .then([posted({ quote: { start: 0, end: requirementText.length, text: requirementText } })]);
          const quote = { start: 7, end: 18, text: 'コンビニエンスストア' + 'で' };
          given.when(postComment({ ...onChange, quote })).then([posted({ ...onChangePosted, quote })]);
        });

        it('keeps only the quote’s own fields', () => {
          const quote = { start: 0, end: 3, text: '住民票', note: 'x' } as never;
          given.when(postComment({ quote })).then([posted({ quote: { start: 0, end: 3, text: '住民票' } })]);
        });

        it('rejects a quote whose text is not the anchored text at that span', () => {
          given.when(postComment({ quote: { start: 0, end: 3, text: '住民基' } })).thenFails('QUOTE_MISMATCH', 'quote.text');
          given.when(postComment({ quote: { start: 1, end: 4, text: '住民票' } })).thenFails('QUOTE_MISMATCH', 'quote.text');
        });

        it.each([
          ['a negative start', { start: -1, end: 3, text: '住民票' }],
          ['an end past the text', { start: 0, end: requirementText.length + 1, text: requirementText }],
          ['an empty span', { start: 3, end: 3, text: '' }],
          ['a reversed span', { start: 3, end: 1, text: '' }],
          ['fractional offsets', { start: 0.5, end: 3, text: '住民票' }],
          ['offsets that are not numbers', { start: '0', end: '3', text: '住民票' }],
          ['no object', 'whole text'],
        ])('rejects %s', (_, quote) => {
          given.when(postComment({ quote: quote as never })).thenFails('INVALID_QUOTE', 'quote');
        });

        it('counts offsets in UTF-16 code units, as JavaScript does, and never splits a surrogate pair', () => {
          const anchoredText = '𠮷野家の住民票';
          given.when(postComment({ anchoredText, quote: { start: 0, end: 3, text: '𠮷野' } })).then([posted({ quote: { start: 0, end: 3, text: '𠮷野' } })]);
          given.when(postComment({ anchoredText, quote: { start: 1, end: 3, text: anchoredText.slice(1, 3) } })).thenFails('INVALID_QUOTE', 'quote');
          given.when(postComment({ anchoredText, quote: { start: 0, end: 1, text: anchoredText.slice(0, 1) } })).thenFails('INVALID_QUOTE', 'quote');
        });
      });

      describe('a reply', () => {
        const parent = { specId: 'juminkiroku', version: '4.0', proposalId: null, anchor: { kind: 'requirement' as const, requirementId: '2.1.1' } };

        it('replies to a comment on the same anchor', () => {
          given.when(postComment({ commentId: 'C2', parentCommentId: 'C1', parent })).then([posted({ commentId: 'C2', parentCommentId: 'C1' })]);
        });

        it('replies to a comment on the same change of the same proposal', () => {
          const onChangeParent = { ...parent, proposalId: 'P1', anchor: { kind: 'change' as const, changeId: 'c1' } };
          given
            .when(postComment({ ...onChange, commentId: 'C2', parentCommentId: 'C1', parent: onChangeParent }))
            .then([posted({ ...onChangePosted, commentId: 'C2', parentCommentId: 'C1' })]);
        });

        it('needs the parent to exist, and not be itself', () => {
          given.when(postComment({ commentId: 'C2', parentCommentId: 'C1', parent: null })).thenFails('PARENT_COMMENT_NOT_FOUND', 'parentCommentId');
          given.when(postComment({ parentCommentId: 'C1', parent })).thenFails('PARENT_COMMENT_NOT_FOUND', 'parentCommentId');
          given.when(postComment({ commentId: 'C2', parentCommentId: 'C 1', parent })).thenFails('PARENT_COMMENT_NOT_FOUND', 'parentCommentId');
        });

        it.each([
          ['another requirement', { anchor: { kind: 'requirement' as const, requirementId: '2.1.2' } }],
          ['a change', { anchor: { kind: 'change' as const, changeId: 'c1' } }],
          ['a proposal', { proposalId: 'P1' }],
          ['another version', { version: '3.0' }],
          ['another spec', { specId: 'zeimu' }],
        ])('rejects a reply to a comment on %s', (_, elsewhere) => {
          given
            .when(postComment({ commentId: 'C2', parentCommentId: 'C1', parent: { ...parent, ...elsewhere } }))
            .thenFails('PARENT_COMMENT_ELSEWHERE', 'parentCommentId');
        });

        it('ignores the parent lookup of a top-level comment', () => {
          given.when(postComment({ parent: { ...parent, specId: 'zeimu' } })).then([posted()]);
        });
      });

      it.each([
        ['empty', ''],
        ['blank', ' \u3000\n'],
        [`${MAX_BODY + 1} characters`, 'あ'.repeat(MAX_BODY + 1)],
        ['with a NUL', '意見\u0000'],
        ['not a string', null as never],
      ])('rejects a body that is %s', (_, body) => {
        given.when(postComment({ body })).thenFails('INVALID_BODY', 'body');
      });

      it(`accepts a body of 1 and of ${MAX_BODY} characters, counting 𠮷 once`, () => {
        given.when(postComment({ body: '賛' })).then([posted({ body: '賛' })]);
        const body = '𠮷'.repeat(MAX_BODY);
        given.when(postComment({ body })).then([posted({ body })]);
      });
    });

    it.each<[string, CommentCommand]>([
      ['edited', editComment()],
      ['retracted', retractComment()],
      ['disposed', disposeComment()],
      ['reacted to', react('agree')],
    ])('cannot be %s', (_, command) => {
      given.when(command).thenFails('COMMENT_NOT_FOUND', 'commentId');
    });
  });

  describe('when the comment is posted', () => {
    const given = spec.given([posted()]);

    it('cannot be posted again, not even with the same data', () => {
      given.when(postComment()).thenFails('COMMENT_ALREADY_EXISTS', 'commentId');
    });

    describe('editing', () => {
      it('records edition 2, by its author', () => {
        given.when(editComment()).then([edited(2)]);
      });

      it('decides nothing for the same body, after trimming', () => {
        given.when(editComment(' 郵送による交付も明記すべきです。 ')).thenNothing();
      });

      it('is forbidden to anyone else, even of the same organisation or the spec owner', () => {
        given.when(editComment(undefined, sapporoApprover)).thenFails('FORBIDDEN');
        given.when(editComment(undefined, daCoordinator)).thenFails('FORBIDDEN');
      });

      it('is forbidden to its author once only a viewer', () => {
        given.when(editComment(undefined, { ...sapporoMember, roles: ['viewer'] })).thenFails('FORBIDDEN');
      });

      it('needs a valid body', () => {
        given.when(editComment('  ')).thenFails('INVALID_BODY', 'body');
      });
    });

    describe('retracting', () => {
      it('records the retraction and its reason, by its author', () => {
        given.when(retractComment(' 他の意見と重複するため ')).then([retracted()]);
      });

      it('needs a reason', () => {
        given.when(retractComment('')).thenFails('INVALID_REASON', 'reason');
      });

      it('is forbidden to anyone else, even the spec owner', () => {
        given.when(retractComment(undefined, daCoordinator)).thenFails('FORBIDDEN');
      });
    });

    describe('disposing', () => {
      it.each(COMMENT_DISPOSITIONS)('records the disposition %s with its answer as revision 1, by a coordinator of the spec owner', (disposition) => {
        given.when(disposeComment({ disposition, answer: ' 次期改定で検討します。' })).then([disposed(1, disposition)]);
      });

      it.each([
        ['an admin of the spec owner who is not coordinator', daAdmin],
        ['a coordinator of another national body', micCoordinator],
        ['a prefectural coordinator', hokkaidoCoordinator],
        ['the author', sapporoMember],
      ])('is forbidden to %s', (_, by) => {
        given.when(disposeComment({}, by)).thenFails('FORBIDDEN');
      });

      it('goes by the specOwnerOrganisationId lookup', () => {
        given.when(disposeComment({ specOwnerOrganisationId: 'mic' }, micCoordinator)).then([disposed(1)]);
      });

      it('rejects an unknown disposition and a blank answer', () => {
        given.when(disposeComment({ disposition: '検討中' as never })).thenFails('INVALID_DISPOSITION', 'disposition');
        given.when(disposeComment({ answer: '　' })).thenFails('INVALID_ANSWER', 'answer');
      });

      it('ignores proposalVisibleToActor for a comment without a proposal', () => {
        given.when(disposeComment({ proposalVisibleToActor: false })).then([disposed(1)]);
      });
    });

    describe('reacting', () => {
      it('records the reaction with the person and their organisation', () => {
        given.when(react('agree')).then([reacted(hakodateMember, 'agree')]);
        given.when(react('disagree', vendorMember)).then([reacted(vendorMember, 'disagree')]);
        given.when(react('agree', observerMember)).then([reacted(observerMember, 'agree')]);
        given.when(react('agree', sapporoMember)).then([reacted(sapporoMember, 'agree')]);
      });

      it('decides nothing when clearing a reaction there is not', () => {
        given.when(react(null)).thenNothing();
      });

      it('is forbidden to a viewer', () => {
        given.when(react('agree', sapporoViewer)).thenFails('FORBIDDEN');
      });

      it('rejects an unknown reaction', () => {
        given.when(react('like' as never)).thenFails('INVALID_REACTION', 'reaction');
      });
    });

    it('counts no reactions', () => {
      expect(reactionTotals(fold([posted()]))).toEqual({ agree: 0, disagree: 0, byOrganisation: [] });
    });

    it("refuses (throws) a command whose commentId is not this stream's: a bug in the caller", () => {
      expect(() => commentDecider.decide({ ...editComment(), data: { commentId: 'C2', body: 'x' } }, fold([posted()]))).toThrow(/C2/);
    });
  });

  describe('when the comment is on a proposal the actor may not see', () => {
    const given = spec.given([posted(onChangePosted)]);

    it('does not exist for reactions or dispositions', () => {
      given.when(react('agree', hakodateMember, false)).thenFails('COMMENT_NOT_FOUND', 'commentId');
      given.when(disposeComment({ proposalVisibleToActor: false })).thenFails('COMMENT_NOT_FOUND', 'commentId');
    });

    it('takes them once the proposal is visible', () => {
      given.when(react('agree', hakodateMember, true)).then([reacted(hakodateMember, 'agree')]);
    });
  });

  describe('when the comment is edited', () => {
    const given = spec.given([posted(), edited(2)]);

    it('numbers the next edition 3 and compares with the latest body', () => {
      given.when(editComment('三度目の本文')).then([edited(3, '三度目の本文')]);
      given.when(editComment()).thenNothing();
      given.when(editComment(postedData.body)).then([edited(3, postedData.body)]);
    });
  });

  describe('when the comment is disposed', () => {
    const given = spec.given([posted(), disposed(1)]);

    it('revises the disposition as revision 2, never erasing revision 1', () => {
      given
        .when(disposeComment({ disposition: '修正して対応', answer: '2.1.1 に郵送交付を追記します。' }))
        .then([disposed(2, '修正して対応', '2.1.1 に郵送交付を追記します。')]);
      given.when(disposeComment({ answer: '次期改定（第5.0版）で検討します。' })).then([disposed(2, '今後検討', '次期改定（第5.0版）で検討します。')]);
    });

    it('decides nothing for the same disposition and answer', () => {
      given.when(disposeComment()).thenNothing();
    });

    it('can still be edited and reacted to', () => {
      given.when(editComment()).then([edited(2)]);
      given.when(react('agree')).then([reacted(hakodateMember, 'agree')]);
    });

    it('can be retracted, keeping its disposition', () => {
      given.when(retractComment()).then([retracted()]);
      expect(fold([posted(), disposed(1), retracted()])).toMatchObject({ status: 'retracted', disposition: { revision: 1, disposition: '今後検討' } });
    });
  });

  describe('when the comment has reactions', () => {
    const given = spec.given([posted(), reacted(hakodateMember, 'agree'), reacted(vendorMember, 'disagree')]);

    it('changes a person’s reaction, or clears it', () => {
      given.when(react('disagree')).then([reacted(hakodateMember, 'disagree')]);
      given.when(react(null)).then([reacted(hakodateMember, null)]);
    });

    it('decides nothing for the same reaction (one per person)', () => {
      given.when(react('agree')).thenNothing();
    });

    it('counts each person once, overall and per organisation (sorted by organisation id)', () => {
      const hakodate2 = actor('p-hakodate-2', '012025', 'municipality', ['member']);
      const state = fold([
        posted(),
        reacted(hakodateMember, 'agree'),
        reacted(vendorMember, 'disagree'),
        reacted(hakodate2, 'disagree'),
        reacted(hakodateMember, 'disagree'),
        reacted(sapporoMember, 'agree'),
        reacted(vendorMember, null),
      ]);
      expect(reactionTotals(state)).toEqual({
        agree: 1,
        disagree: 2,
        byOrganisation: [
          { organisationId: '011002', agree: 1, disagree: 0 },
          { organisationId: '012025', agree: 0, disagree: 2 },
        ],
      });
      expect(reactionsOf(state)).toEqual([
        { personId: 'p-hakodate-2', organisationId: '012025', reaction: 'disagree' },
        { personId: 'p-hakodate-member', organisationId: '012025', reaction: 'disagree' },
        { personId: 'p-sapporo-member', organisationId: '011002', reaction: 'agree' },
      ]);
    });
  });

  describe('when the comment is retracted', () => {
    const given = spec.given([posted(), reacted(hakodateMember, 'agree'), retracted()]);

    it.each<[string, CommentCommand]>([
      ['edited', editComment()],
      ['retracted again', retractComment()],
      ['disposed', disposeComment()],
      ['reacted to', react('disagree')],
      ['cleared of a reaction', react(null)],
    ])('cannot be %s', (_, command) => {
      given.when(command).thenFails('COMMENT_RETRACTED');
    });

    it('cannot be posted again', () => {
      given.when(postComment()).thenFails('COMMENT_ALREADY_EXISTS', 'commentId');
    });

    it('stays, with its body and its reactions as they were', () => {
      const state = fold([posted(), reacted(hakodateMember, 'agree'), retracted()]);
      expect(state).toMatchObject({ status: 'retracted', body: postedData.body, disposition: null });
      expect(reactionTotals(state)).toMatchObject({ agree: 1, disagree: 0 });
    });

    it('still refuses others first: a stranger’s edit is FORBIDDEN', () => {
      given.when(editComment(undefined, hakodateMember)).thenFails('FORBIDDEN');
    });
  });

  describe('evolve', () => {
    it('starts unposted', () => {
      expect(commentDecider.initialState()).toEqual({ status: 'unposted' });
      expect(reactionTotals(commentDecider.initialState())).toEqual({ agree: 0, disagree: 0, byOrganisation: [] });
      expect(reactionsOf(commentDecider.initialState())).toEqual([]);
    });

    it('keeps what decisions need', () => {
      expect(fold([posted(onChangePosted), edited(2), disposed(1), reacted(hakodateMember, 'agree')])).toEqual({
        status: 'disposed',
        commentId: 'C1',
        proposalId: 'P1',
        specId: 'juminkiroku',
        version: '4.0',
        anchor: { kind: 'change', changeId: 'c1' },
        parentCommentId: null,
        authorPersonId: 'p-sapporo-member',
        authorOrganisationId: '011002',
        body: '郵送およびオンラインによる交付も明記すべきです。',
        edition: 2,
        disposition: { disposition: '今後検討', answer: '次期改定で検討します。', revision: 1 },
        reactions: new Map([['p-hakodate-member', { organisationId: '012025', reaction: 'agree' }]]),
      });
    });

    it('does not mutate the previous state', () => {
      const before = fold([posted()]);
      commentDecider.evolve(before, reacted(hakodateMember, 'agree'));
      expect(reactionTotals(before).agree).toBe(0);
    });

    it('throws on an event the decider never emits in that state (a corrupt or foreign stream)', () => {
      expect(() => fold([edited()])).toThrow(/without CommentPosted/);
      expect(() => fold([posted(), posted()])).toThrow(/twice/);
      expect(() => fold([posted(), edited(3)])).toThrow(/edition 3 after edition 1/);
      expect(() => fold([posted(), disposed(2)])).toThrow(/revision 2 after revision 0/);
      expect(() => fold([posted(), retracted(), reacted(hakodateMember, 'agree')])).toThrow(/retracted/);
    });
  });

  describe('properties', () => {
    const people = [
      hakodateMember,
      actor('p-hakodate-2', '012025', 'municipality', ['member']),
      sapporoMember,
      sapporoApprover,
      vendorMember,
      observerMember,
      daCoordinator,
    ];
    const reactionChange = fc.tuple(fc.nat({ max: people.length - 1 }), fc.constantFrom<Reaction | null>('agree', 'disagree', null));

    const run = (changes: readonly (readonly [number, Reaction | null])[]): CommentState => {
      let state = fold([posted()]);
      for (const [i, reaction] of changes) {
        const decided = commentDecider.decide(react(reaction, people[i]), state);
        if (isDomainError(decided)) throw new Error(decided.message);
        state = decided.reduce(commentDecider.evolve, state);
      }
      return state;
    };

    it('totals equal the number of distinct persons whose latest reaction is not null, overall and per organisation', () => {
      fc.assert(
        fc.property(fc.array(reactionChange, { maxLength: 40 }), (changes) => {
          const latest = new Map<number, Reaction | null>();
          for (const [i, reaction] of changes) latest.set(i, reaction);
          const totals = reactionTotals(run(changes));
          const count = (r: Reaction, organisationId?: string) =>
            [...latest].filter(([i, reaction]) => reaction === r && (organisationId === undefined || people[i].organisationId === organisationId)).length;
          expect(totals.agree).toBe(count('agree'));
          expect(totals.disagree).toBe(count('disagree'));
          expect(totals.agree + totals.disagree).toBe([...latest.values()].filter((r) => r !== null).length);
          for (const { organisationId, agree, disagree } of totals.byOrganisation) {
            expect(agree).toBe(count('agree', organisationId));
            expect(disagree).toBe(count('disagree', organisationId));
            expect(agree + disagree).toBeGreaterThan(0);
          }
          expect(totals.byOrganisation.reduce((n, o) => n + o.agree + o.disagree, 0)).toBe(totals.agree + totals.disagree);
        }),
        { numRuns: 500 },
      );
    });

    it('totals do not depend on how different persons’ changes interleave', () => {
      // Each person's own changes keep their order; the schedule decides whose change comes next.
      const perPerson = fc.array(fc.array(fc.constantFrom<Reaction | null>('agree', 'disagree', null), { maxLength: 5 }), {
        minLength: people.length,
        maxLength: people.length,
      });
      const interleave = (lists: (Reaction | null)[][], schedule: number[]): [number, Reaction | null][] => {
        const queues = lists.map((list) => [...list]);
        const out: [number, Reaction | null][] = [];
        for (const pick of schedule) {
          const nonEmpty = queues.map((q, i) => [q, i] as const).filter(([q]) => q.length > 0);
          if (nonEmpty.length === 0) break;
          const [queue, i] = nonEmpty[pick % nonEmpty.length];
          out.push([i, queue.shift() as Reaction | null]);
        }
        queues.forEach((q, i) => q.forEach((reaction) => out.push([i, reaction])));
        return out;
      };
      fc.assert(
        fc.property(perPerson, fc.array(fc.nat(), { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 40 }), (lists, a, b) => {
          expect(reactionTotals(run(interleave(lists, a)))).toEqual(reactionTotals(run(interleave(lists, b))));
        }),
        { numRuns: 300 },
      );
    });

    it('editions are numbered 2, 3, … without gaps; an unchanged body records nothing', () => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom('本文A', '本文B', ' 本文B ', '本文C'), { maxLength: 15 }), (bodies) => {
          let state = fold([posted()]);
          const editions: number[] = [];
          let current = postedData.body;
          for (const body of bodies) {
            const decided = commentDecider.decide(editComment(body), state);
            if (isDomainError(decided)) throw new Error(decided.message);
            expect(decided).toHaveLength(body.trim() === current ? 0 : 1);
            for (const event of decided) if (event.type === 'CommentEdited') editions.push(event.data.edition);
            state = decided.reduce(commentDecider.evolve, state);
            current = body.trim();
          }
          expect(editions).toEqual(editions.map((_, i) => i + 2));
          expect(state).toMatchObject({ edition: editions.length + 1, body: current });
        }),
      );
    });

    it('disposition revisions are numbered 1, 2, … without gaps; the same disposition and answer records nothing', () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.constantFrom(...COMMENT_DISPOSITIONS), fc.constantFrom('回答1', '回答2')), { maxLength: 15 }), (dispositions) => {
          let state = fold([posted()]);
          const revisions: number[] = [];
          for (const [disposition, answer] of dispositions) {
            const decided = commentDecider.decide(disposeComment({ disposition, answer }), state);
            if (isDomainError(decided)) throw new Error(decided.message);
            for (const event of decided) if (event.type === 'CommentDisposed') revisions.push(event.data.revision);
            state = decided.reduce(commentDecider.evolve, state);
          }
          expect(revisions).toEqual(revisions.map((_, i) => i + 1));
          if (dispositions.length > 0) {
            const [disposition, answer] = dispositions[dispositions.length - 1];
            expect(state).toMatchObject({ status: 'disposed', disposition: { disposition, answer, revision: revisions.length } });
          }
        }),
      );
    });
  });
});
