import { Actor, assertNever, Decider, Decision, DomainError, OrganisationKind, Role } from '../shared/decider';
import { cleanLabel, isEntityId, isSpecId } from '../specs/input-rules';
import { ApproveStance, CloseConsultation, ConsultationCommand, DraftStance, OpenConsultation } from './consultations.commands';
import { CONSULTATION_CATEGORY, ConsultationEvent, ConsultationOpenedData, StanceDraftedData, WEIGHTINGS } from './consultations.events';
import { applyStanceChange, ElectorateMember, emptyTally, invalidOutcomeRule, isStance, Outcome, outcomeOf, Stance, tally, Tally } from './tally';

/**
 * One stream per consultation (round) on a submitted proposal. Lifecycle:
 *
 *   unopened ──open──▶ open ──close (due, or early with a reason)──▶ closed
 *                      │ ▲ draft stance / approve stance (until closesAt)
 *
 * Who may do what:
 * - open: a coordinator of a national body or a prefecture;
 * - draft a stance: a member, approver, coordinator or admin of an organisation in the electorate,
 *   or of an organisation holding a valid mandate from it (the `mandate` lookup);
 * - approve a draft (決裁, it becomes the organisation's official stance): an approver,
 *   coordinator or admin of the drafting organisation (the grantee under a mandate, whose mandate
 *   must still be valid);
 * - close when due (now ≥ closesAt): the scheduler (personId SYSTEM_PERSON_ID with the coordinator
 *   role) or a coordinator of the opening organisation; early (now < closesAt): only a coordinator
 *   of the opening organisation, with a reason.
 *
 * One official stance per organisation, changeable until close; every change is a new StanceCast
 * with the stance it supersedes, so the history stays in the stream. Stances are refused once the
 * round is closed, and at or after closesAt even before the scheduler closes it
 * (CONSULTATION_CLOSED). Closing a closed round decides nothing, so two scheduler instances
 * cannot close it twice.
 *
 * Checks run in this order: the stream's existence, the actor's permission, the status (closed,
 * closing time), then the input.
 */

export const SYSTEM_PERSON_ID = 'system';

export interface StanceDraft extends Omit<StanceDraftedData, 'consultationId'> {
  readonly approved: boolean;
}

export interface OfficialStance {
  readonly stance: Stance;
  readonly reason: string | null;
  readonly draftId: string;
  readonly castByOrganisationId: string;
  readonly mandateId: string | null;
}

export interface ClosedFacts {
  readonly closedAt: string;
  readonly early: boolean;
  readonly reason: string | null;
  readonly tally: Tally;
  readonly outcome: Outcome;
}

interface ConsultationFacts extends ConsultationOpenedData {
  /** organisationId → weight. */
  readonly weights: ReadonlyMap<string, number>;
  readonly drafts: ReadonlyMap<string, StanceDraft>;
  /** organisationId → the current official stance. */
  readonly official: ReadonlyMap<string, OfficialStance>;
  /** Maintained incrementally from every StanceCast; always equals tally(electorate, official). */
  readonly running: Tally;
}

export interface OpenRound extends ConsultationFacts {
  readonly status: 'open';
}
export interface ClosedRound extends ConsultationFacts {
  readonly status: 'closed';
  readonly closed: ClosedFacts;
}

export type ConsultationState = { readonly status: 'unopened' } | OpenRound | ClosedRound;

const MAX_REASON = 5000;
export const MAX_ELECTORATE = 5000;

const MEMBER_ROLES: readonly Role[] = ['member', 'approver', 'coordinator', 'admin'];
const APPROVER_ROLES: readonly Role[] = ['approver', 'coordinator', 'admin'];
const OPENING_KINDS: readonly OrganisationKind[] = ['national', 'prefecture'];
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const hasAnyRole = (actor: Actor, roles: readonly Role[]): boolean => actor.roles.some((role) => roles.includes(role));
const forbidden = (message: string) => new DomainError('FORBIDDEN', message);
const notFound = (consultationId: string) => new DomainError('CONSULTATION_NOT_FOUND', `Consultation ${consultationId} does not exist.`, 'consultationId');
const closedError = (state: ConsultationFacts, why: string) =>
  new DomainError('CONSULTATION_CLOSED', `Consultation ${state.consultationId} ${why}; stances are no longer taken.`);

