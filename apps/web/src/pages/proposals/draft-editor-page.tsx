/**
 * The draft editor: choose a spec version, then for each change a requirement and a kind, edit
 * the proposed text and see, as you type, the requirement's text before and the diff. Saving
 * drafts a new proposal (draftProposal) or revises an existing one (reviseProposal: the whole
 * list of changes, keeping each changeId so that comments stay attached); the author
 * organisation's approver can then submit it.
 */
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { commandId, gql, mutate, type UserError } from '../../api/graphql';
import { useQuery } from '../../api/use-query';
import { Link, navigate, pathTo, useLocation } from '../../app/router';
import { may } from '../../auth/permissions';
import { useMe } from '../../auth/session';
import { diffText } from '../../components/diff-segments';
import { DiffView } from '../../components/diff-view';
import { ErrorMessage, Loading, NotFound } from '../../components/status';
import type { RequirementNode } from '../specs/spec-version-page';
import type { ChangeKind } from './proposal-types';
import { PROPOSAL_PATHS } from './paths';

interface EditedChange {
  /** Stable React key. */
  readonly key: string;
  /** Kept from the proposal when revising; null for a new change (the server derives one). */
  readonly changeId: string | null;
  readonly kind: ChangeKind;
  readonly requirementId: string;
  readonly after: string;
  readonly reason: string;
}

const SPECS = 'query EditorSpecs { specs(first: 200) { edges { node { id title versions { version } } } } }';
const REQUIREMENTS = `query EditorRequirements($specId: ID!, $version: String!, $after: String) {
  specVersion(specId: $specId, version: $version) {
    requirements(first: 200, after: $after) { pageInfo { hasNextPage endCursor } edges { node { requirementId title text category categoryLabel } } }
  }
}`;
const EXISTING = `query EditorProposal($id: ID!, $waitFor: Position) {
  proposal(id: $id, waitFor: $waitFor) {
    id title status specId specVersion authorOrganisationId currentRevision
    changes { changeId kind requirementId after reason }
  }
}`;
const DRAFT = 'mutation Draft($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id } position errors { code message field } } }';
const REVISE =
  'mutation Revise($input: ReviseProposalInput!) { reviseProposal(input: $input) { proposal { id currentRevision } position errors { code message field } } }';
const SUBMIT = 'mutation Submit($input: SubmitProposalInput!) { submitProposal(input: $input) { position errors { code message field } } }';

interface SpecsData {
  specs: { edges: { node: { id: string; title: string; versions: { version: string }[] } }[] };
}
interface ExistingData {
  proposal: {
    id: string;
    title: string;
    status: string;
    specId: string;
    specVersion: string;
    authorOrganisationId: string;
    currentRevision: number;
    changes: { changeId: string; kind: ChangeKind; requirementId: string; after: string | null; reason: string }[];
  } | null;
}

let keys = 0;
const newKey = () => `c${++keys}`;

/** Every requirement of a version (pages of 200). */
function useRequirements(specId: string, version: string): { list: RequirementNode[] | null; error: Error | null } {
  const [list, setList] = useState<RequirementNode[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    setList(null);
    setError(null);
    if (!specId || !version) return;
    let live = true;
    (async () => {
      const all: RequirementNode[] = [];
      let after: string | null = null;
      for (;;) {
        const data: {
          specVersion: { requirements: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: RequirementNode }[] } } | null;
        } = await gql(REQUIREMENTS, { specId, version, after });
        if (!data.specVersion) break;
        all.push(...data.specVersion.requirements.edges.map((e) => e.node));
        if (!data.specVersion.requirements.pageInfo.hasNextPage) break;
        after = data.specVersion.requirements.pageInfo.endCursor;
      }
      if (live) setList(all);
    })().catch((e: Error) => live && setError(e));
    return () => {
      live = false;
    };
  }, [specId, version]);
  return { list, error };
}

