/**
 * The browser's side of the OIDC sign-in (oidc-flow.ts has the flow itself): what the tab keeps
 * between leaving for the identity provider and coming back (sessionStorage, this tab only), the
 * redirect out, and the callback's one-time completion.
 */
import { beginSignIn, completeSignIn, discover, type OidcSignInConfig, type PendingSignIn, type SignedIn } from './oidc-flow';

const PENDING_KEY = 'kyogi.oidc.pending';

/** Reads and forgets the pending sign-in: a callback can use it once. */
function takePending(): PendingSignIn | null {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as PendingSignIn;
  } catch {
    return null;
  }
}

/** Leaves for the identity provider's sign-in page; comes back at /auth/callback. */
export async function redirectToIdentityProvider(config: OidcSignInConfig, returnTo: string): Promise<void> {
  const discovery = await discover(config.issuer);
  const { url, pending } = await beginSignIn(config, discovery, location.origin, returnTo);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  location.assign(url);
}

// React's StrictMode runs effects twice in development: both runs share the one completion.
let completion: { search: string; result: Promise<SignedIn> } | null = null;

/** Completes the sign-in the callback URL's query answers, once per query. */
export function completeIdentityProviderSignIn(search: string): Promise<SignedIn> {
  if (completion?.search !== search) completion = { search, result: completeSignIn(search, takePending(), new Date()) };
  return completion.result;
}
