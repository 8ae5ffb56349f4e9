/**
 * apps/projector: the projections and the schedulers (closing, ladder, checkpoint) as their own
 * process, for the scaled-out topology (ADR 0017). Several may run: the one holding the
 * PostgreSQL lease (ADR 0009) works, the others stand by and take over when it dies. It serves
 * only /health/live, /health/ready and /metrics; the api instances run with RUN_PROJECTIONS=false.
 *
 * Same configuration as the api (apps/api/src/config/config.ts); RUN_PROJECTIONS is ignored here:
 * a projector always competes for the lease.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ConfigError, loadConfig, redactConfig, type Config } from '../../api/src/config/config';
import { Platform } from '../../api/src/platform/platform';
import { KyogiMetrics } from '../../api/src/metrics/metrics';
import { metricsHandler } from '../../api/src/metrics/metrics-access';
import { projectorReadiness } from './projector-health';

const LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  let config: Config;
  try {
    config = { ...loadConfig(process.env), runProjections: true };
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`kyogi projector: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const verbosity = LEVELS.indexOf(config.logLevel);
  const log = (message: string) => {
    if (verbosity >= LEVELS.indexOf('log')) process.stdout.write(`${new Date().toISOString()} [projector] ${message}\n`);
  };
  if (verbosity >= LEVELS.indexOf('debug'))
    log(`configuration: ${JSON.stringify(redactConfig(config), (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);

  const metrics = new KyogiMetrics({ process: 'projector' });
  const platform = await Platform.start(config, { log, metrics });
  const scrape = metricsHandler(metrics, config.metrics);
  const countRequest = metrics.httpMiddleware();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    countRequest(req, res, () => undefined);
    if (path === '/metrics') return scrape(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { status: 'method not allowed' });
    if (path === '/health/live') return json(res, 200, { status: 'ok' });
    if (path === '/health/ready') {
      void projectorReadiness({ store: platform.store, projector: platform.projector, active: platform.runsProjections }).then(
        ({ ready, body }) => json(res, ready ? 200 : 503, body),
        (error: unknown) => json(res, 503, { status: 'not ready', error: (error as Error).message }),
      );
      return;
    }
    json(res, 404, { status: 'not found', served: ['/health/live', '/health/ready', '/metrics'] });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await platform.stop();
    throw error;
  }

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal}: shutting down`);
    server.close();
    server.closeAllConnections();
    await platform.stop(); // releases the lease: a standby takes over at once
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  const address = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  process.stdout.write(
    `Kyogi projector is ready at ${address} in ${Date.now() - startedAt} ms (${platform.runsProjections ? 'active: runs the projections' : 'standby: another process holds the lease'})\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`kyogi projector: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
