import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphqlOperationType, KyogiMetrics } from './metrics';

/**
 * Counts every GraphQL operation Apollo executes over HTTP by type and outcome: ok, rejected (a
 * payload's typed errors: refused by a rule or a permission), error (GraphQL errors). A request that
 * does not parse or validate has no operation: it counts as `unknown`, outcome `error`.
 * Subscriptions run over graphql-ws, outside Apollo's request pipeline: they show as connected
 * clients (kyogi_live_connected_clients{transport="graphql-ws"}).
 */
export function graphqlMetricsPlugin(metrics: KyogiMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let operationType: GraphqlOperationType = 'unknown';
      return {
        async didResolveOperation(context) {
          operationType = (context.operation?.operation ?? 'unknown') as GraphqlOperationType;
        },
        async willSendResponse(context) {
          const body = context.response.body;
          const result = body.kind === 'single' ? body.singleResult : undefined;
          if ((context.errors?.length ?? 0) > 0 || (result?.errors?.length ?? 0) > 0) {
            metrics.recordGraphqlOperation(operationType, 'error');
            return;
          }
          // Mutations answer refusals as typed errors in their payload (`errors: [{ code, message }]`).
          const payloads = Object.values(result?.data ?? {});
          const rejected = payloads.some(
            (payload) => Array.isArray((payload as { errors?: unknown } | null)?.errors) && (payload as { errors: unknown[] }).errors.length > 0,
          );
          metrics.recordGraphqlOperation(operationType, rejected ? 'rejected' : 'ok');
        },
      };
    },
  };
}
