/**
 * Live updates over socket.io (namespace /live on the page's own origin; see
 * apps/api/src/live/live-protocol.ts and docs/adr/0016-web-client.md for why socket.io).
 *
 * One connection per tab, opened with the session's token and closed on sign-out. Pages watch
 * rooms (`proposal:<id>`, `consultation:<id>`, …) through `useLiveRoom`; a change only says that
 * something moved, and the page re-queries with `waitFor: position`.
 *
 * Catching up after a network drop: socket.io's connection state recovery gives back the rooms
 * and delivers what was in flight for a short drop. After a longer one the connection is new: we
 * join every watched room again with `after` = the last position seen, and the server replays the
 * gap. When even that is impossible (`resync-required`), every watcher is told to re-query.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { io, type Socket } from 'socket.io-client';
import { currentToken, onSessionChange, setSession } from '../auth/token';

export interface RoomChange {
  readonly room: string;
  readonly entity: string;
  readonly id: string;
  readonly change: string;
  readonly position: string;
}

export type LiveStatus = 'offline' | 'connecting' | 'live' | 'reconnecting';

/** What a watcher hears: a change, or "you may have missed something: re-query". */
export type LiveSignal = { readonly kind: 'change'; readonly change: RoomChange } | { readonly kind: 'resync' };
type Watcher = (signal: LiveSignal) => void;

type JoinAck = { ok: true; room: string; position: string } | { ok: false; code: string; message: string };

interface Room {
  readonly watchers: Set<Watcher>;
  /** The last position seen for this room (a change, or where the join started). */
  position: string | null;
  joined: boolean;
}

/** Positions are opaque strings; within one room they come in order, so the later one is the one received later. */
class LiveClient {
  private socket: Socket | null = null;
  private readonly rooms = new Map<string, Room>();
  private status: LiveStatus = 'offline';
  private readonly statusListeners = new Set<() => void>();
  /** The last moment the connection was live (for the indicator's title). */
  lastLiveAt: Date | null = null;

  constructor() {
    onSessionChange((session) => (session ? this.connect() : this.disconnect()));
    if (currentToken()) this.connect();
  }

  getStatus = (): LiveStatus => this.status;

  subscribeStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    if (status === 'live') this.lastLiveAt = new Date();
    for (const listener of [...this.statusListeners]) listener();
  }

  private connect(): void {
    this.disconnect();
    const socket = io('/live', {
      path: '/socket.io',
      auth: (cb) => cb({ token: currentToken() }),
      transports: ['websocket', 'polling'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    this.setStatus('connecting');
    socket.on('connect', () => {
      this.setStatus('live');
      // A recovered connection kept its rooms and got what was in flight; a new one joins again.
      if (!socket.recovered) for (const name of this.rooms.keys()) this.join(name);
    });
    socket.on('disconnect', (reason) => {
      for (const room of this.rooms.values()) room.joined = false;
      // The server closing the socket on purpose (resync, expiry) is followed by our own reconnect below.
      this.setStatus(reason === 'io client disconnect' ? 'offline' : 'reconnecting');
      if (reason === 'io server disconnect' && currentToken()) socket.connect();
    });
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      if (error.message === 'UNAUTHENTICATED') {
        setSession(null); // the token is no good: back to the sign-in page
        return;
      }
      this.setStatus('reconnecting');
    });
    socket.on('change', (change: RoomChange) => {
      const room = this.rooms.get(change.room);
      if (!room) return;
      room.position = change.position;
      for (const watcher of [...room.watchers]) watcher({ kind: 'change', change });
    });
    socket.on('resync-required', (notice: { room: string | null }) => {
      // Too far behind for a replay: forget the positions, re-query everything, join afresh.
      const affected = notice.room ? [notice.room] : [...this.rooms.keys()];
      for (const name of affected) {
        const room = this.rooms.get(name);
        if (!room) continue;
        room.position = null;
        for (const watcher of [...room.watchers]) watcher({ kind: 'resync' });
      }
    });
    socket.on('session-expired', () => setSession(null));
    socket.on('left', (notice: { room: string }) => {
      const room = this.rooms.get(notice.room);
      if (room) room.joined = false;
    });
  }

  private disconnect(): void {
    if (!this.socket) return;
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.socket = null;
    for (const room of this.rooms.values()) room.joined = false;
    this.setStatus('offline');
  }

  private join(name: string): void {
    const socket = this.socket;
    const room = this.rooms.get(name);
    if (!socket?.connected || !room || room.joined) return;
    room.joined = true;
    const hadPosition = room.position !== null;
    socket.emit('join', { room: name, ...(room.position ? { after: room.position } : {}) }, (ack: JoinAck) => {
      if (!ack.ok) {
        room.joined = false;
        return;
      }
      if (room.position === null) room.position = ack.position;
      // Joined without a position (first time, or after a resync): what happened before the join is
      // what the page's own query showed — unless the page loaded while we were not joined.
      if (!hadPosition) for (const watcher of [...room.watchers]) watcher({ kind: 'resync' });
    });
  }

  watch(name: string, watcher: Watcher): () => void {
    let room = this.rooms.get(name);
    if (!room) {
      room = { watchers: new Set(), position: null, joined: false };
      this.rooms.set(name, room);
    }
    room.watchers.add(watcher);
    this.join(name);
    return () => {
      const current = this.rooms.get(name);
      if (!current) return;
      current.watchers.delete(watcher);
      if (current.watchers.size === 0) {
        this.rooms.delete(name);
        if (this.socket?.connected && current.joined) this.socket.emit('leave', { room: name });
      }
    };
  }
}

let client: LiveClient | null = null;
const live = (): LiveClient => (client ??= new LiveClient());

export function useLiveStatus(): LiveStatus {
  const c = live();
  return useSyncExternalStore(c.subscribeStatus, c.getStatus);
}

/**
 * Watches a room while the component is mounted; `onSignal` (the latest one is always called)
 * hears every change and every "re-query" after a resync or a fresh join. `room` null: nothing.
 */
export function useLiveRoom(room: string | null, onSignal: (signal: LiveSignal) => void): void {
  const latest = useRef(onSignal);
  latest.current = onSignal;
  useEffect(() => {
    if (!room) return;
    return live().watch(room, (signal) => latest.current(signal));
  }, [room]);
}
