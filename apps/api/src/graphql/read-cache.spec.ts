import { ApolloServer, HeaderMap } from '@apollo/server';
import { GraphQLError, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import fc from 'fast-check';
import type { VerifiedIdentity } from '@kyogi/auth/token-verifier';
import { canonicalVariables, isCacheableOperation, ReadCache, viewerKey } from './read-cache';
import { READ_CACHE_HEADER, readCachePlugin } from './read-cache.plugin';
import type { RequestContext } from './request-context';

const identity = (personId: string, organisationId = 'org-a', roles: VerifiedIdentity['actor']['roles'] = ['member']): VerifiedIdentity => ({
  actor: { personId, organisationId, organisationKind: 'municipality', roles },
  displayName: `name of ${personId}`,
  expiresAt: new Date('2026-11-23T12:00:00Z'),
});

function cacheable(query: string, variables?: Record<string, unknown>): boolean {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((d) => [d.name.value, d]),
  );
  return isCacheableOperation(operation, fragments, variables);
}

describe('isCacheableOperation', () => {
  it('takes queries whose root fields are all read-model reads', () => {
    expect(cacheable('{ proposal(id: "p") { id } consultations(proposalId: "p") { totalCount } }')).toBe(true);
    expect(cacheable('query Q($id: ID!, $w: Position) { proposal(id: $id, waitFor: $w) { id } __typename }', { id: 'p' })).toBe(true);
  });

  it('refuses mutations, subscriptions and introspection', () => {
    expect(cacheable('mutation { demoLogin(email: "a") { token } }')).toBe(false);
    expect(cacheable('subscription { consultationChanged(id: "c") { change } }')).toBe(false);
    expect(cacheable('{ __schema { types { name } } }')).toBe(false);
  });

  it('refuses a query with any field that reads the event store, the security log or the clock', () => {
    for (const field of [
      'history(entity: PROPOSAL, id: "p") { totalCount }',
      'verifyAuditLog { ok }',
      'securityRefusals { totalCount }',
      'me { personId }',
      'serverInfo { authMode }',
    ]) {
      expect(cacheable(`{ proposal(id: "p") { id } ${field} }`)).toBe(false);
    }
  });

  it('refuses an as-of read, by literal or by a variable that is set, and takes it when asOf is null', () => {
    expect(cacheable('{ proposal(id: "p", asOf: "2026-01-01T00:00:00Z") { id } }')).toBe(false);
    expect(cacheable('query ($at: DateTime) { proposal(id: "p", asOf: $at) { id } }', { at: '2026-01-01T00:00:00Z' })).toBe(false);
    expect(cacheable('query ($at: DateTime) { proposal(id: "p", asOf: $at) { id } }', {})).toBe(true);
    expect(cacheable('{ proposal(id: "p", asOf: null) { id } }')).toBe(true);
  });

  it('looks through root-level fragments, and refuses one it cannot find', () => {
    expect(cacheable('{ ...F } fragment F on Query { proposal(id: "p") { id } }')).toBe(true);
    expect(cacheable('{ ... on Query { proposal(id: "p") { id } me { personId } } }')).toBe(false);
    expect(cacheable('{ ...F } fragment F on Query { history(entity: PROPOSAL, id: "p") { totalCount } }')).toBe(false);
    expect(cacheable('{ ...Missing }')).toBe(false);
  });
});

