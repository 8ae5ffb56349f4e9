import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { DomainError } from '@kyogi/domain/shared/decider';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../platform/tokens';
import { userErrors } from '../graphql/user-errors';
import { readYourWrites } from '../graphql/read-your-writes';
import type { RequestContext } from '../graphql/request-context';
import { GetLadderQuery } from './get-ladder/get-ladder.query';
import type { LadderView } from './ladder.view';

/** What the ladder mutations return; `ladder` resolves once the read models have the last write. */
export interface LadderMutationPayload {
  readonly ladderId: string | null;
  readonly position: Position | null;
  readonly errors: ReturnType<typeof userErrors>;
}

export const failedPayload = (error: DomainError, ladderId: string | null = null, position: Position | null = null): LadderMutationPayload => ({
  ladderId,
  position,
  errors: userErrors(error),
});

@Resolver('LadderPayload')
export class LadderPayloadResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @ResolveField('ladder')
  async ladder(@Context() context: RequestContext, @Parent() payload: LadderMutationPayload): Promise<LadderView | null> {
    if (!payload.ladderId || !context.identity) return null;
    await readYourWrites(this.projector, payload.position);
    return this.queries.execute(new GetLadderQuery(payload.ladderId));
  }
}
