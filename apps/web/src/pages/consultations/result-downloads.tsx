/**
 * The result sheet (GET /consultations/:id/results.xlsx|csv): fetched with the bearer token and
 * saved as a file. A hidden round has no sheet until it closes (the server refuses it too).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadWithToken } from '../../api/download';
import { ErrorMessage } from '../../components/status';

export function ResultDownloads({ consultationId, available, position }: { consultationId: string; available: boolean; position: string }) {
  const { t } = useTranslation('consultations');
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState('');
  const download = async (file: 'results.xlsx' | 'results.csv') => {
    setError(null);
    setSaved('');
    try {
      // waitFor: the sheet shows at least what this page shows.
      const { fileName } = await downloadWithToken(
        `/consultations/${encodeURIComponent(consultationId)}/${file}?waitFor=${encodeURIComponent(position)}`,
        `${consultationId}-${file}`,
      );
      setSaved(t('downloads.saved', { file: fileName }));
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <section aria-labelledby="downloads-title" className="panel">
      <h2 id="downloads-title">{t('downloads.title')}</h2>
      {!available && <p className="muted">{t('downloads.hiddenUntilClose')}</p>}
      <div className="actions">
        <button type="button" className="secondary" disabled={!available} onClick={() => void download('results.xlsx')} data-testid="download-xlsx">
          {t('downloads.xlsx')}
        </button>
        <button type="button" className="secondary" disabled={!available} onClick={() => void download('results.csv')} data-testid="download-csv">
          {t('downloads.csv')}
        </button>
      </div>
      <p role="status" aria-live="polite" className="muted">
        {saved}
      </p>
      <ErrorMessage error={error} />
    </section>
  );
}
