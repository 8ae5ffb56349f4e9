/**
 * A talent arrangement "as of" a moment: its stream's events up to then, folded with the
 * arrangement decider's own `evolve`, shown as the same TalentArrangementView the
 * `talentArrangement` query returns — e.g. the terms (and cost table) each town had consented to
 * on a given day. The view carries what its nested fields show (`asOf`): participants with their
 * shares and answers, every terms version made by then with its answers, problems, candidates
 * (still for the organisers only) and the checklist. Pure: the caller reads the stream.
 */
import { isAgreed, pendingConsents, talentArrangementDecider, type TalentArrangementState } from '@kyogi/domain/talent/arrangements.decider';
import type { TalentArrangementEvent, TermsChange } from '@kyogi/domain/talent/arrangements.events';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { TalentCandidateView, TalentChecklistItemView, TalentProblemView } from '../../talent/get-arrangement/get-arrangement.query';
import {
  phaseToGraphql,
  toCostTableView,
  toTermsView,
  type TalentArrangementView,
  type TalentConsentView,
  type TalentParticipantView,
  type TalentTermsVersionView,
} from '../../talent/talent.view';
import { eventsUpTo } from './events-up-to';

export interface TalentArrangementAsOf {
  readonly at: Date;
  readonly participants: readonly TalentParticipantView[];
  readonly termsHistory: readonly TalentTermsVersionView[];
  readonly problems: readonly TalentProblemView[];
  /** Personal data: the field resolver shows them to the organisers only, as now. */
  readonly candidates: readonly TalentCandidateView[];
  /** Who may see the candidates: the organisers as they are now (the proposer and the current host), not as they were at `at`. */
  readonly organiserIds: readonly string[];
  readonly checklist: readonly TalentChecklistItemView[];
}

export type TalentArrangementAsOfView = TalentArrangementView & { readonly asOf: TalentArrangementAsOf };

/** The as-of part of an arrangement read `asOf` a moment; undefined for one read now. */
export const talentArrangementAsOfOf = (view: TalentArrangementView): TalentArrangementAsOf | undefined => (view as Partial<TalentArrangementAsOfView>).asOf;

type Version = Omit<TalentTermsVersionView, 'consents' | 'agreedAt'> & { agreedAt: Date | null; consents: Map<string, Omit<TalentConsentView, 'current'>> };

