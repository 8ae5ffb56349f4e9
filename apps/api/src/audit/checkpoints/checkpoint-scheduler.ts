import type { CheckpointWriter } from '@kyogi/audit/checkpoint-writer';

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
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: CheckpointSchedulerOptions) {}

  start(): void {
    if (this.timer || this.options.intervalSeconds === 0) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  tick(): Promise<void> {
    return (this.running ??= this.options.writer
      .checkpoint({ onlyIfChanged: true })
      .then(() => undefined)
      .catch((error: unknown) => this.options.log?.(`checkpoint scheduler: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (this.running = undefined)));
  }
}
