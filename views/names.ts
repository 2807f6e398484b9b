// How a person's name is written on a page: in full on cards and headings, short in grids.
// English pages and mail use the name in Latin script as in the passport ("SHARMA Aarav") where the person
// has one: a foreign family cannot read "Шарма Аарав"; Russian pages keep the Cyrillic name.
import type { Lang } from '../db/schema';

export type Named = { surname: string; givenName: string; patronymic?: string | null; nameLatin?: string | null };

/** The Latin-script name the page should use, or null for the Cyrillic one. */
function latinFor(u: Named, lang: Lang): string | null {
  return lang === 'en' && u.nameLatin ? u.nameLatin : null;
}

/** The Cyrillic (registry) form, whatever the page's language: statements print it beside the Latin one. */
export function cyrillicName(u: Named): string {
  return [u.surname, u.givenName, u.patronymic].filter(Boolean).join(' ');
}

export function displayName(u: Named, lang: Lang): string {
  return latinFor(u, lang) ?? cyrillicName(u);
}

/**
 * "Иванова А. С." — compact form for grids and audit lines. A Latin name is written surname first as in the
 * passport; its surname is the leading upper-case words ("VAN DER BERG Jan" → "VAN DER BERG J."), or the first
 * word when the case does not tell.
 */
export function shortName(u: Named, lang: Lang): string {
  const latin = latinFor(u, lang);
  if (latin) return shortLatin(latin);
  const initials = [u.givenName, u.patronymic].filter(Boolean).map((n) => `${n!.charAt(0)}.`).join(' ');
  return `${u.surname} ${initials}`;
}

function shortLatin(name: string): string {
  const words = name.split(/\s+/).filter(Boolean);
  const upper = (w: string) => /[A-Z]/.test(w) && w === w.toUpperCase();
  let n = 0;
  while (n < words.length && upper(words[n]!)) n++;
  if (n === 0 || n === words.length) n = 1;
  const initials = words.slice(n).map((w) => `${w.charAt(0).toUpperCase()}.`).join(' ');
  return initials ? `${words.slice(0, n).join(' ')} ${initials}` : words.slice(0, n).join(' ');
}

/** Both forms for a statement: "Шарма Аарав (SHARMA Aarav)", or the Cyrillic alone without a Latin name. */
export function bothNames(u: Named): { cyrillic: string; latin: string | null } {
  return { cyrillic: cyrillicName(u), latin: u.nameLatin || null };
}
