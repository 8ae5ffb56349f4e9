import type { Actor } from '@kyogi/domain/shared/decider';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import { liveRooms } from './live-rooms';

const actor = (organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId: `p-${organisationId}`,
  organisationId,
  organisationKind,
  roles,
});

// 北海道 (010006) proposes; 016381 hosts and participates; 016390 participates.
const SCOPE = { phase: 'selection', termsVersion: '2', proposerOrganisationId: '010006', hostOrganisationId: '016381', organisationId: null };
const arrangementChange = (id: string, change: string, scope: Record<string, string | null> = SCOPE): ReadModelChange => ({
  entity: 'talentArrangement',
  id,
  change,
  position: '0000000000000001.0000000000000001',
  scope,
});

describe('the talent-arrangement room', () => {
  const rooms = liveRooms();
  const PROPOSER = actor('010006', 'prefecture', ['coordinator']);
  const HOST_STAFF = actor('016381', 'municipality', ['member']);
  const PARTICIPANT = actor('016390', 'municipality', ['approver']);
  const AUDITOR = actor('observer-example', 'observer', ['viewer']);

  const seen = (who: Actor, room: string, change: ReadModelChange) => {
    const parsed = rooms.parse(room);
    if (!parsed.ok) throw new Error(parsed.message);
    return rooms.matcher(parsed, who)(change);
  };

  it('is registered with the api', () => {
    expect(rooms.registered.map((k) => k.kind)).toContain('talent-arrangement');
  });

  it.each([
    ['the proposer', PROPOSER],
    ['a participant', PARTICIPANT],
    ['an auditor', AUDITOR],
  ])('lets %s join talent-arrangement:TA-1 and see its terms, consents and steps', async (_label, who) => {
    expect(await rooms.authoriseJoin(who, 'talent-arrangement:TA-1')).toMatchObject({ ok: true, room: 'talent-arrangement:TA-1' });
    for (const change of ['TalentArrangementProposed', 'TalentTermsChanged', 'TalentTermsConsented', 'TalentTermsAgreed', 'TalentCandidateSelected']) {
      expect(seen(who, 'talent-arrangement:TA-1', arrangementChange('TA-1', change))).toBe(true);
    }
    expect(seen(who, 'talent-arrangement:TA-1', arrangementChange('TA-2', 'TalentTermsConsented'))).toBe(false);
  });

  it("sends a candidate's addition to the organisers' members only", () => {
    const added = arrangementChange('TA-1', 'TalentCandidateAdded');
    expect([PROPOSER, HOST_STAFF, PARTICIPANT, AUDITOR].map((who) => seen(who, 'talent-arrangement:TA-1', added))).toEqual([true, true, false, false]);
  });

  it('keeps out a token without a Kyogi role, and refuses malformed ids', async () => {
    expect(await rooms.authoriseJoin(actor('016390', 'municipality', []), 'talent-arrangement:TA-1')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(rooms.parse('talent-arrangement:../x')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(rooms.parse('talentArrangement:TA-1')).toMatchObject({ ok: false, code: 'UNKNOWN_ROOM' });
  });

  it("sends an arrangement's changes to its own room only, and a pool's to none of these", () => {
    expect(rooms.roomsOf(arrangementChange('TA-1', 'TalentTermsChanged'))).toEqual(['talent-arrangement:TA-1']);
    expect(
      rooms.roomsOf({ entity: 'talentPool', id: 'HP-1', change: 'PoolPersonDispatched', position: '0000000000000001.0000000000000002', scope: {} }),
    ).toEqual([]);
  });
});
