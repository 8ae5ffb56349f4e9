import { ApolloServer } from '@apollo/server';
import { noStorePlugins } from './no-store.plugin';

describe('noStorePlugins', () => {
  const typeDefs = 'type Query { hello: String, list: [Item!]! } type Item { name: String }';
  const resolvers = { Query: { hello: () => 'world', list: () => [{ name: 'a' }, { name: 'b' }] } };

  async function answer(query: string, plugins = noStorePlugins()) {
    const server = new ApolloServer({ typeDefs, resolvers, plugins });
    await server.start();
    try {
      return await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers: new Map([['content-type', 'application/json']]) as never, search: '', body: { query } },
        context: async () => ({}),
      });
    } finally {
      await server.stop();
    }
  }

  it('answers no-store, as the default cache-control plugin does for a schema without hints', async () => {
    for (const query of ['{ hello list { name } }', '{ missing }']) {
      const [withDefault, withOurs] = [await answer(query, []), await answer(query)];
      expect(withDefault.headers.get('cache-control')).toBe('no-store');
      expect(withOurs.headers.get('cache-control')).toBe('no-store');
      expect(withOurs.status).toBe(withDefault.status);
    }
  });
});
