import { createHash } from 'node:crypto';
import { Client } from 'pg';

/**
 * First key of every Kyogi lease ('KYOG' in ASCII). The two-int4 advisory lock space is separate
 * from the single-bigint one (pg_locks.objsubid 2 vs 1), so these never collide with e.g. the
 * projector's migration lock `pg_advisory_lock(7420012)`.
 */
export const KYOGI_LEASE_CLASS = 0x4b594f47;

/**
 * The `pg_try_advisory_lock(int, int)` key of a lease: the fixed Kyogi class and the first 32 bits
 * of SHA-256(name). Stable across processes and versions, so any process (or a plain `psql`) can
 * take or inspect the same lock.
 */
export function leaderLeaseKey(name: string): readonly [number, number] {
  return [KYOGI_LEASE_CLASS, createHash('sha256').update(name, 'utf8').digest().readInt32BE(0)];
}

export interface LeaderLeaseOptions {
  readonly connectionString: string;
  /** What is being led, e.g. `projections`; instances with the same name exclude each other. */
  readonly name: string;
  /** How often a standby retries and a leader checks its connection. Default 1000. */
  readonly retryMs?: number;
  /** application_name of the lease's connection (visible in pg_stat_activity). Default `kyogi-lease:<name>`. */
  readonly applicationName?: string;
  readonly log?: (message: string) => void;
}

export interface LeaderLeaseCallbacks {
  /** We hold the lock: start the leader's work. If it throws, the lease calls onLost and releases the lock. */
  onAcquired(): Promise<void>;
  /** We no longer hold the lock (or are giving it up): stop the leader's work. Do not await `stop()` in here. */
  onLost(): Promise<void>;
}

/**
 * Leader election with a session-level PostgreSQL advisory lock on a dedicated connection: the
 * lock lives exactly as long as that session, so when the holder dies (SIGKILL included) the
 * server releases it as the connection closes and a standby gets it on its next try.
 *
 * The lease is not a fencing token: between the server dropping our session and us noticing
 * (at most about retryMs plus the check timeout) another instance may already lead. Leader work
 * must tolerate that short overlap (the projector's checkpointed transactions do).
 */
export class LeaderLease {
  private readonly key: readonly [number, number];
  private readonly retryMs: number;
  /** Connect and query timeout: a wedged connection must not stall the checks for long. */
  private readonly timeoutMs: number;
  private callbacks: LeaderLeaseCallbacks | undefined;
  private started = false;
  private stopped = false;
  private stopping: Promise<void> | undefined;
  private client: Client | undefined;
  /** Set by the client's 'error'/'end' events: the session (and with it any lock) is gone. */
  private broken = false;
  /** The lock is ours and onAcquired has been called (so onLost is owed). */
  private holding = false;
  private timer: NodeJS.Timeout | undefined;
  /** The one attempt/check in flight; timers and events never start a second one. */
  private inFlight: Promise<void> | undefined;
  private rerun = false;
  private unreachable = false;

  constructor(private readonly options: LeaderLeaseOptions) {
    this.key = leaderLeaseKey(options.name);
    this.retryMs = options.retryMs ?? 1000;
    this.timeoutMs = Math.max(1000, this.retryMs);
  }

  /** True while we hold the lock on a connection not known to be lost. */
  get isLeader(): boolean {
    return this.holding && !this.broken;
  }

  /**
   * Tries at once, then every retryMs. Resolves after the first attempt (including onAcquired when
   * it got the lock); never rejects on database errors, it logs them and keeps retrying.
   */
  async start(callbacks: LeaderLeaseCallbacks): Promise<void> {
    if (this.stopped) throw new Error(`leader lease ${this.options.name} was stopped; create a new one`);
    if (this.started) return this.inFlight;
    this.started = true;
    this.callbacks = callbacks;
    return this.run();
  }

