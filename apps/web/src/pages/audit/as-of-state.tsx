/**
 * An entity as it stood at a moment (the API's `asOf`, rebuilt from its events up to then) beside
 * how it stands now: a consultation's tally and outcome, a proposal's status and revision, a talent
 * arrangement's phase, terms version and every participant's share and answer.
 */
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/use-query';
import { ErrorMessage, Loading } from '../../components/status';
import { useFormatDate } from '../../format/dates';
import { may } from '../../auth/permissions';
import { useMe } from '../../auth/session';
import { DateTime } from '../../components/date-time';
import {
  OUTCOME_FIELDS,
  TALLY_FIELDS,
  type LadderNode,
  type LadderStageNode,
  type OutcomeNode,
  type RulesNode,
  type TallyNode,
} from '../consultations/consultation-types';
import { TallyView } from '../consultations/tally-view';
import { PhaseSteps } from '../talent/arrangement-page';
import { formatYen, type ArrangementNode } from '../talent/talent-types';
import type { EntityKind } from './audit-types';

interface ConsultationState {
  asOf: string | null;
  status: 'OPEN' | 'CLOSED';
  resultsHidden: boolean;
  rules: RulesNode;
  tally: TallyNode | null;
  outcome: OutcomeNode | null;
  stances: { organisationId: string }[];
  nonRespondents: { organisationId: string }[];
}
interface ProposalState {
  asOf: string | null;
  status: string;
  title: string;
  currentRevision: number;
}
type ArrangementState = Pick<ArrangementNode, 'asOf' | 'phase' | 'termsVersion' | 'agreed' | 'participants' | 'terms'>;
interface OrganisationState {
  asOf: string | null;
  name: string;
  active: boolean;
  population: number | null;
  memberCount: number;
  /** Asked only of those who may read the organisation's people. */
  members?: { personId: string; displayName: string; roles: string[] }[] | null;
}
interface SpecState {
  asOf: string | null;
  title: string;
  versions: { version: string; publishedAt: string; requirementCount: number }[];
}
interface LadderState {
  asOf: string | null;
  status: LadderNode['status'];
  currentStage: number | null;
  decision: LadderNode['decision'];
  stages: {
    stage: number;
    kind: LadderStageNode['kind'];
    status: LadderStageNode['status'];
    rounds: { consultationId: string; outcome: OutcomeNode | null }[];
  }[];
}

type AsOfKind = 'CONSULTATION' | 'PROPOSAL' | 'TALENT_ARRANGEMENT' | 'ORGANISATION' | 'SPEC' | 'LADDER';

const QUERIES: Record<AsOfKind, string> = {
  CONSULTATION: `query ConsultationAsOf($id: ID!, $asOf: DateTime) { state: consultation(id: $id, asOf: $asOf) {
    asOf status resultsHidden rules { weighting quorumPercent thresholdPercent thresholdBasis blockVetoes } ${TALLY_FIELDS} ${OUTCOME_FIELDS}
    stances { organisationId } nonRespondents { organisationId } } }`,
  PROPOSAL: `query ProposalAsOf($id: ID!, $asOf: DateTime) { state: proposal(id: $id, asOf: $asOf) { asOf status title currentRevision } }`,
  TALENT_ARRANGEMENT: `query ArrangementAsOf($id: ID!, $asOf: DateTime) { state: talentArrangement(id: $id, asOf: $asOf) {
    asOf phase termsVersion agreed terms { annualCostYen splitRule subsidyPercent startDate endDate hostOrganisationId participants { organisationId prefectureCode population daysPerMonth } }
    participants { organisationId organisation { name } prefectureCode population daysPerMonth weight shareYen subsidyYen netYen answer answerReason answeredAt } } }`,
  ORGANISATION: `query OrganisationAsOf($id: ID!, $asOf: DateTime) { state: organisation(id: $id, asOf: $asOf) { asOf name active population memberCount } }`,
  SPEC: `query SpecAsOf($id: ID!, $asOf: DateTime) { state: spec(id: $id, asOf: $asOf) { asOf title versions { version publishedAt requirementCount } } }`,
  LADDER: `query LadderAsOf($id: ID!, $asOf: DateTime) { state: ladder(id: $id, asOf: $asOf) {
    asOf status currentStage decision stages { stage kind status rounds { consultationId ${OUTCOME_FIELDS} } } } }`,
};

/** The people too, for whoever may read them (organisation.readMembers): asking anyone else would be refused. */
const ORGANISATION_WITH_MEMBERS = `query OrganisationAsOf($id: ID!, $asOf: DateTime) { state: organisation(id: $id, asOf: $asOf) {
  asOf name active population memberCount members { personId displayName roles } } }`;

export const isAsOfKind = (kind: EntityKind): kind is AsOfKind => kind in QUERIES;

