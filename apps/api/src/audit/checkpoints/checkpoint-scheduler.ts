import type { CheckpointWriter } from '@kyogi/audit/checkpoint-writer';
import { PeriodicTask } from '../../platform/periodic-task';

export interface CheckpointSchedulerOptions {
  readonly writer: CheckpointWriter;
  /** 0: never (checkpoints on demand only). */
  readonly intervalSeconds: number;
  /** A full verification of the log (verifyWholeLog), which marks the audit failed or verified again. */
  readonly verify: () => Promise<unknown>;
  /** 0: never (verification on demand only). */
  readonly verifyIntervalSeconds: number;
  readonly log?: (message: string) => void;
}

/**
 * Signs a checkpoint every `intervalSeconds` when anything was recorded since the last one, and
 * verifies the whole log every `verifyIntervalSeconds` (signing checks only the events since the
 * last checkpoint; the full pass finds an older event changed behind the app's back). The
 * platform runs it only where the projector lease is held; an on-demand checkpoint from another
 * instance meets it on the audit stream's expected revision (CheckpointWriter), so the chain of
 * checkpoints never forks.
 */
export class CheckpointScheduler {
  private readonly signing: PeriodicTask;
  private readonly verifying: PeriodicTask;

  constructor(private readonly options: CheckpointSchedulerOptions) {
    this.signing = new PeriodicTask({ name: 'checkpoint scheduler', intervalMs: options.intervalSeconds * 1000, runAtStart: false, log: options.log }, () =>
      options.writer.checkpoint({ onlyIfChanged: true }),
    );
    this.verifying = new PeriodicTask(
      { name: 'audit verification', intervalMs: options.verifyIntervalSeconds * 1000, runAtStart: false, log: options.log },
      options.verify,
    );
  }

  start(): void {
    if (this.options.intervalSeconds > 0) this.signing.start();
    if (this.options.verifyIntervalSeconds > 0) this.verifying.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.signing.stop(), this.verifying.stop()]);
  }

  tick(): Promise<void> {
    return this.signing.tick();
  }

  /** One full verification now (for tests and operators); resolves when it ends. */
  verifyNow(): Promise<void> {
    return this.verifying.tick();
  }
}
