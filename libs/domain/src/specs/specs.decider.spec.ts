import fc from 'fast-check';
import { Actor, isDomainError } from '../shared/decider';
import { DeciderSpecification } from '../testing/decider-spec';
import { compareVersions } from './input-rules';
import { CreateSpec, CreateSpecData, IncorporatedProposalFacts, PublishSpecVersion, PublishSpecVersionData } from './specs.commands';
import { latestVersionOf, MAX_REQUIREMENTS, requirementOf, requirementsOf, specDecider, SpecState, specOwnerOf, versionOf, versionsOf } from './specs.decider';
import {
  REQUIREMENT_CATEGORIES,
  Requirement,
  SpecCreated,
  SpecCreatedData,
  SpecEvent,
  specStreamName,
  SpecVersionPublished,
  SpecVersionPublishedData,
} from './specs.events';

const spec = DeciderSpecification.for(specDecider);

// Actors
const daCoordinator: Actor = { personId: 'p-da-coordinator', organisationId: 'digital-agency', organisationKind: 'national', roles: ['member', 'coordinator'] };
const daAdmin: Actor = { personId: 'p-da-admin', organisationId: 'digital-agency', organisationKind: 'national', roles: ['admin'] };
const daMember: Actor = { personId: 'p-da-member', organisationId: 'digital-agency', organisationKind: 'national', roles: ['member', 'approver'] };
const daViewer: Actor = { personId: 'p-da-viewer', organisationId: 'digital-agency', organisationKind: 'national', roles: ['viewer'] };
const micCoordinator: Actor = { personId: 'p-mic-coordinator', organisationId: 'mic', organisationKind: 'national', roles: ['coordinator'] };
const sapporoAdmin: Actor = { personId: 'p-sapporo-admin', organisationId: '011002', organisationKind: 'municipality', roles: ['admin', 'coordinator'] };
const hokkaidoCoordinator: Actor = { personId: 'p-hokkaido-coordinator', organisationId: '010006', organisationKind: 'prefecture', roles: ['coordinator'] };
const vendorAdmin: Actor = { personId: 'p-vendor-admin', organisationId: 'sample-vendor', organisationKind: 'vendor', roles: ['admin', 'coordinator'] };
const observerAdmin: Actor = { personId: 'p-observer-admin', organisationId: 'citizens-watch', organisationKind: 'observer', roles: ['admin', 'coordinator'] };

const metadata = (actor: Actor) => ({ commandId: '01JQ7Z0000000000000000CMD1', now: new Date('2025-04-01T00:00:00Z'), actor });

// Data
const juminkiroku: SpecCreatedData = { specId: 'juminkiroku', title: '住民記録システム標準仕様書', domain: '住民記録', ownerOrganisationId: 'digital-agency' };
const r211: Requirement = { requirementId: '2.1.1', title: '住民票の写しの交付', text: '住民票の写しを交付できること。', category: '実装必須' };
const r212: Requirement = {
  requirementId: '2.1.2',
  title: '広域交付',
  text: '　広域交付住民票の写しを交付できること。\n本人確認を行うこと。',
  category: '標準オプション',
};
const r31: Requirement = { requirementId: 'R-3.1', title: '独自帳票', text: '独自の帳票を印刷できること。', category: '実装不可' };
const v4: SpecVersionPublishedData = { specId: 'juminkiroku', version: '4.0', requirements: [r211, r212, r31], incorporatedProposalIds: [] };

// Commands
const createSpec = (data: Partial<CreateSpecData> = {}, actor: Actor = daCoordinator): CreateSpec => ({
  type: 'CreateSpec',
  data: { ...juminkiroku, ...data },
  metadata: metadata(actor),
});
const accepted = (specId = 'juminkiroku'): IncorporatedProposalFacts => ({ specId, accepted: true });
const publish = (data: Partial<PublishSpecVersionData> = {}, actor: Actor = daCoordinator): PublishSpecVersion => ({
  type: 'PublishSpecVersion',
  data: { ...v4, incorporatedProposals: {}, ...data },
  metadata: metadata(actor),
});
const withRequirement = (i: number, overrides: Record<string, unknown>) =>
  v4.requirements.map((r, j) => (j === i ? ({ ...r, ...overrides } as Requirement) : r));

