import { eventHash } from '@kyogi/event-store/hash-chain';
import type { EventMetadata, Position, RecordedEvent } from '@kyogi/event-store/port';
import { buildCheckpoint, signCheckpoint, streamHeadsAt, type SignedCheckpoint } from '../checkpoint';
import { writeExport, type ExportInput } from '../export-format';
import type { CheckpointSigningKey } from '../keys';
import type { StreamHeadTree } from '../merkle';

/** Hash-chained events in memory, as a store would record them, for the audit specs. */
export class TestLog {
  readonly events: RecordedEvent[] = [];
  private readonly heads = new Map<string, { revision: bigint; hash: string }>();
  private prepare = 0n;

  append(streamName: string, data: Record<string, unknown> = {}, type = 'ThingHappened'): RecordedEvent {
    const head = this.heads.get(streamName);
    const revision = head ? head.revision + 1n : 0n;
    this.prepare += 1n;
    const metadata: EventMetadata = {
      actor: { personId: 'person-staff-1', organisationId: '011002', roles: ['member'] },
      correlationId: `corr-${this.prepare}`,
      causationId: `cause-${this.prepare}`,
      occurredAt: new Date(Date.UTC(2026, 3, 1, 9, 0, Number(this.prepare))).toISOString(),
      schemaVersion: 1,
    };
    const content = {
      id: `00000000-0000-4000-8000-${this.prepare.toString().padStart(12, '0')}`,
      streamName,
      revision,
      type,
      data: { n: Number(this.prepare), text: '住民記録システム標準仕様書 第4.0版', ...data },
      metadata,
      previousHash: head?.hash ?? null,
    };
    const event: RecordedEvent = {
      ...content,
      position: { commit: 1000n + this.prepare, prepare: this.prepare },
      hash: eventHash(content),
      recordedAt: new Date(Date.UTC(2026, 3, 1, 9, 0, Number(this.prepare), 5)),
    };
    this.events.push(event);
    this.heads.set(streamName, { revision, hash: event.hash });
    return event;
  }

  /** Appends round-robin to the streams, `rounds` times: interleaved, as a real log is. */
  fill(streamNames: readonly string[], rounds: number): this {
    for (let r = 0; r < rounds; r++) for (const s of streamNames) this.append(s);
    return this;
  }

  /** A copy that goes its own way from here (another history after a common past). */
  fork(): TestLog {
    const copy = new TestLog();
    copy.events.push(...this.events);
    for (const [name, head] of this.heads) copy.heads.set(name, head);
    copy.prepare = this.prepare;
    return copy;
  }

  get head(): Position {
    return this.events[this.events.length - 1].position;
  }

  stream(streamName: string): RecordedEvent[] {
    return this.events.filter((e) => e.streamName === streamName);
  }
}

/** Signs a checkpoint over the log as it stands at `upTo` (default: all of it). */
export async function checkpointOf(
  events: readonly RecordedEvent[],
  key: CheckpointSigningKey,
  previous: SignedCheckpoint | null,
  upTo?: Position,
  createdAt = new Date(Date.UTC(2026, 3, 1, 12)),
): Promise<{ checkpoint: SignedCheckpoint; tree: StreamHeadTree }> {
  const position = upTo ?? events[events.length - 1].position;
  const { body, tree } = buildCheckpoint({ previous, position, createdAt, heads: await streamHeadsAt(events, position), keyId: key.kid });
  return { checkpoint: signCheckpoint(body, key), tree };
}

export async function exportLines(input: Omit<ExportInput, 'exportedAt'> & { exportedAt?: Date }): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of writeExport({ exportedAt: new Date(Date.UTC(2026, 3, 2)), ...input })) lines.push(line.replace(/\n$/, ''));
  return lines;
}
