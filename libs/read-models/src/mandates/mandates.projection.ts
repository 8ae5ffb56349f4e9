import type { PoolClient } from 'pg';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { MandateEvent } from '@kyogi/domain/mandates/mandates.events';
import type { Projection, ReadModelChange } from '../projection';

/**
 * Mandates: which organisation (grantor) lets which other (grantee) cast its stances, for one
 * consultation or a spec domain, until when, and whether it was revoked.
 *
 * `read_models.mandates` is read by the consultations context for the DraftStance lookup: keep
 * these column names and the scope_kind values 'consultation' and 'domain'. A mandate is valid at
 * `t` when `NOT revoked AND t < expires_at` (mandateValidFor).
 *
 * Every change carries the grantor and grantee organisations in its scope: the live layer shows a
 * mandate to those two and to national admins and coordinators only (libs/live/src/visibility.ts).
 */
export const mandatesProjection: Projection = {
  name: 'mandates',
  version: 1,
  tables: ['read_models.mandates'],

  async migrate(db: PoolClient): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS read_models.mandates (
        mandate_id              text PRIMARY KEY,
        grantor_organisation_id text NOT NULL,
        grantee_organisation_id text NOT NULL,
        -- consultation | domain, and the one value that goes with it.
        scope_kind              text NOT NULL,
        consultation_id         text,
        domain                  text,
        -- Valid strictly before it.
        expires_at              timestamptz NOT NULL,
        revoked                 boolean NOT NULL DEFAULT false,
        revoked_reason          text,
        revoked_at              timestamptz,
        revoked_by_person_id    text,
        granted_at              timestamptz NOT NULL,
        granted_by_person_id    text NOT NULL,
        -- The global position of MandateGranted: a unique, immutable order for lists.
        granted_position        text NOT NULL,
        version                 bigint NOT NULL,
        position                text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS mandates_grantee ON read_models.mandates (grantee_organisation_id, scope_kind);
      CREATE INDEX IF NOT EXISTS mandates_grantor ON read_models.mandates (grantor_organisation_id);
    `);
  },

  async apply(recorded: RecordedEvent, db: PoolClient): Promise<readonly ReadModelChange[]> {
    if (!recorded.streamName.startsWith('Mandate-')) return [];
    const event = { type: recorded.type, data: recorded.data } as unknown as MandateEvent;
    const version = recorded.revision.toString();
    const position = formatPosition(recorded.position);
    let row: { grantor_organisation_id: string; grantee_organisation_id: string } | undefined;
    switch (event.type) {
      case 'MandateGranted': {
        const d = event.data;
        const { rows } = await db.query<{ grantor_organisation_id: string; grantee_organisation_id: string }>(
          `INSERT INTO read_models.mandates (mandate_id, grantor_organisation_id, grantee_organisation_id, scope_kind, consultation_id, domain,
                                             expires_at, granted_at, granted_by_person_id, granted_position, version, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10)
           RETURNING grantor_organisation_id, grantee_organisation_id`,
          [
            d.mandateId,
            d.grantorOrganisationId,
            d.granteeOrganisationId,
            d.scope.kind,
            d.scope.kind === 'consultation' ? d.scope.consultationId : null,
            d.scope.kind === 'domain' ? d.scope.domain : null,
            d.expiresAt,
            d.grantedAt,
            d.grantedByPersonId,
            position,
            version,
          ],
        );
        row = rows[0];
        break;
      }
      case 'MandateRevoked': {
        const d = event.data;
        const { rows } = await db.query<{ grantor_organisation_id: string; grantee_organisation_id: string }>(
          `UPDATE read_models.mandates SET revoked = true, revoked_reason = $2, revoked_at = $3, revoked_by_person_id = $4, version = $5, position = $6
           WHERE mandate_id = $1 RETURNING grantor_organisation_id, grantee_organisation_id`,
          [d.mandateId, d.reason, d.revokedAt, d.revokedByPersonId, version, position],
        );
        row = rows[0];
        break;
      }
      default:
        return [];
    }
    if (row === undefined) return [];
    return [
      {
        entity: 'mandate',
        id: event.data.mandateId,
        change: event.type,
        position,
        scope: { grantorOrganisationId: row.grantor_organisation_id, granteeOrganisationId: row.grantee_organisation_id },
      },
    ];
  },
};
