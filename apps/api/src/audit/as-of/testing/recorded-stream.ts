import { createHash } from 'node:crypto';
import { isDomainError, type Actor, type Decider, type DomainCommand, type DomainEvent } from '@kyogi/domain/shared/decider';
import type { RecordedEvent } from '@kyogi/event-store/port';

/**
 * For the as-of specs: a stream built by the real decider, each command decided at its own time
 * and recorded as the store would (revisions, positions from `commitBase`, metadata with the
 * actor and time). Hashes are placeholders: as-of folds events, it does not verify them.
 */
export class RecordedStream<S, C extends DomainCommand> {
  readonly events: RecordedEvent[] = [];
  private state: S;

  constructor(
    private readonly decider: Decider<S, C, DomainEvent>,
    private readonly id: string,
    private readonly commitBase = 100n,
  ) {
    this.state = decider.initialState();
  }

  record(at: string, by: Actor, command: Omit<C, 'metadata'>): void {
    const decision = this.decider.decide({ ...command, metadata: { commandId: `${at}-${by.personId}`, now: new Date(at), actor: by } } as C, this.state);
    if (isDomainError(decision)) throw new Error(`${decision.code}: ${decision.message}`);
    for (const event of decision) {
      this.state = this.decider.evolve(this.state, event);
      const revision = BigInt(this.events.length);
      this.events.push({
        id: `e-${revision}`,
        streamName: `${this.decider.category}-${this.id}`,
        revision,
        position: { commit: this.commitBase + revision, prepare: revision },
        type: event.type,
        data: event.data as Record<string, unknown>,
        metadata: {
          actor: { personId: by.personId, organisationId: by.organisationId, roles: [...by.roles] },
          correlationId: 'c',
          causationId: 'c',
          occurredAt: new Date(at).toISOString(),
          schemaVersion: 1,
        },
        hash: createHash('sha256').update(String(revision)).digest('hex'),
        previousHash: null,
        recordedAt: new Date(at),
      });
    }
  }
}