function StateOf({ kind, state }: { kind: AsOfKind; state: unknown }) {
  const { t, i18n } = useTranslation('audit');
  if (kind === 'ORGANISATION') {
    const o = state as OrganisationState;
    return (
      <>
        <dl className="facts">
          <dt>{t('asOf.titleLabel')}</dt>
          <dd>{o.name}</dd>
          <dt>{t('asOf.status')}</dt>
          <dd data-testid="state-status">{o.active ? t('asOf.active') : t('asOf.inactive')}</dd>
          <dt>{t('asOf.members')}</dt>
          <dd data-testid="state-member-count">{o.memberCount}</dd>
        </dl>
        {o.members && (
          <ul className="plain-list" data-testid="state-members">
            {o.members.map((m) => (
              <li key={m.personId}>
                {m.displayName} <span className="muted">({m.roles.map((r) => t(`common:roles.${r.toLowerCase()}`, { defaultValue: r })).join('・')})</span>
              </li>
            ))}
          </ul>
        )}
      </>
    );
  }
  if (kind === 'SPEC') {
    const sp = state as SpecState;
    return (
      <>
        <p>{sp.title}</p>
        <ul className="plain-list" data-testid="state-status">
          {sp.versions.map((v) => (
            <li key={v.version}>
              {t('asOf.specVersion', { version: v.version, count: v.requirementCount })} <DateTime value={v.publishedAt} />
            </li>
          ))}
        </ul>
      </>
    );
  }
  if (kind === 'LADDER') {
    const l = state as LadderState;
    return (
      <>
        <p data-testid="state-status">
          {t(`consultations:ladder.status.${l.status}`)}
          {l.decision && <> — {t(`consultations:ladder.decision.${l.decision}`)}</>}
        </p>
        <ol>
          {l.stages.map((stage) => (
            <li key={stage.stage} aria-current={l.currentStage === stage.stage ? 'step' : undefined}>
              {t(`consultations:ladder.kind.${stage.kind}`)}: {t(`consultations:ladder.stageStatus.${stage.status}`)} (
              {t('asOf.rounds', { closed: stage.rounds.filter((r) => r.outcome).length, total: stage.rounds.length })})
            </li>
          ))}
        </ol>
      </>
    );
  }
  if (kind === 'CONSULTATION') {
    const c = state as ConsultationState;
    return (
      <>
        <p>
          {t('asOf.status')}: <strong data-testid="state-status">{t(`consultations:status.${c.status}`)}</strong> ·{' '}
          {t('asOf.answered', { count: c.stances.length, pending: c.nonRespondents.length })}
        </p>
        <TallyView tally={c.tally} rules={c.rules} outcome={c.outcome} resultsHidden={c.resultsHidden} status={c.status} />
      </>
    );
  }
  if (kind === 'PROPOSAL') {
    const p = state as ProposalState;
    return (
      <dl className="facts">
        <dt>{t('asOf.titleLabel')}</dt>
        <dd>{p.title}</dd>
        <dt>{t('asOf.status')}</dt>
        <dd data-testid="state-status">{t(`proposals:status.${p.status}`, { defaultValue: p.status })}</dd>
        <dt>{t('asOf.revision')}</dt>
        <dd>{p.currentRevision}</dd>
      </dl>
    );
  }
  const a = state as ArrangementState;
  const yen = (n: number) => formatYen(n, i18n.language);
  return (
    <>
      <PhaseSteps phase={a.phase} />
      <p data-testid="state-status">
        {t('talent:consents.version', { n: a.termsVersion })} · {a.agreed ? t('talent:arrangement.agreed') : t('talent:arrangement.notAgreed')} ·{' '}
        {yen(a.terms.annualCostYen)} · {t(`talent:rule.${a.terms.splitRule}`)}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('talent:calculator.organisation')}</th>
            <th scope="col">{t('talent:calculator.share')}</th>
            <th scope="col">{t('talent:calculator.net')}</th>
            <th scope="col">{t('talent:participants.answer', { n: a.termsVersion })}</th>
          </tr>
        </thead>
        <tbody>
          {a.participants.map((p) => (
            <tr key={p.organisationId}>
              <th scope="row">{p.organisation?.name ?? p.organisationId}</th>
              <td className="number">{yen(p.shareYen)}</td>
              <td className="number">{yen(p.netYen)}</td>
              <td>{t(`talent:answer.${p.answer ?? 'PENDING'}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function StateAt({ kind, id, asOf, testId, heading }: { kind: AsOfKind; id: string; asOf: string | null; testId: string; heading: string }) {
  const { t } = useTranslation('audit');
  const me = useMe();
  const query = kind === 'ORGANISATION' && may(me, 'organisation.readMembers', id) ? ORGANISATION_WITH_MEMBERS : QUERIES[kind];
  const { data, error, loading } = useQuery<{ state: unknown }>(query, { id, asOf });
  return (
    <section aria-label={heading} className="panel" data-testid={testId} data-loading={loading ? 'true' : 'false'}>
      <h3>{heading}</h3>
      <ErrorMessage error={error} />
      {loading && !data && <Loading />}
      {data && (data.state ? <StateOf kind={kind} state={data.state} /> : <p className="muted">{t('asOf.notYet')}</p>)}
    </section>
  );
}

export function AsOfState({ kind, id, asOf }: { kind: EntityKind; id: string; asOf: string }) {
  const { t } = useTranslation('audit');
  const format = useFormatDate();
  if (!isAsOfKind(kind)) return <p className="muted">{t('asOf.unsupported')}</p>;
  return (
    <div className="side-by-side">
      <StateAt kind={kind} id={id} asOf={asOf} testId="as-of-state" heading={t('asOf.at', { time: format(asOf) })} />
      <StateAt kind={kind} id={id} asOf={null} testId="now-state" heading={t('asOf.now')} />
    </div>
  );
}
