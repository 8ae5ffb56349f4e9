/**
 * The character diff of diff-segments.ts, shown: insertions and deletions are marked with <ins>/<del> and a hidden text label for screen readers.
 */
import { useTranslation } from 'react-i18next';
import type { Segment } from './diff-segments';

export function DiffView({ segments, label }: { segments: readonly Segment[]; label?: string }) {
  const { t } = useTranslation();
  const changed = segments.some((s) => s.op !== 'EQUAL');
  return (
    <div className="diff" role="group" aria-label={label ?? t('diff.label')} data-testid="diff">
      {segments.map((s, i) =>
        s.op === 'INSERT' ? (
          <ins key={i}>
            <span className="sr-only">{t('diff.inserted')}</span>
            {s.text}
          </ins>
        ) : s.op === 'DELETE' ? (
          <del key={i}>
            <span className="sr-only">{t('diff.deleted')}</span>
            {s.text}
          </del>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
      {!changed && <span className="muted"> {t('diff.noChange')}</span>}
    </div>
  );
}
