// How a person's name is written on a page: in full on cards and headings, short in grids.
// English pages and mail use the name in Latin script as in the passport ("SHARMA Aarav") where the person
// has one: a foreign family cannot read "Шарма Аарав"; Russian pages keep the Cyrillic name.
import type { Lang } from '../db/schema';
import { html, type Html } from './html';

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

/** A passport name split into its surname (the leading upper-case words, else the first) and given names. */
function latinParts(name: string): { surname: string[]; given: string[] } {
  const words = name.split(/\s+/).filter(Boolean);
  const upper = (w: string) => /[A-Z]/.test(w) && w === w.toUpperCase();
  let n = 0;
  while (n < words.length && upper(words[n]!)) n++;
  if (n === 0 || n === words.length) n = 1;
  return { surname: words.slice(0, n), given: words.slice(n) };
}

function shortLatin(name: string): string {
  const { surname, given } = latinParts(name);
  const initials = given.map((w) => `${w.charAt(0).toUpperCase()}.`).join(' ');
  return initials ? `${surname.join(' ')} ${initials}` : surname.join(' ');
}

/** The name a greeting uses: "Zeynep" from "KAYA Zeynep" on an English page, the Cyrillic given name otherwise. */
export function givenNameOf(u: Named, lang: Lang): string {
  const latin = latinFor(u, lang);
  const given = latin ? latinParts(latin).given.join(' ') : '';
  return given || u.givenName;
}

/**
 * Both forms for a statement, a legal document kept in the registry's Cyrillic and read by a foreign family
 * in Latin script: the Cyrillic first whatever the page's language, the Latin one under it where there is one.
 */
export function statementName(u: Named): Html {
  return html`<span class="nm-cyr">${cyrillicName(u)}</span>${u.nameLatin ? html`<br><span class="nm-lat">${u.nameLatin}</span>` : null}`;
}

/** The form a page does not lead with (the Latin name on a Russian page, the Cyrillic on an English one), or null. */
export function otherName(u: Named, lang: Lang): string | null {
  if (!u.nameLatin) return null;
  return lang === 'en' ? cyrillicName(u) : u.nameLatin;
}
