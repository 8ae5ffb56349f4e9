/**
 * The audit page (監査): for any entity the history supports, its timeline straight from its event
 * stream (who, which organisation, when, what in Japanese or English, the hash chain), filtered by
 * actor organisation and event type and paged; a date-time picker (Japan time) that shows the
 * entity as it stood at that moment beside how it stands now; the whole log's verification; and
 * the exports (JSON Lines with the checkpoint proof, or CSV) fetched with the bearer token.
 * The entity and the moment live in the address (?entity=&id=&asOf=), so a view can be shared.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadWithToken } from '../../api/download';
import { gql } from '../../api/graphql';
import { useLiveRoom } from '../../api/live';
import { useQuery } from '../../api/use-query';
import { setQuery, useLocation } from '../../app/router';
import { DateTime } from '../../components/date-time';
import { ErrorMessage, Loading } from '../../components/status';
import { AsOfState, isAsOfKind } from './as-of-state';
import {
  ENTITY_KINDS,
  HISTORY_QUERY,
  fromJapanLocal,
  isEntityKind,
  roomOf,
  toJapanLocal,
  type EntityKind,
  type HistoryEntryNode,
  type HistoryPage,
} from './audit-types';
import '../consultations/consultations.css';
import './audit.css';

const PAGE_SIZE = 50;

const VERIFY = `query Verify { verifyAuditLog { ok eventCount streamCount verifiedAt
  firstMismatch { streamName revision position reason message }
  checkpoint { sequence position createdAt streamCount merkleRoot digest keyId }
  problems { about code message } notes } }`;

interface Verification {
  ok: boolean;
  eventCount: number;
  streamCount: number;
  verifiedAt: string;
  firstMismatch: { streamName: string; revision: string; position: string; reason: string; message: string } | null;
  checkpoint: { sequence: number; position: string; createdAt: string; streamCount: number; merkleRoot: string; digest: string; keyId: string } | null;
  problems: { about: string; code: string; message: string }[];
  notes: string[];
}

function EntityForm({ kind, id }: { kind: EntityKind | null; id: string }) {
  const { t } = useTranslation('audit');
  const [draftKind, setDraftKind] = useState<string>(kind ?? 'CONSULTATION');
  const [draftId, setDraftId] = useState(id);
  useEffect(() => {
    setDraftKind(kind ?? 'CONSULTATION');
    setDraftId(id);
  }, [kind, id]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery({ entity: draftKind, id: draftId.trim(), asOf: null, org: null, person: null, type: null });
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('entity.form')}>
      <label className="field">
        <span>{t('entity.kind')}</span>
        <select value={draftKind} onChange={(e) => setDraftKind(e.target.value)} data-testid="entity-kind">
          {ENTITY_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('entity.id')}</span>
        <input type="text" value={draftId} onChange={(e) => setDraftId(e.target.value)} required data-testid="entity-id" />
      </label>
      <button type="submit" disabled={draftId.trim() === ''}>
        {t('entity.show')}
      </button>
    </form>
  );
}

/** Every hash chain matched; the only thing missing is a signed checkpoint (a new platform before its first one). */
const chainsIntact = (result: Verification): boolean => result.firstMismatch === null && result.problems.every((p) => p.code === 'NO_CHECKPOINT');

