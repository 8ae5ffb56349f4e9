/**
 * The consent status per participant per terms version: one row per organisation that was ever a
 * participant, one column per version (newest first). A consent counts for its own version only:
 * a later version voids it, and the cell says so.
 */
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../components/date-time';
import type { TermsVersionNode } from './talent-types';

export function ConsentMatrix({ history, nameOf }: { history: readonly TermsVersionNode[]; nameOf: (id: string) => string }) {
  const { t } = useTranslation('talent');
  const versions = [...history].sort((a, b) => b.version - a.version);
  const organisations: string[] = [];
  for (const v of [...history].sort((a, b) => a.version - b.version))
    for (const p of v.terms.participants) if (!organisations.includes(p.organisationId)) organisations.push(p.organisationId);
  return (
    <div className="table-scroll" role="region" aria-labelledby="consents-title" tabIndex={0}>
      <table className="consent-matrix" data-testid="consent-matrix">
        <caption id="consents-title">{t('consents.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('consents.organisation')}</th>
            {versions.map((v) => (
              <th scope="col" key={v.version}>
                {t('consents.version', { n: v.version })}
                {v.agreedAt && <span className="badge agreed">{t('consents.agreed')}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {organisations.map((id) => (
            <tr key={id} data-testid={`consent-row-${id}`}>
              <th scope="row">{nameOf(id)}</th>
              {versions.map((v) => {
                const participant = v.terms.participants.some((p) => p.organisationId === id);
                const answer = v.consents.find((c) => c.organisationId === id);
                return (
                  <td key={v.version} data-testid={`consent-${id}-v${v.version}`} data-answer={participant ? (answer?.answer ?? 'PENDING') : 'NONE'}>
                    {!participant ? (
                      <span className="muted">{t('consents.notParticipant')}</span>
                    ) : answer ? (
                      <>
                        <span className={`badge answer-${answer.answer}`}>{t(`answer.${answer.answer}`)}</span>
                        {!answer.current && <span className="muted"> {t('consents.voided')}</span>}
                        {answer.reason && <div className="muted">{answer.reason}</div>}
                        <div className="muted small">
                          <DateTime value={answer.answeredAt} />
                        </div>
                      </>
                    ) : (
                      <span className="badge">{t('answer.PENDING')}</span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
