/**
 * Mandates from the outside: the built app on a fresh database, seeded with the demo
 * organisations. 檜原村 (133078)'s approver mandates 東京都 (130001) to cast its stances on
 * 住民記録 specs; the mandate is listed for both organisations and national admins and
 * coordinators, not for 札幌市 or 北海道; it is valid by time (activeAt), and revoked.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gql, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(120_000);

const ADMIN = 'admin@digital.example.jp'; // デジタル庁: admin, coordinator
const MIC = 'secretariat@mic.example.jp'; // 総務省: member, approver, coordinator
const HOKKAIDO = 'coordinator@pref.hokkaido.example.jp'; // 北海道: member, coordinator
const SAPPORO_APPROVER = 'approver@city.sapporo.example.jp'; // 札幌市: member, approver
const HINOHARA = 'staff@vill.hinohara.example.jp'; // 檜原村: member, approver, admin
const run = randomBytes(4).toString('hex');
const TOKYO = `staff-${run}@metro.tokyo.example.jp`; // 東京都: member, approver (added below)
const HINOHARA_MEMBER = `member-${run}@vill.hinohara.example.jp`; // 檜原村: member only (added below)
const HINOHARA_ID = '133078';
const TOKYO_ID = '130001';

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'mandates');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  tokens[ADMIN] = await demoLogin(app.url, ADMIN);
  for (const [organisationId, email, roles] of [
    [TOKYO_ID, TOKYO, ['MEMBER', 'APPROVER']],
    [HINOHARA_ID, HINOHARA_MEMBER, ['MEMBER']],
  ] as const) {
    const { addMember } = await gqlData(
      app.url,
      'mutation ($input: AddMemberInput!) { addMember(input: $input) { member { personId } errors { code message } } }',
      { input: { organisationId, displayName: `試験 ${email.split('@')[0]}`, email, roles } },
      tokens[ADMIN],
    );
    expect(addMember.errors).toEqual([]);
  }
  for (const email of [MIC, HOKKAIDO, SAPPORO_APPROVER, HINOHARA, TOKYO, HINOHARA_MEMBER]) tokens[email] = await demoLogin(app.url, email);
});

afterAll(async () => {
  await stopAllApps();
  await database?.drop();
});

const MANDATE =
  'id grantorOrganisationId granteeOrganisationId scope { kind consultationId domain } expiresAt revoked revokedReason grantedAt grantedByPersonId position';

interface Payload {
  errors: { code: string; message: string; field: string | null }[];
  position: string | null;
  mandate: any;
}

async function grant(email: string, input: Record<string, unknown>): Promise<Payload> {
  const { grantMandate } = await gqlData(
    app.url,
    `mutation ($input: GrantMandateInput!) { grantMandate(input: $input) { mandate { ${MANDATE} } position errors { code message field } } }`,
    { input: { commandId: randomUUID(), ...input } },
    tokens[email],
  );
  return grantMandate;
}

async function revoke(email: string, mandateId: string, reason: string): Promise<Payload> {
  const { revokeMandate } = await gqlData(
    app.url,
    `mutation ($input: RevokeMandateInput!) { revokeMandate(input: $input) { mandate { ${MANDATE} } position errors { code message field } } }`,
    { input: { commandId: randomUUID(), mandateId, reason } },
    tokens[email],
  );
  return revokeMandate;
}

async function mandates(email: string, args: Record<string, unknown> = {}): Promise<any[]> {
  const { mandates: list } = await gqlData(
    app.url,
    `query ($grantor: ID, $grantee: ID, $activeAt: DateTime, $waitFor: Position) {
       mandates(grantorOrganisationId: $grantor, granteeOrganisationId: $grantee, activeAt: $activeAt, waitFor: $waitFor) { ${MANDATE} }
     }`,
    args,
    tokens[email],
  );
  return list;
}

const ids = (list: any[]) => list.map((m) => m.id).sort();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe('mandates', () => {
  const domainMandate = `M-domain-${run}`;
  const consultationMandate = `M-consultation-${run}`;
  let position: string;
  let expiresAt: string;

  it("檜原村's approver mandates 東京都 for the 住民記録 domain", async () => {
    expiresAt = inDays(30);
    const payload = await grant(HINOHARA, { id: domainMandate, granteeOrganisationId: TOKYO_ID, scope: { domain: 'juminkiroku' }, expiresAt });
    expect(payload.errors).toEqual([]);
    expect(payload.mandate).toMatchObject({
      id: domainMandate,
      grantorOrganisationId: HINOHARA_ID,
      granteeOrganisationId: TOKYO_ID,
      scope: { kind: 'DOMAIN', consultationId: null, domain: 'juminkiroku' },
      expiresAt,
      revoked: false,
      revokedReason: null,
    });
    position = payload.position as string;
  });

  it('refuses grants by non-approvers, to oneself, with a past expiry or an ambiguous scope', async () => {
    const base = { granteeOrganisationId: TOKYO_ID, scope: { domain: 'juminkiroku' }, expiresAt: inDays(1) };
    expect((await grant(HINOHARA_MEMBER, base)).errors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    expect((await grant(HINOHARA, { ...base, granteeOrganisationId: HINOHARA_ID })).errors).toEqual([
      expect.objectContaining({ code: 'SELF_MANDATE', field: 'granteeOrganisationId' }),
    ]);
    expect((await grant(HINOHARA, { ...base, expiresAt: inDays(-1) })).errors).toEqual([
      expect.objectContaining({ code: 'INVALID_EXPIRES_AT', field: 'expiresAt' }),
    ]);
    expect((await grant(HINOHARA, { ...base, scope: { domain: 'juminkiroku', consultationId: 'K-1' } })).errors).toEqual([
      expect.objectContaining({ code: 'INVALID_SCOPE', field: 'scope' }),
    ]);
    expect((await grant(HINOHARA, { ...base, scope: {} })).errors).toEqual([expect.objectContaining({ code: 'INVALID_SCOPE', field: 'scope' })]);
  });

  it('is listed for the grantor, the grantee and national admins and coordinators, not for 札幌市 or 北海道', async () => {
    for (const email of [HINOHARA, TOKYO, ADMIN, MIC]) expect(ids(await mandates(email, { waitFor: position }))).toEqual([domainMandate]);
    for (const email of [SAPPORO_APPROVER, HOKKAIDO]) expect(await mandates(email, { waitFor: position })).toEqual([]);
    expect(ids(await mandates(TOKYO, { grantee: TOKYO_ID }))).toEqual([domainMandate]);
    expect(await mandates(TOKYO, { grantor: TOKYO_ID })).toEqual([]);
    expect(await mandates(SAPPORO_APPROVER, { grantor: HINOHARA_ID })).toEqual([]);
  });

  it('needs a token to list', async () => {
    const result = await gql(app.url, '{ mandates { id } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('is valid by time: from its grant, strictly before its expiry', async () => {
    const shortExpiry = new Date(Date.now() + 60_000).toISOString();
    const payload = await grant(HINOHARA, {
      id: consultationMandate,
      granteeOrganisationId: TOKYO_ID,
      scope: { consultationId: 'K-1' },
      expiresAt: shortExpiry,
    });
    expect(payload.errors).toEqual([]);
    expect(payload.mandate.scope).toEqual({ kind: 'CONSULTATION', consultationId: 'K-1', domain: null });
    const grantedAt = payload.mandate.grantedAt as string;
    const at = (iso: string) => mandates(TOKYO, { activeAt: iso, waitFor: payload.position });
    expect(ids(await at(grantedAt))).toEqual([consultationMandate, domainMandate].sort());
    expect(ids(await at(new Date(Date.parse(shortExpiry) - 1).toISOString()))).toEqual([consultationMandate, domainMandate].sort());
    expect(ids(await at(shortExpiry))).toEqual([domainMandate]);
    expect(ids(await at(new Date(Date.parse(grantedAt) - 1).toISOString()))).toEqual([domainMandate]);
    expect(await at(expiresAt)).toEqual([]);
  });

  it('is revoked by the grantor only, with a reason; the revoked mandate stays listed but is no longer active', async () => {
    expect((await revoke(TOKYO, domainMandate, '不要')).errors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    expect((await revoke(HINOHARA, domainMandate, '　')).errors).toEqual([expect.objectContaining({ code: 'INVALID_REASON', field: 'reason' })]);
    expect((await revoke(HINOHARA, `M-none-${run}`, '不要')).errors).toEqual([expect.objectContaining({ code: 'MANDATE_NOT_FOUND' })]);
    const payload = await revoke(HINOHARA, domainMandate, '自ら回答するため');
    expect(payload.errors).toEqual([]);
    expect(payload.mandate).toMatchObject({ id: domainMandate, revoked: true, revokedReason: '自ら回答するため' });
    const now = new Date().toISOString();
    const listed = await mandates(TOKYO, { waitFor: payload.position });
    expect(listed.find((m) => m.id === domainMandate)).toMatchObject({ revoked: true, revokedReason: '自ら回答するため' });
    expect(ids(await mandates(TOKYO, { activeAt: now }))).toEqual([consultationMandate]);
    // Revoking again changes nothing.
    expect((await revoke(HINOHARA, domainMandate, '再度')).errors).toEqual([]);
    expect((await mandates(HINOHARA, { grantee: TOKYO_ID })).find((m) => m.id === domainMandate).revokedReason).toBe('自ら回答するため');
  });
});
