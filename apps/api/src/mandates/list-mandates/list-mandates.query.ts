import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { Actor } from '@kyogi/domain/shared/decider';
import { READ_DB } from '../../platform/tokens';
import { MANDATE_COLUMNS, mandateVisibleSql, toMandateView, type MandateRow, type MandateView } from '../mandate.view';

export interface MandateFilter {
  readonly grantorOrganisationId: string | null;
  readonly granteeOrganisationId: string | null;
  /** Only mandates valid at this instant: granted at or before it, not revoked, expiring after it. */
  readonly activeAt: Date | null;
}

export class ListMandatesQuery {
  constructor(
    readonly actor: Actor,
    readonly filter: MandateFilter,
  ) {}
}

export class GetMandateQuery {
  constructor(
    readonly mandateId: string,
    readonly actor: Actor,
  ) {}
}

const MAX_MANDATES = 1000;

/** Oldest first, by the position of MandateGranted; only what the actor may see. */
@QueryHandler(ListMandatesQuery)
export class ListMandatesHandler implements IQueryHandler<ListMandatesQuery, MandateView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ actor, filter }: ListMandatesQuery): Promise<MandateView[]> {
    const params: unknown[] = [actor.organisationId];
    const where: string[] = [mandateVisibleSql(actor, '$1')];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.grantorOrganisationId !== null) add((p) => `grantor_organisation_id = ${p}`, filter.grantorOrganisationId);
    if (filter.granteeOrganisationId !== null) add((p) => `grantee_organisation_id = ${p}`, filter.granteeOrganisationId);
    if (filter.activeAt !== null) add((p) => `NOT revoked AND granted_at <= ${p} AND ${p} < expires_at`, filter.activeAt);
    const { rows } = await this.db.query<MandateRow>(
      `SELECT ${MANDATE_COLUMNS} FROM read_models.mandates WHERE ${where.join(' AND ')} ORDER BY granted_position LIMIT ${MAX_MANDATES}`,
      params,
    );
    return rows.map(toMandateView);
  }
}

@QueryHandler(GetMandateQuery)
export class GetMandateHandler implements IQueryHandler<GetMandateQuery, MandateView | null> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ mandateId, actor }: GetMandateQuery): Promise<MandateView | null> {
    const { rows } = await this.db.query<MandateRow>(
      `SELECT ${MANDATE_COLUMNS} FROM read_models.mandates WHERE mandate_id = $2 AND ${mandateVisibleSql(actor, '$1')}`,
      [actor.organisationId, mandateId],
    );
    return rows[0] ? toMandateView(rows[0]) : null;
  }
}
