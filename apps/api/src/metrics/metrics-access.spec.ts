import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsAccess, metricsHandler } from './metrics-access';
import { KyogiMetrics } from './metrics';

const TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';

describe('metricsAccess', () => {
  it('is disabled when neither a token nor a network is configured (the production default)', () => {
    const access = metricsAccess({ token: null, allowFrom: [] });
    expect(access({ authorization: `Bearer ${TOKEN}`, remoteAddress: '127.0.0.1' })).toBe('disabled');
  });

  it('allows the exact bearer token and nothing close to it', () => {
    const access = metricsAccess({ token: TOKEN, allowFrom: [] });
    expect(access({ authorization: `Bearer ${TOKEN}`, remoteAddress: '203.0.113.9' })).toBe('allowed');
    expect(access({ authorization: `bearer ${TOKEN}` })).toBe('allowed');
    expect(access({ authorization: `Bearer ${TOKEN.slice(1)}` })).toBe('unauthorised');
    expect(access({ authorization: `Bearer ${TOKEN}x` })).toBe('unauthorised');
    expect(access({ authorization: TOKEN })).toBe('unauthorised');
    expect(access({ remoteAddress: '127.0.0.1' })).toBe('unauthorised');
  });

  it('allows addresses inside the configured networks, IPv4-mapped IPv6 included, and no others', () => {
    const access = metricsAccess({ token: null, allowFrom: ['10.0.0.0/8', 'fd00::/8', '127.0.0.1/32'] });
    expect(access({ remoteAddress: '10.42.3.7' })).toBe('allowed');
    expect(access({ remoteAddress: '::ffff:10.42.3.7' })).toBe('allowed');
    expect(access({ remoteAddress: 'fd12::1' })).toBe('allowed');
    expect(access({ remoteAddress: '127.0.0.1' })).toBe('allowed');
    expect(access({ remoteAddress: '127.0.0.2' })).toBe('forbidden');
    expect(access({ remoteAddress: '11.0.0.1' })).toBe('forbidden');
    expect(access({ remoteAddress: 'fe80::1' })).toBe('forbidden');
    expect(access({})).toBe('forbidden');
  });
});

describe('metricsHandler over HTTP', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const metrics = new KyogiMetrics();
    metrics.recordAppend('ok', 3, 0.004);
    server = createServer(metricsHandler(metrics, { token: TOKEN, allowFrom: [] }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers 401 with a Bearer challenge without the token', async () => {
    const response = await fetch(url);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await response.text()).not.toContain('kyogi_');
  });

  it('serves the exposition format with the token', async () => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('kyogi_event_store_appended_events_total{process="api"} 3');
    expect(text).toContain('kyogi_event_store_appends_total{outcome="ok",process="api"} 1');
  });

  it('refuses other methods', async () => {
    expect((await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
  });
});