function VerifyPanel() {
  const { t } = useTranslation('audit');
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult((await gql<{ verifyAuditLog: Verification }>(VERIFY)).verifyAuditLog);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="verify-title" className="panel">
      <h2 id="verify-title">{t('verify.title')}</h2>
      <p className="muted">{t('verify.intro')}</p>
      <button type="button" onClick={() => void verify()} disabled={busy} data-testid="verify">
        {busy ? t('verify.running') : t('verify.run')}
      </button>
      <ErrorMessage error={error} />
      <div role="status" aria-live="polite">
        {result && (
          <div
            className={`notice ${result.ok ? 'verify-ok' : chainsIntact(result) ? '' : 'verify-failed'}`}
            data-testid="verify-result"
            data-ok={String(result.ok)}
            data-chains={chainsIntact(result) ? 'intact' : 'broken'}
          >
            <p>
              <strong>{result.ok ? t('verify.ok') : chainsIntact(result) ? t('verify.unsigned') : t('verify.failed')}</strong>{' '}
              {t('verify.counts', { events: result.eventCount.toLocaleString('ja-JP'), streams: result.streamCount.toLocaleString('ja-JP') })} (
              <DateTime value={result.verifiedAt} />)
            </p>
            {result.firstMismatch && (
              <p>
                {t('verify.mismatch', {
                  stream: result.firstMismatch.streamName,
                  revision: result.firstMismatch.revision,
                  reason: result.firstMismatch.reason,
                })}{' '}
                {result.firstMismatch.message}
              </p>
            )}
            {result.checkpoint ? (
              <p>
                {t('verify.checkpoint', { sequence: result.checkpoint.sequence, streams: result.checkpoint.streamCount })}{' '}
                <DateTime value={result.checkpoint.createdAt} />
                <br />
                <code className="hash">{result.checkpoint.merkleRoot}</code>
              </p>
            ) : (
              <p>{t('verify.noCheckpoint')}</p>
            )}
            {result.problems
              .filter((p) => p.code !== 'NO_CHECKPOINT')
              .map((p, i) => (
                <p key={i}>
                  {p.code}: {p.message}
                </p>
              ))}
          </div>
        )}
      </div>
    </section>
  );
}

function ExportPanel({ kind, id }: { kind: EntityKind; id: string }) {
  const { t } = useTranslation('audit');
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState('');
  const download = async (format: 'jsonl' | 'csv') => {
    setError(null);
    setSaved('');
    try {
      const { fileName } = await downloadWithToken(
        `/audit/export?format=${format}&entity=${encodeURIComponent(kind)}&id=${encodeURIComponent(id)}`,
        `kyogi-${kind}-${id}.${format}`,
      );
      setSaved(t('export.saved', { file: fileName }));
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <section aria-labelledby="export-title" className="panel">
      <h2 id="export-title">{t('export.title')}</h2>
      <p className="muted">{t('export.intro')}</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void download('jsonl')} data-testid="export-jsonl">
          {t('export.jsonl')}
        </button>
        <button type="button" className="secondary" onClick={() => void download('csv')} data-testid="export-csv">
          {t('export.csv')}
        </button>
      </div>
      <p role="status" aria-live="polite" className="muted" data-testid="export-status">
        {saved}
      </p>
      <ErrorMessage error={error} />
    </section>
  );
}

function Entry({ entry, onAsOf, lang }: { entry: HistoryEntryNode; onAsOf: ((at: string) => void) | null; lang: string }) {
  const { t } = useTranslation('audit');
  return (
    <li className="timeline-entry" data-testid="timeline-entry" data-type={entry.type}>
      <div className="timeline-head">
        <span className="revision">#{entry.revision}</span>
        <DateTime value={entry.occurredAt} />
        <span className="badge">{entry.type}</span>
        {entry.redacted && <span className="badge redacted">{t('timeline.redacted')}</span>}
      </div>
      <p className="summary">{lang.startsWith('ja') ? entry.summary.ja : entry.summary.en}</p>
      <p className="muted who">
        {t('timeline.who', {
          organisation: entry.actor.organisation?.name ?? entry.actor.organisationId,
          person: entry.actor.personId,
          roles: entry.actor.roles.map((r) => t(`common:roles.${r.toLowerCase()}`, { defaultValue: r })).join('・'),
        })}
      </p>
      <details>
        <summary>{t('timeline.details')}</summary>
        <dl className="facts small">
          <dt>{t('timeline.hash')}</dt>
          <dd>
            <code className="hash">{entry.hash}</code>
          </dd>
          <dt>{t('timeline.previousHash')}</dt>
          <dd>{entry.previousHash ? <code className="hash">{entry.previousHash}</code> : t('timeline.first')}</dd>
          <dt>{t('timeline.position')}</dt>
          <dd>{entry.position}</dd>
          <dt>{t('timeline.recordedAt')}</dt>
          <dd>
            <DateTime value={entry.recordedAt} />
          </dd>
          {entry.correlationId && (
            <>
              <dt>{t('timeline.correlation')}</dt>
              <dd>{entry.correlationId}</dd>
            </>
          )}
        </dl>
      </details>
      {onAsOf && (
        <button type="button" className="secondary" onClick={() => onAsOf(entry.occurredAt)}>
          {t('timeline.showAsOf')}
        </button>
      )}
    </li>
  );
}

