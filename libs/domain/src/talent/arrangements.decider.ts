import { Actor, assertNever, Decider, Decision, DomainError, OrganisationKind, Role } from '../shared/decider';
import { cleanLabel, isEntityId } from '../specs/input-rules';
import { dateInJapan, isCalendarDate, yearsLater } from './calendar';
import { CostTable, DEFAULT_SUBSIDY_PERCENT, MAX_DAYS_PER_MONTH, splitCost } from './cost-split';
import {
  ActivateTalentArrangement,
  AddTalentCandidate,
  ChangeTalentTerms,
  CompleteChecklistItem,
  ConsentToTalentTerms,
  DeclineTalentTerms,
  DefineTalentRequirements,
  EndTalentArrangement,
  LeaveTalentArrangement,
  ListTalentProblems,
  OpenTalentSelection,
  OrganisationLookup,
  ProposeTalentArrangement,
  SelectTalentCandidate,
  SetOnboardingChecklist,
  TalentArrangementCommand,
  TermsInput,
} from './arrangements.commands';
import {
  ArrangementPhase,
  ChecklistItem,
  TALENT_ARRANGEMENT_CATEGORY,
  TalentArrangementEvent,
  TalentProblem,
  TalentRequirement,
  TalentTermsChanged,
  Terms,
  TERMS_CHANGES,
  TermsChange,
  TermsParticipant,
} from './arrangements.events';

/**
 * One stream per talent-sharing arrangement (人材シェアリング): several organisations share one
 * hire, employed by a host, splitting its annual cost under a rule. Phases follow the MIC
 * guidebook:
 *
 *   unproposed ──propose──▶ problems (課題の特定) ──define requirements──▶ requirements (人材要件の定義)
 *     ──open selection──▶ selection (人材の選定) ──select a candidate*──▶ onboarding (受け入れ)
 *     ──activate* (checklist done, term started)──▶ active ──end──▶ ended
 *   (any phase ──end, with a reason when early──▶ ended)          * needs the current terms agreed
 *
 * Terms (term, annual cost, host, participants, split rule with its figures, subsidy share,
 * days per month per participant) are versioned: every change — the proposer's, or a participant
 * leaving — makes a new version and voids every consent given to an earlier one. Each participant
 * consents to one named version by an approver; when every current participant has consented to
 * the current version, TalentTermsAgreed follows and that version is in force. A participant may
 * decline a version with a reason (and later consent to that same version after all); a consent
 * stands for its version. Terms may change in any phase until ended — while active, the version
 * agreed before stays in force until the new one is agreed.
 *
 * Who may do what (the proposer and the host are "the organisers"):
 * - propose: a coordinator or admin of a municipality or prefecture. A municipality is among the
 *   participants; a prefecture (acting as coordinator) is among them or is the prefecture of at
 *   least one — and every terms version must keep it so (PROPOSER_NOT_INVOLVED);
 * - change the terms, define the requirements, open the selection: a coordinator or admin of the
 *   proposer;
 * - list its problems (課題): a member, approver, coordinator or admin of a participant, for its
 *   own organisation, until the selection opens;
 * - consent, decline, leave: an approver (決裁者) of that participant, for its own organisation
 *   only. Only 'approver': consenting commits the organisation's budget, which coordinators and
 *   admins (who run rounds and manage members) do not decide;
 * - add and select candidates, set the onboarding checklist, activate, end: a coordinator or
 *   admin of an organiser (the host employs the person, the proposer runs the arrangement);
 * - tick off a checklist item: any member, approver, coordinator or admin of an organiser.
 * Vendors, observers and national bodies take no part.
 *
 * Personal data: candidates carry a name and a reference only; later events name them by id.
 *
 * Checks run in this order: the stream's existence, the actor's permission, the phase, then the
 * input. Retries of a step already taken decide nothing.
 */

export type AnswerKind = 'consented' | 'declined';
export interface Answer {
  readonly kind: AnswerKind;
  /** The reason of a decline; null for a consent. */
  readonly reason: string | null;
  readonly byPersonId: string;
  readonly at: string;
}
export interface Candidate {
  readonly candidateId: string;
  readonly name: string;
  readonly reference: string;
}
export interface ChecklistProgress extends ChecklistItem {
  readonly done: boolean;
}

export interface TalentArrangement {
  readonly phase: ArrangementPhase;
  readonly arrangementId: string;
  readonly role: string;
  readonly skills: readonly string[];
  readonly proposer: Proposer;
  readonly termsVersion: number;
  readonly terms: Terms;
  readonly costTable: CostTable;
  /** Answers to the current terms version only: a new version starts with none. */
  readonly answers: ReadonlyMap<string, Answer>;
  /** The latest version every participant consented to (in force); null before the first agreement. */
  readonly agreedVersion: number | null;
  /** organisationId → its listed problems; kept when it leaves (requirements may cite them). */
  readonly problems: ReadonlyMap<string, readonly TalentProblem[]>;
  readonly requirements: readonly TalentRequirement[];
  readonly candidates: ReadonlyMap<string, Candidate>;
  readonly selectedCandidateId: string | null;
  readonly checklist: readonly ChecklistProgress[];
}
export type TalentArrangementState = { readonly phase: 'unproposed' } | TalentArrangement;

export interface Proposer {
  readonly organisationId: string;
  readonly kind: 'municipality' | 'prefecture';
  readonly prefectureCode: string | null;
}

