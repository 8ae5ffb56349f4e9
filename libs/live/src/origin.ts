/**
 * WebSocket upgrades from browsers carry an Origin header: only the configured origins may open
 * a live connection (cross-site WebSocket hijacking). Clients without one (servers, CLIs) are not
 * browsers and go on to the token check.
 */
export function originAllowed(origin: string | string[] | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  return typeof origin === 'string' && allowed.includes(origin);
}
