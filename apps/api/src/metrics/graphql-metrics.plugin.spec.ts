import { graphqlMetricsPlugin } from './graphql-metrics.plugin';
import { KyogiMetrics } from './metrics';

/** Runs the plugin's hooks as Apollo does for one request. */
async function run(
  operation: 'query' | 'mutation' | undefined,
  result: { data?: Record<string, unknown> | null; errors?: unknown[] },
  requestErrors: unknown[] = [],
) {
  const metrics = new KyogiMetrics();
  const recorded: unknown[] = [];
  jest.spyOn(metrics, 'recordGraphqlOperation').mockImplementation((...args) => void recorded.push(args));
  const hooks = (await graphqlMetricsPlugin(metrics).requestDidStart!({} as never))!;
  if (operation) await hooks.didResolveOperation!({ operation: { operation } } as never);
  await hooks.willSendResponse!({ errors: requestErrors, response: { body: { kind: 'single', singleResult: result } } } as never);
  return recorded;
}

describe('graphqlMetricsPlugin', () => {
  it('counts by operation type and outcome', async () => {
    expect(await run('query', { data: { organisations: [] } })).toEqual([['query', 'ok']]);
    expect(await run('mutation', { data: { draftProposal: { errors: [], proposal: { id: 'p' } } } })).toEqual([['mutation', 'ok']]);
    expect(await run('mutation', { data: { castStance: { errors: [{ code: 'FORBIDDEN' }] } } })).toEqual([['mutation', 'rejected']]);
    expect(await run('query', { data: null, errors: [{ message: 'boom' }] })).toEqual([['query', 'error']]);
  });

  it('counts a document that never resolved to an operation as unknown', async () => {
    expect(await run(undefined, {}, [{ message: 'Syntax Error' }])).toEqual([['unknown', 'error']]);
  });
});
