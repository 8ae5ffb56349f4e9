import type { PoolClient } from 'pg';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import { SPEC_CATEGORY, type SpecEvent } from '@kyogi/domain/specs/specs.events';
import type { Projection, ReadModelChange } from '../projection';

/**
 * Specs (標準仕様書), their published versions and every version's requirements, as the GraphQL
 * API reads them. The proposals context reads these tables too (the base text of a proposal):
 * keep the table and column names; add columns, never rename.
 *
 * A published version never changes, so its rows are written once, by SpecVersionPublished.
 * `ordinal` is the document order of a requirement within its version (1, 2, …), the key for
 * paging; `spec_versions.ordinal` the publication order (also ascending version order).
 */
export const specsProjection: Projection = {
  name: 'specs',
  version: 1,
  tables: ['read_models.requirements', 'read_models.spec_versions', 'read_models.specs'],

  async migrate(db: PoolClient): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS read_models.specs (
        spec_id               text PRIMARY KEY,
        title                 text NOT NULL,
        domain                text NOT NULL,
        owner_organisation_id text NOT NULL,
        latest_version        text,
        version_count         integer NOT NULL DEFAULT 0,
        created_at            timestamptz NOT NULL,
        updated_at            timestamptz NOT NULL,
        version               bigint NOT NULL,
        position              text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS specs_domain ON read_models.specs (domain, spec_id);
      CREATE INDEX IF NOT EXISTS specs_owner ON read_models.specs (owner_organisation_id, spec_id);
      CREATE TABLE IF NOT EXISTS read_models.spec_versions (
        spec_id                   text NOT NULL,
        version                   text NOT NULL,
        ordinal                   integer NOT NULL,
        published_at              timestamptz NOT NULL,
        requirement_count         integer NOT NULL,
        incorporated_proposal_ids text[] NOT NULL,
        position                  text NOT NULL,
        PRIMARY KEY (spec_id, version),
        UNIQUE (spec_id, ordinal)
      );
      CREATE TABLE IF NOT EXISTS read_models.requirements (
        spec_id        text NOT NULL,
        version        text NOT NULL,
        requirement_id text NOT NULL,
        title          text NOT NULL,
        text           text NOT NULL,
        category       text NOT NULL,
        ordinal        integer NOT NULL,
        PRIMARY KEY (spec_id, version, requirement_id),
        UNIQUE (spec_id, version, ordinal)
      );
    `);
  },

  async apply(recorded: RecordedEvent, db: PoolClient): Promise<readonly ReadModelChange[]> {
    if (!recorded.streamName.startsWith(`${SPEC_CATEGORY}-`)) return [];
    const event = { type: recorded.type, data: recorded.data } as unknown as SpecEvent;
    const at = recorded.metadata.occurredAt;
    const version = recorded.revision.toString();
    const position = formatPosition(recorded.position);
    switch (event.type) {
      case 'SpecCreated': {
        const d = event.data;
        await db.query(
          `INSERT INTO read_models.specs (spec_id, title, domain, owner_organisation_id, created_at, updated_at, version, position)
           VALUES ($1, $2, $3, $4, $5, $5, $6, $7)`,
          [d.specId, d.title, d.domain, d.ownerOrganisationId, at, version, position],
        );
        break;
      }
      case 'SpecVersionPublished': {
        const d = event.data;
        const { rows } = await db.query<{ version_count: number }>(
          `UPDATE read_models.specs SET latest_version = $2, version_count = version_count + 1, updated_at = $3, version = $4, position = $5
            WHERE spec_id = $1 RETURNING version_count`,
          [d.specId, d.version, at, version, position],
        );
        if (!rows[0]) throw new Error(`SpecVersionPublished for ${d.specId}, which the read model does not have`);
        await db.query(
          `INSERT INTO read_models.spec_versions (spec_id, version, ordinal, published_at, requirement_count, incorporated_proposal_ids, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [d.specId, d.version, rows[0].version_count, at, d.requirements.length, d.incorporatedProposalIds, position],
        );
        // One statement for up to 5,000 requirements: arrays in, rows out, in document order.
        await db.query(
          `INSERT INTO read_models.requirements (spec_id, version, requirement_id, title, text, category, ordinal)
           SELECT $1, $2, r.requirement_id, r.title, r.text, r.category, r.ordinal
             FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS r (requirement_id, title, text, category, ordinal)`,
          [
            d.specId,
            d.version,
            d.requirements.map((r) => r.requirementId),
            d.requirements.map((r) => r.title),
            d.requirements.map((r) => r.text),
            d.requirements.map((r) => r.category),
          ],
        );
        break;
      }
      default:
        return []; // an event type this read model does not show
    }
    return [{ entity: 'spec', id: event.data.specId, change: event.type, position, scope: {} }];
  },
};
