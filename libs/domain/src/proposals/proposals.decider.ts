import { Actor, assertNever, Decider, Decision, DomainError, OrganisationKind, Role } from '../shared/decider';
import { cleanLabel, cleanProse, compareVersions, isEntityId, isRequirementId, isSpecId, isVersion } from '../specs/input-rules';
import { MAX_REQUIREMENT_TEXT, SpecState, versionOf } from '../specs/specs.decider';
import {
  AcceptProposal,
  DraftProposal,
  MarkProposalIncorporated,
  ProposalBase,
  ProposalCommand,
  RejectProposal,
  ReviseProposal,
  SubmitProposal,
  WithdrawProposal,
} from './proposals.commands';
import { CHANGE_KINDS, ChangeKind, PROPOSAL_CATEGORY, ProposalChange, ProposalEvent } from './proposals.events';

/**
 * One stream per proposal (修文案). Lifecycle:
 *
 *   drafted ──submit──▶ submitted ──accept──▶ accepted ──incorporate──▶ incorporated
 *      │  ◀─revise─┘       │  ◀─revise─┘  └──reject──▶ rejected
 *      └──withdraw──▶ withdrawn ◀──withdraw──┘
 *
 * Who may do what:
 * - draft: a member, approver, coordinator or admin of a national body, prefecture,
 *   municipality or vendor (observers comment but do not propose);
 * - revise: the same roles, of the author organisation;
 * - submit: an approver, coordinator or admin of the author organisation — a member drafts,
 *   but submitting is the organisation's act (決裁);
 * - withdraw: the author organisation; a draft by any of its members, a submitted proposal
 *   only by its approvers, coordinators or admins (as for submitting);
 * - accept, reject, mark incorporated: a coordinator or admin of the spec's owner organisation.
 *
 * Checks run in this order: the stream's existence, the actor's permission, the status, then the
 * input. A draft is visible only to its author organisation until submitted (proposalVisibleTo).
 */

export type ProposalStatus = 'drafted' | 'submitted' | 'accepted' | 'rejected' | 'withdrawn' | 'incorporated';

interface ProposalFacts {
  readonly proposalId: string;
  readonly specId: string;
  readonly version: string;
  readonly authorPersonId: string;
  readonly authorOrganisationId: string;
  /** The current revision: 1 when drafted, +1 per ProposalRevised. */
  readonly revision: number;
  readonly title: string;
  readonly changes: readonly ProposalChange[];
}

export interface DraftedProposal extends ProposalFacts {
  readonly status: 'drafted';
}
export interface SubmittedProposal extends ProposalFacts {
  readonly status: 'submitted';
}
export interface AcceptedProposal extends ProposalFacts {
  readonly status: 'accepted';
  readonly decidedRevision: number;
}
export interface RejectedProposal extends ProposalFacts {
  readonly status: 'rejected';
  readonly decidedRevision: number;
}
export interface WithdrawnProposal extends ProposalFacts {
  readonly status: 'withdrawn';
  /** A draft withdrawn before submission stays private to its author organisation. */
  readonly wasSubmitted: boolean;
}
export interface IncorporatedProposal extends ProposalFacts {
  readonly status: 'incorporated';
  readonly decidedRevision: number;
  readonly incorporatedInVersion: string;
}

export type ProposalState =
  { readonly status: 'undrafted' } | DraftedProposal | SubmittedProposal | AcceptedProposal | RejectedProposal | WithdrawnProposal | IncorporatedProposal;

type ExistingProposal = Exclude<ProposalState, { readonly status: 'undrafted' }>;

const MAX_TITLE = 200;
export const MAX_CHANGES = 1000;
const MAX_CHANGE_REASON = 5000;
const MAX_WITHDRAWAL_REASON = 2000;
const MAX_RATIONALE = 10_000;

const MEMBER_ROLES: readonly Role[] = ['member', 'approver', 'coordinator', 'admin'];
const APPROVER_ROLES: readonly Role[] = ['approver', 'coordinator', 'admin'];
const DECIDING_ROLES: readonly Role[] = ['coordinator', 'admin'];
const DRAFTING_KINDS: readonly OrganisationKind[] = ['national', 'prefecture', 'municipality', 'vendor'];

