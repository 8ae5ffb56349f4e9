/**
 * A prefectural talent pool "as of" a moment: its stream's events up to then, folded with the pool
 * decider's own `evolve`, shown as the same TalentPoolView the `talentPool` query returns. The view
 * carries the people (with their capacity then) and the dispatches made by then, each with its end
 * date as in force then (`asOf`), so `people` and `dispatches` show that moment under the same
 * rules as now (people for the pool's prefecture; a dispatched person's name for it and the
 * organisation served). Pure: the caller reads the stream.
 */
import { authorise } from '@kyogi/auth/permissions';
import { talentPoolDecider, type TalentPoolState } from '@kyogi/domain/talent/pools.decider';
import type { TalentPoolEvent } from '@kyogi/domain/talent/pools.events';
import type { Actor } from '@kyogi/domain/shared/decider';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { DispatchFilter, TalentPoolPersonView } from '../../talent/get-pool/get-pool.query';
import type { TalentDispatchView, TalentPoolView } from '../../talent/talent.view';
import { eventsUpTo } from './events-up-to';

/** A dispatch as it stood, with the person's name for the field resolver to show or withhold. */
export type TalentDispatchAsOf = Omit<TalentDispatchView, 'personName'> & { readonly name: string };

export interface TalentPoolAsOf {
  readonly at: Date;
  /** Personal data: the field resolver shows them to the pool's prefecture only, as now. In the order they were added. */
  readonly people: readonly TalentPoolPersonView[];
  /** Oldest first (dispatch time, then id), as the live query orders them. */
  readonly dispatches: readonly TalentDispatchAsOf[];
}

export type TalentPoolAsOfView = TalentPoolView & { readonly asOf: TalentPoolAsOf };

/** The as-of part of a pool read `asOf` a moment; undefined for one read now. */
export const talentPoolAsOfOf = (view: TalentPoolView): TalentPoolAsOf | undefined => (view as Partial<TalentPoolAsOfView>).asOf;

/** The pool as it stood at `at`, or null when it had not been opened yet. */
export function talentPoolAsOf(events: readonly RecordedEvent[], at: Date): TalentPoolAsOfView | null {
  const upTo = eventsUpTo(events, at);
  if (upTo.length === 0) return null;
  let state: TalentPoolState = talentPoolDecider.initialState();
  const addedAt = new Map<string, Date>();
  const dispatched = new Map<string, { byPersonId: string; at: Date; plannedEndDate: string }>();
  const endReasons = new Map<string, string>();
  let opened: { byPersonId: string; at: Date } | null = null;
  for (const recorded of upTo) {
    const event = { type: recorded.type, data: recorded.data } as unknown as TalentPoolEvent;
    state = talentPoolDecider.evolve(state, event);
    switch (event.type) {
      case 'TalentPoolOpened':
        opened = { byPersonId: event.data.openedByPersonId, at: new Date(event.data.openedAt) };
        break;
      case 'PoolPersonAdded':
        // As the talent projection takes it: the time of the event.
        addedAt.set(event.data.poolPersonId, new Date(recorded.metadata.occurredAt));
        break;
      case 'PoolPersonDispatched':
        dispatched.set(event.data.dispatchId, {
          byPersonId: event.data.dispatchedByPersonId,
          at: new Date(event.data.dispatchedAt),
          plannedEndDate: event.data.endDate,
        });
        break;
      case 'PoolDispatchEnded':
        endReasons.set(event.data.dispatchId, event.data.reason);
        break;
    }
  }
  if (state.status === 'unopened' || opened === null) return null;
  const pool = state;
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const people: TalentPoolPersonView[] = [...pool.people.values()]
    .map((p) => ({
      poolPersonId: p.poolPersonId,
      name: p.name,
      reference: p.reference,
      capacityDaysPerMonth: p.capacityDaysPerMonth,
      addedAt: addedAt.get(p.poolPersonId)!,
    }))
    .sort((a, b) => a.addedAt.getTime() - b.addedAt.getTime() || byId(a.poolPersonId, b.poolPersonId));
  const dispatches: TalentDispatchAsOf[] = [...pool.dispatches.values()]
    .map((d) => {
      const made = dispatched.get(d.dispatchId)!;
      return {
        dispatchId: d.dispatchId,
        poolId: pool.poolId,
        poolPersonId: d.poolPersonId,
        name: pool.people.get(d.poolPersonId)?.name ?? '',
        organisationId: d.organisationId,
        arrangementId: d.arrangementId,
        daysPerMonth: d.daysPerMonth,
        startDate: d.startDate,
        endDate: d.endDate,
        plannedEndDate: made.plannedEndDate,
        endReason: endReasons.get(d.dispatchId) ?? null,
        dispatchedByPersonId: made.byPersonId,
        dispatchedAt: made.at,
      };
    })
    .sort((a, b) => a.dispatchedAt.getTime() - b.dispatchedAt.getTime() || byId(a.dispatchId, b.dispatchId));
  const last = upTo[upTo.length - 1];
  return {
    id: pool.poolId,
    name: pool.name,
    prefectureOrganisationId: pool.prefectureOrganisationId,
    openedByPersonId: opened.byPersonId,
    openedAt: opened.at,
    streamVersion: Number(last.revision),
    position: formatPosition(last.position),
    asOf: { at, people, dispatches },
  };
}

/**
 * The dispatches of a pool read as of a moment, filtered as the live query filters them, each
 * person's name only for the pool's prefecture and the organisation served; undefined for one
 * read now.
 */
export function dispatchesAsOf(view: TalentPoolView, filter: Omit<DispatchFilter, 'poolId'>, actor: Actor): TalentDispatchView[] | undefined {
  const asOf = talentPoolAsOfOf(view);
  if (!asOf) return undefined;
  if (actor.roles.length === 0) return [];
  const mayName = (organisationId: string) =>
    authorise('talentPool.readPeople', actor, view.prefectureOrganisationId).allowed || authorise('talentPool.readPeople', actor, organisationId).allowed;
  return asOf.dispatches
    .filter(
      (d) =>
        (filter.organisationId === null || d.organisationId === filter.organisationId) &&
        (filter.arrangementId === null || d.arrangementId === filter.arrangementId),
    )
    .map(({ name, ...d }) => ({ ...d, personName: mayName(d.organisationId) ? name : null }));
}
