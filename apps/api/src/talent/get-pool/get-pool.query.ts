import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { Actor } from '@kyogi/domain/shared/decider';
import { authorise } from '@kyogi/auth/permissions';
import { READ_DB } from '../../platform/tokens';
import { POOL_COLUMNS, toPoolView, type TalentDispatchView, type TalentPoolRow, type TalentPoolView } from '../talent.view';

/** One pool; every signed-in role may see it (its people only its prefecture: see the field resolver). */
export class GetTalentPoolQuery {
  constructor(
    readonly id: string,
    readonly actor: Actor,
  ) {}
}

@QueryHandler(GetTalentPoolQuery)
export class GetTalentPoolHandler implements IQueryHandler<GetTalentPoolQuery, TalentPoolView | null> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ id, actor }: GetTalentPoolQuery): Promise<TalentPoolView | null> {
    if (actor.roles.length === 0) return null;
    const { rows } = await this.db.query<TalentPoolRow>(`SELECT ${POOL_COLUMNS} FROM read_models.talent_pools WHERE pool_id = $1`, [id]);
    return rows[0] ? toPoolView(rows[0]) : null;
  }
}

export class ListTalentPoolsQuery {
  constructor(
    readonly actor: Actor,
    readonly prefectureOrganisationId: string | null,
  ) {}
}

const MAX_POOLS = 500;

/** Oldest first; pools are few (one or two per prefecture). */
@QueryHandler(ListTalentPoolsQuery)
export class ListTalentPoolsHandler implements IQueryHandler<ListTalentPoolsQuery, TalentPoolView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ actor, prefectureOrganisationId }: ListTalentPoolsQuery): Promise<TalentPoolView[]> {
    if (actor.roles.length === 0) return [];
    const { rows } = await this.db.query<TalentPoolRow>(
      `SELECT ${POOL_COLUMNS} FROM read_models.talent_pools WHERE ($1::text IS NULL OR prefecture_organisation_id = $1)
        ORDER BY opened_at, pool_id LIMIT ${MAX_POOLS}`,
      [prefectureOrganisationId],
    );
    return rows.map(toPoolView);
  }
}

export interface TalentPoolPersonView {
  readonly poolPersonId: string;
  readonly name: string;
  readonly reference: string;
  readonly capacityDaysPerMonth: number;
  readonly addedAt: Date;
}

/** A pool's people, as added. Personal data: the caller checks talentPool.readPeople first. */
export class GetTalentPoolPeopleQuery {
  constructor(readonly poolId: string) {}
}

@QueryHandler(GetTalentPoolPeopleQuery)
export class GetTalentPoolPeopleHandler implements IQueryHandler<GetTalentPoolPeopleQuery, TalentPoolPersonView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ poolId }: GetTalentPoolPeopleQuery): Promise<TalentPoolPersonView[]> {
    const { rows } = await this.db.query<{ pool_person_id: string; name: string; reference: string; capacity_days_per_month: number; added_at: Date }>(
      `SELECT pool_person_id, name, reference, capacity_days_per_month, added_at FROM read_models.talent_pool_people
        WHERE pool_id = $1 ORDER BY added_at, pool_person_id`,
      [poolId],
    );
    return rows.map((r) => ({
      poolPersonId: r.pool_person_id,
      name: r.name,
      reference: r.reference,
      capacityDaysPerMonth: r.capacity_days_per_month,
      addedAt: r.added_at,
    }));
  }
}

export interface DispatchFilter {
  readonly poolId: string | null;
  readonly organisationId: string | null;
  readonly arrangementId: string | null;
}

/** Dispatches, oldest first; the person's name only for the pool's prefecture and the organisation served (talentPool.readPeople). */
export class ListTalentDispatchesQuery {
  constructor(
    readonly filter: DispatchFilter,
    readonly actor: Actor,
  ) {}
}

const MAX_DISPATCHES = 1000;

@QueryHandler(ListTalentDispatchesQuery)
export class ListTalentDispatchesHandler implements IQueryHandler<ListTalentDispatchesQuery, TalentDispatchView[]> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ filter, actor }: ListTalentDispatchesQuery): Promise<TalentDispatchView[]> {
    if (actor.roles.length === 0) return [];
    const { rows } = await this.db.query<{
      pool_id: string;
      dispatch_id: string;
      pool_person_id: string;
      person_name: string | null;
      prefecture_organisation_id: string;
      organisation_id: string;
      arrangement_id: string;
      days_per_month: number;
      start_date: string;
      end_date: string;
      planned_end_date: string;
      end_reason: string | null;
      dispatched_by_person_id: string;
      dispatched_at: Date;
    }>(
      `SELECT d.pool_id, d.dispatch_id, d.pool_person_id, pp.name AS person_name, pl.prefecture_organisation_id, d.organisation_id, d.arrangement_id,
              d.days_per_month, d.start_date::text, d.end_date::text, d.planned_end_date::text, d.end_reason, d.dispatched_by_person_id, d.dispatched_at
         FROM read_models.talent_dispatches d
         JOIN read_models.talent_pools pl ON pl.pool_id = d.pool_id
         LEFT JOIN read_models.talent_pool_people pp ON pp.pool_id = d.pool_id AND pp.pool_person_id = d.pool_person_id
        WHERE ($1::text IS NULL OR d.pool_id = $1) AND ($2::text IS NULL OR d.organisation_id = $2) AND ($3::text IS NULL OR d.arrangement_id = $3)
        ORDER BY d.dispatched_at, d.dispatch_id LIMIT ${MAX_DISPATCHES}`,
      [filter.poolId, filter.organisationId, filter.arrangementId],
    );
    const mayName = (prefecture: string, served: string) =>
      authorise('talentPool.readPeople', actor, prefecture).allowed || authorise('talentPool.readPeople', actor, served).allowed;
    return rows.map((r) => ({
      dispatchId: r.dispatch_id,
      poolId: r.pool_id,
      poolPersonId: r.pool_person_id,
      personName: mayName(r.prefecture_organisation_id, r.organisation_id) ? r.person_name : null,
      organisationId: r.organisation_id,
      arrangementId: r.arrangement_id,
      daysPerMonth: r.days_per_month,
      startDate: r.start_date,
      endDate: r.end_date,
      plannedEndDate: r.planned_end_date,
      endReason: r.end_reason,
      dispatchedByPersonId: r.dispatched_by_person_id,
      dispatchedAt: r.dispatched_at,
    }));
  }
}
