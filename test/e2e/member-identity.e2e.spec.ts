/**
 * A member's personId is chosen by the caller of addMember. Whatever an admin passes there, the
 * platform must keep working for everyone else: the read models keep up and other people's
 * identities stay theirs. Own app and database, because a failure here can stop the projector.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gql, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

// jest.config.js sets testTimeout on the e2e project, but Jest reads it only from the global config.
jest.setTimeout(120_000);

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'e2e');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
});

afterAll(async () => {
  await stopAllApps();
  await database?.drop();
});

it("an admin of 檜原村 adding a member under the personId of 札幌市's staff neither stops the read models nor takes over that identity", async () => {
  const run = randomBytes(4).toString('hex');
  const villageAdmin = await demoLogin(app.url, 'staff@vill.hinohara.example.jp');
  const nationalAdmin = await demoLogin(app.url, 'admin@digital.example.jp');

  const { addMember } = await gqlData(
    app.url,
    'mutation ($input: AddMemberInput!) { addMember(input: $input) { position errors { code field } } }',
    {
      input: {
        commandId: randomUUID(),
        organisationId: '133078',
        personId: 'demo-sapporo-staff', // 札幌 三郎, a member of 札幌市 (011002)
        displayName: '檜原 偽三郎',
        email: `e2e-taken-${run}@vill.hinohara.example.jp`,
        roles: ['MEMBER'],
      },
    },
    villageAdmin,
  );
  // Refusing it (a personId in use elsewhere) or accepting it are both fine; what follows is not negotiable.
  expect(Array.isArray(addMember.errors)).toBe(true);

  // A later, unrelated write is readable: the projector has not stopped.
  const vendorId = `e2e-after-${run}`;
  const { registerOrganisation } = await gqlData(
    app.url,
    'mutation ($input: RegisterOrganisationInput!) { registerOrganisation(input: $input) { position errors { code } } }',
    { input: { commandId: randomUUID(), id: vendorId, kind: 'VENDOR', name: `後続ベンダー ${run}` } },
    nationalAdmin,
  );
  expect(registerOrganisation.errors).toEqual([]);
  const read = await gql(
    app.url,
    'query ($id: ID, $at: Position) { organisation(id: $id, waitFor: $at) { id } }',
    { id: vendorId, at: registerOrganisation.position },
    nationalAdmin,
  );
  expect(read.errors).toBeUndefined();
  expect(read.data?.organisation).toEqual({ id: vendorId });

  const ready = await fetch(`${app.url}/health/ready`);
  expect(ready.status).toBe(200);

  // 札幌 三郎 is still 札幌市's member, with 札幌市's roles.
  const sapporoToken = await demoLogin(app.url, 'staff@city.sapporo.example.jp');
  const { me } = await gqlData(app.url, '{ me { personId roles organisation { id } } }', undefined, sapporoToken);
  expect(me).toEqual({ personId: 'demo-sapporo-staff', roles: ['MEMBER'], organisation: { id: '011002' } });
});
