/**
 * Feeding rooms to their members: one channel per room and visibility class, shared by every
 * member of that class in the room.
 *
 * A channel listens to the ChangeFeed once and decides once per change whether the change goes
 * to the room and may be seen by its class (RoomRegistry.matcher); it then hands the change to
 * each member synchronously, inside the feed's publish. A member costs a seq comparison, an emit
 * and a look at its backlog per change — no feed subscription, no promise, no predicate of its
 * own (a subscription per (member, room) was the api's largest cost after the socket writes with
 * 2,000 members in one room).
 *
 * What each member still has on its own (docs/adr/0008): `after` — a member that resumes is
 * replayed from the change log while the channel's live changes wait for it (bounded), then goes
 * live with no gap and no duplicate (`seq`); and its bound — a member whose outgoing buffer passes
 * `backlogLimit` ends with a resync, alone.
 *
 * Plain TypeScript: no socket.io (see docs/adr/0001).
 */
import type { Actor } from '@kyogi/domain/shared/decider';
import type { Position } from '@kyogi/event-store/port';
import type { LoggedChange } from '@kyogi/read-models/change-log';
import { ResyncRequiredError, type ChangeFeed } from './change-feed';
import { roomChange, type ParsedRoom, type RoomChange, type RoomRegistry } from './rooms';

export type MembershipEnd =
  /** Stopped by us (leave, disconnect), or the member was gone: nothing to tell the client. */
  | { readonly reason: 'stopped' }
  /** The member fell behind (replay limit, changes waiting during its replay, or its own outgoing buffer): it must resync. */
  | { readonly reason: 'resync'; readonly message: string }
  /** Anything else (e.g. the change log could not be read for a replay): also a resync for the client, logged for us. */
  | { readonly reason: 'failed'; readonly error: unknown };

export interface MemberOptions {
  readonly room: ParsedRoom;
  readonly actor: Actor;
  /** Resume: first what was logged after this position, then live. */
  readonly after?: Position;
  /** Sends one change to the member (synchronously queues it); `seq` is its place in the change log. */
  readonly emit: (change: RoomChange, seq: bigint) => void;
  /** How many packets wait to be written to the member now. */
  readonly backlog: () => number;
  /** More than this many waiting packets: the member is too slow and must resync. */
  readonly backlogLimit: number;
  /** Whether the member can still be sent anything (checked right before every emit). */
  readonly open: () => boolean;
}

export interface Membership {
  /** Resolves once, when the membership has ended. */
  readonly ended: Promise<MembershipEnd>;
  /** The position of the last change emitted, if any. */
  readonly position: string | null;
  stop(): void;
}

export interface RoomChannelsOptions {
  /** Live changes held for a resuming member while its replay is read (default 1,000; more: resync, like the feed's buffer). */
  readonly holdLimit?: number;
}

/**
 * Who sees the same changes in a room: visibility (`maySee`, a kind's `visibleTo`) is decided on
 * the actor's organisation, its kind and its roles — never on the person — so members that share
 * these share a channel.
 */
export function visibilityClass(actor: Actor): string {
  return JSON.stringify([actor.organisationId, actor.organisationKind, [...actor.roles].sort()]);
}

export class RoomChannels {
  private readonly channels = new Map<string, Channel>();
  private readonly holdLimit: number;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly registry: RoomRegistry,
    options: RoomChannelsOptions = {},
  ) {
    this.holdLimit = options.holdLimit ?? 1000;
  }

  /** Channels open now (one per room and visibility class with members). */
  get size(): number {
    return this.channels.size;
  }

  /**
   * Adds a member to its channel. Without `after` it gets every change published from now on;
   * with it, first the change log after that position. Synchronous up to the replay's read.
   */
  join(options: MemberOptions): Membership {
    const key = `${options.room.room}\u0000${visibilityClass(options.actor)}`;
    let channel = this.channels.get(key);
    if (!channel) {
      channel = new Channel(this.feed, options.room.room, this.registry.matcher(options.room, options.actor), () => this.channels.delete(key));
      this.channels.set(key, channel);
    }
    const member = new Member(channel, options, this.holdLimit);
    channel.add(member);
    if (options.after) void member.replay(this.feed, options.after);
    return member;
  }
}