/** The arrangement as it stood at `at`, or null when it had not been proposed yet. */
export function talentArrangementAsOf(events: readonly RecordedEvent[], at: Date, organiserIds: readonly string[]): TalentArrangementAsOfView | null {
  const upTo = eventsUpTo(events, at);
  if (upTo.length === 0) return null;
  let state: TalentArrangementState = talentArrangementDecider.initialState();
  const versions: Version[] = [];
  const listed = new Map<string, { byPersonId: string; at: Date }>();
  const added = new Map<string, { byPersonId: string; at: Date }>();
  const completed = new Map<string, { byPersonId: string; at: Date }>();
  let agreedAt: Date | null = null;
  let activatedAt: Date | null = null;
  let ended: { at: Date; early: boolean; reason: string | null } | null = null;
  for (const recorded of upTo) {
    const event = { type: recorded.type, data: recorded.data } as unknown as TalentArrangementEvent;
    state = talentArrangementDecider.evolve(state, event);
    const when = new Date(recorded.metadata.occurredAt);
    switch (event.type) {
      case 'TalentArrangementProposed': {
        const d = event.data;
        versions.push({
          version: d.termsVersion,
          terms: toTermsView(d.terms),
          costTable: toCostTableView(d.costTable),
          changes: [],
          joinedOrganisationIds: [],
          leftOrganisationIds: [],
          voidedConsents: [],
          reason: null,
          createdByPersonId: d.proposedByPersonId,
          createdByOrganisationId: d.proposerOrganisationId,
          createdAt: new Date(d.proposedAt),
          agreedAt: null,
          consents: new Map(),
        });
        break;
      }
      case 'TalentTermsChanged': {
        const d = event.data;
        versions.push({
          version: d.termsVersion,
          terms: toTermsView(d.terms),
          costTable: toCostTableView(d.costTable),
          changes: d.changes.map((c) => c.toUpperCase() as Uppercase<TermsChange>),
          joinedOrganisationIds: d.joinedOrganisationIds,
          leftOrganisationIds: d.leftOrganisationIds,
          voidedConsents: d.voidedConsents,
          reason: d.reason,
          createdByPersonId: d.changedByPersonId,
          createdByOrganisationId: d.changedByOrganisationId,
          createdAt: new Date(d.changedAt),
          agreedAt: null,
          consents: new Map(),
        });
        break;
      }
      case 'TalentTermsConsented':
      case 'TalentTermsDeclined': {
        const d = event.data;
        const consented = event.type === 'TalentTermsConsented';
        versions
          .find((v) => v.version === d.termsVersion)
          ?.consents.set(d.organisationId, {
            organisationId: d.organisationId,
            termsVersion: d.termsVersion,
            answer: consented ? 'CONSENTED' : 'DECLINED',
            reason: event.type === 'TalentTermsDeclined' ? event.data.reason : null,
            answeredByPersonId: event.type === 'TalentTermsConsented' ? event.data.consentedByPersonId : event.data.declinedByPersonId,
            answeredAt: new Date(event.type === 'TalentTermsConsented' ? event.data.consentedAt : event.data.declinedAt),
          });
        break;
      }
      case 'TalentTermsAgreed': {
        agreedAt = new Date(event.data.agreedAt);
        const version = versions.find((v) => v.version === event.data.termsVersion);
        if (version) version.agreedAt = agreedAt;
        break;
      }
      case 'TalentProblemsListed':
        listed.set(event.data.organisationId, { byPersonId: event.data.listedByPersonId, at: when });
        break;
      case 'TalentCandidateAdded':
        added.set(event.data.candidateId, { byPersonId: event.data.addedByPersonId, at: when });
        break;
      case 'TalentChecklistItemCompleted':
        completed.set(event.data.itemId, { byPersonId: event.data.completedByPersonId, at: new Date(event.data.completedAt) });
        break;
      case 'TalentArrangementActivated':
        activatedAt = new Date(event.data.activatedAt);
        break;
      case 'TalentArrangementEnded':
        ended = { at: new Date(event.data.endedAt), early: event.data.early, reason: event.data.reason };
        break;
    }
  }
  if (state.phase === 'unproposed') return null;
  const s = state;
  const first = upTo[0].data as { proposedByPersonId: string; proposedAt: string };
  const last = upTo[upTo.length - 1];

  const shares = new Map(s.costTable.shares.map((share) => [share.organisationId, share]));
  const participants: TalentParticipantView[] = s.terms.participants.map((p) => {
    const share = shares.get(p.organisationId);
    const answer = s.answers.get(p.organisationId);
    return {
      organisationId: p.organisationId,
      prefectureCode: p.prefectureCode,
      population: p.population,
      daysPerMonth: p.daysPerMonth,
      weight: share?.weight ?? 0,
      shareYen: share?.shareYen ?? 0,
      subsidyYen: share?.subsidyYen ?? 0,
      netYen: share?.netYen ?? 0,
      answer: answer ? (answer.kind === 'consented' ? 'CONSENTED' : 'DECLINED') : null,
      answerReason: answer?.reason ?? null,
      answeredByPersonId: answer?.byPersonId ?? null,
      answeredAt: answer ? new Date(answer.at) : null,
    };
  });
  const termsHistory: TalentTermsVersionView[] = versions.map((v) => ({
    ...v,
    consents: [...v.consents.values()]
      .sort(
        (a, b) => a.answeredAt.getTime() - b.answeredAt.getTime() || (a.organisationId < b.organisationId ? -1 : a.organisationId > b.organisationId ? 1 : 0),
      )
      .map((c) => ({ ...c, current: c.termsVersion === s.termsVersion })),
  }));
  // By participant (current terms order; former participants after, by id), then as listed.
  const order = new Map(s.terms.participants.map((p, i) => [p.organisationId, i]));
  const problems: TalentProblemView[] = [...s.problems.entries()]
    .sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([organisationId, list]) =>
      list.map((p) => ({
        problemId: p.problemId,
        organisationId,
        text: p.text,
        listedByPersonId: listed.get(organisationId)?.byPersonId ?? '',
        listedAt: listed.get(organisationId)?.at ?? new Date(last.metadata.occurredAt),
      })),
    );
  const candidates: TalentCandidateView[] = [...s.candidates.values()]
    .map((c) => ({
      candidateId: c.candidateId,
      name: c.name,
      reference: c.reference,
      selected: c.candidateId === s.selectedCandidateId,
      addedByPersonId: added.get(c.candidateId)?.byPersonId ?? '',
      addedAt: added.get(c.candidateId)?.at ?? new Date(last.metadata.occurredAt),
    }))
    .sort((a, b) => a.addedAt.getTime() - b.addedAt.getTime() || (a.candidateId < b.candidateId ? -1 : a.candidateId > b.candidateId ? 1 : 0));
  const checklist: TalentChecklistItemView[] = s.checklist.map((item) => ({
    itemId: item.itemId,
    label: item.label,
    done: item.done,
    completedByPersonId: item.done ? (completed.get(item.itemId)?.byPersonId ?? null) : null,
    completedAt: item.done ? (completed.get(item.itemId)?.at ?? null) : null,
  }));
  const prefectureCodes = [
    ...new Set([s.proposer.prefectureCode, ...s.terms.participants.map((p) => p.prefectureCode)].filter((c): c is string => c !== null)),
  ];

  return {
    id: s.arrangementId,
    role: s.role,
    skills: s.skills,
    proposerOrganisationId: s.proposer.organisationId,
    proposerKind: s.proposer.kind === 'prefecture' ? 'PREFECTURE' : 'MUNICIPALITY',
    proposedByPersonId: first.proposedByPersonId,
    proposedAt: new Date(first.proposedAt),
    phase: phaseToGraphql(s.phase),
    termsVersion: s.termsVersion,
    terms: toTermsView(s.terms),
    costTable: toCostTableView(s.costTable),
    hostOrganisationId: s.terms.hostOrganisationId,
    agreed: isAgreed(s),
    agreedTermsVersion: s.agreedVersion,
    agreedAt: s.agreedVersion === null ? null : agreedAt,
    pendingConsents: [...pendingConsents(s)],
    prefectureCodes,
    requirements: s.requirements,
    selectedCandidateId: s.selectedCandidateId,
    activatedAt,
    endedAt: ended?.at ?? null,
    endedEarly: ended?.early ?? null,
    endReason: ended?.reason ?? null,
    streamVersion: Number(last.revision),
    position: formatPosition(last.position),
    asOf: { at, participants, termsHistory, problems, candidates, checklist, organiserIds },
  };
}
