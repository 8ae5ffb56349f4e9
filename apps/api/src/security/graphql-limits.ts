/**
 * Bounds on one GraphQL document — depth, aliases, directives, tokens, cost — with
 * @escape.tech/graphql-armor's validation rules, the same on both transports:
 *
 *  - over HTTP, Apollo runs the rules (`validationRules`) and the token count happens in the
 *    context function (tokenLimitError), before Apollo parses anything: armor's own token plugin
 *    throws from a hook Apollo answers with a 500;
 *  - over graphql-ws, which parses and validates by itself, `onSubscribe` (graphqlWsGuard) does
 *    the rate limit, the token count, the parse and the validation, introspection refusal
 *    included (Apollo's `introspection: false` does not reach graphql-ws).
 *
 * A refusal says only that a limit was exceeded, never which value it has (an attacker learns
 * nothing to tune against); field suggestions ("Did you mean …") are masked in production.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Lexer,
  NoSchemaIntrospectionCustomRule,
  parse,
  Source,
  specifiedRules,
  TokenKind,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ApiLimitsConfig } from '../config/config';
import { clientAddress, RATE_LIMITED_MESSAGE, type RateLimits } from './rate-limits';

/** What a document beyond any limit gets, on either transport: no limit and no value named. */
export const LIMIT_MESSAGE = 'Query refused: it exceeds the limits on depth, aliases, directives, tokens or cost';
export const LIMIT_CODE = 'QUERY_TOO_COMPLEX';
const SUGGESTION = /\s*Did you mean .+\?/g;

const limitError = () => new GraphQLError(LIMIT_MESSAGE, { extensions: { code: LIMIT_CODE } });

/** Armor reports to the validation context, so Apollo answers 400 with the other validation errors. */
const report = (context: ValidationContext | null) => context?.reportError(limitError());

/** graphql-armor's rules for these limits (its token plugin and suggestion masking are not used; see above). */
export function limitRules(limits: ApiLimitsConfig['graphql']): ValidationRule[] {
  const common = { exposeLimits: false, errorMessage: LIMIT_MESSAGE, propagateOnRejection: false, onReject: [report] };
  const config: ConstructorParameters<typeof ApolloArmor>[0] = {
    maxDepth: { ...common, n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true },
    maxAliases: { ...common, n: limits.maxAliases, allowList: [] },
    maxDirectives: { ...common, n: limits.maxDirectives },
    costLimit: { ...common, maxCost: limits.maxCost, flattenFragments: true, ignoreIntrospection: true },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  };
  return new ApolloArmor(config).protect().validationRules as ValidationRule[];
}

/** True when `source` has more than `max` lexical tokens (counted lazily: a huge document stops at max + 1). */
export function exceedsTokens(source: string, max: number): boolean {
  const lexer = new Lexer(new Source(source));
  try {
    for (let count = 0; lexer.advance().kind !== TokenKind.EOF;) if (++count > max) return true;
  } catch {
    return false; // a syntax error: the parser reports it
  }
  return false;
}

/**
 * For the HTTP context function: the error that refuses a document with too many tokens, or
 * null. Reads `query` from a POST body or a GET query string.
 */
export function tokenLimitError(request: { body?: unknown; query?: unknown } | undefined, maxTokens: number): GraphQLError | null {
  const fromBody = (request?.body as { query?: unknown } | undefined)?.query;
  const fromUrl = (request?.query as { query?: unknown } | undefined)?.query;
  const source = typeof fromBody === 'string' ? fromBody : typeof fromUrl === 'string' ? fromUrl : null;
  if (source === null || !exceedsTokens(source, maxTokens)) return null;
  return new GraphQLError(LIMIT_MESSAGE, { extensions: { code: LIMIT_CODE, http: { status: 400 } } });
}

/** Apollo plugin: masks field suggestions in every error of a response (production). */
export function maskSuggestionsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) (error as { message: string }).message = error.message.replace(SUGGESTION, '');
        },
      };
    },
  };
}

/** The identity graphql-ws keeps per connection (app.module.ts SocketExtra). */
interface GuardedExtra {
  identity?: { actor: { personId: string } };
  request?: { headers: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } };
}

export interface GraphqlWsGuardOptions {
  /** The executable schema (set by transformSchema before the first connection). */
  readonly schema: () => GraphQLSchema | undefined;
  readonly limits: ApiLimitsConfig;
  readonly production: boolean;
  readonly rateLimits: RateLimits;
}

/** graphql-ws `onSubscribe`: rate limit, token count, parse, validation (with the limits); the execution arguments or the errors. */
export function graphqlWsGuard(options: GraphqlWsGuardOptions) {
  const rules: ValidationRule[] = [...specifiedRules, ...limitRules(options.limits.graphql), ...(options.production ? [NoSchemaIntrospectionCustomRule] : [])];
  const masked = (errors: readonly GraphQLError[]): GraphQLError[] =>
    errors.map((error) =>
      options.production ? new GraphQLError(error.message.replace(SUGGESTION, ''), { nodes: error.nodes, extensions: error.extensions }) : error,
    );

  return async (
    ctx: { extra: unknown },
    _id: string,
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  ): Promise<ExecutionArgs | GraphQLError[]> => {
    const extra = ctx.extra as GuardedExtra;
    const verdict = await options.rateLimits.consume({
      address: extra.request ? clientAddress(extra.request as never, options.limits.trustProxyHops) : 'unknown',
      personId: extra.identity?.actor.personId ?? null,
    });
    if (!verdict.ok) {
      return [new GraphQLError(RATE_LIMITED_MESSAGE, { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: verdict.retryAfterSeconds } })];
    }
    const schema = options.schema();
    if (!schema) return [new GraphQLError('The server is starting: retry in a moment', { extensions: { code: 'SERVICE_UNAVAILABLE' } })];
    if (exceedsTokens(payload.query, options.limits.graphql.maxTokens)) return [limitError()];
    let document: DocumentNode;
    try {
      document = parse(payload.query);
    } catch (error) {
      return [error instanceof GraphQLError ? error : new GraphQLError('Syntax Error', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
    }
    const errors = validate(schema, document, rules);
    if (errors.length > 0) return masked(errors);
    return { schema, document, operationName: payload.operationName ?? undefined, variableValues: payload.variables ?? undefined };
  };
}
