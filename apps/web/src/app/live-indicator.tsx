import { useTranslation } from 'react-i18next';
import { useLiveStatus } from '../api/live';

/** A quiet dot and word: live, reconnecting (catching up follows by itself), or offline. */
export function LiveIndicator() {
  const { t } = useTranslation();
  const status = useLiveStatus();
  return (
    <span className={`live live-${status}`} role="status" aria-live="polite" data-testid="live-indicator" data-status={status}>
      <span className="live-dot" aria-hidden="true" />
      {t(`live.${status}`)}
    </span>
  );
}
