/**
 * Importing a spec version: the one use case behind the `importSpecVersion` mutation, the
 * `specs:import` CLI and the demo seed. Free of Nest (see docs/adr/0001), so the CLI runs it on a
 * bare Platform.
 *
 *   1. the spec, from its stream (not the read model, which may lag a createSpec just made):
 *      SPEC_NOT_FOUND when it does not exist;
 *   2. the permission table: spec.publishVersion on the spec's owner organisation (FORBIDDEN);
 *   3. the file, parsed by specs-import: when malformed, every problem comes back (field
 *      `content`, message `line N: …`) and nothing is stored;
 *   4. PublishSpecVersion through decideAndAppend, with the lookup of the incorporated proposals
 *      read from read_models.proposals (the decider checks the version order, the requirements and
 *      that each proposal is an accepted one of this spec);
 *   5. a process step: each incorporated proposal is marked incorporated (MarkProposalIncorporated
 *      on its own stream, command id `<commandId>:incorporate:<proposalId>`). These are separate
 *      streams, so they cannot be in the publication's append; a failure here is reported and does
 *      not undo the published version (a published version never changes). Running the same
 *      import again (same commandId) answers the publication as the first time and retries only
 *      the marks that are missing: every step is idempotent by its command id.
 */
import type { Pool } from 'pg';
import { DomainError, type Actor } from '@kyogi/domain/shared/decider';
import { authorise } from '@kyogi/auth/permissions';
import { isSpecId } from '@kyogi/domain/specs/input-rules';
import { specDecider, specOwnerOf } from '@kyogi/domain/specs/specs.decider';
import { specStreamName, type SpecVersionPublishedData } from '@kyogi/domain/specs/specs.events';
import type { IncorporatedProposalFacts, PublishSpecVersion } from '@kyogi/domain/specs/specs.commands';
import { proposalDecider } from '@kyogi/domain/proposals/proposals.decider';
import type { MarkProposalIncorporated } from '@kyogi/domain/proposals/proposals.commands';
import { parseRequirementsCsv } from '@kyogi/domain/specs-import/csv';
import { parseRequirementsMarkdown } from '@kyogi/domain/specs-import/markdown';
import type { ImportError } from '@kyogi/domain/specs-import/requirements';
import { comparePositions, type EventStore, type Position } from '@kyogi/event-store/port';
import { decideAndAppend } from '../../command-handling/decide-and-append';
import type { Clock } from '../../platform/tokens';

export type SpecImportFormat = 'csv' | 'markdown';

export interface ImportSpecVersionRequest {
  /** Makes the whole import idempotent; the marks derive their command ids from it. */
  readonly commandId: string;
  readonly specId: string;
  readonly version: string;
  readonly format: SpecImportFormat;
  /** The file's text, decoded from UTF-8 (a U+FFFD left by a wrong encoding is reported as NOT_UTF8). */
  readonly content: string;
  readonly incorporatedProposalIds: readonly string[];
}

/** proposalId → what the Spec decider needs to know, for the ids that exist. */
export type ProposalLookup = (proposalIds: readonly string[]) => Promise<Record<string, IncorporatedProposalFacts>>;

export interface ImportDependencies {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly proposals: ProposalLookup;
}

export interface ImportSpecVersionResult {
  /** The published version: now, or by an earlier run of the same commandId. Null when nothing was published. */
  readonly published: {
    readonly specId: string;
    readonly version: string;
    readonly requirementCount: number;
    readonly incorporatedProposalIds: readonly string[];
  } | null;
  /** The last position this import wrote or found written: pass it as `waitFor` to read it. */
  readonly position: Position | null;
  /** Every problem: the file's (field `content`), the command's, or a mark that failed after publishing. */
  readonly errors: readonly DomainError[];
  /** The file's problems as the parser reported them (for the CLI's `file:line:` output). */
  readonly contentErrors: readonly ImportError[];
  /** Proposals marked incorporated by this import (also those marked by an earlier run of it). */
  readonly incorporated: readonly string[];
}

const failed = (errors: DomainError[], contentErrors: ImportError[] = []): ImportSpecVersionResult => ({
  published: null,
  position: null,
  errors,
  contentErrors,
  incorporated: [],
});

/** The spec's owner organisation from its stream, or null when the spec does not exist. */
export async function loadSpecOwner(store: EventStore, specId: string): Promise<string | null> {
  if (!isSpecId(specId)) return null; // no stream can have such a name
  const recorded = await store.readStream(specStreamName(specId));
  const state = recorded.reduce((s, e) => specDecider.evolve(s, { type: e.type, data: e.data } as never), specDecider.initialState());
  return specOwnerOf(state);
}