class Channel {
  private readonly members = new Set<Member>();
  private readonly stopListening: () => void;

  constructor(
    feed: ChangeFeed,
    private readonly room: string,
    readonly matches: (change: LoggedChange) => boolean,
    private readonly closed: () => void,
  ) {
    this.stopListening = feed.listen(
      matches,
      (change) => {
        // One message per change for the whole channel.
        const message = roomChange(room, change);
        for (const member of this.members) member.take(change, message);
      },
      // The change log has a gap (ChangeFeed.resyncAll): every member must re-query.
      (reason) => {
        for (const member of [...this.members]) member.resync(reason);
      },
    );
  }

  /** The message of a change replayed to one member. */
  messageOf(change: LoggedChange): RoomChange {
    return roomChange(this.room, change);
  }

  add(member: Member): void {
    this.members.add(member);
  }

  remove(member: Member): void {
    this.members.delete(member);
    if (this.members.size > 0) return;
    this.stopListening();
    this.closed();
  }
}

class Member implements Membership {
  readonly ended: Promise<MembershipEnd>;
  private resolveEnded!: (end: MembershipEnd) => void;
  private done = false;
  private lastSeq = -1n;
  private lastPosition: string | null = null;
  /** While the replay is read: the live changes that arrived meanwhile. */
  private held: LoggedChange[] | null;

  constructor(
    private readonly channel: Channel,
    private readonly options: MemberOptions,
    private readonly holdLimit: number,
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.held = options.after ? [] : null;
  }

  get position(): string | null {
    return this.lastPosition;
  }

  stop(): void {
    this.end({ reason: 'stopped' });
  }

  /** A change of the channel, live, and its message. */
  take(change: LoggedChange, message: RoomChange): void {
    if (this.done) return;
    if (!this.held) return this.send(change, message);
    if (this.held.length >= this.holdLimit)
      return this.end({ reason: 'resync', message: `more than ${this.holdLimit} changes arrived during the replay: re-query and subscribe again` });
    this.held.push(change);
  }

  async replay(feed: ChangeFeed, after: Position): Promise<void> {
    let missed: LoggedChange[];
    try {
      missed = await feed.missedSince(after);
    } catch (error) {
      this.end(error instanceof ResyncRequiredError ? { reason: 'resync', message: error.message } : { reason: 'failed', error });
      return;
    }
    for (const change of missed) if (!this.done && this.channel.matches(change)) this.send(change, this.channel.messageOf(change));
    // What the tail published while the log was read: `send` drops what the replay already sent.
    const held = this.held ?? [];
    this.held = null;
    for (const change of held) if (!this.done) this.send(change, this.channel.messageOf(change));
  }

  private send(change: LoggedChange, message: RoomChange): void {
    const { emit, backlog, backlogLimit, open } = this.options;
    // The log order is `seq`: a change at or before the last one sent is one the replay already read.
    if (change.seq <= this.lastSeq) return;
    try {
      if (!open()) return this.end({ reason: 'stopped' });
      this.lastSeq = change.seq;
      emit(message, change.seq);
      this.lastPosition = change.position;
      // Worded like the feed's ResyncRequiredError.
      if (backlog() > backlogLimit) {
        this.end({ reason: 'resync', message: `more than ${backlogLimit} messages waited to be sent to this client: re-query and subscribe again` });
      }
    } catch (error) {
      this.end({ reason: 'failed', error });
    }
  }

  /** Ends the membership with a resync (the client re-queries and joins again). */
  resync(message: string): void {
    this.end({ reason: 'resync', message });
  }

  private end(end: MembershipEnd): void {
    if (this.done) return;
    this.done = true;
    this.held = null;
    this.channel.remove(this);
    this.resolveEnded(end);
  }
}
