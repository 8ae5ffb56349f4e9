import type { LoggedChange } from '@kyogi/read-models/change-log';
import type { ChangeFeed } from './change-feed';

export interface LiveSession {
  readonly personId: string;
  readonly organisationId: string;
}

/** Why a live session ends before its token expires. */
export type RevocationReason = 'ORGANISATION_DEACTIVATED' | 'ROLES_CHANGED';

/**
 * Ends live connections whose token no longer says the truth: the organisation was
 * deactivated, or the person's roles changed (the token still carries the old ones). Fed by the
 * same change feed as everything live, so it works across instances.
 */
export class SessionRevocations {
  private readonly watchers = new Map<string, Set<{ session: LiveSession; revoke: (reason: RevocationReason) => void }>>();
  private iterator: AsyncIterableIterator<LoggedChange> | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  start(): void {
    this.running = this.consume();
  }

  private async consume(): Promise<void> {
    while (!this.stopped) {
      this.iterator = this.feed.subscribe((c) => c.entity === 'organisation' && (c.change === 'OrganisationDeactivated' || c.change === 'MemberRolesChanged'));
      try {
        for await (const change of this.iterator) this.apply(change);
      } catch (error) {
        this.log(`session revocations: ${(error as Error).message}; subscribing again`);
      }
    }
  }

  /** Applies one change to the sessions watched (exposed for tests). */
  apply(change: Pick<LoggedChange, 'id' | 'change' | 'scope'>): void {
    for (const watcher of [...(this.watchers.get(change.id) ?? [])]) {
      if (change.change === 'OrganisationDeactivated') watcher.revoke('ORGANISATION_DEACTIVATED');
      else if (change.change === 'MemberRolesChanged' && change.scope.personId === watcher.session.personId) watcher.revoke('ROLES_CHANGED');
    }
  }

  /** Calls `revoke` (once) when the session must end; returns the function that stops watching. */
  watch(session: LiveSession, revoke: (reason: RevocationReason) => void): () => void {
    let done = false;
    const watcher = {
      session,
      revoke: (reason: RevocationReason) => {
        if (done) return;
        unwatch();
        revoke(reason);
      },
    };
    const unwatch = () => {
      done = true;
      const set = this.watchers.get(session.organisationId);
      set?.delete(watcher);
      if (set && set.size === 0) this.watchers.delete(session.organisationId);
    };
    if (!this.watchers.has(session.organisationId)) this.watchers.set(session.organisationId, new Set());
    this.watchers.get(session.organisationId)!.add(watcher);
    return unwatch;
  }

  get watching(): number {
    let count = 0;
    for (const set of this.watchers.values()) count += set.size;
    return count;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.iterator?.return?.();
    await this.running;
  }
}
