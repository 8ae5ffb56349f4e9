/**
 * A small router on the History API (no dependency): routes are path patterns with `:params`,
 * declared by each area (app/areas.ts). `navigate` pushes a state and tells the app; links are
 * real <a href> (open in a new tab, copy the address) whose plain clicks stay in the page.
 */
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

export interface RouteMatch {
  readonly params: Readonly<Record<string, string>>;
}

export interface PageRoute {
  /** e.g. `/specs/:specId/versions/:version`; segments are matched whole, params decoded. */
  readonly path: string;
  /** The i18n key of the page's title (document.title and the heading the focus moves to), `area:key`. */
  readonly title: string;
  readonly render: (match: RouteMatch) => ReactNode;
}

const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of [...listeners]) listener();
};
window.addEventListener('popstate', notify);

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
}

const locationKey = () => location.pathname + location.search;

/** The current path and query, re-rendering on navigation. */
export function useLocation(): { pathname: string; search: URLSearchParams } {
  const key = useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, locationKey);
  const url = new URL(key, location.origin);
  return { pathname: url.pathname, search: url.searchParams };
}

/** Replaces the query string (search boxes, chosen revisions) without a new history entry. */
export function setQuery(values: Record<string, string | null>): void {
  const params = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === '') params.delete(key);
    else params.set(key, value);
  }
  const query = params.toString();
  navigate(`${location.pathname}${query ? `?${query}` : ''}`, { replace: true });
}

export function matchPath(pattern: string, pathname: string): RouteMatch | null {
  const want = pattern.split('/').filter(Boolean);
  const have = pathname.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(have[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== have[i]) return null;
  }
  return { params };
}

/** Builds a path from a pattern, encoding each param. */
export function pathTo(pattern: string, params: Record<string, string | number> = {}): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(params[name] ?? '')));
}

export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a {...rest} href={to} onClick={onClick}>
      {children}
    </a>
  );
}
