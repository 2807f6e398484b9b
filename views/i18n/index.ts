import type { Lang } from '../../db/schema';

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
  return (lang, key, params) => interpolate(s[lang][key] ?? s.en[key], params);
}

export type Translator<K extends string> = (lang: Lang, key: K, params?: Record<string, string | number>) => string;

export function interpolate(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

export function registeredStrings(): readonly Strings<string>[] {
  return registry;
}

export function pickLang(header: string | undefined): Lang {
  if (!header) return 'en';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('ru') || first.startsWith('be') ? 'ru' : 'en';
}

/** Russian plural form chooser (1 оценка, 2 оценки, 5 оценок). */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 10 || m100 >= 20)) return few;
  return many;
}
