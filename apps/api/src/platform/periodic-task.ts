export interface PeriodicTaskOptions {
  /** Named in the log line of a pass that failed. */
  readonly name: string;
  readonly intervalMs: number;
  /** Also pass once at start (default true). */
  readonly runAtStart?: boolean;
  readonly log?: (message: string) => void;
}

/**
 * A pass of work run every `intervalMs` while started: passes never overlap (a tick during a
 * pass shares it), a failed pass is logged and the next one runs as usual, and `stop` waits for
 * the pass in progress. The schedulers that run under the projector lease are built on it.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly options: PeriodicTaskOptions,
    private readonly pass: () => Promise<unknown>,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
    if (this.options.runAtStart ?? true) void this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass now; resolves when it ends (never rejects). */
  tick(): Promise<void> {
    return (this.running ??= this.pass()
      .then(() => undefined)
      .catch((error: unknown) => {
        this.options.log?.(`${this.options.name}: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => (this.running = undefined)));
  }
}
