import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { gql } from '../../api/graphql';
import { useQuery } from '../../api/use-query';
import { Link, pathTo, setQuery, useLocation } from '../../app/router';
import { may } from '../../auth/permissions';
import { useMe } from '../../auth/session';
import { DateTime } from '../../components/date-time';
import { ErrorMessage, Loading, NotFound } from '../../components/status';
import { SPEC_PATHS } from './paths';

export const CATEGORIES = ['MANDATORY', 'STANDARD_OPTION', 'PROHIBITED'] as const;
const PAGE = 50;

const VERSION = `query SpecVersion($specId: ID!, $version: String!, $search: String, $category: RequirementCategory, $first: Int, $after: String) {
  specVersion(specId: $specId, version: $version) {
    version publishedAt requirementCount
    spec { id title }
    requirements(search: $search, category: $category, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { requirementId title text category categoryLabel } }
    }
  }
}`;

export interface RequirementNode {
  requirementId: string;
  title: string;
  text: string;
  category: string;
  categoryLabel: string;
}

interface VersionData {
  specVersion: {
    version: string;
    publishedAt: string;
    requirementCount: number;
    spec: { id: string; title: string };
    requirements: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: RequirementNode }[] };
  } | null;
}

export function SpecVersionPage({ specId, version }: { specId: string; version: string }) {
  const { t } = useTranslation('specs');
  const me = useMe();
  const { search } = useLocation();
  const term = search.get('q') ?? '';
  const category = search.get('category') ?? '';
  const [draft, setDraft] = useState(term);
  const variables = { specId, version, search: term || null, category: category || null, first: PAGE };
  const { data, error, loading } = useQuery<VersionData>(VERSION, variables);
  // Further pages, appended below the first (reset with the search).
  const [more, setMore] = useState<{ nodes: RequirementNode[]; endCursor: string | null; hasNextPage: boolean } | null>(null);
  const [moreError, setMoreError] = useState<Error | null>(null);
  useEffect(() => setMore(null), [data]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery({ q: draft.trim() });
  };

  if (error) return <ErrorMessage error={error} />;
  if (loading && !data) return <Loading />;
  const sv = data?.specVersion;
  if (!sv) return <NotFound what={`${specId} ${version}`} />;

  const nodes = [...sv.requirements.edges.map((e) => e.node), ...(more?.nodes ?? [])];
  const pageInfo = more ?? sv.requirements.pageInfo;
  const loadMore = async () => {
    try {
      const next = await gql<VersionData>(VERSION, { ...variables, after: pageInfo.endCursor });
      const reqs = next.specVersion!.requirements;
      setMore({ nodes: [...(more?.nodes ?? []), ...reqs.edges.map((e) => e.node)], ...reqs.pageInfo });
    } catch (e) {
      setMoreError(e as Error);
    }
  };
  const mayDraft = may(me, 'proposal.draft');

  return (
    <section aria-labelledby="page-title">
      <nav className="breadcrumbs" aria-label={t('breadcrumbs')}>
        <ol>
          <li>
            <Link to={SPEC_PATHS.list}>{t('list.title')}</Link>
          </li>
          <li>
            <Link to={pathTo(SPEC_PATHS.spec, { specId })}>{sv.spec.title}</Link>
          </li>
          <li aria-current="page">{t('version.name', { version: sv.version })}</li>
        </ol>
      </nav>
      <h1 id="page-title" tabIndex={-1}>
        {sv.spec.title} {t('version.name', { version: sv.version })}
      </h1>
      <p className="muted">
        {t('fields.publishedAt')}: <DateTime value={sv.publishedAt} /> ・ {t('version.requirementCount', { count: sv.requirementCount })}
      </p>
      <form role="search" className="inline-form" onSubmit={submit} aria-label={t('version.searchForm')}>
        <label className="field">
          <span>{t('version.search')}</span>
          <input type="search" value={draft} onChange={(e) => setDraft(e.target.value)} data-testid="requirement-search" />
        </label>
        <label className="field">
          <span>{t('fields.category')}</span>
          <select value={category} onChange={(e) => setQuery({ category: e.target.value })}>
            <option value="">{t('version.allCategories')}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`categories.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('common:actions.search')}</button>
      </form>
      <p className="muted" role="status" data-testid="requirement-count">
        {t('version.matching', { count: sv.requirements.totalCount })}
      </p>
      <ol className="plain-list" aria-label={t('version.requirements')}>
        {nodes.map((r) => (
          <li key={r.requirementId} className="requirement" data-requirement-id={r.requirementId}>
            <h2 className="change-head">
              <span>{r.requirementId}</span> <span>{r.title}</span> <span className="badge">{r.categoryLabel}</span>
            </h2>
            <p className="requirement-text">{r.text}</p>
            {mayDraft && (
              <Link to={`/proposals/new?${new URLSearchParams({ specId, version: sv.version, requirementId: r.requirementId })}`}>
                {t('version.proposeChange')}
                <span className="sr-only"> ({r.requirementId})</span>
              </Link>
            )}
          </li>
        ))}
      </ol>
      <ErrorMessage error={moreError} />
      {pageInfo.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void loadMore()}>
          {t('common:actions.more')}
        </button>
      )}
    </section>
  );
}
