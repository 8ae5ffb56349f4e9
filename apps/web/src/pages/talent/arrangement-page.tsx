/**
 * One talent-sharing arrangement (人材シェアリング): the MIC guidebook's phases, the current terms and
 * every participant's share before and after the subsidy with its answer, the approver's consent
 * (決裁) or decline, the consent status per participant per terms version, the terms history, the
 * phases' content, and a cost calculator started from the current terms. Live: the room
 * talent-arrangement:<id>.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { commandId, mutate, type UserError } from '../../api/graphql';
import { useLiveRoom } from '../../api/live';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { may } from '../../auth/permissions';
import { useMe } from '../../auth/session';
import { DateTime } from '../../components/date-time';
import { ErrorMessage, Loading, NotFound } from '../../components/status';
import { useFormatDate } from '../../format/dates';
import { useOrganisationNames } from '../consultations/organisation-names';
import { ConsentMatrix } from './consent-matrix';
import { CostCalculator } from './cost-calculator';
import { TALENT_PATHS } from './paths';
import { ARRANGEMENT_FIELDS, PHASES, formatYen, type ArrangementNode } from './talent-types';
import '../consultations/consultations.css';
import './talent.css';

const ARRANGEMENT = `query TalentArrangement($id: ID!, $waitFor: Position) { talentArrangement(id: $id, waitFor: $waitFor) { ${ARRANGEMENT_FIELDS} } }`;
type Payload = { position: string | null; errors: UserError[] };

/** The guidebook's steps as an ordered list, the current one marked for screen readers too. */
export function PhaseSteps({ phase }: { phase: ArrangementNode['phase'] }) {
  const { t } = useTranslation('talent');
  const at = PHASES.indexOf(phase);
  return (
    <ol className="phase-steps" aria-label={t('phase.label')} data-testid="phases">
      {PHASES.map((p, i) => (
        <li key={p} className={i < at ? 'done' : i === at ? 'current' : 'todo'} aria-current={i === at ? 'step' : undefined}>
          <span className="sr-only">{i < at ? t('phase.done') : i === at ? t('phase.current') : t('phase.todo')}</span>
          {t(`phase.${p}`)}
        </li>
      ))}
    </ol>
  );
}