/** Parses an ISO 8601 instant with a time zone; null when malformed. */
function parseInstant(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

// The handler picks the stream from data.consultationId; a different id in the state is a bug there.
function assertSameConsultation(state: ConsultationFacts, consultationId: string): void {
  if (state.consultationId !== consultationId)
    throw new Error(`Command for consultation ${consultationId} decided against the stream of ${state.consultationId}`);
}

/** The current tally (live, or as recorded at close); null before opening. */
export function tallyOf(state: ConsultationState): Tally | null {
  if (state.status === 'unopened') return null;
  return state.status === 'closed' ? state.closed.tally : state.running;
}

/** The outcome the tally gives now (recorded one after close); null before opening. */
export function outcomeNow(state: ConsultationState): Outcome | null {
  if (state.status === 'unopened') return null;
  return state.status === 'closed' ? state.closed.outcome : outcomeOf(state.running, state);
}

/** Organisations of the electorate without an official stance, in electorate order: the ones coordinators chase. */
export function nonRespondents(state: ConsultationState): readonly string[] {
  if (state.status === 'unopened') return [];
  return state.electorate.filter((m) => !state.official.has(m.organisationId)).map((m) => m.organisationId);
}

/**
 * Whether the actor may see the tally and outcome. Results of a round with resultsHidden are
 * visible to nobody before close — not to the coordinators who opened it, not to national admins —
 * so no one can herd late voters and every live notification can simply leave them out; after
 * close they are visible to everyone with a role. Results not hidden are visible to everyone with a
 * role throughout. (Non-respondents are not results: coordinators see them either way.)
 */
export function resultsVisibleTo(state: ConsultationState, actor: Actor): boolean {
  if (state.status === 'unopened' || actor.roles.length === 0) return false;
  return state.status === 'closed' || !state.resultsHidden;
}

function validateElectorate(data: OpenConsultation['data']): readonly ElectorateMember[] | DomainError {
  const { electorate, weighting } = data;
  if (!Array.isArray(electorate) || electorate.length === 0)
    return new DomainError('EMPTY_ELECTORATE', 'A consultation needs at least one organisation in its electorate.', 'electorate');
  if (electorate.length > MAX_ELECTORATE)
    return new DomainError('ELECTORATE_TOO_LARGE', `An electorate has at most ${MAX_ELECTORATE} organisations.`, 'electorate');
  const seen = new Map<string, number>();
  let total = 0;
  const members: ElectorateMember[] = [];
  for (const [i, member] of electorate.entries()) {
    const at = `electorate[${i}]`;
    const { organisationId, weight } = (member ?? {}) as Partial<ElectorateMember>;
    if (!isEntityId(organisationId))
      return new DomainError('INVALID_ORGANISATION_ID', `${at}: ${JSON.stringify(organisationId)} is not an organisation id.`, `${at}.organisationId`);
    const same = seen.get(organisationId);
    if (same !== undefined) return new DomainError('DUPLICATE_ELECTOR', `${at}: ${organisationId} repeats electorate[${same}].`, `${at}.organisationId`);
    seen.set(organisationId, i);
    if (typeof weight !== 'number' || !Number.isSafeInteger(weight) || weight < 0)
      return new DomainError('INVALID_WEIGHT', `${at}: a weight is an integer ≥ 0; got ${JSON.stringify(weight)}.`, `${at}.weight`);
    if (weighting === 'equal' && weight !== 1)
      return new DomainError('INVALID_WEIGHT', `${at}: with equal weighting every weight is 1; got ${weight}.`, `${at}.weight`);
    total += weight;
    if (!Number.isSafeInteger(total))
      return new DomainError('INVALID_WEIGHT', `The electorate's total weight exceeds ${Number.MAX_SAFE_INTEGER}.`, `${at}.weight`);
    members.push({ organisationId, weight });
  }
  return members;
}

function open(command: OpenConsultation, state: ConsultationState): Decision<ConsultationEvent> {
  const { data, metadata } = command;
  const { actor, now } = metadata;
  if (!(OPENING_KINDS.includes(actor.organisationKind) && actor.roles.includes('coordinator')))
    return forbidden('Only a coordinator of a national body or a prefecture opens a consultation.');
  if (state.status !== 'unopened')
    return new DomainError('CONSULTATION_ALREADY_EXISTS', `Consultation ${state.consultationId} exists already.`, 'consultationId');
  if (!isEntityId(data.consultationId))
    return new DomainError('INVALID_CONSULTATION_ID', `${JSON.stringify(data.consultationId)} is not a consultation id.`, 'consultationId');
  if (!isEntityId(data.proposalId)) return new DomainError('INVALID_PROPOSAL_ID', `${JSON.stringify(data.proposalId)} is not a proposal id.`, 'proposalId');
  if (!isSpecId(data.specId)) return new DomainError('INVALID_SPEC_ID', `${JSON.stringify(data.specId)} is not a spec id.`, 'specId');
  if (data.proposalSubmitted !== true)
    return new DomainError('PROPOSAL_NOT_SUBMITTED', `Proposal ${data.proposalId} is not submitted; only a submitted proposal goes to a vote.`, 'proposalId');
  if (!WEIGHTINGS.includes(data.weighting))
    return new DomainError('INVALID_WEIGHTING', `Weighting is ${WEIGHTINGS.join(' or ')}; got ${JSON.stringify(data.weighting)}.`, 'weighting');
  const electorate = validateElectorate(data);
  if (electorate instanceof DomainError) return electorate;
  const invalidRule = invalidOutcomeRule(data);
  if (invalidRule) return new DomainError(invalidRule.code, invalidRule.message, invalidRule.field);
  const closesAt = parseInstant(data.closesAt);
  if (closesAt === null)
    return new DomainError('INVALID_CLOSES_AT', `closesAt is an ISO 8601 instant with a time zone; got ${JSON.stringify(data.closesAt)}.`, 'closesAt');
  if (closesAt.getTime() <= now.getTime())
    return new DomainError('INVALID_CLOSES_AT', `closesAt ${closesAt.toISOString()} is not after now (${now.toISOString()}).`, 'closesAt');
  if (typeof data.resultsHidden !== 'boolean') return new DomainError('INVALID_RESULTS_HIDDEN', 'resultsHidden is true or false.', 'resultsHidden');
  const { ladderId, stage } = data.stage ?? { ladderId: undefined, stage: undefined };
  const lone = ladderId === null && stage === null;
  const onLadder = isEntityId(ladderId) && Number.isSafeInteger(stage) && (stage as number) >= 1;
  if (!lone && !onLadder) return new DomainError('INVALID_STAGE', 'stage is { ladderId: null, stage: null } or a ladder id with a stage number ≥ 1.', 'stage');
  return [
    {
      type: 'ConsultationOpened',
      data: {
        consultationId: data.consultationId,
        proposalId: data.proposalId,
        specId: data.specId,
        openedByPersonId: actor.personId,
        openedByOrganisationId: actor.organisationId,
        openedAt: now.toISOString(),
        electorate,
        weighting: data.weighting,
        quorumPercent: data.quorumPercent,
        thresholdPercent: data.thresholdPercent,
        thresholdBasis: data.thresholdBasis,
        blockVetoes: data.blockVetoes,
        closesAt: closesAt.toISOString(),
        resultsHidden: data.resultsHidden,
        ladderId: ladderId ?? null,
        stage: stage ?? null,
      },
    },
  ];
}

/** CONSULTATION_CLOSED when closed or at/after closesAt, else null. */
function refuseStances(state: OpenRound | ClosedRound, now: Date): DomainError | null {
  if (state.status === 'closed') return closedError(state, `was closed at ${state.closed.closedAt}`);
  if (now.getTime() >= Date.parse(state.closesAt)) return closedError(state, `closed at ${state.closesAt}`);
  return null;
}

function draftStance(command: DraftStance, state: ConsultationState): Decision<ConsultationEvent> {
  const { data, metadata } = command;
  const { actor, now } = metadata;
  if (state.status === 'unopened') return notFound(data.consultationId);
  assertSameConsultation(state, data.consultationId);
  if (!hasAnyRole(actor, MEMBER_ROLES)) return forbidden('Drafting a stance takes a member, approver, coordinator or admin.');
  if (!state.weights.has(data.organisationId))
    return new DomainError('NOT_IN_ELECTORATE', `${data.organisationId} is not in the electorate of consultation ${state.consultationId}.`, 'organisationId');
  const ownOrganisation = actor.organisationId === data.organisationId;
  const mandated = !ownOrganisation && data.mandate !== null && data.mandate.grantorOrganisationId === data.organisationId;
  if (!ownOrganisation && !mandated)
    return new DomainError('FORBIDDEN', `${actor.organisationId} holds no valid mandate to draft for ${data.organisationId}.`, 'organisationId');
  const refused = refuseStances(state, now);
  if (refused) return refused;
  if (!isEntityId(data.draftId)) return new DomainError('INVALID_DRAFT_ID', `${JSON.stringify(data.draftId)} is not a draft id.`, 'draftId');
  if (!isStance(data.stance))
    return new DomainError('INVALID_STANCE', `A stance is approve, object, abstain or block; got ${JSON.stringify(data.stance)}.`, 'stance');
  let reason: string | null = null;
  if (data.reason !== null && data.reason !== undefined) {
    reason = cleanLabel(data.reason, MAX_REASON);
    if (reason === null && (typeof data.reason !== 'string' || data.reason.trim() !== ''))
      return new DomainError('INVALID_REASON', `A reason is at most ${MAX_REASON} characters, without control characters.`, 'reason');
  }
  if (reason === null && (data.stance === 'object' || data.stance === 'block'))
    return new DomainError('REASON_REQUIRED', `A stance of ${data.stance} needs a reason.`, 'reason');
  const drafted: StanceDraftedData = {
    consultationId: state.consultationId,
    draftId: data.draftId,
    organisationId: data.organisationId,
    castByOrganisationId: actor.organisationId,
    mandateId: mandated ? data.mandate!.mandateId : null,
    stance: data.stance,
    reason,
    draftedByPersonId: actor.personId,
  };
  const existing = state.drafts.get(data.draftId);
  if (existing !== undefined) {
    const { approved: _approved, ...same } = existing;
    const { consultationId: _id, ...asked } = drafted;
    // A retry of the same draft decides nothing; another draft under the same id is a conflict.
    if (JSON.stringify(same) === JSON.stringify(asked)) return [];
    return new DomainError('DRAFT_ALREADY_EXISTS', `Draft ${data.draftId} exists already with other content.`, 'draftId');
  }
  return [{ type: 'StanceDrafted', data: drafted }];
}

function approveStance(command: ApproveStance, state: ConsultationState): Decision<ConsultationEvent> {
  const { data, metadata } = command;
  const { actor, now } = metadata;
  if (state.status === 'unopened') return notFound(data.consultationId);
  assertSameConsultation(state, data.consultationId);
  const draft = state.drafts.get(data.draftId);
  if (draft === undefined)
    return new DomainError('DRAFT_NOT_FOUND', `Draft ${data.draftId} does not exist in consultation ${state.consultationId}.`, 'draftId');
  if (actor.organisationId !== draft.castByOrganisationId || !hasAnyRole(actor, APPROVER_ROLES))
    return forbidden(`Only an approver, coordinator or admin of ${draft.castByOrganisationId} approves draft ${draft.draftId}.`);
  if (draft.mandateId !== null && data.mandate?.mandateId !== draft.mandateId)
    return new DomainError(
      'MANDATE_NOT_VALID',
      `Mandate ${draft.mandateId} is revoked or expired; draft ${draft.draftId} can no longer be approved.`,
      'mandate',
    );
  if (draft.approved) return []; // approving twice (a retry) decides nothing
  const refused = refuseStances(state, now);
  if (refused) return refused;
  const { draftId, organisationId, castByOrganisationId, mandateId, stance, reason } = draft;
  return [
    {
      type: 'StanceCast',
      data: {
        consultationId: state.consultationId,
        draftId,
        organisationId,
        castByOrganisationId,
        mandateId,
        stance,
        reason,
        approvedByPersonId: actor.personId,
        supersedes: state.official.get(organisationId)?.stance ?? null,
      },
    },
  ];
}

function close(command: CloseConsultation, state: ConsultationState): Decision<ConsultationEvent> {
  const { data, metadata } = command;
  const { actor, now } = metadata;
  if (state.status === 'unopened') return notFound(data.consultationId);
  assertSameConsultation(state, data.consultationId);
  const due = now.getTime() >= Date.parse(state.closesAt);
  const openingCoordinator = actor.organisationId === state.openedByOrganisationId && actor.roles.includes('coordinator');
  const scheduler = actor.personId === SYSTEM_PERSON_ID && actor.roles.includes('coordinator');
  if (!(openingCoordinator || (due && scheduler)))
    return forbidden(
      due
        ? `Only the scheduler or a coordinator of ${state.openedByOrganisationId} closes consultation ${state.consultationId}.`
        : `Only a coordinator of ${state.openedByOrganisationId} closes consultation ${state.consultationId} early.`,
    );
  if (state.status === 'closed') return []; // idempotent: a second scheduler instance, or a retry
  let reason: string | null = null;
  if (!due) {
    reason = cleanLabel(data.reason, MAX_REASON);
    if (reason === null)
      return new DomainError('REASON_REQUIRED', `Closing before ${state.closesAt} needs a reason of at most ${MAX_REASON} characters.`, 'reason');
  }
  const final = tally(state.electorate, new Map([...state.official].map(([id, o]) => [id, o.stance])));
  return [
    {
      type: 'ConsultationClosed',
      data: {
        consultationId: state.consultationId,
        closedAt: now.toISOString(),
        early: !due,
        reason,
        closedByPersonId: actor.personId,
        tally: final,
        outcome: outcomeOf(final, state),
      },
    },
  ];
}

function inOpen(state: ConsultationState, event: ConsultationEvent): OpenRound {
  if (state.status !== 'open') throw new Error(`${event.type} in a consultation that is ${state.status}`);
  return state;
}

export function evolve(state: ConsultationState, event: ConsultationEvent): ConsultationState {
  switch (event.type) {
    case 'ConsultationOpened': {
      if (state.status !== 'unopened') throw new Error(`ConsultationOpened twice in ${state.consultationId}`);
      const { electorate } = event.data;
      return {
        ...event.data,
        status: 'open',
        weights: new Map(electorate.map((m) => [m.organisationId, m.weight])),
        drafts: new Map(),
        official: new Map(),
        running: emptyTally(electorate),
      };
    }
    case 'StanceDrafted': {
      const current = inOpen(state, event);
      const { consultationId: _id, ...draft } = event.data;
      return { ...current, drafts: new Map(current.drafts).set(draft.draftId, { ...draft, approved: false }) };
    }
    case 'StanceCast': {
      const current = inOpen(state, event);
      const { draftId, organisationId, castByOrganisationId, mandateId, stance, reason } = event.data;
      const weight = current.weights.get(organisationId);
      if (weight === undefined) throw new Error(`StanceCast for ${organisationId}, outside the electorate of ${current.consultationId}`);
      const previous = current.official.get(organisationId)?.stance ?? null;
      const draft = current.drafts.get(draftId);
      return {
        ...current,
        drafts: draft === undefined ? current.drafts : new Map(current.drafts).set(draftId, { ...draft, approved: true }),
        official: new Map(current.official).set(organisationId, { stance, reason, draftId, castByOrganisationId, mandateId }),
        running: applyStanceChange(current.running, weight, previous, stance),
      };
    }
    case 'ConsultationClosed': {
      const current = inOpen(state, event);
      const { closedAt, early, reason, tally: recorded, outcome } = event.data;
      return { ...current, status: 'closed', closed: { closedAt, early, reason, tally: recorded, outcome } };
    }
    default:
      return assertNever(event);
  }
}

export function decide(command: ConsultationCommand, state: ConsultationState): Decision<ConsultationEvent> {
  switch (command.type) {
    case 'OpenConsultation':
      return open(command, state);
    case 'DraftStance':
      return draftStance(command, state);
    case 'ApproveStance':
      return approveStance(command, state);
    case 'CloseConsultation':
      return close(command, state);
    default:
      return assertNever(command);
  }
}

export const initialState = (): ConsultationState => ({ status: 'unopened' });

export const consultationDecider: Decider<ConsultationState, ConsultationCommand, ConsultationEvent> = {
  category: CONSULTATION_CATEGORY,
  decide,
  evolve,
  initialState,
};