const PARSERS = { csv: parseRequirementsCsv, markdown: parseRequirementsMarkdown } as const;

/** `line 3 (category): Unknown category …` */
export const describeImportError = (e: ImportError): string => `line ${e.line}${e.field ? ` (${e.field})` : ''}: ${e.message}`;

export async function importSpecVersion(deps: ImportDependencies, actor: Actor, request: ImportSpecVersionRequest): Promise<ImportSpecVersionResult> {
  const { specId, commandId } = request;
  const owner = await loadSpecOwner(deps.store, specId);
  if (owner === null) return failed([new DomainError('SPEC_NOT_FOUND', `Spec ${JSON.stringify(specId)} does not exist.`, 'specId')]);
  const verdict = authorise('spec.publishVersion', actor, owner);
  if (!verdict.allowed) return failed([new DomainError('FORBIDDEN', verdict.reason)]);

  const parsed = Object.hasOwn(PARSERS, request.format) ? PARSERS[request.format](request.content) : null;
  if (parsed === null) return failed([new DomainError('INVALID_FORMAT', `format must be csv or markdown; got ${JSON.stringify(request.format)}.`, 'format')]);
  if (!parsed.ok)
    return failed(
      parsed.errors.map((e) => new DomainError(e.code, describeImportError(e), 'content')),
      parsed.errors,
    );

  const ids = [...request.incorporatedProposalIds];
  const now = deps.clock();
  const command: PublishSpecVersion = {
    type: 'PublishSpecVersion',
    data: {
      specId,
      version: request.version,
      requirements: parsed.requirements,
      incorporatedProposalIds: ids,
      incorporatedProposals: ids.length ? await deps.proposals(ids) : {},
    },
    metadata: { commandId, now, actor },
  };
  const outcome = await decideAndAppend(deps.store, specDecider, specId, command);
  if (!outcome.ok) return failed([outcome.error]);
  const event = outcome.events.find((e) => e.type === 'SpecVersionPublished');
  if (!event) {
    // The commandId was used for another command of this spec (e.g. a createSpec): its events came back.
    return failed([new DomainError('COMMAND_ID_REUSED', `commandId ${commandId} was already used for a different command`, 'commandId')]);
  }
  const published = event.data as unknown as SpecVersionPublishedData;

  // The process step: mark each incorporated proposal (see above).
  let position = outcome.position;
  const errors: DomainError[] = [];
  const incorporated: string[] = [];
  for (const [index, proposalId] of published.incorporatedProposalIds.entries()) {
    const mark: MarkProposalIncorporated = {
      type: 'MarkProposalIncorporated',
      data: { proposalId, specId, version: published.version, specOwnerOrganisationId: owner },
      metadata: { commandId: `${commandId}:incorporate:${proposalId}`, now, actor },
    };
    const marked = await decideAndAppend(deps.store, proposalDecider, proposalId, mark).catch(
      (error: unknown) => ({ ok: false, error: new DomainError('INTERNAL', error instanceof Error ? error.message : String(error)) }) as const,
    );
    if (marked.ok) {
      incorporated.push(proposalId);
      if (marked.position && (!position || comparePositions(marked.position, position) > 0)) position = marked.position;
    } else {
      errors.push(
        new DomainError(
          marked.error.code,
          `Version ${published.version} is published, but proposal ${proposalId} could not be marked incorporated: ${marked.error.message} Repeat the import with the same commandId to retry.`,
          `incorporatedProposalIds[${index}]`,
        ),
      );
    }
  }
  return {
    published: {
      specId,
      version: published.version,
      requirementCount: published.requirements.length,
      incorporatedProposalIds: published.incorporatedProposalIds,
    },
    position,
    errors,
    contentErrors: [],
    incorporated,
  };
}

/**
 * The lookup of incorporated proposals, from the proposals read model (`read_models.proposals`:
 * proposal_id, spec_id, status). Before that read model exists, every proposal is unknown.
 */
export function proposalsFromReadModel(db: Pool): ProposalLookup {
  return async (proposalIds) => {
    const exists = await db.query<{ table: string | null }>(`SELECT to_regclass('read_models.proposals')::text AS table`);
    if (!exists.rows[0]?.table) return {};
    const { rows } = await db.query<{ proposal_id: string; spec_id: string; status: string }>(
      'SELECT proposal_id, spec_id, status FROM read_models.proposals WHERE proposal_id = ANY($1::text[])',
      [[...proposalIds]],
    );
    return Object.fromEntries(rows.map((r) => [r.proposal_id, { specId: r.spec_id, accepted: r.status === 'accepted' }]));
  };
}

/** For the seed, which runs before any proposal can exist. */
export const noProposals: ProposalLookup = async () => ({});
