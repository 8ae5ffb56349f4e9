import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { MetricsAccessConfig } from '../config/config';
import type { KyogiMetrics } from './metrics';

export type MetricsVerdict = 'allowed' | 'unauthorised' | 'forbidden' | 'disabled';

/**
 * Who may read /metrics: a scraper with the bearer token, or a client in an allowed network.
 * The address is the TCP peer's, never X-Forwarded-For: a header anyone can write must not open
 * the endpoint (scrapers reach instances directly, not through the proxy). With neither a token
 * nor a network configured the endpoint does not exist (404) — the production default.
 */
export function metricsAccess(config: MetricsAccessConfig): (request: { authorization?: string; remoteAddress?: string }) => MetricsVerdict {
  const networks = new BlockList();
  for (const cidr of config.allowFrom) {
    const [address, prefix] = cidr.split('/') as [string, string];
    networks.addSubnet(address, Number(prefix), isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
  // Compared as digests so that the comparison takes the same time whatever the length presented.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const expected = config.token === null ? null : digest(config.token);

  return ({ authorization, remoteAddress }) => {
    if (expected === null && config.allowFrom.length === 0) return 'disabled';
    const presented = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (expected && presented !== undefined && timingSafeEqual(digest(presented), expected)) return 'allowed';
    if (remoteAddress && config.allowFrom.length > 0) {
      // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d.
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress)?.[1];
      const address = mapped ?? remoteAddress;
      const family = isIP(address);
      if (family !== 0 && networks.check(address, family === 6 ? 'ipv6' : 'ipv4')) return 'allowed';
    }
    return expected ? 'unauthorised' : 'forbidden';
  };
}

/** The /metrics endpoint as a plain Node handler: mounted by the api (Express) and the projector (node:http) alike. */
export function metricsHandler(metrics: KyogiMetrics, config: MetricsAccessConfig): (req: IncomingMessage, res: ServerResponse) => void {
  const access = metricsAccess(config);
  return (req, res) => {
    const verdict = access({ authorization: req.headers.authorization, remoteAddress: req.socket.remoteAddress });
    if (verdict !== 'allowed') {
      const [status, body] = verdict === 'disabled' ? [404, 'Not Found'] : verdict === 'unauthorised' ? [401, 'Unauthorized'] : [403, 'Forbidden'];
      res.writeHead(status, {
        'content-type': 'text/plain; charset=utf-8',
        ...(verdict === 'unauthorised' ? { 'www-authenticate': 'Bearer realm="metrics"' } : {}),
      });
      res.end(`${body}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`metrics could not be collected: ${(error as Error).message}\n`);
      },
    );
  };
}
