import { comparePositions, type EventStore, type Position } from '@kyogi/event-store/port';
import type { ProjectionLag } from './metrics';

/** Counting stops here: beyond it the seconds tell more than the count, and a scrape stays cheap. */
export const LAG_COUNT_CAP = 1000;

/**
 * How far the read models are behind the store: the events after `position` (read, up to
 * LAG_COUNT_CAP) and the age of the first of them. Caught up → { events: 0, seconds: 0 }.
 */
export async function projectionLag(store: EventStore, position: Position, now: Date): Promise<ProjectionLag> {
  const head = await store.headPosition();
  if (comparePositions(position, head) >= 0) return { events: 0, seconds: 0 };
  const behind = await store.readAll({ after: position, maxCount: LAG_COUNT_CAP });
  const oldest = behind[0];
  return {
    events: behind.length,
    seconds: oldest ? Math.max(0, (now.getTime() - oldest.recordedAt.getTime()) / 1000) : 0,
  };
}
