/**
 * The specs slice from the outside: the built app as a child process on a fresh database of the
 * shared embedded PostgreSQL, with the demo seed (which imports 住民記録システム標準仕様書 4.0),
 * driven over HTTP, graphql-ws and socket.io; and the `specs:import` CLI as a second process on
 * the same database.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { JUMIN_KIROKU_CSV, JUMIN_KIROKU_MARKDOWN, JUMIN_KIROKU_REQUIREMENTS } from '@kyogi/domain/specs-import/jumin-kiroku.sample';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gql, gqlData, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(120_000);

const ADMIN = 'admin@digital.example.jp'; // デジタル庁: national admin and coordinator, owner of juminkiroku
const MIC = 'secretariat@mic.example.jp'; // 総務省: national member, approver, coordinator
const HOKKAIDO = 'coordinator@pref.hokkaido.example.jp'; // 北海道: prefectural coordinator
const SAPPORO_STAFF = 'staff@city.sapporo.example.jp'; // 札幌市: member
const HINOHARA_ADMIN = 'staff@vill.hinohara.example.jp'; // 檜原村: member, approver, admin
const VENDOR = 'engineer@vendor.example.jp'; // vendor member
const AUDITOR = 'auditor@observer.example.jp'; // observer viewer
const EVERYONE = [ADMIN, MIC, HOKKAIDO, SAPPORO_STAFF, HINOHARA_ADMIN, VENDOR, AUDITOR];

const ROOT = path.resolve(__dirname, '..', '..');
const CLI_JS = path.join(ROOT, 'dist', 'apps', 'api', 'src', 'cli', 'import-spec-version.js');
const run = randomBytes(4).toString('hex'); // keeps spec ids of this run apart

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
let scratch: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'specs');
  app = await startApp({ databaseUrl: database.url, seedDemo: true });
  for (const email of EVERYONE) tokens[email] = await demoLogin(app.url, email);
  scratch = mkdtempSync(path.join(tmpdir(), 'kyogi-e2e-specs-'));
});

afterAll(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  for (const socket of sockets.splice(0)) socket.close();
  await stopAllApps();
  await database?.drop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers.

const ERRORS = 'errors { code message field }';
const SPEC_FIELDS = 'id title domain ownerOrganisationId revision latestVersion { version requirementCount } versions { version }';
const CREATE = `mutation ($input: CreateSpecInput!) { createSpec(input: $input) { spec { ${SPEC_FIELDS} } position ${ERRORS} } }`;
const IMPORT = `mutation ($input: ImportSpecVersionInput!) {
  importSpecVersion(input: $input) { specVersion { specId version requirementCount incorporatedProposalIds } spec { latestVersion { version } } position ${ERRORS} }
}`;

async function spec(id: string, token = tokens[AUDITOR]) {
  return (await gqlData(app.url, `query ($id: ID!) { spec(id: $id) { ${SPEC_FIELDS} } }`, { id }, token)).spec;
}

async function versionsOf(id: string): Promise<string[]> {
  return ((await spec(id))?.versions ?? []).map((v: { version: string }) => v.version);
}

async function createSpec(id: string, token = tokens[ADMIN], extra: Record<string, unknown> = {}) {
  const input = { commandId: randomUUID(), id, title: `E2E仕様書 ${id}`, domain: '税務', ...extra };
  return (await gqlData(app.url, CREATE, { input }, token)).createSpec;
}

async function importVersion(input: Record<string, unknown>, token = tokens[ADMIN]) {
  return (await gqlData(app.url, IMPORT, { input: { commandId: randomUUID(), ...input } }, token)).importSpecVersion;
}

interface RequirementNode {
  requirementId: string;
  title: string;
  text: string;
  category: string;
  categoryLabel: string;
  ordinal: number;
}

const REQUIREMENTS = `query ($specId: ID!, $version: String!, $search: String, $category: RequirementCategory, $first: Int, $after: String) {
  specVersion(specId: $specId, version: $version) {
    requirements(search: $search, category: $category, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { requirementId title text category categoryLabel ordinal } }
    }
  }
}`;

/** Every requirement of a version through pages of `first`; also returns the page sizes. */
async function allRequirements(specId: string, version: string, args: Record<string, unknown> = {}, first = 200) {
  const nodes: RequirementNode[] = [];
  const pageSizes: number[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (let page = 0; page < 100; page++) {
    const data: any = await gqlData(app.url, REQUIREMENTS, { specId, version, first, after, ...args }, tokens[AUDITOR]);
    const connection = data.specVersion.requirements;
    totalCount = connection.totalCount;
    pageSizes.push(connection.edges.length);
    nodes.push(...connection.edges.map((e: { node: RequirementNode }) => e.node));
    if (!connection.pageInfo.hasNextPage) break;
    expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1).cursor);
    after = connection.pageInfo.endCursor;
  }
  return { nodes, pageSizes, totalCount };
}