const hasAnyRole = (actor: Actor, roles: readonly Role[]): boolean => actor.roles.some((role) => roles.includes(role));
const ofAuthor = (actor: Actor, state: ProposalFacts, roles: readonly Role[]): boolean =>
  actor.organisationId === state.authorOrganisationId && hasAnyRole(actor, roles);
const isSpecOwnerCoordinator = (actor: Actor, specOwnerOrganisationId: string): boolean =>
  actor.organisationId === specOwnerOrganisationId && hasAnyRole(actor, DECIDING_ROLES);

/** Whether the actor may draft proposals at all (the API's role × kind matrix uses it too). */
export const mayDraftProposals = (actor: Actor): boolean => DRAFTING_KINDS.includes(actor.organisationKind) && hasAnyRole(actor, MEMBER_ROLES);

/** What visibility depends on; a read model keeps these two columns for every proposal. */
export interface ProposalVisibilityFacts {
  readonly authorOrganisationId: string;
  /** Submitted at some point (a withdrawal afterwards does not hide it again). */
  readonly everSubmitted: boolean;
}

export const everSubmitted = (state: ProposalState): boolean =>
  state.status === 'withdrawn' ? state.wasSubmitted : state.status !== 'undrafted' && state.status !== 'drafted';

/**
 * A proposal that was never submitted is visible only to its author organisation (any role), not
 * even to national admins; once submitted it is visible to everyone with a role.
 */
export function proposalVisibleTo(proposal: ProposalState | ProposalVisibilityFacts, actor: Actor): boolean {
  if (actor.roles.length === 0) return false;
  // A read-model summary may carry a status column too, so test for the facts first.
  if ('everSubmitted' in proposal) return proposal.everSubmitted || proposal.authorOrganisationId === actor.organisationId;
  if (proposal.status === 'undrafted') return false;
  return everSubmitted(proposal) || proposal.authorOrganisationId === actor.organisationId;
}

/** The `base` lookup for DraftProposal / ReviseProposal, built from the Spec stream's state. */
export function proposalBaseOf(spec: SpecState, version: string): ProposalBase {
  const published = versionOf(spec, version);
  const requirements: Record<string, { title: string; text: string }> = {};
  for (const { requirementId, title, text } of published?.requirements ?? []) requirements[requirementId] = { title, text };
  return { exists: spec.status !== 'uncreated', versionPublished: published !== null, requirements };
}

/**
 * The text a comment anchored to this change quotes from, in the current revision: the proposed
 * text, or for a deletion the text deleted. Null when the change does not exist (anymore).
 */
export function changeTextOf(state: ProposalState, changeId: string): string | null {
  if (state.status === 'undrafted') return null;
  const change = state.changes.find((c) => c.changeId === changeId);
  return change === undefined ? null : (change.after ?? change.before);
}

// The handler picks the stream from data.proposalId; a different id in the state is a bug there.
function assertSameProposal(state: ProposalFacts, proposalId: string): void {
  if (state.proposalId !== proposalId) throw new Error(`Command for proposal ${proposalId} decided against the stream of ${state.proposalId}`);
}

const notFound = (proposalId: string) => new DomainError('PROPOSAL_NOT_FOUND', `Proposal ${proposalId} does not exist.`, 'proposalId');
const withdrawn = (state: ProposalFacts) => new DomainError('PROPOSAL_WITHDRAWN', `Proposal ${state.proposalId} was withdrawn.`);
const alreadyDecided = (state: AcceptedProposal | RejectedProposal | IncorporatedProposal) =>
  new DomainError('PROPOSAL_ALREADY_DECIDED', `Proposal ${state.proposalId} was ${state.status} (revision ${state.decidedRevision}).`);

const isChangeKind = (value: unknown): value is ChangeKind => typeof value === 'string' && (CHANGE_KINDS as readonly string[]).includes(value);

