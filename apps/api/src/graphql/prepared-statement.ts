import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';

const names = new Map<string, string>();

/**
 * A read query as a named prepared statement: PostgreSQL parses and plans it once per pooled
 * connection instead of on every call (the unnamed statement of a plain `query(text, values)`
 * is parsed and planned each time). The name is derived from the text, so one name never stands
 * for two texts (pg refuses that), and a handler that builds its SQL from optional filters gets
 * one statement per shape.
 */
export function preparedStatement(text: string, values: readonly unknown[]): QueryConfig<unknown[]> {
  let name = names.get(text);
  if (name === undefined) {
    name = `kyogi_read_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return { name, text, values: [...values] };
}
