import { DomainError, type Actor } from '@kyogi/domain/shared/decider';
import { authorise, type Operation } from '@kyogi/auth/permissions';
import { graphqlError, type RequestContext } from './request-context';

/**
 * For mutations: no identity is a request error (UNAUTHENTICATED); an identity that may not do
 * this is an expected failure, returned in the payload as FORBIDDEN.
 */
export function mutationActor(context: RequestContext, operation: Operation, targetOrganisationId?: string): Actor | DomainError {
  if (!context.identity) {
    throw graphqlError('UNAUTHENTICATED', context.authError?.message ?? 'No bearer token was given');
  }
  const verdict = authorise(operation, context.identity.actor, targetOrganisationId);
  return verdict.allowed ? context.identity.actor : new DomainError('FORBIDDEN', verdict.reason);
}
