import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { DomainError, type Actor } from '@kyogi/domain/shared/decider';
import type { ArrangementPhase } from '@kyogi/domain/talent/arrangements.events';
import { READ_DB } from '../../platform/tokens';
import { ARRANGEMENT_SELECT, toArrangementView, type TalentArrangementRow, type TalentArrangementView } from '../talent.view';

export interface ArrangementFilter {
  /** Arrangements whose current terms include this organisation. */
  readonly participantOrganisationId: string | null;
  readonly phase: ArrangementPhase | null;
  /** Two digits: the proposer or a current participant is of this prefecture. */
  readonly prefectureCode: string | null;
}

export class ListTalentArrangementsQuery {
  constructor(
    readonly actor: Actor,
    readonly filter: ArrangementFilter,
    readonly first: number,
    readonly after: string | null,
  ) {}
}

export interface TalentArrangementPage {
  readonly edges: { cursor: string; node: TalentArrangementView }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly totalCount: number;
}

export const MAX_PAGE = 200;
const POSITION = /^[0-9a-f]{16}\.[0-9a-f]{16}$/;
const encodeCursor = (proposedPosition: string) => Buffer.from(proposedPosition).toString('base64url');

/** Newest first, by the position of TalentArrangementProposed (unique and immutable). */
@QueryHandler(ListTalentArrangementsQuery)
export class ListTalentArrangementsHandler implements IQueryHandler<ListTalentArrangementsQuery, TalentArrangementPage | DomainError> {
  constructor(@Inject(READ_DB) private readonly db: Pool) {}

  async execute({ actor, filter, first, after }: ListTalentArrangementsQuery): Promise<TalentArrangementPage | DomainError> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
      return new DomainError('INVALID_PAGE_SIZE', `first must be between 1 and ${MAX_PAGE}`, 'first');
    if (filter.prefectureCode !== null && !/^\d{2}$/.test(filter.prefectureCode))
      return new DomainError('INVALID_PREFECTURE_CODE', 'prefectureCode is two digits (JIS X 0401), e.g. 01 for 北海道', 'prefectureCode');
    const empty = { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
    if (actor.roles.length === 0) return empty;
    const params: unknown[] = [filter.participantOrganisationId, filter.phase, filter.prefectureCode];
    const where = [
      `($1::text IS NULL OR EXISTS (SELECT 1 FROM read_models.talent_participants p WHERE p.arrangement_id = a.arrangement_id AND p.organisation_id = $1))`,
      '($2::text IS NULL OR a.phase = $2)',
      '($3::text IS NULL OR a.prefecture_codes @> ARRAY[$3::text])',
    ];
    const total = await this.db.query<{ count: string }>(`SELECT count(*) FROM read_models.talent_arrangements a WHERE ${where.join(' AND ')}`, params);
    if (after !== null) {
      const position = Buffer.from(after, 'base64url').toString('utf8');
      if (!POSITION.test(position)) return new DomainError('INVALID_CURSOR', 'after must be an endCursor returned by an earlier page', 'after');
      params.push(position);
      where.push(`a.proposed_position < $${params.length}`);
    }
    params.push(first + 1);
    const { rows } = await this.db.query<TalentArrangementRow>(
      `${ARRANGEMENT_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.proposed_position DESC LIMIT $${params.length}`,
      params,
    );
    const edges = rows.slice(0, first).map((row) => ({ cursor: encodeCursor(row.proposed_position), node: toArrangementView(row) }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: Number(total.rows[0].count) };
  }
}
