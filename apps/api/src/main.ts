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
import { changeLogHeadPosition, LiveGateway, redisKeyPrefix } from './live/live-gateway';
import { liveRooms } from './live/live-rooms';

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
  try {
    app = created = await NestFactory.create<NestExpressApplication>(AppModule.forPlatform(platform), { logger: levels, abortOnError: false });
    // A spec version of up to 1 MB travels inside a GraphQL request; anything beyond 2 MB is refused.
    (app as NestExpressApplication).useBodyParser('json', { limit: '2mb' });
    app.enableCors({ origin: [...config.allowedOrigins], credentials: true });
    await app.listen(config.port, config.host);
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
    });
  } catch (error) {
    await created?.close().catch(() => undefined);
    await platform.stop(); // never leave the embedded PostgreSQL running behind a failed start
    throw error;
  }

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal}: shutting down`);
    await live.close().catch(() => undefined); // before Nest closes the HTTP server under it
    await app.close().catch(() => undefined);
    await platform.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  const address = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  log(`listening on ${address} (GraphQL at ${address}/graphql)`);

  const startup = app.get(StartupState);
  try {
    if (config.seedDemo) {
      const { seeded, position } = await seedDemoData(app.get(CommandBus), platform.store, platform.clock, log);
      if (seeded && position) await platform.projector.waitFor(position, 120_000); // here, or the leader's checkpoints
    }
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