/** Validated changes with `before` from the base, or the first problem, naming the change and its index. */
export function validateChanges(input: readonly unknown[], base: ProposalBase): readonly ProposalChange[] | DomainError {
  if (!Array.isArray(input) || input.length === 0) return new DomainError('NO_CHANGES', 'A proposal has at least one change.', 'changes');
  if (input.length > MAX_CHANGES) return new DomainError('TOO_MANY_CHANGES', `A proposal has at most ${MAX_CHANGES} changes; got ${input.length}.`, 'changes');
  const changeIndex = new Map<string, number>();
  const requirementIndex = new Map<string, number>();
  const changes: ProposalChange[] = [];
  for (const [i, item] of input.entries()) {
    const at = `changes[${i}]`;
    if (item === null || typeof item !== 'object') return new DomainError('INVALID_CHANGE', `${at} is not a change.`, at);
    const { changeId, kind, requirementId, after, reason } = item as Record<string, unknown>;
    if (!isEntityId(changeId)) {
      return new DomainError(
        'INVALID_CHANGE_ID',
        `${at}: changeId is 1-64 characters A-Z, a-z, 0-9, '_' and '-'; got ${JSON.stringify(changeId)}.`,
        `${at}.changeId`,
      );
    }
    const sameId = changeIndex.get(changeId);
    if (sameId !== undefined) return new DomainError('DUPLICATE_CHANGE_ID', `Change ${changeId} (${at}) repeats changes[${sameId}].`, `${at}.changeId`);
    changeIndex.set(changeId, i);
    const name = `Change ${changeId} (${at})`;
    if (!isChangeKind(kind))
      return new DomainError('INVALID_CHANGE_KIND', `${name}: kind is add, modify or delete; got ${JSON.stringify(kind)}.`, `${at}.kind`);
    if (!isRequirementId(requirementId)) {
      return new DomainError('INVALID_REQUIREMENT_ID', `${name}: ${JSON.stringify(requirementId)} is not a requirement id.`, `${at}.requirementId`);
    }
    const sameRequirement = requirementIndex.get(requirementId);
    if (sameRequirement !== undefined) {
      return new DomainError(
        'DUPLICATE_REQUIREMENT_CHANGE',
        `${name}: requirement ${requirementId} is changed by changes[${sameRequirement}] already; one change per requirement.`,
        `${at}.requirementId`,
      );
    }
    requirementIndex.set(requirementId, i);
    const existing = Object.hasOwn(base.requirements, requirementId) ? base.requirements[requirementId] : undefined;
    if (kind === 'add' && existing !== undefined) {
      return new DomainError(
        'REQUIREMENT_ALREADY_EXISTS',
        `${name}: requirement ${requirementId} exists already; modify it or add a new id.`,
        `${at}.requirementId`,
      );
    }
    if (kind !== 'add' && existing === undefined) {
      return new DomainError('REQUIREMENT_NOT_FOUND', `${name}: requirement ${requirementId} is not in this version.`, `${at}.requirementId`);
    }
    let proposed: string | null = null;
    if (kind === 'delete') {
      if (after !== null) return new DomainError('INVALID_CHANGE_TEXT', `${name}: a deletion has no proposed text; after must be null.`, `${at}.after`);
    } else {
      proposed = cleanProse(after, MAX_REQUIREMENT_TEXT);
      if (proposed === null) {
        return new DomainError(
          'INVALID_CHANGE_TEXT',
          `${name}: the proposed text must not be blank, at most ${MAX_REQUIREMENT_TEXT} characters, without control characters.`,
          `${at}.after`,
        );
      }
      if (kind === 'modify' && proposed === existing?.text) {
        return new DomainError('UNCHANGED_TEXT', `${name}: the proposed text is the same as requirement ${requirementId}'s current text.`, `${at}.after`);
      }
    }
    const cleanReason = cleanLabel(reason, MAX_CHANGE_REASON);
    if (cleanReason === null) {
      return new DomainError('INVALID_REASON', `${name}: a reason (理由) is required, at most ${MAX_CHANGE_REASON} characters.`, `${at}.reason`);
    }
    changes.push({
      changeId,
      kind,
      requirementId,
      requirementTitle: existing?.title ?? null,
      before: existing?.text ?? null,
      after: proposed,
      reason: cleanReason,
    });
  }
  return changes;
}

/** Title and changes of a draft or revision, or the first problem. */
function validateContent(data: {
  title: string;
  changes: readonly unknown[];
  base: ProposalBase;
}): { title: string; changes: readonly ProposalChange[] } | DomainError {
  if (!data.base.exists) return new DomainError('SPEC_NOT_FOUND', 'The spec does not exist.', 'specId');
  if (!data.base.versionPublished) return new DomainError('VERSION_NOT_PUBLISHED', 'Proposals change a published version; this one is not.', 'version');
  const title = cleanLabel(data.title, MAX_TITLE);
  if (title === null) return new DomainError('INVALID_TITLE', `title must not be blank and at most ${MAX_TITLE} characters.`, 'title');
  const changes = validateChanges(data.changes, data.base);
  if (changes instanceof DomainError) return changes;
  return { title, changes };
}

