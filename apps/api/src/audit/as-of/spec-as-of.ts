/**
 * A spec "as of" a moment: its stream's events up to then, folded with the spec decider's own
 * `evolve`, shown as the same SpecView the `spec` query returns, with the versions published by
 * then (`asOf`). A published version never changes (its requirements are fixed in its event), so
 * each version's requirements, read from the read model, are those of any moment after it was
 * published. Pure: the caller reads the stream.
 */
import { specDecider, type SpecState } from '@kyogi/domain/specs/specs.decider';
import type { SpecEvent } from '@kyogi/domain/specs/specs.events';
import type { RecordedEvent } from '@kyogi/event-store/port';
import type { SpecVersionView, SpecView } from '../../specs/spec.view';
import { eventsUpTo } from './events-up-to';

export interface SpecAsOf {
  readonly at: Date;
  /** The versions published by `at`, oldest first (publication order is ascending version order). */
  readonly versions: readonly SpecVersionView[];
}

export type SpecAsOfView = SpecView & { readonly asOf: SpecAsOf };

/** The as-of part of a spec read `asOf` a moment; undefined for one read now. */
export const specAsOfOf = (view: SpecView): SpecAsOf | undefined => (view as Partial<SpecAsOfView>).asOf;

/** The spec as it stood at `at`, or null when it had not been created yet. */
export function specAsOf(events: readonly RecordedEvent[], at: Date): SpecAsOfView | null {
  const upTo = eventsUpTo(events, at);
  if (upTo.length === 0) return null;
  let state: SpecState = specDecider.initialState();
  const publishedAt = new Map<string, Date>();
  for (const recorded of upTo) {
    const event = { type: recorded.type, data: recorded.data } as unknown as SpecEvent;
    state = specDecider.evolve(state, event);
    // As the specs projection takes it: the time of the event.
    if (event.type === 'SpecVersionPublished') publishedAt.set(event.data.version, new Date(recorded.metadata.occurredAt));
  }
  if (state.status === 'uncreated') return null;
  const s = state;
  const versions: SpecVersionView[] =
    s.status === 'published'
      ? s.versions.map((v) => ({
          specId: s.specId,
          version: v.version,
          publishedAt: publishedAt.get(v.version)!,
          requirementCount: v.requirements.length,
          incorporatedProposalIds: v.incorporatedProposalIds,
        }))
      : [];
  const last = upTo[upTo.length - 1];
  return {
    id: s.specId,
    title: s.title,
    domain: s.domain,
    ownerOrganisationId: s.ownerOrganisationId,
    latestVersionNumber: versions.length ? versions[versions.length - 1].version : null,
    createdAt: new Date(upTo[0].metadata.occurredAt),
    updatedAt: new Date(last.metadata.occurredAt),
    revision: Number(last.revision),
    asOf: { at, versions },
  };
}

/** The version `version` of a spec read as of a moment (null when not published by then); undefined for one read now. */
export function specVersionAsOf(view: SpecView, version: string): SpecVersionView | null | undefined {
  const asOf = specAsOfOf(view);
  return asOf && (asOf.versions.find((v) => v.version === version) ?? null);
}