export const MIN_PARTICIPANTS = 2;
export const MAX_TERM_YEARS = 5;
const MAX_ROLE = 100;
const MAX_SKILLS = 30;
const MAX_SKILL = 200;
const MAX_REASON = 2000;
const MAX_PROBLEMS = 30;
const MAX_REQUIREMENTS = 50;
const MAX_TEXT = 2000;
const MAX_CANDIDATES = 100;
const MAX_NAME = 100;
const MAX_REFERENCE = 100;
const MAX_CHECKLIST = 50;
const MAX_LABEL = 200;

const LOCAL_GOVERNMENTS: readonly OrganisationKind[] = ['municipality', 'prefecture'];
const RUNNING_ROLES: readonly Role[] = ['coordinator', 'admin'];
const MEMBER_ROLES: readonly Role[] = ['member', 'approver', 'coordinator', 'admin'];

const hasAnyRole = (actor: Actor, roles: readonly Role[]): boolean => actor.roles.some((role) => roles.includes(role));
const isProposerOfficer = (actor: Actor, state: TalentArrangement): boolean =>
  actor.organisationId === state.proposer.organisationId && hasAnyRole(actor, RUNNING_ROLES);
const isOrganiser = (actor: Actor, state: TalentArrangement, roles: readonly Role[]): boolean =>
  (actor.organisationId === state.proposer.organisationId || actor.organisationId === state.terms.hostOrganisationId) && hasAnyRole(actor, roles);
const isParticipant = (state: TalentArrangement, organisationId: string): boolean => state.terms.participants.some((p) => p.organisationId === organisationId);

const forbidden = (message: string, field?: string) => new DomainError('FORBIDDEN', message, field);
const notFound = (arrangementId: string) => new DomainError('ARRANGEMENT_NOT_FOUND', `Arrangement ${arrangementId} does not exist.`, 'arrangementId');
const endedError = (state: TalentArrangement) => new DomainError('ARRANGEMENT_ENDED', `Arrangement ${state.arrangementId} has ended.`);
const wrongPhase = (state: TalentArrangement, step: string, phases: readonly ArrangementPhase[]) =>
  new DomainError('WRONG_PHASE', `${step} belongs to the ${phases.join(' or ')} phase; arrangement ${state.arrangementId} is in ${state.phase}.`);
const notParticipant = (state: TalentArrangement, organisationId: string) =>
  new DomainError('NOT_A_PARTICIPANT', `${organisationId} is not a participant of terms version ${state.termsVersion}.`, 'organisationId');

// The handler picks the stream from data.arrangementId; a different id in the state is a bug there.
function assertSameArrangement(state: TalentArrangement, arrangementId: string): void {
  if (state.arrangementId !== arrangementId) throw new Error(`Command for arrangement ${arrangementId} decided against the stream of ${state.arrangementId}`);
}

/** The arrangement the command is about, or ARRANGEMENT_NOT_FOUND. */
function existing(state: TalentArrangementState, arrangementId: string): TalentArrangement | DomainError {
  if (state.phase === 'unproposed') return notFound(arrangementId);
  assertSameArrangement(state, arrangementId);
  return state;
}

/** Whether every current participant consented to the current version (it is in force). */
export const isAgreed = (state: TalentArrangementState): boolean => state.phase !== 'unproposed' && state.agreedVersion === state.termsVersion;

/** Current participants that have not consented to the current version, in terms order: the ones to chase. */
export function pendingConsents(state: TalentArrangementState): readonly string[] {
  if (state.phase === 'unproposed') return [];
  return state.terms.participants.map((p) => p.organisationId).filter((id) => state.answers.get(id)?.kind !== 'consented');
}

const withFieldPrefix = (error: DomainError, prefix: string): DomainError =>
  new DomainError(error.code, error.message, error.field === undefined ? undefined : `${prefix}${error.field}`);

function reasonOrError(value: unknown): string | DomainError {
  return cleanLabel(value, MAX_REASON) ?? new DomainError('REASON_REQUIRED', `A reason of at most ${MAX_REASON} characters is required.`, 'reason');
}

function lookupLocalGovernment(lookup: readonly OrganisationLookup[], organisationId: string, field: string): OrganisationLookup | DomainError {
  const found = Array.isArray(lookup) ? lookup.find((o) => o?.organisationId === organisationId) : undefined;
  if (found === undefined) return new DomainError('UNKNOWN_ORGANISATION', `${organisationId} is not a registered organisation.`, field);
  if (!found.active) return new DomainError('ORGANISATION_INACTIVE', `${organisationId} is not active.`, field);
  if (!LOCAL_GOVERNMENTS.includes(found.kind))
    return new DomainError('NOT_A_LOCAL_GOVERNMENT', `${organisationId} is a ${found.kind}; only municipalities and prefectures share a hire.`, field);
  return found;
}

/**
 * The rules every terms version obeys, whoever makes it: at least MIN_PARTICIPANTS, some days
 * allotted but no more than one person's month, the proposer involved, and a valid split.
 */
function completeTerms(terms: Terms, proposer: Proposer): { terms: Terms; costTable: CostTable } | DomainError {
  if (terms.participants.length < MIN_PARTICIPANTS)
    return new DomainError('TOO_FEW_PARTICIPANTS', `A shared hire has at least ${MIN_PARTICIPANTS} participants.`, 'terms.participants');
  const days = terms.participants.reduce((sum, p) => sum + p.daysPerMonth, 0);
  if (days < 1 || days > MAX_DAYS_PER_MONTH)
    return new DomainError(
      'INVALID_ALLOTMENT',
      `The participants' days per month add up to ${days}; one person's month holds 1 to ${MAX_DAYS_PER_MONTH}.`,
      'terms.participants',
    );
  const involved =
    terms.participants.some((p) => p.organisationId === proposer.organisationId) ||
    (proposer.kind === 'prefecture' && proposer.prefectureCode !== null && terms.participants.some((p) => p.prefectureCode === proposer.prefectureCode));
  if (!involved)
    return new DomainError(
      'PROPOSER_NOT_INVOLVED',
      proposer.kind === 'municipality'
        ? `The proposing municipality ${proposer.organisationId} stays one of the participants.`
        : `The proposing prefecture ${proposer.organisationId} stays a participant or the prefecture of at least one participant.`,
      'terms.participants',
    );
  const costTable = splitCost(terms);
  if (costTable instanceof DomainError) return withFieldPrefix(costTable, 'terms.');
  return { terms, costTable };
}