// Compared field by field: changes read back from jsonb have their keys in another order.
const sameChange = (a: ProposalChange, b: ProposalChange): boolean =>
  a.changeId === b.changeId &&
  a.kind === b.kind &&
  a.requirementId === b.requirementId &&
  a.requirementTitle === b.requirementTitle &&
  a.before === b.before &&
  a.after === b.after &&
  a.reason === b.reason;

function draft(command: DraftProposal, state: ProposalState): Decision<ProposalEvent> {
  const { data, metadata } = command;
  const { actor } = metadata;
  if (!mayDraftProposals(actor)) {
    return new DomainError(
      'FORBIDDEN',
      'Only a member, approver, coordinator or admin of a national body, prefecture, municipality or vendor may draft a proposal.',
    );
  }
  if (state.status !== 'undrafted') return new DomainError('PROPOSAL_ALREADY_EXISTS', `Proposal ${state.proposalId} exists already.`, 'proposalId');
  if (!isEntityId(data.proposalId)) {
    return new DomainError(
      'INVALID_PROPOSAL_ID',
      `proposalId is 1-64 characters A-Z, a-z, 0-9, '_' and '-'; got ${JSON.stringify(data.proposalId)}.`,
      'proposalId',
    );
  }
  if (!isSpecId(data.specId)) return new DomainError('INVALID_SPEC_ID', `specId is a slug such as juminkiroku; got ${JSON.stringify(data.specId)}.`, 'specId');
  if (!isVersion(data.version))
    return new DomainError('INVALID_VERSION', `version is digits and dots such as 4.0; got ${JSON.stringify(data.version)}.`, 'version');
  const content = validateContent(data);
  if (content instanceof DomainError) return content;
  return [
    {
      type: 'ProposalDrafted',
      data: {
        proposalId: data.proposalId,
        specId: data.specId,
        version: data.version,
        title: content.title,
        changes: content.changes,
        authorPersonId: actor.personId,
        authorOrganisationId: actor.organisationId,
      },
    },
  ];
}

function revise(command: ReviseProposal, state: ProposalState): Decision<ProposalEvent> {
  const { data, metadata } = command;
  if (state.status === 'undrafted') return notFound(data.proposalId);
  assertSameProposal(state, data.proposalId);
  if (!ofAuthor(metadata.actor, state, MEMBER_ROLES)) {
    return new DomainError(
      'FORBIDDEN',
      `Only a member, approver, coordinator or admin of ${state.authorOrganisationId}, the author organisation, may revise it.`,
    );
  }
  if (state.status === 'withdrawn') return withdrawn(state);
  if (state.status === 'accepted' || state.status === 'rejected' || state.status === 'incorporated') return alreadyDecided(state);
  const content = validateContent(data);
  if (content instanceof DomainError) return content;
  const unchanged =
    content.title === state.title &&
    content.changes.length === state.changes.length &&
    content.changes.every((change, i) => sameChange(change, state.changes[i]));
  if (unchanged) return [];
  return [{ type: 'ProposalRevised', data: { proposalId: state.proposalId, revision: state.revision + 1, title: content.title, changes: content.changes } }];
}

function submit(command: SubmitProposal, state: ProposalState): Decision<ProposalEvent> {
  const { data, metadata } = command;
  if (state.status === 'undrafted') return notFound(data.proposalId);
  assertSameProposal(state, data.proposalId);
  if (!ofAuthor(metadata.actor, state, APPROVER_ROLES)) {
    return new DomainError('FORBIDDEN', `Submitting is ${state.authorOrganisationId}'s act: only its approvers, coordinators or admins may submit.`);
  }
  switch (state.status) {
    case 'drafted':
      return [{ type: 'ProposalSubmitted', data: { proposalId: state.proposalId, revision: state.revision } }];
    case 'submitted':
      return new DomainError('PROPOSAL_ALREADY_SUBMITTED', `Proposal ${state.proposalId} is submitted already.`);
    case 'withdrawn':
      return withdrawn(state);
    case 'accepted':
    case 'rejected':
    case 'incorporated':
      return alreadyDecided(state);
    default:
      return assertNever(state);
  }
}