const CATEGORY_ENUM: Record<string, string> = { 実装必須: 'MANDATORY', 標準オプション: 'STANDARD_OPTION', 実装不可: 'PROHIBITED' };
const asNodes = (list: readonly { requirementId: string; title: string; text: string; category: string }[]) =>
  list.map((r, i) => ({ ...r, category: CATEGORY_ENUM[r.category], categoryLabel: r.category, ordinal: i + 1 }));

async function readModelPosition(): Promise<string> {
  return (await gqlData(app.url, '{ serverInfo { readModelPosition } }', undefined, tokens[AUDITOR])).serverInfo.readModelPosition;
}

// ---------------------------------------------------------------------------------------------

describe('the seeded spec: 住民記録システム標準仕様書 4.0', () => {
  it('is owned by デジタル庁, with version 4.0 imported from the 住民記録 sample', async () => {
    const data = await gqlData(
      app.url,
      `{ spec(id: "juminkiroku") { id title domain ownerOrganisationId ownerOrganisation { id name kind } revision
          latestVersion { specId version requirementCount incorporatedProposalIds spec { id } }
          versions { version } } }`,
      undefined,
      tokens[SAPPORO_STAFF],
    );
    expect(data.spec).toEqual({
      id: 'juminkiroku',
      title: '住民記録システム標準仕様書',
      domain: '住民記録',
      ownerOrganisationId: 'digital-agency',
      ownerOrganisation: { id: 'digital-agency', name: 'デジタル庁', kind: 'NATIONAL' },
      revision: 1,
      latestVersion: {
        specId: 'juminkiroku',
        version: '4.0',
        requirementCount: JUMIN_KIROKU_REQUIREMENTS.length,
        incorporatedProposalIds: [],
        spec: { id: 'juminkiroku' },
      },
      versions: [{ version: '4.0' }],
    });
  });

  it('lists it by domain, owner and search, for every signed-in role', async () => {
    const list = async (args: string, email = AUDITOR) =>
      (await gqlData(app.url, `{ specs(${args}) { totalCount edges { node { id } } } }`, undefined, tokens[email])).specs;
    for (const email of EVERYONE) expect((await list('search: "住民記録"', email)).edges.map((e: any) => e.node.id)).toContain('juminkiroku');
    expect((await list('domain: "住民記録"')).edges.map((e: any) => e.node.id)).toEqual(['juminkiroku']);
    expect((await list('ownerOrganisationId: "digital-agency", search: "jumin"')).edges.map((e: any) => e.node.id)).toEqual(['juminkiroku']);
    expect((await list('ownerOrganisationId: "mic", search: "jumin"')).totalCount).toBe(0);
    expect((await list('search: "100%"')).totalCount).toBe(0); // % is a character, not a wildcard
  });

  it('has every requirement of the sample, in document order, with its category', async () => {
    const { nodes, totalCount } = await allRequirements('juminkiroku', '4.0');
    expect(totalCount).toBe(JUMIN_KIROKU_REQUIREMENTS.length);
    expect(nodes).toEqual(asNodes(JUMIN_KIROKU_REQUIREMENTS));
  });

  it('pages through the requirements 4 at a time (keyset on the document order), each once', async () => {
    const { nodes, pageSizes, totalCount } = await allRequirements('juminkiroku', '4.0', {}, 4);
    expect(pageSizes).toEqual([4, 4, 3]);
    expect(totalCount).toBe(11);
    expect(nodes.map((n) => n.requirementId)).toEqual(JUMIN_KIROKU_REQUIREMENTS.map((r) => r.requirementId));
    expect(nodes.map((n) => n.ordinal)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
  });

  it.each([
    ['an id prefix', '2.1.'],
    ['a word of a title', 'コンビニ'],
    ['a phrase of the text', '住民票コード'],
    ['text across a line break', '保持すること'],
    ['a Latin word, ignoring case', 'j-lis'],
  ])('finds requirements by %s (%s), paged 2 at a time', async (_label, search) => {
    const expected = JUMIN_KIROKU_REQUIREMENTS.filter((r) =>
      [r.requirementId, r.title, r.text].some((field) => field.toLowerCase().includes(search.toLowerCase())),
    ).map((r) => r.requirementId);
    expect(expected.length).toBeGreaterThan(0);
    const { nodes, totalCount } = await allRequirements('juminkiroku', '4.0', { search }, 2);
    expect(nodes.map((n) => n.requirementId)).toEqual(expected);
    expect(totalCount).toBe(expected.length);
  });

  it('filters by category, also together with a search', async () => {
    const ids = async (args: Record<string, unknown>) => (await allRequirements('juminkiroku', '4.0', args)).nodes.map((n) => n.requirementId);
    expect(await ids({ category: 'PROHIBITED' })).toEqual(['9.9.1']);
    expect(await ids({ category: 'STANDARD_OPTION' })).toEqual(
      JUMIN_KIROKU_REQUIREMENTS.filter((r) => r.category === '標準オプション').map((r) => r.requirementId),
    );
    expect(await ids({ category: 'MANDATORY', search: '交付' })).toEqual(['2.1.3', '2.1.4', '2.2.1']);
    expect(await ids({ search: '存在しない語' })).toEqual([]);
  });

  it('reads one requirement, and nothing for an unknown id or a version string that is not exact', async () => {
    const one = await gqlData(
      app.url,
      `{ requirement(specId: "juminkiroku", version: "4.0", requirementId: "1.2.4") { specId version requirementId title text category categoryLabel ordinal }
         viaVersion: specVersion(specId: "juminkiroku", version: "4.0") { requirement(requirementId: "9.9.1") { title category } }
         unknown: requirement(specId: "juminkiroku", version: "4.0", requirementId: "8.8.8") { title }
         inexact: specVersion(specId: "juminkiroku", version: "4") { version } }`,
      undefined,
      tokens[VENDOR],
    );
    expect(one.requirement).toEqual({
      specId: 'juminkiroku',
      version: '4.0',
      requirementId: '1.2.4',
      title: '職権修正',
      text: '誤記等を発見した場合、職権により住民票の記載事項を修正できること。\n\n修正前の記載内容は、履歴として保持すること。',
      category: 'STANDARD_OPTION',
      categoryLabel: '標準オプション',
      ordinal: 4,
    });
    expect(one.viaVersion).toEqual({ requirement: { title: '独自帳票の出力', category: 'PROHIBITED' } });
    expect(one.unknown).toBeNull();
    expect(one.inexact).toBeNull();
  });

  it('answers bad page arguments with coded errors, and no token with UNAUTHENTICATED', async () => {
    const tooBig = await gql(app.url, REQUIREMENTS, { specId: 'juminkiroku', version: '4.0', first: 201 }, tokens[AUDITOR]);
    expect(tooBig.errors?.[0].extensions?.code).toBe('INVALID_PAGE_SIZE');
    const badCursor = await gql(app.url, REQUIREMENTS, { specId: 'juminkiroku', version: '4.0', after: 'not-a-cursor' }, tokens[AUDITOR]);
    expect(badCursor.errors?.[0].extensions?.code).toBe('INVALID_CURSOR');
    const specsCursor = await gql(app.url, '{ specs(after: "bm9wZQ") { totalCount } }', undefined, tokens[AUDITOR]);
    expect(specsCursor.errors?.[0].extensions?.code).toBe('INVALID_CURSOR');
    for (const query of [
      '{ specs { totalCount } }',
      '{ spec(id: "juminkiroku") { id } }',
      '{ specVersion(specId: "juminkiroku", version: "4.0") { version } }',
    ]) {
      const anonymous = await gql(app.url, query);
      expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect(Object.values(anonymous.data ?? {}).every((v) => v === null)).toBe(true);
    }
  });
});

describe('createSpec', () => {
  it.each([
    ['デジタル庁 admin and coordinator', ADMIN, 'digital-agency'],
    ['総務省 coordinator', MIC, 'mic'],
  ])('creates a spec owned by its own organisation for a %s', async (_label, email, owner) => {
    const id = `e2e-${owner}-${run}`;
    const input = { commandId: randomUUID(), id, title: '  介護保険システム標準仕様書  ', domain: '福祉' };
    const payload = (await gqlData(app.url, CREATE, { input }, tokens[email])).createSpec;
    expect(payload).toEqual({
      spec: { id, title: '介護保険システム標準仕様書', domain: '福祉', ownerOrganisationId: owner, revision: 0, latestVersion: null, versions: [] },
      position: expect.stringMatching(/^[0-9a-f]{16}\.[0-9a-f]{16}$/),
      errors: [],
    });
    // A retry with the same commandId: the same answer, nothing created twice.
    expect((await gqlData(app.url, CREATE, { input }, tokens[email])).createSpec).toEqual(payload);
    // A new command for the same id is a conflict.
    const again = (await gqlData(app.url, CREATE, { input: { ...input, commandId: randomUUID() } }, tokens[email])).createSpec;
    expect(again).toMatchObject({ spec: null, position: null, errors: [{ code: 'SPEC_ALREADY_EXISTS', field: 'specId' }] });
  });

  it.each([
    ['a prefectural coordinator', HOKKAIDO],
    ['a municipal member', SAPPORO_STAFF],
    ['a municipal admin', HINOHARA_ADMIN],
    ['a vendor member', VENDOR],
    ['an observer viewer', AUDITOR],
  ])('is FORBIDDEN, in the payload, for %s, and creates nothing', async (_label, email) => {
    const id = `e2e-forbidden-${email.split('@')[0]}-${run}`;
    const payload = await createSpec(id, tokens[email]);
    expect(payload).toEqual({
      spec: null,
      position: null,
      errors: [{ code: 'FORBIDDEN', field: null, message: 'spec.create requires the admin or coordinator role in a national organisation' }],
    });
    expect(await spec(id, tokens[ADMIN])).toBeNull();
  });

  it('refuses a malformed id or a blank title with a code and a field, and no token with UNAUTHENTICATED', async () => {
    expect(await createSpec('Bad Id')).toMatchObject({ spec: null, errors: [{ code: 'INVALID_SPEC_ID', field: 'specId' }] });
    expect(await createSpec(`e2e-blank-${run}`, tokens[ADMIN], { title: ' \u3000' })).toMatchObject({ errors: [{ code: 'INVALID_TITLE', field: 'title' }] });
    expect(await spec(`e2e-blank-${run}`)).toBeNull();
    const anonymous = await gql(app.url, CREATE, { input: { id: `e2e-anon-${run}`, title: 't', domain: 'd' } });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('importSpecVersion', () => {
  const specId = `e2e-import-${run}`;
  beforeAll(async () => {
    expect((await createSpec(specId)).errors).toEqual([]);
  });

  it('publishes a CSV (Excel\'s "CSV UTF-8": BOM, CRLF, Japanese headers, an extra column) and answers with the version readable', async () => {
    const payload = await importVersion({ specId, version: '1.0', format: 'CSV', content: JUMIN_KIROKU_CSV });
    expect(payload).toEqual({
      specVersion: { specId, version: '1.0', requirementCount: 11, incorporatedProposalIds: [] },
      spec: { latestVersion: { version: '1.0' } },
      position: expect.any(String),
      errors: [],
    });
    expect((await allRequirements(specId, '1.0')).nodes).toEqual(asNodes(JUMIN_KIROKU_REQUIREMENTS));
  });

  it('publishes Markdown as the next version, and answers a retry with the same commandId as the first time', async () => {
    const content = JUMIN_KIROKU_MARKDOWN.replace('### 3.2.1 旧氏の併記 ###', '### 3.2.2 旧氏の併記（改）');
    const input = { commandId: randomUUID(), specId, version: '1.1', format: 'MARKDOWN', content };
    const first = await importVersion(input);
    expect(first).toMatchObject({ specVersion: { version: '1.1', requirementCount: 11 }, spec: { latestVersion: { version: '1.1' } }, errors: [] });
    expect(await importVersion(input)).toEqual(first);
    expect(await versionsOf(specId)).toEqual(['1.0', '1.1']);
    const ids = (await allRequirements(specId, '1.1')).nodes.map((n) => n.requirementId);
    expect(ids).toContain('3.2.2');
    expect(ids).not.toContain('3.2.1');
    const { requirement } = await gqlData(
      app.url,
      `query ($specId: ID!) { requirement(specId: $specId, version: "1.1", requirementId: "2.2.1") { title } }`,
      { specId },
      tokens[AUDITOR],
    );
    expect(requirement).toEqual({ title: '広域交付住民票の写しの交付' }); // ２．２．１ in the file, stored as 2.2.1
  });

  it('rejects a malformed CSV with every problem and its line, and stores nothing', async () => {
    const before = { versions: await versionsOf(specId), position: await readModelPosition() };
    const content = [
      '要件ID,要件名,要件,区分', // 1
      '5.1,正しい要件,正しい本文。,実装必須', // 2
      '5.2,区分の誤り,本文。,必須', // 3: unknown category
      '5.3,列の不足,本文。', // 4: too few fields
      '5.1,重複,本文。,実装必須', // 5: duplicate id
      '5..4,,本文,実装必須', // 6: invalid id, missing title
      '5.5,"引用の誤り"x,本文。,実装必須', // 7: text after a closing quote
    ].join('\n');
    const payload = await importVersion({ specId, version: '2.0', format: 'CSV', content });
    expect(payload.specVersion).toBeNull();
    expect(payload.spec).toBeNull();
    expect(payload.position).toBeNull();
    expect(payload.errors.map((e: { code: string; field: string; message: string }) => [e.code, e.field, e.message.match(/^line \d+/)?.[0]])).toEqual([
      ['UNKNOWN_CATEGORY', 'content', 'line 3'],
      ['WRONG_FIELD_COUNT', 'content', 'line 4'],
      ['DUPLICATE_ID', 'content', 'line 5'],
      ['INVALID_ID', 'content', 'line 6'],
      ['MISSING_TITLE', 'content', 'line 6'],
      ['INVALID_QUOTE', 'content', 'line 7'],
    ]);
    expect(payload.errors[0].message).toContain('必須');
    expect(payload.errors[2].message).toContain('line 2'); // where 5.1 was first used
    expect(await versionsOf(specId)).toEqual(before.versions);
    expect(await readModelPosition()).toBe(before.position);
    expect(
      (await gqlData(app.url, `query ($specId: ID!) { specVersion(specId: $specId, version: "2.0") { version } }`, { specId }, tokens[AUDITOR])).specVersion,
    ).toBeNull();
  });

  it('rejects malformed Markdown with every problem and its line, and stores nothing', async () => {
    const before = await versionsOf(specId);
    const content = [
      '# 仕様書', // 1
      '', // 2
      '## 6.1 区分のない要件', // 3
      '本文。', // 4: no category line
      '', // 5
      '## 6.2 区分の誤り', // 6
      '区分: 推奨', // 7: unknown category
      '本文。', // 8
      '', // 9
      '## 6.3 本文のない要件', // 10
      '区分: 実装必須', // 11: empty text (reported at the heading)
      '', // 12
      '## 6.4 閉じないコード', // 13
      '区分: 実装必須', // 14
      '```', // 15: fence never closed
      'コード',
    ].join('\n');
    const payload = await importVersion({ specId, version: '2.0', format: 'MARKDOWN', content });
    expect(payload.specVersion).toBeNull();
    expect(payload.errors.map((e: { code: string; field: string; message: string }) => [e.code, e.field, e.message.match(/^line \d+/)?.[0]])).toEqual([
      ['MISSING_CATEGORY', 'content', 'line 4'],
      ['UNKNOWN_CATEGORY', 'content', 'line 7'],
      ['EMPTY_TEXT', 'content', 'line 10'],
      ['UNTERMINATED_CODE_FENCE', 'content', 'line 15'],
    ]);
    expect(await versionsOf(specId)).toEqual(before);
  });

  it('enforces the version order: the same version again, or a lower one, is refused (numerically: 1.10 > 1.9)', async () => {
    const csv = (id: string) => `id,title,text,category\n${id},要件,本文。,実装必須\n`;
    expect((await importVersion({ specId, version: '1.1', format: 'CSV', content: csv('1') })).errors).toMatchObject([
      { code: 'VERSION_ALREADY_PUBLISHED', field: 'version' },
    ]);
    expect((await importVersion({ specId, version: '1.01', format: 'CSV', content: csv('1') })).errors).toMatchObject([
      { code: 'VERSION_ALREADY_PUBLISHED', field: 'version' },
    ]);
    expect((await importVersion({ specId, version: '0.9', format: 'CSV', content: csv('1') })).errors).toMatchObject([
      { code: 'VERSION_NOT_INCREASING', field: 'version' },
    ]);
    expect((await importVersion({ specId, version: 'v2', format: 'CSV', content: csv('1') })).errors).toMatchObject([
      { code: 'INVALID_VERSION', field: 'version' },
    ]);
    expect((await importVersion({ specId, version: '1.10', format: 'CSV', content: csv('1') })).errors).toEqual([]);
    expect((await importVersion({ specId, version: '1.9', format: 'CSV', content: csv('1') })).errors).toMatchObject([
      { code: 'VERSION_NOT_INCREASING', field: 'version' },
    ]);
    expect(await versionsOf(specId)).toEqual(['1.0', '1.1', '1.10']);
  });

  it("is FORBIDDEN for anyone but an admin or coordinator of the owner (総務省's coordinator included), and stores nothing", async () => {
    const before = await versionsOf(specId);
    for (const email of [MIC, HOKKAIDO, SAPPORO_STAFF, HINOHARA_ADMIN, VENDOR, AUDITOR]) {
      const payload = await importVersion({ specId, version: '9.0', format: 'CSV', content: JUMIN_KIROKU_CSV }, tokens[email]);
      expect(payload).toEqual({
        specVersion: null,
        spec: null,
        position: null,
        errors: [{ code: 'FORBIDDEN', field: null, message: "spec.publishVersion requires the admin or coordinator role in the spec's owner organisation" }],
      });
    }
    expect(await versionsOf(specId)).toEqual(before);
    // … checked before the file is read: a malformed file gets the same answer.
    expect((await importVersion({ specId, version: '9.0', format: 'CSV', content: 'x' }, tokens[VENDOR])).errors).toMatchObject([{ code: 'FORBIDDEN' }]);
  });

  it('refuses an unknown spec, and an incorporated proposal that does not exist, storing nothing', async () => {
    expect((await importVersion({ specId: `e2e-nowhere-${run}`, version: '1.0', format: 'CSV', content: JUMIN_KIROKU_CSV })).errors).toMatchObject([
      { code: 'SPEC_NOT_FOUND', field: 'specId' },
    ]);
    expect((await importVersion({ specId: 'Not A Spec', version: '1.0', format: 'CSV', content: JUMIN_KIROKU_CSV })).errors).toMatchObject([
      { code: 'SPEC_NOT_FOUND', field: 'specId' },
    ]);
    const before = await versionsOf(specId);
    const payload = await importVersion({ specId, version: '3.0', format: 'CSV', content: JUMIN_KIROKU_CSV, incorporatedProposalIds: ['no-such-proposal'] });
    expect(payload).toMatchObject({ specVersion: null, errors: [{ code: 'PROPOSAL_NOT_FOUND', field: 'incorporatedProposalIds[0]' }] });
    expect(await versionsOf(specId)).toEqual(before);
  });

  // The HTTP request body limit is Express's default, 100 KB (see the report: main.ts does not raise
  // it yet); larger files go through the CLI, which reads up to the importer's 1 MB.
  it('takes a file of 150 requirements (about 85 KB) through GraphQL', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => `7.${i + 1},要件${i + 1},"${'本文を長めに書く。'.repeat(20)}",実装必須`);
    const content = ['要件ID,要件名,要件,区分', ...rows].join('\n');
    expect(Buffer.byteLength(JSON.stringify({ content }))).toBeGreaterThan(80_000);
    const payload = await importVersion({ specId, version: '4.0', format: 'CSV', content });
    expect(payload).toMatchObject({ specVersion: { version: '4.0', requirementCount: 150 }, errors: [] });
    expect((await allRequirements(specId, '4.0', { search: '要件150' })).nodes.map((n) => [n.requirementId, n.ordinal])).toEqual([['7.150', 150]]);
  });
});

// ---------------------------------------------------------------------------------------------
// The CLI, as an operator runs it: a second process on the same database.

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^(KYOGI_|OIDC_|DATABASE_URL$|DATA_DIR$|EVENTSTORE_|REDIS_URL$)/.test(name)) env[name] = value;
  Object.assign(env, { NODE_ENV: 'test', DATABASE_URL: database.url, DATA_DIR: app.dataDir, LOG_LEVEL: 'warn', NO_COLOR: '1' });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_JS, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run specs:import (the CLI)', () => {
  const specId = `e2e-cli-${run}`;
  beforeAll(async () => {
    expect((await createSpec(specId)).errors).toEqual([]);
  });

  it('publishes a CSV file as the owner, prints what it stored with the position, and the version appears through GraphQL', async () => {
    const file = path.join(scratch, '住民記録.csv');
    writeFileSync(file, JUMIN_KIROKU_CSV);
    const result = await runCli(['--spec', specId, '--version', '2.0', '--file', file]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      new RegExp(`^published ${specId} 2\\.0: 11 requirements from .*住民記録\\.csv \\(csv\\)\\nposition [0-9a-f]{16}\\.[0-9a-f]{16}\\n$`),
    );
    const position = /position (\S+)/.exec(result.stdout)![1];
    const { specVersion } = await gqlData(
      app.url,
      'query ($specId: ID!, $at: Position) { specVersion(specId: $specId, version: "2.0", waitFor: $at) { version requirementCount } }',
      { specId, at: position },
      tokens[AUDITOR],
    );
    expect(specVersion).toEqual({ version: '2.0', requirementCount: 11 });
    expect((await allRequirements(specId, '2.0')).nodes).toEqual(asNodes(JUMIN_KIROKU_REQUIREMENTS));

    // The same import again: its command id derives from the file, so nothing is stored twice.
    const again = await runCli(['--spec', specId, '--version', '2.0', '--file', file]);
    expect({ code: again.code, stdout: again.stdout }).toEqual({ code: 0, stdout: result.stdout });
    expect(await versionsOf(specId)).toEqual(['2.0']);
  });

  it('publishes a Markdown file (.md) as the next version', async () => {
    const file = path.join(scratch, 'jumin-kiroku-2.1.md');
    writeFileSync(file, JUMIN_KIROKU_MARKDOWN);
    const result = await runCli(['--spec', specId, '--version', '2.1', '--file', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`published ${specId} 2.1: 11 requirements`);
    const position = /position (\S+)/.exec(result.stdout)![1];
    const { spec: after } = await gqlData(
      app.url,
      'query ($id: ID!, $at: Position) { spec(id: $id, waitFor: $at) { latestVersion { version } versions { version } } }',
      { id: specId, at: position },
      tokens[AUDITOR],
    );
    expect(after).toEqual({ latestVersion: { version: '2.1' }, versions: [{ version: '2.0' }, { version: '2.1' }] });
  });

  it('prints every problem of a malformed file as file:line, exits 1 and stores nothing', async () => {
    const file = path.join(scratch, 'broken.csv');
    writeFileSync(file, ['要件ID,要件名,要件,区分', '8.1,良い,本文。,実装必須', '8.2,悪い,本文。,推奨', '8.3,短い'].join('\r\n'));
    const result = await runCli(['--spec', specId, '--version', '3.0', '--file', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: UNKNOWN_CATEGORY \\(category\\): Unknown category "推奨"`)),
      expect.stringMatching(/broken\.csv:4: WRONG_FIELD_COUNT: The row has 2 fields; the header has 4\.$/),
      'specs:import: 2 problem(s) in ' + file + '; nothing was stored',
    ]);
    expect(await versionsOf(specId)).toEqual(['2.0', '2.1']);
  });

  it('exits 1 with the code for an unknown spec, a version out of order, or a bad command line', async () => {
    const file = path.join(scratch, '住民記録.csv');
    const unknown = await runCli(['--spec', `e2e-nowhere-${run}`, '--version', '1.0', '--file', file]);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('SPEC_NOT_FOUND');
    const lower = await runCli(['--spec', specId, '--version', '1.5', '--file', file]);
    expect(lower).toMatchObject({ code: 1, stdout: '' });
    expect(lower.stderr).toContain('VERSION_NOT_INCREASING (version): A new version must be greater than the latest, 2.1; got 1.5.');
    const usage = await runCli(['--spec', specId, '--file', file]);
    expect(usage).toMatchObject({ code: 1, stdout: '' });
    expect(usage.stderr).toContain('usage: npm run specs:import');
    const txt = await runCli(['--spec', specId, '--version', '9.0', '--file', path.join(scratch, 'notes.txt')]);
    expect(txt.code).toBe(1);
    expect(txt.stderr).toContain('cannot tell the format');
    expect(await versionsOf(specId)).toEqual(['2.0', '2.1']);
  });
  it('imports a file too large for a GraphQL request (1,500 requirements, about 850 KB)', async () => {
    const file = path.join(scratch, 'large.csv');
    const rows = Array.from(
      { length: 1500 },
      (_, i) => `${Math.floor(i / 100) + 1}.${(i % 100) + 1},要件${i + 1},"${'本文を長めに書く。'.repeat(20)}",実装必須`,
    );
    writeFileSync(file, ['要件ID,要件名,要件,区分', ...rows].join('\r\n'));
    const started = Date.now();
    const result = await runCli(['--spec', specId, '--version', '3.0', '--file', file]);
    const ms = Date.now() - started;
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`published ${specId} 3.0: 1500 requirements`);
    const position = /position (\S+)/.exec(result.stdout)![1];
    const { specVersion } = await gqlData(
      app.url,
      'query ($specId: ID!, $at: Position) { specVersion(specId: $specId, version: "3.0", waitFor: $at) { requirementCount requirements(first: 1, search: "要件1500") { edges { node { requirementId ordinal } } } } }',
      { specId, at: position },
      tokens[AUDITOR],
    );
    expect(specVersion).toEqual({ requirementCount: 1500, requirements: { edges: [{ node: { requirementId: '15.100', ordinal: 1500 } }] } });
    process.stdout.write(
      `specs:import: ${Buffer.byteLength(rows.join('\r\n')).toLocaleString('en-US')} bytes, 1,500 requirements in ${ms} ms (process start to exit)\n`,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Live: specChanged over graphql-ws, the spec:<id> room over socket.io.

const clients: Client[] = [];
const sockets: Socket[] = [];

function wsClient(token: string): Client {
  const client = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
  });
  clients.push(client);
  return client;
}

interface SpecChange {
  specId: string;
  change: string;
  position: string;
  spec: { latestVersion: { version: string } | null } | null;
}

function subscribeSpec(client: Client, id: string, after: string) {
  const events: SpecChange[] = [];
  const errors: unknown[] = [];
  client.subscribe<{ specChanged: SpecChange }>(
    {
      query: 'subscription ($id: ID!, $after: Position) { specChanged(id: $id, after: $after) { specId change position spec { latestVersion { version } } } }',
      variables: { id, after },
    },
    { next: (r) => (r.data ? events.push(r.data.specChanged) : errors.push(r.errors)), error: (e) => errors.push(e), complete: () => undefined },
  );
  const until = async (predicate: (e: SpecChange) => boolean, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!events.some(predicate) && !errors.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (errors.length) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
    const found = events.find(predicate);
    if (!found) throw new Error(`no matching change within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
    return found;
  };
  return { events, until };
}

describe('live changes of a spec', () => {
  it('delivers specChanged for that spec only, from `after` with no gap, to every signed-in role', async () => {
    const specId = `e2e-live-${run}`;
    const other = `e2e-live-other-${run}`;
    const start = await readModelPosition(); // `after`: replayed from the change log, so no race with the subscribe
    const auditor = subscribeSpec(wsClient(tokens[AUDITOR]), specId, start);
    const vendor = subscribeSpec(wsClient(tokens[VENDOR]), specId, start);
    const elsewhere = subscribeSpec(wsClient(tokens[AUDITOR]), other, start);

    const created = await createSpec(specId);
    const published = await importVersion({ specId, version: '1.0', format: 'MARKDOWN', content: JUMIN_KIROKU_MARKDOWN });
    expect(published.errors).toEqual([]);
    await createSpec(other);

    for (const subscriber of [auditor, vendor]) {
      await subscriber.until((e) => e.position === published.position);
      expect(subscriber.events.map((e) => [e.specId, e.change, e.position])).toEqual([
        [specId, 'SpecCreated', created.position],
        [specId, 'SpecVersionPublished', published.position],
      ]);
      expect(subscriber.events[1].spec).toEqual({ latestVersion: { version: '1.0' } });
    }
    await elsewhere.until((e) => e.change === 'SpecCreated');
    expect(elsewhere.events.map((e) => e.specId)).toEqual([other]);
  });

  it('refuses specChanged without a token (4403 at connection_init)', async () => {
    const closed = await new Promise<number>((resolve) => {
      const client = createClient({
        url: `${app.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        onNonLazyError: () => undefined,
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      clients.push(client);
    });
    expect(closed).toBe(4403);
  });

  it('lets any signed-in role join the socket.io room spec:<id>, which then carries that spec’s changes', async () => {
    const specId = `e2e-room-${run}`;
    expect((await createSpec(specId)).errors).toEqual([]);
    const socket = io(`${app.url}/live`, { auth: { token: tokens[AUDITOR] }, transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(socket);
    const changes: { room: string; entity: string; id: string; change: string; position: string }[] = [];
    socket.on('change', (change) => changes.push(change));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const join = (room: string) => socket.timeout(10_000).emitWithAck('join', { room });
    expect(await join(`spec:${specId}`)).toMatchObject({ ok: true, room: `spec:${specId}` });
    expect(await join('spec:Not_A_Spec')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });

    const published = await importVersion({ specId, version: '1.0', format: 'CSV', content: JUMIN_KIROKU_CSV });
    expect(published.errors).toEqual([]);
    const deadline = Date.now() + 15_000;
    while (!changes.some((c) => c.position === published.position) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(changes).toEqual([{ room: `spec:${specId}`, entity: 'spec', id: specId, change: 'SpecVersionPublished', position: published.position }]);
  });
});
