import fc from 'fast-check';
import { Actor, Role, ROLES } from '../shared/decider';
import { DeciderSpecification } from '../testing/decider-spec';
import { AddMember, AddMemberData, ChangeMemberRoles, DeactivateOrganisation, RegisterOrganisation, RegisterOrganisationData } from './organisations.commands';
import { organisationDecider } from './organisations.decider';
import {
  MemberAdded,
  MemberRolesChanged,
  OrganisationDeactivated,
  OrganisationEvent,
  OrganisationRegistered,
  OrganisationRegisteredData,
  organisationStreamName,
} from './organisations.events';

const spec = DeciderSpecification.for(organisationDecider);

// Actors
const system: Actor = { personId: 'system', organisationId: 'digital-agency', organisationKind: 'national', roles: ['admin'] };
const micAdmin: Actor = { personId: 'p-mic-admin', organisationId: 'mic', organisationKind: 'national', roles: ['admin', 'coordinator'] };
const micMember: Actor = { personId: 'p-mic-member', organisationId: 'mic', organisationKind: 'national', roles: ['member', 'coordinator'] };
const sapporoAdmin: Actor = { personId: 'p-sapporo-admin', organisationId: '011002', organisationKind: 'municipality', roles: ['admin'] };
const sapporoMember: Actor = { personId: 'p-sapporo-member', organisationId: '011002', organisationKind: 'municipality', roles: ['member', 'approver'] };
const hakodateAdmin: Actor = { personId: 'p-hakodate-admin', organisationId: '012025', organisationKind: 'municipality', roles: ['admin'] };
const hokkaidoAdmin: Actor = { personId: 'p-hokkaido-admin', organisationId: '010006', organisationKind: 'prefecture', roles: ['admin', 'coordinator'] };

const metadata = (actor: Actor) => ({ commandId: '01JQ7Z0000000000000000CMD1', now: new Date('2025-04-01T00:00:00Z'), actor });

// Organisations, as registration data
const sapporo: OrganisationRegisteredData = {
  organisationId: '011002',
  kind: 'municipality',
  name: '札幌市',
  nameKana: 'さっぽろし',
  code: '011002',
  prefectureCode: '01',
  parentId: '010006',
  active: true,
  population: 1_960_000,
};
const tokyo: OrganisationRegisteredData = {
  organisationId: '130001',
  kind: 'prefecture',
  name: '東京都',
  nameKana: 'とうきょうと',
  code: '130001',
  prefectureCode: '13',
  parentId: null,
  active: true,
  population: null,
};
const digitalAgency: OrganisationRegisteredData = {
  organisationId: 'digital-agency',
  kind: 'national',
  name: 'デジタル庁',
  nameKana: 'デジタルチョウ',
  code: null,
  prefectureCode: null,
  parentId: null,
  active: true,
  population: null,
};
const vendor: OrganisationRegisteredData = {
  ...digitalAgency,
  organisationId: '01JQ7Z8K3M4N5P6Q7R8S9T0V1W',
  kind: 'vendor',
  name: '株式会社サンプル',
  nameKana: null,
};
const observer: OrganisationRegisteredData = { ...digitalAgency, organisationId: 'citizens-watch', kind: 'observer', name: '市民監視の会', nameKana: null };
const shikotan: OrganisationRegisteredData = {
  ...sapporo,
  organisationId: '016951',
  code: '016951',
  name: '色丹村',
  nameKana: 'しこたんむら',
  active: false,
  population: null,
};

// Commands
const registerOrganisation = (data: Partial<RegisterOrganisationData> = {}, actor: Actor = system): RegisterOrganisation => ({
  type: 'RegisterOrganisation',
  data: { ...sapporo, ...data },
  metadata: metadata(actor),
});
const taro: AddMemberData = { organisationId: '011002', personId: 'p-taro', displayName: '札幌 太郎', email: 'taro@city.sapporo.lg.jp', roles: ['member'] };
const addMember = (data: Partial<AddMemberData> = {}, actor: Actor = sapporoAdmin): AddMember => ({
  type: 'AddMember',
  data: { ...taro, ...data },
  metadata: metadata(actor),
});
const changeMemberRoles = (roles: readonly Role[], actor: Actor = sapporoAdmin, personId = 'p-taro'): ChangeMemberRoles => ({
  type: 'ChangeMemberRoles',
  data: { organisationId: '011002', personId, roles },
  metadata: metadata(actor),
});
const deactivateOrganisation = (reason = '北方領土: 施政権が及ばないため', actor: Actor = system): DeactivateOrganisation => ({
  type: 'DeactivateOrganisation',
  data: { organisationId: '011002', reason },
  metadata: metadata(actor),
});

