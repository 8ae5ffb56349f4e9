/**
 * Sign-in. Embedded mode: the seeded demo users, one button each (demoLogin). OIDC: a button that
 * leaves for the organisation's identity provider (authorization code with PKCE, oidc.ts) when the
 * server names the web client's public client id; without one the page says so plainly.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Loading } from '../components/status';
import { redirectToIdentityProvider } from './oidc';
import { OidcError } from './oidc-flow';
import { useSession } from './session';

export function LoginPage() {
  const { t } = useTranslation();
  const { serverInfo, serverError, signInAs } = useSession();
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const signIn = async (email: string) => {
    setBusy(email);
    setError(null);
    try {
      await signInAs(email);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(null);
    }
  };

  const signInWithProvider = async () => {
    if (!serverInfo?.oidcSignIn) return;
    setBusy('oidc');
    setError(null);
    try {
      await redirectToIdentityProvider(serverInfo.oidcSignIn, location.pathname + location.search);
      // The page is leaving: stay busy.
    } catch (e) {
      setError(e instanceof OidcError ? new Error(`${t(`login.oidcErrors.${e.code}`)}\n${e.message}`) : (e as Error));
      setBusy(null);
    }
  };

  return (
    <section className="login" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('login.title')}
      </h1>
      {serverError && <ErrorMessage error={serverError} />}
      {!serverInfo && !serverError && <Loading />}
      {serverInfo?.authMode === 'EMBEDDED' && (
        <>
          <p>{t('login.embeddedIntro')}</p>
          <ErrorMessage error={error} />
          {serverInfo.demoUsers.length === 0 ? (
            <p>{t('login.noDemoUsers')}</p>
          ) : (
            <ul className="demo-users">
              {serverInfo.demoUsers.map((user) => (
                <li key={user.email}>
                  <button type="button" className="demo-user" onClick={() => void signIn(user.email)} disabled={busy !== null} data-email={user.email}>
                    <span className="demo-name">{user.displayName}</span>
                    <span className="demo-email">{user.email}</span>
                    <span className="demo-desc">{user.description}</span>
                    <span className="demo-roles">{user.roles.map((r) => t(`roles.${r.toLowerCase()}`)).join('・')}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {serverInfo?.authMode === 'OIDC' && (
        <>
          <p>{t('login.oidcIntro')}</p>
          {serverInfo.oidcSignIn ? (
            <>
              <ErrorMessage error={error} />
              <button type="button" onClick={() => void signInWithProvider()} disabled={busy !== null} data-testid="oidc-sign-in">
                {t('login.oidcSignIn')}
              </button>
            </>
          ) : (
            <p>{t('login.oidcNotConfigured')}</p>
          )}
        </>
      )}
    </section>
  );
}
