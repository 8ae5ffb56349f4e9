import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { READ_DB } from '../../platform/tokens';
import { REQUIREMENT_COLUMNS, toRequirementView, type RequirementRow, type RequirementView } from '../spec.view';

export class GetRequirementQuery {
  constructor(
    readonly specId: string,
    readonly version: string,
    readonly requirementId: string,
  ) {}
}

@QueryHandler(GetRequirementQuery)
export class GetRequirementHandler implements IQueryHandler<GetRequirementQuery, RequirementView | null> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ specId, version, requirementId }: GetRequirementQuery): Promise<RequirementView | null> {
    const { rows } = await this.db.query<RequirementRow>(
      `SELECT ${REQUIREMENT_COLUMNS} FROM read_models.requirements WHERE spec_id = $1 AND version = $2 AND requirement_id = $3`,
      [specId, version, requirementId],
    );
    return rows[0] ? toRequirementView(rows[0]) : null;
  }
}