/** Validates terms as given in a command, enriched from the organisations lookup. */
function validTerms(input: TermsInput, lookup: readonly OrganisationLookup[], proposer: Proposer): { terms: Terms; costTable: CostTable } | DomainError {
  const t = (input ?? {}) as Partial<TermsInput>;
  if (!isCalendarDate(t.startDate))
    return new DomainError('INVALID_START_DATE', `startDate is a date YYYY-MM-DD; got ${JSON.stringify(t.startDate)}.`, 'terms.startDate');
  if (!isCalendarDate(t.endDate))
    return new DomainError('INVALID_END_DATE', `endDate is a date YYYY-MM-DD; got ${JSON.stringify(t.endDate)}.`, 'terms.endDate');
  if (t.endDate < t.startDate) return new DomainError('INVALID_END_DATE', `The term ends (${t.endDate}) before it starts (${t.startDate}).`, 'terms.endDate');
  if (t.endDate >= yearsLater(t.startDate, MAX_TERM_YEARS))
    return new DomainError('TERM_TOO_LONG', `A term lasts less than ${MAX_TERM_YEARS} years; renew it with new terms.`, 'terms.endDate');
  if (!isEntityId(t.hostOrganisationId))
    return new DomainError('INVALID_ORGANISATION_ID', `${JSON.stringify(t.hostOrganisationId)} is not an organisation id.`, 'terms.hostOrganisationId');
  const host = lookupLocalGovernment(lookup, t.hostOrganisationId, 'terms.hostOrganisationId');
  if (host instanceof DomainError) return host;
  const given = Array.isArray(t.participants) ? t.participants : [];
  // The split validates ids, duplicates, figures and money first, so its field names come first too.
  const split = splitCost({
    annualCostYen: t.annualCostYen as number,
    subsidyPercent: t.subsidyPercent ?? DEFAULT_SUBSIDY_PERCENT,
    splitRule: t.splitRule as Terms['splitRule'],
    participants: given.map((p) => ({ organisationId: p?.organisationId, population: p?.population ?? null, daysPerMonth: p?.daysPerMonth ?? null })),
  });
  if (split instanceof DomainError) return withFieldPrefix(split, 'terms.');
  const participants: TermsParticipant[] = [];
  for (const [i, p] of given.entries()) {
    const at = `terms.participants[${i}]`;
    if (typeof p.daysPerMonth !== 'number')
      return new DomainError('MISSING_DAYS_PER_MONTH', `${at}: every participant has its days per month (0 or more).`, `${at}.daysPerMonth`);
    const organisation = lookupLocalGovernment(lookup, p.organisationId, `${at}.organisationId`);
    if (organisation instanceof DomainError) return organisation;
    participants.push({
      organisationId: p.organisationId,
      prefectureCode: organisation.prefectureCode,
      population: p.population ?? null,
      daysPerMonth: p.daysPerMonth,
    });
  }
  return completeTerms(
    {
      startDate: t.startDate,
      endDate: t.endDate,
      annualCostYen: split.annualCostYen,
      hostOrganisationId: t.hostOrganisationId,
      participants,
      splitRule: split.splitRule,
      subsidyPercent: split.subsidyPercent,
    },
    proposer,
  );
}

/** What `after` changes against `before`, in TERMS_CHANGES order; empty when they are the same terms. */
export function termsChanges(before: Terms, after: Terms): readonly TermsChange[] {
  const changed = new Set<TermsChange>();
  const ids = (terms: Terms) => terms.participants.map((p) => p.organisationId);
  // Order counts: it breaks rounding ties.
  const [a, b] = [ids(before), ids(after)];
  if (a.length !== b.length || a.some((id, i) => id !== b[i])) changed.add('participants');
  if (before.hostOrganisationId !== after.hostOrganisationId) changed.add('host');
  if (before.annualCostYen !== after.annualCostYen) changed.add('cost');
  if (before.startDate !== after.startDate || before.endDate !== after.endDate) changed.add('term');
  if (before.splitRule !== after.splitRule) changed.add('split');
  if (before.subsidyPercent !== after.subsidyPercent) changed.add('subsidy');
  const previous = new Map(before.participants.map((p) => [p.organisationId, p]));
  for (const p of after.participants) {
    const q = previous.get(p.organisationId);
    if (q === undefined) continue;
    if (q.daysPerMonth !== p.daysPerMonth) changed.add('allotment');
    if (q.population !== p.population) changed.add('split'); // the figures the split may weigh
  }
  return TERMS_CHANGES.filter((change) => changed.has(change));
}

function newVersion(
  state: TalentArrangement,
  next: { terms: Terms; costTable: CostTable },
  changes: readonly TermsChange[],
  reason: string,
  actor: Actor,
  now: Date,
): TalentTermsChanged {
  const before = new Set(state.terms.participants.map((p) => p.organisationId));
  const after = new Set(next.terms.participants.map((p) => p.organisationId));
  return {
    type: 'TalentTermsChanged',
    data: {
      arrangementId: state.arrangementId,
      termsVersion: state.termsVersion + 1,
      terms: next.terms,
      costTable: next.costTable,
      changes: [...changes],
      joinedOrganisationIds: [...after].filter((id) => !before.has(id)),
      leftOrganisationIds: [...before].filter((id) => !after.has(id)),
      voidedConsents: [...before].filter((id) => state.answers.get(id)?.kind === 'consented'),
      reason,
      changedByPersonId: actor.personId,
      changedByOrganisationId: actor.organisationId,
      changedAt: now.toISOString(),
    },
  };
}

