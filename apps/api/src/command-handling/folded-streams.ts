import type { Decider, DomainCommand, DomainEvent } from '@kyogi/domain/shared/decider';
import type { EventStore, RecordedEvent } from '@kyogi/event-store/port';

/** A stream as last read and folded by this process. */
export interface FoldedStream<S> {
  /** Every event of the stream, revision i at index i. */
  readonly events: readonly RecordedEvent[];
  /** event id → its index, to answer a repeated command as the first time. */
  readonly indexOf: ReadonlyMap<string, number>;
  readonly state: S;
}

interface Entry {
  readonly decider: unknown;
  readonly events: RecordedEvent[];
  readonly indexOf: Map<string, number>;
  state: unknown;
}

const DEFAULT_MAX_STREAMS = 256;

/**
 * The streams this process decides on, kept folded: each command reads only the events recorded
 * since the last one it saw (by this process or any other) and folds them onto the state it
 * kept, instead of reading and folding the whole stream again. A consultation that 1,741
 * municipalities answer at once grows to thousands of events; re-folding it for every command
 * made a round cost O(n³). The state objects are immutable (evolve returns new ones), so keeping
 * them is safe; the callers run one command per stream at a time (decide-and-append's queue), so
 * an entry is never read and extended at once. The least recently used streams are forgotten.
 */
export class FoldedStreams {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxStreams = DEFAULT_MAX_STREAMS) {}

  async load<S, C extends DomainCommand, E extends DomainEvent>(store: EventStore, decider: Decider<S, C, E>, stream: string): Promise<FoldedStream<S>> {
    let entry = this.entries.get(stream);
    if (entry && entry.decider !== decider) entry = undefined;
    const from = entry ? entry.events.length : 0;
    const fresh = await store.readStream(stream, from > 0 ? { fromRevision: BigInt(from) } : {});
    if (!entry || (fresh.length > 0 && fresh[0].revision !== BigInt(from))) {
      // First sight, or not contiguous with what was kept (cannot happen with an append-only store): fold from the start.
      const all = entry ? await store.readStream(stream) : fresh;
      entry = { decider, events: [], indexOf: new Map(), state: decider.initialState() };
      this.extend(entry, decider, all);
    } else {
      this.extend(entry, decider, fresh);
    }
    this.entries.delete(stream); // re-inserted last: the Map's order is the recency order
    this.entries.set(stream, entry);
    if (this.entries.size > this.maxStreams) this.entries.delete(this.entries.keys().next().value as string);
    return { events: entry.events, indexOf: entry.indexOf, state: entry.state as S };
  }

  private extend<S, C extends DomainCommand, E extends DomainEvent>(entry: Entry, decider: Decider<S, C, E>, events: readonly RecordedEvent[]): void {
    let state = entry.state as S;
    for (const event of events) {
      state = decider.evolve(state, { type: event.type, data: event.data } as DomainEvent as E);
      entry.indexOf.set(event.id, entry.events.length);
      entry.events.push(event);
    }
    entry.state = state;
  }
}
