/**
 * Names of organisations the consultation API names only by id (official stances, ladder rounds):
 * read a prefecture at a time (`organisations(prefectureCode:)`, at most 200 per page — 北海道 has
 * 179 municipalities plus itself) and national bodies one by one, and kept for the tab's life
 * (names change only by a new registration).
 */
import { useEffect, useState } from 'react';
import { gql } from '../../api/graphql';

interface OrganisationRow {
  id: string;
  name: string;
  prefectureCode: string | null;
}

const names = new Map<string, string>();
/** prefecture code → its prefecture's name (the 47 are read once). */
const prefectureNames = new Map<string, string>();
const loaded = new Map<string, Promise<void>>();

const PAGE = `query OrganisationNames($p: String, $after: String) {
  organisations(prefectureCode: $p, includeInactive: true, first: 200, after: $after) {
    edges { node { id name prefectureCode } } pageInfo { hasNextPage endCursor }
  }
}`;
const PREFECTURES = 'query Prefectures { organisations(kind: PREFECTURE, includeInactive: true, first: 60) { edges { node { id name prefectureCode } } } }';
const ONE = 'query OrganisationName($id: ID) { organisation(id: $id) { id name prefectureCode } }';

type Page = { organisations: { edges: { node: OrganisationRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

function once(key: string, load: () => Promise<void>): Promise<void> {
  let promise = loaded.get(key);
  if (!promise) {
    promise = load().catch((error: unknown) => {
      loaded.delete(key); // a failed read may be tried again later
      throw error;
    });
    loaded.set(key, promise);
  }
  return promise;
}

const loadPrefecture = (code: string) =>
  once(`p:${code}`, async () => {
    let after: string | null = null;
    for (;;) {
      const data: Page = await gql<Page>(PAGE, { p: code, after });
      for (const { node } of data.organisations.edges) names.set(node.id, node.name);
      if (!data.organisations.pageInfo.hasNextPage) return;
      after = data.organisations.pageInfo.endCursor;
    }
  });

const loadPrefectures = () =>
  once('prefectures', async () => {
    const data = await gql<{ organisations: { edges: { node: OrganisationRow }[] } }>(PREFECTURES);
    for (const { node } of data.organisations.edges) {
      names.set(node.id, node.name);
      if (node.prefectureCode) prefectureNames.set(node.prefectureCode, node.name);
    }
  });

const loadOne = (id: string) =>
  once(`o:${id}`, async () => {
    const data = await gql<{ organisation: OrganisationRow | null }>(ONE, { id });
    if (data.organisation) names.set(id, data.organisation.name);
  });

/**
 * A lookup id → name for these organisations (with their prefecture codes when known), and
 * prefecture code → prefecture name; re-renders as names arrive, falls back to the id.
 */
export function useOrganisationNames(organisations: readonly { organisationId: string; prefectureCode: string | null }[]): {
  nameOf: (id: string) => string;
  prefectureName: (code: string | null) => string | null;
} {
  const [, setVersion] = useState(0);
  const key = organisations
    .map((o) => `${o.organisationId}|${o.prefectureCode ?? ''}`)
    .sort()
    .join(',');
  useEffect(() => {
    let live = true;
    const codes = new Set<string>();
    const singles = new Set<string>();
    for (const entry of key ? key.split(',') : []) {
      const [id, code] = entry.split('|');
      if (names.has(id)) continue;
      if (code) codes.add(code);
      else singles.add(id);
    }
    const work = [loadPrefectures(), ...[...codes].map(loadPrefecture), ...[...singles].map(loadOne)];
    void Promise.allSettled(work).then(() => live && setVersion((v) => v + 1));
    return () => {
      live = false;
    };
  }, [key]);
  return {
    nameOf: (id) => names.get(id) ?? id,
    prefectureName: (code) => (code ? (prefectureNames.get(code) ?? null) : null),
  };
}
