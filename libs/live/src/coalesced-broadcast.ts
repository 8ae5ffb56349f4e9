/**
 * Sends a change that many members of a room receive as one broadcast instead of one emit per
 * member. Every (member, room) pump still decides on its own what its member gets and when (room,
 * visibility, `after`, slow consumers); it only hands the change over here. What was handed over
 * within one turn of the event loop goes out at its end, one `send` per (change, room) with every
 * member that took it: socket.io then encodes the packet once, keeps it once for connection state
 * recovery, and writes the same frame to each socket — the cost per member is the write alone.
 *
 * Each member's changes arrive in log order: they are handed over in log order (the pump), and
 * sent in log order (`seq`) whoever handed a change over first.
 *
 * Plain TypeScript: no socket.io (see docs/adr/0001).
 */
import type { RoomChange } from './rooms';

interface Pending {
  readonly seq: bigint;
  readonly change: RoomChange;
  readonly members: string[];
}

export interface CoalescedBroadcastOptions {
  /** Sends one change to these members (socket ids), as one message each. */
  readonly send: (members: readonly string[], change: RoomChange) => void;
  /**
   * Wraps the sends of one flush, given every member they go to: lets the transport write each
   * member's changes of the turn at once (one system call per member, not one per change).
   */
  readonly around?: (members: ReadonlySet<string>, sendAll: () => void) => void;
  /** Runs `flush` at the end of this turn of the event loop (default setImmediate). */
  readonly schedule?: (flush: () => void) => void;
}

export class CoalescedBroadcast {
  private readonly pending = new Map<string, Pending>();
  private readonly waitingPerMember = new Map<string, number>();
  private scheduled = false;

  constructor(private readonly options: CoalescedBroadcastOptions) {}

  /** Queues `change` (logged as `seq`) for `member`; sent at the end of this turn. */
  add(member: string, seq: bigint, change: RoomChange): void {
    const key = `${seq}\u0000${change.room}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { seq, change, members: [] };
      this.pending.set(key, entry);
    }
    entry.members.push(member);
    this.waitingPerMember.set(member, (this.waitingPerMember.get(member) ?? 0) + 1);
    if (!this.scheduled) {
      this.scheduled = true;
      (this.options.schedule ?? setImmediate)(() => this.flush());
    }
  }

  /** Changes queued for this member and not yet sent (they count towards its backlog). */
  waiting(member: string): number {
    return this.waitingPerMember.get(member) ?? 0;
  }

  /** Sends everything queued, oldest change first. */
  flush(): void {
    this.scheduled = false;
    const entries = [...this.pending.values()].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    const members = new Set(this.waitingPerMember.keys());
    this.pending.clear();
    this.waitingPerMember.clear();
    const sendAll = () => {
      for (const { change, members } of entries) this.options.send(members, change);
    };
    if (this.options.around) this.options.around(members, sendAll);
    else sendAll();
  }
}
