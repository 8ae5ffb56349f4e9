/**
 * Live rooms: the one registry through which every context offers rooms to the web client, and
 * the message a member receives (room-channels.ts feeds rooms to their members).
 *
 * A room is named `<kind>:<id>` (`organisation:133078`, `prefecture:13`). A context adds rooms by
 * registering a RoomKind — what its ids look like, who may join, and which changes go to which of
 * its rooms — never by copying the socket code. The socket layer (apps/api/src/live) only asks
 * the registry: may this actor join this room, and does this change belong to it.
 *
 * Plain TypeScript: no Nest, no socket.io (see docs/adr/0001), so all of it is unit-tested.
 */
import type { Actor } from '@kyogi/domain/shared/decider';
import type { Authorisation } from '@kyogi/auth/permissions';
import type { ReadModelChange } from '@kyogi/read-models/projection';

export interface RoomKind {
  /** The room name's prefix; unique in a registry. Lower-case letters and '-'. */
  readonly kind: string;
  /** What the part after the colon must look like; anything else is refused with BAD_REQUEST. */
  readonly id: RegExp;
  /** One line for the docs and for errors. */
  readonly description: string;
  /** May this actor join the room `<kind>:<id>`, i.e. read everything that goes to it? Checked at every join. */
  canJoin(actor: Actor, id: string): Authorisation | Promise<Authorisation>;
  /** The ids of this kind's rooms a change goes to (usually none or one). Called for every change on the hot path: keep it cheap and synchronous. */
  idsOf(change: ReadModelChange): readonly (string | null | undefined)[];
  /**
   * Optional, per change: whether this member may see this change of a room it has joined (e.g. a
   * town's draft proposal in a prefecture room). Default: everything in a joinable room is visible.
   * Decided on the actor's organisation, its kind and roles, never the person: members who share
   * those share one channel (room-channels.ts).
   */
  visibleTo?(actor: Actor, change: ReadModelChange): boolean;
}

export type JoinRefusalCode = 'FORBIDDEN' | 'UNKNOWN_ROOM' | 'BAD_REQUEST';

export interface JoinRefusal {
  readonly ok: false;
  readonly code: JoinRefusalCode;
  /** Safe to show a client. */
  readonly message: string;
}

export interface ParsedRoom {
  readonly ok: true;
  /** The canonical name, `<kind>:<id>`. */
  readonly room: string;
  readonly kind: RoomKind;
  readonly id: string;
}

export const MAX_ROOM_NAME_LENGTH = 200;
const KIND_NAME = /^[a-z][a-z-]{0,39}$/;

const refuse = (code: JoinRefusalCode, message: string): JoinRefusal => Object.freeze({ ok: false, code, message });

/** A room name from a client, cut short and quoted for a message. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 61)}...` : text);
}

export interface RoomRegistryOptions {
  /**
   * Whether a member may see a change at all, whatever room brought it (the one rule shared with
   * the GraphQL subscriptions: `maySee` in visibility.ts). Default: everything is visible. Like a
   * kind's `visibleTo`, never decided on the person.
   */
  readonly visibleTo?: (actor: Actor, change: ReadModelChange) => boolean;
}

export class RoomRegistry {
  private readonly kinds = new Map<string, RoomKind>();

  constructor(private readonly options: RoomRegistryOptions = {}) {}

  /** Adds a kind of room. A second kind with the same name is a programming error. */
  register(kind: RoomKind): this {
    if (!KIND_NAME.test(kind.kind)) throw new TypeError(`room kind ${shown(kind.kind)}: lower-case letters and '-' only`);
    if (this.kinds.has(kind.kind)) throw new Error(`room kind ${shown(kind.kind)} is already registered`);
    if (kind.id.global || kind.id.sticky) throw new TypeError(`room kind ${kind.kind}: the id pattern must not be global or sticky (it is reused)`);
    this.kinds.set(kind.kind, Object.freeze({ ...kind }));
    return this;
  }

  get registered(): readonly RoomKind[] {
    return [...this.kinds.values()];
  }

  /** A room name from a client: `<kind>:<id>` with a registered kind and a well-formed id. */
  parse(room: unknown): ParsedRoom | JoinRefusal {
    if (typeof room !== 'string' || room.length === 0 || room.length > MAX_ROOM_NAME_LENGTH) {
      return refuse('BAD_REQUEST', `a room is a string <kind>:<id> of at most ${MAX_ROOM_NAME_LENGTH} characters`);
    }
    const colon = room.indexOf(':');
    if (colon <= 0) return refuse('BAD_REQUEST', `a room is named <kind>:<id>, got ${shown(room)}`);
    const kindName = room.slice(0, colon);
    const id = room.slice(colon + 1);
    const kind = this.kinds.get(kindName);
    if (!kind) {
      const known = [...this.kinds.keys()].sort().join(', ');
      return refuse('UNKNOWN_ROOM', `there are no ${shown(kindName)} rooms (known kinds: ${known || 'none'})`);
    }
    if (!kind.id.test(id)) return refuse('BAD_REQUEST', `${shown(id)} is not a valid id for a ${kind.kind} room (${kind.description})`);
    return Object.freeze({ ok: true, room, kind, id });
  }

  /** Parses the room and asks its kind whether the actor may join. Never throws: a failing check refuses. */
  async authoriseJoin(actor: Actor, room: unknown): Promise<ParsedRoom | JoinRefusal> {
    const parsed = this.parse(room);
    if (!parsed.ok) return parsed;
    let verdict: Authorisation;
    try {
      verdict = await parsed.kind.canJoin(actor, parsed.id);
    } catch {
      return refuse('FORBIDDEN', `whether you may join ${parsed.room} could not be checked; try again later`);
    }
    return verdict.allowed ? parsed : refuse('FORBIDDEN', verdict.reason);
  }

  /** Every room a change goes to, across all kinds. */
  roomsOf(change: ReadModelChange): string[] {
    const rooms: string[] = [];
    for (const kind of this.kinds.values()) {
      for (const id of kind.idsOf(change)) if (typeof id === 'string' && id !== '') rooms.push(`${kind.kind}:${id}`);
    }
    return rooms;
  }

  /** The filter of one member's subscription to one room: the changes that go to it and that the member may see. */
  matcher(room: ParsedRoom, actor: Actor): (change: ReadModelChange) => boolean {
    const { kind, id } = room;
    const visibleAnywhere = this.options.visibleTo;
    const visibleHere = kind.visibleTo;
    return (change) => kind.idsOf(change).includes(id) && (!visibleAnywhere || visibleAnywhere(actor, change)) && (!visibleHere || visibleHere(actor, change));
  }
}

// ---------------------------------------------------------------------------------------------

/** What a member receives, as the `change` event. */
export interface RoomChange {
  readonly room: string;
  readonly entity: string;
  readonly id: string;
  readonly change: string;
  /** Global position of the event behind it: re-query with waitFor, resume with `after`. */
  readonly position: string;
}

export const roomChange = (room: string, change: ReadModelChange): RoomChange => ({
  room,
  entity: change.entity,
  id: change.id,
  change: change.change,
  position: change.position,
});