function validLabels(values: unknown, max: number, most: number, code: string, field: string, what: string): string[] | DomainError {
  if (!Array.isArray(values) || values.length === 0 || values.length > most) return new DomainError(code, `Give 1 to ${most} ${what}.`, field);
  const labels: string[] = [];
  for (const [i, value] of values.entries()) {
    const label = cleanLabel(value, max);
    if (label === null) return new DomainError(code, `${field}[${i}]: at most ${max} characters, not blank.`, `${field}[${i}]`);
    if (labels.includes(label)) return new DomainError(code, `${field}[${i}] repeats ${JSON.stringify(label)}.`, `${field}[${i}]`);
    labels.push(label);
  }
  return labels;
}

const sameStrings = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function propose(command: ProposeTalentArrangement, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const { data, metadata } = command;
  const { actor, now } = metadata;
  if (!(LOCAL_GOVERNMENTS.includes(actor.organisationKind) && hasAnyRole(actor, RUNNING_ROLES)))
    return forbidden('Only a coordinator or admin of a municipality or prefecture proposes a talent-sharing arrangement.');
  if (state.phase !== 'unproposed') return new DomainError('ARRANGEMENT_ALREADY_EXISTS', `Arrangement ${state.arrangementId} exists already.`, 'arrangementId');
  if (!isEntityId(data.arrangementId))
    return new DomainError('INVALID_ARRANGEMENT_ID', `${JSON.stringify(data.arrangementId)} is not an arrangement id.`, 'arrangementId');
  const role = cleanLabel(data.role, MAX_ROLE);
  if (role === null) return new DomainError('INVALID_ROLE', `The role (e.g. CIO補佐官) is at most ${MAX_ROLE} characters, not blank.`, 'role');
  const skills = validLabels(data.skills, MAX_SKILL, MAX_SKILLS, 'INVALID_SKILLS', 'skills', 'skills sought');
  if (skills instanceof DomainError) return skills;
  const own = Array.isArray(data.organisations) ? data.organisations.find((o) => o?.organisationId === actor.organisationId) : undefined;
  if (own === undefined) return new DomainError('UNKNOWN_ORGANISATION', `The lookup lacks the proposer ${actor.organisationId}.`, 'organisations');
  const proposer: Proposer = { organisationId: actor.organisationId, kind: actor.organisationKind as Proposer['kind'], prefectureCode: own.prefectureCode };
  const valid = validTerms(data.terms, data.organisations, proposer);
  if (valid instanceof DomainError) return valid;
  return [
    {
      type: 'TalentArrangementProposed',
      data: {
        arrangementId: data.arrangementId,
        role,
        skills,
        proposerOrganisationId: proposer.organisationId,
        proposerKind: proposer.kind,
        proposerPrefectureCode: proposer.prefectureCode,
        proposedByPersonId: actor.personId,
        proposedAt: now.toISOString(),
        termsVersion: 1,
        terms: valid.terms,
        costTable: valid.costTable,
      },
    },
  ];
}

function changeTerms(command: ChangeTalentTerms, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const { data, metadata } = command;
  const current = existing(state, data.arrangementId);
  if (current instanceof DomainError) return current;
  if (!isProposerOfficer(metadata.actor, current))
    return forbidden(`Only a coordinator or admin of ${current.proposer.organisationId}, the proposer, changes the terms.`);
  if (current.phase === 'ended') return endedError(current);
  const next = validTerms(data.terms, data.organisations, current.proposer);
  if (next instanceof DomainError) return next;
  const changes = termsChanges(current.terms, next.terms);
  if (changes.length === 0) return []; // the same terms again (a retry): no new version, no consent voided
  const reason = reasonOrError(data.reason);
  if (reason instanceof DomainError) return reason;
  return [newVersion(current, next, changes, reason, metadata.actor, metadata.now)];
}

function leave(command: LeaveTalentArrangement, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const { data, metadata } = command;
  const { actor } = metadata;
  const current = existing(state, data.arrangementId);
  if (current instanceof DomainError) return current;
  if (actor.organisationId !== data.organisationId || !actor.roles.includes('approver'))
    return forbidden(`Only an approver (決裁者) of ${data.organisationId} takes it out of an arrangement.`, 'organisationId');
  if (current.phase === 'ended') return endedError(current);
  if (!isParticipant(current, data.organisationId)) return notParticipant(current, data.organisationId);
  const remaining = { ...current.terms, participants: current.terms.participants.filter((p) => p.organisationId !== data.organisationId) };
  const next = completeTerms(remaining, current.proposer);
  if (next instanceof DomainError) return next;
  const reason = reasonOrError(data.reason);
  if (reason instanceof DomainError) return reason;
  return [newVersion(current, next, termsChanges(current.terms, next.terms), reason, actor, metadata.now)];
}

