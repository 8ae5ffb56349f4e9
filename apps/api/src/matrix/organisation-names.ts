import type { Pool } from 'pg';

export interface OrganisationName {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly code: string | null;
  readonly prefectureCode: string | null;
  /** The prefecture's name (北海道), for a prefecture or an organisation in one. */
  readonly prefectureName: string | null;
}

/**
 * How the sheets name an organisation: a municipality after its prefecture (北海道札幌市; there
 * are two 府中市 and two 伊達市), anything else by its name; the id when it is unknown.
 */
export function organisationLabel(organisation: OrganisationName | undefined, id: string): string {
  if (!organisation) return id;
  return organisation.kind === 'municipality' && organisation.prefectureName ? `${organisation.prefectureName}${organisation.name}` : organisation.name;
}

/** The ways a matrix's 団体 may name an organisation: its label, name, code and id. */
export const acceptedNames = (organisation: OrganisationName | undefined, id: string): string[] =>
  [organisationLabel(organisation, id), organisation?.name, organisation?.code, id].filter((n): n is string => typeof n === 'string' && n !== '');

/** Organisations by id, with their prefecture's name (from the organisations read model). */
export async function organisationNames(db: Pool, ids: readonly string[]): Promise<Map<string, OrganisationName>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{
    id: string;
    kind: string;
    name: string;
    code: string | null;
    prefecture_code: string | null;
    prefecture_name: string | null;
  }>(
    `SELECT o.id, o.kind, o.name, o.code, o.prefecture_code,
            (SELECT p.name FROM read_models.organisations p WHERE p.kind = 'prefecture' AND p.prefecture_code = o.prefecture_code
              ORDER BY p.code NULLS LAST LIMIT 1) AS prefecture_name
       FROM read_models.organisations o WHERE o.id = ANY($1::text[])`,
    [[...new Set(ids)]],
  );
  return new Map(
    rows.map((r) => [r.id, { id: r.id, kind: r.kind, name: r.name, code: r.code, prefectureCode: r.prefecture_code, prefectureName: r.prefecture_name }]),
  );
}

/** Prefecture names by their two-digit code. */
export async function prefectureNames(db: Pool): Promise<Map<string, string>> {
  const { rows } = await db.query<{ prefecture_code: string; name: string }>(
    `SELECT DISTINCT ON (prefecture_code) prefecture_code, name FROM read_models.organisations
      WHERE kind = 'prefecture' AND prefecture_code IS NOT NULL ORDER BY prefecture_code, code NULLS LAST`,
  );
  return new Map(rows.map((r) => [r.prefecture_code, r.name]));
}
