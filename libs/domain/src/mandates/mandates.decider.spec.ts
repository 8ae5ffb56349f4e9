import fc from 'fast-check';
import { Actor } from '../shared/decider';
import { DeciderSpecification } from '../testing/decider-spec';
import { GrantMandate, GrantMandateData, RevokeMandate } from './mandates.commands';
import { mandateDecider, mandateLookupFor, MandateState, mandateValidFor } from './mandates.decider';
import { MandateEvent, MandateGranted, MandateGrantedData, MandateRevoked, mandateStreamName } from './mandates.events';

const spec = DeciderSpecification.for(mandateDecider);

const actor = (personId: string, organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId,
  organisationId,
  organisationKind,
  roles,
});
// 小樽市 (012033) mandates 北海道 (010006).
const otaruAdmin = actor('p-otaru-admin', '012033', 'municipality', ['admin']);
const otaruApprover = actor('p-otaru-approver', '012033', 'municipality', ['approver']);
const otaruMember = actor('p-otaru-member', '012033', 'municipality', ['member', 'coordinator']);
const hokkaidoAdmin = actor('p-hokkaido-admin', '010006', 'prefecture', ['admin', 'approver']);
const daAdmin = actor('p-da-admin', 'digital-agency', 'national', ['admin']);

const NOW = new Date('2025-05-01T00:00:00.000Z');
const EXPIRES = '2025-06-30T15:00:00.000Z';
const metadata = (by: Actor, now: Date = NOW) => ({ commandId: '01JQ7Z0000000000000000CMD1', now, actor: by });

const grantData: GrantMandateData = {
  mandateId: 'M1',
  grantorOrganisationId: '012033',
  granteeOrganisationId: '010006',
  scope: { kind: 'consultation', consultationId: 'C1' },
  expiresAt: EXPIRES,
};
const grantMandate = (data: Partial<GrantMandateData> = {}, by: Actor = otaruAdmin, now = NOW): GrantMandate => ({
  type: 'GrantMandate',
  data: { ...grantData, ...data },
  metadata: metadata(by, now),
});
const revokeMandate = (reason = '自ら回答するため', by: Actor = otaruApprover, now = new Date('2025-05-10T00:00:00Z')): RevokeMandate => ({
  type: 'RevokeMandate',
  data: { mandateId: 'M1', reason },
  metadata: metadata(by, now),
});
const granted = (data: Partial<MandateGrantedData> = {}): MandateGranted => ({
  type: 'MandateGranted',
  data: { ...grantData, grantedAt: '2025-05-01T00:00:00.000Z', grantedByPersonId: 'p-otaru-admin', ...data },
});
const revoked = (): MandateRevoked => ({
  type: 'MandateRevoked',
  data: { mandateId: 'M1', reason: '自ら回答するため', revokedAt: '2025-05-10T00:00:00.000Z', revokedByPersonId: 'p-otaru-approver' },
});
const fold = (events: readonly MandateEvent[]): MandateState => events.reduce(mandateDecider.evolve, mandateDecider.initialState());
const use = (at: string, consultationId = 'C1', domain: string | null = 'juminkiroku') => ({ consultationId, domain, at: new Date(at) });

