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
import { GetProposalQuery } from './get-proposal/get-proposal.query';
import type { ProposalView } from './proposal.view';

/** What the proposal mutations return; `proposal` resolves once the read models have the write. */
export interface ProposalMutationPayload {
  readonly proposalId: string | null;
  readonly position: Position | null;
  readonly errors: ReturnType<typeof userErrors>;
}

export const failedPayload = (error: DomainError): ProposalMutationPayload => ({ proposalId: null, position: null, errors: userErrors(error) });

export const outcomePayload = (proposalId: string, outcome: CommandOutcome): ProposalMutationPayload =>
  outcome.ok ? { proposalId, position: outcome.position, errors: [] } : failedPayload(outcome.error);

/** The `proposal` field of one payload type, read with read-your-writes and the caller's visibility. */
function proposalPayloadResolver(typeName: string): Type<unknown> {
  @Resolver(typeName)
  class ProposalPayloadResolver {
    constructor(
      readonly queries: QueryBus,
      @Inject(PROJECTOR) readonly projector: Projector,
    ) {}

    @ResolveField('proposal')
    async proposal(@Context() context: RequestContext, @Parent() payload: ProposalMutationPayload): Promise<ProposalView | null> {
      if (!payload.proposalId || !context.identity) return null;
      await readYourWrites(this.projector, payload.position);
      return this.queries.execute(new GetProposalQuery(payload.proposalId, context.identity.actor));
    }
  }
  Object.defineProperty(ProposalPayloadResolver, 'name', { value: `${typeName}Resolver` });
  return ProposalPayloadResolver;
}

export const PROPOSAL_PAYLOAD_RESOLVERS: readonly Type<unknown>[] = [
  'DraftProposalPayload',
  'ReviseProposalPayload',
  'SubmitProposalPayload',
  'WithdrawProposalPayload',
  'AcceptProposalPayload',
  'RejectProposalPayload',
].map(proposalPayloadResolver);
