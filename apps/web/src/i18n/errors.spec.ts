import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import ja from './ja/errors.json';
import en from './en/errors.json';
import { fieldLabel, formatUserError } from './errors';

const ROOT = join(__dirname, '../../../..');
// Where the server's stable refusal codes are born; fixtures are data, not refusals.
const SOURCES = ['libs/domain/src', 'apps/api/src'];
const NOT_SOURCES = /\.spec\.ts$|matrix-fixtures\.ts$/;
const CODE = /(?:DomainError\(|graphqlError\()\s*'([A-Z][A-Z0-9_]+)'|\bcode: '([A-Z][A-Z0-9_]+)'/g;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') && !NOT_SOURCES.test(path) ? [path] : [];
  });
}

function serverCodes(): string[] {
  const codes = new Set<string>();
  for (const dir of SOURCES)
    for (const file of tsFiles(join(ROOT, dir))) for (const match of readFileSync(file, 'utf8').matchAll(CODE)) codes.add(match[1] ?? match[2]);
  return [...codes].sort();
}

async function instance(lng: 'ja' | 'en') {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { ja: { errors: ja }, en: { errors: en } }, lng, fallbackLng: false, ns: ['errors'], interpolation: { escapeValue: false } });
  return i18n;
}

describe('errors.json', () => {
  const codes = serverCodes();

  it('finds the codes in the sources (the regex still matches how they are written)', () => {
    expect(codes.length).toBeGreaterThan(150);
    expect(codes).toEqual(expect.arrayContaining(['CONSULTATION_CLOSED', 'FORBIDDEN', 'INVALID_ID', 'RATE_LIMITED', 'NOT_XLSX', 'MISSING_POPULATION']));
  });

  it('has a non-blank Japanese and English sentence for every code the server produces', () => {
    const blank = (table: Record<string, string>) => codes.filter((code) => !table[code]?.trim());
    expect({ ja: blank(ja.codes), en: blank(en.codes) }).toEqual({ ja: [], en: [] });
  });

  it('has the same keys in ja and en', () => {
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(ja)).toEqual(keys(en));
    expect(keys(ja.codes)).toEqual(keys(en.codes));
    expect(keys(ja.fields)).toEqual(keys(en.fields));
  });

  it('writes Japanese in Japanese (each sentence has kana or kanji) and ends it like a sentence', () => {
    const notJapanese = Object.entries(ja.codes).filter(([, s]) => !/[\u3040-\u30ff\u4e00-\u9fff]/.test(s) || !/[。）]$/.test(s));
    expect(notJapanese).toEqual([]);
  });
});

describe('formatUserError', () => {
  it('shows the translated sentence first and keeps the server message, with its raw field, as detail', async () => {
    const shown = formatUserError(
      { code: 'CONSULTATION_CLOSED', message: 'Consultation c1 closed on 2026-11-20; stances are no longer taken.', field: null },
      await instance('ja'),
    );
    expect(shown).toEqual({
      sentence: 'この意見照会は締め切られているため、回答できません。',
      detail: 'Consultation c1 closed on 2026-11-20; stances are no longer taken.',
    });
  });

  it('names the field in the reader’s language, with 1-based indexes, falling back to the raw name', async () => {
    const jaI18n = await instance('ja');
    const error = {
      code: 'MISSING_POPULATION',
      message: 'participants[0]: the population rule needs every participant’s population figure.',
      field: 'participants[0].population',
    };
    expect(formatUserError(error, jaI18n)).toEqual({
      sentence: '参加団体 #1 › 人口：人口割で按分するには、すべての参加団体の人口を入力してください。',
      detail: `participants[0].population: ${error.message}`,
    });
    expect(formatUserError(error, await instance('en')).sentence).toBe(
      'participants #1 › population: The population rule needs the population of every participant.',
    );
    expect(fieldLabel('terms.participants[1].daysPerMonth', jaI18n)).toBe('条件 › 参加団体 #2 › 月あたり日数');
    expect(fieldLabel('widgets.somethingNew[2][3]', jaI18n)).toBe('widgets › somethingNew #3 #4');
  });

  it('falls back to the server’s message (with its field) for an unknown code, without repeating it as detail', async () => {
    expect(formatUserError({ code: 'NOT_A_CODE_WE_KNOW', message: 'Something new.', field: 'reason' }, await instance('ja'))).toEqual({
      sentence: 'reason: Something new.',
      detail: null,
    });
    expect(formatUserError({ code: 'NOT_A_CODE_WE_KNOW', message: 'Something new.', field: null }, await instance('en'))).toEqual({
      sentence: 'Something new.',
      detail: null,
    });
  });
});
