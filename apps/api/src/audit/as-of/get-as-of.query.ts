import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { Actor } from '@kyogi/domain/shared/decider';
import type { EventStore } from '@kyogi/event-store/port';
import { EVENT_STORE, READ_DB } from '../../platform/tokens';
import { streamVisibleTo, type StreamFacts } from '../history/access';
import { StreamFactsReader, streamNameOf } from '../history/stream-facts';
import { consultationAsOf, type ConsultationAsOfView } from './consultation-as-of';
import { proposalAsOf, type ProposalAsOfView } from './proposal-as-of';
import { talentArrangementAsOf, type TalentArrangementAsOfView } from './talent-arrangement-as-of';
import { organisationAsOf, type OrganisationAsOfView } from './organisation-as-of';
import { specAsOf, type SpecAsOfView } from './spec-as-of';
import { ladderAsOf, roundOutcomeAsOf, roundsOpenAt, type LadderAsOfView } from './ladder-as-of';
import { talentPoolAsOf, type TalentPoolAsOfView } from './talent-pool-as-of';

/** The stream of an entity the actor may see (access.ts, as for its history) and its facts, or null. */
async function visibleStream(
  store: EventStore,
  actor: Actor,
  category: 'Consultation' | 'Proposal' | 'TalentArrangement' | 'Organisation' | 'Spec' | 'Ladder' | 'TalentPool',
  id: string,
): Promise<{ streamName: string; facts: StreamFacts } | null> {
  const streamName = streamNameOf(category, id);
  if (!streamName) return null;
  const facts = await new StreamFactsReader(store).factsOf(streamName);
  return facts && streamVisibleTo(actor, facts) ? { streamName, facts } : null;
}

/** A consultation as it stood at `at`, from its stream; null when it did not exist yet (or does not at all). */
export class GetConsultationAsOfQuery {
  constructor(
    readonly id: string,
    readonly actor: Actor,
    readonly at: Date,
  ) {}
}

@QueryHandler(GetConsultationAsOfQuery)
export class GetConsultationAsOfHandler implements IQueryHandler<GetConsultationAsOfQuery, ConsultationAsOfView | null> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: Pool,
  ) {}

  async execute({ id, actor, at }: GetConsultationAsOfQuery): Promise<ConsultationAsOfView | null> {
    const visible = await visibleStream(this.store, actor, 'Consultation', id);
    if (!visible) return null;
    const events = await this.store.readStream(visible.streamName);
    const electorate = (events[0]?.data.electorate ?? []) as { organisationId: string }[];
    // The prefecture of each organisation of the electorate (a fact that does not change), for the order of stances and non-respondents.
    const { rows } = await this.db.query<{ id: string; prefecture_code: string | null }>(
      'SELECT id, prefecture_code FROM read_models.organisations WHERE id = ANY($1)',
      [electorate.map((m) => m.organisationId)],
    );
    const prefectures = new Map(rows.map((r) => [r.id, r.prefecture_code]));
    return consultationAsOf(events, at, (organisationId) => prefectures.get(organisationId) ?? null);
  }
}

/** A proposal as it stood at `at`, from its stream; null when it was not drafted yet, or is another organisation's draft (now). */
export class GetProposalAsOfQuery {
  constructor(
    readonly id: string,
    readonly actor: Actor,
    readonly at: Date,
  ) {}
}

@QueryHandler(GetProposalAsOfQuery)
export class GetProposalAsOfHandler implements IQueryHandler<GetProposalAsOfQuery, ProposalAsOfView | null> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ id, actor, at }: GetProposalAsOfQuery): Promise<ProposalAsOfView | null> {
    const visible = await visibleStream(this.store, actor, 'Proposal', id);
    if (!visible) return null;
    return proposalAsOf(await this.store.readStream(visible.streamName), at);
  }
}

/** A talent arrangement as it stood at `at`, from its stream; null when it was not proposed yet. */
export class GetTalentArrangementAsOfQuery {
  constructor(
    readonly id: string,
    readonly actor: Actor,
    readonly at: Date,
  ) {}
}

