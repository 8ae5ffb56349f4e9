import { Actor, assertNever, Decider, Decision, DomainError, Role } from '../shared/decider';
import { cleanLabel, isEntityId, isRequirementId, isSpecId, isVersion } from '../specs/input-rules';
import { CommentCommand, DisposeComment, EditComment, PostComment, ReactToComment, RetractComment } from './comments.commands';
import { COMMENT_CATEGORY, COMMENT_DISPOSITIONS, CommentAnchor, CommentDisposition, CommentEvent, CommentQuote, Reaction, REACTIONS } from './comments.events';

/**
 * One stream per comment. Comments are personal opinions, attributed to a person and an
 * organisation. Who may do what:
 * - post, react: anyone with a role other than viewer, of any organisation kind (observers and
 *   vendors comment; they just do not vote), on a proposal only if it is visible to them;
 * - edit: its author (still holding a role other than viewer); retract: its author;
 * - dispose: a coordinator of the spec's owner organisation (the secretariat).
 * A retracted comment stays, frozen: no edits, reactions or dispositions after.
 *
 * Checks run in this order: the stream's existence (a comment on a proposal the actor may not see
 * does not exist for them), the actor's permission, retraction, then the input.
 */

export interface CurrentDisposition {
  readonly disposition: CommentDisposition;
  readonly answer: string;
  readonly revision: number;
}

export interface PersonReaction {
  readonly organisationId: string;
  readonly reaction: Reaction;
}

interface CommentFacts {
  readonly commentId: string;
  readonly proposalId: string | null;
  readonly specId: string;
  readonly version: string;
  readonly anchor: CommentAnchor;
  readonly parentCommentId: string | null;
  readonly authorPersonId: string;
  readonly authorOrganisationId: string;
  readonly body: string;
  /** 1 when posted, +1 per CommentEdited. */
  readonly edition: number;
  /** personId → current reaction; a cleared reaction is absent. */
  readonly reactions: ReadonlyMap<string, PersonReaction>;
}

/** Posted, not disposed yet. */
export interface PostedComment extends CommentFacts {
  readonly status: 'posted';
}
export interface DisposedComment extends CommentFacts {
  readonly status: 'disposed';
  readonly disposition: CurrentDisposition;
}
export interface RetractedComment extends CommentFacts {
  readonly status: 'retracted';
  readonly disposition: CurrentDisposition | null;
}

export type CommentState = { readonly status: 'unposted' } | PostedComment | DisposedComment | RetractedComment;

export const MAX_BODY = 10_000;
const MAX_ANSWER = 10_000;
const MAX_RETRACTION_REASON = 2000;

const COMMENTING_ROLES: readonly Role[] = ['member', 'approver', 'coordinator', 'admin'];

/** Whether the actor may post and react at all (any organisation kind; any role but viewer). */
export const mayComment = (actor: Actor): boolean => actor.roles.some((role) => COMMENTING_ROLES.includes(role));

export const isCommentDisposition = (value: unknown): value is CommentDisposition =>
  typeof value === 'string' && (COMMENT_DISPOSITIONS as readonly string[]).includes(value);

export const sameAnchor = (a: CommentAnchor, b: CommentAnchor): boolean =>
  a.kind === 'change' ? b.kind === 'change' && a.changeId === b.changeId : b.kind === 'requirement' && a.requirementId === b.requirementId;

// The handler picks the stream from data.commentId; a different id in the state is a bug there.
function assertSameComment(state: CommentFacts, commentId: string): void {
  if (state.commentId !== commentId) throw new Error(`Command for comment ${commentId} decided against the stream of ${state.commentId}`);
}

const notFound = (commentId: string) => new DomainError('COMMENT_NOT_FOUND', `Comment ${commentId} does not exist.`, 'commentId');
const retracted = (state: CommentFacts) => new DomainError('COMMENT_RETRACTED', `Comment ${state.commentId} was retracted.`);
const invalidBody = () => new DomainError('INVALID_BODY', `body must not be blank and at most ${MAX_BODY} characters.`, 'body');

