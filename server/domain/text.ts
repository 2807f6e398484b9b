// What may be in a line of text a person typed or a file brought: no name, e-mail, group or record
// book contains these, and they hide or disguise text where it is shown (NUL cuts it in some readers,
// the bidi overrides reverse it).

/** C0/C1 controls but tab, CR and LF; DEL; the bidi embeddings, overrides and isolates. */
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

export const isPlainText = (s: string): boolean => !CONTROL_CHARS.test(s);

/** The longest name in Latin script a person card or a roster column takes. */
export const LATIN_NAME_MAX = 100;

/**
 * A name in Latin script as a passport's machine-readable page writes it ("SHARMA Aarav", "O'NEILL Mary-Jane",
 * "ST. JOHN Ann"): Latin letters, with spaces, hyphens, apostrophes and dots between; starts with a letter.
 * Accented letters (é, ü) are Latin too: a French or Turkish passport prints them.
 */
export const isLatinName = (s: string): boolean => s.length <= LATIN_NAME_MAX && /^\p{Script=Latin}[\p{Script=Latin}\p{M} .'’-]*$/u.test(s);
