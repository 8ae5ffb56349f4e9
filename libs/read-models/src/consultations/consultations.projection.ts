import type { PoolClient } from 'pg';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { ConsultationEvent } from '@kyogi/domain/consultations/consultations.events';
import { applyStanceChange, emptyTally, type Stance, type Tally } from '@kyogi/domain/consultations/tally';
import type { Projection, ReadModelChange } from '../projection';

/**
 * Consultations (rounds) on submitted proposals: the rules, the electorate with each
 * organisation's current official stance (and its prefecture, for chasing non-respondents), the
 * history of every stance cast, the drafts, and a live tally.
 *
 * The live tally (`consultations.tally`) is maintained incrementally with the domain's
 * applyStanceChange on every StanceCast — never recomputed by an SQL aggregation — so it is the
 * very tally the decider keeps; at close, `final_tally` and `outcome` are the event's.
 *
 * Changes are announced as entity 'consultation'. Their scope carries `resultsHidden`, `status`
 * and `tally` (JSON) — the tally only when results are not hidden or the round is closed: a
 * hidden tally stays hidden in every notification (libs/live/src/visibility.ts). A draft is
 * announced without a tally, with the organisation it is for (`organisationId`) and the one that
 * drafted it (`draftingOrganisationId`): only their people hear of it (visibility.ts draftVisibleTo).
 */
