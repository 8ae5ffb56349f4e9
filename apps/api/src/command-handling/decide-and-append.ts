import { DomainError, isDomainError, streamName, type Decider, type DomainCommand, type DomainEvent } from '@kyogi/domain/shared/decider';
import { DuplicateEventIdError, isStreamName, WrongExpectedRevisionError, type EventStore, type Position, type RecordedEvent } from '@kyogi/event-store/port';
import { eventIdFor } from './event-ids';
import { FoldedStreams } from './folded-streams';

export type CommandOutcome =
  | { readonly ok: true; readonly position: Position | null; readonly revision: bigint | null; readonly events: readonly DomainEvent[] }
  | { readonly ok: false; readonly error: DomainError };

const MAX_ATTEMPTS = 10;

/**
 * Commands on one stream run one after another within a process, so they never conflict with
 * each other here; the retry below is left for conflicts with other processes.
 */
const queues = new WeakMap<EventStore, Map<string, Promise<unknown>>>();
const folded = new WeakMap<EventStore, FoldedStreams>();
function foldedStreams(store: EventStore): FoldedStreams {
  let streams = folded.get(store);
  if (!streams) folded.set(store, (streams = new FoldedStreams()));
  return streams;
}
function oneAtATime<T>(store: EventStore, stream: string, work: () => Promise<T>): Promise<T> {
  let perStream = queues.get(store);
  if (!perStream) queues.set(store, (perStream = new Map()));
  const previous = perStream.get(stream) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  perStream.set(stream, tail);
  void tail.then(() => {
    if (perStream.get(stream) === tail) perStream.delete(stream);
  });
  return run;
}

/**
 * The stream's current state as this process's commands see it: read and folded in the stream's
 * queue, from the same cache (only the events since the last command or lookup are read). For a
 * lookup that needs a fact the read models may not have yet.
 */
export function currentState<S, C extends DomainCommand, E extends DomainEvent>(store: EventStore, decider: Decider<S, C, E>, streamId: string): Promise<S> {
  const stream = streamName(decider.category, streamId);
  if (!isStreamName(stream)) return Promise.resolve(decider.initialState());
  return oneAtATime(store, stream, async () => (await foldedStreams(store).load(store, decider, stream)).state);
}

/**
 * Load → decide → append, for every decider (free of Nest, so it is tested on a real store).
 * A concurrent append to the same stream (from another process) makes the append fail on its
 * expected revision; then the stream is read again and the command decided again on the new
 * state, so concurrent commands are all recorded and none twice.
 */
export async function decideAndAppend<S, C extends DomainCommand, E extends DomainEvent>(
  store: EventStore,
  decider: Decider<S, C, E>,
  streamId: string,
  command: C,
): Promise<CommandOutcome> {
  const stream = streamName(decider.category, streamId);
  // An id no stream can have names nothing that exists, and nothing can be created under it.
  if (!isStreamName(stream)) {
    const shown = streamId.length > 40 ? `${streamId.slice(0, 40)}…` : streamId;
    return { ok: false, error: new DomainError('INVALID_ID', `${JSON.stringify(shown)} is not an id: 1–200 of A–Z a–z 0–9 _ . : -`) };
  }
  return oneAtATime(store, stream, () => decideWithRetries(store, decider, stream, command));
}

async function decideWithRetries<S, C extends DomainCommand, E extends DomainEvent>(
  store: EventStore,
  decider: Decider<S, C, E>,
  stream: string,
  command: C,
): Promise<CommandOutcome> {
  const { commandId, actor, now } = command.metadata;
  const firstEventId = eventIdFor(commandId, 0);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // Only the events since this process last decided on the stream are read and folded.
    const { events: recorded, indexOf, state } = await foldedStreams(store).load(store, decider, stream);
    const earlier = indexOf.get(firstEventId);
    if (earlier !== undefined) return replayedOutcome(recorded, earlier, commandId);

    const decision = decider.decide(command, state);
    if (isDomainError(decision)) return { ok: false, error: decision };
    if (decision.length === 0) {
      return { ok: true, position: null, revision: recorded.length ? recorded[recorded.length - 1].revision : null, events: [] };
    }
    const metadata = {
      actor: { personId: actor.personId, organisationId: actor.organisationId, roles: [...actor.roles] },
      correlationId: commandId,
      causationId: commandId,
      occurredAt: now.toISOString(),
      schemaVersion: 1,
    };
    try {
      const result = await store.appendToStream(
        stream,
        decision.map((event, index) => ({ id: eventIdFor(commandId, index), type: event.type, data: { ...event.data }, metadata })),
        recorded.length ? recorded[recorded.length - 1].revision : 'no_stream',
      );
      return { ok: true, position: result.position, revision: result.nextExpectedRevision, events: decision };
    } catch (error) {
      if (error instanceof DuplicateEventIdError) {
        return { ok: false, error: new DomainError('COMMAND_ID_REUSED', `commandId ${commandId} was already used for a different command`, 'commandId') };
      }
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 2 ** attempt))); // full jitter, exponential
    }
  }
  return { ok: false, error: new DomainError('CONCURRENCY_CONFLICT', `${stream} kept changing while this command was decided; try again`) };
}

/** The same command arrived again after it had succeeded: answer as the first time. */
function replayedOutcome(recorded: readonly RecordedEvent[], first: number, commandId: string): CommandOutcome {
  let last = first;
  while (last + 1 < recorded.length && recorded[last + 1].id === eventIdFor(commandId, last + 1 - first)) last++;
  const events = recorded.slice(first, last + 1).map((e) => ({ type: e.type, data: e.data }));
  return { ok: true, position: recorded[last].position, revision: recorded[last].revision, events };
}
