import type { Pool } from 'pg';
import type { OrganisationKind } from '@kyogi/domain/shared/decider';
import { consultationDecider, SYSTEM_PERSON_ID } from '@kyogi/domain/consultations/consultations.decider';
import type { CloseConsultation } from '@kyogi/domain/consultations/consultations.commands';
import type { EventStore } from '@kyogi/event-store/port';
import { decideAndAppend } from '../command-handling/decide-and-append';
import { PeriodicTask } from '../platform/periodic-task';

export interface ClosingSchedulerOptions {
  readonly pool: Pick<Pool, 'query'>;
  readonly store: EventStore;
  readonly clock: () => Date;
  readonly log?: (message: string) => void;
  /** Default 1000. */
  readonly intervalMs?: number;
}

/** The command id of the automatic close: the same on every instance and after every restart. */
export const closingCommandId = (consultationId: string): string => `close:${consultationId}`;

/**
 * Closes due consultations (status open, closes_at ≤ now in the read model) by sending
 * CloseConsultation as the system actor — personId 'system', the opener's organisation, roles
 * ['coordinator'] — at start and every second. Free of Nest; the platform runs it only where the
 * projector lease is held. The command id is deterministic (`close:<id>`) and the decider
 * decides nothing for a closed round, so two instances, a retry, or a restart never close twice;
 * its state is the read model and the events, nothing in memory.
 */
export class ClosingScheduler {
  private readonly task: PeriodicTask;

  constructor(private readonly options: ClosingSchedulerOptions) {
    this.task = new PeriodicTask({ name: 'closing scheduler', intervalMs: options.intervalMs ?? 1000, log: options.log }, () => this.closeDue());
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One pass; overlapping calls share the pass in progress. */
  tick(): Promise<void> {
    return this.task.tick();
  }

  private async closeDue(): Promise<void> {
    const now = this.options.clock();
    const { rows } = await this.options.pool.query<{ consultation_id: string; opened_by_organisation_id: string; kind: OrganisationKind | null }>(
      `SELECT c.consultation_id, c.opened_by_organisation_id, o.kind
         FROM read_models.consultations c LEFT JOIN read_models.organisations o ON o.id = c.opened_by_organisation_id
        WHERE c.status = 'open' AND c.closes_at <= $1 ORDER BY c.closes_at LIMIT 100`,
      [now],
    );
    for (const row of rows) {
      const command: CloseConsultation = {
        type: 'CloseConsultation',
        data: { consultationId: row.consultation_id, reason: null },
        metadata: {
          commandId: closingCommandId(row.consultation_id),
          now: this.options.clock(),
          actor: {
            personId: SYSTEM_PERSON_ID,
            organisationId: row.opened_by_organisation_id,
            organisationKind: row.kind ?? 'national',
            roles: ['coordinator'],
          },
        },
      };
      const outcome = await decideAndAppend(this.options.store, consultationDecider, row.consultation_id, command);
      if (!outcome.ok) this.options.log?.(`closing scheduler: ${row.consultation_id}: ${outcome.error.code} ${outcome.error.message}`);
      else if (outcome.events.length) this.options.log?.(`closing scheduler: closed consultation ${row.consultation_id}`);
    }
  }
}
