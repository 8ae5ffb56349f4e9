import type { Position } from '@kyogi/event-store/port';
import { ProjectionTimeoutError, type Projector } from '@kyogi/read-models/projector';
import { graphqlError } from './request-context';

/** A query's `waitFor`: hold the answer until the read models have reached that position. */
export async function readYourWrites(projector: Projector, position: Position | null | undefined): Promise<void> {
  if (!position) return;
  try {
    await projector.waitFor(position, 10_000);
  } catch (error) {
    if (error instanceof ProjectionTimeoutError) throw graphqlError(error.code, error.message);
    throw error;
  }
}
