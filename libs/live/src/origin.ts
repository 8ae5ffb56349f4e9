/**
 * WebSocket upgrades from browsers carry an Origin header: only the configured origins — and the
 * platform's own pages — may open a live connection (cross-site WebSocket hijacking). Clients
 * without one (servers, CLIs) are not browsers and go on to the token check.
 *
 * A page served by the platform itself is same-origin whatever PORT or host name it is reached
 * by: its Origin names the host the request is addressed to (the Host header, which a page on
 * another site cannot make the browser send with its own Origin). So `npm start` on another port,
 * or behind a proxy that keeps the Host header, needs no ALLOWED_ORIGINS entry for its own pages.
 */
export function originAllowed(origin: string | string[] | undefined, allowed: readonly string[], host?: string | string[]): boolean {
  if (origin === undefined) return true;
  if (typeof origin !== 'string') return false;
  return allowed.includes(origin) || sameOrigin(origin, host);
}

function sameOrigin(origin: string, host: string | string[] | undefined): boolean {
  if (typeof host !== 'string' || host === '') return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
  } catch {
    return false; // "null" and other opaque origins
  }
}
