import type { Actor } from '@kyogi/domain/shared/decider';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import { liveRooms } from './live-rooms';

const actor = (organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId: `p-${organisationId}`,
  organisationId,
  organisationKind,
  roles,
});

const TALLY = JSON.stringify({ counts: { approve: 1 } });
const consultationChange = (id: string, change: string, scope: Record<string, string | null>): ReadModelChange => ({
  entity: 'consultation',
  id,
  change,
  position: '0000000000000001.0000000000000001',
  scope,
});

describe('the consultation room', () => {
  const rooms = liveRooms();

  it.each([
    ['a viewer of an observer', actor('observer-example', 'observer', ['viewer'])],
    ['a municipal member', actor('312011', 'municipality', ['member'])],
    ['a national coordinator', actor('digital-agency', 'national', ['admin', 'coordinator'])],
  ])('lets %s join consultation:K-1 and see its changes, without numbers while hidden', async (_label, who) => {
    expect(await rooms.authoriseJoin(who, 'consultation:K-1')).toMatchObject({ ok: true, room: 'consultation:K-1' });
    const parsed = rooms.parse('consultation:K-1');
    if (!parsed.ok) throw new Error(parsed.message);
    const sees = rooms.matcher(parsed, who);
    expect(sees(consultationChange('K-1', 'StanceCast', { resultsHidden: 'true', status: 'open', tally: null }))).toBe(true);
    expect(sees(consultationChange('K-1', 'StanceCast', { resultsHidden: 'false', status: 'open', tally: TALLY }))).toBe(true);
    // A hidden round's change that carried a tally would reach no one.
    expect(sees(consultationChange('K-1', 'StanceCast', { resultsHidden: 'true', status: 'open', tally: TALLY }))).toBe(false);
    expect(sees(consultationChange('K-2', 'StanceCast', { resultsHidden: 'false', status: 'open', tally: TALLY }))).toBe(false);
  });

  it('keeps out a token without a Kyogi role, and refuses malformed ids', async () => {
    expect(await rooms.authoriseJoin(actor('312011', 'municipality', []), 'consultation:K-1')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(rooms.parse('consultation:../x')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
  });

  it("sends a consultation's changes to its own room only", () => {
    expect(rooms.roomsOf(consultationChange('K-1', 'ConsultationOpened', { resultsHidden: 'true', status: 'open', tally: null }))).toEqual([
      'consultation:K-1',
    ]);
  });
});
