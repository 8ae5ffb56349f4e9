import type { Provider } from '@nestjs/common';
import { ProposalLookups } from './lookups';
import { GetProposalHandler, GetProposalRevisionsHandler, GetRevisionsOfProposalsHandler } from './get-proposal/get-proposal.query';
import { GetProposalResolver, ProposalFieldsResolver } from './get-proposal/get-proposal.resolver';
import { ListProposalsHandler } from './list-proposals/list-proposals.query';
import { ListProposalsResolver } from './list-proposals/list-proposals.resolver';
import { DiffProposalResolver } from './diff-proposal/diff-proposal.resolver';
import { DraftProposalResolver } from './draft-proposal/draft-proposal.resolver';
import { ReviseProposalResolver } from './revise-proposal/revise-proposal.resolver';
import { SubmitProposalResolver } from './submit-proposal/submit-proposal.resolver';
import { WithdrawProposalResolver } from './withdraw-proposal/withdraw-proposal.resolver';
import { DecideProposalResolver } from './decide-proposal/decide-proposal.resolver';
import { ProposalChangedEventFieldsResolver, ProposalChangedResolver } from './proposal-changed/proposal-changed.resolver';
import { PROPOSAL_PAYLOAD_RESOLVERS } from './payloads';

/** Everything the proposals context adds to the app module. */
export const PROPOSAL_PROVIDERS: readonly Provider[] = [
  ProposalLookups,
  GetProposalHandler,
  GetProposalRevisionsHandler,
  GetRevisionsOfProposalsHandler,
  GetProposalResolver,
  ProposalFieldsResolver,
  ListProposalsHandler,
  ListProposalsResolver,
  DiffProposalResolver,
  DraftProposalResolver,
  ReviseProposalResolver,
  SubmitProposalResolver,
  WithdrawProposalResolver,
  DecideProposalResolver,
  ProposalChangedResolver,
  ProposalChangedEventFieldsResolver,
  ...PROPOSAL_PAYLOAD_RESOLVERS,
];