// Events
const created = (data: Partial<SpecCreatedData> = {}): SpecCreated => ({ type: 'SpecCreated', data: { ...juminkiroku, ...data } });
const published = (data: Partial<SpecVersionPublishedData> = {}): SpecVersionPublished => ({ type: 'SpecVersionPublished', data: { ...v4, ...data } });

const fold = (events: readonly SpecEvent[]): SpecState => events.reduce(specDecider.evolve, specDecider.initialState());

describe('Spec decider', () => {
  it('lives in streams named Spec-<specId>', () => {
    expect(specDecider.category).toBe('Spec');
    expect(specStreamName('juminkiroku')).toBe('Spec-juminkiroku');
  });

  it('has a fixed list of requirement categories', () => {
    expect(REQUIREMENT_CATEGORIES).toEqual(['実装必須', '標準オプション', '実装不可']);
  });

  describe('when the spec is uncreated', () => {
    const given = spec.given([]);

    describe('creating', () => {
      it('creates it for a coordinator of a national body, owned by that body', () => {
        given.when(createSpec()).then([created()]);
      });

      it('creates it for an admin of a national body', () => {
        given.when(createSpec({}, daAdmin)).then([created()]);
      });

      it('trims the title and the domain', () => {
        given.when(createSpec({ title: ' 住民記録システム標準仕様書　', domain: '　住民記録 ' })).then([created()]);
      });

      it('accepts any domain as free text', () => {
        given
          .when(createSpec({ specId: 'kojin-juminzei', domain: '税務（個人住民税）' }))
          .then([created({ specId: 'kojin-juminzei', domain: '税務（個人住民税）' })]);
      });

      it.each([
        ['a national member who is neither coordinator nor admin', daMember],
        ['a national viewer', daViewer],
        ['a municipal admin and coordinator', sapporoAdmin],
        ['a prefectural coordinator', hokkaidoCoordinator],
        ['a vendor admin', vendorAdmin],
        ['an observer admin', observerAdmin],
      ])('is forbidden to %s', (_, actor) => {
        given.when(createSpec({ ownerOrganisationId: actor.organisationId }, actor)).thenFails('FORBIDDEN');
      });

      it("is forbidden for another national body than the actor's own", () => {
        given.when(createSpec({ ownerOrganisationId: 'mic' })).thenFails('FORBIDDEN', 'ownerOrganisationId');
      });

      it.each(['', 'j', 'Juminkiroku', 'jumin kiroku', '住民記録', 'a'.repeat(65)])('rejects the spec id %j', (specId) => {
        given.when(createSpec({ specId })).thenFails('INVALID_SPEC_ID', 'specId');
      });

      it.each([
        ['empty', ''],
        ['blank', ' \u3000 '],
        ['201 characters', 'あ'.repeat(201)],
        ['with a NUL', '住民記録\u0000'],
        ['not a string', null as never],
      ])('rejects a title that is %s', (_, title) => {
        given.when(createSpec({ title })).thenFails('INVALID_TITLE', 'title');
      });

      it.each([
        ['empty', ''],
        ['blank', '\u3000'],
        ['101 characters', '福'.repeat(101)],
      ])('rejects a domain that is %s', (_, domain) => {
        given.when(createSpec({ domain })).thenFails('INVALID_DOMAIN', 'domain');
      });
    });

    it('cannot publish a version', () => {
      given.when(publish()).thenFails('SPEC_NOT_FOUND', 'specId');
    });
  });

  describe('when the spec is created (no version yet)', () => {
    const given = spec.given([created()]);

    it('cannot be created again, not even with the same data', () => {
      given.when(createSpec()).thenFails('SPEC_ALREADY_EXISTS', 'specId');
    });

    describe('publishing the first version', () => {
      it('publishes it for a coordinator of the owner', () => {
        given.when(publish()).then([published()]);
      });

      it('publishes it for an admin of the owner', () => {
        given.when(publish({}, daAdmin)).then([published()]);
      });

      it.each(['0.1', '1', '4.0', '10.2.1', '2025.04'])('accepts the version %j', (version) => {
        given.when(publish({ version })).then([published({ version })]);
      });

      it('keeps requirement text as written (a leading 全角スペース is an indent) but normalises line breaks; trims titles', () => {
        given
          .when(publish({ requirements: [{ ...r212, title: ' 広域交付 ', text: '　広域交付住民票の写しを交付できること。\r\n本人確認を行うこと。' }] }))
          .then([published({ requirements: [r212] })]);
      });

      it('keeps the requirements in document order, not sorted', () => {
        const requirements = [r31, r212, r211];
        given.when(publish({ requirements })).then([published({ requirements })]);
      });

      it('drops fields it does not know from the requirements', () => {
        given.when(publish({ requirements: [{ ...r211, note: 'extra' } as Requirement] })).then([published({ requirements: [r211] })]);
      });

      it.each([
        ['a coordinator of another national body', micCoordinator],
        ['a member of the owner who is neither coordinator nor admin', daMember],
        ['a prefectural coordinator', hokkaidoCoordinator],
        ['a municipal admin', sapporoAdmin],
      ])('is forbidden to %s', (_, actor) => {
        given.when(publish({}, actor)).thenFails('FORBIDDEN');
      });

      it.each(['', 'v4', '4.', '.4', '4..0', '4.0-rc1', '４.０', ' 4.0', '1.'.repeat(16) + '1'])('rejects the version %j', (version) => {
        given.when(publish({ version })).thenFails('INVALID_VERSION', 'version');
      });

      describe('requirements', () => {
        it('needs at least one', () => {
          given.when(publish({ requirements: [] })).thenFails('NO_REQUIREMENTS', 'requirements');
        });

        it(`accepts ${MAX_REQUIREMENTS} and rejects ${MAX_REQUIREMENTS + 1}`, () => {
          const many = (n: number) => Array.from({ length: n }, (_, i) => ({ ...r211, requirementId: `1.${i + 1}` }));
          given.when(publish({ requirements: many(MAX_REQUIREMENTS) })).then([published({ requirements: many(MAX_REQUIREMENTS) })]);
          given.when(publish({ requirements: many(MAX_REQUIREMENTS + 1) })).thenFails('TOO_MANY_REQUIREMENTS', 'requirements');
        });

        it.each(['2.1.3', '10', 'R-2.1.3', 'JK0010.2', 'A1'])('accepts the requirement id %j', (requirementId) => {
          given.when(publish({ requirements: [{ ...r211, requirementId }] })).then([published({ requirements: [{ ...r211, requirementId }] })]);
        });

        it.each(['', '2.1.', '.2', '2..1', 'R-', '-2.1', '2.1a', '２.１', 'R 2.1', 'constructor', '1'.repeat(65)])(
          'rejects the requirement id %j',
          (requirementId) => {
            given.when(publish({ requirements: withRequirement(1, { requirementId }) })).thenFails('INVALID_REQUIREMENT_ID', 'requirements[1].requirementId');
          },
        );

        it('rejects a repeated requirement id, at the repetition, naming the first', () => {
          const decision = specDecider.decide(publish({ requirements: [r211, r212, { ...r31, requirementId: '2.1.1' }] }), fold([created()]));
          expect(decision).toMatchObject({ code: 'DUPLICATE_REQUIREMENT_ID', field: 'requirements[2].requirementId' });
          expect(decision).toMatchObject({ message: expect.stringMatching(/2\.1\.1.*requirements\[0\]/) });
        });

        it.each([
          ['blank', '　'],
          ['201 characters', '交'.repeat(201)],
          ['not a string', null],
        ])('rejects a title that is %s, naming the requirement', (_, title) => {
          given.when(publish({ requirements: withRequirement(1, { title }) })).thenFails('INVALID_REQUIREMENT_TITLE', 'requirements[1].title');
        });

        it.each([
          ['empty', ''],
          ['blank', ' \n\u3000'],
          ['10,001 characters', 'あ'.repeat(10_001)],
          ['with a NUL (jsonb cannot store it)', '交付\u0000'],
          ['with a lone surrogate (the hash chain cannot canonicalise it)', '交付\uD842'],
          ['with a form feed', '交付\f'],
          ['not a string', 42],
        ])('rejects a text that is %s', (_, text) => {
          given.when(publish({ requirements: withRequirement(2, { text }) })).thenFails('INVALID_REQUIREMENT_TEXT', 'requirements[2].text');
        });

        it('names the requirement id in the message', () => {
          const decision = specDecider.decide(publish({ requirements: withRequirement(1, { text: '' }) }), fold([created()]));
          expect(decision).toMatchObject({ message: expect.stringContaining('Requirement 2.1.2 (requirements[1])') });
        });

        it('accepts 10,000 characters of text, counting 𠮷 once, and tabs', () => {
          const text = '𠮷'.repeat(9_999) + '\t';
          given.when(publish({ requirements: [{ ...r211, text }] })).then([published({ requirements: [{ ...r211, text }] })]);
        });

        it.each(['必須', '', 'mandatory', null])('rejects the category %j', (category) => {
          given.when(publish({ requirements: withRequirement(0, { category }) })).thenFails('INVALID_REQUIREMENT_CATEGORY', 'requirements[0].category');
        });

        it('rejects something that is not a requirement', () => {
          given.when(publish({ requirements: [r211, null as never] })).thenFails('INVALID_REQUIREMENT', 'requirements[1]');
        });
      });

      describe('incorporated proposals', () => {
        it('records accepted proposals of this spec, in the order given', () => {
          given
            .when(publish({ incorporatedProposalIds: ['P2', 'P1'], incorporatedProposals: { P1: accepted(), P2: accepted() } }))
            .then([published({ incorporatedProposalIds: ['P2', 'P1'] })]);
        });

        it('rejects one the lookup does not know', () => {
          given
            .when(publish({ incorporatedProposalIds: ['P1', 'P2'], incorporatedProposals: { P1: accepted() } }))
            .thenFails('PROPOSAL_NOT_FOUND', 'incorporatedProposalIds[1]');
        });

        it('is not fooled by an id that is an Object.prototype key', () => {
          given
            .when(publish({ incorporatedProposalIds: ['constructor'], incorporatedProposals: {} }))
            .thenFails('PROPOSAL_NOT_FOUND', 'incorporatedProposalIds[0]');
        });

        it('rejects a proposal against another spec', () => {
          given
            .when(publish({ incorporatedProposalIds: ['P1'], incorporatedProposals: { P1: accepted('zeimu') } }))
            .thenFails('PROPOSAL_OF_ANOTHER_SPEC', 'incorporatedProposalIds[0]');
        });

        it('rejects a proposal that is not accepted', () => {
          given
            .when(publish({ incorporatedProposalIds: ['P1'], incorporatedProposals: { P1: { specId: 'juminkiroku', accepted: false } } }))
            .thenFails('PROPOSAL_NOT_ACCEPTED', 'incorporatedProposalIds[0]');
        });

        it('rejects an id listed twice, or malformed', () => {
          given
            .when(publish({ incorporatedProposalIds: ['P1', 'P1'], incorporatedProposals: { P1: accepted() } }))
            .thenFails('DUPLICATE_PROPOSAL_ID', 'incorporatedProposalIds[1]');
          given.when(publish({ incorporatedProposalIds: ['P 1'], incorporatedProposals: {} })).thenFails('INVALID_PROPOSAL_ID', 'incorporatedProposalIds[0]');
        });
      });
    });

    it("refuses (throws) a command whose specId is not this stream's: a bug in the caller", () => {
      expect(() => specDecider.decide(publish({ specId: 'zeimu' }), fold([created()]))).toThrow(/zeimu/);
    });
  });

  describe('when a version is published', () => {
    const given = spec.given([created(), published({ incorporatedProposalIds: ['P0'] })]);

    it.each(['4.1', '4.0.1', '5', '10.0'])('publishes a greater version, %j', (version) => {
      given.when(publish({ version })).then([published({ version })]);
    });

    it('compares numerically part by part: 4.10 comes after 4.9', () => {
      spec
        .given([created(), published({ version: '4.9' })])
        .when(publish({ version: '4.10' }))
        .then([published({ version: '4.10' })]);
    });

    it.each(['4.0', '4', '4.00', '04.0.0'])('rejects %j as published already (numerically equal to 4.0)', (version) => {
      given.when(publish({ version })).thenFails('VERSION_ALREADY_PUBLISHED', 'version');
    });

    it.each(['3.9', '3.99.1', '0.1'])('rejects the lower version %j', (version) => {
      given.when(publish({ version })).thenFails('VERSION_NOT_INCREASING', 'version');
    });

    it('rejects a version equal to an earlier one, not only the latest', () => {
      spec
        .given([created(), published({ version: '3.0' }), published({ version: '4.0' })])
        .when(publish({ version: '3' }))
        .thenFails('VERSION_ALREADY_PUBLISHED', 'version');
    });

    it('rejects a proposal incorporated in an earlier version, even if the lookup still says accepted', () => {
      const decision = specDecider.decide(
        publish({ version: '5.0', incorporatedProposalIds: ['P0'], incorporatedProposals: { P0: accepted() } }),
        fold([created(), published({ incorporatedProposalIds: ['P0'] })]),
      );
      expect(decision).toMatchObject({ code: 'PROPOSAL_ALREADY_INCORPORATED', field: 'incorporatedProposalIds[0]', message: expect.stringContaining('4.0') });
    });

    it('still cannot be created again', () => {
      given.when(createSpec()).thenFails('SPEC_ALREADY_EXISTS', 'specId');
    });

    it('still allows only the owner to publish', () => {
      given.when(publish({ version: '5.0' }, micCoordinator)).thenFails('FORBIDDEN');
    });
  });

  describe('read helpers', () => {
    const v5 = published({ version: '5.0', requirements: [r211, { ...r212, text: '広域交付住民票を交付できること。' }] });
    const state = fold([created(), published(), v5]);

    it('give the requirements of a version, exactly as published', () => {
      expect(requirementsOf(state, '4.0')).toEqual([r211, r212, r31]);
      expect(requirementOf(state, '5.0', '2.1.2')?.text).toBe('広域交付住民票を交付できること。');
      expect(requirementOf(state, '4.0', '2.1.2')?.text).toBe(r212.text);
    });

    it('answer null for what is not published (exact version strings: 4 is not 4.0)', () => {
      expect(requirementsOf(state, '4')).toBeNull();
      expect(requirementOf(state, '5.0', 'R-3.1')).toBeNull();
      expect(versionOf(fold([created()]), '4.0')).toBeNull();
      expect(latestVersionOf(fold([created()]))).toBeNull();
      expect(requirementsOf(specDecider.initialState(), '4.0')).toBeNull();
    });

    it('list the versions in ascending order and give the latest', () => {
      expect(versionsOf(state)).toEqual(['4.0', '5.0']);
      expect(latestVersionOf(state)?.version).toBe('5.0');
      expect(versionsOf(fold([created()]))).toEqual([]);
    });

    it('give the owner organisation, the lookup of proposal and comment commands', () => {
      expect(specOwnerOf(state)).toBe('digital-agency');
      expect(specOwnerOf(fold([created()]))).toBe('digital-agency');
      expect(specOwnerOf(specDecider.initialState())).toBeNull();
    });
  });

  describe('evolve', () => {
    it('starts uncreated', () => {
      expect(specDecider.initialState()).toEqual({ status: 'uncreated' });
    });

    it('keeps every version, in publication order', () => {
      expect(fold([created(), published(), published({ version: '5.0', incorporatedProposalIds: ['P1'] })])).toEqual({
        status: 'published',
        ...juminkiroku,
        versions: [
          { version: '4.0', requirements: v4.requirements, incorporatedProposalIds: [] },
          { version: '5.0', requirements: v4.requirements, incorporatedProposalIds: ['P1'] },
        ],
      });
    });

    it('does not mutate the previous state', () => {
      const before = fold([created(), published()]);
      specDecider.evolve(before, published({ version: '5.0' }));
      expect(versionsOf(before)).toEqual(['4.0']);
    });

    it('throws on a stream that does not start with SpecCreated, or creates twice', () => {
      expect(() => fold([published()])).toThrow(/SpecVersionPublished/);
      expect(() => fold([created(), created()])).toThrow(/twice/);
    });
  });

  describe('properties', () => {
    const versionParts = fc.array(fc.nat({ max: 12 }), { minLength: 1, maxLength: 4 });
    const versionText = fc
      .tuple(versionParts, fc.array(fc.nat({ max: 2 }), { minLength: 4, maxLength: 4 }))
      .map(([parts, zeros]) => parts.map((p, i) => '0'.repeat(zeros[i]) + p).join('.'));
    // Reference: numbers part by part, missing parts 0.
    const reference = (a: string, b: string): number => {
      const x = a.split('.').map(BigInt);
      const y = b.split('.').map(BigInt);
      for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const d = (x[i] ?? 0n) - (y[i] ?? 0n);
        if (d !== 0n) return d < 0n ? -1 : 1;
      }
      return 0;
    };

    it('compareVersions agrees with comparing the numbers part by part, and is antisymmetric', () => {
      fc.assert(
        fc.property(versionText, versionText, (a, b) => {
          expect(compareVersions(a, b)).toBe(reference(a, b));
          expect(compareVersions(b, a)).toBe(-compareVersions(a, b) || 0);
        }),
        { numRuns: 1000 },
      );
    });

    it('compareVersions handles parts longer than any float', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.bigInt({ min: 0n, max: 10n ** 40n }), (a, b) => {
          expect(compareVersions(`1.${a}`, `1.${b}`)).toBe(a === b ? 0 : a < b ? -1 : 1);
        }),
      );
    });

    it('publishing any sequence of versions keeps exactly the strictly increasing ones, and names why the others fail', () => {
      fc.assert(
        fc.property(fc.array(versionText, { minLength: 1, maxLength: 12 }), (versions) => {
          let state = fold([created()]);
          const kept: string[] = [];
          for (const version of versions) {
            const decision = specDecider.decide(publish({ version }), state);
            const latest = kept[kept.length - 1];
            if (latest === undefined || reference(version, latest) > 0) {
              expect(isDomainError(decision)).toBe(false);
              if (!isDomainError(decision)) state = decision.reduce(specDecider.evolve, state);
              kept.push(version);
            } else if (kept.some((k) => reference(k, version) === 0)) {
              expect(decision).toMatchObject({ code: 'VERSION_ALREADY_PUBLISHED' });
            } else {
              expect(decision).toMatchObject({ code: 'VERSION_NOT_INCREASING' });
            }
          }
          expect(versionsOf(state)).toEqual(kept);
          for (let i = 1; i < kept.length; i++) expect(compareVersions(kept[i - 1], kept[i])).toBe(-1);
        }),
      );
    });

    it('a repeated requirement id is always reported at its second occurrence', () => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom('1.1', '1.2', '2.1', '2.2', '3'), { minLength: 1, maxLength: 8 }), (ids) => {
          const decision = specDecider.decide(publish({ requirements: ids.map((requirementId) => ({ ...r211, requirementId })) }), fold([created()]));
          const repeat = ids.findIndex((id, i) => ids.indexOf(id) < i);
          if (repeat < 0) expect(isDomainError(decision)).toBe(false);
          else expect(decision).toMatchObject({ code: 'DUPLICATE_REQUIREMENT_ID', field: `requirements[${repeat}].requirementId` });
        }),
      );
    });
  });
});
