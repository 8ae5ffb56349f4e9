import { DomainEvent, streamName } from '../shared/decider';

export const SPEC_CATEGORY = 'Spec';

/** `Spec-<specId>`; the id is a slug such as `juminkiroku`. */
export const specStreamName = (specId: string): string => streamName(SPEC_CATEGORY, specId);

/**
 * Requirement categories of the 標準仕様書. A fixed list in code, not a setting: events are
 * replayed for years and must mean the same thing on every replay, so a new category is a change
 * here (and to the GraphQL enum), never a configuration that could differ between instances.
 */
export const REQUIREMENT_CATEGORIES = ['実装必須', '標準オプション', '実装不可'] as const;
export type RequirementCategory = (typeof REQUIREMENT_CATEGORIES)[number];

export interface Requirement {
  /** Stable across versions, e.g. `2.1.3`; unique within a version. */
  readonly requirementId: string;
  readonly title: string;
  /** As written (line breaks normalised to \n); comments quote it by offset. */
  readonly text: string;
  readonly category: RequirementCategory;
}

export interface SpecCreatedData {
  readonly specId: string;
  readonly title: string;
  /** Business domain, free text: 住民記録, 税務, 福祉, … */
  readonly domain: string;
  /** The national body that owns the spec, publishes its versions and decides on proposals. */
  readonly ownerOrganisationId: string;
}
export type SpecCreated = DomainEvent<'SpecCreated', SpecCreatedData>;

export interface SpecVersionPublishedData {
  readonly specId: string;
  /** Digits and dots, numerically greater than every earlier version of the spec. */
  readonly version: string;
  /** In document order; 1 to 5,000. */
  readonly requirements: readonly Requirement[];
  /** Accepted proposals this version incorporates, each at most once over the spec's life. */
  readonly incorporatedProposalIds: readonly string[];
}
export type SpecVersionPublished = DomainEvent<'SpecVersionPublished', SpecVersionPublishedData>;

export type SpecEvent = SpecCreated | SpecVersionPublished;