describe('viewerKey and canonicalVariables', () => {
  it('tells viewers apart by person, organisation, roles and name, not by token expiry', () => {
    const a = identity('p1');
    expect(viewerKey({ identity: a, authError: null })).toBe(viewerKey({ identity: { ...a, expiresAt: new Date(0) }, authError: null }));
    const others = [identity('p2'), identity('p1', 'org-b'), identity('p1', 'org-a', ['approver']), { ...a, displayName: 'other' }];
    const keys = new Set([a, ...others].map((i) => viewerKey({ identity: i, authError: null })));
    expect(keys.size).toBe(5);
    expect(viewerKey({ identity: null, authError: null })).not.toBe(viewerKey({ identity: a, authError: null }));
  });

  it('gives the same text for the same variables in any key order, and different texts for different values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (variables) => {
        const reversed = Object.fromEntries(Object.entries(variables).reverse());
        expect(canonicalVariables(reversed)).toBe(canonicalVariables(variables));
      }),
    );
    expect(canonicalVariables({ id: 'a', nested: { x: 1, y: 2 } })).toBe(canonicalVariables({ nested: { y: 2, x: 1 }, id: 'a' }));
    expect(canonicalVariables({ id: 'a' })).not.toBe(canonicalVariables({ id: 'b' }));
  });
});

describe('ReadCache', () => {
  const result = (n: number) => ({ data: { n } });

  function trusted(maxBytes: number): ReadCache {
    const cache = new ReadCache({ maxBytes });
    cache.trust(true);
    return cache;
  }

  it('serves nothing until it is trusted, and nothing while it is not', () => {
    const cache = new ReadCache({ maxBytes: 1000 });
    expect(cache.set('k', result(1), 10, cache.generation)).toBe(false);
    cache.trust(true);
    expect(cache.set('k', result(1), 10, cache.generation)).toBe(true);
    expect(cache.get('k')).toEqual(result(1));
    cache.trust(false);
    expect(cache.get('k')).toBeUndefined();
    cache.trust(true);
    expect(cache.get('k')).toBeUndefined(); // what was kept before the gap is gone
  });

  it('drops everything on invalidate, and refuses an answer computed under an older generation', () => {
    const cache = trusted(1000);
    const started = cache.generation;
    cache.set('a', result(1), 10, started);
    cache.invalidate();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.set('b', result(2), 10, started)).toBe(false);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.set('b', result(2), 10, cache.generation)).toBe(true);
  });

  it('stays within its byte budget, evicting the least recently used first', () => {
    const cache = trusted(30);
    cache.set('a', result(1), 10, cache.generation);
    cache.set('b', result(2), 10, cache.generation);
    cache.set('c', result(3), 10, cache.generation);
    cache.get('a'); // a is now the most recently used
    cache.set('d', result(4), 10, cache.generation);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([result(1), result(3), result(4)]);
    expect(cache.size.bytes).toBe(30);
    expect(cache.set('huge', result(5), 31, cache.generation)).toBe(false);
  });

  it('never holds more bytes than its budget, whatever is stored', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 40 })), { maxLength: 60 }), (writes) => {
        const cache = trusted(100);
        for (const [key, bytes] of writes) cache.set(String(key), result(bytes), bytes, cache.generation);
        expect(cache.size.bytes).toBeLessThanOrEqual(100);
        const last = writes.at(-1);
        if (last) expect(cache.get(String(last[0]))).toEqual(result(last[1]));
      }),
    );
  });

  it('is off with a budget of 0', () => {
    const cache = trusted(0);
    expect(cache.enabled).toBe(false);
    expect(cache.set('k', result(1), 1, cache.generation)).toBe(false);
  });
});

