import type { Pool } from 'pg';
import { PeriodicTask } from '../platform/periodic-task';
import type { LadderRunner } from './ladder-runner';

export interface LadderSchedulerOptions {
  readonly pool: Pick<Pool, 'query'>;
  readonly runner: LadderRunner;
  readonly clock: () => Date;
  readonly log?: (message: string) => void;
  /** Default 1000. */
  readonly intervalMs?: number;
}

/** A ladder whose step failed is retried after 2 s, doubling to at most 5 minutes. */
const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 5 * 60_000;

/**
 * Advances ratification ladders by themselves: at start and every second it asks the read models
 * which ladders have something to do — a current round stage not opened yet, one whose rounds
 * have all closed, or a national decision whose proposal is still undecided — and lets the
 * LadderRunner take the steps, as the system for the owner organisation. The platform runs it
 * only where the projector lease is held; the runner's command ids are deterministic, so an
 * overlap of instances or a restart records every step once. A ladder that fails (for example a
 * proposal withdrawn under it) is logged and retried with a growing delay, not every second.
 */
export class LadderScheduler {
  private readonly task: PeriodicTask;
  private readonly retries = new Map<string, { at: number; delayMs: number }>();

  constructor(private readonly options: LadderSchedulerOptions) {
    this.task = new PeriodicTask({ name: 'ladder scheduler', intervalMs: options.intervalMs ?? 1000, log: options.log }, () => this.advanceDue());
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

  private async advanceDue(): Promise<void> {
    const { rows } = await this.options.pool.query<{ ladder_id: string }>(`
      SELECT l.ladder_id FROM read_models.ladders l
        JOIN read_models.ladder_stages s ON s.ladder_id = l.ladder_id AND s.stage = l.current_stage
       WHERE l.status = 'running' AND s.kind <> 'national_decision'
         AND (s.opened_at IS NULL
              OR NOT EXISTS (SELECT 1 FROM unnest(s.consultation_ids) AS round(id)
                               LEFT JOIN read_models.consultations c ON c.consultation_id = round.id
                              WHERE c.status IS DISTINCT FROM 'closed'))
      UNION
      SELECT l.ladder_id FROM read_models.ladders l JOIN read_models.proposals p ON p.proposal_id = l.proposal_id
       WHERE l.status = 'decided' AND p.status = 'submitted'
      LIMIT 100`);
    const now = this.options.clock().getTime();
    for (const { ladder_id: ladderId } of rows) {
      const retry = this.retries.get(ladderId);
      if (retry && retry.at > now) continue;
      const outcome = await this.options.runner.advance(ladderId, null);
      if (outcome.ok) {
        this.retries.delete(ladderId);
        for (const step of outcome.steps) this.options.log?.(`ladder scheduler: ladder ${ladderId}: ${step}`);
      } else {
        const delayMs = Math.min(MAX_RETRY_MS, retry ? retry.delayMs * 2 : FIRST_RETRY_MS);
        this.retries.set(ladderId, { at: now + delayMs, delayMs });
      }
    }
  }
}
