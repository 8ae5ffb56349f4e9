/**
 * One proposal: its state and the actions the reader may take (submit, revise, withdraw, accept
 * or reject), every change as a diff of the requirement's text with its comment threads beside
 * it, and two revisions side by side. Live: the page watches the room proposal:<id>, re-reads at
 * the change's position, and says quietly what arrived.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { commandId, mutate, type UserError } from '../../api/graphql';
import { useLiveRoom } from '../../api/live';
import { useQuery } from '../../api/use-query';
import { Link, pathTo } from '../../app/router';
import { may } from '../../auth/permissions';
import { useMe } from '../../auth/session';
import { DateTime } from '../../components/date-time';
import { diffText } from '../../components/diff-segments';
import { DiffView } from '../../components/diff-view';
import { ErrorMessage, Loading, NotFound } from '../../components/status';
import { useFormatDate } from '../../format/dates';
import { SPEC_PATHS } from '../specs/paths';
import { CommentThreads } from './comment-thread';
import { PROPOSAL_QUERY, type CommentNode, type ProposalNode } from './proposal-types';
import { RevisionCompare } from './revision-compare';
import { PROPOSAL_PATHS } from './paths';

type Payload = { position: string | null; errors: UserError[] };

function DecisionForm({ proposal, onDone }: { proposal: ProposalNode; onDone: (position: string | null) => Promise<void> }) {
  const { t } = useTranslation('proposals');
  const [rationale, setRationale] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const decide = async (event: FormEvent, outcome: 'accept' | 'reject') => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const field = outcome === 'accept' ? 'acceptProposal' : 'rejectProposal';
      const payload = await mutate<Payload>(
        `mutation Decide($input: DecideProposalInput!) { ${field}(input: $input) { position errors { code message field } } }`,
        { input: { commandId: commandId(), proposalId: proposal.id, revision: proposal.currentRevision, rationale } },
      );
      await onDone(payload.position);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="notice" onSubmit={(e) => void decide(e, 'accept')} aria-label={t('decision.formLabel')}>
      <label className="field">
        <span>{t('decision.rationale')}</span>
        <textarea value={rationale} onChange={(e) => setRationale(e.target.value)} required />
      </label>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" disabled={busy || !rationale.trim()}>
          {t('decision.accept')}
        </button>
        <button type="button" className="secondary" disabled={busy || !rationale.trim()} onClick={(e) => void decide(e, 'reject')}>
          {t('decision.reject')}
        </button>
      </div>
    </form>
  );
}

function WithdrawForm({ proposalId, onDone }: { proposalId: string; onDone: (position: string | null) => Promise<void> }) {
  const { t } = useTranslation('proposals');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error | null>(null);
  if (!open)
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        {t('withdraw.open')}
      </button>
    );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const payload = await mutate<Payload>(
        'mutation W($input: WithdrawProposalInput!) { withdrawProposal(input: $input) { position errors { code message field } } }',
        {
          input: { commandId: commandId(), proposalId, reason },
        },
      );
      setOpen(false);
      await onDone(payload.position);
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <form className="notice" onSubmit={(e) => void submit(e)}>
      <label className="field">
        <span>{t('withdraw.reason')}</span>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} required />
      </label>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" disabled={!reason.trim()}>
          {t('withdraw.confirm')}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          {t('common:actions.cancel')}
        </button>
      </div>
    </form>
  );
}

export function ProposalPage({ proposalId }: { proposalId: string }) {
  const { t } = useTranslation('proposals');
  const me = useMe();
  const format = useFormatDate();
  const { data, error, loading, refetch } = useQuery<{ proposal: ProposalNode | null }>(PROPOSAL_QUERY, { id: proposalId });
  const [lastUpdate, setLastUpdate] = useState<{ change: string; at: Date } | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);

  useLiveRoom(`proposal:${proposalId}`, (signal) => {
    if (signal.kind === 'change') {
      setLastUpdate({ change: signal.change.change, at: new Date() });
      void refetch({ waitFor: signal.change.position });
    } else void refetch();
  });
  const afterWrite = async (position: string | null) => refetch(position ? { waitFor: position } : {});

  if (error && !data) return <ErrorMessage error={error} />;
  if (loading && !data) return <Loading />;
  const p = data?.proposal;
  if (!p) return <NotFound what={proposalId} />;

  const ownOrganisation = me.organisation?.id === p.authorOrganisationId;
  const open = p.status === 'DRAFTED' || p.status === 'SUBMITTED';
  const mayRevise = ownOrganisation && open && may(me, 'proposal.revise');
  const maySubmit = p.status === 'DRAFTED' && may(me, 'proposal.submit', p.authorOrganisationId);
  const mayWithdraw = ownOrganisation && open && may(me, 'proposal.withdraw');
  const mayDecide = p.status === 'SUBMITTED' && !!p.spec && may(me, 'proposal.decide', p.spec.ownerOrganisationId);
  const permissions = {
    comment: may(me, 'comment.post'),
    dispose: !!p.spec && may(me, 'comment.dispose', p.spec.ownerOrganisationId),
    edit: may(me, 'comment.edit'),
    retract: may(me, 'comment.retract'),
    personId: me.personId,
  };

  const submit = async () => {
    setActionError(null);
    try {
      const payload = await mutate<Payload>(
        'mutation S($input: SubmitProposalInput!) { submitProposal(input: $input) { position errors { code message field } } }',
        {
          input: { commandId: commandId(), proposalId: p.id },
        },
      );
      await afterWrite(payload.position);
    } catch (e) {
      setActionError(e as Error);
    }
  };

  const threadsFor = (changeId: string, requirementId: string): CommentNode[] =>
    p.comments.filter((c) => c.anchor.changeId === changeId || (c.anchor.kind === 'REQUIREMENT' && c.anchor.requirementId === requirementId));

  return (
    <article aria-labelledby="page-title">
      <nav className="breadcrumbs" aria-label={t('specs:breadcrumbs')}>
        <ol>
          <li>
            <Link to={PROPOSAL_PATHS.list}>{t('list.title')}</Link>
          </li>
          <li aria-current="page">{p.title}</li>
        </ol>
      </nav>
      <h1 id="page-title" tabIndex={-1}>
        {p.title}
      </h1>
      <p className="muted" role="status" aria-live="polite" data-testid="live-update">
        {lastUpdate ? t('live.updated', { time: format(lastUpdate.at), change: t(`events.${lastUpdate.change}`, { defaultValue: lastUpdate.change }) }) : ''}
      </p>
      <dl className="proposal-facts">
        <dt>{t('fields.status')}</dt>
        <dd>
          <span className={`badge status-${p.status}`} data-testid="proposal-status">
            {t(`status.${p.status}`)}
          </span>
        </dd>
        <dt>{t('fields.spec')}</dt>
        <dd>
          <Link to={pathTo(SPEC_PATHS.version, { specId: p.specId, version: p.specVersion })}>
            {p.spec?.title ?? p.specId} {t('specs:version.name', { version: p.specVersion })}
          </Link>
        </dd>
        <dt>{t('fields.author')}</dt>
        <dd>{p.authorOrganisation?.name ?? p.authorOrganisationId}</dd>
        <dt>{t('fields.revision')}</dt>
        <dd>{t('revision', { n: p.currentRevision })}</dd>
        <dt>{t('fields.draftedAt')}</dt>
        <dd>
          <DateTime value={p.draftedAt} />
        </dd>
        {p.submittedAt && (
          <>
            <dt>{t('fields.submittedAt')}</dt>
            <dd>
              <DateTime value={p.submittedAt} />
            </dd>
          </>
        )}
      </dl>
      {p.decision && (
        <div className="notice">
          <strong>{t(`status.${p.decision.outcome}`)}</strong> (<DateTime value={p.decision.decidedAt} />
          ): {p.decision.rationale}
        </div>
      )}
      {p.withdrawal && (
        <div className="notice">
          <strong>{t('status.WITHDRAWN')}</strong> (<DateTime value={p.withdrawal.withdrawnAt} />
          ): {p.withdrawal.reason}
        </div>
      )}
      {p.incorporatedInVersion && <div className="notice">{t('incorporatedIn', { version: p.incorporatedInVersion })}</div>}
      <div className="actions">
        {mayRevise && (
          <Link className="button-link" to={pathTo(PROPOSAL_PATHS.edit, { proposalId: p.id })}>
            {t('actions.revise')}
          </Link>
        )}
        {maySubmit && (
          <button type="button" onClick={() => void submit()}>
            {t('actions.submit')}
          </button>
        )}
        {mayWithdraw && <WithdrawForm proposalId={p.id} onDone={afterWrite} />}
      </div>
      <ErrorMessage error={actionError} />
      {mayDecide && <DecisionForm proposal={p} onDone={afterWrite} />}

      <section aria-labelledby="changes-h">
        <h2 id="changes-h">{t('changes.title', { count: p.diff.changes.length })}</h2>
        {p.diff.changes.map((c) => {
          const label = `${c.requirementId} ${c.requirementTitle ?? ''}`.trim();
          return (
            <div key={c.changeId} className="change-row" data-change-id={c.changeId}>
              <section aria-labelledby={`change-${c.changeId}`}>
                <div className="change-head">
                  <h3 id={`change-${c.changeId}`}>{label}</h3>
                  <span className="badge">{t(`kind.${c.kind}`)}</span>
                </div>
                <DiffView segments={diffText(c.before, c.after)} label={t('changes.diffLabel', { requirement: label })} />
                <p>
                  <strong>{t('fields.reason')}:</strong> {c.reason}
                </p>
              </section>
              <CommentThreads
                comments={threadsFor(c.changeId, c.requirementId)}
                proposalId={p.id}
                changeId={c.changeId}
                requirementLabel={label}
                permissions={permissions}
                onWrite={afterWrite}
              />
            </div>
          );
        })}
      </section>
      {p.revisions.length > 1 && <RevisionCompare proposalId={p.id} revisions={p.revisions.map((r) => r.revision)} version={p.currentRevision} />}
    </article>
  );
}
