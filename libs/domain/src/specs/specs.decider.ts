import { Actor, assertNever, Decider, Decision, DomainError } from '../shared/decider';
import { cleanLabel, cleanProse, compareVersions, isEntityId, isRequirementId, isSpecId, isVersion, MAX_VERSION_LENGTH } from './input-rules';
import { CreateSpec, PublishSpecVersion, SpecCommand } from './specs.commands';
import { REQUIREMENT_CATEGORIES, Requirement, RequirementCategory, SPEC_CATEGORY, SpecEvent } from './specs.events';

/**
 * One stream per spec (標準仕様書). Who may do what:
 * - create: an admin or coordinator of a national body, for its own organisation;
 * - publish a version: a coordinator or admin of the spec's owner organisation.
 * A published version never changes: there is no command that edits one, only a later version.
 *
 * Checks run in this order: the stream's existence, the actor's permission, the version, the
 * requirements in document order, then the incorporated proposals.
 */

export interface PublishedSpecVersion {
  readonly version: string;
  readonly requirements: readonly Requirement[];
  readonly incorporatedProposalIds: readonly string[];
}

interface SpecFacts {
  readonly specId: string;
  readonly title: string;
  readonly domain: string;
  readonly ownerOrganisationId: string;
}

/** Created, no version published yet. */
export interface CreatedSpec extends SpecFacts {
  readonly status: 'created';
}

/** At least one version published. */
export interface PublishedSpec extends SpecFacts {
  readonly status: 'published';
  /** In publication order, which is ascending version order; the last is the latest. */
  readonly versions: readonly PublishedSpecVersion[];
}

export type SpecState = { readonly status: 'uncreated' } | CreatedSpec | PublishedSpec;

export const MAX_REQUIREMENTS = 5000;
const MAX_TITLE = 200;
const MAX_DOMAIN = 100;
// The same limits as the CSV/Markdown importer (specs-import) and the diffs are sized for.
const MAX_REQUIREMENT_TITLE = 200;
export const MAX_REQUIREMENT_TEXT = 10_000;

const hasAnyRole = (actor: Actor, roles: readonly string[]): boolean => actor.roles.some((role) => roles.includes(role));
const isCoordinatorOf = (actor: Actor, organisationId: string): boolean =>
  actor.organisationId === organisationId && hasAnyRole(actor, ['coordinator', 'admin']);

export const isRequirementCategory = (value: unknown): value is RequirementCategory =>
  typeof value === 'string' && (REQUIREMENT_CATEGORIES as readonly string[]).includes(value);

// The handler picks the stream from data.specId; a different id in the state is a bug there.
function assertSameSpec(state: SpecFacts, specId: string): void {
  if (state.specId !== specId) throw new Error(`Command for spec ${specId} decided against the stream of ${state.specId}`);
}

function create(command: CreateSpec, state: SpecState): Decision<SpecEvent> {
  const { data, metadata } = command;
  const { actor } = metadata;
  if (actor.organisationKind !== 'national' || !hasAnyRole(actor, ['coordinator', 'admin'])) {
    return new DomainError('FORBIDDEN', 'Only an admin or coordinator of a national body may create a spec.');
  }
  if (data.ownerOrganisationId !== actor.organisationId) {
    return new DomainError('FORBIDDEN', `A spec is created for the actor's own organisation, ${actor.organisationId}.`, 'ownerOrganisationId');
  }
  if (state.status !== 'uncreated') return new DomainError('SPEC_ALREADY_EXISTS', `Spec ${state.specId} already exists.`, 'specId');
  if (!isSpecId(data.specId)) {
    return new DomainError('INVALID_SPEC_ID', `specId is a slug of 2-64 characters a-z, 0-9 and '-'; got ${JSON.stringify(data.specId)}.`, 'specId');
  }
  const title = cleanLabel(data.title, MAX_TITLE);
  if (title === null) return new DomainError('INVALID_TITLE', `title must not be blank and at most ${MAX_TITLE} characters.`, 'title');
  const domain = cleanLabel(data.domain, MAX_DOMAIN);
  if (domain === null) {
    return new DomainError('INVALID_DOMAIN', `domain (住民記録, 税務, 福祉, …) must not be blank and at most ${MAX_DOMAIN} characters.`, 'domain');
  }
  return [{ type: 'SpecCreated', data: { specId: data.specId, title, domain, ownerOrganisationId: data.ownerOrganisationId } }];
}

