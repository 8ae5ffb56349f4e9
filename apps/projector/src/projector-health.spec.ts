import { START } from '@kyogi/event-store/port';
import { projectorReadiness, type ProjectorHealthSource } from './projector-health';

const source = (over: { active?: boolean; healthy?: boolean; isCaughtUp?: boolean; storeDown?: boolean }): ProjectorHealthSource => ({
  store: { headPosition: async () => (over.storeDown ? Promise.reject(new Error('connection refused')) : START) },
  projector: { healthy: over.healthy ?? true, isCaughtUp: over.isCaughtUp ?? true, currentPosition: { commit: 7n, prepare: 7n } },
  active: over.active ?? true,
});

describe('projectorReadiness', () => {
  it('is ready as a standby: waiting for the lease is healthy', async () => {
    const { ready, body } = await projectorReadiness(source({ active: false, isCaughtUp: false }));
    expect(ready).toBe(true);
    expect(body).toMatchObject({ status: 'ready', role: 'standby', checks: { eventStore: 'ok', projections: 'standby (another process holds the lease)' } });
  });

  it('is ready when active only once caught up and not failing', async () => {
    expect((await projectorReadiness(source({}))).body).toMatchObject({ status: 'ready', role: 'active', checks: { projections: 'caught up' } });
    expect(await projectorReadiness(source({ isCaughtUp: false }))).toMatchObject({ ready: false, body: { checks: { projections: 'catching up' } } });
    expect(await projectorReadiness(source({ healthy: false }))).toMatchObject({ ready: false, body: { checks: { projections: 'failing' } } });
  });

  it('is not ready when the event store does not answer, and says why', async () => {
    const { ready, body } = await projectorReadiness(source({ active: false, storeDown: true }));
    expect(ready).toBe(false);
    expect(body.checks.eventStore).toBe('unreachable: connection refused');
    expect(body.readModelPosition).toMatch(/7/);
  });
});
