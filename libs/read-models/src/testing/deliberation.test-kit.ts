/**
 * For the int tests of the read models: commands decided by the real
 * deciders and appended to a real store (load → decide → append, kept here: libs must not import
 * apps), then waited for in the projector. Not a test itself; imported by *.int.spec.ts only.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, Decider, DomainCommand, DomainEvent } from '@kyogi/domain/shared/decider';
import { isDomainError, streamName } from '@kyogi/domain/shared/decider';
import { specDecider } from '@kyogi/domain/specs/specs.decider';
import type { SpecState } from '@kyogi/domain/specs/specs.decider';
import { JUMIN_KIROKU_REQUIREMENTS } from '@kyogi/domain/specs-import/jumin-kiroku.sample';
import type { EventStore, Position } from '@kyogi/event-store/port';
import type { Projector } from '../projector';

export const actor = (personId: string, organisationId: string, organisationKind: Actor['organisationKind'], roles: Actor['roles']): Actor => ({
  personId,
  organisationId,
  organisationKind,
  roles,
});

export const SAPPORO_MEMBER = actor('p-sapporo-member', '011002', 'municipality', ['member']);
export const SAPPORO_APPROVER = actor('p-sapporo-approver', '011002', 'municipality', ['member', 'approver']);
export const HAKODATE_MEMBER = actor('p-hakodate-member', '012025', 'municipality', ['member']);
export const HAKODATE_APPROVER = actor('p-hakodate-approver', '012025', 'municipality', ['member', 'approver']);
export const VENDOR_MEMBER = actor('p-vendor-member', 'vendor-example', 'vendor', ['member']);
export const DA_COORDINATOR = actor('p-da-coordinator', 'digital-agency', 'national', ['member', 'coordinator']);

export interface Executed {
  readonly position: Position;
  readonly now: Date;
  readonly events: readonly DomainEvent[];
}

export class Deliberation {
  private clock = Date.UTC(2025, 3, 1, 0, 0, 0);

  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
  ) {}

  async state<S>(decider: Decider<S, DomainCommand, DomainEvent>, streamId: string): Promise<{ state: S; revision: bigint | null }> {
    const recorded = await this.store.readStream(streamName(decider.category, streamId));
    const state = recorded.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data }), decider.initialState());
    return { state, revision: recorded.length ? recorded[recorded.length - 1].revision : null };
  }

  /** Decides with the real decider, appends and waits until the projector has applied it. */
  async execute<S, C extends DomainCommand, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    streamId: string,
    command: Omit<C, 'metadata'>,
    by: Actor,
  ): Promise<Executed> {
    const now = new Date((this.clock += 60_000));
    const full = { ...command, metadata: { commandId: randomUUID(), now, actor: by } } as C;
    const { state, revision } = await this.state(decider as unknown as Decider<S, DomainCommand, DomainEvent>, streamId);
    const decision = decider.decide(full, state);
    if (isDomainError(decision)) throw new Error(`${decision.code}: ${decision.message}`);
    if (decision.length === 0) throw new Error('the test expects every command to record an event');
    const metadata = {
      actor: { personId: by.personId, organisationId: by.organisationId, roles: [...by.roles] },
      correlationId: full.metadata.commandId,
      causationId: full.metadata.commandId,
      occurredAt: now.toISOString(),
      schemaVersion: 1,
    };
    const result = await this.store.appendToStream(
      streamName(decider.category, streamId),
      decision.map((e) => ({ id: randomUUID(), type: e.type, data: { ...e.data } as Record<string, unknown>, metadata })),
      revision ?? 'no_stream',
    );
    await this.projector.waitFor(result.position, 5_000);
    return { position: result.position, now, events: decision };
  }

  /** 住民記録システム標準仕様書 4.0 (the sample requirements), owned by デジタル庁; returns the Spec stream's state. */
  async publishJuminKiroku(): Promise<SpecState> {
    const owner = actor('p-da-admin', 'digital-agency', 'national', ['admin']);
    await this.execute(
      specDecider,
      'juminkiroku',
      { type: 'CreateSpec', data: { specId: 'juminkiroku', title: '住民記録システム標準仕様書', domain: '住民記録', ownerOrganisationId: 'digital-agency' } },
      owner,
    );
    await this.execute(
      specDecider,
      'juminkiroku',
      {
        type: 'PublishSpecVersion',
        data: { specId: 'juminkiroku', version: '4.0', requirements: JUMIN_KIROKU_REQUIREMENTS, incorporatedProposalIds: [], incorporatedProposals: {} },
      },
      owner,
    );
    return (await this.state(specDecider as unknown as Decider<SpecState, DomainCommand, DomainEvent>, 'juminkiroku')).state;
  }
}
