import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../platform/tokens';
import { readYourWrites } from '../graphql/read-your-writes';
import type { RequestContext } from '../graphql/request-context';
import type { MutationResult } from '../command-handling/mutation-runner';
import { GetTalentArrangementQuery } from './get-arrangement/get-arrangement.query';
import { GetTalentPoolQuery } from './get-pool/get-pool.query';
import type { TalentArrangementView, TalentPoolView } from './talent.view';

/** What the arrangement mutations return (runMutation's result); `arrangement` resolves once the read models have the write. */
@Resolver('TalentArrangementPayload')
export class TalentArrangementPayloadResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @ResolveField('arrangementId')
  arrangementId(@Parent() payload: MutationResult): string | null {
    return payload.id;
  }

  @ResolveField('arrangement')
  async arrangement(@Context() context: RequestContext, @Parent() payload: MutationResult): Promise<TalentArrangementView | null> {
    if (!payload.id || !context.identity) return null;
    await readYourWrites(this.projector, payload.position);
    return this.queries.execute(new GetTalentArrangementQuery(payload.id, context.identity.actor));
  }
}

/** What the pool mutations return; `pool` resolves once the read models have the write. */
@Resolver('TalentPoolPayload')
export class TalentPoolPayloadResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @ResolveField('poolId')
  poolId(@Parent() payload: MutationResult): string | null {
    return payload.id;
  }

  @ResolveField('pool')
  async pool(@Context() context: RequestContext, @Parent() payload: MutationResult): Promise<TalentPoolView | null> {
    if (!payload.id || !context.identity) return null;
    await readYourWrites(this.projector, payload.position);
    return this.queries.execute(new GetTalentPoolQuery(payload.id, context.identity.actor));
  }
}