// Events
const registered = (data: OrganisationRegisteredData = sapporo): OrganisationRegistered => ({ type: 'OrganisationRegistered', data });
const memberAdded = (data: Partial<MemberAdded['data']> = {}): MemberAdded => ({ type: 'MemberAdded', data: { ...taro, ...data } });
const rolesChanged = (roles: readonly Role[]): MemberRolesChanged => ({
  type: 'MemberRolesChanged',
  data: { organisationId: '011002', personId: 'p-taro', roles },
});
const deactivated = (reason = '北方領土: 施政権が及ばないため'): OrganisationDeactivated => ({
  type: 'OrganisationDeactivated',
  data: { organisationId: '011002', reason },
});

describe('Organisation decider', () => {
  it('lives in streams named Organisation-<id>', () => {
    expect(organisationDecider.category).toBe('Organisation');
    expect(organisationStreamName('011002')).toBe('Organisation-011002');
  });

  describe('when the organisation is not registered yet', () => {
    const given = spec.given([]);

    describe('registering', () => {
      it.each([
        ['a municipality, id = code, parent = its prefecture', sapporo],
        ['a prefecture', tokyo],
        [
          'a Tokyo special ward',
          { ...sapporo, organisationId: '131016', code: '131016', name: '千代田区', nameKana: 'ちよだく', prefectureCode: '13', parentId: '130001' },
        ],
        ['a national body with a slug id', { ...digitalAgency, organisationId: 'mic', name: '総務省', nameKana: 'そうむしょう' }],
        ['a vendor with a ULID id', vendor],
        ['an observer', observer],
        ['an inactive municipality (a Northern Territories village)', shikotan],
      ])('registers %s', (_, data) => {
        given.when(registerOrganisation(data)).then([registered(data)]);
      });

      it('bootstraps: the system actor (admin, national) registers デジタル庁 itself', () => {
        given.when(registerOrganisation(digitalAgency, system)).then([registered(digitalAgency)]);
      });

      it('lets any national admin register, not only デジタル庁', () => {
        given.when(registerOrganisation(sapporo, micAdmin)).then([registered(sapporo)]);
      });

      it('trims the name and the kana', () => {
        given.when(registerOrganisation({ name: ' 札幌市　', nameKana: ' さっぽろし ' })).then([registered(sapporo)]);
      });

      it.each([
        ['a municipal admin', sapporoAdmin],
        ['a prefectural admin', hokkaidoAdmin],
        ['a national member who is not admin', micMember],
      ])('is forbidden to %s', (_, actor) => {
        given.when(registerOrganisation(sapporo, actor)).thenFails('FORBIDDEN');
      });

      it('rejects an unknown kind', () => {
        given.when(registerOrganisation({ kind: 'city' as never })).thenFails('INVALID_KIND', 'kind');
      });

      describe('a prefecture or municipality code', () => {
        it.each([
          ['with a wrong check digit', { organisationId: '011003', code: '011003' }],
          ['that is not six digits', { organisationId: '11002', code: '11002' }],
          ['that is missing', { code: null }],
          ['outside prefectures 01-47 (48, check digit valid)', { organisationId: '482005', code: '482005', prefectureCode: '48' }],
          ['of prefecture 00 (check digit valid)', { organisationId: '001007', code: '001007', prefectureCode: '00' }],
          ["that is a prefecture's, for a municipality", { organisationId: '010006', code: '010006', parentId: '010006' }],
        ])('rejects a municipality code %s', (_, data) => {
          given.when(registerOrganisation(data)).thenFails('INVALID_LOCAL_GOV_CODE', 'code');
        });

        it('names the rule and the expected digit', () => {
          const decision = organisationDecider.decide(registerOrganisation({ organisationId: '011003', code: '011003' }), organisationDecider.initialState());
          expect(decision).toMatchObject({ message: expect.stringContaining('expected last digit 2, got 3') });
        });

        it('rejects a prefecture code without 000 in digits 3-5', () => {
          given.when(registerOrganisation({ ...tokyo, organisationId: '131016', code: '131016' })).thenFails('INVALID_LOCAL_GOV_CODE', 'code');
        });

        it('rejects an id other than the code', () => {
          given.when(registerOrganisation({ organisationId: 'sapporo' })).thenFails('INVALID_ORGANISATION_ID', 'organisationId');
          given.when(registerOrganisation({ ...tokyo, organisationId: '13' })).thenFails('INVALID_ORGANISATION_ID', 'organisationId');
        });

        it.each([
          ["another prefecture's", '13'],
          ['missing', null],
          ['three digits', '011'],
        ])('rejects a prefectureCode that is %s', (_, prefectureCode) => {
          given.when(registerOrganisation({ prefectureCode })).thenFails('INVALID_PREFECTURE_CODE', 'prefectureCode');
        });

        it.each([
          ['missing', null],
          ["another prefecture's", '130001'],
          ['the 2-digit prefecture code', '01'],
        ])("rejects a municipality's parent that is %s", (_, parentId) => {
          given.when(registerOrganisation({ parentId })).thenFails('INVALID_PARENT', 'parentId');
        });

        it('rejects a parent for a prefecture', () => {
          given.when(registerOrganisation({ ...tokyo, parentId: 'digital-agency' })).thenFails('INVALID_PARENT', 'parentId');
        });
      });

      describe('a national body, vendor or observer', () => {
        it.each([
          ['a code', { code: '011002' }, 'INVALID_LOCAL_GOV_CODE', 'code'],
          ['a prefectureCode', { prefectureCode: '13' }, 'INVALID_PREFECTURE_CODE', 'prefectureCode'],
          ['a parent', { parentId: 'digital-agency' }, 'INVALID_PARENT', 'parentId'],
        ])('rejects %s', (_, data, code, field) => {
          for (const base of [digitalAgency, vendor, observer]) {
            given.when(registerOrganisation({ ...base, ...data })).thenFails(code, field);
          }
        });

        it.each([
          ['upper case', 'Digital-Agency'],
          ['a space', 'digital agency'],
          ['too short', 'd'],
          ['too long', 'a'.repeat(65)],
          ['six digits, reserved for 全国地方公共団体コード', '011002'],
          ['a ULID in lower case but with a forbidden letter (u)', '01jq7z8k3m4n5p6q7r8s9t0u1w'.toUpperCase()],
          ['empty', ''],
        ])('rejects an id with %s', (_, organisationId) => {
          given.when(registerOrganisation({ ...vendor, organisationId })).thenFails('INVALID_ORGANISATION_ID', 'organisationId');
        });

        it('accepts a slug of exactly 2 and 64 characters', () => {
          for (const organisationId of ['ab', 'a'.repeat(64)]) {
            given.when(registerOrganisation({ ...vendor, organisationId })).then([registered({ ...vendor, organisationId })]);
          }
        });
      });

      it.each([
        ['empty', ''],
        ['blank', ' \u3000 '],
        ['201 characters', 'あ'.repeat(201)],
        ['not a string', null as never],
      ])('rejects a name that is %s', (_, name) => {
        given.when(registerOrganisation({ name })).thenFails('INVALID_NAME', 'name');
      });

      it('accepts a name of 200 characters, counting 𠮷 (outside the BMP) once', () => {
        const name = '𠮷'.repeat(200);
        given.when(registerOrganisation({ name })).then([registered({ ...sapporo, name })]);
      });

      it.each([
        ['latin', 'sapporo-shi'],
        ['kanji', '札幌市'],
        ['empty', ''],
      ])('rejects nameKana in %s', (_, nameKana) => {
        given.when(registerOrganisation({ nameKana })).thenFails('INVALID_NAME_KANA', 'nameKana');
      });

      it('accepts katakana with ・ and ー, and a null nameKana', () => {
        given.when(registerOrganisation({ nameKana: 'サッポロ・シー' })).then([registered({ ...sapporo, nameKana: 'サッポロ・シー' })]);
        given.when(registerOrganisation({ nameKana: null })).then([registered({ ...sapporo, nameKana: null })]);
      });

      it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects population %p', (population) => {
        given.when(registerOrganisation({ population })).thenFails('INVALID_POPULATION', 'population');
      });

      it('accepts population 0 and null', () => {
        given.when(registerOrganisation({ population: 0 })).then([registered({ ...sapporo, population: 0 })]);
        given.when(registerOrganisation({ population: null })).then([registered({ ...sapporo, population: null })]);
      });
    });

    it('cannot add a member', () => {
      given.when(addMember()).thenFails('ORGANISATION_NOT_FOUND', 'organisationId');
    });

    it("cannot change a member's roles", () => {
      given.when(changeMemberRoles(['viewer'])).thenFails('ORGANISATION_NOT_FOUND', 'organisationId');
    });

    it('cannot be deactivated', () => {
      given.when(deactivateOrganisation()).thenFails('ORGANISATION_NOT_FOUND', 'organisationId');
    });
  });

  describe('when the organisation is registered', () => {
    const given = spec.given([registered(sapporo)]);

    it('cannot be registered again, not even with the same data', () => {
      given.when(registerOrganisation(sapporo)).thenFails('ORGANISATION_ALREADY_REGISTERED', 'organisationId');
    });

    describe('adding a member', () => {
      it('adds the member when its own admin asks', () => {
        given.when(addMember()).then([memberAdded()]);
      });

      it('adds the member when a national admin asks', () => {
        given.when(addMember({}, micAdmin)).then([memberAdded()]);
      });

      it('stores the roles in the canonical order of ROLES and trims the display name', () => {
        given
          .when(addMember({ roles: ['admin', 'viewer', 'approver'], displayName: ' 札幌 太郎 ' }))
          .then([memberAdded({ roles: ['viewer', 'approver', 'admin'] })]);
      });

      it.each([
        ['a member of the organisation without admin', sapporoMember],
        ['an admin of another municipality', hakodateAdmin],
        ['an admin of its prefecture', hokkaidoAdmin],
        ['a national member who is not admin', micMember],
      ])('is forbidden to %s', (_, actor) => {
        given.when(addMember({}, actor)).thenFails('FORBIDDEN');
      });

      it.each([
        ['empty', []],
        ['unknown', ['member', 'mayor']],
        ['repeated', ['member', 'member']],
      ])('rejects roles that are %s', (_, roles) => {
        given.when(addMember({ roles: roles as Role[] })).thenFails('INVALID_ROLES', 'roles');
      });

      it.each([
        'taro',
        'taro@',
        '@city.sapporo.lg.jp',
        'taro@localhost',
        'ta ro@city.sapporo.lg.jp',
        'taro@city..jp',
        'taro@city.jp.',
        `${'a'.repeat(250)}@x.jp`,
      ])('rejects the email %j', (email) => {
        given.when(addMember({ email })).thenFails('INVALID_EMAIL', 'email');
      });

      it('rejects a blank display name', () => {
        given.when(addMember({ displayName: '  ' })).thenFails('INVALID_DISPLAY_NAME', 'displayName');
      });

      it.each(['', ' p-taro', 'p'.repeat(256)])('rejects the person id %j', (personId) => {
        given.when(addMember({ personId })).thenFails('INVALID_PERSON_ID', 'personId');
      });
    });

    it('cannot change the roles of someone who is not a member', () => {
      given.when(changeMemberRoles(['viewer'])).thenFails('MEMBER_NOT_FOUND', 'personId');
    });

    describe('deactivating', () => {
      it('deactivates it with a trimmed reason when a national admin asks', () => {
        given.when(deactivateOrganisation(' 合併により消滅 ')).then([deactivated('合併により消滅')]);
      });

      it('is forbidden to its own admin', () => {
        given.when(deactivateOrganisation('reason', sapporoAdmin)).thenFails('FORBIDDEN');
      });

      it.each(['', '   ', 'x'.repeat(2001)])('requires a reason of up to 2000 characters, not %j', (reason) => {
        given.when(deactivateOrganisation(reason)).thenFails('INVALID_REASON', 'reason');
      });
    });

    it("refuses (throws) a command whose organisationId is not this stream's: a bug in the caller", () => {
      const state = [registered(sapporo)].reduce(organisationDecider.evolve, organisationDecider.initialState());
      expect(() => organisationDecider.decide(addMember({ organisationId: '012025' }, micAdmin), state)).toThrow(/012025/);
    });
  });

  describe('when the member exists', () => {
    const given = spec.given([registered(sapporo), memberAdded({ roles: ['member', 'approver'] })]);

    it('cannot add the same person again, not even with the same data (retries are the store’s job)', () => {
      given.when(addMember({ roles: ['member', 'approver'] })).thenFails('MEMBER_ALREADY_EXISTS', 'personId');
    });

    it('adds another person', () => {
      given
        .when(addMember({ personId: 'p-hanako', email: 'hanako@city.sapporo.lg.jp' }))
        .then([memberAdded({ personId: 'p-hanako', email: 'hanako@city.sapporo.lg.jp' })]);
    });

    it('changes the roles', () => {
      given.when(changeMemberRoles(['coordinator', 'member'])).then([rolesChanged(['member', 'coordinator'])]);
    });

    it('decides nothing for the same roles, in any order', () => {
      given.when(changeMemberRoles(['approver', 'member'])).thenNothing();
    });

    it('compares with the latest roles, not the first ones', () => {
      spec
        .given([registered(sapporo), memberAdded({ roles: ['member', 'approver'] }), rolesChanged(['viewer'])])
        .when(changeMemberRoles(['member', 'approver']))
        .then([rolesChanged(['member', 'approver'])]);
    });

    it('rejects invalid roles before looking at the current ones', () => {
      given.when(changeMemberRoles([])).thenFails('INVALID_ROLES', 'roles');
      given.when(changeMemberRoles(['approver', 'approver'])).thenFails('INVALID_ROLES', 'roles');
    });

    it('lets a national admin change them, and nobody else but its own admins', () => {
      given.when(changeMemberRoles(['viewer'], micAdmin)).then([rolesChanged(['viewer'])]);
      given.when(changeMemberRoles(['viewer'], sapporoMember)).thenFails('FORBIDDEN');
      given.when(changeMemberRoles(['viewer'], hokkaidoAdmin)).thenFails('FORBIDDEN');
    });

    it('decides nothing for any ordering of the current roles (property)', () => {
      const roleSet = fc.subarray([...ROLES], { minLength: 1 });
      fc.assert(
        fc.property(
          roleSet.chain((roles) => fc.tuple(fc.constant(roles), fc.shuffledSubarray(roles, { minLength: roles.length }))),
          ([roles, shuffled]) => {
            spec
              .given([registered(sapporo), memberAdded({ roles })])
              .when(changeMemberRoles(shuffled))
              .thenNothing();
          },
        ),
      );
    });
  });

  describe('when the organisation is inactive', () => {
    const givenDeactivated = spec.given([registered(sapporo), memberAdded(), deactivated()]);
    const givenRegisteredInactive = spec.given([registered({ ...sapporo, active: false })]);

    it('cannot be deactivated again', () => {
      givenDeactivated.when(deactivateOrganisation()).thenFails('ORGANISATION_INACTIVE', 'organisationId');
      givenRegisteredInactive.when(deactivateOrganisation()).thenFails('ORGANISATION_INACTIVE', 'organisationId');
    });

    it('takes no new members', () => {
      givenDeactivated.when(addMember({ personId: 'p-hanako' })).thenFails('ORGANISATION_INACTIVE', 'organisationId');
      givenRegisteredInactive.when(addMember()).thenFails('ORGANISATION_INACTIVE', 'organisationId');
    });

    it("does not change members' roles", () => {
      givenDeactivated.when(changeMemberRoles(['viewer'])).thenFails('ORGANISATION_INACTIVE', 'organisationId');
    });

    it('still cannot be registered again', () => {
      givenDeactivated.when(registerOrganisation(sapporo)).thenFails('ORGANISATION_ALREADY_REGISTERED');
    });
  });

  describe('evolve', () => {
    const fold = (events: readonly OrganisationEvent[]) => events.reduce(organisationDecider.evolve, organisationDecider.initialState());

    it('starts unregistered', () => {
      expect(organisationDecider.initialState()).toEqual({ status: 'unregistered' });
    });

    it('keeps what decisions need: id, kind, active and each member’s roles', () => {
      expect(fold([registered(sapporo), memberAdded({ roles: ['member'] }), rolesChanged(['approver']), deactivated()])).toEqual({
        status: 'registered',
        organisationId: '011002',
        kind: 'municipality',
        active: false,
        members: new Map([['p-taro', ['approver']]]),
      });
    });

    it('does not mutate the previous state', () => {
      const before = fold([registered(sapporo)]);
      fold([registered(sapporo), memberAdded()]);
      const after = organisationDecider.evolve(before, memberAdded());
      expect(before).toMatchObject({ members: new Map() });
      expect(after).toMatchObject({ members: new Map([['p-taro', ['member']]]) });
    });

    it('throws on a stream that does not start with OrganisationRegistered, or registers twice', () => {
      expect(() => fold([memberAdded()])).toThrow(/MemberAdded/);
      expect(() => fold([deactivated()])).toThrow(/OrganisationDeactivated/);
      expect(() => fold([registered(sapporo), registered(sapporo)])).toThrow(/twice/);
    });
  });
});
