/**
 * GraphQL over HTTP: a POST to /graphql on the page's own origin, with the session's bearer
 * token. `content-type: application/json` always — Apollo's CSRF prevention refuses "simple"
 * requests. An UNAUTHENTICATED answer ends the session (the token expired or was revoked).
 */
import { currentToken, setSession } from '../auth/token';

export interface UserError {
  readonly code: string;
  readonly message: string;
  readonly field: string | null;
}

/** A request that failed as a whole: the network, the server, or a GraphQL error. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

/** Expected failures a mutation reported in its payload (`errors: [UserError!]!`). */
export class UserErrorsError extends Error {
  constructor(readonly errors: readonly UserError[]) {
    super(errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('\n'));
    this.name = 'UserErrorsError';
  }
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function gql<T>(query: string, variables?: Record<string, unknown>, options: { signal?: AbortSignal } = {}): Promise<T> {
  const token = currentToken();
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new GraphQLRequestError('NETWORK', 'NETWORK');
  }
  let body: GraphQLBody<T>;
  try {
    body = (await response.json()) as GraphQLBody<T>;
  } catch {
    throw new GraphQLRequestError(`HTTP ${response.status}`, `HTTP_${response.status}`);
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? null;
    if (code === 'UNAUTHENTICATED' && token) setSession(null);
    throw new GraphQLRequestError(first.message, code);
  }
  if (!body.data) throw new GraphQLRequestError(`HTTP ${response.status}`, `HTTP_${response.status}`);
  return body.data;
}

/** Runs a mutation whose payload (the single top-level field) carries `errors`; throws UserErrorsError when it has any. */
export async function mutate<P extends { errors: readonly UserError[] }>(query: string, variables: Record<string, unknown>): Promise<P> {
  const data = await gql<Record<string, P>>(query, variables);
  const payload = Object.values(data)[0];
  if (payload.errors.length > 0) throw new UserErrorsError(payload.errors);
  return payload;
}

/** A fresh command id per user action: a retried request (same id) is stored once. */
export function commandId(): string {
  return crypto.randomUUID();
}
