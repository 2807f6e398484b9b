import type { Lang } from '../../db/schema';
import { choosePlurals, formatInline } from './plural';

export type { Lang };
export type Dict = Record<string, string>;
export type Strings<K extends string> = { en: Record<K, string>; ru: Record<K, string> };

const registry: Strings<string>[] = [];

/**
 * Each area keeps its strings beside its views (views/journal/strings.ts, …). Russian must have
 * exactly the English keys: the type makes a missing key a compile error, and tests/i18n.test.ts
 * checks every registered module at run time too.
 */
export function defineStrings<const E extends Dict>(en: E, ru: { [K in keyof E]: string }): Translator<Extract<keyof E, string>> {
  const s = { en, ru } as unknown as Strings<Extract<keyof E, string>>;
  registry.push(s as Strings<string>);
  return (lang, key, params) => interpolate(s[lang][key] ?? s.en[key], params, lang);
}

export type Translator<K extends string> = (lang: Lang, key: K, params?: Record<string, string | number>) => string;

/**
 * Fills `{param}`s; a number is written the language's way (3,5 in Russian). A count chooses its words with
 * ICU's plural syntax, by Intl.PluralRules: `{n, plural, one {# lesson} other {# lessons}}`, and in Russian
 * `{n, plural, one {# студент} few {# студента} many {# студентов} other {# студента}}`.
 */
export function interpolate(text: string, params?: Record<string, string | number>, lang: Lang = 'en'): string {
  if (!params) return text;
  const chosen = text.includes('plural,') ? choosePlurals(text, params, lang) : text;
  return chosen.replace(/\{(\w+)\}/g, (m, k) => {
    if (!(k in params)) return m;
    const v = params[k];
    return typeof v === 'number' ? formatInline(v, lang) : v;
  });
}

export function registeredStrings(): readonly Strings<string>[] {
  return registry;
}

export function pickLang(header: string | undefined): Lang {
  if (!header) return 'en';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('ru') || first.startsWith('be') ? 'ru' : 'en';
}

