import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import type { MandateView } from '../mandate.view';
import { ListMandatesQuery } from './list-mandates.query';

@Resolver('Query')
export class ListMandatesResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('mandates')
  async mandates(
    @Context() context: RequestContext,
    @Args('grantorOrganisationId') grantorOrganisationId: string | null,
    @Args('granteeOrganisationId') granteeOrganisationId: string | null,
    @Args('activeAt') activeAt: Date | null,
    @Args('waitFor') waitFor: Position | null,
  ): Promise<MandateView[]> {
    const actor = requireActor(context, 'mandate.read');
    await readYourWrites(this.projector, waitFor);
    return this.queries.execute<ListMandatesQuery, MandateView[]>(
      new ListMandatesQuery(actor, {
        grantorOrganisationId: grantorOrganisationId ?? null,
        granteeOrganisationId: granteeOrganisationId ?? null,
        activeAt: activeAt ?? null,
      }),
    );
  }
}
