/**
 * The bound of every scalar the API takes as input: each String and ID a length and a line rule,
 * each Int and Float a range. These are outer bounds — the deciders keep their own, tighter rules
 * and messages (a title of 201 characters is the domain's INVALID_TITLE); what is refused here
 * never reaches a resolver: a 10 MB "title", a control character, a page of -1.
 *
 * A bound is found by, in order: the exact coordinate (`Type.field` for an input field,
 * `Type.field.arg` for an argument), the field's name (`reason` is prose wherever it appears),
 * the scalar (every ID). input-bounds.spec.ts checks against schema/*.graphql that every input
 * scalar is covered by one of these, so a new field without a bound fails CI, not production.
 */

/** Text: at most `max` characters (code points, after NFC); `multiline` allows \t, \n and \r. */
export interface TextBound {
  readonly kind: 'text';
  readonly max: number;
  readonly multiline: boolean;
}

/** A number between `min` and `max`, both included. */
export interface RangeBound {
  readonly kind: 'range';
  readonly min: number;
  readonly max: number;
}

export type InputBound = TextBound | RangeBound;

const line = (max: number): TextBound => ({ kind: 'text', max, multiline: false });
const prose = (max: number): TextBound => ({ kind: 'text', max, multiline: true });
const range = (min: number, max: number): RangeBound => ({ kind: 'range', min, max });

/** One-line text nobody types more of: names, titles, labels (the deciders allow 100–200). */
const LABEL = line(1000);
/** Reasons, rationales, bodies, answers, requirement texts (the deciders allow 2,000–10,000). */
const PROSE = prose(20_000);
/** A GraphQL request body is at most 2 MB (main.ts), so no string in it is longer. */
const BODY_LIMIT_CHARACTERS = 2 * 1024 * 1024;

/** Exact coordinates: where the field's name alone would give the wrong bound. */
export const BOUNDS_BY_COORDINATE: Readonly<Record<string, InputBound>> = {
  // The proposed text of a requirement (the cursor arguments called `after` are one line).
  'ProposalChangeInput.after': PROSE,
  // A spec version's requirements as one document, up to the body limit.
  'ImportSpecVersionInput.content': prose(BODY_LIMIT_CHARACTERS),
};

/** By field or argument name, wherever it appears. */
export const BOUNDS_BY_NAME: Readonly<Record<string, InputBound>> = {
  // prose
  reason: PROSE,
  rationale: PROSE,
  body: PROSE,
  answer: PROSE,
  text: PROSE,
  /** An uploaded .xlsx (at most 1 MB) in base64; line breaks allowed, the resolvers drop whitespace. */
  fileBase64: prose(BODY_LIMIT_CHARACTERS),
  // one line
  title: LABEL,
  name: LABEL,
  nameKana: LABEL,
  displayName: LABEL,
  domain: LABEL,
  role: LABEL,
  skills: LABEL,
  label: LABEL,
  reference: LABEL,
  email: line(320),
  search: line(200),
  code: line(64),
  prefectureCode: line(64),
  version: line(64),
  specVersion: line(64),
  requirementId: line(200),
  startDate: line(64),
  endDate: line(64),
  types: line(200),
  /** Page cursors. */
  after: line(200),
  // numbers
  first: range(0, 1000),
  last: range(0, 10_000),
  quorumPercent: range(0, 100),
  thresholdPercent: range(0, 100),
  subsidyPercent: range(0, 100),
  durationSeconds: range(0, 366 * 24 * 3600),
  citedStage: range(0, 100),
  revision: range(0, 1_000_000),
  against: range(0, 1_000_000),
  n: range(0, 1_000_000),
  termsVersion: range(0, 1_000_000),
  /** Offsets of a quote in a requirement's text. */
  start: range(0, 1_000_000),
  end: range(0, 1_000_000),
  population: range(0, 200_000_000),
  daysPerMonth: range(0, 31),
  capacityDaysPerMonth: range(0, 31),
  annualCostYen: range(0, 1_000_000_000_000),
};

/** By scalar: every ID is one line of at most 200 characters (ours are far shorter). */
export const BOUNDS_BY_SCALAR: Readonly<Record<string, InputBound>> = {
  ID: line(200),
};

/** What a String, Int or Float without any bound above gets at run time (the spec makes sure there is none). */
export const FALLBACK_BOUNDS: Readonly<Record<string, InputBound>> = {
  String: line(2000),
  Int: range(-2_147_483_648, 2_147_483_647),
  Float: range(-Number.MAX_VALUE, Number.MAX_VALUE),
};

export type BoundSource = 'coordinate' | 'name' | 'scalar' | 'fallback';

/** The bound of an input scalar at `coordinate` (`Type.field` or `Type.field.arg`), and where it came from. */
export function boundFor(coordinate: string, name: string, scalar: string): { bound: InputBound; source: BoundSource } | null {
  const exact = BOUNDS_BY_COORDINATE[coordinate];
  if (exact) return { bound: exact, source: 'coordinate' };
  const byName = Object.hasOwn(BOUNDS_BY_NAME, name) ? BOUNDS_BY_NAME[name] : undefined;
  if (byName && compatible(byName, scalar)) return { bound: byName, source: 'name' };
  const byScalar = BOUNDS_BY_SCALAR[scalar];
  if (byScalar) return { bound: byScalar, source: 'scalar' };
  const fallback = FALLBACK_BOUNDS[scalar];
  return fallback ? { bound: fallback, source: 'fallback' } : null;
}

/** A text bound applies to String and ID, a range to Int and Float. */
function compatible(bound: InputBound, scalar: string): boolean {
  return bound.kind === 'text' ? scalar === 'String' || scalar === 'ID' : scalar === 'Int' || scalar === 'Float';
}
