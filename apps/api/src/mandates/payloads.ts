import { Inject, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { DomainError } from '@kyogi/domain/shared/decider';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../platform/tokens';
import { userErrors } from '../graphql/user-errors';
import { readYourWrites } from '../graphql/read-your-writes';
import type { RequestContext } from '../graphql/request-context';
import type { CommandOutcome } from '../command-handling/decide.command';
import { GetMandateQuery } from './list-mandates/list-mandates.query';
import type { MandateView } from './mandate.view';

/** What the mandate mutations return; `mandate` resolves once the read models have the write. */
export interface MandateMutationPayload {
  readonly mandateId: string | null;
  readonly position: Position | null;
  readonly errors: ReturnType<typeof userErrors>;
}

export const failedPayload = (error: DomainError): MandateMutationPayload => ({ mandateId: null, position: null, errors: userErrors(error) });

export const outcomePayload = (mandateId: string, outcome: CommandOutcome): MandateMutationPayload =>
  outcome.ok ? { mandateId, position: outcome.position, errors: [] } : failedPayload(outcome.error);

function mandatePayloadResolver(typeName: string): Type<unknown> {
  @Resolver(typeName)
  class MandatePayloadResolver {
    constructor(
      readonly queries: QueryBus,
      @Inject(PROJECTOR) readonly projector: Projector,
    ) {}

    @ResolveField('mandate')
    async mandate(@Context() context: RequestContext, @Parent() payload: MandateMutationPayload): Promise<MandateView | null> {
      if (!payload.mandateId || !context.identity) return null;
      await readYourWrites(this.projector, payload.position);
      return this.queries.execute(new GetMandateQuery(payload.mandateId, context.identity.actor));
    }
  }
  Object.defineProperty(MandatePayloadResolver, 'name', { value: `${typeName}Resolver` });
  return MandatePayloadResolver;
}

export const MANDATE_PAYLOAD_RESOLVERS: readonly Type<unknown>[] = ['GrantMandatePayload', 'RevokeMandatePayload'].map(mandatePayloadResolver);
