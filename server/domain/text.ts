// What may be in a line of text a person typed or a file brought: no name, e-mail, group or record
// book contains these, and they hide or disguise text where it is shown (NUL cuts it in some readers,
// the bidi overrides reverse it).

/** C0/C1 controls but tab, CR and LF; DEL; the bidi embeddings, overrides and isolates. */
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

export const isPlainText = (s: string): boolean => !CONTROL_CHARS.test(s);
