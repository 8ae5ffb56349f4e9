/**
 * Two revisions of a proposal side by side: pick any two, see per requirement what each proposed
 * and, on the right, the later text marked against the earlier one.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/use-query';
import { setQuery, useLocation } from '../../app/router';
import { diffText } from '../../components/diff-segments';
import { DiffView } from '../../components/diff-view';
import { ErrorMessage, Loading } from '../../components/status';
import type { ChangeKind } from './proposal-types';

const COMPARE = `query Compare($id: ID!, $from: Int!, $to: Int!) {
  proposal(id: $id) {
    id
    diff(revision: $to, against: $from) {
      requirements {
        requirementId status kindChanged
        fromChange { kind requirementTitle after reason }
        toChange { kind requirementTitle after reason }
      }
    }
  }
}`;

interface Side {
  kind: ChangeKind;
  requirementTitle: string | null;
  after: string | null;
  reason: string;
}
interface CompareData {
  proposal: {
    diff: { requirements: { requirementId: string; status: string; kindChanged: boolean; fromChange: Side | null; toChange: Side | null }[] };
  } | null;
}

export function RevisionCompare({ proposalId, revisions, version }: { proposalId: string; revisions: number[]; version: number }) {
  const { t } = useTranslation('proposals');
  const fromId = useId();
  const toId = useId();
  const { search } = useLocation();
  const latest = revisions[revisions.length - 1];
  const pick = (name: string, fallback: number) => {
    const n = Number(search.get(name));
    return revisions.includes(n) ? n : fallback;
  };
  const from = pick('from', revisions[revisions.length - 2] ?? latest);
  const to = pick('to', latest);
  // `version` (the proposal's revision count) makes a new revision re-read the comparison.
  const { data, error, loading } = useQuery<CompareData>(COMPARE, { id: proposalId, from, to, version });

  // What a revision proposes for the requirement (the API compares a DELETE or an untouched requirement as the empty text).
  const text = (side: Side | null) => (!side || side.kind === 'DELETE' ? '' : (side.after ?? ''));
  const describe = (side: Side | null) => (!side ? t('compare.untouched') : t(`kind.${side.kind}`));

  return (
    <section aria-labelledby={`${fromId}-h`}>
      <h2 id={`${fromId}-h`}>{t('compare.title')}</h2>
      <div className="inline-form">
        <label className="field" htmlFor={fromId}>
          <span>{t('compare.from')}</span>
          <select id={fromId} value={from} onChange={(e) => setQuery({ from: e.target.value })}>
            {revisions.map((r) => (
              <option key={r} value={r}>
                {t('revision', { n: r })}
              </option>
            ))}
          </select>
        </label>
        <label className="field" htmlFor={toId}>
          <span>{t('compare.to')}</span>
          <select id={toId} value={to} onChange={(e) => setQuery({ to: e.target.value })}>
            {revisions.map((r) => (
              <option key={r} value={r}>
                {t('revision', { n: r })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage error={error} />
      {loading && !data && <Loading />}
      {data?.proposal && (
        <ul className="plain-list">
          {data.proposal.diff.requirements.map((r) => (
            <li key={r.requirementId} className="requirement" data-testid="revision-row">
              <h3 className="change-head">
                <span>{r.requirementId}</span> <span>{r.toChange?.requirementTitle ?? r.fromChange?.requirementTitle ?? ''}</span>{' '}
                <span className="badge">{t(`compare.status.${r.status}`)}</span>
              </h3>
              <div className="side-by-side">
                <div>
                  <h4>
                    {t('revision', { n: from })} — {describe(r.fromChange)}
                  </h4>
                  <p className="before-text">{r.fromChange?.kind === 'DELETE' ? t('compare.deletes') : text(r.fromChange) || '—'}</p>
                </div>
                <div>
                  <h4>
                    {t('revision', { n: to })} — {describe(r.toChange)}
                  </h4>
                  {r.toChange?.kind === 'DELETE' ? (
                    <p className="before-text">{t('compare.deletes')}</p>
                  ) : (
                    <DiffView segments={diffText(text(r.fromChange), text(r.toChange))} label={t('compare.diffLabel', { from, to })} />
                  )}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
