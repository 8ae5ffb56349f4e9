import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Actor, OrganisationKind } from '@kyogi/domain/shared/decider';
import type { OrganisationLookup, TermsInput } from '@kyogi/domain/talent/arrangements.commands';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { talentArrangementStreamName, type TalentArrangementEvent } from '@kyogi/domain/talent/arrangements.events';
import type { ArrangementLookup } from '@kyogi/domain/talent/pools.commands';
import type { EventStore } from '@kyogi/event-store/port';
import { EVENT_STORE, READ_DB } from '../platform/tokens';

/**
 * The lookups of the talent commands:
 * - `organisations`: every organisation the terms name (participants, host) and the actor's own,
 *   from the organisations read model (unknown ones are left out: the decider names them);
 * - `arrangement`: an arrangement as its own stream has it now — a pool dispatch must fit the
 *   current terms version exactly, so not the read model, which may be a moment behind.
 */
@Injectable()
export class TalentLookups {
  constructor(
    @Inject(READ_DB) private readonly db: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async organisations(terms: TermsInput | null | undefined, actor: Actor): Promise<OrganisationLookup[]> {
    const named = [terms?.hostOrganisationId, ...(Array.isArray(terms?.participants) ? terms.participants.map((p) => p?.organisationId) : [])];
    const ids = [...new Set([actor.organisationId, ...named].filter((id): id is string => typeof id === 'string'))];
    const { rows } = await this.db.query<{ id: string; kind: OrganisationKind; prefecture_code: string | null; active: boolean }>(
      'SELECT id, kind, prefecture_code, active FROM read_models.organisations WHERE id = ANY($1::text[])',
      [ids],
    );
    return rows.map((r) => ({ organisationId: r.id, kind: r.kind, prefectureCode: r.prefecture_code, active: r.active }));
  }

  async arrangement(arrangementId: string): Promise<ArrangementLookup | null> {
    const recorded = await this.store.readStream(talentArrangementStreamName(arrangementId));
    const state = recorded.reduce(
      (s, e) => talentArrangementDecider.evolve(s, { type: e.type, data: e.data } as unknown as TalentArrangementEvent),
      talentArrangementDecider.initialState(),
    );
    if (state.phase === 'unproposed') return null;
    return {
      arrangementId: state.arrangementId,
      phase: state.phase,
      hostOrganisationId: state.terms.hostOrganisationId,
      startDate: state.terms.startDate,
      endDate: state.terms.endDate,
      participants: state.terms.participants.map((p) => ({ organisationId: p.organisationId, daysPerMonth: p.daysPerMonth })),
    };
  }
}
