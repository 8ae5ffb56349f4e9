import { clientAddress, rateLimitedHttpError, RateLimits } from './rate-limits';

describe('RateLimits (in memory)', () => {
  it('refuses an address beyond its points, with the seconds to wait', async () => {
    const limits = await RateLimits.start({ windowSeconds: 30, userPoints: 0, ipPoints: 3 });
    for (let i = 0; i < 3; i++) expect(await limits.consume({ address: '192.0.2.1', personId: null })).toEqual({ ok: true });
    const refused = await limits.consume({ address: '192.0.2.1', personId: null });
    expect(refused).toMatchObject({ ok: false, scope: 'address' });
    expect(refused.ok === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(29);
    expect(refused.ok === false && refused.retryAfterSeconds).toBeLessThanOrEqual(30);
    expect(await limits.consume({ address: '192.0.2.2', personId: null })).toEqual({ ok: true });
  });

  it('counts a signed-in person across addresses, and only signed-in requests against the person', async () => {
    const limits = await RateLimits.start({ windowSeconds: 60, userPoints: 2, ipPoints: 100 });
    expect(await limits.consume({ address: '192.0.2.1', personId: 'p-1' })).toEqual({ ok: true });
    expect(await limits.consume({ address: '192.0.2.2', personId: 'p-1' })).toEqual({ ok: true });
    expect(await limits.consume({ address: '192.0.2.3', personId: 'p-1' })).toMatchObject({ ok: false, scope: 'person' });
    expect(await limits.consume({ address: '192.0.2.3', personId: null })).toEqual({ ok: true });
    expect(await limits.consume({ address: '192.0.2.3', personId: 'p-2' })).toEqual({ ok: true });
  });

  it('does not limit when the points are 0', async () => {
    const limits = await RateLimits.start({ windowSeconds: 1, userPoints: 0, ipPoints: 0 });
    for (let i = 0; i < 1000; i++) expect((await limits.consume({ address: 'a', personId: 'p' })).ok).toBe(true);
  });

  it('becomes a 429 with Retry-After over HTTP', () => {
    const error = rateLimitedHttpError({ ok: false, scope: 'person', retryAfterSeconds: 12 });
    expect(error.extensions.code).toBe('RATE_LIMITED');
    const http = error.extensions.http as { status: number; headers: Map<string, string> };
    expect(http.status).toBe(429);
    expect([...http.headers]).toEqual([['retry-after', '12']]);
  });
});

describe('clientAddress', () => {
  const request = (forwarded: string | undefined, peer = '10.0.0.9') => ({
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
    socket: { remoteAddress: peer } as never,
  });

  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress(request('198.51.100.1'), 0)).toBe('10.0.0.9');
  });

  it('reads X-Forwarded-For from the right, one entry per trusted proxy', () => {
    expect(clientAddress(request('203.0.113.5'), 1)).toBe('203.0.113.5');
    // A client cannot choose its address by sending its own X-Forwarded-For: the proxy appends.
    expect(clientAddress(request('6.6.6.6, 203.0.113.5'), 1)).toBe('203.0.113.5');
    expect(clientAddress(request('203.0.113.5, 10.0.0.2'), 2)).toBe('203.0.113.5');
    expect(clientAddress(request(undefined), 2)).toBe('10.0.0.9');
  });
});
