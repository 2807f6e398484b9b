import { sql, type SQLWrapper } from 'drizzle-orm';
import type { Queryable } from '../../db/store';

/** The course of a subject (English name, prefix match) that a group attends, in the current term. */
export async function courseOf(s: Queryable, subjectEnPrefix: string, groupName: string): Promise<number> {
  const row = await s.get<{ id: number }>(sql`SELECT c.id FROM courses c JOIN subjects s ON s.id = c.subject_id
      JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id
      WHERE s.name_en LIKE ${`${subjectEnPrefix}%`} AND g.name = ${groupName} ORDER BY c.id LIMIT 1`);
  if (!row) throw new Error(`no course ${subjectEnPrefix} for ${groupName}`);
  return row.id;
}

export async function studentOfGroup(s: Queryable, groupName: string, offset = 0, excludeEmail = 'student@demo.test'): Promise<number> {
  const row = await s.get<{ id: number }>(sql`SELECT u.id FROM users u JOIN group_memberships m ON m.student_id = u.id JOIN groups g ON g.id = m.group_id
      WHERE g.name = ${groupName} AND m.to_date IS NULL AND u.email <> ${excludeEmail} ORDER BY u.id LIMIT 1 OFFSET ${offset}`);
  if (!row) throw new Error(`no student in ${groupName}`);
  return row.id;
}

export async function linkedChild(s: Queryable, guardianEmail: string): Promise<number> {
  const row = await s.get<{ id: number }>(sql`SELECT l.student_id AS id FROM guardian_links l JOIN users u ON u.id = l.guardian_id
      WHERE u.email = ${guardianEmail} AND l.revoked_at IS NULL ORDER BY l.id LIMIT 1`);
  if (!row) throw new Error(`no child of ${guardianEmail}`);
  return row.id;
}

export async function groupIdOf(s: Queryable, name: string): Promise<number> {
  const row = await s.get<{ id: number }>(sql`SELECT id FROM groups WHERE name = ${name}`);
  if (!row) throw new Error(`no group ${name}`);
  return row.id;
}

/** The `n` of a `SELECT count(*) AS n ...`: `await countOf(t.store, sql\`SELECT count(*) AS n FROM marks WHERE x = ${x}\`)`. */
export async function countOf(s: Queryable, query: SQLWrapper): Promise<number> {
  const row = await s.get<{ n: number }>(query);
  return Number(row?.n);
}

/** A group's course of a subject and that group's lesson of the day (the journal's browser tests start there). */
export async function lessonOfDay(s: Queryable, subjectEnPrefix: string, groupName: string, day: string) {
  const course = await courseOf(s, subjectEnPrefix, groupName);
  const group = await groupIdOf(s, groupName);
  const row = await s.get<{ id: number }>(sql`SELECT id FROM lessons WHERE course_id = ${course} AND group_id = ${group} AND date = ${day}`);
  if (!row) throw new Error(`no ${day} lesson of ${subjectEnPrefix} for ${groupName}`);
  return { course, group, lesson: row.id };
}

/** A student's rating in a course today, as their page shows it (the admission rule compares it to minRating). */
export async function ratingOf(s: Queryable, studentId: number, courseId: number, today: string): Promise<number> {
  const { currentTerm } = await import('../../db/queries/terms');
  const { studentCourseProgress } = await import('../../server/progress/student-progress');
  const term = await currentTerm(s, today);
  const c = (await studentCourseProgress(s, studentId, term!.id, today)).find((x) => x.courseId === courseId);
  if (c?.rating === null || c?.rating === undefined) throw new Error(`no rating of ${studentId} in ${courseId}`);
  return c.rating;
}
