import { GraphQLError } from 'graphql';
import type { Actor } from '@kyogi/domain/shared/decider';
import { authorise, type Operation } from '@kyogi/auth/permissions';
import { TokenError, type VerifiedIdentity } from '@kyogi/auth/token-verifier';

/** What every resolver knows about the caller: the verified identity, or why there is none. */
export interface RequestContext {
  readonly identity: VerifiedIdentity | null;
  readonly authError: TokenError | null;
  /** The client's address over HTTP (for the security log); absent over graphql-ws. */
  readonly clientAddress?: string | null;
}

export function graphqlError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** The actor, if signed in and allowed to do `operation`; else an UNAUTHENTICATED or FORBIDDEN error. */
export function requireActor(context: RequestContext, operation: Operation, targetOrganisationId?: string): Actor {
  if (!context.identity) {
    const error = context.authError ?? new TokenError('TOKEN_MISSING');
    throw graphqlError(error.code === 'VERIFIER_UNAVAILABLE' ? 'SERVICE_UNAVAILABLE' : 'UNAUTHENTICATED', error.message);
  }
  const verdict = authorise(operation, context.identity.actor, targetOrganisationId);
  if (!verdict.allowed) throw graphqlError('FORBIDDEN', verdict.reason);
  return context.identity.actor;
}
