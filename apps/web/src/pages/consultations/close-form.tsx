/**
 * Early close (a coordinator of the opening organisation, with a reason): the outcome is recorded
 * with the tally of that moment. Rounds that reach their closing time close by themselves.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { commandId, mutate, type UserError } from '../../api/graphql';
import { ErrorMessage } from '../../components/status';

const CLOSE = 'mutation CloseConsultation($input: CloseConsultationInput!) { closeConsultation(input: $input) { position errors { code message field } } }';

export function CloseForm({ consultationId, onWritten }: { consultationId: string; onWritten: (position: string | null) => Promise<void> }) {
  const { t } = useTranslation('consultations');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  if (!open)
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        {t('close.open')}
      </button>
    );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const payload = await mutate<{ position: string | null; errors: UserError[] }>(CLOSE, {
        input: { commandId: commandId(), id: consultationId, reason: reason.trim() },
      });
      setOpen(false);
      await onWritten(payload.position);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="notice" onSubmit={(e) => void submit(e)} aria-label={t('close.formLabel')}>
      <label className="field">
        <span>{t('close.reason')}</span>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} required />
      </label>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" disabled={busy || reason.trim() === ''}>
          {t('close.confirm')}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          {t('common:actions.cancel')}
        </button>
      </div>
    </form>
  );
}