/** The anchor rebuilt from its known fields only, or the problem. */
function validateAnchor(anchor: unknown, proposalId: string | null): CommentAnchor | DomainError {
  if (anchor === null || typeof anchor !== 'object') return new DomainError('INVALID_ANCHOR', 'anchor is a change or a requirement.', 'anchor');
  const { kind, changeId, requirementId } = anchor as Record<string, unknown>;
  if (kind === 'change') {
    if (proposalId === null) return new DomainError('INVALID_ANCHOR', 'A change belongs to a proposal: anchoring to a change needs a proposalId.', 'anchor');
    if (!isEntityId(changeId)) return new DomainError('INVALID_ANCHOR', `${JSON.stringify(changeId)} is not a change id.`, 'anchor.changeId');
    return { kind, changeId };
  }
  if (kind === 'requirement') {
    if (!isRequirementId(requirementId))
      return new DomainError('INVALID_ANCHOR', `${JSON.stringify(requirementId)} is not a requirement id.`, 'anchor.requirementId');
    return { kind, requirementId };
  }
  return new DomainError('INVALID_ANCHOR', `anchor.kind is change or requirement; got ${JSON.stringify(kind)}.`, 'anchor.kind');
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;
const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** The quote rebuilt from its known fields, or the problem. */
function validateQuote(quote: unknown, anchoredText: string): CommentQuote | DomainError {
  if (quote === null || typeof quote !== 'object') return new DomainError('INVALID_QUOTE', 'quote is null or { start, end, text }.', 'quote');
  const { start, end, text } = quote as Record<string, unknown>;
  if (
    !Number.isSafeInteger(start) ||
    !Number.isSafeInteger(end) ||
    typeof start !== 'number' ||
    typeof end !== 'number' ||
    start < 0 ||
    end <= start ||
    end > anchoredText.length
  ) {
    return new DomainError(
      'INVALID_QUOTE',
      `quote needs 0 <= start < end <= ${anchoredText.length} (the anchored text's length); got ${start}..${end}.`,
      'quote',
    );
  }
  // Half a surrogate pair cannot be stored (and is not a character anyone selected).
  if (isLowSurrogate(anchoredText.charCodeAt(start)) || isHighSurrogate(anchoredText.charCodeAt(end - 1))) {
    return new DomainError('INVALID_QUOTE', 'quote must not start or end inside a character (a surrogate pair).', 'quote');
  }
  if (text !== anchoredText.slice(start, end)) {
    return new DomainError(
      'QUOTE_MISMATCH',
      `quote.text is not the anchored text from ${start} to ${end}; the text may have changed, select the span again.`,
      'quote.text',
    );
  }
  return { start, end, text };
}

function post(command: PostComment, state: CommentState): Decision<CommentEvent> {
  const { data, metadata } = command;
  const { actor } = metadata;
  if (!mayComment(actor))
    return new DomainError('FORBIDDEN', 'A viewer may read but not comment; commenting needs the member, approver, coordinator or admin role.');
  if (state.status !== 'unposted') return new DomainError('COMMENT_ALREADY_EXISTS', `Comment ${state.commentId} exists already.`, 'commentId');
  if (!isEntityId(data.commentId)) {
    return new DomainError(
      'INVALID_COMMENT_ID',
      `commentId is 1-64 characters A-Z, a-z, 0-9, '_' and '-'; got ${JSON.stringify(data.commentId)}.`,
      'commentId',
    );
  }
  if (data.proposalId !== null) {
    // An invisible draft does not exist for this actor: same answer as a missing proposal.
    if (!isEntityId(data.proposalId) || !data.proposalVisibleToActor) {
      return new DomainError('PROPOSAL_NOT_FOUND', `Proposal ${JSON.stringify(data.proposalId)} does not exist.`, 'proposalId');
    }
  }
  if (!isSpecId(data.specId)) return new DomainError('INVALID_SPEC_ID', `specId is a slug such as juminkiroku; got ${JSON.stringify(data.specId)}.`, 'specId');
  if (!isVersion(data.version))
    return new DomainError('INVALID_VERSION', `version is digits and dots such as 4.0; got ${JSON.stringify(data.version)}.`, 'version');
  const anchor = validateAnchor(data.anchor, data.proposalId);
  if (anchor instanceof DomainError) return anchor;
  if (data.anchoredText === null) {
    const what =
      anchor.kind === 'change' ? `Change ${anchor.changeId} of proposal ${data.proposalId}` : `Requirement ${anchor.requirementId} of version ${data.version}`;
    return new DomainError('ANCHOR_NOT_FOUND', `${what} does not exist.`, 'anchor');
  }
  const quote = data.quote === null ? null : validateQuote(data.quote, data.anchoredText);
  if (quote instanceof DomainError) return quote;
  if (data.parentCommentId !== null) {
    const { parent } = data;
    if (!isEntityId(data.parentCommentId) || data.parentCommentId === data.commentId || parent === null) {
      return new DomainError('PARENT_COMMENT_NOT_FOUND', `Comment ${JSON.stringify(data.parentCommentId)}, replied to, does not exist.`, 'parentCommentId');
    }
    if (parent.specId !== data.specId || parent.version !== data.version || parent.proposalId !== data.proposalId || !sameAnchor(parent.anchor, anchor)) {
      return new DomainError(
        'PARENT_COMMENT_ELSEWHERE',
        'A reply is on the same proposal, spec version and anchor as the comment it replies to.',
        'parentCommentId',
      );
    }
  }
  const body = cleanLabel(data.body, MAX_BODY);
  if (body === null) return invalidBody();
  return [
    {
      type: 'CommentPosted',
      data: {
        commentId: data.commentId,
        proposalId: data.proposalId,
        specId: data.specId,
        version: data.version,
        anchor,
        quote,
        parentCommentId: data.parentCommentId,
        body,
        authorPersonId: actor.personId,
        authorOrganisationId: actor.organisationId,
      },
    },
  ];
}

function edit(command: EditComment, state: CommentState): Decision<CommentEvent> {
  const { data, metadata } = command;
  if (state.status === 'unposted') return notFound(data.commentId);
  assertSameComment(state, data.commentId);
  if (metadata.actor.personId !== state.authorPersonId) return new DomainError('FORBIDDEN', 'Only its author may edit a comment.');
  if (!mayComment(metadata.actor)) return new DomainError('FORBIDDEN', 'A viewer may not edit; editing needs the member, approver, coordinator or admin role.');
  if (state.status === 'retracted') return retracted(state);
  const body = cleanLabel(data.body, MAX_BODY);
  if (body === null) return invalidBody();
  if (body === state.body) return [];
  return [{ type: 'CommentEdited', data: { commentId: state.commentId, edition: state.edition + 1, body } }];
}

function retract(command: RetractComment, state: CommentState): Decision<CommentEvent> {
  const { data, metadata } = command;
  if (state.status === 'unposted') return notFound(data.commentId);
  assertSameComment(state, data.commentId);
  if (metadata.actor.personId !== state.authorPersonId) return new DomainError('FORBIDDEN', 'Only its author may retract a comment.');
  if (state.status === 'retracted') return retracted(state);
  const reason = cleanLabel(data.reason, MAX_RETRACTION_REASON);
  if (reason === null) return new DomainError('INVALID_REASON', `A reason is required, at most ${MAX_RETRACTION_REASON} characters.`, 'reason');
  return [{ type: 'CommentRetracted', data: { commentId: state.commentId, reason } }];
}

function dispose(command: DisposeComment, state: CommentState): Decision<CommentEvent> {
  const { data, metadata } = command;
  if (state.status === 'unposted') return notFound(data.commentId);
  assertSameComment(state, data.commentId);
  if (state.proposalId !== null && !data.proposalVisibleToActor) return notFound(data.commentId);
  const { actor } = metadata;
  if (actor.organisationId !== data.specOwnerOrganisationId || !actor.roles.includes('coordinator')) {
    return new DomainError('FORBIDDEN', `Only a coordinator of ${data.specOwnerOrganisationId}, the spec's owner, may dispose comments.`);
  }
  if (state.status === 'retracted') return retracted(state);
  if (!isCommentDisposition(data.disposition)) {
    return new DomainError(
      'INVALID_DISPOSITION',
      `disposition is one of ${COMMENT_DISPOSITIONS.join(', ')}; got ${JSON.stringify(data.disposition)}.`,
      'disposition',
    );
  }
  const answer = cleanLabel(data.answer, MAX_ANSWER);
  if (answer === null) return new DomainError('INVALID_ANSWER', `An answer is required, at most ${MAX_ANSWER} characters.`, 'answer');
  const current = state.status === 'disposed' ? state.disposition : null;
  if (current !== null && current.disposition === data.disposition && current.answer === answer) return [];
  return [{ type: 'CommentDisposed', data: { commentId: state.commentId, disposition: data.disposition, answer, revision: (current?.revision ?? 0) + 1 } }];
}

function react(command: ReactToComment, state: CommentState): Decision<CommentEvent> {
  const { data, metadata } = command;
  const { actor } = metadata;
  if (state.status === 'unposted') return notFound(data.commentId);
  assertSameComment(state, data.commentId);
  if (state.proposalId !== null && !data.proposalVisibleToActor) return notFound(data.commentId);
  if (!mayComment(actor)) return new DomainError('FORBIDDEN', 'A viewer may not react; reacting needs the member, approver, coordinator or admin role.');
  if (state.status === 'retracted') return retracted(state);
  const { reaction } = data;
  if (reaction !== null && !(REACTIONS as readonly unknown[]).includes(reaction)) {
    return new DomainError('INVALID_REACTION', `reaction is agree, disagree or null (to clear); got ${JSON.stringify(reaction)}.`, 'reaction');
  }
  if ((state.reactions.get(actor.personId)?.reaction ?? null) === reaction) return [];
  return [{ type: 'ReactionChanged', data: { commentId: state.commentId, personId: actor.personId, organisationId: actor.organisationId, reaction } }];
}

// Events the decider never emits in that state are a corrupt or foreign stream: fail loudly on replay.
function open(state: CommentState, event: CommentEvent): PostedComment | DisposedComment {
  if (state.status === 'unposted') throw new Error(`${event.type} in a stream without CommentPosted`);
  if (state.status === 'retracted') throw new Error(`${event.type} after comment ${state.commentId} was retracted`);
  return state;
}

export function evolve(state: CommentState, event: CommentEvent): CommentState {
  switch (event.type) {
    case 'CommentPosted': {
      if (state.status !== 'unposted') throw new Error(`CommentPosted twice in ${state.commentId}`);
      const { commentId, proposalId, specId, version, anchor, parentCommentId, body, authorPersonId, authorOrganisationId } = event.data;
      return {
        status: 'posted',
        commentId,
        proposalId,
        specId,
        version,
        anchor,
        parentCommentId,
        authorPersonId,
        authorOrganisationId,
        body,
        edition: 1,
        reactions: new Map(),
      };
    }
    case 'CommentEdited': {
      const current = open(state, event);
      if (event.data.edition !== current.edition + 1)
        throw new Error(`CommentEdited to edition ${event.data.edition} after edition ${current.edition} in ${current.commentId}`);
      return { ...current, edition: event.data.edition, body: event.data.body };
    }
    case 'CommentRetracted': {
      const current = open(state, event);
      return { ...current, status: 'retracted', disposition: current.status === 'disposed' ? current.disposition : null };
    }
    case 'CommentDisposed': {
      const current = open(state, event);
      const { disposition, answer, revision } = event.data;
      const previous = current.status === 'disposed' ? current.disposition.revision : 0;
      if (revision !== previous + 1) throw new Error(`CommentDisposed revision ${revision} after revision ${previous} in ${current.commentId}`);
      return { ...current, status: 'disposed', disposition: { disposition, answer, revision } };
    }
    case 'ReactionChanged': {
      const current = open(state, event);
      const { personId, organisationId, reaction } = event.data;
      const reactions = new Map(current.reactions);
      if (reaction === null) reactions.delete(personId);
      else reactions.set(personId, { organisationId, reaction });
      return { ...current, reactions };
    }
    default:
      return assertNever(event);
  }
}

export function decide(command: CommentCommand, state: CommentState): Decision<CommentEvent> {
  switch (command.type) {
    case 'PostComment':
      return post(command, state);
    case 'EditComment':
      return edit(command, state);
    case 'RetractComment':
      return retract(command, state);
    case 'DisposeComment':
      return dispose(command, state);
    case 'ReactToComment':
      return react(command, state);
    default:
      return assertNever(command);
  }
}

export const initialState = (): CommentState => ({ status: 'unposted' });

export const commentDecider: Decider<CommentState, CommentCommand, CommentEvent> = {
  category: COMMENT_CATEGORY,
  decide,
  evolve,
  initialState,
};

export interface ReactionCounts {
  readonly agree: number;
  readonly disagree: number;
}

export interface ReactionTotals extends ReactionCounts {
  /** Organisations with at least one current reaction, sorted by organisationId. */
  readonly byOrganisation: readonly (ReactionCounts & { readonly organisationId: string })[];
}

/** Current reactions counted overall and per organisation: each person counts once, with their latest reaction. */
export function reactionTotals(state: CommentState): ReactionTotals {
  const byOrganisation = new Map<string, { agree: number; disagree: number }>();
  let agree = 0;
  let disagree = 0;
  for (const { organisationId, reaction } of state.status === 'unposted' ? [] : state.reactions.values()) {
    const counts = byOrganisation.get(organisationId) ?? { agree: 0, disagree: 0 };
    counts[reaction] += 1;
    byOrganisation.set(organisationId, counts);
    if (reaction === 'agree') agree += 1;
    else disagree += 1;
  }
  return {
    agree,
    disagree,
    byOrganisation: [...byOrganisation]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([organisationId, counts]) => ({ organisationId, agree: counts.agree, disagree: counts.disagree })),
  };
}

/** Each person's current reaction, sorted by personId. */
export function reactionsOf(state: CommentState): readonly (PersonReaction & { readonly personId: string })[] {
  if (state.status === 'unposted') return [];
  return [...state.reactions]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([personId, { organisationId, reaction }]) => ({ personId, organisationId, reaction }));
}