describe('Mandate decider', () => {
  it('lives in streams named Mandate-<id>', () => {
    expect(mandateDecider.category).toBe('Mandate');
    expect(mandateStreamName('M1')).toBe('Mandate-M1');
  });

  describe('when the mandate is ungranted', () => {
    const given = spec.given([]);

    it('is granted by an admin or approver of the grantor organisation', () => {
      given.when(grantMandate()).then([granted()]);
      given.when(grantMandate({}, otaruApprover)).then([granted({ grantedByPersonId: 'p-otaru-approver' })]);
    });

    it('takes a domain scope and normalises expiresAt', () => {
      given
        .when(grantMandate({ scope: { kind: 'domain', domain: 'juminkiroku' }, expiresAt: '2025-07-01T00:00+09:00' }))
        .then([granted({ scope: { kind: 'domain', domain: 'juminkiroku' }, expiresAt: '2025-06-30T15:00:00.000Z' })]);
    });

    it.each([
      ['a member or coordinator of the grantor', otaruMember],
      ['the grantee (a mandate is given, not taken)', hokkaidoAdmin],
      ['a national admin', daAdmin],
    ])('is forbidden to %s', (_, by) => {
      given.when(grantMandate({}, by)).thenFails('FORBIDDEN', 'grantorOrganisationId');
    });

    it('refuses a mandate to oneself', () => {
      given.when(grantMandate({ granteeOrganisationId: '012033' })).thenFails('SELF_MANDATE', 'granteeOrganisationId');
    });

    it('validates ids, scope and expiry', () => {
      given.when(grantMandate({ mandateId: 'M 1' })).thenFails('INVALID_MANDATE_ID', 'mandateId');
      given.when(grantMandate({ granteeOrganisationId: '' })).thenFails('INVALID_ORGANISATION_ID', 'granteeOrganisationId');
      given.when(grantMandate({ scope: { kind: 'consultation', consultationId: '' } })).thenFails('INVALID_SCOPE', 'scope');
      given.when(grantMandate({ scope: { kind: 'domain', domain: 'Jumin Kiroku' } })).thenFails('INVALID_SCOPE', 'scope');
      given.when(grantMandate({ scope: { kind: 'everything' } as never })).thenFails('INVALID_SCOPE', 'scope');
      given.when(grantMandate({ expiresAt: '2025-05-01T00:00:00Z' })).thenFails('INVALID_EXPIRES_AT', 'expiresAt');
      given.when(grantMandate({ expiresAt: 'next month' })).thenFails('INVALID_EXPIRES_AT', 'expiresAt');
    });

    it('cannot be revoked', () => {
      given.when(revokeMandate()).thenFails('MANDATE_NOT_FOUND', 'mandateId');
    });

    it('is valid for nothing', () => {
      expect(mandateValidFor(fold([]), use('2025-05-02T00:00:00Z'))).toBe(false);
    });
  });

  describe('when the mandate is granted', () => {
    const given = spec.given([granted()]);

    it('cannot be granted again', () => {
      given.when(grantMandate()).thenFails('MANDATE_ALREADY_EXISTS', 'mandateId');
    });

    it('is revoked by an admin or approver of the grantor, with a trimmed reason, at any time', () => {
      given.when(revokeMandate(' 自ら回答するため ')).then([revoked()]);
      given.when(revokeMandate(undefined, otaruAdmin)).then([{ ...revoked(), data: { ...revoked().data, revokedByPersonId: 'p-otaru-admin' } }]);
    });

    it('needs a reason to revoke', () => {
      given.when(revokeMandate('　')).thenFails('INVALID_REASON', 'reason');
    });

    it('is not revoked by the grantee or a grantor member', () => {
      given.when(revokeMandate(undefined, hokkaidoAdmin)).thenFails('FORBIDDEN');
      given.when(revokeMandate(undefined, otaruMember)).thenFails('FORBIDDEN');
    });

    it('is valid for its consultation strictly before expiresAt', () => {
      const state = fold([granted()]);
      expect(mandateValidFor(state, use('2025-06-30T14:59:59.999Z'))).toBe(true);
      expect(mandateValidFor(state, use(EXPIRES))).toBe(false);
      expect(mandateValidFor(state, use('2025-05-02T00:00:00Z', 'C2'))).toBe(false);
    });

    it('with a domain scope is valid for any consultation on that domain', () => {
      const state = fold([granted({ scope: { kind: 'domain', domain: 'juminkiroku' } })]);
      expect(mandateValidFor(state, use('2025-05-02T00:00:00Z', 'C7'))).toBe(true);
      expect(mandateValidFor(state, use('2025-05-02T00:00:00Z', 'C7', 'koseki'))).toBe(false);
      expect(mandateValidFor(state, use('2025-05-02T00:00:00Z', 'C7', null))).toBe(false);
    });

    it('gives the DraftStance lookup only to the grantee', () => {
      const state = fold([granted()]);
      expect(mandateLookupFor(state, '010006', use('2025-05-02T00:00:00Z'))).toStrictEqual({ mandateId: 'M1', grantorOrganisationId: '012033' });
      expect(mandateLookupFor(state, '020001', use('2025-05-02T00:00:00Z'))).toBeNull();
      expect(mandateLookupFor(state, '010006', use(EXPIRES))).toBeNull();
    });
  });

  describe('when the mandate is revoked', () => {
    const given = spec.given([granted(), revoked()]);

    it('is no longer valid, even before its expiry', () => {
      expect(mandateValidFor(fold([granted(), revoked()]), use('2025-05-11T00:00:00Z'))).toBe(false);
      expect(mandateLookupFor(fold([granted(), revoked()]), '010006', use('2025-05-11T00:00:00Z'))).toBeNull();
    });

    it('revoking again decides nothing', () => {
      given.when(revokeMandate()).thenNothing();
    });

    it('cannot be granted again under the same id', () => {
      given.when(grantMandate()).thenFails('MANDATE_ALREADY_EXISTS', 'mandateId');
    });
  });

  it('property: valid exactly when granted, unrevoked, before expiry and in scope', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: -10_000, max: 10_000 }),
        fc.constantFrom('C1', 'C2'),
        fc.constantFrom<'consultation' | 'domain'>('consultation', 'domain'),
        fc.constantFrom('juminkiroku', 'koseki', null),
        (isRevoked, offsetMs, consultationId, kind, domain) => {
          const scope = kind === 'consultation' ? { kind, consultationId: 'C1' } : { kind, domain: 'juminkiroku' };
          const state = fold(isRevoked ? [granted({ scope }), revoked()] : [granted({ scope })]);
          const at = new Date(Date.parse(EXPIRES) + offsetMs);
          const inScope = kind === 'consultation' ? consultationId === 'C1' : domain === 'juminkiroku';
          expect(mandateValidFor(state, { consultationId, domain, at })).toBe(!isRevoked && offsetMs < 0 && inScope);
        },
      ),
    );
  });
});
