/**
 * The input rules, in one place, for every transport (GraphQL over HTTP and over graphql-ws):
 * each field that takes arguments gets its resolver (and, for subscriptions, its `subscribe`)
 * wrapped once at start-up. The wrapper walks the coerced argument values along their types and
 *
 *  - refuses unpaired surrogates and control characters (C0 and DEL, C1; a multi-line field
 *    keeps \t, \n and \r),
 *  - NFC-normalises every string (so 'が' typed as か + ゙ and as が are the same title),
 *  - bounds its length in characters after normalisation, and every Int/Float by a range,
 *
 * before the resolver runs: a refusal is a GraphQL error with code BAD_USER_INPUT naming the
 * argument path and the rule (`input.changes[2].reason: at most 20000 characters`), and no
 * command is sent, so nothing is stored. The bounds are in input-bounds.ts.
 */
import {
  defaultFieldResolver,
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { boundFor, type InputBound } from './input-bounds';

export class InputRuleViolation extends Error {
  override readonly name = 'InputRuleViolation';
  constructor(
    /** Where: `input.title`, `input.changes[2].reason`, `email`. */
    readonly path: string,
    /** Which rule: maxLength, controlCharacter, unpairedSurrogate, range, notFinite. */
    readonly rule: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

// C0 controls but tab, line feed and carriage return; DEL; C1 controls.
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
// The same, and tab, line feed and carriage return too.
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F]/u;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The index (in characters) of the first unpaired surrogate in `text`, or -1. */
function unpairedSurrogateAt(text: string): number {
  let characters = 0;
  for (let i = 0; i < text.length; i++, characters++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return characters;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return characters;
  }
  return -1;
}

/** Characters (code points) in `text`. */
function characterCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++, count++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) i++;
  }
  return count;
}

/** Checks one string against its bound; returns it NFC-normalised, or throws InputRuleViolation. */
export function checkText(path: string, value: string, bound: InputBound & { kind: 'text' }): string {
  // Cheap refusal first: a string far beyond the bound is not normalised at all (NFC composes at most 3 code units into one character).
  if (value.length > bound.max * 4) throw new InputRuleViolation(path, 'maxLength', `at most ${bound.max} characters`);
  const surrogate = unpairedSurrogateAt(value);
  if (surrogate >= 0) throw new InputRuleViolation(path, 'unpairedSurrogate', `not valid Unicode (an unpaired surrogate at character ${surrogate + 1})`);
  const normalised = value.normalize('NFC');
  const control = (bound.multiline ? CONTROL_MULTILINE : CONTROL_SINGLE_LINE).exec(normalised);
  if (control) {
    const at = characterCount(normalised.slice(0, control.index)) + 1;
    const allowed = bound.multiline ? 'control characters other than tab and line breaks' : 'line breaks, tabs or other control characters';
    throw new InputRuleViolation(path, 'controlCharacter', `must not contain ${allowed} (${codePoint(control[0])} at character ${at})`);
  }
  if (characterCount(normalised) > bound.max) throw new InputRuleViolation(path, 'maxLength', `at most ${bound.max} characters`);
  return normalised;
}

/** Checks one number against its range, or throws InputRuleViolation. */
export function checkNumber(path: string, value: number, bound: InputBound & { kind: 'range' }): number {
  if (!Number.isFinite(value)) throw new InputRuleViolation(path, 'notFinite', 'must be a finite number');
  if (value < bound.min || value > bound.max) throw new InputRuleViolation(path, 'range', `between ${bound.min} and ${bound.max}`);
  return value;
}

/**
 * Checks a coerced input value of `type` found at `coordinate`/`name`; returns it with every
 * string normalised (a new object or array only where something changed).
 */
export function checkInputValue(value: unknown, type: GraphQLInputType, path: string, coordinate: string, name: string): unknown {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return checkInputValue(value, type.ofType, path, coordinate, name);
  if (isListType(type)) {
    if (!Array.isArray(value)) return value;
    let changed = false;
    const items = value.map((item, index) => {
      const checked = checkInputValue(item, type.ofType, `${path}[${index}]`, coordinate, name);
      changed ||= checked !== item;
      return checked;
    });
    return changed ? items : value;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    let result: Record<string, unknown> | undefined;
    for (const field of Object.values(type.getFields())) {
      if (!(field.name in record)) continue;
      const checked = checkInputValue(record[field.name], field.type, `${path}.${field.name}`, `${type.name}.${field.name}`, field.name);
      if (checked !== record[field.name]) (result ??= { ...record })[field.name] = checked;
    }
    return result ?? value;
  }
  if (isScalarType(type)) {
    const found = boundFor(coordinate, name, type.name);
    if (!found) return value; // custom scalars (DateTime, Position) are checked by their own parsers
    const { bound } = found;
    if (bound.kind === 'text' && typeof value === 'string') return checkText(path, value, bound);
    if (bound.kind === 'range' && typeof value === 'number') return checkNumber(path, value, bound);
  }
  return value; // enums: coerced by graphql-js already
}

