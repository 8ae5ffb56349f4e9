/**
 * Rate limits per signed-in person (the token's actor) and per client address, with
 * rate-limiter-flexible: in memory when there is no REDIS_URL, in Redis (one count per deployment,
 * shared by every instance) when there is. Counted: GraphQL requests over HTTP, graphql-ws
 * operations, socket.io connections and joins — each one point against the address and, when
 * signed in, one against the person.
 *
 * Should Redis fail, each instance falls back to counting in its own memory (same points and
 * window) rather than refusing everyone or letting everything through.
 */
import type { IncomingMessage } from 'node:http';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { GraphQLError } from 'graphql';
import type { ApiLimitsConfig } from '../config/config';

export type RateLimitVerdict = { readonly ok: true } | { readonly ok: false; readonly scope: 'person' | 'address'; readonly retryAfterSeconds: number };

export interface RateLimitKey {
  /** The client's address (see clientAddress). */
  readonly address: string;
  /** The signed-in person's id; null when anonymous. */
  readonly personId: string | null;
}

export interface RateLimitsOptions {
  /** Set → the counts live in this Redis under `<keyPrefix>:rate:…`, shared by the deployment's instances. */
  readonly redis?: { readonly url: string; readonly keyPrefix: string } | null;
  readonly log?: (message: string) => void;
}

/** The message every transport gives with a refusal (HTTP 429, graphql-ws RATE_LIMITED, socket.io). */
export const RATE_LIMITED_MESSAGE = 'Too many requests: slow down and retry after the time given';

export class RateLimits {
  private constructor(
    private readonly byAddress: RateLimiterAbstract | null,
    private readonly byPerson: RateLimiterAbstract | null,
    private readonly log: (message: string) => void,
    private readonly closeStore: () => Promise<void>,
  ) {}

  static async start(config: ApiLimitsConfig['rateLimit'], options: RateLimitsOptions = {}): Promise<RateLimits> {
    const log = options.log ?? (() => undefined);
    const { windowSeconds: duration, userPoints, ipPoints } = config;
    const memory = (points: number) => new RateLimiterMemory({ points, duration });
    if (!options.redis || (userPoints === 0 && ipPoints === 0)) {
      return new RateLimits(ipPoints > 0 ? memory(ipPoints) : null, userPoints > 0 ? memory(userPoints) : null, log, async () => undefined);
    }
    const client = createClient({
      url: options.redis.url,
      socket: { connectTimeout: 5000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
    });
    client.on('error', (error: Error) => log(`rate limits: Redis: ${error.message}`));
    await withTimeout(client.connect(), 10_000, 'rate limits: Redis (REDIS_URL) did not answer within 10 s');
    const redis = (points: number, name: string) =>
      new RateLimiterRedis({
        storeClient: client,
        useRedisPackage: true,
        keyPrefix: `${options.redis!.keyPrefix}:rate:${name}`,
        points,
        duration,
        // Not connected, or a command fails: count in this instance's memory meanwhile.
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory(points),
      });
    return new RateLimits(ipPoints > 0 ? redis(ipPoints, 'address') : null, userPoints > 0 ? redis(userPoints, 'person') : null, log, async () => {
      await client.close().catch(() => undefined);
    });
  }

  /** Takes one point from the address and, when signed in, one from the person; refuses when either is spent. */
  async consume(key: RateLimitKey): Promise<RateLimitVerdict> {
    const address = await this.take(this.byAddress, key.address, 'address');
    if (!address.ok) return address;
    return key.personId === null ? address : this.take(this.byPerson, key.personId, 'person');
  }

  private async take(limiter: RateLimiterAbstract | null, key: string, scope: 'person' | 'address'): Promise<RateLimitVerdict> {
    if (!limiter) return { ok: true };
    try {
      await limiter.consume(key);
      return { ok: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { ok: false, scope, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      // The store and its insurance both failed: let the request through rather than refuse everyone.
      this.log(`rate limits: could not count a request: ${(rejection as Error).message}`);
      return { ok: true };
    }
  }

  async close(): Promise<void> {
    await this.closeStore();
  }
}

/**
 * The client's address: the socket's peer, or — behind `trustedHops` reverse proxies — the
 * address the outermost trusted proxy saw (X-Forwarded-For, read from the right).
 */
export function clientAddress(request: Pick<IncomingMessage, 'headers' | 'socket'>, trustedHops: number): string {
  const peer = request.socket?.remoteAddress ?? 'unknown';
  if (trustedHops === 0) return peer;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - trustedHops)];
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** The refusal over HTTP: Apollo answers the context's GraphQLError with its status and headers (429, Retry-After). */
export function rateLimitedHttpError(verdict: Extract<RateLimitVerdict, { ok: false }>): GraphQLError {
  return new GraphQLError(RATE_LIMITED_MESSAGE, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterSeconds: verdict.retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(verdict.retryAfterSeconds)]]) },
    },
  });
}
