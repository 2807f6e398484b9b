import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';

// Small look-ups the admin pages make on their own (not part of another area's queries).

/** The account an action on the people list is about: its id and the email the reset link is for. */
export async function accountEmail(s: Queryable, userId: number): Promise<{ id: number; email: string } | undefined> {
  return s.get<{ id: number; email: string }>(sql`SELECT id, email FROM users WHERE id = ${userId}`);
}
