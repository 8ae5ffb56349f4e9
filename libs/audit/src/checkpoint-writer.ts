import { randomUUID } from 'node:crypto';
import {
  comparePositions,
  formatPosition,
  parsePosition,
  START,
  WrongExpectedRevisionError,
  type EventMetadata,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@kyogi/event-store/port';
import { eventHash } from '@kyogi/event-store/hash-chain';
import { buildCheckpoint, signCheckpoint, type SignedCheckpoint } from './checkpoint';
import type { CheckpointPublicJwk, CheckpointSigningKey } from './keys';
import { publicJwkOf } from './keys';
import { buildStreamHeadTree, type StreamHead, type StreamHeadTree } from './merkle';

/**
 * The platform's signed checkpoints, kept in the log itself (ADR 0012): one stream holds every
 * key the platform signed with (introduced, retired) and every signed checkpoint. So the key
 * history behind the well-known URL and the chain of checkpoints are as durable, hashed and
 * exportable as everything else.
 */
export const AUDIT_STREAM = 'AuditCheckpoint-platform';

export type AuditStreamEvent =
  | { readonly type: 'CheckpointKeyIntroduced'; readonly data: { readonly key: CheckpointPublicJwk; readonly introducedAt: string } }
  | { readonly type: 'CheckpointKeyRetired'; readonly data: { readonly keyId: string; readonly retiredAt: string } }
  | { readonly type: 'CheckpointSigned'; readonly data: { readonly checkpoint: SignedCheckpoint } }
  /** The log no longer matches its hashes or checkpoints: no checkpoint is signed until a full verification passes. */
  | { readonly type: 'AuditMismatchFound'; readonly data: { readonly finding: AuditFinding; readonly foundAt: string } }
  /** A full verification passed after a mismatch had been found (the log was restored): signing resumes. */
  | { readonly type: 'AuditLogVerified'; readonly data: { readonly eventCount: number; readonly upTo: string; readonly verifiedAt: string } };

/** What a verification found wrong: the first event that does not match, or a checkpoint problem. */
export interface AuditFinding {
  /** content-changed, link-broken, missing-revision, reordered, or a checkpoint problem's code. */
  readonly reason: string;
  readonly message: string;
  readonly streamName: string | null;
  readonly revision: string | null;
  readonly position: string | null;
}

/** Thrown instead of signing over a log that does not match its hashes (or while a mismatch stands). */
export class AuditFailedError extends Error {
  constructor(readonly finding: AuditFinding) {
    super(`the audit log does not verify, so no checkpoint is signed: ${finding.message}`);
    this.name = 'AuditFailedError';
  }
}

export interface CheckpointWriterOptions {
  readonly store: EventStore;
  readonly key: CheckpointSigningKey;
  readonly clock: () => Date;
  readonly log?: (message: string) => void;
}

export interface AuditState {
  readonly revision: bigint | null;
  /** Every key ever introduced, with retiredAt once retired; in order of introduction. */
  readonly keys: readonly CheckpointPublicJwk[];
  /** Oldest first. */
  readonly checkpoints: readonly SignedCheckpoint[];
  /** The standing mismatch, from the last AuditMismatchFound not followed by AuditLogVerified. */
  readonly failure: { readonly finding: AuditFinding; readonly foundAt: string } | null;
}

const SYSTEM_METADATA = (now: Date): EventMetadata => ({
  actor: { personId: 'system', organisationId: 'platform', roles: [] },
  correlationId: 'checkpoint',
  causationId: 'checkpoint',
  occurredAt: now.toISOString(),
  schemaVersion: 1,
});

/** Folds the audit stream. */
export function auditState(events: readonly RecordedEvent[]): AuditState {
  const keys: CheckpointPublicJwk[] = [];
  const checkpoints: SignedCheckpoint[] = [];
  let failure: AuditState['failure'] = null;
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as AuditStreamEvent;
    switch (event.type) {
      case 'CheckpointKeyIntroduced':
        keys.push(event.data.key);
        break;
      case 'CheckpointKeyRetired': {
        const i = keys.findIndex((k) => k.kid === event.data.keyId);
        if (i >= 0) keys[i] = { ...keys[i], retiredAt: event.data.retiredAt };
        break;
      }
      case 'CheckpointSigned':
        checkpoints.push(event.data.checkpoint);
        break;
      case 'AuditMismatchFound':
        failure = { finding: event.data.finding, foundAt: event.data.foundAt };
        break;
      case 'AuditLogVerified':
        failure = null;
        break;
      default:
        break; // a later version's event: ignored by this one
    }
  }
  return { revision: events.length ? events[events.length - 1].revision : null, keys, checkpoints, failure };
}

