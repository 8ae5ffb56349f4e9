/**
 * The authorisation table: one entry per operation, one rule each. To add an operation, add an
 * entry; `Operation` follows from the keys, so every caller of `authorise` is type-checked
 * against the table.
 *
 * The actor always comes from a verified token. The target organisation, when an operation has
 * one, is the organisation the operation acts on (resolved by the caller, e.g. from the command).
 */
import type { Actor, OrganisationKind, Role } from '@kyogi/domain/shared/decider';

export type Authorisation = { readonly allowed: true } | { readonly allowed: false; readonly code: 'FORBIDDEN'; readonly reason: string };

/** A rule returns true when allowed, otherwise the reason it is not (a sentence safe to show a client). */
export type PermissionRule = (actor: Actor, targetOrganisationId: string | undefined) => true | string;

export interface Permission {
  readonly description: string;
  /** Whether the operation acts on one organisation, which the caller must then pass. */
  readonly target: 'required' | 'none';
  readonly rule: PermissionRule;
}

const hasRole = (actor: Actor, role: Role): boolean => actor.roles.includes(role);
const isKind = (actor: Actor, kind: OrganisationKind): boolean => actor.organisationKind === kind;
const isNationalAdmin = (actor: Actor): boolean => hasRole(actor, 'admin') && isKind(actor, 'national');

/** Public-sector records: anyone signed in with any Kyogi role (viewer is enough) may read. */
const anyRole: PermissionRule = (actor) => actor.roles.length > 0 || 'requires at least one Kyogi role (viewer is enough)';

/** Proposals (修文案): drafted, revised and withdrawn by members and above of any kind but observer (observers comment, they do not propose). */
const mayPropose: PermissionRule = (actor) =>
  (!isKind(actor, 'observer') && (['member', 'approver', 'coordinator', 'admin'] as const).some((role) => hasRole(actor, role))) ||
  'requires the member, approver, coordinator or admin role in an organisation that is not an observer';
/** Comments: anyone with a role other than viewer, of any organisation kind. */
const mayComment: PermissionRule = (actor) =>
  actor.roles.some((role) => role !== 'viewer') || 'requires a role other than viewer (member, approver, coordinator or admin)';

/** Talent sharing (人材シェアリング) is between local governments: municipalities and prefectures. */
const isLocalGovernment = (actor: Actor): boolean => isKind(actor, 'municipality') || isKind(actor, 'prefecture');
/** Runs an arrangement (proposer or host): a coordinator or admin of a local government (the decider checks which one). */
const organisesTalent: PermissionRule = (actor) =>
  (isLocalGovernment(actor) && (hasRole(actor, 'coordinator') || hasRole(actor, 'admin'))) ||
  'requires the coordinator or admin role in a municipality or prefecture';
/** Commits a participant's budget (決裁): an approver only, of a local government (the decider checks it is its own organisation). */
const answersForParticipant: PermissionRule = (actor) =>
  (isLocalGovernment(actor) && hasRole(actor, 'approver')) || 'requires the approver role (決裁者) in a municipality or prefecture';
/** Works on an arrangement's steps: a member, approver, coordinator or admin of a local government. */
const worksOnTalent: PermissionRule = (actor) =>
  (isLocalGovernment(actor) && (['member', 'approver', 'coordinator', 'admin'] as const).some((role) => hasRole(actor, role))) ||
  'requires the member, approver, coordinator or admin role in a municipality or prefecture';
/** Runs a talent pool: a coordinator or admin of a prefecture (the decider checks it is the pool's own). */
const runsTalentPool: PermissionRule = (actor) =>
  (isKind(actor, 'prefecture') && (hasRole(actor, 'coordinator') || hasRole(actor, 'admin'))) || 'requires the coordinator or admin role in a prefecture';
