import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/use-query';
import { Link, pathTo, setQuery, useLocation } from '../../app/router';
import { DateTime } from '../../components/date-time';
import { ErrorMessage, Loading } from '../../components/status';
import { SPEC_PATHS } from './paths';

const SPECS = `query Specs($search: String) {
  specs(search: $search, first: 200) {
    totalCount
    edges { node { id title domain ownerOrganisation { id name } latestVersion { version publishedAt requirementCount } } }
  }
}`;

interface SpecsData {
  specs: {
    totalCount: number;
    edges: {
      node: {
        id: string;
        title: string;
        domain: string;
        ownerOrganisation: { id: string; name: string } | null;
        latestVersion: { version: string; publishedAt: string; requirementCount: number } | null;
      };
    }[];
  };
}

export function SpecListPage() {
  const { t } = useTranslation('specs');
  const { search } = useLocation();
  const term = search.get('q') ?? '';
  const [draft, setDraft] = useState(term);
  const { data, error, loading } = useQuery<SpecsData>(SPECS, { search: term || null });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery({ q: draft.trim() });
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('list.title')}
      </h1>
      <form role="search" className="inline-form" onSubmit={submit}>
        <label className="field">
          <span>{t('list.search')}</span>
          <input type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <button type="submit">{t('common:actions.search')}</button>
      </form>
      <ErrorMessage error={error} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <p className="muted" role="status">
            {t('list.count', { count: data.specs.totalCount })}
          </p>
          <ul className="cards">
            {data.specs.edges.map(({ node }) => (
              <li key={node.id} className="card">
                <h2>
                  <Link to={pathTo(SPEC_PATHS.spec, { specId: node.id })}>{node.title}</Link>
                </h2>
                <dl>
                  <dt>{t('fields.domain')}</dt>
                  <dd>{node.domain}</dd>
                  <dt>{t('fields.owner')}</dt>
                  <dd>{node.ownerOrganisation?.name ?? '—'}</dd>
                  <dt>{t('fields.latestVersion')}</dt>
                  <dd>
                    {node.latestVersion ? (
                      <>
                        <Link to={pathTo(SPEC_PATHS.version, { specId: node.id, version: node.latestVersion.version })}>
                          {t('version.name', { version: node.latestVersion.version })}
                        </Link>{' '}
                        (<DateTime value={node.latestVersion.publishedAt} withTime={false} />,{' '}
                        {t('version.requirementCount', { count: node.latestVersion.requirementCount })})
                      </>
                    ) : (
                      t('spec.noVersion')
                    )}
                  </dd>
                </dl>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