function ChangeEditor({
  change,
  index,
  requirements,
  onChange,
  onRemove,
}: {
  change: EditedChange;
  index: number;
  requirements: RequirementNode[];
  onChange: (next: EditedChange) => void;
  onRemove: (() => void) | null;
}) {
  const { t } = useTranslation('proposals');
  const id = useId();
  const [filter, setFilter] = useState('');
  const current = requirements.find((r) => r.requirementId === change.requirementId) ?? null;
  const before = change.kind === 'ADD' ? '' : (current?.text ?? '');
  const after = change.kind === 'DELETE' ? '' : change.after;
  const segments = useMemo(() => diffText(before, after), [before, after]);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const matching = f ? requirements.filter((r) => `${r.requirementId} ${r.title} ${r.text}`.toLowerCase().includes(f)) : requirements;
    // Keep the chosen one in the list even when the filter hides it.
    return current && !matching.includes(current) ? [current, ...matching] : matching;
  }, [filter, requirements, current]);

  const choose = (requirementId: string) => {
    const chosen = requirements.find((r) => r.requirementId === requirementId);
    // Start from the current text: a modification is an edit of it.
    onChange({ ...change, requirementId, after: change.after === '' || change.after === (current?.text ?? '') ? (chosen?.text ?? '') : change.after });
  };

  return (
    <fieldset className="change-editor" data-testid="change-editor">
      <legend>{t('editor.change', { n: index + 1 })}</legend>
      <div className="inline-form">
        <label className="field" htmlFor={`${id}-kind`}>
          <span>{t('editor.kind')}</span>
          <select id={`${id}-kind`} value={change.kind} onChange={(e) => onChange({ ...change, kind: e.target.value as ChangeKind })}>
            {(['MODIFY', 'ADD', 'DELETE'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {change.kind === 'ADD' ? (
          <label className="field" htmlFor={`${id}-newid`}>
            <span>{t('editor.newRequirementId')}</span>
            <input
              id={`${id}-newid`}
              type="text"
              value={change.requirementId}
              onChange={(e) => onChange({ ...change, requirementId: e.target.value })}
              required
            />
          </label>
        ) : (
          <>
            <label className="field" htmlFor={`${id}-filter`}>
              <span>{t('editor.filterRequirements')}</span>
              <input id={`${id}-filter`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
            </label>
            <label className="field" htmlFor={`${id}-req`}>
              <span>{t('editor.requirement')}</span>
              <select id={`${id}-req`} value={change.requirementId} onChange={(e) => choose(e.target.value)} required data-testid="requirement-select">
                <option value="">{t('editor.chooseRequirement')}</option>
                {shown.map((r) => (
                  <option key={r.requirementId} value={r.requirementId}>
                    {r.requirementId} {r.title}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        {onRemove && (
          <button type="button" className="secondary" onClick={onRemove}>
            {t('editor.removeChange', { n: index + 1 })}
          </button>
        )}
      </div>
      <div className="editor-grid">
        <div>
          <h3>{t('editor.before')}</h3>
          <p className="before-text" data-testid="before-text">
            {change.kind === 'ADD' ? t('editor.noBefore') : before || t('editor.chooseRequirement')}
          </p>
        </div>
        <div>
          <label className="field" htmlFor={`${id}-after`}>
            <span>{t('editor.after')}</span>
          </label>
          {change.kind === 'DELETE' ? (
            <p className="muted">{t('editor.deleteHint')}</p>
          ) : (
            <textarea
              id={`${id}-after`}
              value={change.after}
              onChange={(e) => onChange({ ...change, after: e.target.value })}
              rows={6}
              required
              data-testid="after-text"
            />
          )}
        </div>
      </div>
      <h3>{t('editor.diff')}</h3>
      <DiffView segments={segments} label={t('editor.diff')} />
      <label className="field" htmlFor={`${id}-reason`}>
        <span>{t('fields.reason')}</span>
      </label>
      <textarea
        id={`${id}-reason`}
        value={change.reason}
        onChange={(e) => onChange({ ...change, reason: e.target.value })}
        rows={3}
        required
        data-testid="reason"
      />
    </fieldset>
  );
}

export function DraftEditorPage({ proposalId }: { proposalId: string | null }) {
  const { t } = useTranslation('proposals');
  const me = useMe();
  const { search } = useLocation();
  const specs = useQuery<SpecsData>(SPECS, {});
  // Right after drafting, the edit page reads the draft at the position the draft was written (read-your-writes).
  const existing = useQuery<ExistingData>(EXISTING, { id: proposalId ?? '', waitFor: search.get('waitFor') }, { skip: proposalId === null });

  const [specId, setSpecId] = useState(search.get('specId') ?? '');
  const [version, setVersion] = useState(search.get('version') ?? '');
  const [title, setTitle] = useState('');
  const [changes, setChanges] = useState<EditedChange[]>(() => [
    { key: newKey(), changeId: null, kind: 'MODIFY', requirementId: search.get('requirementId') ?? '', after: '', reason: '' },
  ]);
  const [loadedRevision, setLoadedRevision] = useState<number | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const requirements = useRequirements(specId, version);

  // Revising: start from the current revision.
  const proposal = existing.data?.proposal ?? null;
  useEffect(() => {
    if (!proposal || loadedRevision === proposal.currentRevision) return;
    setLoadedRevision(proposal.currentRevision);
    setSpecId(proposal.specId);
    setVersion(proposal.specVersion);
    setTitle(proposal.title);
    setChanges(
      proposal.changes.map((c) => ({
        key: newKey(),
        changeId: c.changeId,
        kind: c.kind,
        requirementId: c.requirementId,
        after: c.after ?? '',
        reason: c.reason,
      })),
    );
  }, [proposal, loadedRevision]);

  // A requirement chosen from the spec page: prefill its text once the list is there.
  useEffect(() => {
    if (!requirements.list) return;
    setChanges((list) =>
      list.map((c) =>
        c.kind === 'MODIFY' && c.after === '' && c.requirementId
          ? { ...c, after: requirements.list!.find((r) => r.requirementId === c.requirementId)?.text ?? '' }
          : c,
      ),
    );
  }, [requirements.list]);

  if (proposalId && existing.loading && !existing.data) return <Loading />;
  if (proposalId && existing.error) return <ErrorMessage error={existing.error} />;
  if (proposalId && existing.data && !proposal) return <NotFound what={proposalId} />;

  const spec = specs.data?.specs.edges.find((e) => e.node.id === specId)?.node ?? null;
  const mayDraft = may(me, 'proposal.draft');
  const maySubmit = may(me, 'proposal.submit', proposal?.authorOrganisationId ?? me.organisation?.id);

  const input = () =>
    changes.map((c) => ({
      ...(c.changeId ? { changeId: c.changeId } : {}),
      kind: c.kind,
      requirementId: c.requirementId.trim(),
      after: c.kind === 'DELETE' ? null : c.after,
      reason: c.reason,
    }));

  const save = async (event?: FormEvent): Promise<{ id: string; position: string | null } | null> => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      if (proposal) {
        const payload = await mutate<{ proposal: { id: string; currentRevision: number } | null; position: string | null; errors: UserError[] }>(REVISE, {
          input: { commandId: commandId(), proposalId: proposal.id, title, changes: input() },
        });
        await existing.refetch(payload.position ? { waitFor: payload.position } : {});
        setSaved(t('editor.savedRevision', { n: payload.proposal?.currentRevision ?? '' }));
        return { id: proposal.id, position: payload.position };
      }
      const payload = await mutate<{ proposal: { id: string } | null; position: string | null; errors: UserError[] }>(DRAFT, {
        input: { commandId: commandId(), specId, specVersion: version, title, changes: input() },
      });
      const id = payload.proposal!.id;
      // Go on editing the saved draft: revisions from here on.
      const query = payload.position ? `?${new URLSearchParams({ waitFor: payload.position })}` : '';
      navigate(`${pathTo(PROPOSAL_PATHS.edit, { proposalId: id })}${query}`, { replace: true });
      return { id, position: payload.position };
    } catch (e) {
      setError(e as Error);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (!proposal) return;
    setBusy(true);
    setError(null);
    try {
      await mutate(SUBMIT, { input: { commandId: commandId(), proposalId: proposal.id } });
      navigate(pathTo(PROPOSAL_PATHS.proposal, { proposalId: proposal.id }));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  if (!mayDraft) return <ErrorMessage error={t('editor.notAllowed')} />;
  // Only the author organisation revises, and only before a decision (the server checks it too).
  if (proposal && (proposal.authorOrganisationId !== me.organisation?.id || !['DRAFTED', 'SUBMITTED'].includes(proposal.status))) {
    return <ErrorMessage error={t('editor.notReviseable')} />;
  }
  const headingKey = proposal ? 'editor.editTitle' : 'editor.newTitle';

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t(headingKey)}
      </h1>
      {proposal && (
        <p>
          <Link to={pathTo(PROPOSAL_PATHS.proposal, { proposalId: proposal.id })}>{t('editor.viewProposal')}</Link> ・ {t(`status.${proposal.status}`)} ・{' '}
          {t('revision', { n: proposal.currentRevision })}
        </p>
      )}
      <form onSubmit={(e) => void save(e)}>
        <div className="inline-form">
          <label className="field">
            <span>{t('editor.spec')}</span>
            <select
              value={specId}
              disabled={!!proposal}
              onChange={(e) => {
                setSpecId(e.target.value);
                setVersion('');
              }}
              required
              data-testid="spec-select"
            >
              <option value="">{t('editor.chooseSpec')}</option>
              {specs.data?.specs.edges.map(({ node }) => (
                <option key={node.id} value={node.id}>
                  {node.title}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('editor.version')}</span>
            <select value={version} disabled={!!proposal || !spec} onChange={(e) => setVersion(e.target.value)} required data-testid="version-select">
              <option value="">{t('editor.chooseVersion')}</option>
              {spec?.versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {t('specs:version.name', { version: v.version })}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="field">
          <span>{t('fields.title')}</span>
          <input type="text" value={title} onChange={(e) => setTitle(e.target.value)} required data-testid="proposal-title" />
        </label>
        <ErrorMessage error={specs.error ?? requirements.error} />
        {specId && version && !requirements.list && !requirements.error && <Loading />}
        {requirements.list &&
          changes.map((change, index) => (
            <ChangeEditor
              key={change.key}
              change={change}
              index={index}
              requirements={requirements.list!}
              onChange={(next) => setChanges((list) => list.map((c) => (c.key === change.key ? next : c)))}
              onRemove={changes.length > 1 ? () => setChanges((list) => list.filter((c) => c.key !== change.key)) : null}
            />
          ))}
        {requirements.list && (
          <button
            type="button"
            className="secondary"
            onClick={() => setChanges((list) => [...list, { key: newKey(), changeId: null, kind: 'MODIFY', requirementId: '', after: '', reason: '' }])}
          >
            {t('editor.addChange')}
          </button>
        )}
        <ErrorMessage error={error} />
        {saved && (
          <p className="notice" role="status">
            {saved}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={busy || !requirements.list} data-testid="save-draft">
            {proposal ? t('editor.saveRevision') : t('editor.saveDraft')}
          </button>
          {proposal?.status === 'DRAFTED' && maySubmit && (
            <button type="button" className="secondary" disabled={busy} onClick={() => void submit()}>
              {t('actions.submit')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
