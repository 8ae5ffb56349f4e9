/**
 * The in-memory store behind connection state recovery, bounded: what is kept, what a recovering
 * socket gets back, and that a socket whose offset has been dropped is not recovered (it then
 * joins again with `after`).
 */
import { Server } from 'socket.io';
import type { SessionAwareAdapter } from 'socket.io-adapter';
import { boundedRecoveryAdapter } from './bounded-recovery';

function adapterWith(limit: number): { adapter: SessionAwareAdapter; packets: () => { id: string; data: unknown[] }[] } {
  // No HTTP server: only the namespace's adapter is used (its pruning timer is unref'd).
  const io = new Server({ adapter: boundedRecoveryAdapter(limit), connectionStateRecovery: { maxDisconnectionDuration: 60_000 } });
  const adapter = io.of('/live').adapter as SessionAwareAdapter;
  return { adapter, packets: () => (adapter as unknown as { packets: { id: string; data: unknown[] }[] }).packets };
}

/** What `nsp.to(room).emit('change', n)` hands the adapter. */
const broadcast = (adapter: SessionAwareAdapter, room: string, n: number) =>
  adapter.broadcast({ type: 2, nsp: '/live', data: ['change', n] }, { rooms: new Set([room]), except: new Set() });

it('keeps between limit and twice limit packets, the newest', () => {
  const { adapter, packets } = adapterWith(5);
  for (let n = 1; n <= 10; n++) broadcast(adapter, 'socket-a', n);
  expect(packets().map((p) => p.data[1])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  broadcast(adapter, 'socket-a', 11); // past 2 × 5: back to the newest 5
  expect(packets().map((p) => p.data[1])).toEqual([7, 8, 9, 10, 11]);
  for (let n = 12; n <= 1000; n++) broadcast(adapter, 'socket-a', n);
  expect(packets().length).toBeLessThanOrEqual(10);
  expect(packets().at(-1)!.data[1]).toBe(1000);
});

it('gives a recovering socket the packets of its rooms after its offset, and refuses an offset that is no longer kept', async () => {
  const { adapter, packets } = adapterWith(5);
  adapter.persistSession({ sid: 'socket-a', pid: 'pid-a', rooms: ['socket-a', 'organisation:133078'], data: {} });
  for (let n = 1; n <= 6; n++) broadcast(adapter, n % 2 ? 'socket-a' : 'socket-b', n);
  const offsetOf = (n: number) => packets().find((p) => p.data[1] === n)!.id;

  const recent = await adapter.restoreSession('pid-a', offsetOf(2));
  expect(recent.missedPackets.map((data) => data.slice(0, 2))).toEqual([
    ['change', 3],
    ['change', 5],
  ]);

  const old = offsetOf(1);
  for (let n = 7; n <= 11; n++) broadcast(adapter, 'socket-a', n); // 11 packets: trimmed to the newest 5
  adapter.persistSession({ sid: 'socket-a', pid: 'pid-a', rooms: ['socket-a'], data: {} });
  expect(await adapter.restoreSession('pid-a', old)).toBeNull();
});

it('refuses a limit that is not a whole number of at least 1', () => {
  expect(() => boundedRecoveryAdapter(0)).toThrow('the recovery packet limit must be a whole number of at least 1, got 0');
  expect(() => boundedRecoveryAdapter(2.5)).toThrow(RangeError);
});
