/**
 * Comment threads beside a change: each comment with its author and organisation, its reactions
 * (agree / disagree, toggled), replies, its author's edit (a new edition; every one is kept) and
 * retraction (with a reason; the comment stays, marked), and — for the spec owner's secretariat —
 * a disposition form with the 意見照会 codes. Every action is a mutation; the page re-reads the proposal at the
 * returned position (and other people's actions arrive through the live room).
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { commandId, mutate, type UserError } from '../../api/graphql';
import { DateTime } from '../../components/date-time';
import { ErrorMessage } from '../../components/status';
import { DISPOSITION_CODES, type CommentNode, type DispositionCode } from './proposal-types';

type Payload = { position: string | null; errors: UserError[] };
export type AfterWrite = (position: string | null) => Promise<void>;

const POST = 'mutation Post($input: PostCommentInput!) { postComment(input: $input) { position errors { code message field } } }';
const REACT = 'mutation React($input: ReactToCommentInput!) { reactToComment(input: $input) { position errors { code message field } } }';
const EDIT = 'mutation Edit($input: EditCommentInput!) { editComment(input: $input) { position errors { code message field } } }';
const RETRACT = 'mutation Retract($input: RetractCommentInput!) { retractComment(input: $input) { position errors { code message field } } }';
const DISPOSE = 'mutation Dispose($input: DisposeCommentInput!) { disposeComment(input: $input) { position errors { code message field } } }';

export interface ThreadPermissions {
  readonly comment: boolean;
  readonly dispose: boolean;
  /** comment.edit and comment.retract, for one's own comments only (the decider checks the author too). */
  readonly edit: boolean;
  readonly retract: boolean;
  /** The signed-in person: whose comments may be edited and retracted. */
  readonly personId: string;
}