const MAX_ATTEMPTS = 5;

/**
 * Signs checkpoints of the log. The heads are taken at the store's head position (below every
 * transaction still open, ADR 0003/0012) and kept between calls, so each checkpoint reads only
 * the events since the last one. A new signing key is introduced in the stream on first use and
 * any other current key is retired in the same append. Concurrent writers (an on-demand
 * checkpoint on another instance) meet on the audit stream's expected revision: the loser reads
 * again and builds on the winner's checkpoint.
 */
export class CheckpointWriter {
  private heads = new Map<string, StreamHead>();
  private headsAt: Position = START;
  private lastTree: { readonly sequence: number; readonly tree: StreamHeadTree } | null = null;

  constructor(private readonly options: CheckpointWriterOptions) {}

  /** The public key this writer signs with. */
  get publicKey(): CheckpointPublicJwk {
    return publicJwkOf(this.options.key.privateKey);
  }

  async state(): Promise<AuditState> {
    return auditState(await this.options.store.readStream(AUDIT_STREAM));
  }

  /** Every key the platform signed (or now signs) with, for the well-known URL. */
  async keys(): Promise<CheckpointPublicJwk[]> {
    const { keys } = await this.state();
    return keys.some((k) => k.kid === this.options.key.kid) ? [...keys] : [...keys, this.publicKey];
  }

  /**
   * Signs a checkpoint of the log as it stands. With `onlyIfChanged`, nothing is signed when no
   * event but the audit stream's own has been recorded since the last checkpoint.
   */
  async checkpoint(options: { readonly onlyIfChanged?: boolean } = {}): Promise<SignedCheckpoint | null> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const state = await this.state();
      if (state.failure) throw new AuditFailedError(state.failure.finding);
      const previous = state.checkpoints[state.checkpoints.length - 1] ?? null;
      const position = await this.options.store.headPosition();
      const finding = await this.catchUp(position);
      if (finding) {
        await this.recordFinding(finding);
        throw new AuditFailedError(finding);
      }
      if (options.onlyIfChanged && previous && !(await this.changedSince(previous, position))) return null;
      const now = this.options.clock();
      const { body, tree } = buildCheckpoint({ previous, position, createdAt: now, heads: this.heads.values(), keyId: this.options.key.kid });
      const checkpoint = signCheckpoint(body, this.options.key);
      const events: AuditStreamEvent[] = [];
      if (!state.keys.some((k) => k.kid === this.options.key.kid)) {
        for (const old of state.keys.filter((k) => k.retiredAt === undefined))
          events.push({ type: 'CheckpointKeyRetired', data: { keyId: old.kid, retiredAt: now.toISOString() } });
        events.push({ type: 'CheckpointKeyIntroduced', data: { key: this.publicKey, introducedAt: now.toISOString() } });
      }
      events.push({ type: 'CheckpointSigned', data: { checkpoint } });
      try {
        await this.options.store.appendToStream(
          AUDIT_STREAM,
          events.map((event) => ({ id: randomUUID(), type: event.type, data: { ...event.data }, metadata: SYSTEM_METADATA(now) })),
          state.revision ?? 'no_stream',
        );
        this.lastTree = { sequence: checkpoint.sequence, tree };
        this.options.log?.(
          `checkpoint ${checkpoint.sequence} signed at ${checkpoint.position}: ${checkpoint.streamCount} streams, root ${checkpoint.merkleRoot}`,
        );
        return checkpoint;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt === MAX_ATTEMPTS) throw error;
      }
    }
    return null;
  }

  /** The tree of a checkpoint this writer signed (for inclusion proofs), or one rebuilt from the log up to its position. */
  async treeOf(checkpoint: SignedCheckpoint): Promise<StreamHeadTree> {
    if (this.lastTree?.sequence === checkpoint.sequence) return this.lastTree.tree;
    const heads = new Map<string, StreamHead>();
    const upTo = parsePosition(checkpoint.position);
    for await (const event of readAfter(this.options.store, START, upTo)) heads.set(event.streamName, headOf(event));
    return buildStreamHeadTree(heads.values());
  }

  /**
   * Records the outcome of a full verification of the log (verifyAuditLog, or the periodic one):
   * a mismatch stops the signing of checkpoints, on every instance, until a later full
   * verification passes. Only changes of state are recorded, so a healthy log adds no events.
   */
  async recordVerification(outcome: { readonly finding: AuditFinding | null; readonly eventCount: number; readonly upTo: Position | string }): Promise<void> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const state = await this.state();
      const now = this.options.clock();
      let event: AuditStreamEvent;
      if (outcome.finding) {
        if (state.failure && sameFinding(state.failure.finding, outcome.finding)) return;
        event = { type: 'AuditMismatchFound', data: { finding: outcome.finding, foundAt: now.toISOString() } };
      } else {
        if (!state.failure) return;
        event = { type: 'AuditLogVerified', data: { eventCount: outcome.eventCount, upTo: String(outcome.upTo), verifiedAt: now.toISOString() } };
        this.forgetHeads(); // the log was restored: the next checkpoint reads (and checks) it from the start
      }
      try {
        await this.options.store.appendToStream(
          AUDIT_STREAM,
          [{ id: randomUUID(), type: event.type, data: { ...event.data }, metadata: SYSTEM_METADATA(now) }],
          state.revision ?? 'no_stream',
        );
        this.options.log?.(outcome.finding ? `AUDIT FAILED: ${outcome.finding.message}` : 'the audit log verifies again: checkpoints are signed again');
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt === MAX_ATTEMPTS) throw error;
      }
    }
  }

  private recordFinding(finding: AuditFinding): Promise<void> {
    this.forgetHeads();
    return this.recordVerification({ finding, eventCount: 0, upTo: '' });
  }

  private forgetHeads(): void {
    this.heads = new Map();
    this.headsAt = START;
  }

  /**
   * Takes the heads up to `position`, checking each new event as a verifier would before its head
   * is signed: the revision after its stream's last, the link to that event's hash, and its
   * content against its own hash. The first that fails is returned, and nothing is taken.
   */
  private async catchUp(position: Position): Promise<AuditFinding | null> {
    if (comparePositions(position, this.headsAt) <= 0) return null;
    const taken = new Map(this.heads);
    for await (const event of readAfter(this.options.store, this.headsAt, position)) {
      const finding = checkLink(taken.get(event.streamName), event);
      if (finding) return finding;
      taken.set(event.streamName, headOf(event));
    }
    this.heads = taken;
    this.headsAt = position;
    return null;
  }

  private async changedSince(previous: SignedCheckpoint, position: Position): Promise<boolean> {
    for await (const event of readAfter(this.options.store, parsePosition(previous.position), position)) if (event.streamName !== AUDIT_STREAM) return true;
    return false;
  }
}

