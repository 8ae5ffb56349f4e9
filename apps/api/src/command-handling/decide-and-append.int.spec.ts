import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { DomainError, type Actor, type Role } from '@kyogi/domain/shared/decider';
import { organisationDecider } from '@kyogi/domain/organisations/organisations.decider';
import type {
  AddMember,
  ChangeMemberRoles,
  OrganisationCommand,
  RegisterOrganisation,
  RegisterOrganisationData,
} from '@kyogi/domain/organisations/organisations.commands';
import { organisationStreamName } from '@kyogi/domain/organisations/organisations.events';
import { decideAndAppend, type CommandOutcome } from './decide-and-append';
import { eventIdFor } from './event-ids';
import { createTestDatabase, embeddedServerUrl } from '../../../../test/support/databases';

jest.setTimeout(60_000);

const system: Actor = { personId: 'system', organisationId: 'digital-agency', organisationKind: 'national', roles: ['admin'] };
const sapporoMember: Actor = { personId: 'p-sapporo-member', organisationId: '011002', organisationKind: 'municipality', roles: ['member'] };

const hokkaido: RegisterOrganisationData = {
  organisationId: '010006',
  kind: 'prefecture',
  name: '北海道',
  nameKana: 'ほっかいどう',
  code: '010006',
  prefectureCode: '01',
  parentId: null,
  active: true,
  population: 5_140_000,
};
const sapporo: RegisterOrganisationData = {
  ...hokkaido,
  organisationId: '011002',
  kind: 'municipality',
  name: '札幌市',
  nameKana: 'さっぽろし',
  code: '011002',
  parentId: '010006',
  population: 1_960_000,
};

let db: { url: string; drop(): Promise<void> };
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase(embeddedServerUrl(), 'decide');
  store = await PostgresEventStore.connect({ connectionString: db.url, idlePollMs: 50 });
});

afterAll(async () => {
  await store?.close();
  await db?.drop();
});

const meta = (actor: Actor = system, now = new Date('2025-04-01T09:00:00.000Z')) => ({ commandId: randomUUID(), now, actor });

const register = (data: RegisterOrganisationData, actor: Actor = system): RegisterOrganisation => ({
  type: 'RegisterOrganisation',
  data,
  metadata: meta(actor),
});
const addMember = (organisationId: string, personId: string, roles: Role[] = ['member'], actor: Actor = system): AddMember => ({
  type: 'AddMember',
  data: { organisationId, personId, displayName: `職員 ${personId}`, email: `${personId}@example.lg.jp`, roles },
  metadata: meta(actor),
});
const changeRoles = (organisationId: string, personId: string, roles: Role[]): ChangeMemberRoles => ({
  type: 'ChangeMemberRoles',
  data: { organisationId, personId, roles },
  metadata: meta(),
});

const run = (command: OrganisationCommand) => decideAndAppend(store, organisationDecider, command.data.organisationId, command);
const streamOf = (organisationId: string) => store.readStream(organisationStreamName(organisationId));

