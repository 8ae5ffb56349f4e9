/**
 * i18next with every resource bundled (nothing is fetched): Japanese by default, English on
 * request, the choice remembered in localStorage. One JSON file per area and language,
 * i18n/<lang>/<area>.json, each an i18next namespace (`useTranslation('specs')`); `common` is
 * the shell's, `errors` the sentences for the server's refusal codes (i18n/errors.ts), the others
 * come with their area (app/areas.ts).
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import jaCommon from './ja/common.json';
import enCommon from './en/common.json';
import jaErrors from './ja/errors.json';
import enErrors from './en/errors.json';
import type { Area } from '../app/area';

export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'kyogi.language';

function storedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ja';
  } catch {
    return 'ja';
  }
}

export function setLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  void i18next.changeLanguage(lang);
}

export function initI18n(areas: readonly Area[]): void {
  const resources: Record<Language, Record<string, Record<string, unknown>>> = {
    ja: { common: jaCommon, errors: jaErrors },
    en: { common: enCommon, errors: enErrors },
  };
  for (const area of areas) for (const lang of LANGUAGES) resources[lang][area.name] = area.i18n[lang];
  void i18next.use(initReactI18next).init({
    resources,
    lng: storedLanguage(),
    fallbackLng: 'ja',
    supportedLngs: [...LANGUAGES],
    ns: ['common', 'errors', ...areas.map((a) => a.name)],
    defaultNS: 'common',
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false, // resources are bundled: ready before the first render
  });
  const applyLang = (lang: string) => document.documentElement.setAttribute('lang', lang);
  applyLang(i18next.language);
  i18next.on('languageChanged', applyLang);
}