const headOf = (event: RecordedEvent): StreamHead => ({ streamName: event.streamName, revision: event.revision, hash: event.hash });

const sameFinding = (a: AuditFinding, b: AuditFinding): boolean =>
  a.reason === b.reason && a.streamName === b.streamName && a.revision === b.revision && a.position === b.position;

/** The verifier's per-event checks (libs/audit/src/verify.ts), for an event following `head` in its stream. */
function checkLink(head: StreamHead | undefined, event: RecordedEvent): AuditFinding | null {
  const at = { streamName: event.streamName, revision: String(event.revision), position: formatPosition(event.position) };
  const where = `${event.streamName} revision ${event.revision} at position ${at.position}`;
  const expected = head ? head.revision + 1n : 0n;
  if (event.revision !== expected)
    return { ...at, reason: 'missing-revision', message: `${where}: expected revision ${expected} of the stream (an event is missing or out of order)` };
  const expectedPrevious = head ? head.hash : null;
  if (event.previousHash !== expectedPrevious)
    return { ...at, reason: 'link-broken', message: `${where}: it names previous hash ${event.previousHash ?? 'none'}, not ${expectedPrevious ?? 'none'}` };
  const computed = eventHash(event);
  if (computed !== event.hash)
    return {
      ...at,
      reason: 'content-changed',
      message: `${where}: its type, data or metadata no longer give its hash (stored ${event.hash}, computed ${computed})`,
    };
  return null;
}

/** Events after `after` up to `upTo` (inclusive), in global order, page by page. */
async function* readAfter(store: EventStore, after: Position, upTo: Position): AsyncGenerator<RecordedEvent> {
  let from = after;
  for (;;) {
    const page = await store.readAll({ after: from, maxCount: 1000 });
    for (const event of page) {
      if (comparePositions(event.position, upTo) > 0) return;
      yield event;
    }
    if (page.length < 1000) return;
    from = page[page.length - 1].position;
  }
}
