import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { ChangeFeed } from '@kyogi/live/change-feed';
import { maySee, visibleTally } from '@kyogi/live/visibility';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import type { Position } from '@kyogi/event-store/port';
import type { Tally } from '@kyogi/domain/consultations/tally';
import { CHANGE_FEED } from '../../platform/tokens';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { GetConsultationQuery } from '../get-consultation/get-consultation.query';
import type { ConsultationView } from '../consultation.view';

export interface TallyChangedView {
  readonly consultationId: string;
  readonly change: string;
  readonly position: string;
  readonly tally: Tally | null;
  readonly status: 'OPEN' | 'CLOSED';
}

/** The tally a change carries, from its scope alone (no lookup): null for a hidden round until it closes. */
export function tallyChangedOf(change: ReadModelChange): TallyChangedView {
  const tally = visibleTally(change.scope);
  return {
    consultationId: change.id,
    change: change.change,
    position: change.position,
    tally: tally === null ? null : (JSON.parse(tally) as Tally),
    status: change.scope.status === 'closed' ? 'CLOSED' : 'OPEN',
  };
}

/** One view per change, shared by every subscriber it reaches: the tally is parsed once, not once per subscriber. */
const tallyViews = new WeakMap<ReadModelChange, TallyChangedView>();
function sharedTallyChangedOf(change: ReadModelChange): TallyChangedView {
  let view = tallyViews.get(change);
  if (!view) tallyViews.set(change, (view = tallyChangedOf(change)));
  return view;
}

@Resolver('Subscription')
export class ConsultationChangedResolver {
  constructor(@Inject(CHANGE_FEED) private readonly feed: ChangeFeed) {}

  /** Opened, every official stance cast, closed (and a draft, to its organisations only) — replayed after `after`, then live. */
  @Subscription('consultationChanged', { resolve: (change: ReadModelChange) => change })
  consultationChanged(@Context() context: RequestContext, @Args('id') id: string, @Args('after') after: Position | null): AsyncIterator<ReadModelChange> {
    const actor = requireActor(context, 'consultation.read');
    return this.feed.subscribe((change) => change.entity === 'consultation' && change.id === id && maySee(actor, change), { after });
  }

  /** The tally after every change; a hidden round's tally is null until it closes, in every notification. */
  @Subscription('tallyChanged', { resolve: (change: ReadModelChange) => sharedTallyChangedOf(change) })
  tallyChanged(
    @Context() context: RequestContext,
    @Args('consultationId') consultationId: string,
    @Args('after') after: Position | null,
  ): AsyncIterator<ReadModelChange> {
    const actor = requireActor(context, 'consultation.read');
    // A draft moves no tally.
    return this.feed.subscribe(
      (change) => change.entity === 'consultation' && change.id === consultationId && change.change !== 'StanceDrafted' && maySee(actor, change),
      { after },
    );
  }
}

@Resolver('ConsultationChangedEvent')
export class ConsultationChangedEventFieldsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('consultationId')
  consultationId(@Parent() change: ReadModelChange): string {
    return change.id;
  }

  @ResolveField('consultation')
  consultation(@Context() context: RequestContext, @Parent() change: ReadModelChange): Promise<ConsultationView | null> | null {
    if (!context.identity) return null;
    return this.queries.execute(new GetConsultationQuery(change.id, context.identity.actor));
  }
}
