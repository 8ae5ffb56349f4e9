/**
 * Who may see which history, decided once for the history, the activity feed and the "as of"
 * queries — with the same rules as the queries that read the read models:
 *
 * - a proposal never submitted (and every comment on it): its author organisation only, not even
 *   national admins (the decider's proposalVisibleTo); once submitted, everyone with a role;
 * - a mandate: its grantor and grantee organisations, and national admins and coordinators
 *   (libs/live's mandateVisibleTo, as the mandates query);
 * - everything else (organisations, specs, consultations, ladders, talent arrangements and pools):
 *   everyone with a role.
 *
 * Within a visible stream some entries are shown with part of them withheld (`redacted`):
 * - a stance draft (StanceDrafted): its stance and reason only to the drafting organisation (as
 *   `myDrafts`), always;
 * - an official stance (StanceCast) of a round whose results are hidden and that is still open:
 *   its stance and reason only to the voting or casting organisation (as `stances`); everyone
 *   sees them once the round is closed;
 * - a member added (MemberAdded): the name and e-mail address only to those allowed
 *   `organisation.readMembers` for that organisation;
 * - a talent candidate added: the name and file reference only to the organisers (any role of the
 *   proposer or the current host: `talent.readCandidates`);
 * - a pool person added: the name and file reference only to the pool's prefecture
 *   (`talentPool.readPeople`).
 * A redacted entry also withholds its correlation and causation ids: ids derived from them would
 * otherwise let a caller test guesses of the withheld content against the event's hash.
 *
 * Callers answer NOT_FOUND alike for a stream that does not exist and one the caller may not see.
 */
import { authorise } from '@kyogi/auth/permissions';
import { proposalVisibleTo, type ProposalVisibilityFacts } from '@kyogi/domain/proposals/proposals.decider';
import type { Actor } from '@kyogi/domain/shared/decider';
import { mandateVisibleTo } from '@kyogi/live/visibility';
import { NOTHING_WITHHELD, type Withheld } from './summaries';

/** The stream categories whose history may be asked for (`Category-id`). */
export const HISTORY_CATEGORIES = [
  'Proposal',
  'Consultation',
  'Spec',
  'Ladder',
  'TalentArrangement',
  'TalentPool',
  'Mandate',
  'Organisation',
  'Comment',
] as const;
export type HistoryCategory = (typeof HISTORY_CATEGORIES)[number];
export const isHistoryCategory = (value: string): value is HistoryCategory => (HISTORY_CATEGORIES as readonly string[]).includes(value);

/** What the rules need to know about one stream, read from the stream itself (stream-facts.ts). */
export type StreamFacts =
  | ({ readonly category: 'Proposal' } & ProposalVisibilityFacts)
  /** `proposal` null: a comment on a requirement of the spec version itself. */
  | { readonly category: 'Comment'; readonly proposal: ProposalVisibilityFacts | null }
  | { readonly category: 'Consultation'; readonly resultsHidden: boolean; readonly closed: boolean }
  | { readonly category: 'Mandate'; readonly grantorOrganisationId: string; readonly granteeOrganisationId: string }
  | { readonly category: 'Organisation'; readonly organisationId: string }
  /** The proposer and the current host: the organisers. */
  | { readonly category: 'TalentArrangement'; readonly organiserIds: readonly string[] }
  | { readonly category: 'TalentPool'; readonly prefectureOrganisationId: string }
  | { readonly category: 'Spec' | 'Ladder' }
  /** A stream of another kind (the seed marker, the audit checkpoints): shown by event type only. */
  | { readonly category: 'Other' };

/** Whether the actor may see the stream's history at all. */
export function streamVisibleTo(actor: Actor, facts: StreamFacts): boolean {
  if (actor.roles.length === 0) return false;
  switch (facts.category) {
    case 'Proposal':
      return proposalVisibleTo(facts, actor);
    case 'Comment':
      return facts.proposal === null || proposalVisibleTo(facts.proposal, actor);
    case 'Mandate':
      return mandateVisibleTo(actor, { grantorOrganisationId: facts.grantorOrganisationId, granteeOrganisationId: facts.granteeOrganisationId });
    default:
      return true;
  }
}

const own = (actor: Actor, ...organisationIds: unknown[]) => organisationIds.some((id) => typeof id === 'string' && id === actor.organisationId);

/** What an entry of a visible stream withholds from the actor. */
export function withheldFrom(actor: Actor, facts: StreamFacts, event: { readonly type: string; readonly data: Record<string, unknown> }): Withheld {
  const d = event.data ?? {};
  switch (facts.category) {
    case 'Consultation':
      if (event.type === 'StanceDrafted') return own(actor, d.castByOrganisationId) ? NOTHING_WITHHELD : { personalData: false, stance: true };
      if (event.type === 'StanceCast' && facts.resultsHidden && !facts.closed)
        return own(actor, d.organisationId, d.castByOrganisationId) ? NOTHING_WITHHELD : { personalData: false, stance: true };
      return NOTHING_WITHHELD;
    case 'Organisation':
      return event.type === 'MemberAdded' && !authorise('organisation.readMembers', actor, facts.organisationId).allowed
        ? { personalData: true, stance: false }
        : NOTHING_WITHHELD;
    case 'TalentArrangement':
      return event.type === 'TalentCandidateAdded' && !facts.organiserIds.some((id) => authorise('talent.readCandidates', actor, id).allowed)
        ? { personalData: true, stance: false }
        : NOTHING_WITHHELD;
    case 'TalentPool':
      return event.type === 'PoolPersonAdded' && !authorise('talentPool.readPeople', actor, facts.prefectureOrganisationId).allowed
        ? { personalData: true, stance: false }
        : NOTHING_WITHHELD;
    default:
      return NOTHING_WITHHELD;
  }
}

export const isRedacted = (withheld: Withheld): boolean => withheld.personalData || withheld.stance;

/**
 * Who may read an organisation's activity feed (what it did, across everything): its own people
 * and national admins and coordinators — the permission `audit.readActivity` with the
 * organisation as target. Each entry is then shown under the rules above.
 */
export const mayReadActivityOf = (actor: Actor, organisationId: string): boolean => authorise('audit.readActivity', actor, organisationId).allowed;