/** The current version, when the participant answers it; otherwise why not. */
function answerable(command: ConsentToTalentTerms | DeclineTalentTerms, state: TalentArrangementState, verb: string): TalentArrangement | DomainError {
  const { data, metadata } = command;
  const { actor } = metadata;
  const current = existing(state, data.arrangementId);
  if (current instanceof DomainError) return current;
  if (actor.organisationId !== data.organisationId || !actor.roles.includes('approver'))
    return forbidden(`Only an approver (決裁者) of ${data.organisationId} ${verb} for it.`, 'organisationId');
  if (current.phase === 'ended') return endedError(current);
  if (!isParticipant(current, data.organisationId)) return notParticipant(current, data.organisationId);
  if (data.termsVersion !== current.termsVersion)
    return new DomainError(
      'TERMS_VERSION_STALE',
      `Terms version ${JSON.stringify(data.termsVersion)} is not the current one (${current.termsVersion}); only the current version can be answered.`,
      'termsVersion',
    );
  return current;
}

function consent(command: ConsentToTalentTerms, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const current = answerable(command, state, 'consents');
  if (current instanceof DomainError) return current;
  const { data, metadata } = command;
  if (current.answers.get(data.organisationId)?.kind === 'consented') return [];
  const at = metadata.now.toISOString();
  const events: TalentArrangementEvent[] = [
    {
      type: 'TalentTermsConsented',
      data: {
        arrangementId: current.arrangementId,
        termsVersion: current.termsVersion,
        organisationId: data.organisationId,
        consentedByPersonId: metadata.actor.personId,
        consentedAt: at,
      },
    },
  ];
  const participants = current.terms.participants.map((p) => p.organisationId);
  if (participants.every((id) => id === data.organisationId || current.answers.get(id)?.kind === 'consented'))
    events.push({
      type: 'TalentTermsAgreed',
      data: { arrangementId: current.arrangementId, termsVersion: current.termsVersion, organisationIds: participants, agreedAt: at },
    });
  return events;
}

