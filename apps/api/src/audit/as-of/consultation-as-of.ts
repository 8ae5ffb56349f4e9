/**
 * A consultation "as of" a moment: its stream's events up to then, folded with the consultation
 * decider's own `evolve`, shown as the same ConsultationView the `consultation` query returns.
 * The view carries the folded stances, non-respondents and drafts (`asOf`), so that the nested
 * fields show them as they stood, under the same rules as now: a round whose results were hidden
 * and that was still open at that moment shows no tally, and only the caller's own stances.
 * Pure: the caller reads the stream and the prefectures of the electorate.
 */
import { consultationDecider, type ConsultationState } from '@kyogi/domain/consultations/consultations.decider';
import type { ConsultationEvent } from '@kyogi/domain/consultations/consultations.events';
import type { Stance, ThresholdBasis } from '@kyogi/domain/consultations/tally';
import type { Weighting } from '@kyogi/domain/consultations/consultations.events';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import { stanceToGraphql, type ConsultationView } from '../../consultations/consultation.view';
import type { NonRespondentView, OfficialStanceView } from '../../consultations/get-consultation/get-consultation.query';
import { eventsUpTo } from './events-up-to';

export interface StanceDraftAsOf {
  readonly draftId: string;
  readonly organisationId: string;
  readonly castByOrganisationId: string;
  readonly mandateId: string | null;
  readonly stance: Uppercase<Stance>;
  readonly reason: string | null;
  readonly draftedByPersonId: string;
  readonly draftedAt: Date;
  readonly approved: boolean;
}

export interface ConsultationAsOf {
  readonly at: Date;
  /** Every official stance at `at`, by prefecture then electorate order (the field resolver filters them as it does now). */
  readonly stances: readonly OfficialStanceView[];
  /** Organisations of the electorate without an official stance at `at`, in the same order. */
  readonly nonRespondents: readonly NonRespondentView[];
  /** Every draft made by `at`, newest first. */
  readonly drafts: readonly StanceDraftAsOf[];
}

export type ConsultationAsOfView = ConsultationView & { readonly asOf: ConsultationAsOf };

/** The as-of part of a consultation read `asOf` a moment; undefined for one read now. */
export const consultationAsOfOf = (view: ConsultationView): ConsultationAsOf | undefined => (view as Partial<ConsultationAsOfView>).asOf;

/**
 * The consultation as it stood at `at`, or null when it had not been opened yet.
 * `prefectureOf` gives an electorate organisation's prefecture code (null for national bodies).
 */
