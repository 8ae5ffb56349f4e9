import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CommandBus } from '@nestjs/cqrs';
import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { ConfigError, loadConfig, type Config } from './config/config';
import { Platform } from './platform/platform';
import { AppModule } from './app.module';
import { StartupState } from './health/startup-state';
import { DEMO_USERS, seedDemoData } from './organisations/seed/demo-seed';
import { seedRegistry } from './organisations/seed/registry-seed';
import { changeLogHeadPosition, LiveGateway, redisKeyPrefix } from './live/live-gateway';
import { liveRooms } from './live/live-rooms';
import { metricsHandler } from './metrics/metrics-access';
import { FanoutLatency } from './metrics/fanout-latency';
import { RateLimits } from './security/rate-limits';
import { securityHeaders } from './security/http-headers';
import { boundGraphqlWsFrames } from './security/graphql-ws-frames';
import { utf8JsonOnly } from './security/request-body';
import path from 'node:path';
import { repoRoot } from './platform/repo-root';
import { webClient } from './web/web-client';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

async function main(): Promise<void> {
  const startedAt = Date.now();
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`kyogi: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = new Logger('Kyogi');
  const log = (message: string) => logger.log(message);
  const levels = LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1);
  Logger.overrideLogger(levels);

  const platform = await Platform.start(config, { log });
  let app: INestApplication;
  let live: LiveGateway;
  let created: INestApplication | undefined;
  let rateLimits: RateLimits | undefined;
  let fanout: FanoutLatency | undefined;
  try {
    // One count per deployment when there is Redis (keys under the deployment's prefix, as the live layer's).
    const redisPrefix = config.redisUrl ? await redisKeyPrefix(platform.pool) : null;
    rateLimits = await RateLimits.start(config.limits.rateLimit, {
      redis: config.redisUrl && redisPrefix ? { url: config.redisUrl, keyPrefix: redisPrefix } : null,
      log: (message) => logger.warn(message),
    });
    app = created = await NestFactory.create<NestExpressApplication>(AppModule.forPlatform(platform, rateLimits), { logger: levels, abortOnError: false });
    // helmet first, so the web client's files get the headers too (security/http-headers.ts).
    // Every request counted; /metrics for the scraper only (metrics/metrics-access.ts), before the web client's fallback.
    app.use(platform.metrics.httpMiddleware());
    app.use('/metrics', metricsHandler(platform.metrics, config.metrics));
    app.use(
      securityHeaders({
        production: config.nodeEnv === 'production',
        allowedOrigins: config.allowedOrigins,
        hstsMaxAgeSeconds: config.limits.hstsMaxAgeSeconds,
        signInIssuer: config.auth.mode === 'oidc' && config.auth.webClientId !== null ? config.auth.issuer : null,
      }),
    );
    // A spec version of up to 1 MB travels inside a GraphQL request; anything beyond 2 MB is refused.
    // Only UTF-8, valid (security/request-body.ts).
    (app as NestExpressApplication).useBodyParser('json', { limit: '2mb', verify: utf8JsonOnly });
    app.enableCors({ origin: [...config.allowedOrigins], credentials: true });
    // The web client (apps/web/dist) on the same origin, before the API's routes; see src/web/.
    const web = webClient(path.join(repoRoot(), 'apps', 'web', 'dist'));
    app.use(web.middleware);
    if (!web.available) log(`no web client at ${web.dir} (build it with npm run build): serving the API only`);
    await app.listen(config.port, config.host);
    // graphql-ws frames bounded like a request body (ws allows 100 MB by default).
    if (!boundGraphqlWsFrames(app, 2 * 1024 * 1024)) logger.warn('graphql-ws: could not bound the frame size (Nest internals changed)');
    // socket.io (/socket.io, namespace /live) on the same HTTP server; see apps/api/src/live.
    live = await LiveGateway.attach(app.getHttpServer(), {
      feed: platform.feed,
      verifier: platform.verifier,
      rooms: liveRooms({ readDb: platform.pool }),
      allowedOrigins: config.allowedOrigins,
      head: () => changeLogHeadPosition(platform.pool),
      redis: config.redisUrl ? { url: config.redisUrl, keyPrefix: await redisKeyPrefix(platform.pool) } : null,
      clock: platform.clock,
      log: (message) => logger.warn(message),
      revocations: platform.revocations,
      rateLimits,
      trustProxyHops: config.limits.trustProxyHops,
    });
    const connectedClients = live;
    platform.metrics.setSocketIoClients(() => connectedClients.connections);
    fanout = new FanoutLatency({ feed: platform.feed, pool: platform.pool, metrics: platform.metrics, log: (message) => logger.warn(message) });
  } catch (error) {
    await created?.close().catch(() => undefined);
    await rateLimits?.close();
    await platform.stop(); // never leave the embedded PostgreSQL running behind a failed start
    throw error;
  }

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal}: shutting down`);
    await fanout?.stop();
    await live.close().catch(() => undefined); // before Nest closes the HTTP server under it
    await app.close().catch(() => undefined);
    await rateLimits?.close();
    await platform.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  const address = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  log(`listening on ${address} (GraphQL at ${address}/graphql)`);

  const startup = app.get(StartupState);
  try {
    // The demo seed, or at least the registry of organisations (which OIDC sign-ins are checked against).
    const seed = config.seedDemo ? seedDemoData : seedRegistry;
    const { seeded, position } = await seed(app.get(CommandBus), platform.store, platform.clock, log);
    if (seeded && position) await platform.projector.waitFor(position, 120_000); // here, or the leader's checkpoints
    startup.done = true;
    if (platform.runsProjections) await platform.projector.caughtUp;
  } catch (error) {
    startup.failure = (error as Error).message;
    logger.error(`start-up failed: ${startup.failure}`);
    await shutdown('start-up failure');
    return;
  }

  const lines = [`Kyogi is ready at ${address} in ${Date.now() - startedAt} ms (data in ${config.databaseUrl ? 'DATABASE_URL' : config.dataDir})`];
  if (config.auth.mode === 'embedded' && config.seedDemo) {
    lines.push('Demo logins (mutation demoLogin(email)):');
    for (const user of DEMO_USERS) lines.push(`  ${user.email.padEnd(38)} ${user.description} [${user.roles.join(', ')}]`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`kyogi: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
