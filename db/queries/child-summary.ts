// What a guardian's card of each child reads besides the child's term (server/progress/student-progress.ts).
import { sql } from 'drizzle-orm';
import type { LinkScope } from '../schema';
import type { Queryable } from '../store';

/** A guardian's live links, the children in name order. */
export async function liveLinksOf(s: Queryable, guardianId: number): Promise<{ studentId: number; scope: LinkScope }[]> {
  return s.all<{ studentId: number; scope: LinkScope }>(sql`SELECT l.student_id AS "studentId", l.scope FROM guardian_links l JOIN users u ON u.id = l.student_id
    WHERE l.guardian_id = ${guardianId} AND l.revoked_at IS NULL ORDER BY u.surname, u.given_name`);
}

export type ChildHead = { surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; groupName: string | null };

/** A child's name and current group. */
export async function childHead(s: Queryable, studentId: number): Promise<ChildHead | undefined> {
  return s.get<ChildHead>(sql`SELECT u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic,
      (SELECT g.name FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = u.id AND m.to_date IS NULL LIMIT 1) AS "groupName"
    FROM users u WHERE u.id = ${studentId}`);
}

/** The date of a student's latest absence in a term, or null. */
export async function lastAbsenceDate(s: Queryable, studentId: number, termId: number): Promise<string | null> {
  const r = await s.get<{ d: string | null }>(sql`SELECT max(les.date) AS d FROM attendance a JOIN lessons les ON les.id = a.lesson_id JOIN courses c ON c.id = les.course_id
      WHERE a.student_id = ${studentId} AND a.status = 'absent' AND c.term_id = ${termId}`);
  return r?.d ?? null;
}
