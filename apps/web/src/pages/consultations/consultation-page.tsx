/**
 * One consultation (round): its rules and closing time, the tally (live; "hidden until close"
 * when the round hides its results), who has answered grouped by prefecture with the
 * non-respondents first, my organisation's stance (draft → 決裁), the ladder's stages when the
 * round is one of a ladder's, and the result sheet. Live: the room consultation:<id>; each change
 * re-reads the round at its position and is announced quietly.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLiveRoom } from '../../api/live';
import { useQuery } from '../../api/use-query';
import { Link, pathTo } from '../../app/router';
import { may } from '../../auth/permissions';
import { useMe } from '../../auth/session';
import { DateTime } from '../../components/date-time';
import { ErrorMessage, Loading, NotFound } from '../../components/status';
import { useFormatDate } from '../../format/dates';
import { PROPOSAL_PATHS } from '../proposals/paths';
import { CloseForm } from './close-form';
import { CONSULTATION_QUERY, PROPOSAL_TITLE_QUERY, type ConsultationNode } from './consultation-types';
import { LadderStages } from './ladder-stages';
import { CONSULTATION_PATHS } from './paths';
import { Respondents } from './respondents';
import { ResultDownloads } from './result-downloads';
import { StancePanel } from './stance-panel';
import { TallyView } from './tally-view';
import './consultations.css';

export function ConsultationPage({ consultationId }: { consultationId: string }) {
  const { t } = useTranslation('consultations');
  const me = useMe();
  const format = useFormatDate();
  const { data, error, loading, refetch } = useQuery<{ consultation: ConsultationNode | null }>(CONSULTATION_QUERY, { id: consultationId });
  const proposalId = data?.consultation?.proposalId ?? null;
  const proposal = useQuery<{ proposal: { id: string; title: string } | null }>(PROPOSAL_TITLE_QUERY, { id: proposalId }, { skip: !proposalId });
  const [lastUpdate, setLastUpdate] = useState<{ change: string; at: Date } | null>(null);

  useLiveRoom(`consultation:${consultationId}`, (signal) => {
    if (signal.kind === 'change') {
      setLastUpdate({ change: signal.change.change, at: new Date() });
      void refetch({ waitFor: signal.change.position });
    } else void refetch();
  });

  if (error && !data) return <ErrorMessage error={error} />;
  if (loading && !data) return <Loading />;
  const c = data?.consultation;
  if (!c) return <NotFound what={consultationId} />;

  const title = proposal.data?.proposal?.title ?? c.proposalId;
  const stancesHidden = c.resultsHidden && c.status === 'OPEN';
  const ownOnly = stancesHidden ? c.stances.filter((s) => s.organisationId === me.organisation?.id) : c.stances;

  return (
    <article aria-labelledby="page-title" className="consultation-page">
      <nav className="breadcrumbs" aria-label={t('breadcrumbs')}>
        <ol>
          <li>
            <Link to={CONSULTATION_PATHS.list}>{t('list.title')}</Link>
          </li>
          <li aria-current="page">{title}</li>
        </ol>
      </nav>
      <h1 id="page-title" tabIndex={-1}>
        {t('consultation.heading', { title })}
      </h1>
      <p className="muted" role="status" aria-live="polite" data-testid="live-update">
        {lastUpdate ? t('live.updated', { time: format(lastUpdate.at), change: t(`events.${lastUpdate.change}`, { defaultValue: lastUpdate.change }) }) : ''}
      </p>
      <dl className="facts">
        <dt>{t('fields.status')}</dt>
        <dd>
          <span className={`badge status-${c.status}`} data-testid="consultation-status">
            {t(`status.${c.status}`)}
          </span>
          {c.early && <> {t('consultation.closedEarly', { reason: c.closeReason ?? '' })}</>}
        </dd>
        <dt>{t('fields.proposal')}</dt>
        <dd>
          <Link to={pathTo(PROPOSAL_PATHS.proposal, { proposalId: c.proposalId })}>{title}</Link>
        </dd>
        <dt>{t('fields.closesAt')}</dt>
        <dd>
          <DateTime value={c.closesAt} />
          {c.closedAt && (
            <>
              {' '}
              ({t('fields.closedAt')} <DateTime value={c.closedAt} />)
            </>
          )}
        </dd>
        <dt>{t('fields.rules')}</dt>
        <dd>
          {t('consultation.rules', {
            weighting: t(`weighting.${c.rules.weighting}`),
            quorum: c.rules.quorumPercent,
            threshold: c.rules.thresholdPercent,
            basis: t(`basis.${c.rules.thresholdBasis}`),
          })}
          {c.rules.blockVetoes && <> {t('consultation.blockVetoes')}</>}
        </dd>
        <dt>{t('fields.visibility')}</dt>
        <dd>{c.resultsHidden ? t('consultation.hiddenRound') : t('consultation.openRound')}</dd>
        <dt>{t('fields.electorate')}</dt>
        <dd>{t('consultation.electorate', { count: c.electorateCount })}</dd>
      </dl>
      <p>
        <Link to={`/audit?entity=CONSULTATION&id=${encodeURIComponent(c.id)}`}>{t('consultation.history')}</Link>
      </p>
      {c.status === 'OPEN' && me.organisation?.id === c.openedByOrganisationId && may(me, 'consultation.close') && (
        <CloseForm consultationId={c.id} onWritten={async (position) => refetch(position ? { waitFor: position } : {})} />
      )}

      <div className="consultation-grid">
        <section aria-labelledby="tally-title" className="panel">
          <h2 id="tally-title">{t('tally.title')}</h2>
          <TallyView tally={c.tally} rules={c.rules} outcome={c.outcome} resultsHidden={c.resultsHidden} status={c.status} />
        </section>
        <StancePanel consultation={c} onWritten={async (position) => refetch(position ? { waitFor: position } : {})} />
      </div>

      {c.ladder && <LadderStages ladder={c.ladder} currentConsultationId={c.id} />}

      <section aria-labelledby="who-title" className="panel">
        <h2 id="who-title">{t('respondents.title')}</h2>
        <Respondents nonRespondents={c.nonRespondents} stances={ownOnly} electorateCount={c.electorateCount} stancesHidden={stancesHidden} />
      </section>

      <ResultDownloads consultationId={c.id} available={!stancesHidden} position={c.position} />
    </article>
  );
}