/** Checks a field's arguments; returns them normalised, or throws InputRuleViolation. */
export function checkArguments(
  typeName: string,
  fieldName: string,
  definitions: readonly GraphQLArgument[],
  args: Record<string, unknown>,
): Record<string, unknown> {
  let result: Record<string, unknown> | undefined;
  for (const definition of definitions) {
    if (!(definition.name in args)) continue;
    const value = args[definition.name];
    const checked = checkInputValue(value, definition.type, definition.name, `${typeName}.${fieldName}.${definition.name}`, definition.name);
    if (checked !== value) (result ??= { ...args })[definition.name] = checked;
  }
  return result ?? args;
}

/** The GraphQL error a violation becomes: BAD_USER_INPUT, naming the path and the rule. */
export function toGraphQLError(violation: InputRuleViolation): GraphQLError {
  return new GraphQLError(violation.message, { extensions: { code: 'BAD_USER_INPUT', field: violation.path, rule: violation.rule } });
}

/** True when any argument of the field is (or contains) a scalar a rule applies to. */
function hasCheckedArguments(definitions: readonly GraphQLArgument[]): boolean {
  const seen = new Set<string>();
  const visit = (type: GraphQLInputType): boolean => {
    const named = getNamedType(type);
    if (isScalarType(named)) return ['String', 'ID', 'Int', 'Float'].includes(named.name);
    if (!isInputObjectType(named) || seen.has(named.name)) return false;
    seen.add(named.name);
    return Object.values(named.getFields()).some((field) => visit(field.type));
  };
  return definitions.some((definition) => visit(definition.type));
}

function guarded<TArgs extends Record<string, unknown>>(
  typeName: string,
  fieldName: string,
  definitions: readonly GraphQLArgument[],
  inner: GraphQLFieldResolver<unknown, unknown, TArgs>,
): GraphQLFieldResolver<unknown, unknown, TArgs> {
  return (source, args, context, info) => {
    let checked: TArgs;
    try {
      checked = checkArguments(typeName, fieldName, definitions, args) as TArgs;
    } catch (error) {
      if (error instanceof InputRuleViolation) throw toGraphQLError(error);
      throw error;
    }
    return inner(source, checked, context, info);
  };
}

const GUARDED = Symbol('kyogi.inputRules');

/**
 * Wraps, in place, the resolver (and `subscribe`) of every field of every object type whose
 * arguments hold a String, ID, Int or Float. Returns the schema, for Nest's `transformSchema`.
 * Idempotent: a field already wrapped is left alone.
 */
export function applyInputRules(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0 || !hasCheckedArguments(field.args)) continue;
      const marked = field as typeof field & { [GUARDED]?: true };
      if (marked[GUARDED]) continue;
      marked[GUARDED] = true;
      field.resolve = guarded(type.name, field.name, field.args, field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = guarded(type.name, field.name, field.args, field.subscribe);
    }
  }
  return schema;
}

export interface InputScalarSite {
  /** `Type.field.arg` for an argument, `Input.field` for an input field. */
  readonly coordinate: string;
  readonly name: string;
  readonly scalar: string;
}

/** Every place a String, ID, Int or Float enters the API: the arguments of object fields and the fields of input types. */
export function inputScalarSites(schema: GraphQLSchema): InputScalarSite[] {
  const sites: InputScalarSite[] = [];
  const add = (coordinate: string, name: string, type: GraphQLInputType) => {
    const named = getNamedType(type);
    if (isScalarType(named) && ['String', 'ID', 'Int', 'Float'].includes(named.name)) sites.push({ coordinate, name, scalar: named.name });
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) for (const arg of field.args) add(`${type.name}.${field.name}.${arg.name}`, arg.name, arg.type);
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) add(`${type.name}.${field.name}`, field.name, field.type);
    }
  }
  return sites;
}
