import type { Actor } from '@kyogi/domain/shared/decider';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import { RoomRegistry } from '@kyogi/live/rooms';
import { maySee } from '@kyogi/live/visibility';
import { liveRooms } from './live-rooms';
import { proposalRoom, type ProposalVisibilityLookup } from './proposal.rooms';

const actor = (organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId: `p-${organisationId}`,
  organisationId,
  organisationKind,
  roles,
});
const SAPPORO_STAFF = actor('011002', 'municipality', ['member']);
const SAPPORO_VIEWER = actor('011002', 'municipality', ['viewer']);
const HINOHARA_ADMIN = actor('133078', 'municipality', ['member', 'approver', 'admin']);
const NATIONAL_ADMIN = actor('digital-agency', 'national', ['admin', 'coordinator']);
const AUDITOR = actor('observer-example', 'observer', ['viewer']);
const NO_ROLES = actor('011002', 'municipality', []);

const proposals: Record<string, { authorOrganisationId: string; everSubmitted: boolean }> = {
  'P-DRAFT': { authorOrganisationId: '011002', everSubmitted: false },
  'P-SUBMITTED': { authorOrganisationId: '011002', everSubmitted: true },
};
const lookups: string[] = [];
const lookup: ProposalVisibilityLookup = async (id) => {
  lookups.push(id);
  return proposals[id] ?? null;
};
const rooms = new RoomRegistry({ visibleTo: maySee }).register(proposalRoom(lookup));

const change = (entity: 'proposal' | 'comment', type: string, isPublic: boolean): ReadModelChange => ({
  entity,
  id: entity === 'proposal' ? 'P-DRAFT' : 'C-1',
  change: type,
  position: '0000000000000001.0000000000000001',
  scope:
    entity === 'proposal'
      ? { specId: 'juminkiroku', authorOrganisationId: '011002', public: String(isPublic) }
      : { proposalId: 'P-DRAFT', specId: 'juminkiroku', authorOrganisationId: '011002', public: String(isPublic) },
});

describe('the proposal room', () => {
  it("lets only the author organisation (any role) into a draft's room, everyone with a role into a submitted one's", async () => {
    const verdicts = async (room: string) =>
      Promise.all(
        [SAPPORO_STAFF, SAPPORO_VIEWER, HINOHARA_ADMIN, NATIONAL_ADMIN, AUDITOR, NO_ROLES].map(async (who) => (await rooms.authoriseJoin(who, room)).ok),
      );
    expect(await verdicts('proposal:P-DRAFT')).toEqual([true, true, false, false, false, false]);
    expect(await verdicts('proposal:P-SUBMITTED')).toEqual([true, true, true, true, true, false]);
  });

  it("answers a missing proposal and another organisation's draft alike, and asks the read model at every join", async () => {
    lookups.length = 0;
    const draft = await rooms.authoriseJoin(NATIONAL_ADMIN, 'proposal:P-DRAFT');
    const missing = await rooms.authoriseJoin(NATIONAL_ADMIN, 'proposal:P-NONE');
    expect(draft).toEqual({ ok: false, code: 'FORBIDDEN', message: 'there is no proposal P-DRAFT that you may see' });
    expect(missing).toEqual({ ok: false, code: 'FORBIDDEN', message: 'there is no proposal P-NONE that you may see' });
    expect(lookups).toEqual(['P-DRAFT', 'P-NONE']);
  });

  it('refuses malformed ids before any lookup', async () => {
    lookups.length = 0;
    for (const room of ['proposal:', 'proposal:-x', 'proposal:a/b', `proposal:${'x'.repeat(65)}`]) {
      expect(await rooms.authoriseJoin(SAPPORO_STAFF, room)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    }
    expect(lookups).toEqual([]);
  });

  it('carries the changes of the proposal and of its comments, each filtered again by its own scope', () => {
    const parsed = rooms.parse('proposal:P-DRAFT');
    if (!parsed.ok) throw new Error(parsed.message);
    const drafted = change('proposal', 'ProposalDrafted', false);
    const commented = change('comment', 'CommentPosted', false);
    expect(rooms.roomsOf(drafted)).toEqual(['proposal:P-DRAFT']);
    expect(rooms.roomsOf(commented)).toEqual(['proposal:P-DRAFT']);
    expect(rooms.roomsOf({ ...drafted, entity: 'organisation' })).toEqual([]);
    // A member who joined once the proposal was public never hears of what was said while it was a draft.
    expect([SAPPORO_STAFF, HINOHARA_ADMIN].map((who) => rooms.matcher(parsed, who)(commented))).toEqual([true, false]);
    expect([SAPPORO_STAFF, HINOHARA_ADMIN].map((who) => rooms.matcher(parsed, who)(change('comment', 'CommentPosted', true)))).toEqual([true, true]);
  });

  it('is registered with the api, and refuses joins when the api was given no read models', async () => {
    const registry = liveRooms();
    expect(registry.registered.map((k) => k.kind)).toContain('proposal');
    expect(await registry.authoriseJoin(SAPPORO_STAFF, 'proposal:P-DRAFT')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});
