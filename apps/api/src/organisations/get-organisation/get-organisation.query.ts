import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler, type QueryBus } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { READ_DB } from '../../platform/tokens';
import { requestLoader } from '../../graphql/batch-loader';
import {
  ORGANISATION_COLUMNS,
  toMemberView,
  toOrganisationView,
  type MemberRow,
  type MemberView,
  type OrganisationRow,
  type OrganisationView,
} from '../organisation.view';

export class GetOrganisationQuery {
  constructor(readonly by: { id: string } | { code: string }) {}
}

@QueryHandler(GetOrganisationQuery)
export class GetOrganisationHandler implements IQueryHandler<GetOrganisationQuery, OrganisationView | null> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ by }: GetOrganisationQuery): Promise<OrganisationView | null> {
    const [column, value] = 'id' in by ? ['id', by.id] : ['code', by.code];
    const { rows } = await this.db.query<OrganisationRow>(`SELECT ${ORGANISATION_COLUMNS} FROM read_models.organisations WHERE ${column} = $1`, [value]);
    return rows[0] ? toOrganisationView(rows[0]) : null;
  }
}

/** Several organisations by id at once (the per-request loader of `authorOrganisation` fields); ids not found are absent. */
export class GetOrganisationsByIdQuery {
  constructor(readonly ids: readonly string[]) {}
}

@QueryHandler(GetOrganisationsByIdQuery)
export class GetOrganisationsByIdHandler implements IQueryHandler<GetOrganisationsByIdQuery, Map<string, OrganisationView>> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ ids }: GetOrganisationsByIdQuery): Promise<Map<string, OrganisationView>> {
    const { rows } = await this.db.query<OrganisationRow>(`SELECT ${ORGANISATION_COLUMNS} FROM read_models.organisations WHERE id = ANY($1::text[])`, [
      [...new Set(ids)],
    ]);
    return new Map(rows.map((row) => [row.id, toOrganisationView(row)]));
  }
}

/** An organisation by id through the request's batching loader: the organisations a page names are read in one query. */
export function loadOrganisation(context: object, queries: QueryBus, id: string): Promise<OrganisationView | null> {
  return requestLoader<string, OrganisationView>(context, 'organisation', (ids) =>
    queries.execute<GetOrganisationsByIdQuery, Map<string, OrganisationView>>(new GetOrganisationsByIdQuery(ids)),
  ).load(id);
}

export class GetMembersQuery {
  constructor(readonly by: { organisationId: string; personId?: string } | { personId: string } | { email: string }) {}
}

@QueryHandler(GetMembersQuery)
export class GetMembersHandler implements IQueryHandler<GetMembersQuery, MemberView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ by }: GetMembersQuery): Promise<MemberView[]> {
    const [where, values]: [string, string[]] =
      'organisationId' in by
        ? by.personId === undefined
          ? ['organisation_id = $1', [by.organisationId]]
          : ['organisation_id = $1 AND person_id = $2', [by.organisationId, by.personId]]
        : 'personId' in by
          ? ['person_id = $1', [by.personId]]
          : ['lower(email) = lower($1)', [by.email]];
    const { rows } = await this.db.query<MemberRow>(
      `SELECT person_id, organisation_id, display_name, email, roles FROM read_models.organisation_members WHERE ${where} ORDER BY added_at, person_id`,
      values,
    );
    return rows.map(toMemberView);
  }
}