/** Validated requirements in input order, or the first problem, naming the requirement and its index. */
export function validateRequirements(input: readonly unknown[]): readonly Requirement[] | DomainError {
  if (!Array.isArray(input) || input.length === 0) {
    return new DomainError('NO_REQUIREMENTS', 'A version has at least one requirement.', 'requirements');
  }
  if (input.length > MAX_REQUIREMENTS) {
    return new DomainError('TOO_MANY_REQUIREMENTS', `A version has at most ${MAX_REQUIREMENTS} requirements; got ${input.length}.`, 'requirements');
  }
  const firstIndex = new Map<string, number>();
  const requirements: Requirement[] = [];
  for (const [i, item] of input.entries()) {
    const at = `requirements[${i}]`;
    if (item === null || typeof item !== 'object') return new DomainError('INVALID_REQUIREMENT', `${at} is not a requirement.`, at);
    const { requirementId, title, text, category } = item as Record<string, unknown>;
    if (!isRequirementId(requirementId)) {
      return new DomainError(
        'INVALID_REQUIREMENT_ID',
        `${at}: a requirement id is digits and dots (2.1.3), optionally after letters and a hyphen (R-2.1.3), at most 64 characters; got ${JSON.stringify(requirementId)}.`,
        `${at}.requirementId`,
      );
    }
    const first = firstIndex.get(requirementId);
    if (first !== undefined) {
      return new DomainError('DUPLICATE_REQUIREMENT_ID', `Requirement ${requirementId} (${at}) repeats requirements[${first}].`, `${at}.requirementId`);
    }
    firstIndex.set(requirementId, i);
    const name = `Requirement ${requirementId} (${at})`;
    const cleanTitle = cleanLabel(title, MAX_REQUIREMENT_TITLE);
    if (cleanTitle === null) {
      return new DomainError('INVALID_REQUIREMENT_TITLE', `${name}: title must not be blank and at most ${MAX_REQUIREMENT_TITLE} characters.`, `${at}.title`);
    }
    const cleanText = cleanProse(text, MAX_REQUIREMENT_TEXT);
    if (cleanText === null) {
      return new DomainError(
        'INVALID_REQUIREMENT_TEXT',
        `${name}: text must not be blank, at most ${MAX_REQUIREMENT_TEXT} characters, without control characters.`,
        `${at}.text`,
      );
    }
    if (!isRequirementCategory(category)) {
      return new DomainError(
        'INVALID_REQUIREMENT_CATEGORY',
        `${name}: category must be one of ${REQUIREMENT_CATEGORIES.join(', ')}; got ${JSON.stringify(category)}.`,
        `${at}.category`,
      );
    }
    requirements.push({ requirementId, title: cleanTitle, text: cleanText, category });
  }
  return requirements;
}

function validateIncorporated(data: PublishSpecVersion['data'], state: CreatedSpec | PublishedSpec): DomainError | null {
  const ids: readonly unknown[] = data.incorporatedProposalIds;
  if (!Array.isArray(ids)) return new DomainError('INVALID_PROPOSAL_ID', 'incorporatedProposalIds must be a list of proposal ids.', 'incorporatedProposalIds');
  const earlier = new Map<string, string>();
  if (state.status === 'published') {
    for (const { version, incorporatedProposalIds } of state.versions) for (const id of incorporatedProposalIds) earlier.set(id, version);
  }
  const seen = new Set<string>();
  for (const [i, id] of ids.entries()) {
    const at = `incorporatedProposalIds[${i}]`;
    if (!isEntityId(id)) return new DomainError('INVALID_PROPOSAL_ID', `${at} is not a proposal id: ${JSON.stringify(id)}.`, at);
    if (seen.has(id)) return new DomainError('DUPLICATE_PROPOSAL_ID', `Proposal ${id} is listed twice.`, at);
    seen.add(id);
    const incorporatedIn = earlier.get(id);
    if (incorporatedIn !== undefined) {
      return new DomainError('PROPOSAL_ALREADY_INCORPORATED', `Proposal ${id} was incorporated in version ${incorporatedIn} already.`, at);
    }
    const facts = Object.hasOwn(data.incorporatedProposals, id) ? data.incorporatedProposals[id] : undefined;
    if (facts === undefined) return new DomainError('PROPOSAL_NOT_FOUND', `Proposal ${id} does not exist.`, at);
    if (facts.specId !== state.specId)
      return new DomainError('PROPOSAL_OF_ANOTHER_SPEC', `Proposal ${id} is against spec ${facts.specId}, not ${state.specId}.`, at);
    if (!facts.accepted) return new DomainError('PROPOSAL_NOT_ACCEPTED', `Proposal ${id} is not accepted; only accepted proposals are incorporated.`, at);
  }
  return null;
}