function Timeline({
  kind,
  id,
  organisation,
  person,
  type,
  onAsOf,
}: {
  kind: EntityKind;
  id: string;
  organisation: string;
  person: string;
  type: string;
  onAsOf: ((at: string) => void) | null;
}) {
  const { t, i18n } = useTranslation('audit');
  const variables = { entity: kind, id, first: PAGE_SIZE, org: organisation || null, person: person || null, types: type ? [type] : null };
  const { data, error, loading, refetch } = useQuery<HistoryPage>(HISTORY_QUERY, variables);
  const [more, setMore] = useState<{ entries: HistoryEntryNode[]; endCursor: string | null; hasNextPage: boolean } | null>(null);
  const [moreError, setMoreError] = useState<Error | null>(null);
  /** Every actor organisation, person and event type seen, for the filters' choices. */
  const [seen, setSeen] = useState<{ organisations: Map<string, string>; people: Set<string>; types: Set<string> }>({
    organisations: new Map(),
    people: new Set(),
    types: new Set(),
  });
  const [arrived, setArrived] = useState(0);
  const key = JSON.stringify(variables);

  useEffect(() => setMore(null), [key]);
  useEffect(() => {
    setSeen({ organisations: new Map(), people: new Set(), types: new Set() });
  }, [kind, id]);
  const entries = [...(data?.history.edges.map((e) => e.node) ?? []), ...(more?.entries ?? [])];
  useEffect(() => {
    if (entries.length === 0) return;
    setSeen((prev) => {
      const organisations = new Map(prev.organisations);
      const people = new Set(prev.people);
      const types = new Set(prev.types);
      for (const e of entries) {
        organisations.set(e.actor.organisationId, e.actor.organisation?.name ?? e.actor.organisationId);
        people.add(e.actor.personId);
        types.add(e.type);
      }
      const same = organisations.size === prev.organisations.size && people.size === prev.people.size && types.size === prev.types.size;
      return same ? prev : { organisations, people, types };
    });
  }, [data, more]);

  // New events: re-read what is shown (the first page, and the pages loaded after it).
  useLiveRoom(roomOf(kind, id), (signal) => {
    if (signal.kind === 'change') setArrived((n) => n + 1);
    setMore(null);
    void refetch();
  });

  const pageInfo = more ?? (data ? { endCursor: data.history.pageInfo.endCursor, hasNextPage: data.history.pageInfo.hasNextPage } : null);
  const loadMore = async () => {
    if (!pageInfo?.endCursor) return;
    setMoreError(null);
    try {
      const next = await gql<HistoryPage>(HISTORY_QUERY, { ...variables, after: pageInfo.endCursor });
      setMore({
        entries: [...(more?.entries ?? []), ...next.history.edges.map((e) => e.node)],
        endCursor: next.history.pageInfo.endCursor,
        hasNextPage: next.history.pageInfo.hasNextPage,
      });
    } catch (e) {
      setMoreError(e as Error);
    }
  };

  return (
    <section aria-labelledby="timeline-title" className="panel">
      <h2 id="timeline-title">{t('timeline.title')}</h2>
      {data && (
        <p className="muted" data-testid="timeline-count">
          {t('timeline.count', { stream: data.history.streamName, count: data.history.eventCount, shown: entries.length })}
        </p>
      )}
      <p className="muted" role="status" aria-live="polite">
        {arrived > 0 ? t('timeline.liveUpdated', { count: arrived }) : ''}
      </p>
      <form className="inline-form" aria-label={t('filter.label')} onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span>{t('filter.organisation')}</span>
          <select value={organisation} onChange={(e) => setQuery({ org: e.target.value })} data-testid="filter-organisation">
            <option value="">{t('filter.all')}</option>
            {[...seen.organisations.entries()].map(([orgId, name]) => (
              <option key={orgId} value={orgId}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('filter.person')}</span>
          <select value={person} onChange={(e) => setQuery({ person: e.target.value })} data-testid="filter-person">
            <option value="">{t('filter.all')}</option>
            {[...seen.people].sort().map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('filter.type')}</span>
          <select value={type} onChange={(e) => setQuery({ type: e.target.value })} data-testid="filter-type">
            <option value="">{t('filter.all')}</option>
            {[...seen.types].sort().map((ty) => (
              <option key={ty} value={ty}>
                {ty}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorMessage error={error} />
      {loading && !data && <Loading />}
      <ol className="timeline" data-testid="timeline">
        {entries.map((entry) => (
          <Entry key={entry.eventId} entry={entry} onAsOf={onAsOf} lang={i18n.language} />
        ))}
      </ol>
      <ErrorMessage error={moreError} />
      {pageInfo?.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void loadMore()} data-testid="timeline-more">
          {t('common:actions.more')}
        </button>
      )}
    </section>
  );
}

function AsOfPicker({ kind, id, asOf }: { kind: EntityKind; id: string; asOf: string | null }) {
  const { t } = useTranslation('audit');
  const [value, setValue] = useState(asOf ? toJapanLocal(asOf) : '');
  const [invalid, setInvalid] = useState(false);
  useEffect(() => setValue(asOf ? toJapanLocal(asOf) : ''), [asOf]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const iso = fromJapanLocal(value);
    setInvalid(iso === null);
    if (iso) setQuery({ asOf: iso });
  };
  return (
    <section aria-labelledby="as-of-title" className="panel">
      <h2 id="as-of-title">{t('asOf.title')}</h2>
      <form className="inline-form" onSubmit={submit}>
        <label className="field">
          <span>{t('asOf.moment')}</span>
          <input
            type="datetime-local"
            step={1}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-describedby="as-of-hint"
            aria-invalid={invalid}
            data-testid="as-of-input"
          />
        </label>
        <button type="submit" disabled={value === ''} data-testid="as-of-show">
          {t('asOf.show')}
        </button>
        {asOf && (
          <button type="button" className="secondary" onClick={() => setQuery({ asOf: null })}>
            {t('asOf.clear')}
          </button>
        )}
      </form>
      <p id="as-of-hint" className="muted">
        {t('asOf.hint')}
      </p>
      {invalid && <ErrorMessage error={t('asOf.invalid')} />}
      {asOf && <AsOfState kind={kind} id={id} asOf={asOf} />}
    </section>
  );
}

export function AuditPage() {
  const { t } = useTranslation('audit');
  const { search } = useLocation();
  const entity = search.get('entity');
  const kind = isEntityKind(entity) ? entity : null;
  const id = search.get('id') ?? '';
  const asOf = search.get('asOf');
  const organisation = search.get('org') ?? '';
  const person = search.get('person') ?? '';
  const type = search.get('type') ?? '';
  const asOfSupported = kind !== null && isAsOfKind(kind);
  return (
    <section aria-labelledby="page-title" className="audit-page">
      <h1 id="page-title" tabIndex={-1}>
        {t('title')}
      </h1>
      <p>{t('intro')}</p>
      <EntityForm kind={kind} id={id} />
      {entity !== null && kind === null && <ErrorMessage error={t('entity.unknownKind', { kind: entity, kinds: ENTITY_KINDS.join(', ') })} />}
      {kind && id && (
        <>
          {asOfSupported ? <AsOfPicker kind={kind} id={id} asOf={asOf} /> : <p className="muted">{t('asOf.unsupported')}</p>}
          <Timeline
            kind={kind}
            id={id}
            organisation={organisation}
            person={person}
            type={type}
            onAsOf={asOfSupported ? (at) => setQuery({ asOf: at }) : null}
          />
          <ExportPanel kind={kind} id={id} />
        </>
      )}
      <VerifyPanel />
    </section>
  );
}
