/**
 * /auth/callback: where the identity provider sends the browser back. Exchanges the code, keeps
 * the access token as the session and goes on to the page the person signed in from; a refused
 * answer (wrong state, provider error, bad ID token) is shown with a way to start again.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../app/router';
import { ErrorMessage, Loading } from '../components/status';
import { completeIdentityProviderSignIn } from './oidc';
import { OidcError } from './oidc-flow';
import { setSession } from './token';

export function OidcCallback() {
  const { t } = useTranslation();
  const [error, setError] = useState<Error | string | null>(null);

  useEffect(() => {
    let live = true;
    completeIdentityProviderSignIn(location.search)
      .then((signedIn) => {
        setSession({ token: signedIn.token, expiresAt: signedIn.expiresAt });
        navigate(signedIn.returnTo, { replace: true });
      })
      .catch((e: Error) => {
        if (!live) return;
        // Anything else keeps its class, so a server refusal is shown by its code (ErrorMessage).
        setError(e instanceof OidcError ? `${t(`login.oidcErrors.${e.code}`)}\n${e.message}` : e);
      });
    return () => {
      live = false;
    };
  }, [t]);

  return (
    <section className="login" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('login.title')}
      </h1>
      {error ? (
        <>
          <ErrorMessage error={error} />
          <p>
            <a href="/">{t('login.startAgain')}</a>
          </p>
        </>
      ) : (
        <Loading />
      )}
    </section>
  );
}
