import { DomainCommand } from '../shared/decider';
import { Requirement } from './specs.events';

export interface CreateSpecData {
  /** A slug `[a-z0-9-]{2,64}`, e.g. `juminkiroku`. */
  readonly specId: string;
  readonly title: string;
  readonly domain: string;
  /** Must be the actor's own (national) organisation. */
  readonly ownerOrganisationId: string;
}
export type CreateSpec = DomainCommand<'CreateSpec', CreateSpecData>;

/** Lookup, read by the handler from the proposals read model: one incorporated proposal as it stands. */
export interface IncorporatedProposalFacts {
  readonly specId: string;
  /** Its status is `accepted` (decided, and not yet incorporated). */
  readonly accepted: boolean;
}

export interface PublishSpecVersionData {
  readonly specId: string;
  readonly version: string;
  /** `category` is checked against REQUIREMENT_CATEGORIES at run time. */
  readonly requirements: readonly Requirement[];
  readonly incorporatedProposalIds: readonly string[];
  /** Lookup: proposalId → facts, for every id in incorporatedProposalIds (a missing id is PROPOSAL_NOT_FOUND). */
  readonly incorporatedProposals: Readonly<Record<string, IncorporatedProposalFacts>>;
}
export type PublishSpecVersion = DomainCommand<'PublishSpecVersion', PublishSpecVersionData>;

export type SpecCommand = CreateSpec | PublishSpecVersion;
