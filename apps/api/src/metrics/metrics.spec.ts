import { KyogiMetrics } from './metrics';

/** The value of the sample `name{labels}` (labels in any order, as prom-client orders them its own way). */
async function sample(metrics: KyogiMetrics, line: string): Promise<number | undefined> {
  const key = (series: string) => {
    const [, name, labels = ''] = /^([^{ ]+)(?:\{(.*)\})?$/.exec(series)!;
    return `${name}|${labels.split(',').filter(Boolean).sort().join(',')}`;
  };
  const wanted = key(line);
  const text = await metrics.registry.metrics();
  const found = text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .find((l) => key(l.slice(0, l.lastIndexOf(' '))) === wanted);
  return found === undefined ? undefined : Number(found.slice(found.lastIndexOf(' ') + 1));
}

describe('KyogiMetrics', () => {
  it('counts appends by outcome, events only when stored, and times them', async () => {
    const metrics = new KyogiMetrics();
    metrics.recordAppend('ok', 2, 0.003);
    metrics.recordAppend('ok', 1, 0.2);
    metrics.recordAppend('conflict', 4, 0.001);
    expect(await sample(metrics, 'kyogi_event_store_appends_total{outcome="ok",process="api"}')).toBe(2);
    expect(await sample(metrics, 'kyogi_event_store_appends_total{outcome="conflict",process="api"}')).toBe(1);
    expect(await sample(metrics, 'kyogi_event_store_appended_events_total{process="api"}')).toBe(3);
    expect(await sample(metrics, 'kyogi_event_store_append_duration_seconds_bucket{le="0.005",outcome="ok",process="api"}')).toBe(1);
    expect(await sample(metrics, 'kyogi_event_store_append_duration_seconds_count{outcome="ok",process="api"}')).toBe(2);
  });

  it('reads connected clients at scrape time, graphql-ws never below zero', async () => {
    const metrics = new KyogiMetrics();
    let sockets = 4;
    metrics.setSocketIoClients(() => sockets);
    metrics.graphqlWsConnected();
    metrics.graphqlWsConnected();
    metrics.graphqlWsDisconnected();
    expect(await sample(metrics, 'kyogi_live_connected_clients{transport="socket.io",process="api"}')).toBe(4);
    expect(await sample(metrics, 'kyogi_live_connected_clients{transport="graphql-ws",process="api"}')).toBe(1);
    sockets = 1;
    metrics.graphqlWsDisconnected();
    metrics.graphqlWsDisconnected();
    expect(await sample(metrics, 'kyogi_live_connected_clients{transport="socket.io",process="api"}')).toBe(1);
    expect(await sample(metrics, 'kyogi_live_connected_clients{transport="graphql-ws",process="api"}')).toBe(0);
  });

  it('shows projection lag where the projections run (0 elsewhere), reading it once per scrape', async () => {
    const metrics = new KyogiMetrics({ process: 'projector' });
    let active = false;
    let reads = 0;
    metrics.setProjection({ active: () => active, lag: async () => (reads++, active ? { events: 12, seconds: 3.5 } : null) });
    expect(await sample(metrics, 'kyogi_projector_active{process="projector"}')).toBe(0);
    expect(await sample(metrics, 'kyogi_projection_lag_events{process="projector"}')).toBe(0);
    expect(await sample(metrics, 'kyogi_projection_lag_seconds{process="projector"}')).toBe(0);
    active = true;
    reads = 0;
    expect(await sample(metrics, 'kyogi_projector_active{process="projector"}')).toBe(1);
    expect(reads).toBe(1);
    expect(await sample(metrics, 'kyogi_projection_lag_events{process="projector"}')).toBe(12);
    expect(await sample(metrics, 'kyogi_projection_lag_seconds{process="projector"}')).toBe(3.5);
  });

  it('counts GraphQL operations and HTTP requests with bounded labels, and includes process metrics', async () => {
    const metrics = new KyogiMetrics();
    metrics.recordGraphqlOperation('mutation', 'rejected');
    metrics.recordHttpRequest('POST', 200);
    metrics.recordHttpRequest('PROPFIND', 404);
    metrics.recordFanout(0.012);
    metrics.recordFanout(-0.001); // clock skew never makes a negative latency
    metrics.recordReadCacheLookup(true);
    metrics.recordReadCacheLookup(true);
    metrics.recordReadCacheLookup(false);
    expect(await sample(metrics, 'kyogi_graphql_operations_total{operation_type="mutation",outcome="rejected",process="api"}')).toBe(1);
    expect(await sample(metrics, 'kyogi_http_requests_total{method="POST",status_class="2xx",process="api"}')).toBe(1);
    expect(await sample(metrics, 'kyogi_http_requests_total{method="OTHER",status_class="4xx",process="api"}')).toBe(1);
    expect(await sample(metrics, 'kyogi_live_fanout_latency_seconds_bucket{le="0.001",process="api"}')).toBe(1);
    expect(await sample(metrics, 'kyogi_live_fanout_latency_seconds_count{process="api"}')).toBe(2);
    expect(await sample(metrics, 'kyogi_read_cache_lookups_total{result="hit",process="api"}')).toBe(2);
    expect(await sample(metrics, 'kyogi_read_cache_lookups_total{result="miss",process="api"}')).toBe(1);
    expect(await sample(metrics, 'process_cpu_user_seconds_total{process="api"}')).toBeGreaterThan(0);
  });
});
