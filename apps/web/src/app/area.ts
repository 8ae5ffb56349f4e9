/**
 * An area of the client (specs, proposals, consultations, …): its pages, its entries in the
 * navigation and its translations (i18n/<lang>/<area>.json, the i18next namespace `name`).
 */
import type { PageRoute } from './router';

export interface NavEntry {
  readonly path: string;
  /** A key in the area's namespace, e.g. `nav`. */
  readonly label: string;
  /** Shown only to people with one of these roles (lower case); default everyone. */
  readonly roles?: readonly string[];
}

export interface Area {
  readonly name: string;
  readonly i18n: { readonly ja: Record<string, unknown>; readonly en: Record<string, unknown> };
  readonly routes: readonly PageRoute[];
  readonly nav: readonly NavEntry[];
}