function publish(command: PublishSpecVersion, state: SpecState): Decision<SpecEvent> {
  const { data, metadata } = command;
  if (state.status === 'uncreated') return new DomainError('SPEC_NOT_FOUND', `Spec ${data.specId} does not exist.`, 'specId');
  assertSameSpec(state, data.specId);
  if (!isCoordinatorOf(metadata.actor, state.ownerOrganisationId)) {
    return new DomainError('FORBIDDEN', `Only a coordinator or admin of ${state.ownerOrganisationId}, the spec's owner, may publish a version.`);
  }
  if (!isVersion(data.version)) {
    return new DomainError(
      'INVALID_VERSION',
      `version is digits and dots such as 4.0, at most ${MAX_VERSION_LENGTH} characters; got ${JSON.stringify(data.version)}.`,
      'version',
    );
  }
  if (state.status === 'published') {
    const same = state.versions.find((v) => compareVersions(v.version, data.version) === 0);
    if (same) return new DomainError('VERSION_ALREADY_PUBLISHED', `Version ${same.version} of ${state.specId} is published already.`, 'version');
    const latest = state.versions[state.versions.length - 1];
    if (compareVersions(data.version, latest.version) < 0) {
      return new DomainError('VERSION_NOT_INCREASING', `A new version must be greater than the latest, ${latest.version}; got ${data.version}.`, 'version');
    }
  }
  const requirements = validateRequirements(data.requirements);
  if (requirements instanceof DomainError) return requirements;
  const invalidIncorporated = validateIncorporated(data, state);
  if (invalidIncorporated) return invalidIncorporated;
  return [
    {
      type: 'SpecVersionPublished',
      data: { specId: state.specId, version: data.version, requirements, incorporatedProposalIds: [...data.incorporatedProposalIds] },
    },
  ];
}

function created(state: SpecState, event: SpecEvent): CreatedSpec | PublishedSpec {
  if (state.status === 'uncreated') throw new Error(`${event.type} in a stream without SpecCreated`);
  return state;
}

export function evolve(state: SpecState, event: SpecEvent): SpecState {
  switch (event.type) {
    case 'SpecCreated': {
      if (state.status !== 'uncreated') throw new Error(`SpecCreated twice in ${state.specId}`);
      const { specId, title, domain, ownerOrganisationId } = event.data;
      return { status: 'created', specId, title, domain, ownerOrganisationId };
    }
    case 'SpecVersionPublished': {
      const { specId, title, domain, ownerOrganisationId, ...rest } = created(state, event);
      const { version, requirements, incorporatedProposalIds } = event.data;
      const earlier = rest.status === 'published' ? rest.versions : [];
      return { status: 'published', specId, title, domain, ownerOrganisationId, versions: [...earlier, { version, requirements, incorporatedProposalIds }] };
    }
    default:
      return assertNever(event);
  }
}

export function decide(command: SpecCommand, state: SpecState): Decision<SpecEvent> {
  switch (command.type) {
    case 'CreateSpec':
      return create(command, state);
    case 'PublishSpecVersion':
      return publish(command, state);
    default:
      return assertNever(command);
  }
}

export const initialState = (): SpecState => ({ status: 'uncreated' });

export const specDecider: Decider<SpecState, SpecCommand, SpecEvent> = {
  category: SPEC_CATEGORY,
  decide,
  evolve,
  initialState,
};

// Read helpers for the API and the handlers of other contexts (exact version strings: `4` is not `4.0`).

export const versionOf = (state: SpecState, version: string): PublishedSpecVersion | null =>
  state.status === 'published' ? (state.versions.find((v) => v.version === version) ?? null) : null;

export const requirementsOf = (state: SpecState, version: string): readonly Requirement[] | null => versionOf(state, version)?.requirements ?? null;

export const requirementOf = (state: SpecState, version: string, requirementId: string): Requirement | null =>
  requirementsOf(state, version)?.find((r) => r.requirementId === requirementId) ?? null;

export const latestVersionOf = (state: SpecState): PublishedSpecVersion | null =>
  state.status === 'published' ? state.versions[state.versions.length - 1] : null;

/** Published version strings, ascending. */
export const versionsOf = (state: SpecState): readonly string[] => (state.status === 'published' ? state.versions.map((v) => v.version) : []);

/** The owner organisation: the lookup `specOwnerOrganisationId` that proposal and comment commands need. */
export const specOwnerOf = (state: SpecState): string | null => (state.status === 'uncreated' ? null : state.ownerOrganisationId);
