/**
 * The tally of a round as a table (counts and weights per stance, each with a <meter>: no inline
 * styles under the CSP), the quorum and threshold as they stand, and the outcome once recorded.
 * A hidden round that is still open has no tally: it says so instead.
 */
import { useTranslation } from 'react-i18next';
import type { OutcomeNode, RulesNode, StanceKind, TallyNode } from './consultation-types';
import { STANCES } from './consultation-types';
import { percent } from './grouping';

const key = (stance: StanceKind) => stance.toLowerCase() as 'approve' | 'object' | 'abstain' | 'block';

export function TallyView({
  tally,
  rules,
  outcome,
  resultsHidden,
  status,
}: {
  tally: TallyNode | null;
  rules: RulesNode;
  outcome: OutcomeNode | null;
  resultsHidden: boolean;
  status: 'OPEN' | 'CLOSED';
}) {
  const { t } = useTranslation('consultations');
  const number = (n: number) => n.toLocaleString('ja-JP');
  if (!tally)
    return (
      <p className="notice" data-testid="tally-hidden">
        {resultsHidden && status === 'OPEN' ? t('tally.hidden') : t('tally.none')}
      </p>
    );
  const weighted = rules.weighting === 'POPULATION';
  const cast = tally.weights.approve + tally.weights.object + tally.weights.block + tally.weights.abstain;
  const thresholdBase = rules.thresholdBasis === 'APPROVE_OF_APPROVE_AND_OBJECT' ? tally.weights.approve + tally.weights.object + tally.weights.block : cast;
  return (
    <div data-testid="tally">
      <table className="tally-table">
        <caption className="sr-only">{t('tally.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tally.stance')}</th>
            <th scope="col">{t('tally.count')}</th>
            {weighted && <th scope="col">{t('tally.weight')}</th>}
            <th scope="col">{t('tally.share')}</th>
          </tr>
        </thead>
        <tbody>
          {STANCES.map((stance) => {
            const value = weighted ? tally.weights[key(stance)] : tally.counts[key(stance)];
            const whole = weighted ? tally.participatingWeight : tally.participatingCount;
            return (
              <tr key={stance}>
                <th scope="row">{t(`stance.${stance}`)}</th>
                <td className="number" data-testid={`tally-${key(stance)}`}>
                  {number(tally.counts[key(stance)])}
                </td>
                {weighted && <td className="number">{number(tally.weights[key(stance)])}</td>}
                <td>
                  <meter
                    className={`meter-${key(stance)}`}
                    min={0}
                    max={Math.max(whole, 1)}
                    value={value}
                    aria-label={t('tally.meterLabel', { stance: t(`stance.${stance}`) })}
                  />{' '}
                  {percent(value, whole)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <dl className="facts">
        <dt>{t('tally.participation')}</dt>
        <dd data-testid="tally-participation">
          {t('tally.participationValue', {
            count: tally.participatingCount,
            electorate: tally.electorateCount,
            share: percent(tally.participatingWeight, tally.totalWeight),
            quorum: rules.quorumPercent,
          })}
        </dd>
        <dt>{t('tally.approval')}</dt>
        <dd>
          {t('tally.approvalValue', {
            share: percent(tally.weights.approve, thresholdBase),
            threshold: rules.thresholdPercent,
            basis: t(`basis.${rules.thresholdBasis}`),
          })}
        </dd>
        {rules.blockVetoes && tally.counts.block > 0 && (
          <>
            <dt>{t('tally.block')}</dt>
            <dd>{t('tally.blockValue', { count: tally.counts.block })}</dd>
          </>
        )}
      </dl>
      {outcome && (
        <p className={`notice outcome ${outcome.passed ? 'outcome-passed' : 'outcome-failed'}`} data-testid="outcome">
          <strong>{outcome.passed ? t('outcome.passed') : t('outcome.failed')}</strong>{' '}
          {[
            outcome.quorumMet ? t('outcome.quorumMet') : t('outcome.quorumNotMet'),
            outcome.thresholdMet ? t('outcome.thresholdMet') : t('outcome.thresholdNotMet'),
            ...(outcome.blocked ? [t('outcome.blocked')] : []),
          ].join(t('outcome.separator'))}
        </p>
      )}
    </div>
  );
}
