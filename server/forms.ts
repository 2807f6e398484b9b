import { z } from 'zod';
import { Id, Version } from './params';
import { isLatinName, isPlainText } from './domain/text';

// Small zod pieces the admin forms share, so "a date", "an optional id" and "which fields are wrong"
// mean the same on every page.

/** A calendar day as <input type="date"> sends it; 2026-02-30 is refused, not rolled over. */
export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d));

/** Ids: decimal digits only (server/params.ts), so '0x12' or '18.0' is not another name for 18. */
export { Id, Version };

/** An optional select: '' or absent means none. */
export const OptionalId = z.union([z.literal(''), Id]).optional().transform((v) => (v === '' || v === undefined ? null : v));

/** A required one-line text input (a name): no control characters (server/domain/text.ts). */
export const requiredText = (max: number) => z.string().trim().min(1).max(max).refine(isPlainText);

/** An optional one-line text input: blank means null; no control characters either. */
export const optionalText = (max: number) => z.string().trim().max(max).refine(isPlainText).optional().transform((s) => (s ? s : null));

/** The form fields a failed parse names, for "Check: email, year." */
export const fieldsOf = (e: z.ZodError) => [...new Set(e.issues.map((i) => String(i.path[0] ?? '')))].join(', ');

/**
 * The name in Latin script as in the passport ("SHARMA Aarav"), optional: blank means none. A refusal names the
 * field `nameLatin`, and its issue says `latinName` so the form can say what a Latin name may hold; blank clears it.
 */
export const LatinName = z.string().trim().refine((s) => s === '' || isLatinName(s), { message: 'latinName' }).optional()
  // Absent (a form from before the field existed) stays undefined: the store then keeps what is recorded.
  .transform((s) => (s === undefined ? undefined : s ? s.replace(/\s+/g, ' ') : null));
