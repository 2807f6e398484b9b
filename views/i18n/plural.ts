import type { Lang } from '../../db/schema';

// Intl objects are costly to build and cheap to reuse: one per language (issue 13 found toLocaleString,
// which builds a formatter per call, on the journal's hot path).
const LOCALE: Record<Lang, string> = { en: 'en-GB', ru: 'ru-RU' };
const rules = new Map<Lang, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();

export function pluralCategory(n: number, lang: Lang): Intl.LDMLPluralRule {
  let r = rules.get(lang);
  if (!r) rules.set(lang, (r = new Intl.PluralRules(LOCALE[lang])));
  return r.select(n);
}

/** The cached formatter for `digits` fraction digits (exactly), or for "as many as needed, up to 2" when undefined. */
export function numberFormat(lang: Lang, digits?: number, grouping = true): Intl.NumberFormat {
  const key = `${lang}|${digits ?? '*'}|${grouping}`;
  let f = numbers.get(key);
  if (!f) {
    const opts: Intl.NumberFormatOptions = digits === undefined
      ? { maximumFractionDigits: 2 }
      : { minimumFractionDigits: digits, maximumFractionDigits: digits };
    f = new Intl.NumberFormat(LOCALE[lang], { ...opts, useGrouping: grouping });
    numbers.set(key, f);
  }
  return f;
}

/**
 * A number inside a sentence, in the language's own way (7,5 in Russian). No grouping: numbers in sentences
 * are counts, limits and ids ("#1234"), and a thousands separator in an id would misread it.
 */
export function formatInline(n: number, lang: Lang): string {
  return numberFormat(lang, undefined, false).format(n);
}

type Plural = { start: number; end: number; name: string; forms: Map<string, string> };

/** Reads `{name, plural, one {…} few {…} other {…}}` (ICU's plural, `=N` forms too) starting at text[start]. */
function readPlural(text: string, start: number): Plural | null {
  const head = /^\{(\w+),\s*plural,\s*/.exec(text.slice(start));
  if (!head) return null;
  let i = start + head[0].length;
  const forms = new Map<string, string>();
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '}') return { start, end: i + 1, name: head[1], forms };
    const sel = /^(=\d+|zero|one|two|few|many|other)\s*\{/.exec(text.slice(i));
    if (!sel) return null;
    i += sel[0].length;
    let depth = 1;
    const from = i;
    while (i < text.length && depth > 0) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
      i++;
    }
    if (depth > 0) return null;
    forms.set(sel[1], text.slice(from, i - 1));
  }
}

/** Chooses each plural block's form for its count (`#` is the count itself), leaving `{param}`s for the caller. */
export function choosePlurals(text: string, params: Record<string, string | number>, lang: Lang): string {
  let out = '';
  let i = 0;
  for (let at = text.indexOf('{'); at !== -1; at = text.indexOf('{', at + 1)) {
    if (at < i) continue;
    const p = readPlural(text, at);
    if (!p) continue;
    const n = Number(params[p.name]);
    const form = p.forms.get(`=${n}`) ?? p.forms.get(pluralCategory(n, lang)) ?? p.forms.get('other') ?? '';
    out += text.slice(i, at) + form.replace(/#/g, formatInline(n, lang));
    i = p.end;
  }
  return out + text.slice(i);
}
