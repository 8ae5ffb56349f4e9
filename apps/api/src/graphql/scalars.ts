import { GraphQLScalarType, Kind } from 'graphql';
import { formatPosition, parsePosition, type Position } from '@kyogi/event-store/port';
import { graphqlError } from './request-context';

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw graphqlError('INTERNAL', 'not a date');
    return date.toISOString();
  },
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw graphqlError('BAD_USER_INPUT', `DateTime must be an ISO-8601 date and time, e.g. 2026-11-22T09:00:00Z`);
  return date;
}

export const PositionScalar = new GraphQLScalarType<Position, string>({
  name: 'Position',
  serialize: (value) => (typeof value === 'string' ? value : formatPosition(value as Position)),
  parseValue: (value) => toPosition(value),
  parseLiteral: (ast) => toPosition(ast.kind === Kind.STRING ? ast.value : undefined),
});

function toPosition(value: unknown): Position {
  try {
    return parsePosition(String(value));
  } catch (error) {
    throw graphqlError('BAD_USER_INPUT', (error as Error).message);
  }
}
