/** Talent-sharing arrangements, newest first, with their phase, participants, cost and agreement; and the way to the cost calculator. */
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/use-query';
import { Link, pathTo, setQuery, useLocation } from '../../app/router';
import { ErrorMessage, Loading } from '../../components/status';
import { TALENT_PATHS } from './paths';
import { PHASES, formatYen, type TalentPhase } from './talent-types';
import '../consultations/consultations.css';
import './talent.css';

const ARRANGEMENTS = `query TalentArrangements($phase: TalentPhase) {
  talentArrangements(phase: $phase, first: 100) {
    totalCount
    edges { node { id role phase proposer { name } host { name } termsVersion agreed terms { annualCostYen splitRule }
      participants { organisationId organisation { name } } } }
  }
}`;

interface ListData {
  talentArrangements: {
    totalCount: number;
    edges: {
      node: {
        id: string;
        role: string;
        phase: TalentPhase;
        proposer: { name: string } | null;
        host: { name: string } | null;
        termsVersion: number;
        agreed: boolean;
        terms: { annualCostYen: number; splitRule: string };
        participants: { organisationId: string; organisation: { name: string } | null }[];
      };
    }[];
  };
}

export function TalentListPage() {
  const { t, i18n } = useTranslation('talent');
  const { search } = useLocation();
  const phase = search.get('phase') ?? '';
  const { data, error, loading } = useQuery<ListData>(ARRANGEMENTS, { phase: phase || null });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('list.title')}
      </h1>
      <p>
        <Link to={TALENT_PATHS.calculator} className="button-link">
          {t('list.toCalculator')}
        </Link>
      </p>
      <form className="inline-form" aria-label={t('list.filter')} onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span>{t('phase.label')}</span>
          <select value={phase} onChange={(e) => setQuery({ phase: e.target.value })}>
            <option value="">{t('list.all')}</option>
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {t(`phase.${p}`)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorMessage error={error} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <p className="muted">{t('list.count', { count: data.talentArrangements.totalCount })}</p>
          <ul className="cards" data-testid="arrangement-list">
            {data.talentArrangements.edges.map(({ node: a }) => (
              <li key={a.id} className="card">
                <h2>
                  <Link to={pathTo(TALENT_PATHS.arrangement, { arrangementId: a.id })}>{a.role}</Link>
                </h2>
                <p>
                  <span className="badge">{t(`phase.${a.phase}`)}</span>{' '}
                  <span className={`badge${a.agreed ? ' agreed' : ''}`}>{a.agreed ? t('arrangement.agreed') : t('arrangement.notAgreed')}</span>
                </p>
                <p className="muted">
                  {t('list.proposedBy', { name: a.proposer?.name ?? '' })} · {t('list.hostedBy', { name: a.host?.name ?? '' })}
                </p>
                <p>
                  {formatYen(a.terms.annualCostYen, i18n.language)} · {t(`rule.${a.terms.splitRule}`)}
                </p>
                <p className="muted">{a.participants.map((p) => p.organisation?.name ?? p.organisationId).join('、')}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
