/**
 * A proposal "as of" a moment: its stream's events up to then, folded with the proposal decider's
 * own `evolve`, shown as the same ProposalView the `proposal` query returns (times and people from
 * the events' metadata, as the proposals projection takes them). The view carries the revisions
 * made by then (`asOf`), so that `changes`, `revisions`, `revision(n)` and `diff` show the text as
 * it stood. Pure: the caller reads the stream.
 */
import { everSubmitted, proposalDecider, type ProposalState } from '@kyogi/domain/proposals/proposals.decider';
import type { ProposalEvent } from '@kyogi/domain/proposals/proposals.events';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import { toChangeView, type ProposalRevisionView, type ProposalView } from '../../proposals/proposal.view';
import { eventsUpTo } from './events-up-to';

export interface ProposalAsOf {
  readonly at: Date;
  /** The revisions made by `at`, oldest first. */
  readonly revisions: readonly ProposalRevisionView[];
}

export type ProposalAsOfView = ProposalView & { readonly asOf: ProposalAsOf };

/** The as-of part of a proposal read `asOf` a moment; undefined for one read now. */
export const proposalAsOfOf = (view: ProposalView): ProposalAsOf | undefined => (view as Partial<ProposalAsOfView>).asOf;

/** The proposal as it stood at `at`, or null when it had not been drafted yet. */
export function proposalAsOf(events: readonly RecordedEvent[], at: Date): ProposalAsOfView | null {
  const upTo = eventsUpTo(events, at);
  if (upTo.length === 0) return null;
  let state: ProposalState = proposalDecider.initialState();
  const revisions: ProposalRevisionView[] = [];
  let submitted: { revision: number; at: Date } | null = null;
  let withdrawal: ProposalView['withdrawal'] = null;
  let decision: ProposalView['decision'] = null;
  let incorporated: { version: string; at: Date } | null = null;
  for (const recorded of upTo) {
    const event = { type: recorded.type, data: recorded.data } as unknown as ProposalEvent;
    state = proposalDecider.evolve(state, event);
    const when = new Date(recorded.metadata.occurredAt);
    const by = recorded.metadata.actor.personId;
    switch (event.type) {
      case 'ProposalDrafted':
      case 'ProposalRevised': {
        const revision = event.type === 'ProposalDrafted' ? 1 : event.data.revision;
        revisions.push({
          proposalId: event.data.proposalId,
          revision,
          title: event.data.title,
          changes: event.data.changes.map(toChangeView),
          recorded: event.data.changes,
          revisedByPersonId: by,
          revisedAt: when,
        });
        break;
      }
      case 'ProposalSubmitted':
        submitted = { revision: event.data.revision, at: when };
        break;
      case 'ProposalWithdrawn':
        withdrawal = { reason: event.data.reason, withdrawnByPersonId: by, withdrawnAt: when };
        break;
      case 'ProposalAccepted':
      case 'ProposalRejected':
        decision = {
          outcome: event.type === 'ProposalAccepted' ? 'ACCEPTED' : 'REJECTED',
          rationale: event.data.rationale,
          revision: event.data.revision,
          decidedByPersonId: by,
          decidedAt: when,
        };
        break;
      case 'ProposalIncorporated':
        incorporated = { version: event.data.version, at: when };
        break;
    }
  }
  if (state.status === 'undrafted') return null;
  const first = upTo[0];
  const last = upTo[upTo.length - 1];
  return {
    id: state.proposalId,
    specId: state.specId,
    specVersion: state.version,
    title: state.title,
    status: state.status.toUpperCase() as ProposalView['status'],
    authorPersonId: state.authorPersonId,
    authorOrganisationId: state.authorOrganisationId,
    currentRevision: state.revision,
    everSubmitted: everSubmitted(state),
    submittedRevision: submitted?.revision ?? null,
    submittedAt: submitted?.at ?? null,
    withdrawal,
    decision,
    incorporatedInVersion: incorporated?.version ?? null,
    incorporatedAt: incorporated?.at ?? null,
    draftedAt: new Date(first.metadata.occurredAt),
    updatedAt: new Date(last.metadata.occurredAt),
    streamVersion: Number(last.revision),
    position: formatPosition(last.position),
    asOf: { at, revisions },
  };
}

/** The revisions of a proposal read as of a moment (all, or number `n`); undefined for one read now. */
export function revisionsAsOf(view: ProposalView, n?: number | null): ProposalRevisionView[] | undefined {
  const asOf = proposalAsOfOf(view);
  if (!asOf) return undefined;
  return n === undefined || n === null ? [...asOf.revisions] : asOf.revisions.filter((r) => r.revision === n);
}
