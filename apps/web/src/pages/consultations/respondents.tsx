/**
 * Who has answered, without a map: the organisations that have not answered first (a coordinator
 * chases them), then those that have, each grouped by prefecture in code order. While a hidden
 * round is open the API shows no one's stance but one's own, so the answered side is a count.
 */
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../components/date-time';
import type { NonRespondentNode, StanceNode } from './consultation-types';
import { byPrefecture } from './grouping';
import { useOrganisationNames } from './organisation-names';

/** A prefecture's list longer than this starts folded (北海道 alone has 179 municipalities): its heading and count still show. */
const OPEN_UP_TO = 40;

export function Respondents({
  nonRespondents,
  stances,
  electorateCount,
  stancesHidden,
}: {
  nonRespondents: readonly NonRespondentNode[];
  stances: readonly StanceNode[];
  electorateCount: number;
  stancesHidden: boolean;
}) {
  const { t } = useTranslation('consultations');
  const { nameOf, prefectureName } = useOrganisationNames([...nonRespondents, ...stances]);
  const groupTitle = (code: string | null) => (code ? (prefectureName(code) ?? t('respondents.prefecture', { code })) : t('respondents.noPrefecture'));
  const answered = electorateCount - nonRespondents.length;
  return (
    <div className="respondents">
      <section aria-labelledby="non-respondents-title" data-testid="non-respondents">
        <h3 id="non-respondents-title">{t('respondents.notAnswered', { count: nonRespondents.length })}</h3>
        {nonRespondents.length === 0 && <p className="muted">{t('respondents.everyoneAnswered')}</p>}
        {byPrefecture(nonRespondents).map((group) => (
          <details key={group.code ?? '-'} className="prefecture-group" open={group.items.length <= OPEN_UP_TO}>
            <summary>
              <h4>
                {groupTitle(group.code)} <span className="muted">({group.items.length})</span>
              </h4>
            </summary>
            <ul className="org-list">
              {group.items.map((r) => (
                <li key={r.organisationId} data-org={r.organisationId}>
                  {r.organisation?.name ?? nameOf(r.organisationId)}
                </li>
              ))}
            </ul>
          </details>
        ))}
      </section>
      <section aria-labelledby="respondents-title" data-testid="respondents">
        <h3 id="respondents-title">{t('respondents.answered', { count: answered })}</h3>
        {stancesHidden && <p className="muted">{t('respondents.hiddenStances')}</p>}
        {byPrefecture(stances).map((group) => (
          <details key={group.code ?? '-'} className="prefecture-group" open={group.items.length <= OPEN_UP_TO}>
            <summary>
              <h4>
                {groupTitle(group.code)} <span className="muted">({group.items.length})</span>
              </h4>
            </summary>
            <ul className="org-list">
              {group.items.map((s) => (
                <li key={s.organisationId} data-org={s.organisationId}>
                  {nameOf(s.organisationId)} <span className={`badge stance-${s.stance}`}>{t(`stance.${s.stance}`)}</span>
                  {s.reason && <span className="stance-reason"> — {s.reason}</span>}
                  {s.castByOrganisationId !== s.organisationId && (
                    <span className="muted"> {t('respondents.castBy', { organisation: nameOf(s.castByOrganisationId) })}</span>
                  )}{' '}
                  <span className="muted">
                    <DateTime value={s.castAt} />
                  </span>
                </li>
              ))}
            </ul>
          </details>
        ))}
      </section>
    </div>
  );
}
