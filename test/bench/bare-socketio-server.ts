/**
 * The fan-out benchmark's peer, run as its own process (like the api): a bare socket.io server
 * on the api's namespace and path, no auth, no database. Clients `join` a room (ack
 * `{ ok: true }`); a control client emits `broadcast` `{ room, payloadBytes, count, intervalMs }`
 * and the server sends `change` to the room `count` times, every `intervalMs`, each payload
 * padded to `payloadBytes` of JSON and carrying `sentAt` (ms since the epoch, the wall clock):
 * the same role as the time an event is recorded on the api side. Ack when the last one is sent.
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
  readonly count: number;
  readonly intervalMs: number;
}

live.on('connection', (socket) => {
  socket.on('join', (request: { room?: unknown }, ack?: (answer: unknown) => void) => {
    if (typeof request?.room !== 'string') return ack?.({ ok: false, code: 'INVALID_ROOM', message: 'room must be a string' });
    for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
    void socket.join(request.room);
    ack?.({ ok: true, room: request.room });
  });
  socket.on('broadcast', (request: BroadcastRequest, ack?: (answer: unknown) => void) => {
    const { room, payloadBytes, count, intervalMs } = request;
    if (!(Number.isInteger(count) && count > 0 && payloadBytes > 0 && intervalMs >= 0)) {
      ack?.({ ok: false, message: 'broadcast needs count > 0, payloadBytes > 0, intervalMs ≥ 0' });
      return;
    }
    const started = epochMs();
    let sent = 0;
    const sendDue = () => {
      // Catch up on the schedule (timers are coarse): every payload due by now goes out.
      const due = Math.min(count, Math.floor((epochMs() - started) / Math.max(intervalMs, 0.001)) + 1);
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
      if (sent < count) setTimeout(sendDue, Math.max(1, intervalMs / 2));
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
