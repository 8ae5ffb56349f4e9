import { useTranslation } from 'react-i18next';
import { GraphQLRequestError, UserErrorsError } from '../api/graphql';

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status">
      {t('loading')}
    </p>
  );
}

/** A failure in words: the server's message for a user error (it names the field and the rule), a plain sentence otherwise. */
export function ErrorMessage({ error }: { error: Error | string | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  let text: string;
  if (typeof error === 'string') text = error;
  else if (error instanceof UserErrorsError) text = error.message;
  else if (error instanceof GraphQLRequestError && error.code === 'NETWORK') text = t('errors.network');
  else if (error instanceof GraphQLRequestError && error.code === 'FORBIDDEN') text = `${t('errors.forbidden')} ${error.message}`;
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