describe('readCachePlugin', () => {
  const typeDefs = `type Query { proposal(id: ID!, asOf: String): Proposal, me: String }
    type Proposal { id: ID!, title: String!, viewer: String! }`;

  type Ask = (query: string, context: RequestContext, variables?: Record<string, unknown>) => Promise<{ body: unknown; cache: string | undefined }>;

  /** A server whose `proposal` counts its executions; id `forbidden` is refused, id `racing` sees a read-model commit land while it resolves. */
  async function withServer(run: (ask: Ask, calls: { n: number }, cache: ReadCache) => Promise<void>) {
    const calls = { n: 0 };
    const cache = new ReadCache({ maxBytes: 1 << 20 });
    cache.trust(true);
    const server = new ApolloServer<RequestContext>({
      typeDefs,
      resolvers: {
        Query: {
          proposal: (_: unknown, { id }: { id: string }, context: RequestContext) => {
            calls.n++;
            if (id === 'forbidden') throw new GraphQLError('not yours', { extensions: { code: 'FORBIDDEN' } });
            if (id === 'racing') cache.invalidate();
            return { id, title: 'first', viewer: context.identity?.actor.personId ?? 'nobody' };
          },
          me: () => 'me',
        },
      },
      plugins: [readCachePlugin(cache)],
    });
    await server.start();
    const ask: Ask = async (query, context, variables) => {
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: 'POST',
          headers: new HeaderMap([['content-type', 'application/json']]),
          search: '',
          body: variables ? { query, variables } : { query },
        },
        context: async () => context,
      });
      const body: unknown = response.body.kind === 'complete' ? JSON.parse(response.body.string) : null;
      return { body, cache: response.headers.get(READ_CACHE_HEADER) };
    };
    try {
      await run(ask, calls, cache);
    } finally {
      await server.stop();
    }
  }

  const alice: RequestContext = { identity: identity('alice'), authError: null };
  const bob: RequestContext = { identity: identity('bob'), authError: null };
  const page = 'query ($id: ID!) { proposal(id: $id) { id title viewer } }';

  it('answers a repeated query from the cache without executing it, until the read models change', async () => {
    await withServer(async (ask, calls, cache) => {
      const first = await ask(page, alice, { id: 'p1' });
      expect(first).toEqual({ body: { data: { proposal: { id: 'p1', title: 'first', viewer: 'alice' } } }, cache: 'miss' });
      const second = await ask(page, alice, { id: 'p1' });
      expect(second).toEqual({ body: first.body, cache: 'hit' });
      expect(calls.n).toBe(1);
      cache.invalidate();
      expect((await ask(page, alice, { id: 'p1' })).cache).toBe('miss');
      expect(calls.n).toBe(2);
    });
  });

  it('keeps one answer per viewer and per variables', async () => {
    await withServer(async (ask, calls) => {
      await ask(page, alice, { id: 'p1' });
      const asBob = await ask(page, bob, { id: 'p1' });
      expect(asBob).toEqual({ body: { data: { proposal: { id: 'p1', title: 'first', viewer: 'bob' } } }, cache: 'miss' });
      expect((await ask(page, alice, { id: 'p2' })).cache).toBe('miss');
      expect((await ask(page, bob, { id: 'p1' })).cache).toBe('hit');
      expect(calls.n).toBe(3);
    });
  });

  it('never keeps an answer with errors, so every refusal is executed (and logged) again', async () => {
    await withServer(async (ask, calls) => {
      const refused = await ask(page, alice, { id: 'forbidden' });
      expect((refused.body as { errors: unknown[] }).errors).toHaveLength(1);
      expect((await ask(page, alice, { id: 'forbidden' })).cache).toBe('miss');
      expect(calls.n).toBe(2);
    });
  });

  it('leaves queries that are not cacheable alone: no header, always executed', async () => {
    await withServer(async (ask, calls) => {
      const asOf = 'query { proposal(id: "p1", asOf: "2026-01-01") { id } }';
      const first = await ask(asOf, alice);
      expect(first).toEqual({ body: { data: { proposal: { id: 'p1' } } }, cache: undefined });
      expect((await ask(asOf, alice)).cache).toBeUndefined();
      expect((await ask('{ me }', alice)).cache).toBeUndefined();
      expect(calls.n).toBe(2);
    });
  });

  it('does not keep an answer when the read models changed while it was computed', async () => {
    await withServer(async (ask, calls) => {
      expect((await ask(page, alice, { id: 'racing' })).cache).toBe('miss');
      expect((await ask(page, alice, { id: 'racing' })).cache).toBe('miss');
      expect(calls.n).toBe(2);
    });
  });
});
