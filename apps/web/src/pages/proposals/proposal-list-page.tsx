import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/use-query';
import { Link, pathTo, setQuery, useLocation } from '../../app/router';
import { DateTime } from '../../components/date-time';
import { ErrorMessage, Loading } from '../../components/status';
import { PROPOSAL_PATHS } from './paths';

export const STATUSES = ['DRAFTED', 'SUBMITTED', 'ACCEPTED', 'REJECTED', 'WITHDRAWN', 'INCORPORATED'] as const;

const PROPOSALS = `query Proposals($search: String, $status: [ProposalStatus!]) {
  proposals(search: $search, status: $status, first: 200) {
    totalCount
    edges { node { id title status specId specVersion spec { title } authorOrganisation { name } currentRevision updatedAt } }
  }
}`;

interface ProposalsData {
  proposals: {
    totalCount: number;
    edges: {
      node: {
        id: string;
        title: string;
        status: string;
        specId: string;
        specVersion: string;
        spec: { title: string } | null;
        authorOrganisation: { name: string } | null;
        currentRevision: number;
        updatedAt: string;
      };
    }[];
  };
}

export function ProposalListPage() {
  const { t } = useTranslation('proposals');
  const { search } = useLocation();
  const term = search.get('q') ?? '';
  const status = search.get('status') ?? '';
  const [draft, setDraft] = useState(term);
  const { data, error, loading } = useQuery<ProposalsData>(PROPOSALS, { search: term || null, status: status ? [status] : null });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery({ q: draft.trim() });
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('list.title')}
      </h1>
      <form role="search" className="inline-form" onSubmit={submit} aria-label={t('list.searchForm')}>
        <label className="field">
          <span>{t('list.search')}</span>
          <input type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('fields.status')}</span>
          <select value={status} onChange={(e) => setQuery({ status: e.target.value })}>
            <option value="">{t('list.allStatuses')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('common:actions.search')}</button>
      </form>
      <ErrorMessage error={error} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <p className="muted" role="status">
            {t('list.count', { count: data.proposals.totalCount })}
          </p>
          {data.proposals.edges.length > 0 && (
            <table>
              <caption className="sr-only">{t('list.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('fields.title')}</th>
                  <th scope="col">{t('fields.status')}</th>
                  <th scope="col">{t('fields.spec')}</th>
                  <th scope="col">{t('fields.author')}</th>
                  <th scope="col">{t('fields.updatedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {data.proposals.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <td>
                      <Link to={pathTo(PROPOSAL_PATHS.proposal, { proposalId: node.id })}>{node.title}</Link>
                    </td>
                    <td>
                      <span className={`badge status-${node.status}`}>{t(`status.${node.status}`)}</span>
                    </td>
                    <td>
                      {node.spec?.title ?? node.specId} {t('specs:version.name', { version: node.specVersion })}
                    </td>
                    <td>{node.authorOrganisation?.name ?? '—'}</td>
                    <td>
                      <DateTime value={node.updatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
