import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { READ_DB } from '../../platform/tokens';
import { SPEC_VERSION_COLUMNS, toSpecVersionView, type SpecVersionRow, type SpecVersionView } from '../spec.view';

/** One published version, by its exact version string. */
export class GetSpecVersionQuery {
  constructor(
    readonly specId: string,
    readonly version: string,
  ) {}
}

@QueryHandler(GetSpecVersionQuery)
export class GetSpecVersionHandler implements IQueryHandler<GetSpecVersionQuery, SpecVersionView | null> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ specId, version }: GetSpecVersionQuery): Promise<SpecVersionView | null> {
    const { rows } = await this.db.query<SpecVersionRow>(`SELECT ${SPEC_VERSION_COLUMNS} FROM read_models.spec_versions WHERE spec_id = $1 AND version = $2`, [
      specId,
      version,
    ]);
    return rows[0] ? toSpecVersionView(rows[0]) : null;
  }
}

/** Every published version of a spec, in publication order (which is ascending version order). */
export class ListSpecVersionsQuery {
  constructor(readonly specId: string) {}
}

@QueryHandler(ListSpecVersionsQuery)
export class ListSpecVersionsHandler implements IQueryHandler<ListSpecVersionsQuery, SpecVersionView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ specId }: ListSpecVersionsQuery): Promise<SpecVersionView[]> {
    const { rows } = await this.db.query<SpecVersionRow>(`SELECT ${SPEC_VERSION_COLUMNS} FROM read_models.spec_versions WHERE spec_id = $1 ORDER BY ordinal`, [
      specId,
    ]);
    return rows.map(toSpecVersionView);
  }
}
