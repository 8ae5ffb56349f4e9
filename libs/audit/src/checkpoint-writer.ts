import { randomUUID } from 'node:crypto';
import {
  comparePositions,
  parsePosition,
  START,
  WrongExpectedRevisionError,
  type EventMetadata,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@kyogi/event-store/port';
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
  | { readonly type: 'CheckpointSigned'; readonly data: { readonly checkpoint: SignedCheckpoint } };

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
      default:
        break; // a later version's event: ignored by this one
    }
  }
  return { revision: events.length ? events[events.length - 1].revision : null, keys, checkpoints };
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
      const previous = state.checkpoints[state.checkpoints.length - 1] ?? null;
      const position = await this.options.store.headPosition();
      await this.catchUp(position);
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

  private async catchUp(position: Position): Promise<void> {
    if (comparePositions(position, this.headsAt) <= 0) return;
    for await (const event of readAfter(this.options.store, this.headsAt, position)) this.heads.set(event.streamName, headOf(event));
    this.headsAt = position;
  }

  private async changedSince(previous: SignedCheckpoint, position: Position): Promise<boolean> {
    for await (const event of readAfter(this.options.store, parsePosition(previous.position), position)) if (event.streamName !== AUDIT_STREAM) return true;
    return false;
  }
}

const headOf = (event: RecordedEvent): StreamHead => ({ streamName: event.streamName, revision: event.revision, hash: event.hash });

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
