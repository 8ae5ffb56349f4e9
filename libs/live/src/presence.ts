/**
 * Presence: who is looking at a room now. The socket layer asks socket.io for the members of a
 * room (`fetchSockets()`, across instances with the Redis adapter) and hands what each socket
 * carries to `peopleIn`; `PresenceUpdates` makes sure a burst of joins and leaves produces a
 * few recomputations, the last one after the last change, never one per event.
 *
 * Plain TypeScript: no socket.io here, so all of it is unit-tested.
 */

/** What one socket says about its person (`socket.data.person`). */
export interface PresentPerson {
  readonly personId: string;
  readonly displayName: string;
  readonly organisationId: string;
}

/** The `presence` event. */
export interface RoomPresence {
  readonly room: string;
  readonly people: readonly PresentPerson[];
}

const isPerson = (value: unknown): value is PresentPerson => {
  const p = value as Partial<PresentPerson> | null | undefined;
  return typeof p?.personId === 'string' && typeof p.displayName === 'string' && typeof p.organisationId === 'string';
};

/**
 * The people behind a room's sockets: one entry per person however many tabs they have open
 * (the first socket's name wins), ordered by display name, then person id, so that every
 * instance computes the same list. Sockets without a person (not authenticated) are ignored.
 */
export function peopleIn(people: Iterable<unknown>): PresentPerson[] {
  const byId = new Map<string, PresentPerson>();
  for (const candidate of people) {
    if (!isPerson(candidate) || byId.has(candidate.personId)) continue;
    byId.set(candidate.personId, { personId: candidate.personId, displayName: candidate.displayName, organisationId: candidate.organisationId });
  }
  return [...byId.values()].sort((a, b) =>
    a.displayName === b.displayName ? (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0) : a.displayName < b.displayName ? -1 : 1,
  );
}

export interface PresenceUpdatesOptions {
  /** Who is in the room now (e.g. from `io.in(room).fetchSockets()`). */
  readonly compute: (room: string) => Promise<readonly PresentPerson[]>;
  /** Tells the room (e.g. `io.to(room).emit('presence', …)`). */
  readonly publish: (presence: RoomPresence) => void;
  readonly onError?: (room: string, error: unknown) => void;
  /**
   * At least this long between two computations of one room (default 0). Each publication goes to
   * every socket in the room, so a burst of N joins to a room of N sockets — everyone reconnecting
   * at once — would otherwise publish back to back, N writes each, and starve the joins themselves.
   */
  readonly minIntervalMs?: number;
}

/**
 * Recomputes a room's presence when asked, at most one computation per room at a time: a request
 * that arrives while one runs marks the room dirty, and one more computation follows — which
 * then sees every change made before it started — no sooner than `minIntervalMs` after the last. So the last presence published for a room
 * reflects its state after the last request, and a burst of N joins costs two computations, not N.
 */
export class PresenceUpdates {
  private readonly running = new Map<string, { dirty: boolean; done: Promise<void> }>();
  /** Ends the pauses between computations (close). */
  private readonly pauses = new Set<() => void>();
  private closed = false;

  constructor(private readonly options: PresenceUpdatesOptions) {}

  /** Asks for the room's presence to be recomputed and published. */
  request(room: string): void {
    if (this.closed) return;
    const current = this.running.get(room);
    if (current) {
      current.dirty = true;
      return;
    }
    const state = { dirty: false, done: Promise.resolve() };
    this.running.set(room, state);
    state.done = this.run(room, state);
  }

  /** Resolves when nothing is being computed (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()].map((s) => s.done));
  }

  close(): void {
    this.closed = true;
    for (const wake of this.pauses) wake();
  }

  private async run(room: string, state: { dirty: boolean }): Promise<void> {
    try {
      do {
        const started = Date.now();
        state.dirty = false;
        try {
          const people = await this.options.compute(room);
          if (!this.closed) this.options.publish({ room, people });
        } catch (error) {
          this.options.onError?.(room, error);
        }
        // The room stays busy for the interval: requests meanwhile are folded into one computation after it (they set dirty).
        if (!this.closed) await this.pause(started + (this.options.minIntervalMs ?? 0) - Date.now());
      } while (state.dirty && !this.closed);
    } finally {
      this.running.delete(room);
    }
  }

  private pause(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.pauses.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.pauses.add(wake);
    });
  }
}
