/**
 * Every mutation fuzzed (issue #9, test 14): fast-check arbitraries built from the input types
 * of schema/*.graphql — strings with control characters, lone surrogates, decomposed kana and
 * 25,000 characters, integers at and beyond every range, unknown enum values, nulls where a value
 * is required, deep input objects — sent as variables by a national admin (and anonymously for
 * demoLogin). Each answer is a 200 with data or errors, or a 4xx: never a 5xx, never a dropped
 * connection; and a refused command leaves the event store as it was (the number of events
 * before and after each refused call is the same).
 *
 * FUZZ_RUNS (default 12) is the number of inputs per mutation; raise it for a longer hunt.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { Client } from 'pg';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(600_000);

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const ROOT = path.resolve(__dirname, '..', '..');
const schema = buildSchema(
  readdirSync(path.join(ROOT, 'schema'))
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(path.join(ROOT, 'schema', file), 'utf8'))
    .join('\n'),
);
const mutations = Object.values(schema.getMutationType()!.getFields());

let app: AppProcess;
let database: { url: string; drop(): Promise<void> };
let pg: Client;
let adminToken: string;
const figures = { calls: 0, refused: 0, accepted: 0, status4xx: 0 };

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'fuzz');
  // No rate limit and no periodic checkpoints: the only writer is this test.
  app = await startApp({ databaseUrl: database.url, env: { RATE_LIMIT_USER_POINTS: '0', RATE_LIMIT_IP_POINTS: '0', CHECKPOINT_INTERVAL_SECONDS: '0' } });
  pg = new Client({ connectionString: database.url });
  await pg.connect();
  adminToken = await demoLogin(app.url, 'admin@digital.example.jp');
});

afterAll(async () => {
  console.info(
    `[e2e figures] fuzz: ${figures.calls} mutation calls (${RUNS} per mutation, ${mutations.length} mutations): ` +
      `${figures.accepted} accepted, ${figures.refused} refused (${figures.status4xx} with a 4xx), 0 with a 5xx`,
  );
  await pg?.end();
  await stopAllApps();
  await database?.drop();
});

// ---------------------------------------------------------------------------------------------
// Arbitraries from the schema.

const hostileStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0007b',
  'line\nbreak',
  'tab\there',
  'x\u0085y',
  '\u009b[2J',
  'lone \ud800 high',
  'lone \udc00 low',
  'か\u3099き\u3099',
  '😀👨‍👩‍👧',
  '\u202eevil',
  "'; DROP TABLE event_store.events; --",
  '{{7*7}}',
  'x'.repeat(25_000),
  '𠮷'.repeat(3000),
);
const plausibleStrings = fc.constantFrom(
  '131016',
  '133078',
  '011002',
  '13',
  'juminkiroku',
  '4.0',
  '2.1.3',
  'R-2.1.3',
  '2026-04-01',
  'admin@digital.example.jp',
  'start',
);
const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: hostileStrings },
  { weight: 2, arbitrary: plausibleStrings },
);
const anyInt = fc.oneof(
  fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }),
  fc.integer({ min: -2, max: 120 }),
  fc.constantFrom(0, 1, 31, 32, 100, 101, 200, 201, 1000, 1001, -1, 2_147_483_647, -2_147_483_648),
);
const anyFloat = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0.5, 1e9, 1e12 + 1, 20_000_000.5, Number.MAX_VALUE));
const anyDateTime = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  anyString,
);
const anyPosition = fc.oneof(
  fc.constant('start'),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 }).map((h) => `${h}.${h}`),
  anyString,
);

function arbitraryFor(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    // Mostly a value, sometimes a null where one is required (graphql-js must refuse it, not the app crash).
    return fc.oneof({ weight: 19, arbitrary: arbitraryFor(type.ofType, depth) }, { weight: 1, arbitrary: fc.constant(null) });
  }
  const nullable = (inner: fc.Arbitrary<unknown>) => fc.oneof({ weight: 4, arbitrary: inner }, { weight: 1, arbitrary: fc.constant(null) });
  if (isListType(type)) return nullable(fc.array(arbitraryFor(type.ofType, depth + 1), { maxLength: depth > 2 ? 1 : 4 }));
  if (isEnumType(type))
    return nullable(fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) }, { weight: 1, arbitrary: anyString }));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const model = Object.fromEntries(fields.map((field) => [field.name, arbitraryFor(field.type, depth + 1)]));
    const required = fields.filter((field) => isNonNullType(field.type)).map((field) => field.name);
    return nullable(fc.record(model, { requiredKeys: required }));
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'String':
      case 'ID':
        return nullable(anyString);
      case 'Int':
        return nullable(anyInt);
      case 'Float':
        return nullable(anyFloat);
      case 'Boolean':
        return nullable(fc.boolean());
      case 'DateTime':
        return nullable(anyDateTime);
      case 'Position':
        return nullable(anyPosition);
    }
  }
  throw new Error(`no arbitrary for ${String(type)}`);
}

/** `mutation ($a: T!) { field(a: $a) { __typename errors { code } } }`, with what the payload offers. */
function operation(field: GraphQLField<unknown, unknown>): string {
  const variables = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const returned = getNamedType(field.type);
  let selection = '';
  if (isObjectType(returned)) {
    const errors = returned.getFields().errors;
    selection = `{ __typename${errors && isObjectType(getNamedType(errors.type)) ? ' errors { code }' : ''} }`;
  } else if (!isScalarType(returned) && !isEnumType(returned)) {
    selection = '{ __typename }';
  }
  return `mutation${variables ? ` (${variables})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selection} }`;
}

async function eventCount(): Promise<number> {
  const { rows } = await pg.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events');
  return Number(rows[0].n);
}

// ---------------------------------------------------------------------------------------------

describe('every mutation, fuzzed', () => {
  it('covers the schema', () => {
    expect(mutations.length).toBeGreaterThan(30);
  });

  it.each(mutations.map((field) => [field.name, field] as const))('%s: a clear answer, never a 5xx, nothing stored when refused', async (name, field) => {
    const source = operation(field);
    const args = fc.record(Object.fromEntries(field.args.map((arg) => [arg.name, arbitraryFor(arg.type, 0)])), { requiredKeys: [] });
    const token = name === 'demoLogin' ? undefined : adminToken;

    await fc.assert(
      fc.asyncProperty(args, async (variables) => {
        const before = await eventCount();
        const response = await fetch(`${app.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query: source, variables }),
        });
        const text = await response.text();
        figures.calls++;
        expect(response.status).toBeLessThan(500);
        const body = JSON.parse(text) as {
          data?: Record<string, { errors?: unknown[] } | null> | null;
          errors?: { message: string; extensions?: { code?: string } }[];
        };
        if (response.status !== 200) {
          figures.status4xx++;
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(body.errors?.length).toBeGreaterThan(0);
        }
        for (const error of body.errors ?? []) {
          expect({ code: error.extensions?.code, message: error.message }).not.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
          expect(error.message.length).toBeGreaterThan(0);
        }
        const payload = body.data?.[name];
        const refused = (body.errors?.length ?? 0) > 0 || payload === null || payload === undefined || (payload.errors?.length ?? 0) > 0;
        if (refused) {
          figures.refused++;
          expect(await eventCount()).toBe(before);
        } else {
          figures.accepted++;
        }
      }),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined, endOnFailure: true },
    );
    expect(app.process.exitCode).toBeNull();
  });
});
