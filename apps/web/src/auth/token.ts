/**
 * The session token: in sessionStorage (a tab's session ends with the tab; nothing is shared
 * with other sites), with listeners so that the shell and the live connection follow a sign-in,
 * a sign-out or an expiry.
 */
const KEY = 'kyogi.token';

export interface StoredSession {
  readonly token: string;
  /** ISO time; null when the issuer did not say. */
  readonly expiresAt: string | null;
}

type Listener = (session: StoredSession | null) => void;
const listeners = new Set<Listener>();

function read(): StoredSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof parsed.token !== 'string' || parsed.token === '') return null;
    const expiresAt = typeof parsed.expiresAt === 'string' ? parsed.expiresAt : null;
    if (expiresAt && Date.parse(expiresAt) <= Date.now()) return null; // expired: sign in again
    return { token: parsed.token, expiresAt };
  } catch {
    return null;
  }
}

let current: StoredSession | null = read();

export const currentSession = (): StoredSession | null => current;
export const currentToken = (): string | null => current?.token ?? null;

export function setSession(session: StoredSession | null): void {
  current = session;
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
  for (const listener of [...listeners]) listener(session);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
