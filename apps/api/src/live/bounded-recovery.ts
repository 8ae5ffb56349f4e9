/**
 * socket.io's in-memory adapter, for connection state recovery, keeps every broadcast packet for
 * the whole recovery window (2 minutes here) and, for each reconnecting socket, searches and
 * scans that list from the start. The gateway sends each change to each socket as its own
 * broadcast (see live-gateway.ts), so the list holds one packet per change per client: with
 * 10,000 clients in a room, a few changes make it 100,000 packets long, and 10,000 clients
 * reconnecting at once cost 10,000 scans of it — a stall of minutes in which every handshake
 * times out (test/e2e/reconnect-storm.e2e.spec.ts found it).
 *
 * This adapter keeps the newest `limit` to 2 × `limit` packets instead, as the Redis streams
 * adapter does with its stream's MAXLEN: memory and each recovery's scan are bounded whatever the
 * number of clients. A client whose last packet has been dropped is not recovered; it reconnects
 * as a new socket and joins again with `after`, which replays from the change log — no gap.
 */
import { SessionAwareAdapter } from 'socket.io-adapter';

/** The same bound as the Redis streams adapter's default MAXLEN. */
export const DEFAULT_RECOVERY_PACKET_LIMIT = 10_000;

export function boundedRecoveryAdapter(limit: number = DEFAULT_RECOVERY_PACKET_LIMIT): typeof SessionAwareAdapter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the recovery packet limit must be a whole number of at least 1, got ${limit}`);
  return class BoundedSessionAwareAdapter extends SessionAwareAdapter {
    override broadcast(...args: Parameters<SessionAwareAdapter['broadcast']>): void {
      super.broadcast(...args);
      // `packets` is private in the typings, a plain array since socket.io-adapter 2.5.
      const packets = (this as unknown as { packets: unknown[] }).packets;
      // Trimmed in halves, so that the cost per packet stays constant.
      if (packets.length > 2 * limit) packets.splice(0, packets.length - limit);
    }
  };
}
