/** The shapes the audit page reads (schema/history.graphql and audit.graphql). */
export const ENTITY_KINDS = ['PROPOSAL', 'CONSULTATION', 'SPEC', 'LADDER', 'TALENT_ARRANGEMENT', 'TALENT_POOL', 'MANDATE', 'ORGANISATION', 'COMMENT'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];
export const isEntityKind = (value: string | null): value is EntityKind => ENTITY_KINDS.includes(value as EntityKind);

/** The live room that announces an entity's changes, where there is one. */
export function roomOf(kind: EntityKind, id: string): string | null {
  switch (kind) {
    case 'CONSULTATION':
      return `consultation:${id}`;
    case 'PROPOSAL':
      return `proposal:${id}`;
    case 'TALENT_ARRANGEMENT':
      return `talent-arrangement:${id}`;
    case 'ORGANISATION':
      return `organisation:${id}`;
    case 'SPEC':
      return `spec:${id}`;
    default:
      return null;
  }
}

export interface HistoryEntryNode {
  eventId: string;
  revision: number;
  position: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: { personId: string; organisationId: string; organisation: { name: string } | null; roles: string[] };
  summary: { ja: string; en: string };
  hash: string;
  previousHash: string | null;
  redacted: boolean;
  correlationId: string | null;
}

export interface HistoryPage {
  history: {
    entityKind: EntityKind;
    entityId: string;
    streamName: string;
    eventCount: number;
    edges: { cursor: string; node: HistoryEntryNode }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

export const HISTORY_QUERY = `query History($entity: HistoryEntityKind!, $id: ID!, $first: Int, $after: String, $org: ID, $person: ID, $types: [String!]) {
  history(entity: $entity, id: $id, first: $first, after: $after, actorOrganisationId: $org, actorPersonId: $person, types: $types) {
    entityKind entityId streamName eventCount
    edges { cursor node { eventId revision position type occurredAt recordedAt
      actor { personId organisationId organisation { name } roles } summary { ja en } hash previousHash redacted correlationId } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Japan has no daylight saving: a wall-clock time in Japan is UTC+9 all year. */
const JST_MS = 9 * 3_600_000;

/** An ISO instant → the value of a datetime-local input in Japan time, to the second. */
export function toJapanLocal(iso: string): string {
  return new Date(Date.parse(iso) + JST_MS).toISOString().slice(0, 19);
}

/** A datetime-local value (Japan time; seconds optional) → an ISO instant, or null when it is not one. */
export function fromJapanLocal(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null;
  const ms = Date.parse(`${value.length === 16 ? `${value}:00` : value}+09:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
