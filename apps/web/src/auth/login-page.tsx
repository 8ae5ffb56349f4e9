/**
 * Sign-in. Embedded mode: the seeded demo users, one button each (demoLogin). OIDC: the
 * organisation's identity provider issues the token; this server is not configured with what a
 * browser sign-in needs (a public client id and redirect URI), so the page says so plainly.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Loading } from '../components/status';
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
          <p>{t('login.oidcNotConfigured')}</p>
        </>
      )}
    </section>
  );
}