  /** Stops retrying; if leader, calls onLost, then releases the lock and closes the connection. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight; // never two things at once on the connection, and never onLost before a running onAcquired ends
    if (this.holding) {
      this.holding = false;
      await this.notifyLost();
      // Release explicitly rather than rely on the session ending: a graceful stop hands over at once.
      const client = this.client;
      if (client && !this.broken) await this.withTimeout(client.query('SELECT pg_advisory_unlock($1, $2)', [...this.key])).catch(() => undefined);
      this.log('released');
    }
    await this.closeClient(true);
  }

  private run(): Promise<void> {
    if (this.inFlight) {
      this.rerun = true; // an event arrived mid-attempt: look again right after it
      return this.inFlight;
    }
    if (this.stopped || !this.started) return Promise.resolve();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.rerun = false;
    const attempt = this.tick()
      .catch((error: unknown) => this.log(`unexpected error: ${message(error)}`))
      .finally(() => {
        this.inFlight = undefined;
        if (this.stopped) return;
        // A chain of timeouts, not setInterval: a slow attempt delays the next instead of overlapping it.
        this.timer = setTimeout(
          () => {
            this.timer = undefined;
            void this.run();
          },
          this.rerun ? 0 : this.retryMs,
        );
      });
    this.inFlight = attempt;
    return attempt;
  }

  private async tick(): Promise<void> {
    if (this.holding) {
      const reason = this.broken ? 'connection lost' : await this.check();
      if (reason) await this.lose(reason);
      // After a loss, wait a full retryMs before trying again: a standby that was already waiting gets the lock first.
      return;
    }
    const client = await this.connect();
    if (!client) return;
    let got: boolean;
    try {
      const { rows } = await this.withTimeout(client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS got', [...this.key]));
      got = rows[0].got;
    } catch (error) {
      // The lock may have been granted before the timeout: dropping the session releases it for sure.
      this.log(`lock attempt failed, reconnecting: ${message(error)}`);
      await this.closeClient(false);
      return;
    }
    if (!got) return;
    if (this.stopped) {
      // stop() was called while we asked: give it back without ever starting the leader's work.
      await this.withTimeout(client.query('SELECT pg_advisory_unlock($1, $2)', [...this.key])).catch(() => undefined);
      return;
    }
    this.holding = true;
    this.log('acquired, this instance leads');
    try {
      await this.callbacks!.onAcquired();
    } catch (error) {
      this.log(`onAcquired failed, giving the lease up: ${message(error)}`);
      this.holding = false;
      await this.notifyLost(); // let the caller undo a half-done start
      await this.withTimeout(client.query('SELECT pg_advisory_unlock($1, $2)', [...this.key])).catch(() => this.closeClient(false));
    }
  }

  /** Undefined when the session is alive, else why not. */
  private async check(): Promise<string | undefined> {
    try {
      await this.withTimeout(this.client!.query('SELECT 1'));
      return this.broken ? 'connection lost' : undefined;
    } catch (error) {
      return `connection check failed: ${message(error)}`;
    }
  }

  private async lose(reason: string): Promise<void> {
    this.holding = false;
    this.log(`lost (${reason}); stopping the leader's work, another instance may already lead`);
    await this.closeClient(false);
    await this.notifyLost();
  }

  private async notifyLost(): Promise<void> {
    try {
      await this.callbacks!.onLost();
    } catch (error) {
      this.log(`onLost failed: ${message(error)}`);
    }
  }

  private async connect(): Promise<Client | undefined> {
    if (this.client && !this.broken) return this.client;
    await this.closeClient(false);
    const client = new Client({
      connectionString: this.options.connectionString,
      application_name: this.options.applicationName ?? `kyogi-lease:${this.options.name}`,
      connectionTimeoutMillis: this.timeoutMs,
      keepAlive: true,
    });
    // Without an 'error' listener a dropped connection would crash the process.
    const lost = () => {
      if (this.client !== client || this.broken) return;
      this.broken = true;
      void this.run();
    };
    client.on('error', lost);
    client.on('end', lost);
    this.client = client;
    this.broken = false;
    try {
      await client.connect();
      // The server must notice a vanished holder (host crash, partition) within seconds, not after the
      // OS default 2 h keepalive; and a global idle_session_timeout must not end the lease's session.
      await this.withTimeout(
        client.query(`SELECT set_config(s.name, v.value, false)
          FROM (VALUES ('tcp_keepalives_idle', '5'), ('tcp_keepalives_interval', '2'), ('tcp_keepalives_count', '3'), ('idle_session_timeout', '0')) AS v(name, value)
          JOIN pg_settings s USING (name)`),
      );
    } catch (error) {
      if (!this.unreachable) this.log(`cannot reach PostgreSQL, retrying every ${this.retryMs} ms: ${message(error)}`);
      this.unreachable = true;
      await this.closeClient(false);
      return undefined;
    }
    if (this.unreachable) this.log('PostgreSQL reachable again');
    this.unreachable = false;
    return client;
  }

  /** Forgets the current client; `graceful` waits (bounded) for it to end. */
  private async closeClient(graceful: boolean): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.broken = false;
    if (!client) return;
    client.removeAllListeners();
    client.on('error', () => undefined);
    const ended = client.end().catch(() => undefined);
    if (graceful) await this.withTimeout(ended).catch(() => undefined);
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  private log(text: string): void {
    this.options.log?.(`leader lease ${this.options.name}: ${text}`);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
