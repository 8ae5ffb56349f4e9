import { Pool } from 'pg';
import { EmbeddedIssuer } from '@kyogi/auth/embedded-issuer';
import { LocalTokenVerifier, OidcTokenVerifier, type TokenVerifier } from '@kyogi/auth/token-verifier';
import type { EventStore, Position } from '@kyogi/event-store/port';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@kyogi/event-store/postgres/embedded-postgres';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { EventStoreDbEventStore } from '@kyogi/event-store/eventstoredb/eventstoredb.event-store';
import { ChangeFeed } from '@kyogi/live/change-feed';
import { ChangeLogTail } from '@kyogi/live/change-log-tail';
import { ReadCache } from '../graphql/read-cache';
import { SessionRevocations } from '@kyogi/live/revocations';
import { changesAfterPosition, type LoggedChange } from '@kyogi/read-models/change-log';
import { Projector } from '@kyogi/read-models/projector';
import { PROJECTIONS } from './projections';
import { LeaderLease } from '@kyogi/read-models/leader-lease';
import { ClosingScheduler } from '../consultations/closing-scheduler';
import { LadderRunner } from '../ladders/ladder-runner';
import { registryLookup } from '../organisations/registry-lookup';
import { CheckpointWriter } from '@kyogi/audit/checkpoint-writer';
import { loadCheckpointKey } from '@kyogi/audit/key-file';
import { CheckpointScheduler } from '../audit/checkpoints/checkpoint-scheduler';
import { verifyWholeLog } from '../audit/verify-log/verify-whole-log';
import { LadderScheduler } from '../ladders/ladder-scheduler';
import type { Config } from '../config/config';
import type { Clock } from './tokens';
import { KyogiMetrics } from '../metrics/metrics';
import { instrumentEventStore } from '../metrics/instrumented-event-store';
import { projectionLag } from '../metrics/projection-lag';

export { PROJECTIONS };

export interface PlatformOptions {
  readonly log?: (message: string) => void;
  readonly clock?: Clock;
  /** Where appends and projection lag are recorded; default a fresh registry for an api process. */
  readonly metrics?: KyogiMetrics;
}

/**
 * Everything stateful the API stands on, started in order and stopped in reverse: the
 * PostgreSQL server (embedded unless DATABASE_URL), the event store, the read-model pool, the
 * projector, the live change feed and the token verifier. Kept outside Nest so that the CLI
 * commands and the tests start exactly what the app starts.
 */
export class Platform {
  private constructor(
    readonly config: Config,
    readonly clock: Clock,
    readonly embedded: EmbeddedPostgres | undefined,
    readonly pool: Pool,
    readonly store: EventStore,
    readonly projector: Projector,
    /** Present when this instance may run the projections (RUN_PROJECTIONS); it does while it holds the lease. */
    readonly lease: LeaderLease | undefined,
    readonly feed: ChangeFeed,
    readonly tail: ChangeLogTail,
    readonly revocations: SessionRevocations,
    readonly verifier: TokenVerifier,
    readonly issuer: EmbeddedIssuer | undefined,
    /** Takes ladder steps: for the ladder mutations on every instance, and for the ladder scheduler where the lease is held. */
    readonly ladders: LadderRunner,
    /** Signs audit checkpoints: on demand on every instance, periodically where the lease is held. */
    readonly checkpoints: CheckpointWriter,
    /** This process's Prometheus metrics (served at /metrics). */
    readonly metrics: KyogiMetrics,
    /** Answers of cacheable queries until the read models change (graphql/read-cache.ts). */
    readonly readCache: ReadCache,
  ) {}

  static async start(config: Config, options: PlatformOptions = {}): Promise<Platform> {
    const log = options.log ?? (() => undefined);
    const clock = options.clock ?? (() => new Date());
    const metrics = options.metrics ?? new KyogiMetrics();
    const started: { stop(): Promise<unknown> }[] = [];
    try {
      const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, log });
      if (embedded) started.push(embedded);
      const databaseUrl = config.databaseUrl ?? embedded!.url();

      const pool = new Pool({ connectionString: databaseUrl, max: 10, application_name: 'kyogi-read-models' });
      pool.on('error', (error) => log(`read-model pool: ${error.message}`));
      // A checked-out client's error (the server went away between its queries) must not crash the process; see PostgresEventStore.connect.
      pool.on('connect', (client) => client.on('error', () => undefined));
      started.push({ stop: () => pool.end() });

      const store: EventStore = instrumentEventStore(
        config.eventStoreConnectionString
          ? EventStoreDbEventStore.connect(config.eventStoreConnectionString, { log })
          : await PostgresEventStore.connect({ connectionString: databaseUrl }),
        metrics,
      );
      started.push({ stop: () => store.close() });