function withdraw(command: WithdrawProposal, state: ProposalState): Decision<ProposalEvent> {
  const { data, metadata } = command;
  if (state.status === 'undrafted') return notFound(data.proposalId);
  assertSameProposal(state, data.proposalId);
  if (!ofAuthor(metadata.actor, state, MEMBER_ROLES))
    return new DomainError('FORBIDDEN', `Only ${state.authorOrganisationId}, the author organisation, may withdraw it.`);
  if (state.status === 'withdrawn') return withdrawn(state);
  if (state.status === 'accepted' || state.status === 'rejected' || state.status === 'incorporated') return alreadyDecided(state);
  if (state.status === 'submitted' && !ofAuthor(metadata.actor, state, APPROVER_ROLES)) {
    return new DomainError('FORBIDDEN', `A submitted proposal is ${state.authorOrganisationId}'s: only its approvers, coordinators or admins may withdraw it.`);
  }
  const reason = cleanLabel(data.reason, MAX_WITHDRAWAL_REASON);
  if (reason === null) return new DomainError('INVALID_REASON', `A reason is required, at most ${MAX_WITHDRAWAL_REASON} characters.`, 'reason');
  return [{ type: 'ProposalWithdrawn', data: { proposalId: state.proposalId, reason } }];
}

function decideOn(command: AcceptProposal | RejectProposal, state: ProposalState): Decision<ProposalEvent> {
  const { data, metadata } = command;
  if (state.status === 'undrafted') return notFound(data.proposalId);
  assertSameProposal(state, data.proposalId);
  if (!isSpecOwnerCoordinator(metadata.actor, data.specOwnerOrganisationId)) {
    return new DomainError('FORBIDDEN', `Only a coordinator or admin of ${data.specOwnerOrganisationId}, the spec's owner, may decide on a proposal.`);
  }
  if (state.status === 'drafted') return new DomainError('PROPOSAL_NOT_SUBMITTED', `Proposal ${state.proposalId} is not submitted.`);
  if (state.status === 'withdrawn') return withdrawn(state);
  if (state.status === 'accepted' || state.status === 'rejected' || state.status === 'incorporated') return alreadyDecided(state);
  if (data.ladder !== null && data.ladder?.deciding !== true) {
    return new DomainError(
      'PROPOSAL_ON_LADDER',
      `Proposal ${state.proposalId} goes through ratification ladder ${data.ladder?.ladderId}: its national decision accepts or rejects it.`,
    );
  }
  if (data.revision !== state.revision) {
    return new DomainError(
      'PROPOSAL_REVISION_STALE',
      `Proposal ${state.proposalId} is at revision ${state.revision}, not ${JSON.stringify(data.revision)}; read it again before deciding.`,
      'revision',
    );
  }
  const rationale = cleanLabel(data.rationale, MAX_RATIONALE);
  if (rationale === null) return new DomainError('INVALID_RATIONALE', `A rationale is required, at most ${MAX_RATIONALE} characters.`, 'rationale');
  const decided = { proposalId: state.proposalId, revision: state.revision, rationale };
  return [command.type === 'AcceptProposal' ? { type: 'ProposalAccepted', data: decided } : { type: 'ProposalRejected', data: decided }];
}

function markIncorporated(command: MarkProposalIncorporated, state: ProposalState): Decision<ProposalEvent> {
  const { data, metadata } = command;
  if (state.status === 'undrafted') return notFound(data.proposalId);
  assertSameProposal(state, data.proposalId);
  if (!isSpecOwnerCoordinator(metadata.actor, data.specOwnerOrganisationId)) {
    return new DomainError('FORBIDDEN', `Only a coordinator or admin of ${data.specOwnerOrganisationId}, the spec's owner, may mark a proposal incorporated.`);
  }
  switch (state.status) {
    case 'accepted':
      break;
    case 'incorporated':
      return new DomainError(
        'PROPOSAL_ALREADY_INCORPORATED',
        `Proposal ${state.proposalId} was incorporated in version ${state.incorporatedInVersion} already.`,
      );
    case 'withdrawn':
      return withdrawn(state);
    case 'drafted':
    case 'submitted':
    case 'rejected':
      return new DomainError('PROPOSAL_NOT_ACCEPTED', `Proposal ${state.proposalId} is ${state.status}; only an accepted proposal is incorporated.`);
    default:
      return assertNever(state);
  }
  if (data.specId !== state.specId) {
    return new DomainError('PROPOSAL_OF_ANOTHER_SPEC', `Proposal ${state.proposalId} is against spec ${state.specId}, not ${data.specId}.`, 'specId');
  }
  if (!isVersion(data.version))
    return new DomainError('INVALID_VERSION', `version is digits and dots such as 5.0; got ${JSON.stringify(data.version)}.`, 'version');
  if (compareVersions(data.version, state.version) <= 0) {
    return new DomainError(
      'VERSION_NOT_LATER',
      `A proposal against version ${state.version} is incorporated in a later version, not ${data.version}.`,
      'version',
    );
  }
  return [{ type: 'ProposalIncorporated', data: { proposalId: state.proposalId, specId: state.specId, version: data.version } }];
}