@QueryHandler(GetTalentArrangementAsOfQuery)
export class GetTalentArrangementAsOfHandler implements IQueryHandler<GetTalentArrangementAsOfQuery, TalentArrangementAsOfView | null> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ id, actor, at }: GetTalentArrangementAsOfQuery): Promise<TalentArrangementAsOfView | null> {
    const visible = await visibleStream(this.store, actor, 'TalentArrangement', id);
    if (!visible) return null;
    const organiserIds = visible.facts.category === 'TalentArrangement' ? visible.facts.organiserIds : [];
    return talentArrangementAsOf(await this.store.readStream(visible.streamName), at, organiserIds);
  }
}

/**
 * An organisation as it stood at `at`, by id or by 全国地方公共団体コード (a prefecture's or
 * municipality's id is its code); null when it was not registered yet.
 */
export class GetOrganisationAsOfQuery {
  constructor(
    readonly by: { id: string } | { code: string },
    readonly actor: Actor,
    readonly at: Date,
  ) {}
}

@QueryHandler(GetOrganisationAsOfQuery)
export class GetOrganisationAsOfHandler implements IQueryHandler<GetOrganisationAsOfQuery, OrganisationAsOfView | null> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ by, actor, at }: GetOrganisationAsOfQuery): Promise<OrganisationAsOfView | null> {
    const visible = await visibleStream(this.store, actor, 'Organisation', 'id' in by ? by.id : by.code);
    if (!visible) return null;
    const organisation = organisationAsOf(await this.store.readStream(visible.streamName), at);
    // A vendor's slug is no code: by code, only an organisation that carries that code.
    return organisation && 'code' in by && organisation.code !== by.code ? null : organisation;
  }
}

/** A spec as it stood at `at` (the versions published by then); null when it was not created yet. */
export class GetSpecAsOfQuery {
  constructor(
    readonly id: string,
    readonly actor: Actor,
    readonly at: Date,
  ) {}
}

@QueryHandler(GetSpecAsOfQuery)
export class GetSpecAsOfHandler implements IQueryHandler<GetSpecAsOfQuery, SpecAsOfView | null> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ id, actor, at }: GetSpecAsOfQuery): Promise<SpecAsOfView | null> {
    const visible = await visibleStream(this.store, actor, 'Spec', id);
    if (!visible) return null;
    return specAsOf(await this.store.readStream(visible.streamName), at);
  }
}

/** A ladder as it stood at `at`, its open rounds' outcomes from their consultations' streams up to then; null when not chosen yet. */
export class GetLadderAsOfQuery {
  constructor(
    readonly id: string,
    readonly actor: Actor,
    readonly at: Date,
  ) {}
}

@QueryHandler(GetLadderAsOfQuery)
export class GetLadderAsOfHandler implements IQueryHandler<GetLadderAsOfQuery, LadderAsOfView | null> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ id, actor, at }: GetLadderAsOfQuery): Promise<LadderAsOfView | null> {
    const visible = await visibleStream(this.store, actor, 'Ladder', id);
    if (!visible) return null;
    const events = await this.store.readStream(visible.streamName);
    const outcomes = new Map<string, ReturnType<typeof roundOutcomeAsOf>>();
    for (const consultationId of roundsOpenAt(events, at)) {
      const stream = streamNameOf('Consultation', consultationId);
      outcomes.set(consultationId, stream ? roundOutcomeAsOf(await this.store.readStream(stream), at) : null);
    }
    return ladderAsOf(events, at, outcomes);
  }
}

/** A talent pool as it stood at `at` (its people and dispatches then); null when it was not opened yet. */
export class GetTalentPoolAsOfQuery {
  constructor(
    readonly id: string,
    readonly actor: Actor,
    readonly at: Date,
  ) {}
}

@QueryHandler(GetTalentPoolAsOfQuery)
export class GetTalentPoolAsOfHandler implements IQueryHandler<GetTalentPoolAsOfQuery, TalentPoolAsOfView | null> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ id, actor, at }: GetTalentPoolAsOfQuery): Promise<TalentPoolAsOfView | null> {
    const visible = await visibleStream(this.store, actor, 'TalentPool', id);
    if (!visible) return null;
    return talentPoolAsOf(await this.store.readStream(visible.streamName), at);
  }
}
