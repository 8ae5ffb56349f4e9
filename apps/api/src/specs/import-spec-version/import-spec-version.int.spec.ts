import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { comparePositions } from '@kyogi/event-store/port';
import type { Actor } from '@kyogi/domain/shared/decider';
import { specDecider, type SpecState } from '@kyogi/domain/specs/specs.decider';
import type { SpecCommand } from '@kyogi/domain/specs/specs.commands';
import { specStreamName, type SpecEvent } from '@kyogi/domain/specs/specs.events';
import { proposalBaseOf, proposalDecider } from '@kyogi/domain/proposals/proposals.decider';
import type { ProposalCommand } from '@kyogi/domain/proposals/proposals.commands';
import { proposalStreamName } from '@kyogi/domain/proposals/proposals.events';
import { JUMIN_KIROKU_CSV, JUMIN_KIROKU_MARKDOWN, JUMIN_KIROKU_REQUIREMENTS } from '@kyogi/domain/specs-import/jumin-kiroku.sample';
import { decideAndAppend } from '../../command-handling/decide-and-append';
import { eventIdFor } from '../../command-handling/event-ids';
import { importSpecVersion, loadSpecOwner, proposalsFromReadModel, type ImportDependencies, type ProposalLookup } from './import-spec-version';
import { createTestDatabase, embeddedServerUrl } from '../../../../../test/support/databases';

jest.setTimeout(60_000);

const daCoordinator: Actor = { personId: 'p-da', organisationId: 'digital-agency', organisationKind: 'national', roles: ['coordinator'] };
const micCoordinator: Actor = { personId: 'p-mic', organisationId: 'mic', organisationKind: 'national', roles: ['coordinator', 'admin'] };
const sapporoMember: Actor = { personId: 'p-sapporo', organisationId: '011002', organisationKind: 'municipality', roles: ['member'] };
const sapporoApprover: Actor = { personId: 'p-sapporo-approver', organisationId: '011002', organisationKind: 'municipality', roles: ['member', 'approver'] };
const now = () => new Date('2025-04-01T09:00:00.000Z');

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'specimport');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
  pool = new Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await store?.close();
  await db?.drop();
});

async function must(outcome: Promise<{ ok: boolean; error?: { code: string } }>) {
  const result = await outcome;
  if (!result.ok) throw new Error(`expected success, got ${result.error?.code}`);
}

const meta = (actor: Actor) => ({ commandId: randomUUID(), now: now(), actor });
const proposal = (command: Omit<ProposalCommand, 'metadata'>, actor: Actor) =>
  must(decideAndAppend(store, proposalDecider, (command.data as { proposalId: string }).proposalId, { ...command, metadata: meta(actor) } as ProposalCommand));

async function createSpec(specId: string, owner: Actor = daCoordinator) {
  await must(
    decideAndAppend<SpecState, SpecCommand, SpecEvent>(store, specDecider, specId, {
      type: 'CreateSpec',
      data: { specId, title: `仕様書 ${specId}`, domain: '住民記録', ownerOrganisationId: owner.organisationId },
      metadata: meta(owner),
    }),
  );
}

/** A proposal against `version` of `specId`, drafted by 札幌市 and submitted; accepted when asked. */
async function proposalAgainst(proposalId: string, specId: string, version: string, accept: boolean) {
  const spec = (await store.readStream(specStreamName(specId))).reduce(
    (s, e) => specDecider.evolve(s, { type: e.type, data: e.data } as never),
    specDecider.initialState(),
  );
  const base = proposalBaseOf(spec, version);
  const changes = [{ changeId: 'c1', kind: 'modify' as const, requirementId: '2.1.5', after: 'コンビニ交付に対応すること。', reason: '全国で普及したため' }];
  await proposal({ type: 'DraftProposal', data: { proposalId, specId, version, title: 'コンビニ交付を必須に', changes, base } }, sapporoMember);
  await proposal({ type: 'SubmitProposal', data: { proposalId } }, sapporoApprover);
  if (accept) await acceptProposal(proposalId);
}

const acceptProposal = (proposalId: string) =>
  proposal(
    { type: 'AcceptProposal', data: { proposalId, revision: 1, rationale: '多くの団体の要望による', specOwnerOrganisationId: 'digital-agency', ladder: null } },
    daCoordinator,
  );

/** The lookup the read model would give, from a table written by hand (the proposals read model's columns). */
const lookupOf =
  (facts: Record<string, { specId: string; accepted: boolean }>): ProposalLookup =>
  async (ids) =>
    Object.fromEntries(ids.filter((id) => facts[id]).map((id) => [id, facts[id]]));

const deps = (proposals: ProposalLookup = lookupOf({})): ImportDependencies => ({ store, clock: now, proposals });

const request = (specId: string, version: string, extra: Partial<Parameters<typeof importSpecVersion>[2]> = {}) => ({
  commandId: randomUUID(),
  specId,
  version,
  format: 'csv' as const,
  content: JUMIN_KIROKU_CSV,
  incorporatedProposalIds: [],
  ...extra,
});