export function consultationAsOf(
  events: readonly RecordedEvent[],
  at: Date,
  prefectureOf: (organisationId: string) => string | null,
): ConsultationAsOfView | null {
  const upTo = eventsUpTo(events, at);
  if (upTo.length === 0) return null;
  let state: ConsultationState = consultationDecider.initialState();
  const castAt = new Map<string, Date>();
  const draftedAt = new Map<string, Date>();
  for (const recorded of upTo) {
    const event = { type: recorded.type, data: recorded.data } as unknown as ConsultationEvent;
    state = consultationDecider.evolve(state, event);
    const when = new Date(recorded.metadata.occurredAt);
    if (event.type === 'StanceCast') castAt.set(event.data.organisationId, when);
    if (event.type === 'StanceDrafted') draftedAt.set(event.data.draftId, when);
  }
  if (state.status === 'unopened') return null;
  const last = upTo[upTo.length - 1];
  const closed = state.status === 'closed' ? state.closed : null;
  const resultsVisible = closed !== null || !state.resultsHidden;

  // As read_models.consultation_electorate orders them: prefecture code (nulls last), then electorate order.
  const ordered = state.electorate
    .map((member, ordinal) => ({ ...member, ordinal, prefectureCode: prefectureOf(member.organisationId) }))
    .sort((a, b) =>
      a.prefectureCode === b.prefectureCode
        ? a.ordinal - b.ordinal
        : a.prefectureCode === null
          ? 1
          : b.prefectureCode === null
            ? -1
            : a.prefectureCode < b.prefectureCode
              ? -1
              : 1,
    );
  const stances: OfficialStanceView[] = [];
  const nonRespondents: NonRespondentView[] = [];
  for (const member of ordered) {
    const official = state.official.get(member.organisationId);
    if (!official) {
      nonRespondents.push({ organisationId: member.organisationId, prefectureCode: member.prefectureCode, weight: member.weight });
      continue;
    }
    stances.push({
      organisationId: member.organisationId,
      prefectureCode: member.prefectureCode,
      weight: member.weight,
      stance: stanceToGraphql(official.stance),
      reason: official.reason,
      draftId: official.draftId,
      castByOrganisationId: official.castByOrganisationId,
      mandateId: official.mandateId,
      castAt: castAt.get(member.organisationId) ?? new Date(last.metadata.occurredAt),
    });
  }
  const drafts: StanceDraftAsOf[] = [...state.drafts.values()]
    .map((d) => ({
      draftId: d.draftId,
      organisationId: d.organisationId,
      castByOrganisationId: d.castByOrganisationId,
      mandateId: d.mandateId,
      stance: stanceToGraphql(d.stance),
      reason: d.reason,
      draftedByPersonId: d.draftedByPersonId,
      draftedAt: draftedAt.get(d.draftId)!,
      approved: d.approved,
    }))
    .sort((a, b) => b.draftedAt.getTime() - a.draftedAt.getTime() || (a.draftId < b.draftId ? -1 : a.draftId > b.draftId ? 1 : 0));

  return {
    id: state.consultationId,
    proposalId: state.proposalId,
    specId: state.specId,
    openedByPersonId: state.openedByPersonId,
    openedByOrganisationId: state.openedByOrganisationId,
    openedAt: new Date(state.openedAt),
    rules: {
      weighting: state.weighting.toUpperCase() as Uppercase<Weighting>,
      quorumPercent: state.quorumPercent,
      thresholdPercent: state.thresholdPercent,
      thresholdBasis: state.thresholdBasis.toUpperCase() as Uppercase<ThresholdBasis>,
      blockVetoes: state.blockVetoes,
    },
    closesAt: new Date(state.closesAt),
    resultsHidden: state.resultsHidden,
    ladderId: state.ladderId,
    ladderStage: state.stage,
    status: closed ? 'CLOSED' : 'OPEN',
    electorateCount: state.electorate.length,
    tally: !resultsVisible ? null : closed ? closed.tally : state.running,
    outcome: closed ? closed.outcome : null,
    closedAt: closed ? new Date(closed.closedAt) : null,
    early: closed ? closed.early : null,
    closeReason: closed ? closed.reason : null,
    streamVersion: Number(last.revision),
    position: formatPosition(last.position),
    resultsVisible,
    asOf: { at, stances, nonRespondents, drafts },
  };
}

/** `stances` of a consultation read as of a moment, under the rule of now: while hidden and open, only those of (or cast by) `onlyOf`. */
export function stancesAsOf(view: ConsultationView, onlyOf: string | null): OfficialStanceView[] | undefined {
  const asOf = consultationAsOfOf(view);
  return asOf?.stances.filter((s) => onlyOf === null || s.organisationId === onlyOf || s.castByOrganisationId === onlyOf);
}

export function nonRespondentsAsOf(view: ConsultationView, prefectureCode: string | null): NonRespondentView[] | undefined {
  return consultationAsOfOf(view)?.nonRespondents.filter((r) => prefectureCode === null || r.prefectureCode === prefectureCode);
}

/** The drafts one organisation had made by then, newest first. */
export function draftsAsOf(view: ConsultationView, castByOrganisationId: string): StanceDraftAsOf[] | undefined {
  return consultationAsOfOf(view)?.drafts.filter((d) => d.castByOrganisationId === castByOrganisationId);
}
