/**
 * Who is signed in. The server says how it authenticates (serverInfo.authMode): the embedded
 * mode offers its demo users (demoLogin), OIDC signs in through the organisation's identity
 * provider (oidc.ts) when the server names a web client id. `me` gives the person, their roles and organisation (the token decides both).
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { gql, mutate, type UserError } from '../api/graphql';
import type { OidcSignInConfig } from './oidc-flow';
import { currentSession, onSessionChange, setSession, type StoredSession } from './token';

export type Role = 'viewer' | 'member' | 'approver' | 'coordinator' | 'admin';
export type OrganisationKind = 'national' | 'prefecture' | 'municipality' | 'vendor' | 'observer';

export interface DemoUser {
  readonly email: string;
  readonly displayName: string;
  readonly organisationId: string;
  readonly description: string;
  readonly roles: readonly string[];
}

export interface ServerInfo {
  readonly authMode: 'EMBEDDED' | 'OIDC';
  readonly demoUsers: readonly DemoUser[];
  /** OIDC with a web client id: sign in through the identity provider (oidc.ts). */
  readonly oidcSignIn: OidcSignInConfig | null;
}

export interface Me {
  readonly personId: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly organisation: { readonly id: string; readonly name: string; readonly kind: OrganisationKind } | null;
}

interface SessionState {
  readonly serverInfo: ServerInfo | null;
  readonly serverError: string | null;
  readonly session: StoredSession | null;
  readonly me: Me | null;
  readonly signInAs: (email: string) => Promise<void>;
  readonly signOut: () => void;
}

const SessionContext = createContext<SessionState | null>(null);

const SERVER_INFO =
  'query ServerInfo { serverInfo { authMode demoUsers { email displayName organisationId description roles } oidcSignIn { issuer clientId scopes } } }';
const ME = 'query Me { me { personId displayName roles organisation { id name kind } } }';
const DEMO_LOGIN = 'mutation DemoLogin($email: String!) { demoLogin(email: $email) { token expiresAt errors { code message field } } }';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [serverInfo, setServerInfo] = useState<ServerInfo | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [session, setLocalSession] = useState<StoredSession | null>(currentSession());
  const [me, setMe] = useState<Me | null>(null);

  useEffect(() => onSessionChange(setLocalSession), []);

  useEffect(() => {
    gql<{ serverInfo: ServerInfo }>(SERVER_INFO)
      .then((data) => setServerInfo(data.serverInfo))
      .catch((error: Error) => setServerError(error.message));
  }, []);

  useEffect(() => {
    if (!session) {
      setMe(null);
      return;
    }
    let live = true;
    gql<{
      me:
        | (Omit<Me, 'roles' | 'organisation'> & { roles: string[]; organisation: (Omit<NonNullable<Me['organisation']>, 'kind'> & { kind: string }) | null })
        | null;
    }>(ME)
      .then(({ me: found }) => {
        if (!live) return;
        if (!found) return setSession(null);
        setMe({
          ...found,
          roles: found.roles.map((r) => r.toLowerCase() as Role),
          organisation: found.organisation ? { ...found.organisation, kind: found.organisation.kind.toLowerCase() as OrganisationKind } : null,
        });
      })
      .catch(() => undefined); // an UNAUTHENTICATED answer already ended the session
    return () => {
      live = false;
    };
  }, [session]);

  const signInAs = useCallback(async (email: string) => {
    const payload = await mutate<{ token: string | null; expiresAt: string | null; errors: UserError[] }>(DEMO_LOGIN, { email });
    if (payload.token) setSession({ token: payload.token, expiresAt: payload.expiresAt });
  }, []);

  const signOut = useCallback(() => setSession(null), []);

  return <SessionContext.Provider value={{ serverInfo, serverError, session, me, signInAs, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The signed-in person (pages are only rendered once `me` is known). */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe before sign-in');
  return me;
}
