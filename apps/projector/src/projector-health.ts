import { formatPosition, type Position } from '@kyogi/event-store/port';

/** What the health endpoints look at: the platform's parts, narrowed so that a test can hand in its own. */
export interface ProjectorHealthSource {
  readonly store: { headPosition(): Promise<Position> };
  readonly projector: { readonly healthy: boolean; readonly isCaughtUp: boolean; readonly currentPosition: Position };
  /** Whether this process holds the lease and runs the projections now. */
  readonly active: boolean;
}

export interface ProjectorReadiness {
  readonly ready: boolean;
  readonly body: {
    readonly status: 'ready' | 'not ready';
    readonly role: 'active' | 'standby';
    readonly checks: Record<string, string>;
    readonly readModelPosition: string;
  };
}

/**
 * /health/ready of the projector. A standby is ready: it is healthy and waits for the lease, and
 * an orchestrator must not restart it for waiting. The active process is ready once its
 * projections have caught up to the head as it stood when they started and have not failed.
 */
export async function projectorReadiness(source: ProjectorHealthSource): Promise<ProjectorReadiness> {
  const checks: Record<string, string> = {};
  let ready = true;
  try {
    await source.store.headPosition();
    checks.eventStore = 'ok';
  } catch (error) {
    ready = false;
    checks.eventStore = `unreachable: ${(error as Error).message}`;
  }
  if (source.active) {
    const { projector } = source;
    checks.projections = !projector.healthy ? 'failing' : projector.isCaughtUp ? 'caught up' : 'catching up';
    ready &&= projector.healthy && projector.isCaughtUp;
  } else {
    checks.projections = 'standby (another process holds the lease)';
  }
  return {
    ready,
    body: {
      status: ready ? 'ready' : 'not ready',
      role: source.active ? 'active' : 'standby',
      checks,
      readModelPosition: formatPosition(source.projector.currentPosition),
    },
  };
}
