import type { Pool } from 'pg';
import type { OrganisationKind } from '@kyogi/domain/shared/decider';

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * The kind of an active, registered organisation, from the organisations read model — what an
 * OIDC token's organisation is checked against (the identity provider says who the person is;
 * Kyogi's registry says which organisations exist). Answers are kept 5 s, so a deactivation
 * takes effect within that time for new requests (live connections end at once: revocations).
 */
export function registryLookup(pool: Pool, now: () => number = Date.now): (organisationId: string) => Promise<OrganisationKind | null> {
  const cache = new Map<string, { kind: OrganisationKind | null; until: number }>();
  return async (organisationId) => {
    const hit = cache.get(organisationId);
    if (hit && hit.until > now()) return hit.kind;
    const { rows } = await pool.query<{ kind: OrganisationKind }>('SELECT kind FROM read_models.organisations WHERE id = $1 AND active', [organisationId]);
    const kind = rows[0]?.kind ?? null;
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(organisationId, { kind, until: now() + TTL_MS });
    return kind;
  };
}
