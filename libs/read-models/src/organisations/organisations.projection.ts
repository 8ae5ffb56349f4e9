import type { PoolClient } from 'pg';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { OrganisationEvent } from '@kyogi/domain/organisations/organisations.events';
import { withBatch, type Projection, type ProjectionBatch, type ReadModelChange } from '../projection';
import { insertRecords, rowsOf, type Column } from '../records';

/** The organisations and their members, as the GraphQL API reads them. */
export const organisationsProjection: Projection = {
  name: 'organisations',
  version: 2,
  tables: ['read_models.organisation_members', 'read_models.organisations'],

  async migrate(db: PoolClient): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS read_models.organisations (
        id              text PRIMARY KEY,
        kind            text NOT NULL,
        name            text NOT NULL,
        name_kana       text,
        code            text UNIQUE,
        prefecture_code text,
        parent_id       text,
        active          boolean NOT NULL,
        population      integer,
        member_count    integer NOT NULL DEFAULT 0,
        deactivation_reason text,
        registered_at   timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        version         bigint NOT NULL,
        position        text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS organisations_kind_prefecture ON read_models.organisations (kind, prefecture_code, code);
      CREATE TABLE IF NOT EXISTS read_models.organisation_members (
        person_id       text NOT NULL,
        organisation_id text NOT NULL REFERENCES read_models.organisations (id),
        display_name    text NOT NULL,
        email           text NOT NULL,
        roles           text[] NOT NULL,
        added_at        timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        -- A person belongs to one organisation (checked when adding), but the read side must
        -- never wedge on an event the write side accepted.
        PRIMARY KEY (organisation_id, person_id)
      );
      CREATE INDEX IF NOT EXISTS organisation_members_person ON read_models.organisation_members (person_id);
      CREATE INDEX IF NOT EXISTS organisation_members_email ON read_models.organisation_members (lower(email));
    `);
  },

  async apply(recorded: RecordedEvent, db: PoolClient, batch?: ProjectionBatch): Promise<readonly ReadModelChange[]> {
    if (!recorded.streamName.startsWith('Organisation-')) return [];
    return withBatch(db, batch, (b) => applyOrganisationEvent(recorded, db, b));
  },
};

/** The batch key of this projection's pending rows; a projection that reads these tables in `apply` flushes it first. */
export const ORGANISATIONS_PENDING = 'organisations';

/**
 * Organisations registered and members added in this transaction, inserted at its end: seeding
 * the registry (1,788 local governments, each registered with its first member) or replaying it
 * costs a few multi-row statements per batch.
 */
interface Pending {
  readonly registered: Map<string, Record<string, unknown>>;
  readonly members: Record<string, unknown>[];
}

function pending(batch: ProjectionBatch): Pending {
  return batch.pending<Pending>(ORGANISATIONS_PENDING, () => ({ registered: new Map(), members: [] }), writePending);
}

const ORGANISATION_COLUMNS: readonly Column[] = [
  ['id', 'text'],
  ['kind', 'text'],
  ['name', 'text'],
  ['name_kana', 'text'],
  ['code', 'text'],
  ['prefecture_code', 'text'],
  ['parent_id', 'text'],
  ['active', 'boolean'],
  ['population', 'integer'],
  ['member_count', 'integer'],
  ['registered_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['version', 'bigint'],
  ['position', 'text'],
];
const MEMBER_COLUMNS: readonly Column[] = [
  ['person_id', 'text'],
  ['organisation_id', 'text'],
  ['display_name', 'text'],
  ['email', 'text'],
  // text[] does not survive unnest (it flattens arrays of arrays): sent as JSON.
  ['roles', 'jsonb'],
  ['added_at', 'timestamptz'],
];

/** The organisations before their members (foreign key). */
async function writePending(db: PoolClient, p: Pending): Promise<void> {
  await insertRecords(db, 'read_models.organisations', ORGANISATION_COLUMNS, [...p.registered.values()]);
  if (p.members.length === 0) return;
  const { sql, params } = rowsOf(MEMBER_COLUMNS, p.members, 'm');
  await db.query(
    `INSERT INTO read_models.organisation_members (person_id, organisation_id, display_name, email, roles, added_at, updated_at)
     SELECT person_id, organisation_id, display_name, email, ARRAY(SELECT jsonb_array_elements_text(roles)), added_at, added_at FROM ${sql}`,
    params,
  );
}

async function applyOrganisationEvent(recorded: RecordedEvent, db: PoolClient, batch: ProjectionBatch): Promise<readonly ReadModelChange[]> {
  const event = { type: recorded.type, data: recorded.data } as unknown as OrganisationEvent;
  const at = recorded.metadata.occurredAt;
  const version = recorded.revision.toString();
  const position = formatPosition(recorded.position);
  let scopeOf: { prefectureCode: string | null; personId?: string };
  switch (event.type) {
    case 'OrganisationRegistered': {
      const d = event.data;
      pending(batch).registered.set(d.organisationId, {
        id: d.organisationId,
        kind: d.kind,
        name: d.name,
        name_kana: d.nameKana,
        code: d.code,
        prefecture_code: d.prefectureCode,
        parent_id: d.parentId,
        active: d.active,
        population: d.population,
        member_count: 0,
        registered_at: at,
        updated_at: at,
        version,
        position,
      });
      scopeOf = { prefectureCode: d.prefectureCode };
      break;
    }
    case 'MemberAdded': {
      const d = event.data;
      const p = pending(batch);
      p.members.push({ person_id: d.personId, organisation_id: d.organisationId, display_name: d.displayName, email: d.email, roles: d.roles, added_at: at });
      const registered = p.registered.get(d.organisationId);
      if (registered) {
        // Registered in this transaction: the count goes into the row still to be inserted.
        Object.assign(registered, { member_count: (registered.member_count as number) + 1, updated_at: at, version, position });
        scopeOf = { prefectureCode: registered.prefecture_code as string | null, personId: d.personId };
      } else {
        scopeOf = { ...(await touch(db, d.organisationId, at, version, position, 'member_count = member_count + 1')), personId: d.personId };
      }
      break;
    }
    case 'MemberRolesChanged': {
      const d = event.data;
      await batch.flush(ORGANISATIONS_PENDING);
      await db.query('UPDATE read_models.organisation_members SET roles = $3, updated_at = $4 WHERE organisation_id = $1 AND person_id = $2', [
        d.organisationId,
        d.personId,
        d.roles,
        at,
      ]);
      scopeOf = { ...(await touch(db, d.organisationId, at, version, position)), personId: d.personId }; // live sessions of this person end
      break;
    }
    case 'OrganisationDeactivated': {
      const d = event.data;
      await batch.flush(ORGANISATIONS_PENDING);
      scopeOf = await touch(db, d.organisationId, at, version, position, 'active = false, deactivation_reason = $5', [d.reason]);
      break;
    }
    default:
      return []; // an event type this read model does not show
  }
  return [{ entity: 'organisation', id: event.data.organisationId, change: event.type, position, scope: scopeOf }];
}

async function touch(db: PoolClient, id: string, at: string, version: string, position: string, set?: string, extra: unknown[] = []) {
  const { rows } = await db.query<{ prefecture_code: string | null }>(
    `UPDATE read_models.organisations SET updated_at = $2, version = $3, position = $4${set ? `, ${set}` : ''} WHERE id = $1 RETURNING prefecture_code`,
    [id, at, version, position, ...extra],
  );
  return { prefectureCode: rows[0]?.prefecture_code ?? null };
}
