import { TokenError, type TokenVerifier, type VerifiedIdentity } from '@kyogi/auth/token-verifier';
import { VerifiedTokenCache } from './verified-token-cache';

const identity = (personId: string, expiresAt: string): VerifiedIdentity => ({
  actor: { personId, organisationId: 'org-1', organisationKind: 'municipality', roles: ['member'] },
  displayName: personId,
  expiresAt: new Date(expiresAt),
});

/** A verifier that knows a few tokens and counts its calls. */
function countingVerifier(known: Record<string, VerifiedIdentity>): TokenVerifier & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    verify: async (token) => {
      calls.push(token);
      const found = known[token];
      if (!found) throw new TokenError('TOKEN_INVALID');
      return found;
    },
  };
}

describe('VerifiedTokenCache', () => {
  let now = new Date('2026-11-23T00:00:00Z');
  const clock = () => now;
  beforeEach(() => (now = new Date('2026-11-23T00:00:00Z')));

  it('verifies a token once and answers its identity again until it expires', async () => {
    const inner = countingVerifier({ a: identity('p-a', '2026-11-23T01:00:00Z') });
    const cache = new VerifiedTokenCache(inner, clock);
    expect(await cache.verify('a')).toBe(await cache.verify('a'));
    expect(inner.calls).toEqual(['a']);
    now = new Date('2026-11-23T00:59:59.999Z');
    await cache.verify('a');
    expect(inner.calls).toEqual(['a']);
  });

  it('asks the verifier again from the moment the token expires, and reports its refusal', async () => {
    const inner = countingVerifier({ a: identity('p-a', '2026-11-23T01:00:00Z') });
    const cache = new VerifiedTokenCache(inner, clock);
    await cache.verify('a');
    now = new Date('2026-11-23T01:00:00Z');
    inner.verify = async (token) => {
      inner.calls.push(token);
      throw new TokenError('TOKEN_EXPIRED');
    };
    await expect(cache.verify('a')).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(inner.calls).toEqual(['a', 'a']);
  });

  it('keeps no refusal: an invalid token is checked every time', async () => {
    const inner = countingVerifier({});
    const cache = new VerifiedTokenCache(inner, clock);
    await expect(cache.verify('forged')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(cache.verify('forged')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    expect(inner.calls).toEqual(['forged', 'forged']);
  });

  it('forgets the oldest token beyond its size', async () => {
    const later = '2026-11-23T01:00:00Z';
    const inner = countingVerifier({ a: identity('p-a', later), b: identity('p-b', later), c: identity('p-c', later) });
    const cache = new VerifiedTokenCache(inner, clock, 2);
    for (const token of ['a', 'b', 'c', 'b', 'c', 'a']) await cache.verify(token);
    expect(inner.calls).toEqual(['a', 'b', 'c', 'a']);
  });
});
