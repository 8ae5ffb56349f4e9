/**
 * A server refusal (`{ code, message, field }`) in the reader's language: the sentence for its
 * stable code from the `errors` namespace (i18n/<lang>/errors.json), and the server's own English
 * message kept as detail so nothing is lost. An unknown code falls back to the server's message.
 * DOM-free: the translate function is passed in (components/status.tsx renders the result).
 */
import type { UserError } from '../api/graphql';

/** The subset of i18next's `t` used here, so a test can pass a fixed instance's `getFixedT`. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;
export interface TranslateWithExists {
  readonly t: Translate;
  readonly exists: (key: string) => boolean;
}

export interface ShownError {
  /** What the page shows first: the translated sentence (or the server's message for an unknown code). */
  readonly sentence: string;
  /** The server's own message with its raw field path, shown smaller with lang="en"; null when the sentence already is it. */
  readonly detail: string | null;
}

/** `participants[0].population` → "参加団体 #1 › 人口": each segment's name from the `fields` map (raw name otherwise), indexes 1-based. */
export function fieldLabel(field: string, i18n: TranslateWithExists): string {
  return field
    .split('.')
    .map((segment) => {
      const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(segment);
      if (!match) return segment;
      const [, name, indexes] = match;
      const key = `errors:fields.${name}`;
      const label = i18n.exists(key) ? i18n.t(key) : name;
      const numbers = [...indexes.matchAll(/\[(\d+)\]/g)].map((m) => ` #${Number(m[1]) + 1}`).join('');
      return `${label}${numbers}`;
    })
    .join(' › ');
}

export function formatUserError(error: UserError, i18n: TranslateWithExists): ShownError {
  const raw = error.field ? `${error.field}: ${error.message}` : error.message;
  const key = `errors:codes.${error.code}`;
  if (!i18n.exists(key)) return { sentence: raw, detail: null };
  const sentence = i18n.t(key);
  return {
    sentence: error.field ? i18n.t('errors:withField', { field: fieldLabel(error.field, i18n), sentence }) : sentence,
    detail: raw,
  };
}
