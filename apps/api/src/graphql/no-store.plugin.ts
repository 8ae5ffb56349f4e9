import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';

/**
 * Every GraphQL answer is `Cache-Control: no-store` — what Apollo's cache-control plugin answers
 * for a schema without cache hints (ours has none: answers depend on who asks) — without that
 * plugin, which runs a hook for every resolved field of every request to compute a policy that
 * is always "not cacheable". A header set earlier is left as it is, as the plugin does.
 */
export function noStorePlugins(): ApolloServerPlugin[] {
  return [
    ApolloServerPluginCacheControlDisabled(),
    {
      async requestDidStart() {
        return {
          async willSendResponse({ response }) {
            if (!response.http.headers.has('cache-control')) response.http.headers.set('cache-control', 'no-store');
          },
        };
      },
    },
  ];
}