function expectOk(outcome: CommandOutcome): asserts outcome is Extract<CommandOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected ok, got ${outcome.error.code}: ${outcome.error.message}`);
}

describe('decideAndAppend (load → decide → append) on PostgreSQL', () => {
  it('appends the decided events with ids derived from the command id and metadata from the command', async () => {
    const now = new Date('2025-04-01T09:30:15.123Z');
    const command: RegisterOrganisation = { type: 'RegisterOrganisation', data: hokkaido, metadata: { commandId: randomUUID(), now, actor: system } };
    const outcome = await run(command);
    expectOk(outcome);

    const stream = await streamOf('010006');
    expect(stream).toHaveLength(1);
    const [event] = stream;
    expect(event.id).toBe(eventIdFor(command.metadata.commandId, 0));
    expect(event.type).toBe('OrganisationRegistered');
    expect(event.data).toEqual({ ...hokkaido });
    expect(event.metadata).toEqual({
      actor: { personId: 'system', organisationId: 'digital-agency', roles: ['admin'] },
      correlationId: command.metadata.commandId,
      causationId: command.metadata.commandId,
      occurredAt: '2025-04-01T09:30:15.123Z',
      schemaVersion: 1,
    });
    expect(outcome.position).toEqual(event.position);
    expect(outcome.revision).toBe(0n);
    expect(outcome.events).toEqual([{ type: 'OrganisationRegistered', data: { ...hokkaido } }]);
    expect(await store.headPosition()).toEqual(event.position);

    // The next command's events continue the stream, ids again from its own command id.
    const member = addMember('010006', 'p-hokkaido-admin', ['admin']);
    const added = await run(member);
    expectOk(added);
    const after = await streamOf('010006');
    expect(after.map((e) => e.id)).toEqual([eventIdFor(command.metadata.commandId, 0), eventIdFor(member.metadata.commandId, 0)]);
    expect(added.revision).toBe(1n);
  });

  it('runs the same command (same commandId) again as a no-op answering the first position, also after later commands', async () => {
    const command = addMember('010006', 'p-repeat');
    const first = await run(command);
    expectOk(first);
    const length = (await streamOf('010006')).length;

    const again = await run(command);
    expect(again).toEqual(first);
    expect(await streamOf('010006')).toHaveLength(length);

    // After another command moved the stream on, the repeat still answers with its own position.
    const later = await run(addMember('010006', 'p-later'));
    expectOk(later);
    const repeated = await run(command);
    expect(repeated).toEqual(first);
    expect((await streamOf('010006')).length).toBe(length + 1);
  });

  it('records a command executed twice concurrently once, both calls answering ok with the same position', async () => {
    // On an existing stream …
    const command = addMember('010006', 'p-concurrent');
    const length = (await streamOf('010006')).length;
    const [a, b] = await Promise.all([run(command), run(command)]);
    expectOk(a);
    expectOk(b);
    expect(b.position).toEqual(a.position);
    expect(b.revision).toBe(a.revision);
    const stream = await streamOf('010006');
    expect(stream).toHaveLength(length + 1);
    expect(stream.filter((e) => e.id === eventIdFor(command.metadata.commandId, 0))).toHaveLength(1);

    // … and on a stream that does not exist yet (both append with expected 'no_stream').
    const registration = register(sapporo);
    const results = await Promise.all([run(registration), run(registration), run(registration)]);
    for (const r of results) expectOk(r);
    expect(new Set(results.map((r) => (r.ok && r.position ? `${r.position.commit}.${r.position.prepare}` : 'none'))).size).toBe(1);
    expect(await streamOf('011002')).toHaveLength(1);
  });

  it('returns a DomainError decision as { ok: false, error } and appends nothing', async () => {
    const head = await store.headPosition();
    const lengths = [(await streamOf('010006')).length, (await streamOf('011002')).length];

    const notFound = await run(addMember('013005', 'p-nowhere'));
    expect(notFound).toEqual({ ok: false, error: expect.any(DomainError) });
    expect(!notFound.ok && notFound.error).toMatchObject({ code: 'ORGANISATION_NOT_FOUND', field: 'organisationId' });

    const forbidden = await run(addMember('011002', 'p-new', ['member'], sapporoMember));
    expect(!forbidden.ok && forbidden.error).toMatchObject({ code: 'FORBIDDEN' });

    const duplicate = await run(addMember('010006', 'p-repeat'));
    expect(!duplicate.ok && duplicate.error).toMatchObject({ code: 'MEMBER_ALREADY_EXISTS', field: 'personId' });

    const again = await run(register(hokkaido));
    expect(!again.ok && again.error).toMatchObject({ code: 'ORGANISATION_ALREADY_REGISTERED' });

    expect(await store.headPosition()).toEqual(head);
    expect(await streamOf('013005')).toEqual([]);
    expect([(await streamOf('010006')).length, (await streamOf('011002')).length]).toEqual(lengths);
  });

  it('returns ok with position null and appends nothing when the decision has no events', async () => {
    const head = await store.headPosition();
    const stream = await streamOf('010006');
    // p-repeat has ['member']: the same roles again (in another spelling order of one role) change nothing.
    const outcome = await run(changeRoles('010006', 'p-repeat', ['member']));
    expect(outcome).toEqual({ ok: true, position: null, revision: stream[stream.length - 1].revision, events: [] });
    // Also for a multi-role set given in another order: roles are a set.
    const setUp = await run(changeRoles('010006', 'p-later', ['member', 'approver']));
    expectOk(setUp);
    expect(setUp.position).not.toBeNull();
    const reordered = await run(changeRoles('010006', 'p-later', ['approver', 'member']));
    expect(reordered).toMatchObject({ ok: true, position: null, events: [] });
    expect((await streamOf('010006')).length).toBe(stream.length + 1);
    expect(await store.headPosition()).not.toEqual(head); // only the setUp appended
  });

  it('records 50 concurrent AddMember commands on one organisation: all 50, none twice, despite revision conflicts', async () => {
    await run(register({ ...sapporo, organisationId: '012025', code: '012025', name: '函館市', nameKana: 'はこだてし' }));
    const commands = Array.from({ length: 50 }, (_, i) => addMember('012025', `p-hakodate-${String(i).padStart(2, '0')}`));
    const started = performance.now();
    const outcomes = await Promise.all(commands.map(run));
    const ms = performance.now() - started;
    const failed = outcomes.filter((o) => !o.ok);
    console.info(
      `[int figures] decideAndAppend: 50 concurrent AddMember on one stream in ${ms.toFixed(0)} ms, ` +
        `${outcomes.length - failed.length} ok, ${failed.length} failed (${[...new Set(failed.map((o) => (!o.ok ? o.error.code : '')))].join(', ') || 'none'})`,
    );

    const stream = await streamOf('012025');
    const added = stream.filter((e) => e.type === 'MemberAdded');
    expect(new Set(added.map((e) => e.data.personId)).size).toBe(added.length); // none twice
    expect(added.map((e) => e.id).sort()).toEqual(
      commands
        .filter((_, i) => outcomes[i].ok)
        .map((c) => eventIdFor(c.metadata.commandId, 0))
        .sort(),
    ); // exactly the ok ones are recorded
    expect(failed.map((o) => !o.ok && o.error.code)).toEqual([]);
    expect(stream.map((e) => e.type)).toEqual(['OrganisationRegistered', ...Array(50).fill('MemberAdded')]);
    expect(stream.map((e) => e.revision)).toEqual(stream.map((_, i) => BigInt(i)));
  });

  it('answers COMMAND_ID_REUSED, and stores nothing, when a command id already used on one stream comes with a command for another', async () => {
    const first = register({ ...hokkaido, organisationId: '020001', name: '青森県', code: '020001', prefectureCode: '02' });
    expectOk(await run(first));
    const reused: RegisterOrganisation = {
      ...register({ ...hokkaido, organisationId: '030007', name: '岩手県', code: '030007', prefectureCode: '03' }),
      metadata: first.metadata,
    };
    const outcome = await run(reused);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'COMMAND_ID_REUSED', field: 'commandId' } });
    expect(await streamOf('030007')).toEqual([]);
  });
});
