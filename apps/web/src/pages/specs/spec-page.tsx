import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/use-query';
import { useLiveRoom } from '../../api/live';
import { Link, pathTo } from '../../app/router';
import { DateTime } from '../../components/date-time';
import { ErrorMessage, Loading, NotFound } from '../../components/status';
import { SPEC_PATHS } from './paths';

const SPEC = `query Spec($id: ID!, $waitFor: Position) {
  spec(id: $id, waitFor: $waitFor) {
    id title domain updatedAt
    ownerOrganisation { id name }
    versions { version publishedAt requirementCount incorporatedProposalIds }
  }
}`;

interface SpecData {
  spec: {
    id: string;
    title: string;
    domain: string;
    updatedAt: string;
    ownerOrganisation: { id: string; name: string } | null;
    versions: { version: string; publishedAt: string; requirementCount: number; incorporatedProposalIds: string[] }[];
  } | null;
}

export function SpecPage({ specId }: { specId: string }) {
  const { t } = useTranslation('specs');
  const { data, error, loading, refetch } = useQuery<SpecData>(SPEC, { id: specId });
  // A new version published while the page is open appears in the list.
  useLiveRoom(`spec:${specId}`, (signal) => void refetch(signal.kind === 'change' ? { waitFor: signal.change.position } : {}));

  if (error) return <ErrorMessage error={error} />;
  if (loading && !data) return <Loading />;
  const spec = data?.spec;
  if (!spec) return <NotFound what={specId} />;
  return (
    <section aria-labelledby="page-title">
      <nav className="breadcrumbs" aria-label={t('breadcrumbs')}>
        <ol>
          <li>
            <Link to={SPEC_PATHS.list}>{t('list.title')}</Link>
          </li>
          <li aria-current="page">{spec.title}</li>
        </ol>
      </nav>
      <h1 id="page-title" tabIndex={-1}>
        {spec.title}
      </h1>
      <dl>
        <dt>{t('fields.domain')}</dt>
        <dd>{spec.domain}</dd>
        <dt>{t('fields.owner')}</dt>
        <dd>{spec.ownerOrganisation?.name ?? '—'}</dd>
        <dt>{t('fields.updatedAt')}</dt>
        <dd>
          <DateTime value={spec.updatedAt} />
        </dd>
      </dl>
      <h2>{t('spec.versions')}</h2>
      {spec.versions.length === 0 ? (
        <p>{t('spec.noVersion')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('spec.versions')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('fields.version')}</th>
              <th scope="col">{t('fields.publishedAt')}</th>
              <th scope="col">{t('fields.requirementCount')}</th>
              <th scope="col">{t('fields.incorporated')}</th>
            </tr>
          </thead>
          <tbody>
            {[...spec.versions].reverse().map((v) => (
              <tr key={v.version}>
                <td>
                  <Link to={pathTo(SPEC_PATHS.version, { specId: spec.id, version: v.version })}>{t('version.name', { version: v.version })}</Link>
                </td>
                <td>
                  <DateTime value={v.publishedAt} />
                </td>
                <td>{v.requirementCount}</td>
                <td>{v.incorporatedProposalIds.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