/** Personal data of one organisation's concern (candidates, pool people): anyone with a role in the target organisation. */
const ofTargetOrganisation: PermissionRule = (actor, target) =>
  (actor.organisationId === target && actor.roles.length > 0) || 'requires a role in that organisation';

export const PERMISSIONS = {
  'organisation.register': {
    description: 'Register a new organisation',
    target: 'none',
    rule: (actor) => isNationalAdmin(actor) || 'requires the admin role in a national organisation',
  },
  'organisation.addMember': {
    description: 'Add a person to an organisation',
    target: 'required',
    rule: (actor, target) =>
      (hasRole(actor, 'admin') && (actor.organisationId === target || isKind(actor, 'national'))) ||
      'requires the admin role in the target organisation or in a national organisation',
  },
  'organisation.changeMemberRoles': {
    description: "Change a person's roles in an organisation",
    target: 'required',
    rule: (actor, target) =>
      (hasRole(actor, 'admin') && (actor.organisationId === target || isKind(actor, 'national'))) ||
      'requires the admin role in the target organisation or in a national organisation',
  },
  'organisation.deactivate': {
    description: 'Deactivate an organisation (it keeps its history but no longer acts)',
    target: 'required',
    rule: (actor) => isNationalAdmin(actor) || 'requires the admin role in a national organisation',
  },
  'organisation.read': {
    description: 'Read organisations and their members',
    target: 'none',
    rule: anyRole,
  },
  'organisation.readMembers': {
    description: 'Read the people of an organisation (names, e-mails, roles): personal data',
    target: 'required',
    rule: (actor, target) =>
      (actor.organisationId === target && actor.roles.length > 0) ||
      (isKind(actor, 'national') && (hasRole(actor, 'admin') || hasRole(actor, 'coordinator'))) ||
      'requires a role in that organisation, or the admin or coordinator role in a national organisation',
  },
  'me.read': {
    description: 'Read who the caller is',
    target: 'none',
    rule: anyRole,
  },
  'spec.create': {
    description: "Create a standard specification (標準仕様書), owned by the creator's own organisation",
    target: 'none',
    rule: (actor) =>
      (isKind(actor, 'national') && (hasRole(actor, 'admin') || hasRole(actor, 'coordinator'))) ||
      'requires the admin or coordinator role in a national organisation',
  },
  'spec.publishVersion': {
    description: "Publish (import) a new version of a spec; the target is the spec's owner organisation",
    target: 'required',
    rule: (actor, target) =>
      (actor.organisationId === target && (hasRole(actor, 'admin') || hasRole(actor, 'coordinator'))) ||
      "requires the admin or coordinator role in the spec's owner organisation",
  },
  'spec.read': {
    description: 'Read specs, their versions and requirements',
    target: 'none',
    rule: anyRole,
  },
  'proposal.draft': {
    description: 'Draft a change proposal (修文案) against a published spec version',
    target: 'none',
    rule: mayPropose,
  },
  'proposal.revise': {
    description: "Revise a proposal (the decider also requires the author organisation's people)",
    target: 'none',
    rule: mayPropose,
  },
  'proposal.withdraw': {
    description: "Withdraw a proposal before a decision (the decider also requires the author organisation's people, approvers once submitted)",
    target: 'none',
    rule: mayPropose,
  },
  'proposal.submit': {
    description: "Submit a proposal: the author organisation's act (決裁); the target is the author organisation",
    target: 'required',
    rule: (actor, target) =>
      (actor.organisationId === target && (['approver', 'coordinator', 'admin'] as const).some((role) => hasRole(actor, role))) ||
      'requires the approver, coordinator or admin role in the author organisation',
  },
  'proposal.decide': {
    description: "Accept or reject a submitted proposal; the target is the spec's owner organisation",
    target: 'required',
    rule: (actor, target) =>
      (actor.organisationId === target && (hasRole(actor, 'coordinator') || hasRole(actor, 'admin'))) ||
      "requires the coordinator or admin role in the spec's owner organisation",
  },
  'proposal.read': {
    description: 'Read proposals, their revisions, diffs and comments (a draft only by its author organisation)',
    target: 'none',
    rule: anyRole,
  },
  'comment.post': {
    description: 'Comment on a proposal change or a requirement, or reply to a comment',
    target: 'none',
    rule: mayComment,
  },
  'comment.edit': {
    description: 'Edit one of your own comments (every edition is kept)',
    target: 'none',
    rule: mayComment,
  },
  'comment.retract': {
    description: 'Retract one of your own comments (it stays, marked as retracted)',
    target: 'none',
    rule: mayComment,
  },
  'comment.react': {
    description: 'Agree or disagree with a comment',
    target: 'none',
    rule: mayComment,
  },
  'comment.dispose': {
    description: "Give a comment a disposition (対応する, 修正して対応, …) and an answer; the target is the spec's owner organisation",
    target: 'required',
    rule: (actor, target) =>
      (actor.organisationId === target && hasRole(actor, 'coordinator')) || "requires the coordinator role in the spec's owner organisation",
  },
  'comment.importDispositions': {
    description:
      "Import the 対応区分 and 対応案 of an exported 意見照会 matrix as dispositions of its comments (as comment.dispose); the target is the spec's owner organisation",
    target: 'required',
    rule: (actor, target) =>
      (actor.organisationId === target && hasRole(actor, 'coordinator')) || "requires the coordinator role in the spec's owner organisation",
  },
  'consultation.open': {
    description: 'Open a consultation (round) on a submitted proposal: a coordinator of a national body or a prefecture',
    target: 'none',
    rule: (actor) =>
      ((isKind(actor, 'national') || isKind(actor, 'prefecture')) && hasRole(actor, 'coordinator')) ||
      'requires the coordinator role in a national organisation or a prefecture',
  },
  'consultation.draftStance': {
    description: "Draft a stance for one's organisation (or a mandating one); the decider checks the electorate and the mandate",
    target: 'none',
    rule: (actor) =>
      (['member', 'approver', 'coordinator', 'admin'] as const).some((role) => hasRole(actor, role)) ||
      'requires the member, approver, coordinator or admin role',
  },
  'consultation.approveStance': {
    description: "Approve a draft stance (決裁): it becomes the organisation's official stance; the decider checks the drafting organisation",
    target: 'none',
    rule: (actor) => (['approver', 'coordinator', 'admin'] as const).some((role) => hasRole(actor, role)) || 'requires the approver, coordinator or admin role',
  },
  'consultation.close': {
    description: 'Close a consultation early, with a reason (the decider requires a coordinator of the opening organisation)',
    target: 'none',
    rule: (actor) => hasRole(actor, 'coordinator') || 'requires the coordinator role',
  },
  'consultation.read': {
    description: 'Read consultations, their electorate and non-respondents (tallies and stances of a hidden round only after close)',
    target: 'none',
    rule: anyRole,
  },
  'ladder.choose': {
    description: "Choose a proposal's ratification ladder and open its first stage (the decider requires a coordinator or admin of the spec's owner)",
    target: 'none',
    rule: (actor) =>
      (isKind(actor, 'national') && (hasRole(actor, 'coordinator') || hasRole(actor, 'admin'))) ||
      'requires the coordinator or admin role in a national organisation',
  },
  'ladder.decide': {
    description: "Record a ladder's national decision, which accepts or rejects the proposal (the decider requires a coordinator or admin of the spec's owner)",
    target: 'none',
    rule: (actor) =>
      (isKind(actor, 'national') && (hasRole(actor, 'coordinator') || hasRole(actor, 'admin'))) ||
      'requires the coordinator or admin role in a national organisation',
  },
  'audit.verify': {
    description: 'Read the signed audit checkpoints and their keys, and verify the whole log (results name streams, never content)',
    target: 'none',
    rule: anyRole,
  },
  'audit.exportLog': {
    description: 'Download the whole event log (JSON Lines or CSV): it holds drafts and hidden stances, so a national admin only',
    target: 'none',
    rule: (actor) => isNationalAdmin(actor) || 'requires the admin role in a national organisation',
  },
  'audit.checkpoint': {
    description: 'Sign an audit checkpoint on demand (periodic ones are signed by the platform)',
    target: 'none',
    rule: (actor) => isNationalAdmin(actor) || 'requires the admin role in a national organisation',
  },
  'security.readLog': {
    description: 'Read the security log (refused attempts, e.g. acting for another organisation): who tried, from where, and why',
    target: 'none',
    rule: (actor) => isNationalAdmin(actor) || 'requires the admin role in a national organisation',
  },
  'mandate.grant': {
    description: "Mandate another organisation to cast one's stances (an admin or approver; the decider requires the actor's own organisation as grantor)",
    target: 'none',
    rule: (actor) => hasRole(actor, 'admin') || hasRole(actor, 'approver') || 'requires the admin or approver role',
  },
  'mandate.revoke': {
    description: 'Revoke a mandate, with a reason (the decider requires an admin or approver of the grantor)',
    target: 'none',
    rule: (actor) => hasRole(actor, 'admin') || hasRole(actor, 'approver') || 'requires the admin or approver role',
  },
  'mandate.read': {
    description: 'Read mandates: those of its own organisation (granted or held); national admins and coordinators read all',
    target: 'none',
    rule: anyRole,
  },
  'talent.propose': {
    description: 'Propose a talent-sharing arrangement (人材シェアリング); the decider requires the proposer among the participants or their prefecture',
    target: 'none',
    rule: organisesTalent,
  },
  'talent.changeTerms': {
    description: "Change an arrangement's terms: a new version that voids every earlier consent (the decider requires the proposer's coordinator or admin)",
    target: 'none',
    rule: organisesTalent,
  },
  'talent.leave': {
    description: "Take one's own organisation out of an arrangement, with a reason: a new terms version (the decider requires that participant's approver)",
    target: 'none',
    rule: answersForParticipant,
  },
  'talent.consent': {
    description: "Consent to a terms version for one's own organisation (決裁; the decider requires that participant's approver)",
    target: 'none',
    rule: answersForParticipant,
  },
  'talent.decline': {
    description: "Decline a terms version for one's own organisation, with a reason (the decider requires that participant's approver)",
    target: 'none',
    rule: answersForParticipant,
  },
  'talent.listProblems': {
    description: "List the problems the hire must solve for one's own organisation (課題の特定; the decider requires a participant)",
    target: 'none',
    rule: worksOnTalent,
  },
  'talent.defineRequirements': {
    description: "Define the hire's requirements from the listed problems (人材要件の定義; the decider requires the proposer's coordinator or admin)",
    target: 'none',
    rule: organisesTalent,
  },
  'talent.openSelection': {
    description: "Open the selection (人材の選定; the decider requires the proposer's coordinator or admin)",
    target: 'none',
    rule: organisesTalent,
  },
  'talent.addCandidate': {
    description: 'Record a candidate by name and reference only (the decider requires a coordinator or admin of the proposer or the host)',
    target: 'none',
    rule: organisesTalent,
  },
  'talent.selectCandidate': {
    description: 'Select the candidate under agreed terms (the decider requires a coordinator or admin of the proposer or the host)',
    target: 'none',
    rule: organisesTalent,
  },
  'talent.setChecklist': {
    description: 'Set the onboarding checklist (受け入れ; the decider requires a coordinator or admin of the proposer or the host)',
    target: 'none',
    rule: organisesTalent,
  },
  'talent.completeChecklistItem': {
    description: 'Tick off an onboarding checklist item (the decider requires a member or above of the proposer or the host)',
    target: 'none',
    rule: worksOnTalent,
  },
  'talent.activate': {
    description: 'Start the hire once the checklist is done and the terms agreed (the decider requires a coordinator or admin of the proposer or the host)',
    target: 'none',
    rule: organisesTalent,
  },
  'talent.end': {
    description: 'End an arrangement, with a reason before its term is over (the decider requires a coordinator or admin of the proposer or the host)',
    target: 'none',
    rule: organisesTalent,
  },
  'talent.read': {
    description: 'Read talent-sharing arrangements, their terms, cost tables, consents and steps, and compute cost splits (candidates: talent.readCandidates)',
    target: 'none',
    rule: anyRole,
  },
  'talent.readCandidates': {
    description: "Read an arrangement's candidates (names and references: personal data); the target is the proposer or the host",
    target: 'required',
    rule: ofTargetOrganisation,
  },
  'talentPool.open': {
    description: "Open a talent pool of people the caller's prefecture employs",
    target: 'none',
    rule: runsTalentPool,
  },
  'talentPool.addPerson': {
    description: "Add a person to a pool, by name and personnel-file reference, with a capacity (the decider requires the pool's prefecture)",
    target: 'none',
    rule: runsTalentPool,
  },
  'talentPool.changeCapacity': {
    description: "Change a pool person's capacity in days per month (the decider requires the pool's prefecture)",
    target: 'none',
    rule: runsTalentPool,
  },
  'talentPool.dispatch': {
    description:
      "Dispatch a pool person to a participant of an arrangement the prefecture hosts; over-allocation is refused (the decider requires the pool's prefecture)",
    target: 'none',
    rule: runsTalentPool,
  },
  'talentPool.endDispatch': {
    description: "End a dispatch early, with a reason (the decider requires the pool's prefecture)",
    target: 'none',
    rule: runsTalentPool,
  },
  'talentPool.read': {
    description: 'Read talent pools and their dispatches (people: talentPool.readPeople)',
    target: 'none',
    rule: anyRole,
  },
  'talentPool.readPeople': {
    description:
      "Read a pool's people (names and references: personal data); the target is the pool's prefecture, or for one dispatch the organisation it serves",
    target: 'required',
    rule: ofTargetOrganisation,
  },
  'audit.readHistory': {
    description:
      "Read the history of a proposal, consultation, spec, ladder, talent arrangement or pool, mandate or organisation, and read them as of a moment (each entity's own rules still apply: a draft only by its author organisation, a mandate by its parties)",
    target: 'none',
    rule: anyRole,
  },
  'audit.readActivity': {
    description: "Read an organisation's activity feed (what it did, across everything); the target is that organisation",
    target: 'required',
    rule: (actor, target) =>
      (actor.organisationId === target && actor.roles.length > 0) ||
      (isKind(actor, 'national') && (hasRole(actor, 'admin') || hasRole(actor, 'coordinator'))) ||
      'requires a role in that organisation, or the admin or coordinator role in a national organisation',
  },
} as const satisfies Record<string, Permission>;

export type Operation = keyof typeof PERMISSIONS;
export const OPERATIONS = Object.keys(PERMISSIONS) as Operation[];

const ALLOWED: Authorisation = Object.freeze({ allowed: true });
const forbidden = (reason: string): Authorisation => Object.freeze({ allowed: false, code: 'FORBIDDEN', reason });

export function authorise(operation: Operation, actor: Actor, targetOrganisationId?: string): Authorisation {
  if (!Object.hasOwn(PERMISSIONS, operation)) return forbidden(`unknown operation ${JSON.stringify(operation)}`);
  const permission: Permission = PERMISSIONS[operation];
  if (permission.target === 'required' && (typeof targetOrganisationId !== 'string' || targetOrganisationId === '')) {
    return forbidden(`${operation} needs a target organisation`);
  }
  const verdict = permission.rule(actor, targetOrganisationId);
  return verdict === true ? ALLOWED : forbidden(`${operation} ${verdict}`);
}
