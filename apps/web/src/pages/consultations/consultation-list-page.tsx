/** Consultations (rounds), newest first, open or closed, each with its proposal, closing time and state. */
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/use-query';
import { Link, pathTo, setQuery, useLocation } from '../../app/router';
import { DateTime } from '../../components/date-time';
import { ErrorMessage, Loading } from '../../components/status';
import { CONSULTATION_PATHS } from './paths';
import './consultations.css';

const CONSULTATIONS = `query Consultations($status: ConsultationStatus, $proposalId: ID) {
  consultations(status: $status, proposalId: $proposalId, first: 100) {
    totalCount
    edges { node { id proposalId status resultsHidden closesAt electorateCount ladderStage
      tally { participatingCount } outcome { passed } } }
  }
  proposals(first: 200) { edges { node { id title } } }
}`;

interface ListData {
  consultations: {
    totalCount: number;
    edges: {
      node: {
        id: string;
        proposalId: string;
        status: 'OPEN' | 'CLOSED';
        resultsHidden: boolean;
        closesAt: string;
        electorateCount: number;
        ladderStage: number | null;
        tally: { participatingCount: number } | null;
        outcome: { passed: boolean } | null;
      };
    }[];
  };
  proposals: { edges: { node: { id: string; title: string } }[] };
}

export function ConsultationListPage() {
  const { t } = useTranslation('consultations');
  const { search } = useLocation();
  const status = search.get('status') ?? '';
  /** ?proposal=<id>: the rounds of one proposal (a proposal page can link here). */
  const proposal = search.get('proposal') ?? '';
  const { data, error, loading } = useQuery<ListData>(CONSULTATIONS, { status: status || null, proposalId: proposal || null });
  const titles = new Map(data?.proposals.edges.map((e) => [e.node.id, e.node.title]) ?? []);

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('list.title')}
      </h1>
      <form className="inline-form" aria-label={t('list.filter')} onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span>{t('fields.status')}</span>
          <select value={status} onChange={(e) => setQuery({ status: e.target.value })}>
            <option value="">{t('list.all')}</option>
            <option value="OPEN">{t('status.OPEN')}</option>
            <option value="CLOSED">{t('status.CLOSED')}</option>
          </select>
        </label>
      </form>
      {proposal && (
        <p className="notice">
          {t('list.ofProposal', { title: titles.get(proposal) ?? proposal })}{' '}
          <button type="button" className="secondary" onClick={() => setQuery({ proposal: null })}>
            {t('list.allProposals')}
          </button>
        </p>
      )}
      <ErrorMessage error={error} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <p className="muted">{t('list.count', { count: data.consultations.totalCount })}</p>
          <table data-testid="consultation-list">
            <thead>
              <tr>
                <th scope="col">{t('fields.proposal')}</th>
                <th scope="col">{t('fields.status')}</th>
                <th scope="col">{t('fields.closesAt')}</th>
                <th scope="col">{t('fields.answers')}</th>
              </tr>
            </thead>
            <tbody>
              {data.consultations.edges.map(({ node: c }) => (
                <tr key={c.id}>
                  <td>
                    <Link to={pathTo(CONSULTATION_PATHS.consultation, { consultationId: c.id })}>{titles.get(c.proposalId) ?? c.proposalId}</Link>
                    {c.ladderStage !== null && <span className="muted"> · {t('ladder.stage', { n: c.ladderStage })}</span>}
                  </td>
                  <td>
                    <span className={`badge status-${c.status}`}>{t(`status.${c.status}`)}</span>{' '}
                    {c.outcome && <span className="badge">{c.outcome.passed ? t('outcome.passed') : t('outcome.failed')}</span>}
                  </td>
                  <td>
                    <DateTime value={c.closesAt} />
                  </td>
                  <td>
                    {c.tally
                      ? t('list.answers', { count: c.tally.participatingCount, electorate: c.electorateCount })
                      : t('list.hiddenAnswers', { electorate: c.electorateCount })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
