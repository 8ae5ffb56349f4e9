import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { READ_DB } from '../../platform/tokens';
import { SPEC_COLUMNS, toSpecView, type SpecRow, type SpecView } from '../spec.view';

export class GetSpecQuery {
  constructor(readonly specId: string) {}
}

@QueryHandler(GetSpecQuery)
export class GetSpecHandler implements IQueryHandler<GetSpecQuery, SpecView | null> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ specId }: GetSpecQuery): Promise<SpecView | null> {
    const { rows } = await this.db.query<SpecRow>(`SELECT ${SPEC_COLUMNS} FROM read_models.specs WHERE spec_id = $1`, [specId]);
    return rows[0] ? toSpecView(rows[0]) : null;
  }
}
