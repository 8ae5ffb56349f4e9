import { randomUUID } from 'node:crypto';
import { DomainError, type Actor, type Decider, type DomainCommand, type DomainEvent } from '@kyogi/domain/shared/decider';
import type { Operation } from '@kyogi/auth/permissions';
import type { Position } from '@kyogi/event-store/port';
import { mutationActor } from '../graphql/mutation-actor';
import type { RequestContext } from '../graphql/request-context';
import { userErrors } from '../graphql/user-errors';
import type { CommandOutcome } from './decide-and-append';
import { entityIdFor } from './event-ids';

/** Sends one command to its decider's stream: in the app, through the CommandBus (CommandSender); in a test, anything. */
export interface MutationRunner {
  send<S, C extends DomainCommand, E extends DomainEvent>(decider: Decider<S, C, E>, streamId: string, command: C): Promise<CommandOutcome>;
  readonly clock: () => Date;
}

/** The data a command carries, once its lookups are done; or why there is no command to send. */
type Lookup<T> = T | DomainError | Promise<T | DomainError>;

/** One mutation: who may, which decider and stream, and how its data is made (typed by the command `type`). */
export interface MutationPlan<S, C extends DomainCommand, E extends DomainEvent, T extends C['type']> {
  /** Checked first, in the permission table; a refusal is FORBIDDEN in the payload. */
  readonly operation: Operation;
  readonly decider: Decider<S, C, E>;
  readonly type: T;
  /** The client's command id, for an idempotent retry; a fresh one when absent. */
  readonly commandId?: string | null;
  /** The stream's id; for a creation, from the command id (see `clientOrDerivedId`). */
  readonly streamId: string | ((commandId: string) => string);
  /**
   * The command's data for this actor, with the lookups it needs, read after the permission check
   * (a refused caller causes no lookup). A DomainError ends the mutation with it in the payload.
   */
  readonly data: (
    actor: Actor,
    context: { readonly now: Date; readonly streamId: string; readonly commandId: string },
  ) => Lookup<Extract<C, { type: T }>['data']>;
}

/** What every mutation payload starts from: the entity's id (null on failure), the position written, and the errors. */
export interface MutationResult {
  readonly id: string | null;
  readonly position: Position | null;
  readonly errors: ReturnType<typeof userErrors>;
}

export const failedMutation = (error: DomainError): MutationResult => ({ id: null, position: null, errors: userErrors(error) });

/** For a creation: the id the client chose (trimmed), or one derived from the command id, so that a retry names the same entity. */
export const clientOrDerivedId =
  (id: string | null | undefined) =>
  (commandId: string): string =>
    id?.trim() || entityIdFor(commandId);

/**
 * The one shape of a mutation, written once: authorise (no token: UNAUTHENTICATED, thrown; not
 * allowed: FORBIDDEN, returned) → lookups → decide and append through the runner → a payload with
 * `errors` and the `position` written. Time comes from the runner's clock, the actor from the
 * token. A module-level function and free of Nest, so that resolvers stay three lines and a unit
 * test can drive it with a fake runner.
 */
export async function runMutation<S, C extends DomainCommand, E extends DomainEvent, T extends C['type']>(
  runner: MutationRunner,
  context: RequestContext,
  plan: MutationPlan<S, C, E, T>,
): Promise<MutationResult> {
  const actor = mutationActor(context, plan.operation);
  if (actor instanceof DomainError) return failedMutation(actor);
  const commandId = plan.commandId ?? randomUUID();
  const streamId = typeof plan.streamId === 'function' ? plan.streamId(commandId) : plan.streamId;
  const now = runner.clock();
  const data = await plan.data(actor, { now, streamId, commandId });
  if (data instanceof DomainError) return failedMutation(data);
  const command = { type: plan.type, data, metadata: { commandId, now, actor } } as unknown as C;
  const outcome = await runner.send(plan.decider, streamId, command);
  return outcome.ok ? { id: streamId, position: outcome.position, errors: [] } : failedMutation(outcome.error);
}
