import { useTranslation } from 'react-i18next';
import { GraphQLRequestError, UserErrorsError, type UserError } from '../api/graphql';
import { DownloadError } from '../api/download';
import { formatUserError, type ShownError } from '../i18n/errors';

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status">
      {t('loading')}
    </p>
  );
}

/**
 * Server refusals as the page shows them: the translated sentence for each code, then the
 * server's own (English) message as smaller detail, so nothing is lost (i18n/errors.ts).
 */
export function UserErrorList({ errors, testId }: { errors: readonly UserError[]; testId?: string }) {
  const { i18n } = useTranslation();
  if (errors.length === 0) return null;
  return (
    <div className="error" role="alert" data-testid={testId}>
      {errors.map((e, i) => (
        <ShownErrorLines key={i} shown={formatUserError(e, i18n)} />
      ))}
    </div>
  );
}

function ShownErrorLines({ shown }: { shown: ShownError }) {
  return (
    <>
      <p>{shown.sentence}</p>
      {shown.detail && (
        <p className="error-detail" lang="en">
          {shown.detail}
        </p>
      )}
    </>
  );
}

/** A failure in words: user errors by their codes (UserErrorList), a known request-level code likewise, a plain sentence otherwise. */
export function ErrorMessage({ error }: { error: Error | string | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof UserErrorsError) return <UserErrorList errors={error.errors} />;
  let text: string;
  if (typeof error === 'string') text = error;
  else if (error instanceof GraphQLRequestError && error.code === 'NETWORK') text = t('errors.network');
  else if (error instanceof GraphQLRequestError && error.code !== null)
    return <UserErrorList errors={[{ code: error.code, message: error.message, field: null }]} />;
  // A refused download's message already starts with its code (DownloadError), which the detail keeps.
  else if (error instanceof DownloadError && error.code !== null) return <UserErrorList errors={[{ code: error.code, message: error.message, field: null }]} />;
  else text = error.message;
  return (
    <div className="error" role="alert">
      {text.split('\n').map((line, i) => (
        <p key={i}>{line}</p>
      ))}
    </div>
  );
}

export function NotFound({ what }: { what: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('notFound.title')}
      </h1>
      <p>{t('notFound.body', { what })}</p>
    </section>
  );
}