function decline(command: DeclineTalentTerms, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const current = answerable(command, state, 'declines');
  if (current instanceof DomainError) return current;
  const { data, metadata } = command;
  const answer = current.answers.get(data.organisationId);
  if (answer?.kind === 'consented')
    return new DomainError(
      'ALREADY_CONSENTED',
      `${data.organisationId} consented to version ${current.termsVersion}; a consent stands for its version (leave the arrangement instead).`,
      'termsVersion',
    );
  const reason = reasonOrError(data.reason);
  if (reason instanceof DomainError) return reason;
  if (answer?.kind === 'declined' && answer.reason === reason) return [];
  return [
    {
      type: 'TalentTermsDeclined',
      data: {
        arrangementId: current.arrangementId,
        termsVersion: current.termsVersion,
        organisationId: data.organisationId,
        reason,
        declinedByPersonId: metadata.actor.personId,
        declinedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function listProblems(command: ListTalentProblems, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const { data, metadata } = command;
  const { actor } = metadata;
  const current = existing(state, data.arrangementId);
  if (current instanceof DomainError) return current;
  if (actor.organisationId !== data.organisationId || !hasAnyRole(actor, MEMBER_ROLES))
    return forbidden(`Only a member, approver, coordinator or admin of ${data.organisationId} lists its problems.`, 'organisationId');
  if (current.phase !== 'problems' && current.phase !== 'requirements')
    return wrongPhase(current, 'Listing problems (課題の特定)', ['problems', 'requirements']);
  if (!isParticipant(current, data.organisationId)) return notParticipant(current, data.organisationId);
  if (!Array.isArray(data.problems) || data.problems.length === 0 || data.problems.length > MAX_PROBLEMS)
    return new DomainError('INVALID_PROBLEMS', `List 1 to ${MAX_PROBLEMS} problems.`, 'problems');
  const others = new Set([...current.problems].filter(([id]) => id !== data.organisationId).flatMap(([, list]) => list.map((p) => p.problemId)));
  const problems: TalentProblem[] = [];
  for (const [i, problem] of data.problems.entries()) {
    const { problemId, text } = (problem ?? {}) as Partial<TalentProblem>;
    if (!isEntityId(problemId))
      return new DomainError('INVALID_PROBLEM_ID', `problems[${i}]: ${JSON.stringify(problemId)} is not an id.`, `problems[${i}].problemId`);
    if (others.has(problemId) || problems.some((p) => p.problemId === problemId))
      return new DomainError('DUPLICATE_PROBLEM_ID', `problems[${i}]: ${problemId} is taken in this arrangement.`, `problems[${i}].problemId`);
    const clean = cleanLabel(text, MAX_TEXT);
    if (clean === null) return new DomainError('INVALID_PROBLEM', `problems[${i}]: at most ${MAX_TEXT} characters, not blank.`, `problems[${i}].text`);
    problems.push({ problemId, text: clean });
  }
  const cited = new Set(current.requirements.flatMap((r) => r.problemIds));
  const dropped = (current.problems.get(data.organisationId) ?? []).find((p) => cited.has(p.problemId) && !problems.some((q) => q.problemId === p.problemId));
  if (dropped)
    return new DomainError(
      'PROBLEM_CITED',
      `Problem ${dropped.problemId} is cited by a requirement; redefine the requirements before dropping it.`,
      'problems',
    );
  const before = current.problems.get(data.organisationId);
  if (before && before.length === problems.length && before.every((p, i) => p.problemId === problems[i].problemId && p.text === problems[i].text)) return [];
  return [
    {
      type: 'TalentProblemsListed',
      data: { arrangementId: current.arrangementId, organisationId: data.organisationId, problems, listedByPersonId: actor.personId },
    },
  ];
}

function defineRequirements(command: DefineTalentRequirements, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const { data, metadata } = command;
  const current = existing(state, data.arrangementId);
  if (current instanceof DomainError) return current;
  if (!isProposerOfficer(metadata.actor, current))
    return forbidden(`Only a coordinator or admin of ${current.proposer.organisationId}, the proposer, defines the requirements.`);
  if (current.phase !== 'problems' && current.phase !== 'requirements')
    return wrongPhase(current, 'Defining requirements (人材要件の定義)', ['problems', 'requirements']);
  // 課題の特定 ends only when every participant has said what the hire is for.
  const silent = current.terms.participants.map((p) => p.organisationId).filter((id) => !current.problems.has(id));
  if (silent.length > 0) return new DomainError('PROBLEMS_MISSING', `No problems listed yet by ${silent.join(', ')}.`);
  if (!Array.isArray(data.requirements) || data.requirements.length === 0 || data.requirements.length > MAX_REQUIREMENTS)
    return new DomainError('INVALID_REQUIREMENTS', `Define 1 to ${MAX_REQUIREMENTS} requirements.`, 'requirements');
  const known = new Set([...current.problems.values()].flatMap((list) => list.map((p) => p.problemId)));
  const requirements: TalentRequirement[] = [];
  for (const [i, requirement] of data.requirements.entries()) {
    const at = `requirements[${i}]`;
    const { requirementId, text, problemIds } = (requirement ?? {}) as Partial<TalentRequirement>;
    if (!isEntityId(requirementId))
      return new DomainError('INVALID_REQUIREMENT_ID', `${at}: ${JSON.stringify(requirementId)} is not an id.`, `${at}.requirementId`);
    if (requirements.some((r) => r.requirementId === requirementId))
      return new DomainError('DUPLICATE_REQUIREMENT_ID', `${at}: ${requirementId} repeats.`, `${at}.requirementId`);
    const clean = cleanLabel(text, MAX_TEXT);
    if (clean === null) return new DomainError('INVALID_REQUIREMENT', `${at}: at most ${MAX_TEXT} characters, not blank.`, `${at}.text`);
    if (!Array.isArray(problemIds) || problemIds.length === 0)
      return new DomainError('UNKNOWN_PROBLEM', `${at}: a requirement answers at least one listed problem.`, `${at}.problemIds`);
    const unknown = problemIds.find((id) => !known.has(id));
    if (unknown !== undefined) return new DomainError('UNKNOWN_PROBLEM', `${at}: ${JSON.stringify(unknown)} is not a listed problem.`, `${at}.problemIds`);
    requirements.push({ requirementId, text: clean, problemIds: [...new Set(problemIds)] });
  }
  const same =
    current.phase === 'requirements' &&
    current.requirements.length === requirements.length &&
    current.requirements.every(
      (r, i) => r.requirementId === requirements[i].requirementId && r.text === requirements[i].text && sameStrings(r.problemIds, requirements[i].problemIds),
    );
  if (same) return [];
  return [{ type: 'TalentRequirementsDefined', data: { arrangementId: current.arrangementId, requirements, definedByPersonId: metadata.actor.personId } }];
}

function openSelection(command: OpenTalentSelection, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const { data, metadata } = command;
  const current = existing(state, data.arrangementId);
  if (current instanceof DomainError) return current;
  if (!isProposerOfficer(metadata.actor, current))
    return forbidden(`Only a coordinator or admin of ${current.proposer.organisationId}, the proposer, opens the selection.`);
  if (current.phase === 'selection') return [];
  if (current.phase !== 'requirements') return wrongPhase(current, 'Opening the selection (人材の選定)', ['requirements']);
  return [{ type: 'TalentSelectionOpened', data: { arrangementId: current.arrangementId, openedByPersonId: metadata.actor.personId } }];
}

function addCandidate(command: AddTalentCandidate, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const { data, metadata } = command;
  const current = existing(state, data.arrangementId);
  if (current instanceof DomainError) return current;
  if (!isOrganiser(metadata.actor, current, RUNNING_ROLES)) return forbidden('Only a coordinator or admin of the proposer or the host records candidates.');
  if (current.phase !== 'selection') return wrongPhase(current, 'Adding a candidate', ['selection']);
  if (!isEntityId(data.candidateId)) return new DomainError('INVALID_CANDIDATE_ID', `${JSON.stringify(data.candidateId)} is not an id.`, 'candidateId');
  const name = cleanLabel(data.name, MAX_NAME);
  if (name === null) return new DomainError('INVALID_NAME', `A candidate's name is at most ${MAX_NAME} characters, not blank.`, 'name');
  const reference = cleanLabel(data.reference, MAX_REFERENCE);
  if (reference === null)
    return new DomainError(
      'INVALID_REFERENCE',
      `The reference into the host's recruitment file is at most ${MAX_REFERENCE} characters, not blank.`,
      'reference',
    );
  const known = current.candidates.get(data.candidateId);
  if (known !== undefined) {
    if (known.name === name && known.reference === reference) return [];
    return new DomainError('CANDIDATE_ALREADY_EXISTS', `Candidate ${data.candidateId} exists already with other details.`, 'candidateId');
  }
  if (current.candidates.size >= MAX_CANDIDATES)
    return new DomainError('TOO_MANY_CANDIDATES', `An arrangement has at most ${MAX_CANDIDATES} candidates.`, 'candidateId');
  return [
    {
      type: 'TalentCandidateAdded',
      data: { arrangementId: current.arrangementId, candidateId: data.candidateId, name, reference, addedByPersonId: metadata.actor.personId },
    },
  ];
}

function selectCandidate(command: SelectTalentCandidate, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const { data, metadata } = command;
  const current = existing(state, data.arrangementId);
  if (current instanceof DomainError) return current;
  if (!isOrganiser(metadata.actor, current, RUNNING_ROLES)) return forbidden('Only a coordinator or admin of the proposer or the host selects the candidate.');
  if (current.phase === 'onboarding' && current.selectedCandidateId === data.candidateId) return [];
  if (current.phase !== 'selection') return wrongPhase(current, 'Selecting a candidate', ['selection']);
  if (!current.candidates.has(data.candidateId))
    return new DomainError('CANDIDATE_NOT_FOUND', `Candidate ${data.candidateId} is not a candidate of this arrangement.`, 'candidateId');
  // Selecting makes an offer that the participants pay for: they must have agreed to what they pay.
  if (!isAgreed(current))
    return new DomainError('TERMS_NOT_AGREED', `Terms version ${current.termsVersion} still waits for ${pendingConsents(current).join(', ')}.`);
  return [
    {
      type: 'TalentCandidateSelected',
      data: {
        arrangementId: current.arrangementId,
        candidateId: data.candidateId,
        termsVersion: current.termsVersion,
        selectedByPersonId: metadata.actor.personId,
        selectedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function setChecklist(command: SetOnboardingChecklist, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const { data, metadata } = command;
  const current = existing(state, data.arrangementId);
  if (current instanceof DomainError) return current;
  if (!isOrganiser(metadata.actor, current, RUNNING_ROLES))
    return forbidden('Only a coordinator or admin of the proposer or the host sets the onboarding checklist.');
  if (current.phase !== 'onboarding') return wrongPhase(current, 'The onboarding checklist (受け入れ)', ['onboarding']);
  if (!Array.isArray(data.items) || data.items.length === 0 || data.items.length > MAX_CHECKLIST)
    return new DomainError('INVALID_CHECKLIST', `A checklist has 1 to ${MAX_CHECKLIST} items.`, 'items');
  const items: ChecklistItem[] = [];
  for (const [i, item] of data.items.entries()) {
    const { itemId, label } = (item ?? {}) as Partial<ChecklistItem>;
    if (!isEntityId(itemId) || items.some((x) => x.itemId === itemId))
      return new DomainError('INVALID_CHECKLIST', `items[${i}]: ${JSON.stringify(itemId)} is not an id, or repeats.`, `items[${i}].itemId`);
    const clean = cleanLabel(label, MAX_LABEL);
    if (clean === null) return new DomainError('INVALID_CHECKLIST', `items[${i}]: a label is at most ${MAX_LABEL} characters, not blank.`, `items[${i}].label`);
    items.push({ itemId, label: clean });
  }
  if (current.checklist.length === items.length && current.checklist.every((x, i) => x.itemId === items[i].itemId && x.label === items[i].label)) return [];
  return [{ type: 'TalentChecklistSet', data: { arrangementId: current.arrangementId, items, setByPersonId: metadata.actor.personId } }];
}

function completeItem(command: CompleteChecklistItem, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const { data, metadata } = command;
  const current = existing(state, data.arrangementId);
  if (current instanceof DomainError) return current;
  if (!isOrganiser(metadata.actor, current, MEMBER_ROLES)) return forbidden('Only members of the proposer or the host tick off the onboarding checklist.');
  if (current.phase !== 'onboarding') return wrongPhase(current, 'The onboarding checklist (受け入れ)', ['onboarding']);
  const item = current.checklist.find((x) => x.itemId === data.itemId);
  if (item === undefined) return new DomainError('CHECKLIST_ITEM_NOT_FOUND', `${JSON.stringify(data.itemId)} is not on the checklist.`, 'itemId');
  if (item.done) return [];
  return [
    {
      type: 'TalentChecklistItemCompleted',
      data: {
        arrangementId: current.arrangementId,
        itemId: item.itemId,
        completedByPersonId: metadata.actor.personId,
        completedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function activate(command: ActivateTalentArrangement, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const { data, metadata } = command;
  const current = existing(state, data.arrangementId);
  if (current instanceof DomainError) return current;
  if (!isOrganiser(metadata.actor, current, RUNNING_ROLES))
    return forbidden('Only a coordinator or admin of the proposer or the host activates the arrangement.');
  if (current.phase === 'active') return [];
  if (current.phase !== 'onboarding') return wrongPhase(current, 'Activating', ['onboarding']);
  const open = current.checklist.filter((x) => !x.done).map((x) => x.itemId);
  if (current.checklist.length === 0 || open.length > 0)
    return new DomainError(
      'CHECKLIST_INCOMPLETE',
      current.checklist.length === 0 ? 'The onboarding checklist is not set.' : `Checklist items still open: ${open.join(', ')}.`,
    );
  if (!isAgreed(current))
    return new DomainError('TERMS_NOT_AGREED', `Terms version ${current.termsVersion} still waits for ${pendingConsents(current).join(', ')}.`);
  const today = dateInJapan(metadata.now);
  if (today < current.terms.startDate) return new DomainError('TERM_NOT_STARTED', `The term starts on ${current.terms.startDate}; today is ${today}.`);
  if (today > current.terms.endDate) return new DomainError('TERM_OVER', `The term ended on ${current.terms.endDate}; today is ${today}.`);
  return [
    {
      type: 'TalentArrangementActivated',
      data: {
        arrangementId: current.arrangementId,
        termsVersion: current.termsVersion,
        candidateId: current.selectedCandidateId as string,
        activatedByPersonId: metadata.actor.personId,
        activatedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function end(command: EndTalentArrangement, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  const { data, metadata } = command;
  const current = existing(state, data.arrangementId);
  if (current instanceof DomainError) return current;
  if (!isOrganiser(metadata.actor, current, RUNNING_ROLES)) return forbidden('Only a coordinator or admin of the proposer or the host ends the arrangement.');
  if (current.phase === 'ended') return []; // a retry
  const early = dateInJapan(metadata.now) < current.terms.endDate;
  let reason: string | null = null;
  if (early) {
    const given = reasonOrError(data.reason);
    if (given instanceof DomainError)
      return new DomainError('REASON_REQUIRED', `Ending before ${current.terms.endDate} needs a reason of at most ${MAX_REASON} characters.`, 'reason');
    reason = given;
  }
  return [
    {
      type: 'TalentArrangementEnded',
      data: {
        arrangementId: current.arrangementId,
        endedFromPhase: current.phase,
        early,
        reason,
        endedByPersonId: metadata.actor.personId,
        endedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function inArrangement(state: TalentArrangementState, event: TalentArrangementEvent): TalentArrangement {
  if (state.phase === 'unproposed') throw new Error(`${event.type} before TalentArrangementProposed`);
  return state;
}

export function evolve(state: TalentArrangementState, event: TalentArrangementEvent): TalentArrangementState {
  switch (event.type) {
    case 'TalentArrangementProposed': {
      if (state.phase !== 'unproposed') throw new Error(`TalentArrangementProposed twice in ${state.arrangementId}`);
      const d = event.data;
      return {
        phase: 'problems',
        arrangementId: d.arrangementId,
        role: d.role,
        skills: d.skills,
        proposer: { organisationId: d.proposerOrganisationId, kind: d.proposerKind, prefectureCode: d.proposerPrefectureCode },
        termsVersion: d.termsVersion,
        terms: d.terms,
        costTable: d.costTable,
        answers: new Map(),
        agreedVersion: null,
        problems: new Map(),
        requirements: [],
        candidates: new Map(),
        selectedCandidateId: null,
        checklist: [],
      };
    }
    case 'TalentTermsChanged': {
      const current = inArrangement(state, event);
      const { termsVersion, terms, costTable } = event.data;
      return { ...current, termsVersion, terms, costTable, answers: new Map() };
    }
    case 'TalentTermsConsented': {
      const current = inArrangement(state, event);
      const { organisationId, consentedByPersonId, consentedAt } = event.data;
      return {
        ...current,
        answers: new Map(current.answers).set(organisationId, { kind: 'consented', reason: null, byPersonId: consentedByPersonId, at: consentedAt }),
      };
    }
    case 'TalentTermsDeclined': {
      const current = inArrangement(state, event);
      const { organisationId, reason, declinedByPersonId, declinedAt } = event.data;
      return {
        ...current,
        answers: new Map(current.answers).set(organisationId, { kind: 'declined', reason, byPersonId: declinedByPersonId, at: declinedAt }),
      };
    }
    case 'TalentTermsAgreed':
      return { ...inArrangement(state, event), agreedVersion: event.data.termsVersion };
    case 'TalentProblemsListed': {
      const current = inArrangement(state, event);
      return { ...current, problems: new Map(current.problems).set(event.data.organisationId, event.data.problems) };
    }
    case 'TalentRequirementsDefined': {
      const current = inArrangement(state, event);
      return { ...current, phase: 'requirements', requirements: event.data.requirements };
    }
    case 'TalentSelectionOpened':
      return { ...inArrangement(state, event), phase: 'selection' };
    case 'TalentCandidateAdded': {
      const current = inArrangement(state, event);
      const { candidateId, name, reference } = event.data;
      return { ...current, candidates: new Map(current.candidates).set(candidateId, { candidateId, name, reference }) };
    }
    case 'TalentCandidateSelected':
      return { ...inArrangement(state, event), phase: 'onboarding', selectedCandidateId: event.data.candidateId };
    case 'TalentChecklistSet': {
      const current = inArrangement(state, event);
      const done = new Set(current.checklist.filter((x) => x.done).map((x) => x.itemId));
      return { ...current, checklist: event.data.items.map((item) => ({ ...item, done: done.has(item.itemId) })) };
    }
    case 'TalentChecklistItemCompleted': {
      const current = inArrangement(state, event);
      return { ...current, checklist: current.checklist.map((x) => (x.itemId === event.data.itemId ? { ...x, done: true } : x)) };
    }
    case 'TalentArrangementActivated':
      return { ...inArrangement(state, event), phase: 'active' };
    case 'TalentArrangementEnded':
      return { ...inArrangement(state, event), phase: 'ended' };
    default:
      return assertNever(event);
  }
}

export function decide(command: TalentArrangementCommand, state: TalentArrangementState): Decision<TalentArrangementEvent> {
  switch (command.type) {
    case 'ProposeTalentArrangement':
      return propose(command, state);
    case 'ChangeTalentTerms':
      return changeTerms(command, state);
    case 'LeaveTalentArrangement':
      return leave(command, state);
    case 'ConsentToTalentTerms':
      return consent(command, state);
    case 'DeclineTalentTerms':
      return decline(command, state);
    case 'ListTalentProblems':
      return listProblems(command, state);
    case 'DefineTalentRequirements':
      return defineRequirements(command, state);
    case 'OpenTalentSelection':
      return openSelection(command, state);
    case 'AddTalentCandidate':
      return addCandidate(command, state);
    case 'SelectTalentCandidate':
      return selectCandidate(command, state);
    case 'SetOnboardingChecklist':
      return setChecklist(command, state);
    case 'CompleteChecklistItem':
      return completeItem(command, state);
    case 'ActivateTalentArrangement':
      return activate(command, state);
    case 'EndTalentArrangement':
      return end(command, state);
    default:
      return assertNever(command);
  }
}

export const initialState = (): TalentArrangementState => ({ phase: 'unproposed' });

export const talentArrangementDecider: Decider<TalentArrangementState, TalentArrangementCommand, TalentArrangementEvent> = {
  category: TALENT_ARRANGEMENT_CATEGORY,
  decide,
  evolve,
  initialState,
};