export const consultationsProjection: Projection = {
  name: 'consultations',
  version: 1,
  tables: ['read_models.consultation_drafts', 'read_models.consultation_stances', 'read_models.consultation_electorate', 'read_models.consultations'],

  async migrate(db: PoolClient): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS read_models.consultations (
        consultation_id          text PRIMARY KEY,
        proposal_id              text NOT NULL,
        spec_id                  text NOT NULL,
        opened_by_person_id      text NOT NULL,
        opened_by_organisation_id text NOT NULL,
        opened_at                timestamptz NOT NULL,
        -- equal | population
        weighting                text NOT NULL,
        quorum_percent           integer NOT NULL,
        threshold_percent        integer NOT NULL,
        threshold_basis          text NOT NULL,
        block_vetoes             boolean NOT NULL,
        closes_at                timestamptz NOT NULL,
        results_hidden           boolean NOT NULL,
        ladder_id                text,
        stage                    integer,
        -- open | closed
        status                   text NOT NULL,
        -- The live tally (Tally), maintained incrementally from every StanceCast.
        tally                    jsonb NOT NULL,
        -- At close: the outcome and the exact tally recorded in ConsultationClosed.
        outcome                  jsonb,
        final_tally              jsonb,
        closed_at                timestamptz,
        early                    boolean,
        close_reason             text,
        closed_by_person_id      text,
        opened_position          text NOT NULL,
        stream_version           bigint NOT NULL,
        position                 text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS consultations_proposal ON read_models.consultations (proposal_id, opened_position);
      CREATE INDEX IF NOT EXISTS consultations_due ON read_models.consultations (closes_at) WHERE status = 'open';
      CREATE TABLE IF NOT EXISTS read_models.consultation_electorate (
        consultation_id          text NOT NULL REFERENCES read_models.consultations (consultation_id),
        organisation_id          text NOT NULL,
        -- Order in the electorate as opened.
        ordinal                  integer NOT NULL,
        weight                   bigint NOT NULL,
        prefecture_code          text,
        stance                   text,
        reason                   text,
        draft_id                 text,
        cast_by_organisation_id  text,
        mandate_id               text,
        cast_at                  timestamptz,
        PRIMARY KEY (consultation_id, organisation_id)
      );
      CREATE INDEX IF NOT EXISTS consultation_electorate_pending ON read_models.consultation_electorate (consultation_id, prefecture_code) WHERE stance IS NULL;
      CREATE TABLE IF NOT EXISTS read_models.consultation_stances (
        consultation_id          text NOT NULL REFERENCES read_models.consultations (consultation_id),
        stream_version           bigint NOT NULL,
        organisation_id          text NOT NULL,
        draft_id                 text NOT NULL,
        stance                   text NOT NULL,
        supersedes               text,
        reason                   text,
        cast_by_organisation_id  text NOT NULL,
        mandate_id               text,
        approved_by_person_id    text NOT NULL,
        cast_at                  timestamptz NOT NULL,
        position                 text NOT NULL,
        PRIMARY KEY (consultation_id, stream_version)
      );
      CREATE TABLE IF NOT EXISTS read_models.consultation_drafts (
        consultation_id          text NOT NULL REFERENCES read_models.consultations (consultation_id),
        draft_id                 text NOT NULL,
        organisation_id          text NOT NULL,
        cast_by_organisation_id  text NOT NULL,
        mandate_id               text,
        stance                   text NOT NULL,
        reason                   text,
        drafted_by_person_id     text NOT NULL,
        drafted_at               timestamptz NOT NULL,
        approved                 boolean NOT NULL DEFAULT false,
        PRIMARY KEY (consultation_id, draft_id)
      );
      CREATE INDEX IF NOT EXISTS consultation_drafts_by ON read_models.consultation_drafts (consultation_id, cast_by_organisation_id);
    `);
  },

  async apply(recorded: RecordedEvent, db: PoolClient): Promise<readonly ReadModelChange[]> {
    if (!recorded.streamName.startsWith('Consultation-')) return [];
    const event = { type: recorded.type, data: recorded.data } as unknown as ConsultationEvent;
    const at = recorded.metadata.occurredAt;
    const version = recorded.revision.toString();
    const position = formatPosition(recorded.position);
    const id = event.data.consultationId;
    switch (event.type) {
      case 'ConsultationOpened': {
        const d = event.data;
        const tally = emptyTally(d.electorate);
        await db.query(
          `INSERT INTO read_models.consultations (consultation_id, proposal_id, spec_id, opened_by_person_id, opened_by_organisation_id, opened_at, weighting,
             quorum_percent, threshold_percent, threshold_basis, block_vetoes, closes_at, results_hidden, ladder_id, stage, status, tally,
             opened_position, stream_version, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'open', $16::jsonb, $17, $18, $17)`,
          [
            id,
            d.proposalId,
            d.specId,
            d.openedByPersonId,
            d.openedByOrganisationId,
            d.openedAt,
            d.weighting,
            d.quorumPercent,
            d.thresholdPercent,
            d.thresholdBasis,
            d.blockVetoes,
            d.closesAt,
            d.resultsHidden,
            d.ladderId,
            d.stage,
            JSON.stringify(tally),
            position,
            version,
          ],
        );
        // The prefecture of each organisation, from the organisations read model, in one statement.
        await db.query(
          `INSERT INTO read_models.consultation_electorate (consultation_id, organisation_id, ordinal, weight, prefecture_code)
           SELECT $1, e.organisation_id, e.ordinal::int - 1, e.weight, o.prefecture_code
             FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS e (organisation_id, weight, ordinal)
             LEFT JOIN read_models.organisations o ON o.id = e.organisation_id`,
          [id, d.electorate.map((m) => m.organisationId), d.electorate.map((m) => m.weight)],
        );
        return [change(id, event.type, position, d.resultsHidden, 'open', tally)];
      }
      case 'StanceDrafted': {
        const d = event.data;
        await db.query(
          `INSERT INTO read_models.consultation_drafts (consultation_id, draft_id, organisation_id, cast_by_organisation_id, mandate_id, stance, reason,
             drafted_by_person_id, drafted_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
          [id, d.draftId, d.organisationId, d.castByOrganisationId, d.mandateId, d.stance, d.reason, d.draftedByPersonId, at],
        );
        await touch(db, id, version, position);
        // The drafting organisation's business (its approver sees it arrive) and the grantor's under a mandate.
        return [
          {
            entity: 'consultation',
            id,
            change: event.type,
            position,
            scope: { status: 'open', tally: null, organisationId: d.organisationId, draftingOrganisationId: d.castByOrganisationId },
          },
        ];
      }
      case 'StanceCast': {
        const d = event.data;
        const { rows } = await db.query<{ tally: Tally; results_hidden: boolean; weight: string; previous: Stance | null }>(
          `SELECT c.tally, c.results_hidden, e.weight, e.stance AS previous
             FROM read_models.consultations c JOIN read_models.consultation_electorate e ON e.consultation_id = c.consultation_id
            WHERE c.consultation_id = $1 AND e.organisation_id = $2 FOR UPDATE OF c`,
          [id, d.organisationId],
        );
        const row = rows[0];
        if (!row) return []; // the decider refuses organisations outside the electorate; never wedge on one
        const tally = applyStanceChange(row.tally, Number(row.weight), row.previous, d.stance);
        await db.query(`UPDATE read_models.consultations SET tally = $2::jsonb, stream_version = $3, position = $4 WHERE consultation_id = $1`, [
          id,
          JSON.stringify(tally),
          version,
          position,
        ]);
        await db.query(
          `UPDATE read_models.consultation_electorate SET stance = $3, reason = $4, draft_id = $5, cast_by_organisation_id = $6, mandate_id = $7, cast_at = $8
            WHERE consultation_id = $1 AND organisation_id = $2`,
          [id, d.organisationId, d.stance, d.reason, d.draftId, d.castByOrganisationId, d.mandateId, at],
        );
        await db.query(
          `INSERT INTO read_models.consultation_stances (consultation_id, stream_version, organisation_id, draft_id, stance, supersedes, reason,
             cast_by_organisation_id, mandate_id, approved_by_person_id, cast_at, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [id, version, d.organisationId, d.draftId, d.stance, d.supersedes, d.reason, d.castByOrganisationId, d.mandateId, d.approvedByPersonId, at, position],
        );
        await db.query('UPDATE read_models.consultation_drafts SET approved = true WHERE consultation_id = $1 AND draft_id = $2', [id, d.draftId]);
        return [change(id, event.type, position, row.results_hidden, 'open', tally, d.organisationId)];
      }
      case 'ConsultationClosed': {
        const d = event.data;
        const { rows } = await db.query<{ results_hidden: boolean }>(
          `UPDATE read_models.consultations SET status = 'closed', outcome = $2::jsonb, final_tally = $3::jsonb, closed_at = $4, early = $5,
             close_reason = $6, closed_by_person_id = $7, stream_version = $8, position = $9
            WHERE consultation_id = $1 RETURNING results_hidden`,
          [id, JSON.stringify(d.outcome), JSON.stringify(d.tally), d.closedAt, d.early, d.reason, d.closedByPersonId, version, position],
        );
        if (!rows[0]) return [];
        return [change(id, event.type, position, rows[0].results_hidden, 'closed', d.tally)];
      }
      default:
        return [];
    }
  },
};

async function touch(db: PoolClient, id: string, version: string, position: string): Promise<void> {
  await db.query('UPDATE read_models.consultations SET stream_version = $2, position = $3 WHERE consultation_id = $1', [id, version, position]);
}

/** A change; its tally only when results are visible (not hidden, or closed). */
function change(
  id: string,
  type: string,
  position: string,
  resultsHidden: boolean,
  status: 'open' | 'closed',
  tally: Tally,
  organisationId: string | null = null,
): ReadModelChange {
  const visible = !resultsHidden || status === 'closed';
  return {
    entity: 'consultation',
    id,
    change: type,
    position,
    scope: { resultsHidden: String(resultsHidden), status, tally: visible ? JSON.stringify(tally) : null, organisationId },
  };
}