// Transitions the decider never emits are a corrupt or foreign stream: fail loudly on replay.
function inStatus<S extends ProposalStatus>(state: ProposalState, event: ProposalEvent, ...statuses: S[]): Extract<ExistingProposal, { status: S }> {
  if (state.status === 'undrafted') throw new Error(`${event.type} in a stream without ProposalDrafted`);
  if (!(statuses as string[]).includes(state.status)) throw new Error(`${event.type} when proposal ${state.proposalId} is ${state.status}`);
  return state as Extract<ExistingProposal, { status: S }>;
}

const factsOf = ({ proposalId, specId, version, authorPersonId, authorOrganisationId, revision, title, changes }: ProposalFacts): ProposalFacts => ({
  proposalId,
  specId,
  version,
  authorPersonId,
  authorOrganisationId,
  revision,
  title,
  changes,
});

export function evolve(state: ProposalState, event: ProposalEvent): ProposalState {
  switch (event.type) {
    case 'ProposalDrafted': {
      if (state.status !== 'undrafted') throw new Error(`ProposalDrafted twice in ${state.proposalId}`);
      const { proposalId, specId, version, title, changes, authorPersonId, authorOrganisationId } = event.data;
      return { status: 'drafted', proposalId, specId, version, authorPersonId, authorOrganisationId, revision: 1, title, changes };
    }
    case 'ProposalRevised': {
      const current = inStatus(state, event, 'drafted', 'submitted');
      const { revision, title, changes } = event.data;
      if (revision !== current.revision + 1)
        throw new Error(`ProposalRevised to revision ${revision} after revision ${current.revision} in ${current.proposalId}`);
      return { ...current, revision, title, changes };
    }
    case 'ProposalSubmitted':
      return { ...factsOf(inStatus(state, event, 'drafted')), status: 'submitted' };
    case 'ProposalWithdrawn': {
      const current = inStatus(state, event, 'drafted', 'submitted');
      return { ...factsOf(current), status: 'withdrawn', wasSubmitted: current.status === 'submitted' };
    }
    case 'ProposalAccepted':
      return { ...factsOf(inStatus(state, event, 'submitted')), status: 'accepted', decidedRevision: event.data.revision };
    case 'ProposalRejected':
      return { ...factsOf(inStatus(state, event, 'submitted')), status: 'rejected', decidedRevision: event.data.revision };
    case 'ProposalIncorporated': {
      const current = inStatus(state, event, 'accepted');
      return { ...factsOf(current), status: 'incorporated', decidedRevision: current.decidedRevision, incorporatedInVersion: event.data.version };
    }
    default:
      return assertNever(event);
  }
}

export function decide(command: ProposalCommand, state: ProposalState): Decision<ProposalEvent> {
  switch (command.type) {
    case 'DraftProposal':
      return draft(command, state);
    case 'ReviseProposal':
      return revise(command, state);
    case 'SubmitProposal':
      return submit(command, state);
    case 'WithdrawProposal':
      return withdraw(command, state);
    case 'AcceptProposal':
    case 'RejectProposal':
      return decideOn(command, state);
    case 'MarkProposalIncorporated':
      return markIncorporated(command, state);
    default:
      return assertNever(command);
  }
}

export const initialState = (): ProposalState => ({ status: 'undrafted' });

export const proposalDecider: Decider<ProposalState, ProposalCommand, ProposalEvent> = {
  category: PROPOSAL_CATEGORY,
  decide,
  evolve,
  initialState,
};
