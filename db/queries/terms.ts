import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import type { terms } from '../schema';

export type Term = typeof terms.$inferSelect;

const TERM_COLUMNS = sql`id, name_ru AS "nameRu", name_en AS "nameEn", starts_on AS "startsOn", ends_on AS "endsOn",
  locked_at AS "lockedAt", locked_by AS "lockedBy", lock_reason AS "lockReason", version, updated_by AS "updatedBy",
  updated_at AS "updatedAt"`;

/** The term that contains `today`, else the most recent one that started before it. */
export async function currentTerm(s: Queryable, today: string): Promise<Term | undefined> {
  const all = await s.all<Term>(sql`SELECT ${TERM_COLUMNS} FROM terms ORDER BY starts_on DESC, id DESC`);
  return all.find((t) => t.startsOn <= today && today <= t.endsOn) ?? all.find((t) => t.startsOn <= today) ?? all[0];
}
