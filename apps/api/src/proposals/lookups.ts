import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DomainError, type Actor } from '@kyogi/domain/shared/decider';
import { everSubmitted, proposalDecider, proposalVisibleTo, type ProposalStatus } from '@kyogi/domain/proposals/proposals.decider';
import type { ProposalBase } from '@kyogi/domain/proposals/proposals.commands';
import type { ProposalChange, ProposalEvent } from '@kyogi/domain/proposals/proposals.events';
import { proposalStreamName } from '@kyogi/domain/proposals/proposals.events';
import { ladderStreamName } from '@kyogi/domain/ladders/ladders.events';
import type { EventStore } from '@kyogi/event-store/port';
import { EVENT_STORE, READ_DB } from '../platform/tokens';
import { graphqlError, type RequestContext } from '../graphql/request-context';

/** What the proposal and comment mutations need to know about a proposal before deciding. */
export interface ProposalFacts {
  readonly proposalId: string;
  readonly specId: string;
  readonly version: string;
  readonly status: ProposalStatus;
  readonly authorOrganisationId: string;
  readonly everSubmitted: boolean;
  readonly currentRevision: number;
  /** The current revision's changes. */
  readonly changes: readonly ProposalChange[];
}

/** Another organisation's draft does not exist for the actor: the same answer as a missing proposal (the decider's wording). */
export const proposalNotFound = (proposalId: string) => new DomainError('PROPOSAL_NOT_FOUND', `Proposal ${proposalId} does not exist.`, 'proposalId');

/** For mutations that must look something up before they know the target organisation: the actor, or UNAUTHENTICATED. */
export function signedIn(context: RequestContext): Actor {
  if (!context.identity) throw graphqlError('UNAUTHENTICATED', context.authError?.message ?? 'No bearer token was given');
  return context.identity.actor;
}

/**
 * The lookups of the proposal and comment commands, read from the read models: the spec
 * version a proposal changes (the specs context's tables), the spec's owner, and the proposal
 * itself. A proposal the read model does not have yet (drafted a moment ago, the projection
 * still behind) is read from its own stream instead, so that "draft, then submit at once" works.
 */
@Injectable()
export class ProposalLookups {
  constructor(
    @Inject(READ_DB) private readonly db: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The `base` lookup: whether the spec exists and the version is published, and the requirements the changes name. */
  async base(specId: string, version: string, requirementIds: readonly string[]): Promise<ProposalBase> {
    const { rows } = await this.db.query<{ published: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM read_models.spec_versions v WHERE v.spec_id = s.spec_id AND v.version = $2) AS published
         FROM read_models.specs s WHERE s.spec_id = $1`,
      [specId, version],
    );
    if (!rows[0]) return { exists: false, versionPublished: false, requirements: {} };
    if (!rows[0].published) return { exists: true, versionPublished: false, requirements: {} };
    const found = await this.db.query<{ requirement_id: string; title: string; text: string }>(
      'SELECT requirement_id, title, text FROM read_models.requirements WHERE spec_id = $1 AND version = $2 AND requirement_id = ANY($3::text[])',
      [specId, version, [...new Set(requirementIds)]],
    );
    const requirements: Record<string, { title: string; text: string }> = {};
    for (const r of found.rows) requirements[r.requirement_id] = { title: r.title, text: r.text };
    return { exists: true, versionPublished: true, requirements };
  }

  /** The text of one requirement of a published version; null when there is none. */
  async requirementText(specId: string, version: string, requirementId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ text: string }>(
      'SELECT text FROM read_models.requirements WHERE spec_id = $1 AND version = $2 AND requirement_id = $3',
      [specId, version, requirementId],
    );
    return rows[0]?.text ?? null;
  }

  /** The spec's owner organisation (the `specOwnerOrganisationId` lookup); null when the spec does not exist. */
  async specOwner(specId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ owner_organisation_id: string }>('SELECT owner_organisation_id FROM read_models.specs WHERE spec_id = $1', [specId]);
    return rows[0]?.owner_organisation_id ?? null;
  }

  /** The proposal as it stands, or null when it does not exist. */
  async proposal(proposalId: string): Promise<ProposalFacts | null> {
    const { rows } = await this.db.query<{
      spec_id: string;
      version: string;
      status: ProposalStatus;
      author_organisation_id: string;
      ever_submitted: boolean;
      current_revision: number;
      changes: ProposalChange[];
    }>(
      `SELECT p.spec_id, p.version, p.status, p.author_organisation_id, p.ever_submitted, p.current_revision, r.changes
         FROM read_models.proposals p JOIN read_models.proposal_revisions r ON r.proposal_id = p.proposal_id AND r.revision = p.current_revision
        WHERE p.proposal_id = $1`,
      [proposalId],
    );
    const row = rows[0];
    if (row) {
      return {
        proposalId,
        specId: row.spec_id,
        version: row.version,
        status: row.status,
        authorOrganisationId: row.author_organisation_id,
        everSubmitted: row.ever_submitted,
        currentRevision: row.current_revision,
        changes: row.changes,
      };
    }
    return this.proposalFromStream(proposalId);
  }

  /**
   * The ratification ladder chosen for the proposal, if any: a ladder's id is its proposal's id,
   * so its stream says at once (no read-model lag) whether one exists.
   */
  async ladderOf(proposalId: string): Promise<{ ladderId: string } | null> {
    const recorded = await this.store.readStream(ladderStreamName(proposalId)).catch(() => []);
    return recorded.length ? { ladderId: proposalId } : null;
  }

  /** The proposal if it exists and the actor may see it; PROPOSAL_NOT_FOUND otherwise. */
  async visibleProposal(proposalId: string, actor: Actor): Promise<ProposalFacts | DomainError> {
    const facts = await this.proposal(proposalId);
    if (facts && proposalVisibleTo(facts, actor)) return facts;
    // The read model may not show yet a submission made a moment ago: the stream decides before NOT_FOUND.
    const recorded = facts ? await this.proposalFromStream(proposalId) : null;
    return recorded && proposalVisibleTo(recorded, actor) ? recorded : proposalNotFound(proposalId);
  }

  private async proposalFromStream(proposalId: string): Promise<ProposalFacts | null> {
    let recorded;
    try {
      recorded = await this.store.readStream(proposalStreamName(proposalId));
    } catch {
      return null; // e.g. an id that cannot name a stream
    }
    if (!recorded.length) return null;
    const state = recorded.reduce(
      (s, e) => proposalDecider.evolve(s, { type: e.type, data: e.data } as unknown as ProposalEvent),
      proposalDecider.initialState(),
    );
    if (state.status === 'undrafted') return null;
    return {
      proposalId,
      specId: state.specId,
      version: state.version,
      status: state.status,
      authorOrganisationId: state.authorOrganisationId,
      everSubmitted: everSubmitted(state),
      currentRevision: state.revision,
      changes: state.changes,
    };
  }
}
