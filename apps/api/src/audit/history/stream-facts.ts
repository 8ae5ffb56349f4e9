import { assertStreamName, InvalidStreamNameError, type EventStore, type RecordedEvent } from '@kyogi/event-store/port';
import { everSubmitted, proposalDecider, type ProposalState } from '@kyogi/domain/proposals/proposals.decider';
import type { ProposalEvent } from '@kyogi/domain/proposals/proposals.events';
import { talentArrangementDecider, type TalentArrangementState } from '@kyogi/domain/talent/arrangements.decider';
import type { TalentArrangementEvent } from '@kyogi/domain/talent/arrangements.events';
import { isHistoryCategory, type StreamFacts } from './access';

/** `Category-id` → its category (the part before the first '-'). */
export const categoryOf = (streamName: string): string => streamName.slice(0, Math.max(0, streamName.indexOf('-')));
export const idOf = (streamName: string): string => streamName.slice(streamName.indexOf('-') + 1);

/** A stream name for a category and id, or null when the id cannot be part of one (then nothing exists under it). */
export function streamNameOf(category: string, id: string): string | null {
  const name = `${category}-${id}`;
  try {
    assertStreamName(name);
    return name;
  } catch (error) {
    if (error instanceof InvalidStreamNameError) return null;
    throw error;
  }
}

const asEvent = <E>(recorded: RecordedEvent): E => ({ type: recorded.type, data: recorded.data }) as unknown as E;

/**
 * What the access rules need to know about streams, read from the streams themselves (the source
 * of truth of the history, not the read models). One instance per request: each stream is read
 * once however many entries of a page belong to it.
 */
export class StreamFactsReader {
  private readonly cache = new Map<string, Promise<StreamFacts | null>>();

  constructor(private readonly store: EventStore) {}

  /** The facts of a stream; null when it does not exist (no event). */
  factsOf(streamName: string): Promise<StreamFacts | null> {
    let facts = this.cache.get(streamName);
    if (!facts) {
      facts = this.read(streamName);
      this.cache.set(streamName, facts);
    }
    return facts;
  }

  private async first(streamName: string): Promise<RecordedEvent | undefined> {
    return (await this.store.readStream(streamName, { maxCount: 1 }))[0];
  }

  private async read(streamName: string): Promise<StreamFacts | null> {
    const category = categoryOf(streamName);
    if (!isHistoryCategory(category)) return (await this.first(streamName)) ? { category: 'Other' } : null;
    switch (category) {
      case 'Proposal': {
        const events = await this.store.readStream(streamName);
        if (events.length === 0) return null;
        const state = events.reduce((s: ProposalState, e) => proposalDecider.evolve(s, asEvent<ProposalEvent>(e)), proposalDecider.initialState());
        if (state.status === 'undrafted') return null;
        return { category, authorOrganisationId: state.authorOrganisationId, everSubmitted: everSubmitted(state) };
      }
      case 'Comment': {
        const first = await this.first(streamName);
        if (!first) return null;
        const proposalId = first.data.proposalId;
        if (typeof proposalId !== 'string') return { category, proposal: null };
        const proposalStream = streamNameOf('Proposal', proposalId);
        const proposal = proposalStream ? await this.factsOf(proposalStream) : null;
        // A comment on a proposal that cannot be found is seen by no one.
        return { category, proposal: proposal?.category === 'Proposal' ? proposal : { authorOrganisationId: '', everSubmitted: false } };
      }
      case 'Consultation': {
        const first = await this.first(streamName);
        if (!first) return null;
        const [last] = await this.store.readStream(streamName, { direction: 'backwards', maxCount: 1 });
        return { category, resultsHidden: first.data.resultsHidden !== false, closed: last?.type === 'ConsultationClosed' };
      }
      case 'Mandate': {
        const first = await this.first(streamName);
        if (!first) return null;
        return {
          category,
          grantorOrganisationId: String(first.data.grantorOrganisationId ?? ''),
          granteeOrganisationId: String(first.data.granteeOrganisationId ?? ''),
        };
      }
      case 'Organisation':
        return (await this.first(streamName)) ? { category, organisationId: idOf(streamName) } : null;
      case 'TalentArrangement': {
        const events = await this.store.readStream(streamName);
        if (events.length === 0) return null;
        const state = events.reduce(
          (s: TalentArrangementState, e) => talentArrangementDecider.evolve(s, asEvent<TalentArrangementEvent>(e)),
          talentArrangementDecider.initialState(),
        );
        if (state.phase === 'unproposed') return null;
        return { category, organiserIds: [...new Set([state.proposer.organisationId, state.terms.hostOrganisationId])] };
      }
      case 'TalentPool': {
        const first = await this.first(streamName);
        return first ? { category, prefectureOrganisationId: String(first.data.prefectureOrganisationId ?? '') } : null;
      }
      case 'Spec':
      case 'Ladder':
        return (await this.first(streamName)) ? { category } : null;
    }
  }
}
