import { buildSchema, graphql, type GraphQLSchema } from 'graphql';
import { applyInputRules, checkText, InputRuleViolation } from './input-rules';

const line = { kind: 'text', max: 10, multiline: false } as const;
const prose = { kind: 'text', max: 10, multiline: true } as const;

function violation(run: () => unknown): { path: string; rule: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof InputRuleViolation) return { path: error.path, rule: error.rule, message: error.message };
    throw error;
  }
  throw new Error('expected an InputRuleViolation');
}

describe('checkText', () => {
  it('returns the text NFC-normalised', () => {
    const decomposed = 'か\u3099'; // か + combining voiced mark
    expect(checkText('input.title', decomposed, line)).toBe('が');
    expect(checkText('input.title', 'Cafe\u0301', line)).toBe('Café');
  });

  it('counts characters (code points) after normalisation, not UTF-16 units', () => {
    expect(checkText('t', '𠮷'.repeat(10), line)).toBe('𠮷'.repeat(10)); // 20 UTF-16 units
    expect(checkText('t', 'か\u3099'.repeat(10), line)).toBe('が'.repeat(10)); // 20 code points before NFC
    expect(violation(() => checkText('input.title', 'x'.repeat(11), line))).toEqual({
      path: 'input.title',
      rule: 'maxLength',
      message: 'input.title: at most 10 characters',
    });
  });

  it('refuses line breaks and tabs in a one-line field, naming the character and where it is', () => {
    expect(violation(() => checkText('input.name', 'ab\ncd', line))).toEqual({
      path: 'input.name',
      rule: 'controlCharacter',
      message: 'input.name: must not contain line breaks, tabs or other control characters (U+000A at character 3)',
    });
    expect(violation(() => checkText('input.name', '\tx', line)).rule).toBe('controlCharacter');
  });

  it('keeps tab, line feed and carriage return in a multi-line field', () => {
    expect(checkText('input.body', 'a\tb\r\nc', prose)).toBe('a\tb\r\nc');
  });

  it.each([
    ['NUL', '\u0000'],
    ['BEL', '\u0007'],
    ['vertical tab', '\u000B'],
    ['form feed', '\u000C'],
    ['ESC', '\u001B'],
    ['DEL', '\u007F'],
    ['C1 NEL', '\u0085'],
    ['C1 CSI', '\u009B'],
  ])('refuses %s even in a multi-line field', (_name, character) => {
    expect(violation(() => checkText('input.body', `ok${character}`, prose))).toMatchObject({ path: 'input.body', rule: 'controlCharacter' });
  });

  it('refuses unpaired surrogates (high alone, low alone, reversed pair) and keeps real pairs', () => {
    for (const bad of ['a\uD800', '\uDC00b', '\uDC00\uD800']) {
      expect(violation(() => checkText('input.body', bad, prose))).toMatchObject({ rule: 'unpairedSurrogate' });
    }
    expect(violation(() => checkText('input.body', 'ab\uD83D', prose)).message).toBe('input.body: not valid Unicode (an unpaired surrogate at character 3)');
    expect(checkText('input.body', '😀', prose)).toBe('😀');
  });

  it('refuses a huge string before normalising it', () => {
    expect(violation(() => checkText('input.title', 'x'.repeat(1_000_000), line)).rule).toBe('maxLength');
  });
});

describe('applyInputRules on a schema', () => {
  const sdl = /* GraphQL */ `
    type Query {
      search(search: String, first: Int): [String!]!
      plain: String
    }
    input DraftInput {
      commandId: ID!
      title: String!
      changes: [ChangeInput!]
      population: Int
    }
    input ChangeInput {
      reason: String!
      after: String
    }
    type Mutation {
      draft(input: DraftInput!): String
    }
  `;
  let received: unknown[];
  let schema: GraphQLSchema;

  beforeEach(() => {
    received = [];
    schema = buildSchema(sdl);
    const record = (_source: unknown, args: unknown) => {
      received.push(args);
      return 'ok';
    };
    schema.getMutationType()!.getFields().draft.resolve = record;
    schema.getQueryType()!.getFields().search.resolve = (source, args) => {
      record(source, args);
      return ['ok'];
    };
    applyInputRules(schema);
  });

  const run = (source: string, variableValues?: Record<string, unknown>) => graphql({ schema, source, variableValues });

  it('hands the resolver normalised arguments from variables and from literals', async () => {
    const result = await run('mutation ($input: DraftInput!) { draft(input: $input) }', {
      input: { commandId: 'c-1', title: 'Cafe\u0301', changes: [{ reason: 'line 1\nline 2', after: 'か\u3099' }] },
    });
    expect(result).toEqual({ data: { draft: 'ok' } });
    expect(received).toEqual([{ input: { commandId: 'c-1', title: 'Café', changes: [{ reason: 'line 1\nline 2', after: 'が' }] } }]);

    await run('{ search(search: "Cafe\u0301") }');
    expect(received[1]).toEqual({ search: 'Café' });
  });

  it('refuses with BAD_USER_INPUT naming the path and the rule, and never calls the resolver', async () => {
    const result = await run('mutation ($input: DraftInput!) { draft(input: $input) }', {
      input: { commandId: 'c-1', title: 'ok', changes: [{ reason: 'fine' }, { reason: 'bad\u0000' }] },
    });
    expect(result.data).toEqual({ draft: null });
    expect(result.errors?.map((e) => ({ message: e.message, extensions: e.extensions }))).toEqual([
      {
        message: 'input.changes[1].reason: must not contain control characters other than tab and line breaks (U+0000 at character 4)',
        extensions: { code: 'BAD_USER_INPUT', field: 'input.changes[1].reason', rule: 'controlCharacter' },
      },
    ]);
    expect(received).toEqual([]);
  });

  it('bounds numbers by their range', async () => {
    const result = await run('{ search(first: -1) }');
    expect(result.errors?.[0]?.message).toBe('first: between 0 and 1000');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first', rule: 'range' });
    const population = await run('mutation { draft(input: { commandId: "c", title: "t", population: 300000000 }) }');
    expect(population.errors?.[0]?.message).toBe('input.population: between 0 and 200000000');
    expect(received).toEqual([]);
  });

  it('bounds IDs too', async () => {
    const result = await run('mutation ($input: DraftInput!) { draft(input: $input) }', { input: { commandId: 'x'.repeat(201), title: 't' } });
    expect(result.errors?.[0]?.message).toBe('input.commandId: at most 200 characters');
  });

  it('leaves fields without arguments alone and wraps each field once', async () => {
    expect(schema.getQueryType()!.getFields().plain.resolve).toBeUndefined();
    const before = schema.getMutationType()!.getFields().draft.resolve;
    applyInputRules(schema);
    expect(schema.getMutationType()!.getFields().draft.resolve).toBe(before);
  });
});
