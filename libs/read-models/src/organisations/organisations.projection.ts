import type { PoolClient } from 'pg';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { OrganisationEvent } from '@kyogi/domain/organisations/organisations.events';
import type { Projection, ReadModelChange } from '../projection';

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

  async apply(recorded: RecordedEvent, db: PoolClient): Promise<readonly ReadModelChange[]> {
    if (!recorded.streamName.startsWith('Organisation-')) return [];
    const event = { type: recorded.type, data: recorded.data } as unknown as OrganisationEvent;
    const at = recorded.metadata.occurredAt;
    const version = recorded.revision.toString();
    const position = formatPosition(recorded.position);
    let scopeOf: { prefectureCode: string | null; personId?: string };
    switch (event.type) {
      case 'OrganisationRegistered': {
        const d = event.data;
        await db.query(
          `INSERT INTO read_models.organisations (id, kind, name, name_kana, code, prefecture_code, parent_id, active, population, registered_at, updated_at, version, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12)`,
          [d.organisationId, d.kind, d.name, d.nameKana, d.code, d.prefectureCode, d.parentId, d.active, d.population, at, version, position],
        );
        scopeOf = { prefectureCode: d.prefectureCode };
        break;
      }
      case 'MemberAdded': {
        const d = event.data;
        await db.query(
          `INSERT INTO read_models.organisation_members (person_id, organisation_id, display_name, email, roles, added_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6)`,
          [d.personId, d.organisationId, d.displayName, d.email, d.roles, at],
        );
        scopeOf = { ...(await touch(db, d.organisationId, at, version, position, 'member_count = member_count + 1')), personId: d.personId };
        break;
      }
      case 'MemberRolesChanged': {
        const d = event.data;
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
        scopeOf = await touch(db, d.organisationId, at, version, position, 'active = false, deactivation_reason = $5', [d.reason]);
        break;
      }
      default:
        return []; // an event type this read model does not show
    }
    return [{ entity: 'organisation', id: event.data.organisationId, change: event.type, position, scope: scopeOf }];
  },
};

async function touch(db: PoolClient, id: string, at: string, version: string, position: string, set?: string, extra: unknown[] = []) {
  const { rows } = await db.query<{ prefecture_code: string | null }>(
    `UPDATE read_models.organisations SET updated_at = $2, version = $3, position = $4${set ? `, ${set}` : ''} WHERE id = $1 RETURNING prefecture_code`,
    [id, at, version, position, ...extra],
  );
  return { prefectureCode: rows[0]?.prefecture_code ?? null };
}
