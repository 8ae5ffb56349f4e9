import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, OperationDefinitionNode } from 'graphql';
import type { RequestContext } from '../graphql/request-context';
import type { SecurityLog, SecurityRefusal } from './security-log';

/** What the plugin needs of a request's context; `clientAddress` when the context carries one. */
type Caller = Pick<RequestContext, 'identity'> & { readonly clientAddress?: string | null };

interface UserErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly field?: unknown;
}

/** The organisation an input names: `input.organisationId`, or an `organisationId` argument. */
export function namedOrganisation(args: Record<string, unknown>): string | null {
  const input = args.input as Record<string, unknown> | null | undefined;
  const named = (input && typeof input === 'object' ? input.organisationId : undefined) ?? args.organisationId;
  return typeof named === 'string' ? named : null;
}

/**
 * The refusals in a mutation's payload: its `errors` with code FORBIDDEN — read from the payload
 * the resolver returned, whatever the client selected (a caller probing another organisation
 * need not ask for `errors` to be recorded).
 */
export function payloadRefusals(field: string, args: Record<string, unknown>, payload: unknown, caller: Caller, at: Date): SecurityRefusal[] {
  const errors = (payload as { errors?: unknown } | null | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return (errors as UserErrorLike[])
    .filter((e) => e?.code === 'FORBIDDEN')
    .map((e) => refusal(`Mutation.${field}`, typeof e.field === 'string' ? e.field : null, String(e.message ?? ''), 'FORBIDDEN', args, caller, at));
}

/** The refusals among a request's errors (queries and subscriptions refuse by throwing FORBIDDEN). */
export function errorRefusals(errors: readonly GraphQLError[], operation: OperationDefinitionNode | undefined, caller: Caller, at: Date): SecurityRefusal[] {
  const kind = operation ? operation.operation[0].toUpperCase() + operation.operation.slice(1) : 'Operation';
  return errors
    .filter((e) => e.extensions?.code === 'FORBIDDEN')
    .map((e) => {
      const key = typeof e.path?.[0] === 'string' ? e.path[0] : null;
      return refusal(`${kind}.${fieldNameOf(operation, key) ?? key ?? '?'}`, null, e.message, 'FORBIDDEN', {}, caller, at);
    });
}

/** The field a response key stands for (an alias is not the field). */
function fieldNameOf(operation: OperationDefinitionNode | undefined, key: string | null): string | null {
  if (!operation || !key) return null;
  for (const selection of operation.selectionSet.selections)
    if (selection.kind === 'Field' && (selection.alias?.value ?? selection.name.value) === key) return selection.name.value;
  return null;
}

function refusal(
  operation: string,
  field: string | null,
  message: string,
  code: string,
  args: Record<string, unknown>,
  caller: Caller,
  at: Date,
): SecurityRefusal {
  const actor = caller.identity?.actor;
  const named = namedOrganisation(args);
  return {
    at,
    personId: actor?.personId ?? null,
    organisationId: actor?.organisationId ?? null,
    roles: actor?.roles ?? [],
    operation,
    field,
    targetOrganisationId: named !== null && named !== actor?.organisationId ? named : null,
    code,
    message: message.slice(0, 1000),
    clientAddress: caller.clientAddress ?? null,
  };
}

/** Records every FORBIDDEN answer in the security log (mutation payloads and thrown errors alike). */
export function securityLogPlugin(securityLog: SecurityLog, clock: () => Date): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async executionDidStart({ operation }) {
          if (operation.operation !== 'mutation') return; // only mutation payloads carry refusals as values
          return {
            willResolveField({ info, args, contextValue }) {
              if (info.parentType.name !== 'Mutation') return;
              return (error, result) => {
                if (error) return; // a thrown FORBIDDEN reaches didEncounterErrors
                for (const entry of payloadRefusals(info.fieldName, args, result, contextValue, clock())) securityLog.record(entry);
              };
            },
          };
        },
        async didEncounterErrors({ errors, operation, contextValue }) {
          for (const entry of errorRefusals(errors, operation ?? undefined, contextValue, clock())) securityLog.record(entry);
        },
      };
    },
  };
}
