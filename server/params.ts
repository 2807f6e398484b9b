import { z } from 'zod';

// Ids from paths, query strings and forms. Number() reads '0x12', '18.0', '1e1', '+18', '018' and ' 18'
// as numbers, so /students/0x12 opened /students/18: an alias, not a leak, but every URL of an object
// should be the one. An id is a plain decimal: no sign, no leading zero, no exponent, no spaces.

export const ID_PATTERN = /^[1-9][0-9]{0,9}$/;

/** The largest id a table holds: PostgreSQL's integer (int4) refuses a larger parameter with an error, a 500. */
export const MAX_ID = 2_147_483_647;

/** The id a string or number stands for, or null when it is not exactly one decimal id. */
export function parseId(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw > 0 && raw <= MAX_ID ? raw : null;
  if (typeof raw !== 'string' || !ID_PATTERN.test(raw)) return null;
  const n = Number(raw);
  return n <= MAX_ID ? n : null;
}

/** zod: a positive id, as parseId reads it. */
export const Id = z.union([z.string(), z.number()]).transform((raw, ctx) => {
  const id = parseId(raw);
  if (id === null) {
    ctx.addIssue({ code: 'custom', message: 'not an id' });
    return z.NEVER;
  }
  return id;
});

/** zod: a row's version as a form sends it back (optimistic locking); an integer column, like ids. */
export const Version = z.coerce.number().int().min(0).max(MAX_ID);