function AnswerForm({ arrangement, onWritten }: { arrangement: ArrangementNode; onWritten: (position: string | null) => Promise<void> }) {
  const { t } = useTranslation('talent');
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (name: 'consentToTalentTerms' | 'declineTalentTerms', extra: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const type = name === 'consentToTalentTerms' ? 'ConsentToTalentTermsInput' : 'DeclineTalentTermsInput';
      const payload = await mutate<Payload>(`mutation Answer($input: ${type}!) { ${name}(input: $input) { position errors { code message field } } }`, {
        input: { commandId: commandId(), arrangementId: arrangement.id, termsVersion: arrangement.termsVersion, ...extra },
      });
      setDeclining(false);
      setReason('');
      await onWritten(payload.position);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const decline = (event: FormEvent) => {
    event.preventDefault();
    void send('declineTalentTerms', { reason: reason.trim() });
  };
  return (
    <div className="notice" data-testid="answer-form">
      <p>{t('answerForm.intro', { n: arrangement.termsVersion })}</p>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void send('consentToTalentTerms', {})} data-testid="consent">
          {t('answerForm.consent', { n: arrangement.termsVersion })}
        </button>
        {!declining && (
          <button type="button" className="secondary" disabled={busy} onClick={() => setDeclining(true)}>
            {t('answerForm.decline')}
          </button>
        )}
      </div>
      {declining && (
        <form onSubmit={decline}>
          <label className="field">
            <span>{t('answerForm.reason')}</span>
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} required />
          </label>
          <div className="actions">
            <button type="submit" disabled={busy || reason.trim() === ''}>
              {t('answerForm.confirmDecline')}
            </button>
            <button type="button" className="secondary" onClick={() => setDeclining(false)}>
              {t('common:actions.cancel')}
            </button>
          </div>
        </form>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

export function ArrangementPage({ arrangementId }: { arrangementId: string }) {
  const { t, i18n } = useTranslation('talent');
  const me = useMe();
  const format = useFormatDate();
  const { data, error, loading, refetch } = useQuery<{ talentArrangement: ArrangementNode | null }>(ARRANGEMENT, { id: arrangementId });
  const [lastUpdate, setLastUpdate] = useState<{ change: string; at: Date } | null>(null);
  const a = data?.talentArrangement ?? null;
  const everyone = a ? a.termsHistory.flatMap((v) => v.terms.participants) : [];
  const { nameOf } = useOrganisationNames(everyone);

  useLiveRoom(`talent-arrangement:${arrangementId}`, (signal) => {
    if (signal.kind === 'change') {
      setLastUpdate({ change: signal.change.change, at: new Date() });
      void refetch({ waitFor: signal.change.position });
    } else void refetch();
  });

  if (error && !data) return <ErrorMessage error={error} />;
  if (loading && !data) return <Loading />;
  if (!a) return <NotFound what={arrangementId} />;

  const yen = (n: number) => formatYen(n, i18n.language);
  const mine = a.participants.find((p) => p.organisationId === me.organisation?.id) ?? null;
  const mayAnswer = !!mine && a.phase !== 'ENDED' && may(me, 'talent.consent');
  const onWritten = async (position: string | null) => refetch(position ? { waitFor: position } : {});

  return (
    <article aria-labelledby="page-title" className="talent-page">
      <nav className="breadcrumbs" aria-label={t('breadcrumbs')}>
        <ol>
          <li>
            <Link to={TALENT_PATHS.list}>{t('list.title')}</Link>
          </li>
          <li aria-current="page">{a.role}</li>
        </ol>
      </nav>
      <h1 id="page-title" tabIndex={-1}>
        {t('arrangement.heading', { role: a.role, proposer: a.proposer?.name ?? a.proposerOrganisationId })}
      </h1>
      <p className="muted" role="status" aria-live="polite" data-testid="live-update">
        {lastUpdate ? t('live.updated', { time: format(lastUpdate.at), change: t(`events.${lastUpdate.change}`, { defaultValue: lastUpdate.change }) }) : ''}
      </p>
      <PhaseSteps phase={a.phase} />
      <dl className="facts">
        <dt>{t('fields.skills')}</dt>
        <dd>{a.skills.join('、') || '—'}</dd>
        <dt>{t('fields.host')}</dt>
        <dd>{a.host?.name ?? a.hostOrganisationId}</dd>
        <dt>{t('fields.term')}</dt>
        <dd>
          <DateTime value={`${a.terms.startDate}T00:00:00+09:00`} withTime={false} /> 〜{' '}
          <DateTime value={`${a.terms.endDate}T00:00:00+09:00`} withTime={false} />
        </dd>
        <dt>{t('fields.annualCost')}</dt>
        <dd>{yen(a.terms.annualCostYen)}</dd>
        <dt>{t('fields.rule')}</dt>
        <dd>
          {t(`rule.${a.terms.splitRule}`)}、{t('fields.subsidyValue', { percent: a.terms.subsidyPercent })}
        </dd>
        <dt>{t('fields.termsVersion')}</dt>
        <dd data-testid="terms-version">
          {t('consents.version', { n: a.termsVersion })}{' '}
          {a.agreed ? (
            <span className="badge agreed" data-testid="agreed">
              {t('arrangement.agreed')}
            </span>
          ) : (
            <span className="badge" data-testid="agreed">
              {t('arrangement.pending', { count: a.pendingConsents.length })}
            </span>
          )}
          {a.agreedTermsVersion !== null && !a.agreed && <> {t('arrangement.inForce', { n: a.agreedTermsVersion })}</>}
        </dd>
      </dl>
      <p>
        <Link to={`/audit?entity=TALENT_ARRANGEMENT&id=${encodeURIComponent(a.id)}`}>{t('arrangement.history')}</Link>
      </p>

      <section aria-labelledby="participants-title" className="panel">
        <h2 id="participants-title">{t('participants.title')}</h2>
        {mayAnswer && <AnswerForm arrangement={a} onWritten={onWritten} />}
        <div className="table-scroll" role="region" aria-labelledby="participants-title" tabIndex={0}>
          <table data-testid="participants">
            <thead>
              <tr>
                <th scope="col">{t('calculator.organisation')}</th>
                <th scope="col">{t('calculator.population')}</th>
                <th scope="col">{t('calculator.days')}</th>
                <th scope="col">{t('calculator.share')}</th>
                <th scope="col">{t('calculator.subsidy')}</th>
                <th scope="col">{t('calculator.net')}</th>
                <th scope="col">{t('participants.answer', { n: a.termsVersion })}</th>
              </tr>
            </thead>
            <tbody>
              {a.participants.map((p) => (
                <tr key={p.organisationId} data-testid={`participant-${p.organisationId}`}>
                  <th scope="row">{p.organisation?.name ?? p.organisationId}</th>
                  <td className="number">{p.population === null ? '—' : p.population.toLocaleString('ja-JP')}</td>
                  <td className="number">{p.daysPerMonth}</td>
                  <td className="number">{yen(p.shareYen)}</td>
                  <td className="number">{yen(p.subsidyYen)}</td>
                  <td className="number">{yen(p.netYen)}</td>
                  <td data-testid="answer">
                    {p.answer ? (
                      <span className={`badge answer-${p.answer}`}>{t(`answer.${p.answer}`)}</span>
                    ) : (
                      <span className="badge">{t('answer.PENDING')}</span>
                    )}
                    {p.answerReason && <div className="muted">{p.answerReason}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="consents-heading" className="panel">
        <h2 id="consents-heading">{t('consents.title')}</h2>
        <ConsentMatrix history={a.termsHistory} nameOf={(id) => a.participants.find((p) => p.organisationId === id)?.organisation?.name ?? nameOf(id)} />
        <h3>{t('history.title')}</h3>
        <ol className="terms-history" reversed>
          {[...a.termsHistory].reverse().map((v) => (
            <li key={v.version}>
              <strong>{t('consents.version', { n: v.version })}</strong> <DateTime value={v.createdAt} />{' '}
              {v.changes.length > 0 && <span>— {v.changes.map((c) => t(`change.${c}`)).join('、')}</span>}
              {v.joinedOrganisationIds.length > 0 && <span> {t('history.joined', { names: v.joinedOrganisationIds.map(nameOf).join('、') })}</span>}
              {v.leftOrganisationIds.length > 0 && <span> {t('history.left', { names: v.leftOrganisationIds.map(nameOf).join('、') })}</span>}
              {v.reason && <div className="muted">{t('history.reason', { reason: v.reason })}</div>}
              {v.agreedAt && (
                <div>
                  {t('history.agreedAt')} <DateTime value={v.agreedAt} />
                </div>
              )}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="steps-title" className="panel">
        <h2 id="steps-title">{t('steps.title')}</h2>
        <h3>{t('phase.PROBLEMS')}</h3>
        {a.problems.length === 0 ? (
          <p className="muted">{t('steps.none')}</p>
        ) : (
          <ul>
            {a.problems.map((p) => (
              <li key={p.problemId}>
                {p.text} <span className="muted">({nameOf(p.organisationId)})</span>
              </li>
            ))}
          </ul>
        )}
        <h3>{t('phase.REQUIREMENTS')}</h3>
        {a.requirements.length === 0 ? (
          <p className="muted">{t('steps.none')}</p>
        ) : (
          <ul>
            {a.requirements.map((r) => (
              <li key={r.requirementId}>{r.text}</li>
            ))}
          </ul>
        )}
        <h3>{t('phase.ONBOARDING')}</h3>
        {a.checklist.length === 0 ? (
          <p className="muted">{t('steps.none')}</p>
        ) : (
          <ul>
            {a.checklist.map((item) => (
              <li key={item.itemId}>
                {item.done ? t('steps.done') : t('steps.open')} {item.label}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="calculator-title" className="panel">
        <h2 id="calculator-title">{t('calculator.whatIf')}</h2>
        <p className="muted">{t('calculator.whatIfIntro')}</p>
        <CostCalculator
          key={a.termsVersion}
          current={a.costTable}
          initial={{
            annualCostYen: String(a.terms.annualCostYen),
            subsidyPercent: String(a.terms.subsidyPercent),
            splitRule: a.terms.splitRule,
            participants: a.terms.participants.map((p) => ({
              organisationId: p.organisationId,
              name: a.participants.find((q) => q.organisationId === p.organisationId)?.organisation?.name ?? nameOf(p.organisationId),
              population: p.population === null ? '' : String(p.population),
              daysPerMonth: String(p.daysPerMonth),
            })),
          }}
        />
      </section>
    </article>
  );
}
