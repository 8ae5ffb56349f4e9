/**
 * The peer of the read benchmark: a bare @apollo/server, standalone (Node's http, no Nest, no
 * database, no auth), with the app's own SDL (schema/*.graphql), answering the proposal page from
 * memory: every root field of the document returns what the app answered once. Run as its own
 * process, like the app, so that neither shares an event loop with autocannon:
 *
 *   node -r ./test/bench/register.js test/bench/bare-apollo-server.ts <answer.json>
 *
 * Prints `listening <url>` when ready; stops on SIGTERM.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { noStorePlugins } from '../../apps/api/src/graphql/no-store.plugin';

async function serve(answerFile: string): Promise<void> {
  const answer = JSON.parse(readFileSync(answerFile, 'utf8')) as Record<string, unknown>;
  const schemaDir = path.resolve(__dirname, '..', '..', 'schema');
  const typeDefs = readdirSync(schemaDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(path.join(schemaDir, f), 'utf8'));
  // Root fields return the recorded answer; below them the default resolvers read its properties.
  const Query = Object.fromEntries(Object.keys(answer).map((field) => [field, () => answer[field]]));
  // The app's cache-control handling (no per-field cache hints, `no-store`), so that both do the same work per field.
  const server = new ApolloServer({ typeDefs, resolvers: { Query }, introspection: false, plugins: noStorePlugins() });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  process.stdout.write(`listening ${url}\n`);
  process.once('SIGTERM', () => {
    void server.stop().finally(() => process.exit(0));
  });
}

serve(process.argv[2]).catch((error) => {
  console.error(error);
  process.exit(1);
});