const eventTypes = async (stream: string) => (await store.readStream(stream)).map((e) => e.type);

describe('importSpecVersion (the use case behind the mutation, the CLI and the seed)', () => {
  it('publishes a version from CSV or Markdown and returns what it stored', async () => {
    await createSpec('uc-basic');
    const csv = await importSpecVersion(deps(), daCoordinator, request('uc-basic', '4.0'));
    expect(csv).toEqual({
      published: { specId: 'uc-basic', version: '4.0', requirementCount: JUMIN_KIROKU_REQUIREMENTS.length, incorporatedProposalIds: [] },
      position: expect.objectContaining({ commit: expect.any(BigInt) }),
      errors: [],
      contentErrors: [],
      incorporated: [],
    });
    const md = await importSpecVersion(deps(), daCoordinator, request('uc-basic', '4.1', { format: 'markdown', content: JUMIN_KIROKU_MARKDOWN }));
    expect(md.published).toMatchObject({ version: '4.1', requirementCount: JUMIN_KIROKU_REQUIREMENTS.length });
    const [, v40, v41] = await store.readStream(specStreamName('uc-basic'));
    expect(v40.data.requirements).toEqual(JUMIN_KIROKU_REQUIREMENTS);
    expect(v41.data.requirements).toEqual(v40.data.requirements); // the two sample formats say the same thing
  });

  it('checks existence, then permission, then the file — a malformed file by someone who may not publish is FORBIDDEN', async () => {
    await createSpec('uc-order');
    expect((await importSpecVersion(deps(), daCoordinator, request('uc-missing', '1.0'))).errors).toMatchObject([{ code: 'SPEC_NOT_FOUND', field: 'specId' }]);
    expect((await importSpecVersion(deps(), daCoordinator, request('Not a spec', '1.0'))).errors).toMatchObject([{ code: 'SPEC_NOT_FOUND' }]);
    expect((await importSpecVersion(deps(), micCoordinator, request('uc-order', '1.0', { content: 'garbage' }))).errors).toMatchObject([
      { code: 'FORBIDDEN', message: "spec.publishVersion requires the admin or coordinator role in the spec's owner organisation" },
    ]);
    const malformed = await importSpecVersion(
      deps(),
      daCoordinator,
      request('uc-order', '1.0', { content: '要件ID,要件名,要件,区分\n1.1,題,本文,推奨\n1.2,題\n' }),
    );
    expect(malformed).toMatchObject({ published: null, position: null, contentErrors: [{ line: 2 }, { line: 3 }] });
    expect(malformed.errors.map((e) => [e.code, e.field, e.message])).toEqual([
      ['UNKNOWN_CATEGORY', 'content', 'line 2 (category): Unknown category "推奨"; expected one of 実装必須 / 標準オプション / 実装不可.'],
      ['WRONG_FIELD_COUNT', 'content', 'line 3: The row has 2 fields; the header has 4.'],
    ]);
    expect(await eventTypes(specStreamName('uc-order'))).toEqual(['SpecCreated']);
  });

  it('marks each incorporated proposal incorporated, with command ids derived from the import', async () => {
    await createSpec('uc-incorporate');
    await importSpecVersion(deps(), daCoordinator, request('uc-incorporate', '4.0'));
    await proposalAgainst('uc-p1', 'uc-incorporate', '4.0', true);
    await proposalAgainst('uc-p2', 'uc-incorporate', '4.0', true);
    const input = request('uc-incorporate', '4.1', { incorporatedProposalIds: ['uc-p1', 'uc-p2'] });
    const lookup = lookupOf({ 'uc-p1': { specId: 'uc-incorporate', accepted: true }, 'uc-p2': { specId: 'uc-incorporate', accepted: true } });
    const result = await importSpecVersion(deps(lookup), daCoordinator, input);
    expect(result).toMatchObject({ published: { version: '4.1', incorporatedProposalIds: ['uc-p1', 'uc-p2'] }, errors: [], incorporated: ['uc-p1', 'uc-p2'] });
    for (const id of ['uc-p1', 'uc-p2']) {
      const events = await store.readStream(proposalStreamName(id));
      const last = events.at(-1)!;
      expect(last).toMatchObject({ type: 'ProposalIncorporated', data: { proposalId: id, specId: 'uc-incorporate', version: '4.1' } });
      expect(last.id).toBe(eventIdFor(`${input.commandId}:incorporate:${id}`, 0));
      expect(comparePositions(last.position, result.position!)).toBeLessThanOrEqual(0); // the answer's position covers the marks
    }
    // The same import again: answered as the first time, nothing stored twice.
    const again = await importSpecVersion(deps(lookup), daCoordinator, input);
    expect(again).toEqual(result);
    expect(await eventTypes(proposalStreamName('uc-p1'))).toEqual(['ProposalDrafted', 'ProposalSubmitted', 'ProposalAccepted', 'ProposalIncorporated']);
    expect(await eventTypes(specStreamName('uc-incorporate'))).toEqual(['SpecCreated', 'SpecVersionPublished', 'SpecVersionPublished']);
  });

  it('refuses, storing nothing, a proposal the lookup does not know or does not show accepted', async () => {
    await createSpec('uc-refuse');
    await importSpecVersion(deps(), daCoordinator, request('uc-refuse', '1.0'));
    const lookup = lookupOf({ 'uc-submitted': { specId: 'uc-refuse', accepted: false }, 'uc-elsewhere': { specId: 'juminkiroku', accepted: true } });
    const attempt = (ids: string[]) => importSpecVersion(deps(lookup), daCoordinator, request('uc-refuse', '1.1', { incorporatedProposalIds: ids }));
    expect((await attempt(['uc-unknown'])).errors).toMatchObject([{ code: 'PROPOSAL_NOT_FOUND', field: 'incorporatedProposalIds[0]' }]);
    expect((await attempt(['uc-elsewhere'])).errors).toMatchObject([{ code: 'PROPOSAL_OF_ANOTHER_SPEC' }]);
    expect((await attempt(['uc-submitted'])).errors).toMatchObject([{ code: 'PROPOSAL_NOT_ACCEPTED' }]);
    expect(await eventTypes(specStreamName('uc-refuse'))).toEqual(['SpecCreated', 'SpecVersionPublished']);
  });

  it('keeps the version published when a mark fails (a stale lookup), reports it, and a retry with the same commandId completes it', async () => {
    await createSpec('uc-stale');
    await importSpecVersion(deps(), daCoordinator, request('uc-stale', '4.0'));
    await proposalAgainst('uc-late', 'uc-stale', '4.0', false); // submitted, not accepted yet …
    const stale = lookupOf({ 'uc-late': { specId: 'uc-stale', accepted: true } }); // … but the read model says accepted
    const input = request('uc-stale', '4.1', { incorporatedProposalIds: ['uc-late'] });

    const first = await importSpecVersion(deps(stale), daCoordinator, input);
    expect(first.published).toMatchObject({ version: '4.1' });
    expect(first.incorporated).toEqual([]);
    expect(first.errors).toEqual([
      expect.objectContaining({
        code: 'PROPOSAL_NOT_ACCEPTED',
        field: 'incorporatedProposalIds[0]',
        message: expect.stringMatching(/^Version 4\.1 is published, but proposal uc-late could not be marked incorporated: .* Repeat the import/),
      }),
    ]);
    expect(await eventTypes(specStreamName('uc-stale'))).toEqual(['SpecCreated', 'SpecVersionPublished', 'SpecVersionPublished']);

    await acceptProposal('uc-late');
    const retried = await importSpecVersion(deps(stale), daCoordinator, input);
    expect(retried).toMatchObject({ published: { version: '4.1' }, errors: [], incorporated: ['uc-late'] });
    expect(await eventTypes(proposalStreamName('uc-late'))).toEqual(['ProposalDrafted', 'ProposalSubmitted', 'ProposalAccepted', 'ProposalIncorporated']);
    expect(await eventTypes(specStreamName('uc-stale'))).toEqual(['SpecCreated', 'SpecVersionPublished', 'SpecVersionPublished']);
  });

  it('reads the owner from the stream, so a spec just created can take a version before any projection ran', async () => {
    await createSpec('uc-mic', micCoordinator);
    expect(await loadSpecOwner(store, 'uc-mic')).toBe('mic');
    expect(await loadSpecOwner(store, 'uc-nothing')).toBeNull();
    expect(await loadSpecOwner(store, '../etc')).toBeNull();
    expect((await importSpecVersion(deps(), micCoordinator, request('uc-mic', '1.0'))).errors).toEqual([]);
  });
});

describe('proposalsFromReadModel', () => {
  it('knows no proposal while read_models.proposals does not exist', async () => {
    await pool.query('CREATE SCHEMA IF NOT EXISTS read_models');
    await pool.query('DROP TABLE IF EXISTS read_models.proposals');
    expect(await proposalsFromReadModel(pool)(['p1'])).toEqual({});
  });

  it("reads proposal_id, spec_id and status: only 'accepted' is accepted", async () => {
    await pool.query('CREATE TABLE read_models.proposals (proposal_id text PRIMARY KEY, spec_id text NOT NULL, status text NOT NULL, title text)');
    await pool.query(
      "INSERT INTO read_models.proposals VALUES ('p1', 'juminkiroku', 'accepted', 't'), ('p2', 'juminkiroku', 'submitted', 't'), ('p3', 'other', 'incorporated', 't')",
    );
    expect(await proposalsFromReadModel(pool)(['p1', 'p2', 'p3', 'p4'])).toEqual({
      p1: { specId: 'juminkiroku', accepted: true },
      p2: { specId: 'juminkiroku', accepted: false },
      p3: { specId: 'other', accepted: false },
    });
  });
});
