import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { Outcome } from '@kyogi/domain/consultations/tally';
import { READ_DB } from '../../platform/tokens';
import { toLadderView, type LadderRow, type LadderStageRow, type LadderView } from '../ladder.view';

/** A ladder is public to everyone signed in with a role, as consultations are (the resolvers check consultation.read). */
export class GetLadderQuery {
  constructor(readonly ladderId: string) {}
}

@QueryHandler(GetLadderQuery)
export class GetLadderHandler implements IQueryHandler<GetLadderQuery, LadderView | null> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ ladderId }: GetLadderQuery): Promise<LadderView | null> {
    const { rows } = await this.db.query<LadderRow>(
      `SELECT ladder_id, proposal_id, spec_id, proposal_revision, owner_organisation_id, status, current_stage, decision, rationale, cited_stage,
              decided_at, decided_by_person_id, chosen_at, chosen_by_person_id, version, position
         FROM read_models.ladders WHERE ladder_id = $1`,
      [ladderId],
    );
    if (!rows[0]) return null;
    const stages = await this.db.query<LadderStageRow>('SELECT * FROM read_models.ladder_stages WHERE ladder_id = $1 ORDER BY stage', [ladderId]);
    // Rounds of a stage still open show their own outcome as each closes.
    const open = stages.rows.filter((s) => s.consultation_ids !== null && s.closed_at === null).flatMap((s) => s.consultation_ids!);
    const live = open.length
      ? await this.db.query<{ consultation_id: string; outcome: Outcome | null }>(
          "SELECT consultation_id, outcome FROM read_models.consultations WHERE consultation_id = ANY($1::text[]) AND status = 'closed'",
          [open],
        )
      : { rows: [] };
    return toLadderView(rows[0], stages.rows, new Map(live.rows.map((r) => [r.consultation_id, r.outcome])));
  }
}
