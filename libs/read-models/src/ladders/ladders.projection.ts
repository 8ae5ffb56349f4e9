import type { PoolClient } from 'pg';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { LadderEvent } from '@kyogi/domain/ladders/ladders.events';
import type { Projection, ReadModelChange } from '../projection';

/**
 * Ratification ladders: one row per ladder (`ladders`) and one per stage (`ladder_stages`) with
 * its definition, the consultations it opened (in order: one per prefecture, or the one round of
 * the prefectures) and the outcomes recorded when it closed.
 *
 * `current_stage` is the stage that is open, or the next one to open once the one before has
 * closed, or the national decision's stage when every round has closed; null once decided. The
 * ladder runner reads these rows to find what to advance; the rows themselves only follow events.
 *
 * Changes are announced as entity 'ladder' (public to everyone signed in, as consultations are).
 */
export const laddersProjection: Projection = {
  name: 'ladders',
  version: 1,
  tables: ['read_models.ladder_stages', 'read_models.ladders'],

  async migrate(db: PoolClient): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS read_models.ladders (
        ladder_id              text PRIMARY KEY,
        proposal_id            text NOT NULL,
        spec_id                text NOT NULL,
        proposal_revision      integer NOT NULL,
        owner_organisation_id  text NOT NULL,
        -- running | decided
        status                 text NOT NULL,
        stage_count            integer NOT NULL,
        current_stage          integer,
        decision               text,
        rationale              text,
        cited_stage            integer,
        decided_at             timestamptz,
        decided_by_person_id   text,
        chosen_at              timestamptz NOT NULL,
        chosen_by_person_id    text NOT NULL,
        chosen_position        text NOT NULL,
        version                bigint NOT NULL,
        position               text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ladders_proposal ON read_models.ladders (proposal_id);
      CREATE INDEX IF NOT EXISTS ladders_running ON read_models.ladders (status) WHERE status = 'running';
      CREATE TABLE IF NOT EXISTS read_models.ladder_stages (
        ladder_id        text NOT NULL REFERENCES read_models.ladders (ladder_id),
        stage            integer NOT NULL,
        -- prefectural_rounds | prefectures_round | national_decision
        kind             text NOT NULL,
        prefecture_codes text[],
        -- RoundRules for a round stage; null for the national decision.
        rules            jsonb,
        consultation_ids text[],
        -- RoundOutcome[] recorded in LadderStageClosed (for the national decision: those it cited).
        outcomes         jsonb,
        opened_at        timestamptz,
        closed_at        timestamptz,
        PRIMARY KEY (ladder_id, stage)
      );
    `);
  },

  async apply(recorded: RecordedEvent, db: PoolClient): Promise<readonly ReadModelChange[]> {
    if (!recorded.streamName.startsWith('Ladder-')) return [];
    const event = { type: recorded.type, data: recorded.data } as unknown as LadderEvent;
    const version = recorded.revision.toString();
    const position = formatPosition(recorded.position);
    let proposalId: string | undefined;
    switch (event.type) {
      case 'LadderChosen': {
        const d = event.data;
        const { rows } = await db.query<{ proposal_id: string }>(
          `INSERT INTO read_models.ladders (ladder_id, proposal_id, spec_id, proposal_revision, owner_organisation_id, status, stage_count, current_stage,
                                            chosen_at, chosen_by_person_id, chosen_position, version, position)
           VALUES ($1, $2, $3, $4, $5, 'running', $6, 1, $7, $8, $9, $10, $9)
           ON CONFLICT (ladder_id) DO NOTHING RETURNING proposal_id`,
          [d.ladderId, d.proposalId, d.specId, d.proposalRevision, d.ownerOrganisationId, d.stages.length, d.chosenAt, d.chosenByPersonId, position, version],
        );
        if (rows.length === 0) return [];
        for (const [i, stage] of d.stages.entries()) {
          await db.query(`INSERT INTO read_models.ladder_stages (ladder_id, stage, kind, prefecture_codes, rules) VALUES ($1, $2, $3, $4, $5)`, [
            d.ladderId,
            i + 1,
            stage.kind,
            stage.kind === 'prefectural_rounds' ? stage.prefectureCodes : null,
            stage.kind === 'national_decision' ? null : JSON.stringify(stage.rules),
          ]);
        }
        proposalId = d.proposalId;
        break;
      }
      case 'LadderStageOpened': {
        const d = event.data;
        await db.query('UPDATE read_models.ladder_stages SET consultation_ids = $3, opened_at = $4 WHERE ladder_id = $1 AND stage = $2', [
          d.ladderId,
          d.stage,
          d.consultationIds,
          d.openedAt,
        ]);
        proposalId = await touch(db, d.ladderId, d.stage, version, position);
        break;
      }
      case 'LadderStageClosed': {
        const d = event.data;
        await db.query('UPDATE read_models.ladder_stages SET outcomes = $3, closed_at = $4 WHERE ladder_id = $1 AND stage = $2', [
          d.ladderId,
          d.stage,
          JSON.stringify(d.outcomes),
          d.closedAt,
        ]);
        // The next stage (a round to open, or the national decision) is now the current one.
        proposalId = await touch(db, d.ladderId, d.stage + 1, version, position);
        break;
      }
      case 'LadderDecided': {
        const d = event.data;
        const { rows } = await db.query<{ proposal_id: string; stage_count: number }>(
          `UPDATE read_models.ladders SET status = 'decided', current_stage = NULL, decision = $2, rationale = $3, cited_stage = $4, decided_at = $5,
                  decided_by_person_id = $6, version = $7, position = $8
            WHERE ladder_id = $1 RETURNING proposal_id, stage_count`,
          [d.ladderId, d.decision, d.rationale, d.citedStage, d.decidedAt, d.decidedByPersonId, version, position],
        );
        if (rows[0]) {
          await db.query('UPDATE read_models.ladder_stages SET outcomes = $3, opened_at = $4, closed_at = $4 WHERE ladder_id = $1 AND stage = $2', [
            d.ladderId,
            rows[0].stage_count,
            JSON.stringify(d.citedOutcomes),
            d.decidedAt,
          ]);
        }
        proposalId = rows[0]?.proposal_id;
        break;
      }
      default:
        return [];
    }
    if (proposalId === undefined) return [];
    return [{ entity: 'ladder', id: event.data.ladderId, change: event.type, position, scope: { proposalId } }];
  },
};

async function touch(db: PoolClient, ladderId: string, currentStage: number, version: string, position: string): Promise<string | undefined> {
  const { rows } = await db.query<{ proposal_id: string }>(
    'UPDATE read_models.ladders SET current_stage = $2, version = $3, position = $4 WHERE ladder_id = $1 RETURNING proposal_id',
    [ladderId, currentStage, version, position],
  );
  return rows[0]?.proposal_id;
}