/** One textarea and a submit: a new edition of the comment, or the reason for retracting it. */
function OwnCommentForm({ comment, mode, onDone, onCancel }: { comment: CommentNode; mode: 'edit' | 'retract'; onDone: AfterWrite; onCancel: () => void }) {
  const { t } = useTranslation('proposals');
  const id = useId();
  const [text, setText] = useState(mode === 'edit' ? comment.body : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const payload =
        mode === 'edit'
          ? await mutate<Payload>(EDIT, { input: { commandId: commandId(), commentId: comment.id, body: text } })
          : await mutate<Payload>(RETRACT, { input: { commandId: commandId(), commentId: comment.id, reason: text } });
      await onDone(payload.position);
      onCancel();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const unchanged = mode === 'edit' && text === comment.body;
  return (
    <form onSubmit={(e) => void submit(e)} className="comment-form" aria-label={t(mode === 'edit' ? 'comments.editLabel' : 'comments.retractLabel')}>
      <label className="field" htmlFor={id}>
        <span>{t(mode === 'edit' ? 'comments.editBody' : 'comments.retractReason')}</span>
      </label>
      <textarea id={id} value={text} onChange={(e) => setText(e.target.value)} required />
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" disabled={busy || text.trim() === '' || unchanged}>
          {t(mode === 'edit' ? 'comments.saveEdit' : 'comments.confirmRetract')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common:actions.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A form with one textarea that posts a comment (or a reply) on a change. */
export function CommentForm({
  proposalId,
  changeId,
  parentCommentId,
  label,
  onPosted,
  onCancel,
}: {
  proposalId: string;
  changeId: string;
  parentCommentId?: string;
  label: string;
  onPosted: AfterWrite;
  onCancel?: () => void;
}) {
  const { t } = useTranslation('proposals');
  const id = useId();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const payload = await mutate<Payload>(POST, {
        input: { commandId: commandId(), proposalId, anchor: { kind: 'CHANGE', changeId }, parentCommentId: parentCommentId ?? null, body },
      });
      setBody('');
      await onPosted(payload.position);
      onCancel?.();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="comment-form">
      <label className="field" htmlFor={id}>
        <span>{label}</span>
      </label>
      <textarea id={id} value={body} onChange={(e) => setBody(e.target.value)} required />
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" disabled={busy || body.trim() === ''}>
          {parentCommentId ? t('comments.postReply') : t('comments.post')}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            {t('common:actions.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

function DispositionForm({ comment, onDone }: { comment: CommentNode; onDone: AfterWrite }) {
  const { t } = useTranslation('proposals');
  const id = useId();
  const [code, setCode] = useState<DispositionCode>(comment.disposition?.code ?? 'ADDRESS');
  const [answer, setAnswer] = useState(comment.disposition?.answer ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const payload = await mutate<Payload>(DISPOSE, { input: { commandId: commandId(), commentId: comment.id, code, answer } });
      await onDone(payload.position);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="disposition-form" onSubmit={(e) => void submit(e)} aria-label={t('disposition.formLabel')}>
      <fieldset>
        <legend>{t('disposition.legend')}</legend>
        <label className="field">
          <span>{t('disposition.code')}</span>
          <select value={code} onChange={(e) => setCode(e.target.value as DispositionCode)}>
            {DISPOSITION_CODES.map((c) => (
              <option key={c} value={c}>
                {t(`disposition.codes.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field" htmlFor={id}>
          <span>{t('disposition.answer')}</span>
        </label>
        <textarea id={id} value={answer} onChange={(e) => setAnswer(e.target.value)} required />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy || answer.trim() === ''}>
          {comment.disposition ? t('disposition.revise') : t('disposition.record')}
        </button>
      </fieldset>
    </form>
  );
}

function CommentItem({
  comment,
  proposalId,
  changeId,
  permissions,
  onWrite,
  depth,
}: {
  comment: CommentNode;
  proposalId: string;
  changeId: string;
  permissions: ThreadPermissions;
  onWrite: AfterWrite;
  depth: number;
}) {
  const { t } = useTranslation('proposals');
  const [replying, setReplying] = useState(false);
  const [changing, setChanging] = useState<'edit' | 'retract' | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const retracted = comment.status === 'RETRACTED';
  const own = comment.authorPersonId === permissions.personId && !retracted;
  const react = async (reaction: 'AGREE' | 'DISAGREE') => {
    setError(null);
    try {
      const next = comment.myReaction === reaction ? null : reaction; // pressing it again clears it
      const payload = await mutate<Payload>(REACT, { input: { commandId: commandId(), commentId: comment.id, reaction: next } });
      await onWrite(payload.position);
    } catch (e) {
      setError(e as Error);
    }
  };
  const author = `${comment.authorDisplayName ?? comment.authorPersonId}（${comment.authorOrganisation?.name ?? ''}）`;
  return (
    <li className="comment" data-comment-id={comment.id} aria-label={t('comments.by', { author })}>
      <div className="comment-meta">
        <span>{author}</span>
        <DateTime value={comment.postedAt} />
        {comment.edition > 1 && <span>{t('comments.edited', { edition: comment.edition })}</span>}
        {retracted && <span className="badge">{t('comments.retracted')}</span>}
      </div>
      {comment.quote && <blockquote className="muted">{comment.quote.text}</blockquote>}
      <p className="comment-body">{comment.body}</p>
      {retracted && comment.retractionReason && <p className="muted">{t('comments.retractionReason', { reason: comment.retractionReason })}</p>}
      {comment.disposition && (
        <div className="disposition" data-testid="disposition">
          <strong>
            {t('disposition.title')}: {comment.disposition.label}
          </strong>{' '}
          <span className="muted">
            (<DateTime value={comment.disposition.disposedAt} />)
          </span>
          <p className="comment-body">{comment.disposition.answer}</p>
        </div>
      )}
      <div className="actions" role="group" aria-label={t('comments.actions')}>
        <button
          type="button"
          className="secondary"
          aria-pressed={comment.myReaction === 'AGREE'}
          disabled={retracted || !permissions.comment}
          onClick={() => void react('AGREE')}
        >
          {t('comments.agree')} {comment.reactions.agree}
        </button>
        <button
          type="button"
          className="secondary"
          aria-pressed={comment.myReaction === 'DISAGREE'}
          disabled={retracted || !permissions.comment}
          onClick={() => void react('DISAGREE')}
        >
          {t('comments.disagree')} {comment.reactions.disagree}
        </button>
        {permissions.comment && !retracted && !replying && (
          <button type="button" className="secondary" onClick={() => setReplying(true)}>
            {t('comments.reply')}
          </button>
        )}
        {own && permissions.edit && changing === null && (
          <button type="button" className="secondary" onClick={() => setChanging('edit')}>
            {t('comments.edit')}
          </button>
        )}
        {own && permissions.retract && changing === null && (
          <button type="button" className="secondary" onClick={() => setChanging('retract')}>
            {t('comments.retract')}
          </button>
        )}
      </div>
      <ErrorMessage error={error} />
      {own && changing && <OwnCommentForm comment={comment} mode={changing} onDone={onWrite} onCancel={() => setChanging(null)} />}
      {replying && (
        <CommentForm
          proposalId={proposalId}
          changeId={changeId}
          parentCommentId={comment.id}
          label={t('comments.replyTo', { author })}
          onPosted={onWrite}
          onCancel={() => setReplying(false)}
        />
      )}
      {permissions.dispose && depth === 0 && !retracted && <DispositionForm comment={comment} onDone={onWrite} />}
      {comment.replies && comment.replies.length > 0 && (
        <ul className="replies plain-list">
          {comment.replies.map((reply) => (
            <CommentItem
              key={reply.id}
              comment={reply}
              proposalId={proposalId}
              changeId={changeId}
              permissions={permissions}
              onWrite={onWrite}
              depth={depth + 1}
            />
          ))}
        </ul>
      )}
    </li>
  );
}

export function CommentThreads({
  comments,
  proposalId,
  changeId,
  requirementLabel,
  permissions,
  onWrite,
}: {
  comments: CommentNode[];
  proposalId: string;
  changeId: string;
  requirementLabel: string;
  permissions: ThreadPermissions;
  onWrite: AfterWrite;
}) {
  const { t } = useTranslation('proposals');
  return (
    <aside className="threads" aria-label={t('comments.on', { requirement: requirementLabel })}>
      <h4>{t('comments.title', { count: comments.length })}</h4>
      {comments.length > 0 && (
        <ul className="plain-list">
          {comments.map((c) => (
            <CommentItem key={c.id} comment={c} proposalId={proposalId} changeId={changeId} permissions={permissions} onWrite={onWrite} depth={0} />
          ))}
        </ul>
      )}
      {permissions.comment && (
        <CommentForm proposalId={proposalId} changeId={changeId} label={t('comments.new', { requirement: requirementLabel })} onPosted={onWrite} />
      )}
    </aside>
  );
}
