/**
 * The fan-out benchmark's peer, run as its own process (like the api): a bare socket.io server
 * on the api's namespace and path, no auth, no database. Clients `join` a room (ack
 * `{ ok: true }`); a control client emits `broadcast` `{ room, payloadBytes, offsetsMs }` and the
 * server sends `change` to the room once per offset, payload i at `offsetsMs[i]` (ascending) after
 * the start: the api's own commit times replayed, bursts and all. Each payload is padded to `payloadBytes` of JSON and
 * carries `sentAt` (ms since the epoch, the wall clock): the same role as the time an event is
 * recorded on the api side. Ack when the last one is sent.
 *
 * Prints `listening http://127.0.0.1:<port>` once ready.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

/** The wall clock, as the benchmark's clients read it (see fanout.bench.ts). */
const epochMs = (): number => Date.now();

const http = createServer();
const io = new Server(http, { path: '/socket.io', serveClient: false, transports: ['websocket'] });
const live = io.of('/live');

interface BroadcastRequest {
  readonly room: string;
  readonly payloadBytes: number;
  readonly offsetsMs: readonly number[];
}

live.on('connection', (socket) => {
  socket.on('join', (request: { room?: unknown }, ack?: (answer: unknown) => void) => {
    if (typeof request?.room !== 'string') return ack?.({ ok: false, code: 'INVALID_ROOM', message: 'room must be a string' });
    for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
    void socket.join(request.room);
    ack?.({ ok: true, room: request.room });
  });
  socket.on('broadcast', (request: BroadcastRequest, ack?: (answer: unknown) => void) => {
    const { room, payloadBytes, offsetsMs } = request;
    if (!(payloadBytes > 0 && Array.isArray(offsetsMs) && offsetsMs.length > 0 && offsetsMs.every((at, i) => at >= 0 && (i === 0 || at >= offsetsMs[i - 1])))) {
      ack?.({ ok: false, message: 'broadcast needs payloadBytes > 0 and offsetsMs: at least one offset ≥ 0, in ascending order' });
      return;
    }
    const count = offsetsMs.length;
    const started = epochMs();
    let sent = 0;
    /** How many payloads are due `elapsed` ms after the start. */
    const dueBy = (elapsed: number): number => {
      let due = sent;
      while (due < count && offsetsMs[due] <= elapsed) due++;
      return due;
    };
    const sendDue = () => {
      // Catch up on the schedule (timers are coarse): every payload due by now goes out.
      const due = dueBy(epochMs() - started);
      while (sent < due) {
        const base = {
          room,
          entity: 'consultation',
          id: room.slice(room.indexOf(':') + 1),
          change: 'StanceCast',
          position: String(sent),
          sentAt: epochMs(),
          pad: '',
        };
        const pad = Math.max(0, payloadBytes - Buffer.byteLength(JSON.stringify(base)));
        live.to(room).emit('change', { ...base, pad: 'x'.repeat(pad) });
        sent++;
      }
      if (sent < count) setTimeout(sendDue, Math.max(1, Math.min(offsetsMs[sent] - (epochMs() - started), 50)));
      else ack?.({ ok: true, sent });
    };
    sendDue();
  });
});

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  if (address && typeof address === 'object') process.stdout.write(`listening http://127.0.0.1:${address.port}\n`);
});
process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