      const feed = new ChangeFeed({ history: (after, limit) => changesAfterPosition(pool, after, limit) });
      const readCache = new ReadCache({ maxBytes: config.readCache.maxBytes });
      // What the projector logs goes straight to this instance's tail once that has started (below): no read back of its own writes.
      let handOver: ((changes: readonly LoggedChange[]) => void) | undefined;
      let horizonMoved: ((horizon: Position) => void) | undefined;
      // This process's own commits drop the read cache at once; the tail below hears every other process's.
      const projector = new Projector({
        store,
        pool,
        projections: PROJECTIONS,
        log,
        onCommit: () => readCache.invalidate(),
        logged: (changes) => handOver?.(changes),
        horizonMoved: (horizon) => horizonMoved?.(horizon),
      });
      // Every instance may run the projections, but only the holder of the lease does.
      await projector.migrate();
      let lease: LeaderLease | undefined;
      const ladders = new LadderRunner({ pool, store, clock, log });
      // Provisioned in production (every instance must sign with the same key); generated in DATA_DIR otherwise.
      const checkpointKey = await loadCheckpointKey(config.checkpoints.keyFile, { create: config.nodeEnv !== 'production' });
      const checkpoints = new CheckpointWriter({ store, key: checkpointKey, clock, log });
      if (config.runProjections) {
        lease = new LeaderLease({ connectionString: databaseUrl, name: 'projector', log });
        // Closes due consultations, only where the projections run (idempotent if two instances ever overlap).
        const closing = new ClosingScheduler({ pool, store, clock, log });
        // Opens and closes ladder stages as their rounds close, and applies national decisions to proposals.
        const ladderSteps = new LadderScheduler({ pool, runner: ladders, clock, log });
        const signing = new CheckpointScheduler({
          writer: checkpoints,
          intervalSeconds: config.checkpoints.intervalSeconds,
          verify: () => verifyWholeLog({ store, writer: checkpoints, clock }),
          verifyIntervalSeconds: config.checkpoints.verifyIntervalSeconds,
          log,
        });
        await lease.start({
          onAcquired: async () => {
            log('this instance runs the projections');
            await projector.start();
            closing.start();
            ladderSteps.start();
            signing.start();
          },
          onLost: async () => {
            log('this instance no longer runs the projections');
            await signing.stop();
            await ladderSteps.stop();
            await closing.stop();
            await projector.stop();
          },
        });
        started.push({ stop: () => lease!.stop() });
      }
      const leader = lease;
      metrics.setProjection({
        active: () => leader?.isLeader ?? false,
        lag: async () => (leader?.isLeader ? projectionLag(store, projector.currentPosition, clock()) : null),
      });
      const tail = new ChangeLogTail(pool, databaseUrl, feed, {
        log,
        onCommitAnnounced: () => readCache.invalidate(),
        onListening: (listening) => readCache.trust(listening),
      });
      await tail.start();
      handOver = (changes) => tail.handOver(changes);
      horizonMoved = (horizon) => tail.horizonIs(horizon);
      started.push({ stop: () => tail.stop() });
      const revocations = new SessionRevocations(feed, log);
      revocations.start();
      started.push({ stop: () => revocations.stop() });

      let issuer: EmbeddedIssuer | undefined;
      let verifier: TokenVerifier;
      if (config.auth.mode === 'embedded') {
        issuer = await EmbeddedIssuer.create({ nodeEnv: config.nodeEnv, keyFile: config.auth.keyFile, ttlSeconds: config.auth.tokenTtlSeconds, now: clock });
        verifier = new LocalTokenVerifier({ jwks: issuer.jwks(), now: clock });
      } else {
        verifier = new OidcTokenVerifier({
          issuer: config.auth.issuer,
          audience: config.auth.audience,
          algorithms: config.auth.algorithms,
          jwksUrl: config.auth.jwksUrl,
          organisationClaim: config.auth.organisationClaim,
          rolesClaim: config.auth.rolesClaim,
          organisationKindClaim: config.auth.organisationKindClaim,
          // Only organisations registered (and active) in Kyogi act; their kind is Kyogi's, not the token's.
          resolveOrganisationKind: registryLookup(pool),
          now: clock,
        });
      }
      return new Platform(
        config,
        clock,
        embedded,
        pool,
        store,
        projector,
        lease,
        feed,
        tail,
        revocations,
        verifier,
        issuer,
        ladders,
        checkpoints,
        metrics,
        readCache,
      );
    } catch (error) {
      for (const part of started.reverse()) await part.stop().catch(() => undefined);
      throw error;
    }
  }

  /** Whether this instance runs the projections right now. */
  get runsProjections(): boolean {
    return this.lease?.isLeader ?? false;
  }

  private stopping: Promise<void> | undefined;

  stop(): Promise<void> {
    return (this.stopping ??= (async () => {
      await this.lease?.stop().catch(() => undefined); // stops the projector first if it runs here
      await this.revocations.stop().catch(() => undefined);
      await this.tail.stop().catch(() => undefined);
      await this.store.close().catch(() => undefined);
      await this.pool.end().catch(() => undefined);
      await this.embedded?.stop();
    })());
  }
}
