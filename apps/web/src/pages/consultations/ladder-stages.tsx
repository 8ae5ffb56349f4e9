/**
 * The ratification ladder a round belongs to: its stages in order (an ordered list, so a screen
 * reader says "3 of 3"), each with its status, its rounds and their outcomes, the current stage
 * and this round's stage marked.
 */
import { useTranslation } from 'react-i18next';
import { Link, pathTo } from '../../app/router';
import { DateTime } from '../../components/date-time';
import type { LadderNode, OutcomeNode } from './consultation-types';
import { useOrganisationNames } from './organisation-names';
import { CONSULTATION_PATHS } from './paths';

function OutcomeBadge({ outcome }: { outcome: OutcomeNode | null }) {
  const { t } = useTranslation('consultations');
  if (!outcome) return <span className="badge">{t('ladder.roundOpen')}</span>;
  return <span className={`badge ${outcome.passed ? 'outcome-passed' : 'outcome-failed'}`}>{outcome.passed ? t('outcome.passed') : t('outcome.failed')}</span>;
}

export function LadderStages({ ladder, currentConsultationId }: { ladder: LadderNode; currentConsultationId: string }) {
  const { t } = useTranslation('consultations');
  const { nameOf } = useOrganisationNames([]);
  return (
    <section aria-labelledby="ladder-title" className="panel" data-testid="ladder">
      <h2 id="ladder-title">{t('ladder.title')}</h2>
      <p>
        {t(`ladder.status.${ladder.status}`)}
        {ladder.decision && (
          <>
            {' '}
            — <strong>{t(`ladder.decision.${ladder.decision}`)}</strong> {ladder.rationale && <>({ladder.rationale})</>}{' '}
            {ladder.decidedAt && <DateTime value={ladder.decidedAt} />}
          </>
        )}
      </p>
      <ol className="ladder">
        {ladder.stages.map((stage) => {
          const here = stage.rounds.some((r) => r.consultationId === currentConsultationId);
          return (
            <li
              key={stage.stage}
              className={`ladder-stage stage-${stage.status}${here ? ' stage-here' : ''}`}
              aria-current={ladder.currentStage === stage.stage ? 'step' : undefined}
              data-testid={`ladder-stage-${stage.stage}`}
            >
              <h3>
                {t('ladder.stage', { n: stage.stage })}: {t(`ladder.kind.${stage.kind}`)}{' '}
                <span className="badge">{t(`ladder.stageStatus.${stage.status}`)}</span>
                {here && <span className="badge">{t('ladder.thisRound')}</span>}
              </h3>
              {(stage.openedAt || stage.closedAt) && (
                <p className="muted">
                  {stage.openedAt && (
                    <>
                      {t('ladder.opened')} <DateTime value={stage.openedAt} />
                    </>
                  )}{' '}
                  {stage.closedAt && (
                    <>
                      {t('ladder.closed')} <DateTime value={stage.closedAt} />
                    </>
                  )}
                </p>
              )}
              {stage.rounds.length > 0 && (
                <ul className="plain-list">
                  {stage.rounds.map((round) => (
                    <li key={round.consultationId}>
                      {round.consultationId === currentConsultationId ? (
                        <strong>{round.prefectureId ? nameOf(round.prefectureId) : t('ladder.round')}</strong>
                      ) : (
                        <Link to={pathTo(CONSULTATION_PATHS.consultation, { consultationId: round.consultationId })}>
                          {round.prefectureId ? nameOf(round.prefectureId) : t('ladder.round')}
                        </Link>
                      )}{' '}
                      <OutcomeBadge outcome={round.outcome} />
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
