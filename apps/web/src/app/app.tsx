/**
 * The shell: skip link, header (navigation, language and calendar, the person and organisation,
 * the live indicator, sign-out), and the page of the current route in <main>. On navigation the
 * focus moves to the new page's heading, so that screen readers announce it.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { AREAS } from './areas';
import { Link, matchPath, useLocation, navigate } from './router';
import { LiveIndicator } from './live-indicator';
import { LoginPage } from '../auth/login-page';
import { OidcCallback } from '../auth/oidc-callback';
import { CALLBACK_PATH } from '../auth/oidc-flow';
import { useSession } from '../auth/session';
import { setLanguage, type Language } from '../i18n/i18n';
import { setCalendar, useCalendar, type Calendar } from '../format/dates';
import { Loading, NotFound } from '../components/status';

const ROUTES = AREAS.flatMap((area) => area.routes);
const HOME = AREAS[0]?.nav[0]?.path ?? '/';

export function App() {
  const { t, i18n } = useTranslation();
  const { session, me, signOut } = useSession();
  const { pathname } = useLocation();
  const calendar = useCalendar();
  const mainRef = useRef<HTMLElement>(null);

  const found = useMemo(() => {
    for (const route of ROUTES) {
      const match = matchPath(route.path, pathname);
      if (match) return { route, match };
    }
    return null;
  }, [pathname]);

  useEffect(() => {
    if (pathname === '/' && session) navigate(HOME, { replace: true });
  }, [pathname, session]);

  // The document title follows the page; focus moves to the heading after a navigation (not on first load).
  const firstRender = useRef(true);
  useEffect(() => {
    const title = found ? t(found.route.title) : session ? t('notFound.title') : t('login.title');
    document.title = `${title} — ${t('appName')}`;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    heading?.focus();
  }, [pathname, found, session, t]);

  const roles = me?.roles ?? [];
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="app-header">
        <div className="brand">
          <Link to={session ? HOME : '/'}>{t('appName')}</Link>
        </div>
        {session && me && (
          <nav aria-label={t('nav.label')}>
            <ul>
              {AREAS.flatMap((area) =>
                area.nav
                  .filter((entry) => !entry.roles || entry.roles.some((r) => roles.includes(r as never)))
                  .map((entry) => (
                    <li key={entry.path}>
                      <Link to={entry.path} aria-current={pathname === entry.path || pathname.startsWith(`${entry.path}/`) ? 'page' : undefined}>
                        {t(`${area.name}:${entry.label}`)}
                      </Link>
                    </li>
                  )),
              )}
            </ul>
          </nav>
        )}
        <div className="header-tools">
          <LiveIndicator />
          <label>
            <span className="label-text">{t('language')}</span>
            <select value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)} data-testid="language">
              <option value="ja">日本語</option>
              <option value="en">English</option>
            </select>
          </label>
          <label>
            <span className="label-text">{t('calendar.label')}</span>
            <select value={calendar} onChange={(e) => setCalendar(e.target.value as Calendar)} data-testid="calendar">
              <option value="gregorian">{t('calendar.gregorian')}</option>
              <option value="japanese">{t('calendar.japanese')}</option>
            </select>
          </label>
          {me && (
            <div className="who" data-testid="who">
              <span className="who-name">{me.displayName}</span>
              <span className="who-org">{me.organisation?.name}</span>
            </div>
          )}
          {session && (
            <button type="button" onClick={signOut}>
              {t('signOut')}
            </button>
          )}
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {!session ? (
          pathname === CALLBACK_PATH ? (
            <OidcCallback />
          ) : (
            <LoginPage />
          )
        ) : !me ? (
          <Loading />
        ) : found ? (
          found.route.render(found.match)
        ) : (
          <NotFound what={pathname} />
        )}
      </main>
      <footer className="app-footer">
        <p>{t('footer')}</p>
      </footer>
    </>
  );
}
