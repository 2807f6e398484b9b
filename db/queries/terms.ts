import type { Queryable } from '../store';
import { terms } from '../schema';
import { desc } from 'drizzle-orm';

export type Term = typeof terms.$inferSelect;

/** The term that contains `today`, else the most recent one that started before it. */
export async function currentTerm(s: Queryable, today: string): Promise<Term | undefined> {
  const all = await s.db.select().from(terms).orderBy(desc(terms.startsOn));
  return all.find((t) => t.startsOn <= today && today <= t.endsOn) ?? all.find((t) => t.startsOn <= today) ?? all[0];
}
