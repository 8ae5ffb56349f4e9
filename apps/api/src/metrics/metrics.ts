/**
 * The process's Prometheus metrics (prom-client), one registry per process, served at /metrics
 * (metrics-access.ts decides who may read it). Names and what to alert on: docs/operations.md.
 *
 * The figures are recorded where they happen, without prom-client leaking into the libraries:
 * appends through InstrumentedEventStore (a wrapper around the port), projection lag and connected
 * clients through sources read at scrape time, fan-out latency by FanoutLatency, GraphQL
 * operations by the Apollo plugin, HTTP requests by the middleware below.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type AppendOutcome = 'ok' | 'conflict' | 'error';
export type GraphqlOperationType = 'query' | 'mutation' | 'subscription' | 'unknown';
export type LiveTransport = 'socket.io' | 'graphql-ws';

export interface ProjectionLag {
  /** Events between the read models' position and the head (capped: see projection-lag.ts). */
  readonly events: number;
  /** Age of the oldest event not yet projected; 0 when caught up. */
  readonly seconds: number;
}

/** Seconds; appends and fan-out are expected in milliseconds, with a tail up to seconds. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class KyogiMetrics {
  readonly registry = new Registry();

  private readonly appends: Counter<'outcome'>;
  private readonly appendedEvents: Counter;
  private readonly appendDuration: Histogram<'outcome'>;
  private readonly fanout: Histogram;
  private readonly graphqlOperations: Counter<'operation_type' | 'outcome'>;
  private readonly httpRequests: Counter<'method' | 'status_class'>;
  private readonly readCacheLookups: Counter<'result'>;
  private readonly graphqlWsClients = { count: 0 };
  private socketIoClients: () => number = () => 0;
  private projectionLag: (() => Promise<ProjectionLag | null>) | undefined;
  private projectorActive: () => boolean = () => false;

  constructor(options: { readonly process?: 'api' | 'projector' } = {}) {
    this.registry.setDefaultLabels({ process: options.process ?? 'api' });
    collectDefaultMetrics({ register: this.registry });

    this.appends = new Counter({
      name: 'kyogi_event_store_appends_total',
      help: 'Appends to the event store by outcome (conflict: wrong expected revision)',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.appendedEvents = new Counter({
      name: 'kyogi_event_store_appended_events_total',
      help: 'Events appended to the event store',
      registers: [this.registry],
    });
    this.appendDuration = new Histogram({
      name: 'kyogi_event_store_append_duration_seconds',
      help: 'Time of one append to the event store, including its idempotency and hash-chain reads',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.fanout = new Histogram({
      name: 'kyogi_live_fanout_latency_seconds',
      help: 'From the read-model commit of a change to its hand-over to the live clients of this instance',
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.graphqlOperations = new Counter({
      name: 'kyogi_graphql_operations_total',
      help: 'GraphQL operations over HTTP by operation type and outcome (rejected: typed payload errors; error: GraphQL errors)',
      labelNames: ['operation_type', 'outcome'],
      registers: [this.registry],
    });
    this.readCacheLookups = new Counter({
      name: 'kyogi_read_cache_lookups_total',
      help: 'Cacheable GraphQL queries by result (hit: answered from the read cache, miss: executed)',
      labelNames: ['result'],
      registers: [this.registry],
    });
    this.httpRequests = new Counter({
      name: 'kyogi_http_requests_total',
      help: 'HTTP requests by method and status class',
      labelNames: ['method', 'status_class'],
      registers: [this.registry],
    });

    const clients = this.graphqlWsClients;
    const socketIo = () => this.socketIoClients();
    new Gauge({
      name: 'kyogi_live_connected_clients',
      help: 'Live clients connected to this instance, by transport',
      labelNames: ['transport'],
      registers: [this.registry],
      collect() {
        this.set({ transport: 'socket.io' }, socketIo());
        this.set({ transport: 'graphql-ws' }, clients.count);
      },
    });

    const active = () => this.projectorActive();
    new Gauge({
      name: 'kyogi_projector_active',
      help: '1 on the instance that holds the projector lease and runs the projections, else 0',
      registers: [this.registry],
      collect() {
        this.set(active() ? 1 : 0);
      },
    });

    // Both lag gauges come from one reading per scrape: the registry starts every collect in the
    // same tick, so the second finds the first's reading still in flight.
    let reading: Promise<ProjectionLag | null> | undefined;
    const lag = (): Promise<ProjectionLag | null> => {
      reading ??= (this.projectionLag?.() ?? Promise.resolve(null)).finally(() => (reading = undefined));
      return reading;
    };
    new Gauge({
      name: 'kyogi_projection_lag_events',
      help: 'Events in the store not yet projected, capped at 1000 (0 on instances not running the projections: see kyogi_projector_active)',
      registers: [this.registry],
      async collect() {
        this.set((await lag())?.events ?? 0);
      },
    });
    new Gauge({
      name: 'kyogi_projection_lag_seconds',
      help: 'Age of the oldest event not yet projected; 0 when caught up (and on instances not running the projections)',
      registers: [this.registry],
      async collect() {
        this.set((await lag())?.seconds ?? 0);
      },
    });
  }

  // ---- recording -----------------------------------------------------------------------------

  recordAppend(outcome: AppendOutcome, events: number, seconds: number): void {
    this.appends.inc({ outcome });
    if (outcome === 'ok') this.appendedEvents.inc(events);
    this.appendDuration.observe({ outcome }, seconds);
  }

  recordFanout(seconds: number): void {
    this.fanout.observe(Math.max(0, seconds));
  }

  recordGraphqlOperation(operationType: GraphqlOperationType, outcome: 'ok' | 'rejected' | 'error'): void {
    this.graphqlOperations.inc({ operation_type: operationType, outcome });
  }

  recordReadCacheLookup(hit: boolean): void {
    this.readCacheLookups.inc({ result: hit ? 'hit' : 'miss' });
  }

  recordHttpRequest(method: string, status: number): void {
    const known = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];
    this.httpRequests.inc({ method: known.includes(method) ? method : 'OTHER', status_class: `${Math.floor(status / 100)}xx` });
  }

  graphqlWsConnected(): void {
    this.graphqlWsClients.count++;
  }

  graphqlWsDisconnected(): void {
    this.graphqlWsClients.count = Math.max(0, this.graphqlWsClients.count - 1);
  }

  // ---- sources read at scrape time -----------------------------------------------------------

  setSocketIoClients(source: () => number): void {
    this.socketIoClients = source;
  }

  /** `lag` resolves null where the projections do not run here (the gauges then read 0). */
  setProjection(source: { active: () => boolean; lag: () => Promise<ProjectionLag | null> }): void {
    this.projectorActive = source.active;
    this.projectionLag = source.lag;
  }

  /** Counts every HTTP request once its response is finished (Express/Connect middleware). */
  httpMiddleware(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
    return (req, res, next) => {
      res.once('finish', () => this.recordHttpRequest(req.method ?? 'OTHER', res.statusCode));
      next();
    };
  }
}
