/**
 * An organisation "as of" a moment: its stream's events up to then, folded with the organisation
 * decider's own `evolve`, shown as the same OrganisationView the `organisation` query returns. The
 * view carries the members as they were (`asOf`) — who belonged, with which roles, so an auditor
 * can tell who could approve (決裁) on that date. Names and e-mails are those given when each person
 * was added (the stream's only source of them). Pure: the caller reads the stream.
 */
import { organisationDecider, type OrganisationState } from '@kyogi/domain/organisations/organisations.decider';
import type { OrganisationEvent, OrganisationRegisteredData } from '@kyogi/domain/organisations/organisations.events';
import type { OrganisationKind, Role } from '@kyogi/domain/shared/decider';
import type { RecordedEvent } from '@kyogi/event-store/port';
import type { MemberView, OrganisationView } from '../../organisations/organisation.view';
import { eventsUpTo } from './events-up-to';

export interface OrganisationAsOf {
  readonly at: Date;
  /** The members at `at`, in the order they were added (as the live query orders them), with their roles then. */
  readonly members: readonly MemberView[];
}

export type OrganisationAsOfView = OrganisationView & { readonly asOf: OrganisationAsOf };

/** The as-of part of an organisation read `asOf` a moment; undefined for one read now. */
export const organisationAsOfOf = (view: OrganisationView): OrganisationAsOf | undefined => (view as Partial<OrganisationAsOfView>).asOf;

const upper = (roles: readonly Role[]): Uppercase<Role>[] => roles.map((r) => r.toUpperCase() as Uppercase<Role>);

/** The organisation as it stood at `at`, or null when it had not been registered yet. */
export function organisationAsOf(events: readonly RecordedEvent[], at: Date): OrganisationAsOfView | null {
  const upTo = eventsUpTo(events, at);
  if (upTo.length === 0) return null;
  let state: OrganisationState = organisationDecider.initialState();
  let registered: OrganisationRegisteredData | null = null;
  // personId → name and e-mail as added (roles come from the folded state).
  const people = new Map<string, { displayName: string; email: string }>();
  for (const recorded of upTo) {
    const event = { type: recorded.type, data: recorded.data } as unknown as OrganisationEvent;
    state = organisationDecider.evolve(state, event);
    if (event.type === 'OrganisationRegistered') registered = event.data;
    if (event.type === 'MemberAdded') people.set(event.data.personId, { displayName: event.data.displayName, email: event.data.email });
  }
  if (state.status === 'unregistered' || registered === null) return null;
  const s = state;
  const members: MemberView[] = [...s.members.entries()].map(([personId, roles]) => ({
    personId,
    organisationId: s.organisationId,
    displayName: people.get(personId)?.displayName ?? '',
    email: people.get(personId)?.email ?? '',
    roles: upper(roles),
  }));
  const first = upTo[0];
  const last = upTo[upTo.length - 1];
  return {
    id: s.organisationId,
    kind: s.kind.toUpperCase() as Uppercase<OrganisationKind>,
    name: registered.name,
    nameKana: registered.nameKana,
    code: registered.code,
    prefectureCode: registered.prefectureCode,
    parentId: registered.parentId,
    active: s.active,
    population: registered.population,
    memberCount: members.length,
    registeredAt: new Date(first.metadata.occurredAt),
    updatedAt: new Date(last.metadata.occurredAt),
    version: Number(last.revision),
    asOf: { at, members },
  };
}
