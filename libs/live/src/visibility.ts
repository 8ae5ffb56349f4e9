import type { Actor } from '@kyogi/domain/shared/decider';
import { authorise, type Operation } from '@kyogi/auth/permissions';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import { proposalVisibleTo } from '@kyogi/domain/proposals/proposals.decider';

/**
 * Which permission a change needs to be seen: a live client is told only about what it may read.
 * A change about people (members) is personal data; the rest of an organisation is public to
 * every signed-in role. Later contexts add their entities here.
 */
export function permissionToSee(change: Pick<ReadModelChange, 'entity' | 'change'>): Operation | null {
  switch (change.entity) {
    case 'organisation':
      return change.change === 'MemberAdded' || change.change === 'MemberRolesChanged' ? 'organisation.readMembers' : 'organisation.read';
    case 'spec':
      return 'spec.read'; // specs, versions and requirements are public to every signed-in role
    case 'proposal':
    case 'comment':
      return 'proposal.read'; // and, for a draft's changes and comments, its author organisation only: see maySee
    case 'consultation':
      return 'consultation.read'; // every role; a hidden round's changes carry no numbers (see withinScope)
    case 'ladder':
      return 'consultation.read'; // a ladder's stages and outcomes are as public as its rounds' results
    case 'mandate':
      return 'mandate.read'; // and only for its grantor and grantee organisations, national admins and coordinators: see withinScope
    case 'talentArrangement':
      return 'talent.read'; // every role; a candidate's addition only to the organisers (proposer, host): see talentChangeVisibleTo
    case 'talentPool':
      return 'talentPool.read'; // every role; a pool person's addition or capacity only to the pool's prefecture: see talentChangeVisibleTo
    default:
      return null; // unknown entities are seen by nobody
  }
}

export function maySee(actor: Actor, change: Pick<ReadModelChange, 'entity' | 'change' | 'id'> & { readonly scope?: ReadModelChange['scope'] }): boolean {
  const operation = permissionToSee(change);
  return operation !== null && authorise(operation, actor, change.id).allowed && withinScope(actor, change);
}

/**
 * A proposal that was never submitted, and every comment on it, is seen by its author
 * organisation only — no one else, not even national admins (the decider's proposalVisibleTo).
 * Decided on the change's own scope (`authorOrganisationId`, and `public`: 'true' once submitted,
 * always for a comment on the spec version itself), never by a lookup; no scope, no one.
 */
function withinScope(actor: Actor, change: { readonly entity: string; readonly change: string; readonly scope?: ReadModelChange['scope'] }): boolean {
  if (change.entity === 'mandate') return mandateVisibleTo(actor, change.scope);
  if (change.entity === 'talentArrangement' || change.entity === 'talentPool') return talentChangeVisibleTo(actor, change);
  if (change.entity === 'consultation' && change.change === 'StanceDrafted') return draftVisibleTo(actor, change.scope);
  if (change.entity === 'consultation') return !change.scope || visibleTally(change.scope) !== null || !change.scope.tally;
  if (change.entity !== 'proposal' && change.entity !== 'comment') return true;
  const { scope } = change;
  if (!scope) return false;
  const authorOrganisationId = typeof scope.authorOrganisationId === 'string' ? scope.authorOrganisationId : '';
  return proposalVisibleTo({ authorOrganisationId, everSubmitted: scope.public === 'true' }, actor);
}

/**
 * The tally a consultation change carries (`scope.tally`, JSON), or null. A round with hidden
 * results (`scope.resultsHidden` 'true') that is not closed (`scope.status`) shows no numbers in
 * any notification: its projection never puts them in the scope, and a change that carried them
 * anyway would reach no one (maySee refuses it).
 */
export function visibleTally(scope: ReadModelChange['scope']): string | null {
  const tally = scope.tally;
  if (typeof tally !== 'string' || tally === '') return null;
  if (scope.resultsHidden !== 'false' && scope.status !== 'closed') return null;
  return tally;
}

/**
 * A stance draft is the business of the organisation that drafted it (`scope.draftingOrganisationId`:
 * its approver decides on it) and of the organisation it is for (`scope.organisationId`: the
 * grantor, when the draft is made under a mandate) — any role of either, no one else, not even
 * national admins (the drafts query shows them to the drafting organisation only). No scope, no one.
 */
export function draftVisibleTo(actor: Actor, scope: ReadModelChange['scope'] | undefined): boolean {
  if (!scope || actor.roles.length === 0) return false;
  const own = (organisationId: string | null | undefined) =>
    typeof organisationId === 'string' && organisationId !== '' && organisationId === actor.organisationId;
  return own(scope.draftingOrganisationId) || own(scope.organisationId);
}

/**
 * A mandate (and each change of it) is seen by its grantor and grantee organisations and by
 * national admins and coordinators, decided on the change's scope (`grantorOrganisationId`,
 * `granteeOrganisationId`); no scope, only the national roles.
 */
export function mandateVisibleTo(actor: Actor, scope: ReadModelChange['scope'] | undefined): boolean {
  if (actor.organisationKind === 'national' && (actor.roles.includes('admin') || actor.roles.includes('coordinator'))) return true;
  if (!scope) return false;
  return actor.roles.length > 0 && (scope.grantorOrganisationId === actor.organisationId || scope.granteeOrganisationId === actor.organisationId);
}

/** Changes of an arrangement that every signed-in role sees: its terms, consents and steps. Any other (a candidate added) only its organisers. */
const PUBLIC_ARRANGEMENT_CHANGES: ReadonlySet<string> = new Set([
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
]);
/** Changes of a pool that every signed-in role sees; any other (a person added, a capacity changed) only the pool's prefecture. */
const PUBLIC_POOL_CHANGES: ReadonlySet<string> = new Set(['TalentPoolOpened', 'PoolPersonDispatched', 'PoolDispatchEnded']);

/**
 * Talent sharing: an arrangement's terms, consents and steps are public-sector records, seen by
 * every signed-in role. A change about a candidate (personal data, even though the change carries
 * no name) is seen by the organisers only — any role of the proposer or the host
 * (`scope.proposerOrganisationId`, `scope.hostOrganisationId`); a change about a pool's people by
 * the pool's prefecture only (`scope.prefectureOrganisationId`). Listed the other way round — the
 * public changes by name — so that a change type added later reaches the organisers only until
 * someone decides otherwise. No scope, no one beyond the public changes.
 */
export function talentChangeVisibleTo(
  actor: Actor,
  change: { readonly entity: string; readonly change: string; readonly scope?: ReadModelChange['scope'] },
): boolean {
  const { scope } = change;
  const own = (organisationId: string | null | undefined) =>
    actor.roles.length > 0 && typeof organisationId === 'string' && organisationId === actor.organisationId;
  if (change.entity === 'talentArrangement')
    return PUBLIC_ARRANGEMENT_CHANGES.has(change.change) || (!!scope && (own(scope.proposerOrganisationId) || own(scope.hostOrganisationId)));
  if (change.entity === 'talentPool') return PUBLIC_POOL_CHANGES.has(change.change) || (!!scope && own(scope.prefectureOrganisationId));
  return false;
}
