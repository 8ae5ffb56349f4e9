import type { CheckpointWriter } from '@kyogi/audit/checkpoint-writer';
import { PeriodicTask } from '../../platform/periodic-task';

export interface CheckpointSchedulerOptions {
  readonly writer: CheckpointWriter;
  /** 0: never (checkpoints on demand only). */
  readonly intervalSeconds: number;
  readonly log?: (message: string) => void;
}

/**
 * Signs a checkpoint every `intervalSeconds` when anything was recorded since the last one. The
 * platform runs it only where the projector lease is held; an on-demand checkpoint from another
 * instance meets it on the audit stream's expected revision (CheckpointWriter), so the chain of
 * checkpoints never forks.
 */
export class CheckpointScheduler {
  private readonly task: PeriodicTask;

  constructor(private readonly options: CheckpointSchedulerOptions) {
    this.task = new PeriodicTask({ name: 'checkpoint scheduler', intervalMs: options.intervalSeconds * 1000, runAtStart: false, log: options.log }, () =>
      options.writer.checkpoint({ onlyIfChanged: true }),
    );
  }

  start(): void {
    if (this.options.intervalSeconds > 0) this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  tick(): Promise<void> {
    return this.task.tick();
  }
}
