import { buildSchema, GraphQLError, parse, specifiedRules, validate, type ExecutionArgs } from 'graphql';
import { exceedsTokens, graphqlWsGuard, LIMIT_CODE, LIMIT_MESSAGE, limitRules, tokenLimitError } from './graphql-limits';
import { RateLimits } from './rate-limits';
import type { ApiLimitsConfig } from '../config/config';

const schema = buildSchema(/* GraphQL */ `
  type Organisation {
    id: ID!
    name: String!
    prefecture: Organisation
    members(first: Int): [Organisation!]!
  }
  type Query {
    organisation(id: ID!): Organisation
    organisations(first: Int): [Organisation!]!
  }
`);

const LIMITS: ApiLimitsConfig = {
  graphql: { maxDepth: 5, maxAliases: 3, maxDirectives: 2, maxTokens: 60, maxCost: 500 },
  rateLimit: { windowSeconds: 60, userPoints: 0, ipPoints: 0 },
  trustProxyHops: 0,
  hstsMaxAgeSeconds: 0,
};

const check = (source: string) => validate(schema, parse(source), [...specifiedRules, ...limitRules(LIMITS.graphql)]);
const nested = (depth: number) => `{ organisation(id: "1") { ${'prefecture { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;

describe('limitRules', () => {
  it('accepts a document within every limit', () => {
    expect(check(nested(5))).toEqual([]);
    expect(check('{ a: organisation(id: "1") { id } b: organisation(id: "2") { id } c: organisation(id: "3") { id } }')).toEqual([]);
  });

  it.each([
    ['too deep', nested(6)],
    ['too many aliases (__typename counts)', '{ a: __typename b: __typename c: __typename d: __typename }'],
    ['too many directives', '{ organisation(id: "1") { id @include(if: true) name @include(if: true) prefecture @skip(if: false) { id } } }'],
    ['too costly (a page of 100 with nested lists)', '{ organisations(first: 100) { id name members(first: 50) { id name } } }'],
  ])('refuses a document %s with one generic error that names no limit', (_what, source) => {
    const errors = check(source);
    expect(errors.map((e) => ({ message: e.message, code: e.extensions.code }))).toEqual([{ message: LIMIT_MESSAGE, code: LIMIT_CODE }]);
    expect(errors[0].message).not.toMatch(/\d/);
  });

  it('counts depth through fragments', () => {
    expect(
      check(`{ organisation(id: "1") { ...F } } fragment F on Organisation { prefecture { prefecture { prefecture { prefecture { id } } } } }`),
    ).toHaveLength(1);
  });
});

describe('token limit', () => {
  it('counts lexical tokens and stops early', () => {
    expect(exceedsTokens('{ a b c }', 5)).toBe(false); // { a b c } = 5 tokens
    expect(exceedsTokens('{ a b c d }', 5)).toBe(true);
    expect(exceedsTokens(`{ ${'a '.repeat(1_000_000)}}`, 10)).toBe(true);
  });

  it('leaves syntax errors to the parser', () => {
    expect(exceedsTokens('{ "unterminated', 5)).toBe(false);
  });

  it('gives the HTTP refusal a 400 and reads POST bodies and GET query strings', () => {
    const long = `{ ${'__typename '.repeat(100)}}`;
    for (const request of [{ body: { query: long } }, { query: { query: long } }]) {
      const error = tokenLimitError(request, 60);
      expect(error?.message).toBe(LIMIT_MESSAGE);
      expect(error?.extensions).toMatchObject({ code: LIMIT_CODE, http: { status: 400 } });
    }
    expect(tokenLimitError({ body: { query: '{ __typename }' } }, 60)).toBeNull();
    expect(tokenLimitError({ body: {} }, 60)).toBeNull();
  });
});

describe('graphqlWsGuard (graphql-ws onSubscribe)', () => {
  const request = { headers: {}, socket: { remoteAddress: '192.0.2.7' } };
  const ctx = (personId?: string) => ({ extra: { request, ...(personId ? { identity: { actor: { personId } } } : {}) } });

  async function guard(production: boolean, rateLimit: ApiLimitsConfig['rateLimit'] = LIMITS.rateLimit) {
    const rateLimits = await RateLimits.start(rateLimit);
    return graphqlWsGuard({ schema: () => schema, limits: { ...LIMITS, rateLimit }, production, rateLimits });
  }

  it('returns execution arguments for a valid document', async () => {
    const result = (await (await guard(true))(ctx('p-1'), '1', { query: '{ organisation(id: "1") { id } }', variables: { a: 1 } })) as ExecutionArgs;
    expect(result.schema).toBe(schema);
    expect(result.variableValues).toEqual({ a: 1 });
    expect(result.document.kind).toBe('Document');
  });

  it('refuses introspection in production only', async () => {
    const probe = { query: '{ __schema { types { name } } }' };
    const refused = (await (await guard(true))(ctx('p-1'), '1', probe)) as GraphQLError[];
    expect(refused[0]).toBeInstanceOf(GraphQLError);
    expect(refused[0].message).toMatch(/introspection/i);
    expect(Array.isArray(await (await guard(false))(ctx('p-1'), '1', probe))).toBe(false);
  });

  it('applies the limits and the token count', async () => {
    const g = await guard(true);
    expect(((await g(ctx(), '1', { query: nested(6) })) as GraphQLError[]).map((e) => e.message)).toEqual([LIMIT_MESSAGE]);
    expect(((await g(ctx(), '1', { query: `{ ${'__typename '.repeat(100)}}` })) as GraphQLError[]).map((e) => e.message)).toEqual([LIMIT_MESSAGE]);
  });

  it('answers a syntax error as an error, not an exception', async () => {
    const errors = (await (await guard(true))(ctx(), '1', { query: '{ organisation(' })) as GraphQLError[];
    expect(errors[0].message).toMatch(/^Syntax Error/);
  });

  it('masks field suggestions in production', async () => {
    const errors = (await (await guard(true))(ctx(), '1', { query: '{ organisatio(id: "1") { id } }' })) as GraphQLError[];
    expect(errors[0].message).toBe('Cannot query field "organisatio" on type "Query".');
    const dev = (await (await guard(false))(ctx(), '1', { query: '{ organisatio(id: "1") { id } }' })) as GraphQLError[];
    expect(dev[0].message).toContain('Did you mean');
  });

  it('refuses with RATE_LIMITED once the person has spent the window', async () => {
    const g = await guard(true, { windowSeconds: 60, userPoints: 2, ipPoints: 0 });
    const query = { query: '{ organisation(id: "1") { id } }' };
    expect(Array.isArray(await g(ctx('p-1'), '1', query))).toBe(false);
    expect(Array.isArray(await g(ctx('p-1'), '2', query))).toBe(false);
    const refused = (await g(ctx('p-1'), '3', query)) as GraphQLError[];
    expect(refused[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused[0].extensions.retryAfterSeconds).toBeGreaterThan(0);
    expect(Array.isArray(await g(ctx('p-2'), '4', query))).toBe(false); // another person
  });
});
