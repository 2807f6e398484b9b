import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';

const DAY = 24 * 3600 * 1000;

/**
 * Spends a form's one-time token inside the transaction of the action it carries: null the first time
 * (do the action), else where the first submission was sent (do nothing, show that outcome). A token
 * is bound to its user: someone else's token is "spent" for them too, so it cannot be probed or replayed.
 */
export async function spendFormToken(s: Queryable, userId: number, token: string, location: string, now: number): Promise<string | null> {
  return s.tx(async (tx) => {
    const row = await tx.get<{ token: string }>(sql`INSERT INTO form_tokens (token, user_id, used_at, location)
      VALUES (${token}, ${userId}, ${now}, ${location}) ON CONFLICT DO NOTHING RETURNING token`);
    if (row) {
      await tx.run(sql`DELETE FROM form_tokens WHERE used_at < ${now - DAY}`);
      return null;
    }
    const first = await tx.get<{ userId: number; location: string }>(sql`SELECT user_id AS "userId", location FROM form_tokens WHERE token = ${token}`);
    return first && first.userId === userId ? first.location : '/';
  });
}

/** Where the spent token's first submission went (null if unspent or someone else's). */
export async function formTokenLocation(s: Queryable, userId: number, token: string): Promise<string | null> {
  const row = await s.get<{ location: string }>(sql`SELECT location FROM form_tokens WHERE token = ${token} AND user_id = ${userId}`);
  return row?.location ?? null;
}
