/**
 * Token verification: a bearer JWT in, the acting person and organisation out.
 *
 * Issuer, audience and algorithms are pinned; `exp` and `sub` are required. Roles and the
 * organisation kind are checked against the domain's lists and an unknown one refuses the token
 * (never silently dropped: a dropped role could hide a misconfigured identity provider).
 * Failures are TokenErrors with a stable code and a message safe to show a client; the jose error,
 * when there is one, is kept as the non-enumerable `cause` for server logs.
 */
import { ORGANISATION_KINDS, ROLES, type Actor, type OrganisationKind, type Role } from '@kyogi/domain/shared/decider';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';

import { EMBEDDED_ALGORITHM, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from './embedded-issuer';

export interface VerifiedIdentity {
  readonly actor: Actor;
  readonly displayName: string;
  readonly expiresAt: Date;
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedIdentity>;
}

export type TokenErrorCode =
  | 'TOKEN_MISSING'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_INVALID'
  | 'UNKNOWN_ROLE'
  | 'UNKNOWN_ORGANISATION_KIND'
  /** The organisation the token names is not registered in Kyogi, or is no longer active. */
  | 'UNKNOWN_ORGANISATION'
  /** The keys could not be fetched (JWKS endpoint down, timed out, malformed): not the token's fault. */
  | 'VERIFIER_UNAVAILABLE';

const MESSAGES: Record<TokenErrorCode, string> = {
  TOKEN_MISSING: 'No bearer token was given',
  TOKEN_EXPIRED: 'The token has expired',
  TOKEN_INVALID: 'The token is not valid',
  UNKNOWN_ROLE: 'The token carries a role Kyogi does not know',
  UNKNOWN_ORGANISATION_KIND: 'The token does not carry a known organisation kind',
  UNKNOWN_ORGANISATION: 'The token names an organisation that is not registered in Kyogi, or no longer active',
  VERIFIER_UNAVAILABLE: 'Tokens cannot be verified right now; try again later',
};

export class TokenError extends Error {
  override readonly name = 'TokenError';
  constructor(
    readonly code: TokenErrorCode,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    super(detail === undefined ? MESSAGES[code] : `${MESSAGES[code]}: ${detail}`, options);
  }
}

/** `Authorization: Bearer <token>` → the token; anything else (absent, other scheme, malformed) → null. */
export function bearerToken(headerValue: string | undefined): string | null {
  if (typeof headerValue !== 'string') return null;
  const match = /^\s*Bearer +([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(headerValue);
  return match ? match[1]! : null;
}

/** Where the actor's fields come from in the token's payload. */
interface ClaimMapping {
  readonly organisationClaim: string;
  readonly rolesClaim: string;
  readonly organisationKindClaim: string;
  /** When given, the organisation kind comes from here and the claim is ignored. */
  readonly resolveOrganisationKind?: (organisationId: string) => Promise<OrganisationKind | null | undefined>;
  /** Local tokens must carry `name`; OIDC falls back to preferred_username, then sub. */
  readonly requireName: boolean;
}

interface Pins {
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms: readonly string[];
  readonly now: () => Date;
  readonly clockToleranceSeconds: number;
}

const FORBIDDEN_ALGORITHMS = /^(none|HS\d+)$/i;

/** The shared verification path of both verifiers. */
class JoseVerification {
  private readonly getKey: JWTVerifyGetKey;

  constructor(
    keySet: JWTVerifyGetKey,
    private readonly pins: Pins,
    private readonly claims: ClaimMapping,
  ) {
    if (pins.algorithms.length === 0 || pins.algorithms.some((alg) => FORBIDDEN_ALGORITHMS.test(alg))) {
      throw new TypeError('algorithms must be a non-empty list of asymmetric JWS algorithms');
    }
    if (pins.issuer === '' || pins.audience === '') throw new TypeError('issuer and audience must not be empty');
    // A failure to obtain keys is the verifier's problem; "no key matches" is the token's.
    this.getKey = async (header, token) => {
      try {
        return await keySet(header, token);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') throw error;
        throw new TokenError('VERIFIER_UNAVAILABLE', undefined, { cause: error });
      }
    };
  }

  async verify(token: string): Promise<VerifiedIdentity> {
    if (typeof token !== 'string' || token.trim() === '') throw new TokenError('TOKEN_MISSING');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.getKey, {
        issuer: this.pins.issuer,
        audience: this.pins.audience,
        algorithms: [...this.pins.algorithms],
        currentDate: this.pins.now(),
        clockTolerance: this.pins.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      if (error instanceof TokenError) throw error;
      const code = (error as { code?: unknown }).code;
      throw new TokenError(code === 'ERR_JWT_EXPIRED' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID', undefined, { cause: error });
    }
    return this.identity(payload);
  }

  private async identity(payload: JWTPayload): Promise<VerifiedIdentity> {
    const personId = payload.sub;
    if (typeof personId !== 'string' || personId.trim() === '') throw new TokenError('TOKEN_INVALID', 'no subject');

    const organisationId = readClaim(payload, this.claims.organisationClaim);
    if (typeof organisationId !== 'string' || organisationId.trim() === '') {
      throw new TokenError('TOKEN_INVALID', `no organisation in claim ${this.claims.organisationClaim}`);
    }

    let kind: unknown;
    if (this.claims.resolveOrganisationKind) {
      // The registry is the authority: an organisation it does not hold (or holds as inactive) acts for no one.
      kind = await this.resolveKind(organisationId);
      if (kind === undefined || kind === null) throw new TokenError('UNKNOWN_ORGANISATION', quote(organisationId));
      // A kind claim, when the provider sends one, must agree: a disagreement is a misconfigured provider.
      const claimed = readClaim(payload, this.claims.organisationKindClaim);
      if (claimed !== undefined && claimed !== null && claimed !== kind) {
        throw new TokenError('UNKNOWN_ORGANISATION_KIND', `${quote(claimed)}, but ${quote(organisationId)} is registered as ${quote(kind)}`);
      }
    } else {
      kind = readClaim(payload, this.claims.organisationKindClaim);
    }
    if (kind === undefined || kind === null) throw new TokenError('UNKNOWN_ORGANISATION_KIND', 'none given');
    if (!(ORGANISATION_KINDS as readonly unknown[]).includes(kind)) {
      throw new TokenError('UNKNOWN_ORGANISATION_KIND', quote(kind));
    }

    const roles = parseRoles(readClaim(payload, this.claims.rolesClaim), this.claims.rolesClaim);

    const name = payload.name ?? (this.claims.requireName ? undefined : (payload.preferred_username ?? personId));
    if (typeof name !== 'string' || name.trim() === '') throw new TokenError('TOKEN_INVALID', 'no name');

    const actor: Actor = Object.freeze({
      personId,
      organisationId,
      organisationKind: kind as OrganisationKind,
      roles: Object.freeze(roles),
    });
    return Object.freeze({ actor, displayName: name, expiresAt: new Date(payload.exp! * 1000) });
  }

  private async resolveKind(organisationId: string): Promise<unknown> {
    try {
      return await this.claims.resolveOrganisationKind!(organisationId);
    } catch (error) {
      throw new TokenError('VERIFIER_UNAVAILABLE', undefined, { cause: error });
    }
  }
}

function parseRoles(value: unknown, claim: string): Role[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((role) => typeof role !== 'string')) {
    throw new TokenError('TOKEN_INVALID', `claim ${claim} is not a list of roles`);
  }
  const unknown = list.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) throw new TokenError('UNKNOWN_ROLE', unknown.map(quote).join(', '));
  return [...new Set(list as Role[])];
}

/**
 * A claim by exact name first (`https://kyogi.example.jp/org` is one claim), then, if the name
 * has dots, as a path into nested objects (`realm_access.roles`).
 */
function readClaim(payload: JWTPayload, name: string): unknown {
  if (Object.hasOwn(payload, name)) return payload[name];
  if (!name.includes('.')) return undefined;
  let node: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** A token-supplied value for a message: quoted and cut short. */
function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 61)}...` : text);
}

// ---------------------------------------------------------------------------------------------

export interface LocalTokenVerifierOptions {
  /** The embedded issuer's public keys: `issuer.jwks()`. */
  readonly jwks: JSONWebKeySet;
  readonly now?: () => Date;
  readonly clockToleranceSeconds?: number;
}

/** Verifies tokens of the EmbeddedIssuer: its issuer, its audience, ES256, its keys only. */
export class LocalTokenVerifier implements TokenVerifier {
  private readonly verification: JoseVerification;

  constructor(options: LocalTokenVerifierOptions) {
    this.verification = new JoseVerification(
      createLocalJWKSet(options.jwks),
      {
        issuer: EMBEDDED_ISSUER,
        audience: EMBEDDED_AUDIENCE,
        algorithms: [EMBEDDED_ALGORITHM],
        now: options.now ?? (() => new Date()),
        clockToleranceSeconds: options.clockToleranceSeconds ?? 0,
      },
      { organisationClaim: 'org', rolesClaim: 'roles', organisationKindClaim: 'org_kind', requireName: true },
    );
  }

  verify(token: string): Promise<VerifiedIdentity> {
    return this.verification.verify(token);
  }
}

export interface OidcTokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms: readonly string[];
  /** The issuer's JWKS endpoint (fetched and cached by jose). Give this or `keySet`. */
  readonly jwksUrl?: string | URL;
  /** A key set function instead of a URL (tests, or keys obtained another way). */
  readonly keySet?: JWTVerifyGetKey;
  /** Default `org`. Dots walk nested claims when no claim has the literal name. */
  readonly organisationClaim?: string;
  /** Default `roles`. E.g. `resource_access.kyogi-api.roles` for Keycloak client roles. */
  readonly rolesClaim?: string;
  /** Default `org_kind`. */
  readonly organisationKindClaim?: string;
  /**
   * Look the organisation kind up (the platform: in the organisations read model). When given, the
   * kind is the registry's: null (not registered, or inactive) refuses the token
   * (UNKNOWN_ORGANISATION), and a kind claim that disagrees refuses it too (UNKNOWN_ORGANISATION_KIND).
   */
  readonly resolveOrganisationKind?: (organisationId: string) => Promise<OrganisationKind | null | undefined>;
  readonly now?: () => Date;
  readonly clockToleranceSeconds?: number;
  /** Timeout for one JWKS fetch, ms (jose's default 5000). */
  readonly jwksTimeoutMs?: number;
}

export class OidcTokenVerifier implements TokenVerifier {
  private readonly verification: JoseVerification;

  constructor(options: OidcTokenVerifierOptions) {
    if ((options.jwksUrl === undefined) === (options.keySet === undefined)) {
      throw new TypeError('give exactly one of jwksUrl and keySet');
    }
    const keySet =
      options.keySet ??
      createRemoteJWKSet(new URL(String(options.jwksUrl)), {
        ...(options.jwksTimeoutMs === undefined ? {} : { timeoutDuration: options.jwksTimeoutMs }),
      });
    this.verification = new JoseVerification(
      keySet,
      {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: options.algorithms,
        now: options.now ?? (() => new Date()),
        clockToleranceSeconds: options.clockToleranceSeconds ?? 0,
      },
      {
        organisationClaim: options.organisationClaim ?? 'org',
        rolesClaim: options.rolesClaim ?? 'roles',
        organisationKindClaim: options.organisationKindClaim ?? 'org_kind',
        ...(options.resolveOrganisationKind ? { resolveOrganisationKind: options.resolveOrganisationKind } : {}),
        requireName: false,
      },
    );
  }

  verify(token: string): Promise<VerifiedIdentity> {
    return this.verification.verify(token);
  }
}
