import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from './request-context';
import { canonicalVariables, isCacheableOperation, viewerKey, type ReadCache } from './read-cache';

/** Tells the client (and tests, and operators) whether an answer came from the read cache: `hit`, `miss`, or absent when not cacheable. */
export const READ_CACHE_HEADER = 'x-kyogi-read-cache';

/**
 * Serves cacheable queries (read-cache.ts) from the ReadCache and keeps their answers. It runs
 * after authentication, rate limits, parsing and validation — only execution is skipped — so a
 * cached answer is refused, limited and counted like any other. Only answers without errors are
 * kept: a refusal is thrown as an error, and every refusal must reach the security log.
 */
export function readCachePlugin(cache: ReadCache, recordLookup: (hit: boolean) => void = () => undefined): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let key: string | undefined;
      let generation = 0;
      return {
        async responseForOperation(requestContext) {
          const { operation, document, request, contextValue, queryHash } = requestContext;
          if (!cache.enabled || !operation || !document) return null;
          const fragments = Object.fromEntries(document.definitions.filter((d) => d.kind === 'FragmentDefinition').map((d) => [d.name.value, d]));
          if (!isCacheableOperation(operation, fragments, request.variables)) return null;
          key = `${queryHash}\u0000${request.operationName ?? ''}\u0000${canonicalVariables(request.variables)}\u0000${viewerKey(contextValue)}`;
          generation = cache.generation;
          const cached = cache.get(key);
          recordLookup(cached !== undefined);
          if (!cached) return null;
          key = undefined; // served: nothing to keep
          const headers = new HeaderMap([[READ_CACHE_HEADER, 'hit']]);
          return { body: { kind: 'single', singleResult: cached }, http: { status: undefined, headers } };
        },
        async willSendResponse({ response, errors }) {
          if (key === undefined) return;
          response.http.headers.set(READ_CACHE_HEADER, 'miss');
          const body = response.body;
          if (body.kind !== 'single' || (errors?.length ?? 0) > 0 || (body.singleResult.errors?.length ?? 0) > 0) return;
          const { data } = body.singleResult;
          if (data === undefined || data === null) return;
          cache.set(key, { data }, JSON.stringify(data).length, generation);
        },
      };
    },
  };
}
