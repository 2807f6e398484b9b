import type { DB } from '../client';
import { terms } from '../schema';
import { desc } from 'drizzle-orm';

export type Term = typeof terms.$inferSelect;

/** The term that contains `today`, else the most recent one that started before it. */
export function currentTerm(db: DB, today: string): Term | undefined {
  const all = db.select().from(terms).orderBy(desc(terms.startsOn)).all();
  return all.find((t) => t.startsOn <= today && today <= t.endsOn) ?? all.find((t) => t.startsOn <= today) ?? all[0];
}
